"""CSV candle files in the layouts traders have: MetaTrader, TradingView and plain OHLC."""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rai_charts._exceptions import CandleDataError

from ._normalize import PRICE_COLUMNS, TIME_COLUMNS, build_candles, parse_times

if TYPE_CHECKING:
    import pandas as pd

VOLUME_COLUMNS: tuple[str, ...] = ("volume", "tickvol", "tick_volume", "vol")
"""Header names taken as the volume (case-insensitive, ``<>`` stripped), in order of preference."""

_METATRADER_DATE = re.compile(r"^\d{4}\.\d{2}\.\d{2}$")
_METATRADER_ROW = ("date", "time", "open", "high", "low", "close", "volume")
_LAYOUT_HELP = (
    "expected a header naming time (or date/datetime/timestamp), open, high, low and close "
    "(a TradingView export or a plain CSV), a MetaTrader 5 export (<DATE> <TIME> <OPEN> ...), "
    "or MetaTrader 4 rows without a header (2024.01.02,00:00,open,high,low,close,volume)"
)


@dataclass
class _Table:
    """A candle file split into cells, remembering the line each row came from."""

    layout: str
    header: list[str]
    header_line: int
    rows: list[list[str]]
    lines: list[int]


def read_candles(path: str | os.PathLike[str], *, timezone: str = "UTC") -> pd.DataFrame:
    """Candles from a CSV file, as :func:`normalize_candles` returns them.

    Recognised layouts (the delimiter, comma, semicolon or tab, is detected):

    - MetaTrader 5 "Export bars": ``<DATE> <TIME> <OPEN> <HIGH> <LOW> <CLOSE> <TICKVOL> <VOL>
      <SPREAD>`` header, dates as ``2024.01.02``; the volume is ``<TICKVOL>`` (else ``<VOL>``);
    - MetaTrader 4 history export: rows ``2024.01.02,00:00,open,high,low,close,volume``, no
      header;
    - TradingView "Export chart data": ``time,open,high,low,close[,Volume,...]`` with Unix
      seconds or ISO-8601 times;
    - any CSV whose header names a time (``time``, ``datetime``, ``date`` or ``timestamp``; or
      separate ``date`` and ``time`` columns), ``open``, ``high``, ``low``, ``close`` and
      optionally ``volume``, in any case; other columns are ignored.

    Times without a timezone (MetaTrader's server time, for one) are taken to be in
    ``timezone``. Raises :class:`~rai_charts.CandleDataError` naming the file, line and column
    of each bad value (the first few, then how many more), and ``FileNotFoundError`` when the
    file does not exist.
    """
    file = Path(path)
    table = _split(file)
    columns = _column_positions(file, table)

    def locate(row: int) -> str:
        return f"{file}, line {table.lines[row]}"

    def cells(name: str) -> list[str]:
        position = columns[name]
        return [row[position] for row in table.rows]

    if "date" in columns and "time" in columns:
        stamps = [f"{date} {time}" for date, time in zip(cells("date"), cells("time"), strict=True)]
        label = f"{table.header[columns['date']]}+{table.header[columns['time']]}"
    else:
        stamps, label = cells("time"), table.header[columns["time"]]
    times = parse_times(stamps, label, locate)
    wanted = [name for name in (*PRICE_COLUMNS, "volume") if name in columns]
    return build_candles(
        {name: cells(name) for name in wanted},
        times,
        timezone=timezone,
        locate=locate,
        labels={name: table.header[columns[name]] for name in wanted},
    )


def _split(file: Path) -> _Table:
    raw = file.read_bytes()
    # MetaTrader 5 writes its exports in UTF-16 with a byte-order mark.
    encoding = "utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise CandleDataError(f"{file}: not a text file ({error.reason})") from None
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        raise CandleDataError(f"{file}: the file is empty")
    delimiter = "\t" if "\t" in first else ";" if ";" in first and "," not in first else ","
    rows: list[list[str]] = []
    numbers: list[int] = []
    for number, cells in enumerate(csv.reader(lines, delimiter=delimiter), start=1):
        if not any(cell.strip() for cell in cells):
            continue
        rows.append([cell.strip() for cell in cells])
        numbers.append(number)
    if _METATRADER_DATE.match(rows[0][0]):
        header, header_line, layout = (
            list(_METATRADER_ROW[: len(rows[0])]),
            numbers[0],
            "MetaTrader 4",
        )
    else:
        header, header_line, layout = rows.pop(0), numbers.pop(0), "header"
        if all(name.startswith("<") and name.endswith(">") for name in header):
            layout = "MetaTrader 5"
    if not rows:
        raise CandleDataError(f"{file}: a header but no candles")
    for cells, number in zip(rows, numbers, strict=True):
        if len(cells) < len(header):
            raise CandleDataError(
                f"{file}, line {number}: expected {len(header)} fields "
                f"({', '.join(header)}), found {len(cells)}"
            )
    return _Table(layout=layout, header=header, header_line=header_line, rows=rows, lines=numbers)


def _column_positions(file: Path, table: _Table) -> dict[str, int]:
    """Our column name to its position in the file, for the columns the file has."""
    names = [name.strip("<>").strip().lower() for name in table.header]
    positions: dict[str, int] = {}
    for ours, candidates in (
        *((name, (name,)) for name in PRICE_COLUMNS),
        ("volume", VOLUME_COLUMNS),
    ):
        found = next((names.index(name) for name in candidates if name in names), None)
        if found is not None:
            positions[ours] = found
    time_names = [name for name in TIME_COLUMNS if name in names]
    if "date" in names and "time" in names:
        positions["date"], positions["time"] = names.index("date"), names.index("time")
    elif time_names:
        positions["time"] = names.index(time_names[0])
    missing = [name for name in ("time", *PRICE_COLUMNS) if name not in positions]
    if missing:
        raise CandleDataError(
            f"{file}, line {table.header_line}: no {', '.join(missing)} column in "
            f"{table.layout} layout (columns: {', '.join(table.header)}); {_LAYOUT_HELP}"
        )
    return positions
