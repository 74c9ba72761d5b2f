"""Record the relayout messages a real browser sends for each editor gesture.

Writes ``tests/widgets/data/relayout_payloads.json``, the fixtures of ``test_events.py``. Run it
again after a plotly upgrade (``.venv/bin/python tests/widgets/capture_relayout_payloads.py``)
and check the tests still pass.

The figure is a plain plotly ``FigureWidget`` with shapes named the way the renderer names them
(``<clientObjectId>/<role>``), so the payloads do not depend on the renderer's styling. Each
message is stored as the browser sent it (``"_undefined_"`` where plotly.js had no value), ready
for ``FigureWidget.set_state`` to deserialize like a real one.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from browser_harness import (
    PLOT,
    Notebook,
    chromium_page,
    jupyter_lab,
    pixel_to_data,
    plot_pixel,
    wait_until,
    write_notebook,
)

DATA = Path(__file__).parent / "data" / "relayout_payloads.json"

SETUP = """
import json
import plotly.graph_objects as go
from plotly.basedatatypes import Undefined
from rai_charts.candles import sample_candles

candles = sample_candles("GBP/USD", "H1", 60)
times = candles.index.tz_localize(None)
figure = go.FigureWidget(go.Figure(go.Candlestick(
    x=times, open=candles.open, high=candles.high, low=candles.low, close=candles.close)))
figure.update_layout(width=900, height=500, margin=dict(l=60, r=20, t=20, b=40),
                     xaxis_rangeslider_visible=False, dragmode="pan")
figure.layout.shapes = SHAPES

