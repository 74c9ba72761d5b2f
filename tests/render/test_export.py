"""export: self-contained HTML, images through the system's Chromium, clear errors without one."""

from __future__ import annotations

import json
import os
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from render_helpers import analysis_of

from rai_charts import RenderError
from rai_charts._cli import main
from rai_charts._sample import sample_analysis
from rai_charts.render import export, export_many, figure, image_session
from rai_charts.render._export import find_browser


def test_html_is_one_self_contained_page(tmp_path: Path, candles: pd.DataFrame) -> None:
    written = export(sample_analysis(candles), tmp_path / "idea.html", candles=candles)

    page = written.read_text(encoding="utf-8")
    assert written == tmp_path / "idea.html"
    assert page.lower().startswith("<!doctype html>")
    assert "<script src=" not in page
    assert len(page) > 3_000_000  # plotly.js itself is inlined
    assert "bounce from the demand zone" in page
    assert [path.name for path in tmp_path.iterdir()] == ["idea.html"]


@pytest.mark.parametrize(
    ("item", "path", "error", "message"),
    [
        pytest.param("figure", "chart.gif", ValueError, "suffix must be .html", id="suffix"),
        pytest.param("analysis", "a.html", ValueError, "needs its candles", id="no-candles"),
        pytest.param("dict", "a.html", TypeError, "got dict", id="not-a-figure"),
    ],
)
def test_misuse_is_refused_before_anything_is_written(
    tmp_path: Path,
    candles: pd.DataFrame,
    item: str,
    path: str,
    error: type[Exception],
    message: str,
) -> None:
    subjects = {"figure": figure(candles), "analysis": analysis_of(), "dict": {"data": []}}

    with pytest.raises(error, match=message):
        export(subjects[item], tmp_path / path)  # type: ignore[arg-type]

    assert list(tmp_path.iterdir()) == []


def test_a_wrong_browser_path_is_named(
    tmp_path: Path, candles: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chrome"))

    with pytest.raises(RenderError, match=r"BROWSER_PATH='.*no-chrome' is not an executable"):
        export(figure(candles), tmp_path / "chart.png")

    assert [path.name for path in tmp_path.iterdir()] == []


def test_no_browser_at_all_says_what_to_install(
    tmp_path: Path, candles: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(RenderError, match="apt-get install chromium"):
        export(figure(candles), tmp_path / "chart.svg")

    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def browser() -> Iterator[None]:
    """One Chromium for every image test; missing Chromium skips them, except under CI."""
    try:
        find_browser()
    except RenderError as missing:
        reason = f"image export untested: {missing}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true needs the browser: {reason}")
        pytest.skip(reason)
    with image_session():
        yield


def png_pixels(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and raw scanlines of a PNG (enough to tell an image from a blank)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks = 8, {}
    idat = b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IDAT":
            idat += body
        chunks[kind] = body
        position += 12 + length
    width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
    return width, height, zlib.decompress(idat)


@pytest.mark.usefixtures("browser")
def test_png_has_the_asked_size_and_shows_a_chart(tmp_path: Path, candles: pd.DataFrame) -> None:
    written = export(
        sample_analysis(candles), tmp_path / "idea.png", candles=candles, width=640, height=360
    )

    width, height, pixels = png_pixels(written.read_bytes())
    assert (width, height) == (640, 360)
    # a blank image compresses to a few distinct byte values; candles, text and fills do not
    assert len(set(pixels)) > 100


@pytest.mark.usefixtures("browser")
def test_many_images_share_one_browser(tmp_path: Path, candles: pd.DataFrame) -> None:
    analysis = sample_analysis(candles)

    written = export_many(
        [(analysis, tmp_path / "light.svg"), (figure(candles, theme="dark"), tmp_path / "d.png")],
        candles=candles,
        width=800,
        height=400,
    )

    assert written == [tmp_path / "light.svg", tmp_path / "d.png"]
    svg = written[0].read_text()
    assert svg.startswith("<svg") and 'width="800"' in svg and "GBP/USD" in svg
    assert png_pixels(written[1].read_bytes())[:2] == (800, 400)


@pytest.mark.usefixtures("browser")
def test_demo_prints_the_wire_json_and_writes_html_and_png(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--periods", "120", "--out", str(tmp_path / "out")]) == 0

    printed = capsys.readouterr()
    assert json.loads(printed.out)["metadata"]["symbol"] == "GBP/USD"
    for name in ("demo.html", "demo.png"):
        written = tmp_path / "out" / name
        assert written.stat().st_size > 10_000
        assert f"wrote {written}" in printed.err
