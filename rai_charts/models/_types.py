"""Scalar wire types: UTC times, finite prices, colors and the enumerations of the contract."""

from __future__ import annotations

import math
import re
from datetime import datetime, timezone
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from ._errors import rule_error

Direction = Literal["BULLISH", "BEARISH"]
EntryPlacement = Literal["ABOVE_CURRENT", "BELOW_CURRENT"]
LineStyle = Literal["SOLID", "DASHED", "DOTTED"]
ArrowHead = Literal["NONE", "ARROW"]
Timeframe = Literal["M1", "M5", "M15", "M30", "H1", "H4", "D1", "W1", "MN1"]
AnalysisType = Literal["bullish_breakout", "bullish_bounce", "bearish_bounce", "bearish_breakout"]

HEX_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
"""A ``#RRGGBB`` color (matched whole)."""

TIMEFRAMES: tuple[Timeframe, ...] = ("M1", "M5", "M15", "M30", "H1", "H4", "D1", "W1", "MN1")

_NAIVE_HINT = (
    "naive datetime {value!r} has no timezone; attach one, e.g. "
    "datetime(..., tzinfo=timezone.utc), pd.Timestamp(...).tz_localize('UTC'), "
    "or an ISO string ending in 'Z'"
)


def to_utc(value: Any) -> datetime:
    """Coerce a datetime, pandas Timestamp or ISO-8601 string to an aware UTC datetime.

    Raises ``ValueError`` for naive values (the timezone would be a guess) and for anything
    that is not a time.
    """
    # Fast paths for what almost every value is: a UTC datetime (a model's own field, passed
    # on) or wire text ending in 'Z'. Anything else takes the general path below.
    if type(value) is datetime and value.tzinfo is timezone.utc:
        return value
    if type(value) is str and value.endswith("Z"):
        try:
            parsed = datetime.fromisoformat(value[:-1] + "+00:00")
        except ValueError:
            pass
        else:
            if parsed.tzinfo is timezone.utc:
                return parsed
    if isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise rule_error(
                "time_format", f"{value!r} is not an ISO-8601 time such as '2026-01-08T12:00:00Z'"
            ) from None
    if not isinstance(value, datetime) or str(value) == "NaT":
        raise rule_error(
            "time_type",
            f"{value!r} is not a time: use a datetime, pandas Timestamp or ISO-8601 string",
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise rule_error("naive_time", _NAIVE_HINT.format(value=str(value)))
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp: keep the plain datetime type
        value = value.to_pydatetime()
    utc: datetime = value.astimezone(timezone.utc)
    return utc


def format_utc(value: datetime) -> str:
    """ISO-8601 with ``Z``; fractional seconds only when present."""
    if value.tzinfo is timezone.utc:
        return value.replace(tzinfo=None).isoformat() + "Z"
    text = value.astimezone(timezone.utc).replace(tzinfo=None).isoformat()
    return text + "Z"


def _finite(value: Any) -> Any:
    if type(value) is float and math.isfinite(value):  # the common case, checked first
        return value
    if isinstance(value, bool):
        raise rule_error("price_type", f"{value!r} is not a price")
    number = value
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return value  # pydantic's own "not a number" error names it
    if isinstance(number, (int, float)) and not math.isfinite(number):
        raise rule_error("finite_price", f"price must be a finite number, got {value!r}")
    return value


def _hex_color(value: str) -> str:
    if not HEX_COLOR.fullmatch(value):
        raise rule_error("hex_color", f"color must be #RRGGBB such as '#FF8800', got {value!r}")
    return value


# Validation always stores UTC, and pydantic's own JSON form of a UTC datetime is exactly what
# format_utc writes (``Z``, fractional seconds only when present), so writing needs no Python call.
UtcTime = Annotated[datetime, BeforeValidator(to_utc)]
"""An aware datetime stored in UTC and written as ISO-8601 with ``Z``."""

# _finite already refuses inf and NaN with its own message; pydantic's allow_inf_nan=False
# would repeat that check as one more Python call per price.
Price = Annotated[float, BeforeValidator(_finite)]
"""A finite price."""

HexColor = Annotated[
    str, AfterValidator(_hex_color), Field(json_schema_extra={"pattern": HEX_COLOR.pattern})
]
"""A ``#RRGGBB`` color."""

LINK_TOKEN = re.compile(r"\[\[([^:\[\]]+):([^\[\]]*)\]\]")
"""``[[clientObjectId:label]]`` inside the analysis texts."""
