"""A real JupyterLab on loopback driven by Debian's Chromium through Playwright.

Used by the browser test and by ``capture_relayout_payloads.py``. JupyterLab gets private
runtime, settings and workspace directories (so no news toast, no restored tabs) and a free
port; :class:`JupyterLab` stops it and everything it started.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
"""The visible notebook; every selector is scoped to it."""
PLOT = f"{PANEL} .js-plotly-plot"
HOW_TO_ENABLE = (
    "Debian's chromium is not installed at /usr/bin/chromium; enable the browser tests with "
    "`sudo apt-get install chromium` (or run `make test` as root, which installs it)"
)


def require_browser(chromium: Path = CHROMIUM) -> None:
    """Skip the calling test when Debian's Chromium (or Playwright) is missing, saying how to
    enable it; under ``CI=true`` fail instead."""
    import pytest

    missing = None
    if not chromium.exists():
        missing = HOW_TO_ENABLE
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "Playwright's Python package is missing: pip install -e '.[dev]'"
    if missing is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and the browser test cannot run: {missing}")
    pytest.skip(missing)


def wait_until(condition: Callable[[], Any], *, timeout: float, what: str) -> Any:
    """Poll ``condition`` until it returns something truthy; fail naming ``what`` after
    ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)


def write_notebook(path: Path, cells: list[str]) -> None:
    """A notebook of code cells for the default Python 3 kernel."""
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(notebook, path)


@dataclass
class JupyterLab:
    """A running JupyterLab server."""

    url: str
    """Base URL, e.g. ``http://127.0.0.1:40123/``."""
    token: str
    """The server's token."""
    process: subprocess.Popen[bytes]
    """The server process (leader of its own process group, so kernels stop with it)."""
    log_path: Path
    """Where the server writes its log."""

    def page_url(self, notebook: str) -> str:
        """Where the browser opens ``notebook`` (relative to the root directory)."""
        return f"{self.url}lab/tree/{notebook}?token={self.token}&reset"

    def start_kernel(self, notebook: str) -> None:
        """Start the notebook's kernel through the REST API before the page opens, so the
        page attaches to it instead of asking which kernel to start."""
        request = urllib.request.Request(
            f"{self.url}api/sessions",
            data=json.dumps(
                {"path": notebook, "type": "notebook", "kernel": {"name": "python3"}}
            ).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=60):
            pass

    def log(self) -> str:
        """The server log so far (for failure messages)."""
        return self.log_path.read_text(errors="replace")[-4000:]


