"""read_candles on the CSV layouts traders export, good rows and bad."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from rai_charts import CandleDataError, read_candles

DATA = Path(__file__).parent / "data"
FIRST = pd.Timestamp("2024-01-02T00:00:00Z")


@pytest.mark.parametrize(
    ("file", "spacing", "volume"),
    [
        pytest.param("metatrader5.csv", "1h", [1250, 980, 1430], id="metatrader5-export-bars"),
        pytest.param("metatrader4.csv", "5min", [1250, 980, 1430], id="metatrader4-no-header"),
        pytest.param("tradingview.csv", "1h", [1250, 980, 1430], id="tradingview-unix-seconds"),
        pytest.param("tradingview_iso.csv", "1h", None, id="tradingview-iso-with-offset"),
        pytest.param("generic.csv", "1h", [1250, 980, 1430], id="generic-capitalised-header"),
        pytest.param("generic_date_and_time.csv", "1h", None, id="generic-date-time-semicolon"),
    ],
)
def test_reads_each_layout_into_utc_candles(
    file: str, spacing: str, volume: list[float] | None
) -> None:
    candles = read_candles(DATA / file)

    expected_index = pd.date_range(FIRST, periods=3, freq=spacing, name="time")
    pd.testing.assert_index_equal(candles.index, expected_index, check_freq=False)
    assert candles.iloc[0][["open", "high", "low", "close"]].tolist() == [
        1.2731,
        1.2735,
        1.272,
        1.2725,
    ]
    assert candles["close"].tolist() == [1.2725, 1.2738, 1.2715]
    if volume is None:
        assert "volume" not in candles
    else:
        assert candles["volume"].tolist() == volume


def test_metatrader5_export_in_utf16_is_read(tmp_path: Path) -> None:
    exported = tmp_path / "EURUSD_H1.csv"
    exported.write_text((DATA / "metatrader5.csv").read_text(), encoding="utf-16")

    candles = read_candles(exported)

    assert candles.index[0] == FIRST
    assert len(candles) == 3


def test_times_without_zone_are_taken_in_the_given_timezone() -> None:
    candles = read_candles(DATA / "metatrader4.csv", timezone="Europe/Athens")

    assert candles.index[0] == pd.Timestamp("2024-01-01T22:00:00Z")
    assert str(candles.index.tz) == "UTC"


@pytest.mark.parametrize(
    ("file", "message"),
    [
        pytest.param(
            "tradingview_bad_number.csv",
            "tradingview_bad_number.csv, line 3, column high: 'n/a' is not a number",
            id="not-a-number",
        ),
        pytest.param(
            "generic_bad_time.csv",
            "generic_bad_time.csv, line 3, column time: 'yesterday' is not a time",
            id="not-a-time",
        ),
        pytest.param(
            "metatrader5_high_below_low.csv",
            "metatrader5_high_below_low.csv, line 4, column <HIGH>: high 1.2709 is below low 1.271",
            id="high-below-low",
        ),
        pytest.param(
            "metatrader4_short_row.csv",
            "metatrader4_short_row.csv, line 3: expected 7 fields",
            id="short-row",
        ),
        pytest.param(
            "generic_repeated_time.csv",
            "generic_repeated_time.csv, line 3, ",
            id="repeated-time",
        ),
        pytest.param(
            "generic_missing_low.csv",
            "generic_missing_low.csv, line 1: no low column",
            id="missing-column",
        ),
    ],
)
def test_bad_rows_are_named_by_file_line_and_column(file: str, message: str) -> None:
    with pytest.raises(CandleDataError) as raised:
        read_candles(DATA / file)

    assert message in str(raised.value)


def test_repeated_time_names_both_lines() -> None:
    with pytest.raises(CandleDataError, match=r"line 3, .*line 4: the time 2024-01-02T01:00"):
        read_candles(DATA / "generic_repeated_time.csv")


def test_many_bad_rows_are_summarised(tmp_path: Path) -> None:
    rows = "\n".join(f"2024-01-02 {hour:02d}:00,1,x,1,1" for hour in range(9))
    bad = tmp_path / "bad.csv"
    bad.write_text(f"time,open,high,low,close\n{rows}\n")

    with pytest.raises(CandleDataError) as raised:
        read_candles(bad)

    lines = str(raised.value).splitlines()
    assert lines[0].endswith("bad.csv, line 2, column high: 'x' is not a number")
    assert lines[-1] == "... and 4 more bad rows"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("", "the file is empty", id="empty"),
        pytest.param("time,open,high,low,close\n", "a header but no candles", id="header-only"),
        pytest.param("a,b\n1,2\n", "no time, open, high, low, close column", id="unknown-layout"),
    ],
)
def test_files_without_candles_say_what_is_missing(
    tmp_path: Path, content: str, message: str
) -> None:
    file = tmp_path / "prices.csv"
    file.write_text(content)

    with pytest.raises(CandleDataError, match=message):
        read_candles(file)


def test_missing_file_raises_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_candles(tmp_path / "nowhere.csv")
