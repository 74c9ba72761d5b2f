"""Drawings: a discriminated union on the wire's ``type`` field."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    Discriminator,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    Tag,
    field_validator,
    model_serializer,
    model_validator,
)
from typing_extensions import Self

from ._base import WireModel
from ._errors import rule_error
from ._types import ArrowHead, HexColor, LineStyle, Price, UtcTime

DEFAULT_FIBONACCI_RATIOS: tuple[float, ...] = (0.0, 0.236, 0.382, 0.5, 0.618, 0.786, 1.0)
"""The retracement ratios a new Fibonacci drawing gets unless told otherwise."""


class Coordinate(WireModel):
    """One anchor of a drawing: a time and a price."""

    time: UtcTime
    """When, in UTC (written as ISO-8601 with ``Z``)."""
    price: Price
    """The price at that time; a finite number."""


class DrawingStyle(WireModel):
    """How a drawing looks. Every key is optional."""

    color: HexColor | None = None
    """Line color, ``#RRGGBB``."""
    fill_color: HexColor | None = None
    """Fill color of areas (rectangles, channels), ``#RRGGBB``."""
    border_color: HexColor | None = None
    """Border color of areas, ``#RRGGBB``."""
    line_width: int | None = Field(default=None, ge=1, le=10)
    """Line width in pixels, 1 to 10."""
    line_style: LineStyle | None = None
    """``SOLID``, ``DASHED`` or ``DOTTED``."""


class _DrawingBase(WireModel):
    point_count: ClassVar[int]

    type: str
    """The wire's drawing type (the union's discriminator)."""
    client_object_id: str = Field(min_length=1)
    """The client's id of this drawing, unique within its analysis; link tokens name it."""
    points: list[Coordinate]
    """The anchors, in the order the drawing type defines."""
    style: DrawingStyle | None = None
    """How it looks; ``None`` leaves it to the renderer's theme."""
    id: str | None = None
    """The server's id, set once the drawing is stored."""

    @field_validator("points")
    @classmethod
    def _check_point_count(cls, points: list[Coordinate]) -> list[Coordinate]:
        if len(points) != cls.point_count:
            type_name = cls.model_fields["type"].default
            raise rule_error(
                "point_count",
                f"a {type_name} drawing needs exactly {cls.point_count} point"
                f"{'s' if cls.point_count != 1 else ''}, got {len(points)}",
            )
        return points


class HorizontalLineDrawing(_DrawingBase):
    """A horizontal line at one price."""

    point_count: ClassVar[int] = 1
    type: Literal["HORIZONTAL_LINE"] = "HORIZONTAL_LINE"
    """Always ``HORIZONTAL_LINE``."""

    @property
    def price(self) -> float:
        """The line's price."""
        return self.points[0].price


class LineDrawing(_DrawingBase):
    """A trend line between two anchors, with optional arrow heads."""

    point_count: ClassVar[int] = 2
    type: Literal["LINE"] = "LINE"
    """Always ``LINE``."""
    start_head: ArrowHead | None = None
    """``NONE`` or ``ARROW`` at the first point."""
    end_head: ArrowHead | None = None
    """``NONE`` or ``ARROW`` at the second point."""


class RectangleDrawing(_DrawingBase):
    """A zone between two opposite corners."""

    point_count: ClassVar[int] = 2
    type: Literal["RECTANGLE"] = "RECTANGLE"
    """Always ``RECTANGLE``."""


class ParallelDrawing(_DrawingBase):
    """A parallel channel: points 1-2 are the base line, point 3 lies on the opposite rail."""

    point_count: ClassVar[int] = 3
    type: Literal["PARALLEL"] = "PARALLEL"
    """Always ``PARALLEL``."""


class FibonacciRetracementDrawing(_DrawingBase):
    """A Fibonacci retracement from swing start (point 1) to swing end (point 2)."""

    point_count: ClassVar[int] = 2
    type: Literal["FIBONACCI_RETRACEMENT"] = "FIBONACCI_RETRACEMENT"
    """Always ``FIBONACCI_RETRACEMENT``."""
    levels: list[Price] | None = None
    """The ratios drawn; ``None`` means the default ``0 .. 1`` set."""

    @field_validator("levels")
    @classmethod
    def _check_ratios(cls, levels: list[float] | None) -> list[float] | None:
        if levels is not None and not levels:
            raise rule_error(
                "empty_ratios", "levels must hold at least one ratio (or be omitted for defaults)"
            )
        return levels

    @property
    def ratios(self) -> list[float]:
        """The ratios in effect: ``levels``, or the defaults when unset."""
        return list(self.levels) if self.levels is not None else list(DEFAULT_FIBONACCI_RATIOS)


class UnknownDrawing(WireModel):
    """A drawing whose ``type`` this version does not know, kept and written back unchanged."""

    type: str
    """The wire's type name."""
    client_object_id: str | None = None
    """The client's id, when the drawing has one."""
    id: str | None = None
    """The server's id, when the drawing has one."""
    _raw: dict[str, Any] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_raw(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        drawing = handler(data)
        if isinstance(data, dict):
            # Built from Python names (client_object_id=...): write them under their wire names.
            drawing._raw = {
                (cls.model_fields[key].alias or key) if key in cls.model_fields else key: value
                for key, value in data.items()
            }
        elif isinstance(data, UnknownDrawing):
            drawing._raw = dict(data._raw)
        return drawing

    @model_serializer(mode="plain")
    def _write_raw(self) -> dict[str, Any]:
        return dict(self._raw) if self._raw else {"type": self.type}


KNOWN_DRAWING_TYPES: dict[str, type[_DrawingBase]] = {
    cls.model_fields["type"].default: cls
    for cls in (
        HorizontalLineDrawing,
        LineDrawing,
        RectangleDrawing,
        ParallelDrawing,
        FibonacciRetracementDrawing,
    )
}
"""Wire type name to model class, for every drawing type this version understands."""


UNKNOWN_DRAWING_TAG = "unknown"
"""The union tag of drawings whose type this version does not know."""


def _drawing_tag(value: Any) -> str:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    # Only a string can name a known type; anything else (a list, a number) is left to
    # UnknownDrawing, whose ``type: str`` then refuses it with a field error.
    return kind if isinstance(kind, str) and kind in KNOWN_DRAWING_TYPES else UNKNOWN_DRAWING_TAG


Drawing = Annotated[
    Annotated[HorizontalLineDrawing, Tag("HORIZONTAL_LINE")]
    | Annotated[LineDrawing, Tag("LINE")]
    | Annotated[RectangleDrawing, Tag("RECTANGLE")]
    | Annotated[ParallelDrawing, Tag("PARALLEL")]
    | Annotated[FibonacciRetracementDrawing, Tag("FIBONACCI_RETRACEMENT")]
    | Annotated[UnknownDrawing, Tag(UNKNOWN_DRAWING_TAG)],
    Discriminator(_drawing_tag),
]
"""Any drawing; unknown types parse as :class:`UnknownDrawing`."""

KnownDrawing = (
    HorizontalLineDrawing
    | LineDrawing
    | RectangleDrawing
    | ParallelDrawing
    | FibonacciRetracementDrawing
)
"""A drawing of a type this version understands."""