def encode(value):
    if value is Undefined:
        return "_undefined_"
    if isinstance(value, dict):
        return {key: encode(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(item) for item in value]
    return value

def record(change):
    if change["new"]:
        with open("messages.jsonl", "a") as file:
            file.write(json.dumps(encode(change["new"])) + "\\n")

figure.observe(record, names="_js2py_relayout")
figure
"""

DIRECTION = "figure.layout.newshape.drawdirection"
TOOLS = {
    "pan": f"figure.layout.dragmode = 'pan'; {DIRECTION} = 'diagonal'",
    "line": f"figure.layout.dragmode = 'drawline'; {DIRECTION} = 'diagonal'",
    "horizontal": f"figure.layout.dragmode = 'drawline'; {DIRECTION} = 'horizontal'",
    "rectangle": "figure.layout.dragmode = 'drawrect'",
    "zoom": "figure.layout.dragmode = 'zoom'",
}


def figure_shapes() -> list[dict[str, Any]]:
    """The shapes the capture figure starts with (renderer-style names, all editable)."""
    from rai_charts.candles import sample_candles

    candles = sample_candles("GBP/USD", "H1", 60)
    times = [time.strftime("%Y-%m-%d %H:%M:%S") for time in candles.index]

    def line(name: str, a: int, b: int, dash: str = "solid") -> dict[str, Any]:
        return {
            "type": "line",
            "name": name,
            "editable": True,
            "xref": "x",
            "yref": "y",
            "x0": times[a],
            "y0": float(candles.low.iloc[a]),
            "x1": times[b],
            "y1": float(candles.high.iloc[b]),
            "line": {"color": "#2962FF", "width": 3, "dash": dash},
        }

    return [
        line("trend/line", 10, 20),
        {
            "type": "rect",
            "name": "zone/box",
            "editable": True,
            "xref": "x",
            "yref": "y",
            "x0": times[30],
            "y0": float(candles.low.iloc[30:40].min()),
            "x1": times[40],
            "y1": float(candles.high.iloc[30:40].max()),
            "fillcolor": "rgba(41, 98, 255, 0.25)",
            "line": {"color": "#2962FF", "width": 1, "dash": "solid"},
        },
        {
            "type": "line",
            "name": "support/level",
            "editable": True,
            "xref": "x domain",
            "yref": "y",
            "x0": 0,
            "x1": 1,
            "y0": float(candles.high.max()),
            "y1": float(candles.high.max()),
            "line": {"color": "#089981", "width": 2, "dash": "dash"},
        },
        line("fib/anchor", 45, 55, "dash"),
    ]


def shape_point(notebook: Notebook, index: int, where: str) -> tuple[float, float]:
    """Page pixel of shape ``index``: its ``middle``, ``end`` (x1, y1), ``left`` edge or
    ``quarter`` (a quarter of the way from its start)."""
    notebook.page.locator(PLOT).first.scroll_into_view_if_needed()
    point: list[float] = notebook.page.locator(PLOT).first.evaluate(
        """(plot, [index, where]) => {
            const shape = plot._fullLayout.shapes[index];
            const x = plot._fullLayout.xaxis, y = plot._fullLayout.yaxis;
            const box = plot.getBoundingClientRect();
            const px = value => shape.xref === 'x domain' ? value * x._length
                                                          : x.r2p(x.d2r(value));
            const x0 = px(shape.x0), x1 = px(shape.x1);
            const y0 = y.d2p(shape.y0), y1 = y.d2p(shape.y1);
            const at = {middle: [(x0 + x1) / 2, (y0 + y1) / 2], end: [x1, y1],
                        left: [x0, (y0 + y1) / 2],
                        quarter: [x0 + (x1 - x0) / 4, y0 + (y1 - y0) / 4]}[where];
            return [box.left + x._offset + at[0], box.top + y._offset + at[1]];
        }""",
        [index, where],
    )
    return point[0], point[1]


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="rai-charts-capture-"))
    shapes = figure_shapes()
    cells = [SETUP.replace("SHAPES", repr(shapes)), *TOOLS.values(), "figure.layout.shapes"]
    write_notebook(root / "capture.ipynb", cells)
    tool_cell = {name: index + 1 for index, name in enumerate(TOOLS)}
    messages = root / "messages.jsonl"
    captured: dict[str, Any] = {}

    def received() -> list[dict[str, Any]]:
        if not messages.exists():
            return []
        return [json.loads(line) for line in messages.read_text().splitlines()]

    with jupyter_lab(root) as lab, chromium_page() as page:
        notebook = Notebook(page, lab, "capture.ipynb")
        notebook.run_cell(0)
        page.wait_for_function(
            "() => document.querySelector('.js-plotly-plot')?._fullLayout?.shapes?.length"
        )

        def settle(name: str, before: int) -> list[dict[str, Any]]:
            wait_until(lambda: len(received()) > before, timeout=20, what=f"{name} payload")
            time.sleep(0.5)  # a gesture may send a second message right after the first
            return received()[before:]

        def draw(
            name: str, tool: str, start: tuple[float, float], end: tuple[float, float]
        ) -> None:
            notebook.run_cell(tool_cell[tool])
            before = len(received())
            geometry = notebook.plot_geometry()
            points = [plot_pixel(geometry, *start), plot_pixel(geometry, *end)]
            notebook.drag(*points)
            captured[name] = {
                "messages": settle(name, before),
                "geometry": geometry,
                "mouse": [list(pixel_to_data_text(geometry, *p)) for p in points],
            }

        def edit(name: str, index: int, grab: str, offset: tuple[float, float]) -> None:
            notebook.run_cell(tool_cell["pan"])
            before = len(received())
            geometry = notebook.plot_geometry()
            # plotly.js 4 moves an editable shape only once a click has activated it; a click
            # on an active shape deactivates it, so first click where there is no shape.
            page.mouse.click(*plot_pixel(geometry, 0.99, 0.01))
            page.wait_for_timeout(300)
            activate = shape_point(notebook, index, grab if grab != "end" else "middle")
            page.mouse.click(*activate)
            page.wait_for_timeout(300)
            start = shape_point(notebook, index, grab)
            end = (start[0] + offset[0], start[1] + offset[1])
            notebook.drag(start, end)
            captured[name] = {
                "messages": settle(name, before),
                "geometry": geometry,
                "mouse": [list(pixel_to_data_text(geometry, *p)) for p in (start, end)],
            }

        draw("draw_line", "line", (0.1, 0.8), (0.3, 0.3))
        draw("draw_rectangle", "rectangle", (0.5, 0.2), (0.7, 0.5))
        draw("draw_horizontal_line", "horizontal", (0.2, 0.6), (0.6, 0.62))
        edit("move_line", 0, "middle", (40, 30))
        edit("resize_line", 0, "end", (30, -20))
        edit("move_rectangle", 1, "left", (-30, 20))
        edit("move_level", 2, "quarter", (0, 25))
        draw("zoom", "zoom", (0.2, 0.2), (0.6, 0.8))
        notebook.run_cell(tool_cell["pan"])
        before = len(received())
        geometry = notebook.plot_geometry()
        page.mouse.dblclick(*plot_pixel(geometry, 0.5, 0.5))
        captured["autoscale"] = {"messages": settle("autoscale", before), "geometry": geometry}
        page.screenshot(path=str(root / "capture.png"))
    DATA.parent.mkdir(parents=True, exist_ok=True)
    fixture = {
        "about": (
            "Relayout messages recorded from JupyterLab in headless Chromium by "
            "capture_relayout_payloads.py; mouse holds the (time, price) under the pointer at "
            "the start and end of each drag."
        ),
        "candles": {"symbol": "GBP/USD", "timeframe": "H1", "periods": 60},
        "shapes": shapes,
        "gestures": captured,
    }
    DATA.write_text(json.dumps(fixture, indent=1) + "\n")
    print(f"wrote {DATA} ({len(captured)} gestures); screenshot in {root / 'capture.png'}")


def pixel_to_data_text(geometry: dict[str, Any], x: float, y: float) -> tuple[str, float]:
    """(ISO time with Z, price) under page pixel ``(x, y)``."""
    when, price = pixel_to_data(geometry, x, y)
    return when.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), price


if __name__ == "__main__":
    sys.exit(main())
