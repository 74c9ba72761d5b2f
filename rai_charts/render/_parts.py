"""Which layout shapes and annotations of a figure belong to which drawing or level.

Every shape or annotation drawn for a drawing (or a key level) is named
``"<clientObjectId>/<role>"``; :func:`drawing_parts` reads the names back. Shapes and
annotations of the figure itself (expiry marker, notes) have names without a ``/``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

DRAWING_ROLES: dict[str, dict[str, tuple[str, ...]]] = {
    "HORIZONTAL_LINE": {"shapes": ("line",), "annotations": ("price",)},
    "LINE": {"shapes": ("line",), "annotations": ()},
    "RECTANGLE": {"shapes": ("box",), "annotations": ()},
    "PARALLEL": {"shapes": ("base", "rail"), "annotations": ()},
    "FIBONACCI_RETRACEMENT": {"shapes": ("anchor",), "annotations": ()},
    "level": {"shapes": ("level",), "annotations": ("price", "label")},
}
"""For each drawing type (and ``level`` for support/pivot/resistance): the roles of the layout
shapes and annotations it produces. What a role is:

- ``line``: the line itself (``x0,y0`` = point 1, ``x1,y1`` = point 2; a horizontal line spans
  the x domain, ``y0 = y1`` = its price);
- ``box``: the rectangle, ``x0,y0``/``x1,y1`` = its two corners;
- ``base``: a channel's base line, points 1 and 2; ``rail``: the opposite rail through point 3
  over the same times;
- ``anchor``: a Fibonacci retracement's dashed line from swing start to swing end;
- ``level``: a key level's line across the x domain at its price;
- ``price``: the price tag on the price axis; ``label``: a level's name.

Every shape carries the drawing's own points, so an editor can let any of them move. What
follows from the points (a channel's band and midline, Fibonacci level lines, bands and labels,
arrow heads) is not a shape: it is drawn in bulk in the overlay traces (``meta == "overlay"``).
"""

_SEPARATOR = "/"


def part_name(object_id: str, role: str) -> str:
    """The name given to the shape or annotation playing ``role`` for ``object_id``."""
    return f"{object_id}{_SEPARATOR}{role}"


def parse_part_name(name: str | None) -> tuple[str, str] | None:
    """``(clientObjectId, role)`` from a part's name; ``None`` for the figure's own parts."""
    if not name or _SEPARATOR not in name:
        return None
    object_id, _, role = name.rpartition(_SEPARATOR)
    return (object_id, role) if object_id and role else None


@dataclass
class DrawingParts:
    """Where one drawing's parts sit in a figure's layout lists."""

    shapes: dict[str, int] = field(default_factory=dict)
    """Role to index in ``figure.layout.shapes``."""
    annotations: dict[str, int] = field(default_factory=dict)
    """Role to index in ``figure.layout.annotations``."""


def drawing_parts(figure: Any) -> dict[str, DrawingParts]:
    """For a figure from :func:`rai_charts.render.figure` (a ``Figure``, a ``FigureWidget`` or
    its ``to_dict()``): each drawing's and level's clientObjectId to the indexes of its shapes
    and annotations by role.

    For example ``drawing_parts(fig)["channel"].shapes["rail"]`` is the index of the channel's
    opposite rail in ``fig.layout.shapes``.
    """
    layout = figure.get("layout", {}) if isinstance(figure, Mapping) else figure.layout
    parts: dict[str, DrawingParts] = {}
    for kind in ("shapes", "annotations"):
        items: Sequence[Any] = (
            layout.get(kind, ()) if isinstance(layout, Mapping) else getattr(layout, kind)
        ) or ()
        for index, item in enumerate(items):
            name = item.get("name") if isinstance(item, Mapping) else item.name
            parsed = parse_part_name(name)
            if parsed is not None:
                object_id, role = parsed
                getattr(parts.setdefault(object_id, DrawingParts()), kind)[role] = index
    return parts
