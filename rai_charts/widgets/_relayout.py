"""The one place that works around plotly FigureWidget's relayout gaps (plotly 6 and 7).

What plotly does, measured in a real browser (plotly 7.1.0, plotly.js 4.1.1):

- A shape drawn in the browser reaches the kernel as a relayout message carrying the whole shape
  list (``{"shapes": [...]}``), but ``FigureWidget.layout.shapes`` keeps its old, stale tuple,
  ``layout.on_change(..., "shapes")`` fires with that stale tuple, and the raw layout holds the
  browser's ``null`` values as plotly's ``Undefined`` sentinel, so ``to_json()`` fails.
- Moving or resizing an existing editable shape arrives as ``{"shapes[3].x0": ...}`` and does
  update ``layout.shapes``.

The way through: observe the private ``_js2py_relayout`` trait (every relayout the browser sends,
after plotly has applied what it can) and, when a message carries a whole shape list, make that
list (cleaned) ``layout.shapes`` before anyone reads it. Assigning it through ``layout.shapes =``
works too, but plotly then checks every shape again (~0.3 ms each, ~0.1 s for a few hundred);
:func:`adopt_shapes` instead puts the cleaned list where plotly keeps the raw layout and drops
plotly's cached shape objects, which plotly rebuilds from that list on first access.
``tests/widgets/test_relayout.py`` fails loudly when plotly changes any of this.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from plotly.basedatatypes import Undefined

from rai_charts._exceptions import RaiChartsError

RELAYOUT_TRAIT = "_js2py_relayout"
"""FigureWidget's private trait holding the last relayout message from the browser."""

SHAPE_KEYS: frozenset[str] = frozenset(
    {
        "type",
        "x0",
        "x1",
        "y0",
        "y1",
        "xref",
        "yref",
        "line",
        "fillcolor",
        "opacity",
        "editable",
        "name",
        "layer",
        "path",
    }
)
"""The shape keys kept from a browser payload; the rest are plotly.js defaults."""

RelayoutHandler = Callable[[dict[str, Any]], None]
"""Receives the ``relayout_data`` of each relayout message: what changed, as plotly.js names it."""


def is_missing(value: Any) -> bool:
    """Whether a payload value stands for "not set": ``None`` or plotly's ``Undefined``."""
    return value is None or value is Undefined


def _clean(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _clean(item) for key, item in value.items() if not is_missing(item)}
    return value


def clean_shape(shape: Mapping[str, Any]) -> dict[str, Any]:
    """One shape of a browser payload as a plain dict plotly accepts back: only
    :data:`SHAPE_KEYS`, without unset values."""
    return {
        key: _clean(value)
        for key, value in shape.items()
        if key in SHAPE_KEYS and not is_missing(value)
    }


def clean_shapes(shapes: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every shape of a browser payload cleaned by :func:`clean_shape`."""
    return [clean_shape(shape) for shape in shapes]


def adopt_shapes(widget: Any, shapes: list[dict[str, Any]]) -> None:
    """Make ``shapes`` (already clean, e.g. from :func:`clean_shapes`) the widget's
    ``layout.shapes`` on the Python side only: the browser shows them already.

    Shapes plotly.js wrote are valid by construction, so they are not checked again; plotly
    rebuilds its shape objects from the raw list when ``layout.shapes`` is next read. Falls back
    to the checked assignment if plotly no longer keeps its layout that way.
    """
    layout = widget.layout
    cached = getattr(layout, "_compound_array_props", None)
    raw = getattr(layout, "_props", None)
    if isinstance(cached, dict) and isinstance(raw, dict) and raw is widget._layout:
        raw["shapes"] = shapes
        cached.pop("shapes", None)
    else:
        layout.shapes = shapes


def observe_relayout(widget: Any, handler: RelayoutHandler) -> Callable[[], None]:
    """Call ``handler`` with the ``relayout_data`` of every relayout the browser sends to
    ``widget`` (a ``plotly.graph_objects.FigureWidget``). Returns a function that stops it.

    A payload holding a whole shape list (a shape drawn or erased in the browser) is cleaned by
    :func:`clean_shapes` and adopted as ``widget.layout.shapes`` (:func:`adopt_shapes`) before
    ``handler`` sees it, so ``layout.shapes`` and ``to_json()`` are right again.
    """
    if RELAYOUT_TRAIT not in widget.trait_names():
        import plotly

        raise RaiChartsError(
            f"plotly {plotly.__version__}: FigureWidget has no {RELAYOUT_TRAIT} trait, so "
            "drawings made in the browser cannot reach Python; install a plotly version this "
            "rai_charts supports (see constraints.txt)"
        )

    def on_change(change: Mapping[str, Any]) -> None:
        message = change.get("new")
        # plotly resets the trait to None once it has handled a message; that is no event.
        if not message:
            return
        payload = dict(message["relayout_data"])
        shapes = payload.get("shapes")
        if isinstance(shapes, (list, tuple)):
            payload["shapes"] = clean_shapes(shapes)
            adopt_shapes(widget, payload["shapes"])
        handler(payload)

    widget.observe(on_change, names=RELAYOUT_TRAIT)

    def stop() -> None:
        widget.unobserve(on_change, names=RELAYOUT_TRAIT)

    return stop
