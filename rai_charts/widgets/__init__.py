"""Editors for notebooks: draw, edit and publish an analysis on a plotly chart."""
