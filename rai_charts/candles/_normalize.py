"""One shape for candles, whatever they came as: a UTC-indexed float OHLC(V) DataFrame."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Union

from rai_charts._exceptions import CandleDataError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

PRICE_COLUMNS: tuple[str, ...] = ("open", "high", "low", "close")
"""The price columns every candle has, in this order."""

TIME_COLUMNS: tuple[str, ...] = ("time", "datetime", "date", "timestamp")
"""Column names taken as the candle time (case-insensitive), in order of preference."""

CandleInput = Union["pd.DataFrame", Sequence[Mapping[str, Any]]]
"""What :func:`normalize_candles` accepts: a DataFrame or a list of dicts."""

MAX_LISTED_PROBLEMS = 5
"""How many bad rows an error message lists before summarising the rest."""

Locate = Callable[[int], str]
"""Describes where row ``n`` (0-based, input order) came from, e.g. ``prices.csv, line 7``."""


def normalize_candles(data: CandleInput, *, timezone: str = "UTC") -> pd.DataFrame:
    """Candles as a DataFrame indexed by UTC time (``time``) with float open, high, low, close.

    Accepts a DataFrame or a list of dicts with open/high/low/close (``volume`` optional; column
    names case-insensitive) and the time either as a DatetimeIndex or in a ``time``,
    ``datetime``, ``date`` or ``timestamp`` column (datetimes, ISO strings, or Unix seconds or
    milliseconds). Times without a timezone are taken to be in ``timezone``; all are converted
    to UTC. Rows come out sorted by time; other columns are dropped.

    Raises :class:`~rai_charts.CandleDataError` naming the row and column of missing,
    non-numeric or inconsistent prices (high below low, open or close outside high..low) and of
    repeated times, and ``TypeError`` for anything that is not a table of candles.
    """
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        frame = data
    elif isinstance(data, Sequence) and not isinstance(data, (str, bytes)):
        if not all(isinstance(row, Mapping) for row in data):
            raise TypeError("candles given as a list must hold one dict per candle")
        frame = pd.DataFrame.from_records(list(data))
    else:
        raise TypeError(
            f"candles must be a pandas DataFrame or a list of dicts, got {type(data).__name__}"
        )
    if frame.empty:
        raise CandleDataError("no candles: the table is empty")
    columns = _columns_by_lower_name(frame)
    missing = [name for name in PRICE_COLUMNS if name not in columns]
    if missing:
        raise CandleDataError(
            f"candles lack the column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"(found: {', '.join(map(str, frame.columns))})"
        )
    time_column = next((columns[name] for name in TIME_COLUMNS if name in columns), None)

    def locate(row: int) -> str:
        return f"row {row}"

    if time_column is not None:
        times = parse_times(frame[time_column].to_numpy(), str(time_column), locate)
    elif isinstance(frame.index, pd.DatetimeIndex):
        times = frame.index
    else:
        raise CandleDataError(
            "candles need a time: a DatetimeIndex or a column named "
            f"{', '.join(TIME_COLUMNS)} (found columns: {', '.join(map(str, frame.columns))})"
        )
    wanted = [*PRICE_COLUMNS, *(["volume"] if "volume" in columns else [])]
    values = {name: frame[columns[name]].to_numpy() for name in wanted}
    return build_candles(values, times, timezone=timezone, locate=locate)


def build_candles(
    columns: Mapping[str, Any],
    times: pd.DatetimeIndex,
    *,
    timezone: str,
    locate: Locate,
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The candle frame from raw column values and times, checked row by row.

    ``columns`` maps ``open``/``high``/``low``/``close`` (and optionally ``volume``) to
    values in input order; ``labels`` gives each its name as the user wrote it, for messages.
    Naive ``times`` are in ``timezone``. Raises :class:`~rai_charts.CandleDataError` naming
    ``locate(row)`` and the column for values that are not numbers, prices that contradict
    each other, and repeated times.
    """
    import pandas as pd

    names = labels or {}
    floats = {
        name: _floats(values, names.get(name, name), locate) for name, values in columns.items()
    }
    index = times.tz_localize(timezone) if times.tz is None else times
    index = index.tz_convert("UTC")
    index.name = "time"
    frame: pd.DataFrame = pd.DataFrame(floats, index=index)
    problems = price_problems(frame)
    if problems:
        raise CandleDataError(
            describe_problems(
                (locate(row), names.get(column, column), text) for row, column, text in problems
            )
        )
    repeated = index.duplicated(keep=False)
    if repeated.any():
        rows = repeated.nonzero()[0]
        raise CandleDataError(
            f"{', '.join(locate(int(row)) for row in rows[:MAX_LISTED_PROBLEMS])}: the time "
            f"{index[rows[0]].isoformat()} is repeated; each candle needs its own time"
        )
    if frame.index.is_monotonic_increasing:
        return frame
    ordered: pd.DataFrame = frame.sort_index(kind="stable")
    return ordered


