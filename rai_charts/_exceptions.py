"""The errors and warnings rai_charts raises on purpose, in one tree.

- ``RaiChartsError``: base of every error below; ``except RaiChartsError`` catches them all.

  - ``RenderError``: a figure or image could not be produced (no browser for PNG/SVG, the
    image library missing, the browser failing).
  - ``CandleDataError`` (also a ``ValueError``): candle data that cannot be used; the message
    names the file, line and column (or the row) and the offending value.

- ``RenderWarning`` (a ``UserWarning``): something was left off a figure (a drawing type this
  version does not know, a drawing whose geometry cannot be drawn); the figure says so too.

Misuse (a wrong argument type, an unknown option value) raises plain ``TypeError`` or
``ValueError`` instead.
"""

from __future__ import annotations


class RaiChartsError(Exception):
    """Base of every error rai_charts raises on purpose."""


class RenderError(RaiChartsError):
    """A figure or an image could not be produced."""


class CandleDataError(RaiChartsError, ValueError):
    """Candle data that cannot be used; the message names where and what."""


class RenderWarning(UserWarning):
    """Part of an analysis was left off its figure; the figure carries a note saying so."""
