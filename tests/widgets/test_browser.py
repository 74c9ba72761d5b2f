"""The editor in a real browser: JupyterLab on loopback, Debian's Chromium driven by Playwright.

A notebook shows an editor wired to the local API server. In the page: pick Trend line and drag
on the chart, pick Rectangle and drag, type a title, click Publish. Then the server is asked,
over HTTP, for what it stored: a LINE and a RECTANGLE whose points lie within one candle and 1%
of price of where the mouse went. The page is saved as ``test-artifacts/editor.png``.

Without /usr/bin/chromium the test skips, saying how to enable it; under CI=true it fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from browser_harness import (
    PANEL,
    Notebook,
    chromium_page,
    jupyter_lab,
    pixel_to_data,
    plot_pixel,
    require_browser,
    wait_until,
    write_notebook,
)

from rai_charts import Client
from rai_charts.models import AnalysisDetail
from rai_charts.sandbox import SandboxServer, start

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
EDITOR = f"{PANEL} .rai-editor"
PLOT = f"{EDITOR} .js-plotly-plot"
CANDLE = timedelta(hours=1)
TITLE = "Breakout above the morning range"

NOTEBOOK = """
from rai_charts import AnalysisEditor, Client
from rai_charts.candles import sample_candles

client = Client(api_key={api_key!r}, base_url={url!r})
editor = AnalysisEditor(
    sample_candles("GBP/USD", "H1", 120),
    client=client,
    community_id={community_id!r},
    channel_id={channel_id!r},
    sender={sender!r},
    draft_path="draft.json",
)
editor
"""


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with start() as running:
        yield running


def drag_with_tool(notebook: Notebook, tool: str, dragmode: str, start: Any, end: Any) -> Any:
    """Pick ``tool`` on the tool bar, drag from ``start`` to ``end`` (fractions of the plot
    area), and return the (time, price) under the mouse at both ends."""
    page = notebook.page
    page.locator(f"{EDITOR} .rai-tools button", has_text=tool).click()
    page.wait_for_function(
        "([selector, mode]) => document.querySelector(selector)?._fullLayout?.dragmode === mode",
        arg=[PLOT, dragmode],
        timeout=30_000,
    )
    geometry = notebook.plot_geometry(PLOT)
    points = [plot_pixel(geometry, *start), plot_pixel(geometry, *end)]
    notebook.drag(*points)
    return [pixel_to_data(geometry, *point) for point in points]


def near(point: Any, where: tuple[Any, float]) -> bool:
    """Within one candle and 1% of price of ``where``."""
    time, price = where
    return abs(point.time - time.to_pydatetime()) <= CANDLE and abs(point.price - price) <= (
        0.01 * price
    )


def test_draw_title_and_publish_in_jupyterlab(tmp_path: Path, server: SandboxServer) -> None:
    require_browser()
    write_notebook(
        tmp_path / "editor.ipynb",
        [
            NOTEBOOK.format(
                api_key=server.api_key,
                url=server.url,
                community_id=server.community_id,
                channel_id=server.channel_id,
                sender=server.sender,
            )
        ],
    )
    ARTIFACTS.mkdir(exist_ok=True)
    with jupyter_lab(tmp_path) as lab, chromium_page() as page:
        notebook = Notebook(page, lab, "editor.ipynb")
        try:
            notebook.run_cell(0)
            page.wait_for_function(
                "selector => document.querySelector(selector)?._fullLayout?.xaxis?._length",
                arg=PLOT,
                timeout=90_000,
            )
            options = page.locator(f"{EDITOR} .rai-drawings option")
            line_mouse = drag_with_tool(
                notebook, "Trend line", "drawline", (0.15, 0.75), (0.4, 0.3)
            )
            wait_until(lambda: options.count() == 1, timeout=30, what="the line in the list")
            zone_mouse = drag_with_tool(notebook, "Rectangle", "drawrect", (0.55, 0.25), (0.8, 0.6))
            wait_until(lambda: options.count() == 2, timeout=30, what="the zone in the list")
            title = page.locator(f"{EDITOR} .rai-field-title input")
            title.fill(TITLE)
            title.press("Enter")
            page.wait_for_function(
                "([selector, title]) => document.querySelector(selector)"
                "?._fullLayout?.title?.text?.includes(title)",
                arg=[PLOT, TITLE],
                timeout=30_000,
            )
            page.locator(f"{EDITOR} .rai-publish").click()
            status = page.locator(f"{EDITOR} .rai-status")
            wait_until(lambda: "Synced" in status.inner_text(), timeout=30, what="Synced")
        finally:
            page.screenshot(path=str(ARTIFACTS / "editor.png"), full_page=True)
        console_errors = list(page.console_errors)

    with Client(api_key=server.api_key, base_url=server.url) as client:
        listed = list(
            client.analyses.list(community_id=server.community_id, channel_id=server.channel_id)
        )
        mine = [summary for summary in listed if summary.title == TITLE]
        assert len(mine) == 1, [summary.title for summary in listed]
        stored: AnalysisDetail = client.analyses.get(mine[0].analysis_id)
    kinds = {drawing.type: drawing for drawing in stored.drawings}
    assert sorted(kinds) == ["LINE", "RECTANGLE"], console_errors
    line, zone = kinds["LINE"], kinds["RECTANGLE"]
    for point, where in zip(line.points, line_mouse, strict=True):  # type: ignore[union-attr]
        assert near(point, where), (point, where)
    corners = sorted(zone.points, key=lambda point: point.time)  # type: ignore[union-attr]
    dragged = sorted(zone_mouse, key=lambda where: where[0])
    for point, where in zip(corners, dragged, strict=True):
        assert near(point, where), (point, where)