def _columns_by_lower_name(frame: pd.DataFrame) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for column in frame.columns:
        key = str(column).strip().lower()
        if key in columns:
            raise CandleDataError(
                f"columns {columns[key]!r} and {column!r} both read as {key!r}; keep one"
            )
        columns[key] = column
    return columns


def parse_times(values: Any, label: str, locate: Locate) -> pd.DatetimeIndex:
    """Times from datetimes, ISO-8601 strings, ``YYYY.MM.DD hh:mm`` or Unix s/ms/ns numbers.

    Naive results stay naive (the caller decides their timezone); when any string carries an
    offset or ``Z``, all are converted to UTC. Raises :class:`~rai_charts.CandleDataError`
    naming ``locate(row)`` and ``label`` for each value that is not a time.
    """
    import pandas as pd

    series: pd.Series[Any] = pd.Series(values)
    parsed: pd.Series[Any]
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        parsed = series
    elif pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(
        series.dtype
    ):
        parsed = pd.to_datetime(series, unit=epoch_unit(float(series.abs().max())), utc=True)
    else:
        text = series.astype(str).str.strip()
        if text.str.fullmatch(r"\d+(?:\.\d+)?").all():
            numbers: pd.Series[float] = pd.to_numeric(text).astype(float)
            parsed = pd.to_datetime(numbers, unit=epoch_unit(float(numbers.max())), utc=True)
        else:
            # MetaTrader writes dates as 2024.01.02
            text = text.str.replace(r"^(\d{4})\.(\d{2})\.(\d{2})", r"\1-\2-\3", regex=True)
            aware = bool(text.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True).any())
            parsed = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=aware)
    bad = parsed.isna().to_numpy()
    if bad.any():
        raise CandleDataError(
            describe_problems(
                (
                    locate(int(row)),
                    label,
                    f"{series.iloc[row]!r} is not a time "
                    "(use ISO-8601 like 2024-01-02T15:00:00Z, or Unix seconds)",
                )
                for row in bad.nonzero()[0]
            )
        )
    index: pd.DatetimeIndex = pd.DatetimeIndex(parsed)
    return index


def epoch_unit(largest: float) -> Literal["s", "ms", "ns"]:
    """The Unix time unit numbers up to ``largest`` are written in: ``s``, ``ms`` or ``ns``."""
    if largest < 1e11:
        return "s"
    if largest < 1e14:
        return "ms"
    return "ns"


def _floats(values: Any, label: str, locate: Locate) -> np.ndarray[Any, Any]:
    import numpy as np
    import pandas as pd

    raw = pd.Series(values)
    numbers: np.ndarray[Any, Any] = pd.to_numeric(raw, errors="coerce").to_numpy(dtype="float64")
    bad = ~np.isfinite(numbers)
    if bad.any():
        raise CandleDataError(
            describe_problems(
                (locate(int(row)), label, f"{raw.iloc[row]!r} is not a number")
                for row in bad.nonzero()[0]
            )
        )
    return numbers


def price_problems(frame: pd.DataFrame) -> list[tuple[int, str, str]]:
    """(row position, column, what is wrong) for candles whose prices contradict each other."""
    import numpy as np

    open_, high, low, close = (frame[name].to_numpy() for name in PRICE_COLUMNS)
    top, bottom = np.maximum(open_, close), np.minimum(open_, close)
    checks: list[tuple[np.ndarray[Any, Any], str, Callable[[int], str]]] = [
        (high < low, "high", lambda row: f"high {high[row]} is below low {low[row]}"),
        (high < top, "high", lambda row: f"high {high[row]} is below open/close {top[row]}"),
        (low > bottom, "low", lambda row: f"low {low[row]} is above open/close {bottom[row]}"),
    ]
    if "volume" in frame:
        volume = frame["volume"].to_numpy()
        checks.append((volume < 0, "volume", lambda row: f"volume {volume[row]} is negative"))
    found: dict[int, tuple[str, str]] = {}
    for failed, column, describe in checks:
        for row in failed.nonzero()[0]:
            found.setdefault(int(row), (column, describe(int(row))))
    return [(row, column, text) for row, (column, text) in sorted(found.items())]


def describe_problems(problems: Iterable[tuple[str, str, str]]) -> str:
    """One message for (where, column, what) problems: the first few, then how many more."""
    lines = [f"{where}, column {column}: {text}" for where, column, text in problems]
    shown = lines[:MAX_LISTED_PROBLEMS]
    if len(lines) > MAX_LISTED_PROBLEMS:
        shown.append(f"... and {len(lines) - MAX_LISTED_PROBLEMS} more bad rows")
    return "\n".join(shown)
