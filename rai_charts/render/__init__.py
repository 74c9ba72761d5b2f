"""Analyses drawn over candles as plotly figures, and exported to HTML, PNG or SVG.

Public functions:

- :func:`figure` ``(candles, analysis, *, theme, max_candles, expiry_reference)``: the
  ``plotly.graph_objects.Figure``; ``Analysis.plot(candles)`` is the short form.
  :func:`figure_dict` (same arguments): the same figure as plain dicts, not yet checked by
  plotly, for editors that patch a live figure.
- :func:`export` ``(figure_or_analysis, path, *, candles, width, height)``: ``.html``
  (self-contained) or an image (``.png``, ``.svg``, ...) drawn by the system's Chromium.
- :func:`export_many` and the :func:`image_session` context manager: many images, one browser.

How a figure is built, which an editor can rely on:

- ``data[0]`` is the candlestick trace. Every other trace has ``meta == "overlay"``
  (:data:`OVERLAY_META`): parts derived from the drawings' points, drawn in bulk (a few
  traces whatever the number of drawings): a channel's band and dashed midline, Fibonacci
  level lines, bands and labels, arrow heads. After an edit, replace them rather than patch
  them: build a new figure from the edited analysis and take its overlay traces.
- ``layout.shapes`` and ``layout.annotations`` hold, per drawing and per key level, the parts
  listed in :data:`DRAWING_ROLES`, each named ``"<clientObjectId>/<role>"`` (:func:`part_name`,
  :func:`parse_part_name`). :func:`drawing_parts` maps a figure back to
  ``{clientObjectId: DrawingParts(shapes={role: index}, annotations={role: index})}``.
  Every shape carries the drawing's own points, so dragging one edits the drawing:

  ========================  =====================================================
  drawing                   shapes, by role
  ========================  =====================================================
  HORIZONTAL_LINE           ``line``: ``y0 = y1`` = the price; ``xref="x domain"``
  LINE                      ``line``: ``(x0, y0)`` = point 1, ``(x1, y1)`` = point 2
  RECTANGLE                 ``box``: ``(x0, y0)`` = point 1, ``(x1, y1)`` = point 2
  PARALLEL                  ``base``: points 1 and 2; ``rail``: the parallel through
                            point 3, over the base's times (its price at point 3's
                            time is point 3's price)
  FIBONACCI_RETRACEMENT     ``anchor``: ``(x0, y0)`` = swing start, ``(x1, y1)`` = end
  level (support, ...)      ``level``: ``y0 = y1`` = the price; ``xref="x domain"``
  ========================  =====================================================

  Annotations: ``price`` (the tag on the price axis) for horizontal lines and levels, and
  ``label`` (its name) for levels. Times are UTC written ``"YYYY-MM-DD HH:MM:SS"`` without a
  zone, as the x axis holds them. The figure's own parts (``expiry marker``, ``expired
  region``, ``expiry label``, ``notes``) have names without ``/``.

plotly loads on first use of :func:`figure`; kaleido and the browser on the first image.
"""

from ._drawings import DASHES, OVERLAY_META
from ._export import IMAGE_FORMATS, export, export_many, image_session
from ._figure import DEFAULT_MAX_CANDLES, figure, figure_dict
from ._parts import DRAWING_ROLES, DrawingParts, drawing_parts, parse_part_name, part_name
from ._theme import THEMES, Theme, ThemeName

__all__ = [
    "DASHES",
    "DEFAULT_MAX_CANDLES",
    "DRAWING_ROLES",
    "IMAGE_FORMATS",
    "OVERLAY_META",
    "THEMES",
    "DrawingParts",
    "Theme",
    "ThemeName",
    "drawing_parts",
    "export",
    "export_many",
    "figure",
    "figure_dict",
    "image_session",
    "parse_part_name",
    "part_name",
]
