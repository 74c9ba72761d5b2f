"""Analyses drawn over candles as plotly figures, and exported to HTML, PNG or SVG.

Public functions:

- :func:`figure` ``(candles, analysis, *, theme, max_candles, expiry_reference)``: the
  ``plotly.graph_objects.Figure``; ``Analysis.plot(candles)`` is the short form.
- :func:`export` ``(figure_or_analysis, path, *, candles, width, height)``: ``.html``
  (self-contained) or an image (``.png``, ``.svg``, ...) drawn by the system's Chromium.
- :func:`export_many` and the :func:`image_session` context manager: many images, one browser.

How a figure is built (what an editor can rely on):

- ``data[0]`` is the candlestick trace. Every other trace has ``meta == "overlay"``
  (:data:`OVERLAY_META`): bulk, non-editable parts derived from the drawings (Fibonacci level
  lines, bands and labels; arrow heads), a few traces in total whatever the drawing count.
  After an edit, rebuild them rather than patch them: build a new figure from the edited
  analysis and take its overlay traces.
- ``layout.shapes`` and ``layout.annotations`` hold, per drawing and per key level, the parts
  listed in :data:`DRAWING_ROLES`, each named ``"<clientObjectId>/<role>"`` (:func:`part_name`).
  :func:`drawing_parts` maps a figure back: ``{clientObjectId: DrawingParts(shapes={role:
  index}, annotations={role: index})}``. Shapes whose role is in :data:`EDITABLE_ROLES` carry
  the drawing's own points, so dragging them edits the drawing:

  ========================  =====================================================
  drawing                   shapes (role: coordinates)
  ========================  =====================================================
  HORIZONTAL_LINE           ``line``: ``y0 = y1`` = price; ``xref="x domain"``, 0..1
  LINE                      ``line``: ``(x0, y0)`` = point 1, ``(x1, y1)`` = point 2
  RECTANGLE                 ``box``: ``(x0, y0)`` = point 1, ``(x1, y1)`` = point 2
  PARALLEL                  ``base``: points 1-2; ``rail``: the parallel through
                            point 3 over the same times; ``band`` (path), ``midline``
  FIBONACCI_RETRACEMENT     ``anchor``: ``(x0, y0)`` = swing start, ``(x1, y1)`` = end
  level (support/...)       ``level``: ``y0 = y1`` = price; ``xref="x domain"``
  ========================  =====================================================

  Annotations: ``price`` (the price tag on the axis) for horizontal lines and levels,
  ``label`` for levels. Times are UTC, written ``"YYYY-MM-DD HH:MM:SS"`` without a zone.
  The figure's own parts (``expiry marker``, ``expired region``, ``expiry label``,
  ``notes``) have names without ``/``.

plotly loads on first use of :func:`figure`; kaleido and the browser on the first image.
"""

from ._drawings import OVERLAY_META
from ._export import IMAGE_FORMATS, export, export_many, image_session
from ._figure import DEFAULT_MAX_CANDLES, figure
from ._parts import (
    DRAWING_ROLES,
    EDITABLE_ROLES,
    DrawingParts,
    drawing_parts,
    parse_part_name,
    part_name,
)
from ._theme import THEMES, Theme, ThemeName

__all__ = [
    "DEFAULT_MAX_CANDLES",
    "DRAWING_ROLES",
    "EDITABLE_ROLES",
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
    "image_session",
    "parse_part_name",
    "part_name",
]
