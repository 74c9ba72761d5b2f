"""Scalar wire types: UTC times, finite prices, colors and the enumerations of the contract."""

from __future__ import annotations

import math
import re
from datetime import datetime, timezone
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, PlainSerializer

Direction = Literal["BULLISH", "BEARISH"]
EntryPlacement = Literal["ABOVE_CURRENT", "BELOW_CURRENT"]
LineStyle = Literal["SOLID", "DASHED", "DOTTED"]
ArrowHead = Literal["NONE", "ARROW"]
Timeframe = Literal["M1", "M5", "M15", "M30", "H1", "H4", "D1", "W1", "MN1"]
AnalysisType = Literal["bullish_breakout", "bullish_bounce", "bearish_bounce", "bearish_breakout"]

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
    if isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO-8601 time") from None
        value = parsed
    elif hasattr(value, "to_pydatetime") and not isinstance(value, datetime):
        value = value.to_pydatetime()
    if not isinstance(value, datetime):
        raise ValueError(f"{value!r} is not a time: use a datetime, pandas Timestamp or ISO string")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(_NAIVE_HINT.format(value=str(value)))
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp: keep the plain datetime type
        value = value.to_pydatetime()
    utc: datetime = value.astimezone(timezone.utc)
    return utc


def format_utc(value: datetime) -> str:
    """ISO-8601 with ``Z``; fractional seconds only when present."""
    text = value.astimezone(timezone.utc).replace(tzinfo=None).isoformat()
    return text + "Z"


def _finite(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a price")
    if isinstance(value, (int, float)) and not math.isfinite(value):
        raise ValueError(f"price must be a finite number, got {value!r}")
    return value


UtcTime = Annotated[
    datetime,
    BeforeValidator(to_utc),
    PlainSerializer(format_utc, return_type=str, when_used="json"),
]
"""An aware datetime stored in UTC and written as ISO-8601 with ``Z``."""

Price = Annotated[float, BeforeValidator(_finite), Field(allow_inf_nan=False)]
"""A finite price."""

HEX_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
HexColor = Annotated[str, Field(pattern=HEX_COLOR.pattern)]
"""A ``#RRGGBB`` color."""

LINK_TOKEN = re.compile(r"\[\[([^:\[\]]+):([^\[\]]*)\]\]")
"""``[[clientObjectId:label]]`` inside the analysis texts."""
