"""Notebook editors: draw, edit and publish an analysis on a plotly candle chart.

ipywidgets and plotly load with this package, on first use of :class:`AnalysisEditor`.
"""

from ._editor import AnalysisEditor

__all__ = ["AnalysisEditor"]