@contextmanager
def jupyter_lab(root_dir: Path, *, token: str = "rai-charts-test") -> Iterator[JupyterLab]:
    """A JupyterLab serving ``root_dir`` on a free loopback port, stopped on exit."""
    home = Path(tempfile.mkdtemp(prefix="rai-charts-lab-"))
    settings = home / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    # The news and update checks would try the network and cover the notebook with a toast.
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    env = dict(
        os.environ,
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
    )
    log_path = home / "jupyter.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyterlab",
                "--no-browser",
                "--allow-root",
                "--ip=127.0.0.1",
                "--port=0",
                f"--ServerApp.token={token}",
                f"--ServerApp.root_dir={root_dir}",
            ],
            cwd=root_dir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:

        def server_info() -> dict[str, Any] | None:
            if process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited early:\n{log_path.read_text()[-4000:]}")
            for info_file in (home / "runtime").glob("jpserver-*.json"):
                info: dict[str, Any] = json.loads(info_file.read_text())
                return info
            return None

        info = wait_until(server_info, timeout=90, what="JupyterLab to start")
        lab = JupyterLab(
            url=f"http://127.0.0.1:{info['port']}/",
            token=token,
            process=process,
            log_path=log_path,
        )

        def answers() -> bool:
            try:
                with urllib.request.urlopen(f"{lab.url}api/status?token={token}", timeout=5):
                    return True
            except OSError:
                return False

        wait_until(answers, timeout=60, what="JupyterLab to answer")
        yield lab
    finally:
        _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server's process group (the server and the kernels it started)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)
    # Kernels outlive a server killed mid-shutdown; they share its process group.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def chromium_page(viewport: tuple[int, int] = (1400, 1000)) -> Iterator[Any]:
    """A fresh headless Chromium page (Debian's browser, never a downloaded one)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
            page.console_errors = []
            page.on(
                "console",
                lambda message: (
                    page.console_errors.append(message.text) if message.type == "error" else None
                ),
            )
            yield page
        finally:
            browser.close()


class Notebook:
    """The open notebook in a JupyterLab page: run cells, find and drag on its plotly chart."""

    def __init__(self, page: Any, lab: JupyterLab, notebook: str) -> None:
        self.page = page
        lab.start_kernel(notebook)
        page.goto(lab.page_url(notebook))
        page.wait_for_selector(
            f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status=idle]", timeout=90_000
        )

    def run_cell(self, index: int, *, timeout: float = 90) -> None:
        """Run code cell ``index`` and wait until it has finished."""
        cell = self.page.locator(f"{PANEL} .jp-CodeCell").nth(index)
        prompt = cell.locator(".jp-InputPrompt")

        def finished() -> bool:
            text = prompt.inner_text()
            return bool(re.search(r"\[\d+\]", text))

        def queued() -> bool:
            return bool(re.search(r"\[(\*|\d+)\]", prompt.inner_text()))

        def started() -> bool:
            # A key press right after the kernel reports idle can be dropped: press again,
            # but only while the prompt still shows the cell as not run (never run it twice).
            if queued():
                return True
            self.accept_dialog()
            cell.locator(".jp-InputArea-editor").click()
            self.page.keyboard.press("Control+Enter")
            return bool(wait_or_false(queued, 10))

        wait_until(started, timeout=30, what=f"cell {index} to start")
        wait_until(finished, timeout=timeout, what=f"cell {index} to finish")

    def accept_dialog(self) -> None:
        """Accept a dialog covering the notebook (e.g. "Select Kernel"), if one is open."""
        accept = self.page.locator(".jp-Dialog .jp-mod-accept")
        if accept.count():
            accept.first.click()

    def plot_geometry(self, selector: str = PLOT) -> dict[str, Any]:
        """Where the first plot matching ``selector`` has its axes on the page, and which
        ranges they show."""
        plot = self.page.locator(selector).first
        plot.scroll_into_view_if_needed()
        geometry: dict[str, Any] = plot.evaluate(
            """plot => {
                const box = plot.getBoundingClientRect();
                const x = plot._fullLayout.xaxis, y = plot._fullLayout.yaxis;
                return {left: box.left + x._offset, top: box.top + y._offset,
                        width: x._length, height: y._length,
                        xRange: x.range, yRange: y.range};
            }"""
        )
        return geometry

    def drag(self, start: tuple[float, float], end: tuple[float, float], steps: int = 12) -> None:
        """Press the left button at ``start``, move to ``end`` in steps, release."""
        mouse = self.page.mouse
        mouse.move(*start)
        mouse.down()
        for step in range(1, steps + 1):
            fraction = step / steps
            mouse.move(
                start[0] + (end[0] - start[0]) * fraction,
                start[1] + (end[1] - start[1]) * fraction,
            )
        mouse.up()


def wait_or_false(condition: Callable[[], Any], timeout: float) -> Any:
    """Like :func:`wait_until`, but return False instead of failing."""
    try:
        return wait_until(condition, timeout=timeout, what="")
    except TimeoutError:
        return False


def pixel_to_data(geometry: dict[str, Any], x: float, y: float) -> tuple[Any, float]:
    """Page pixel to (UTC time, price) through the axis ranges shown (date x axis)."""
    import pandas as pd

    start, end = (pd.Timestamp(value) for value in geometry["xRange"])
    low, high = geometry["yRange"]
    x_fraction = (x - geometry["left"]) / geometry["width"]
    y_fraction = (y - geometry["top"]) / geometry["height"]
    time = (start + (end - start) * x_fraction).tz_localize("UTC")
    return time, high - (high - low) * y_fraction


def plot_pixel(geometry: dict[str, Any], fx: float, fy: float) -> tuple[float, float]:
    """The page pixel at fractions ``fx`` (left to right) and ``fy`` (top to bottom) of the
    plot area."""
    return geometry["left"] + fx * geometry["width"], geometry["top"] + fy * geometry["height"]
