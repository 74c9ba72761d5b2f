"""Figures to files: self-contained HTML, and images (PNG, SVG, ...) drawn by a headless browser.

Images go through kaleido, which drives a Chromium already installed on the machine (Debian:
``apt-get install chromium``); a browser is never downloaded. Starting the browser takes
seconds, so :func:`image_session` (and :func:`export_many`) keep one open for many images.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import shutil
import threading
from collections.abc import Coroutine, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, Union

from rai_charts._exceptions import RenderError
from rai_charts.models import Analysis

from ._figure import DEFAULT_MAX_CANDLES, figure
from ._theme import ThemeName

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from rai_charts.candles import CandleInput

IMAGE_FORMATS: dict[str, str] = {
    ".png": "png",
    ".svg": "svg",
    ".jpg": "jpg",
    ".jpeg": "jpg",
    ".webp": "webp",
    ".pdf": "pdf",
}
"""File suffix to the image format kaleido writes."""

DEFAULT_WIDTH = 1200
"""Image width in pixels unless told otherwise."""
DEFAULT_HEIGHT = 600
"""Image height in pixels unless told otherwise (also the HTML page's chart height)."""

BROWSER_NAMES: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome", "chrome")
"""Executables looked up on ``PATH`` when ``BROWSER_PATH`` is not set."""

RENDER_TIMEOUT_SECONDS = 120.0
"""Longest wait for the browser to start or to draw one image."""

FigureOrAnalysis = Union["go.Figure", Analysis]
"""What :func:`export` writes: a figure, or an analysis drawn over ``candles``."""

_Result = TypeVar("_Result")


def find_browser() -> str:
    """The Chromium executable for images: ``BROWSER_PATH``, else the first on ``PATH``.

    Raises :class:`~rai_charts.RenderError` saying what to install or set when there is none.
    """
    configured = os.environ.get("BROWSER_PATH")
    if configured:
        if os.path.isfile(configured) and os.access(configured, os.X_OK):
            return configured
        raise RenderError(
            f"BROWSER_PATH={configured!r} is not an executable file; point it at Chromium "
            "(Debian: apt-get install chromium, then /usr/bin/chromium) or unset it"
        )
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise RenderError(
        "image export needs a Chromium browser and none was found (BROWSER_PATH is unset and "
        f"none of {', '.join(BROWSER_NAMES)} is on PATH). Install one (Debian: "
        "apt-get install chromium) or set BROWSER_PATH; HTML export works without a browser."
    )


class _Browser:
    """One headless browser, driven by kaleido on its own event-loop thread.

    A private loop keeps image export working inside Jupyter, whose own loop is running.
    """

    def __init__(self, executable: str) -> None:
        try:
            import kaleido
        except ImportError:
            raise RenderError(
                "image export needs the kaleido package: pip install 'rai-charts[export]'"
            ) from None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="rai-charts-browser", daemon=True
        )
        self._thread.start()
        try:
            self._kaleido = self._run(self._open(kaleido, executable))
        except BaseException as error:
            self._stop()
            if isinstance(error, RenderError):
                raise
            raise RenderError(f"could not start the browser {executable}: {error}") from error

    @staticmethod
    async def _open(kaleido: Any, executable: str) -> Any:
        # mathjax=False: no CDN script to wait for; our figures carry no LaTeX.
        browser = kaleido.Kaleido(path=executable, mathjax=False)
        await browser.open()
        return browser

    def render(self, figure: go.Figure, image_format: str, width: int, height: int) -> bytes:
        """The figure drawn as an image, in bytes."""
        options = {"format": image_format, "width": width, "height": height}
        try:
            image: bytes = self._run(self._kaleido.calc_fig(figure, opts=options))
        except RenderError:
            raise
        except Exception as error:
            raise RenderError(f"the browser could not draw the figure: {error}") from error
        return image

    def close(self) -> None:
        """Close the browser and end the thread."""
        try:
            self._run(self._kaleido.close())
        finally:
            self._stop()

    def _run(self, coroutine: Coroutine[Any, Any, _Result]) -> _Result:
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(RENDER_TIMEOUT_SECONDS)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise RenderError(
                f"the browser did not answer within {RENDER_TIMEOUT_SECONDS:g} s"
            ) from None

    def _stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(RENDER_TIMEOUT_SECONDS)
        self._loop.close()


_session_lock = threading.RLock()
_session: _Browser | None = None


@contextmanager
def image_session() -> Iterator[None]:
    """Keep one browser open for every image :func:`export` writes inside the block.

    Without it each image starts (and closes) its own browser, about three seconds each.
    Nested sessions share the outer one. Raises :class:`~rai_charts.RenderError` when no
    browser can be started.
    """
    global _session
    with _session_lock:
        if _session is not None:
            yield
            return
        _session = _Browser(find_browser())
        try:
            yield
        finally:
            browser, _session = _session, None
            browser.close()


def export(
    figure_or_analysis: FigureOrAnalysis,
    path: str | os.PathLike[str],
    *,
    candles: CandleInput | str | os.PathLike[str] | None = None,
    width: int | None = None,
    height: int | None = None,
    theme: ThemeName = "light",
    max_candles: int | None = DEFAULT_MAX_CANDLES,
) -> Path:
    """Write a figure, or an analysis drawn over ``candles``, to ``path``; returns the path.

    The suffix picks the format: ``.html`` is one self-contained page (plotly.js inlined,
    opens offline); ``.png``, ``.svg``, ``.jpg``, ``.webp`` and ``.pdf`` are drawn by a
    headless Chromium at ``width`` x ``height`` pixels (default 1200 x 600; an HTML page fills
    the window's width unless ``width`` is given). ``theme`` and ``max_candles`` apply when
    an analysis is drawn. The file is written whole or not at all; missing parent folders
    are created.

    Raises ``ValueError`` for an unknown suffix or an analysis without candles, and
    :class:`~rai_charts.RenderError` when an image is asked for and no browser can draw it.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix != ".html" and suffix not in IMAGE_FORMATS:
        raise ValueError(
            f"cannot export to {target.name!r}: the suffix must be .html or one of "
            f"{', '.join(IMAGE_FORMATS)}"
        )
    chart = _as_figure(figure_or_analysis, candles, theme, max_candles)
    if suffix == ".html":
        page = chart.to_html(
            include_plotlyjs=True,
            full_html=True,
            default_width=f"{width}px" if width else "100%",
            default_height=f"{height or DEFAULT_HEIGHT}px",
            config={"displaylogo": False, "responsive": True},
        )
        content = page.encode("utf-8")
    else:
        with image_session():
            assert _session is not None  # image_session() opened it or an outer one did
            content = _session.render(
                chart, IMAGE_FORMATS[suffix], width or DEFAULT_WIDTH, height or DEFAULT_HEIGHT
            )
        if not content:
            raise RenderError(f"the browser returned an empty {suffix} image")
    _write_whole(target, content)
    return target


def export_many(
    items: Iterable[tuple[FigureOrAnalysis, str | os.PathLike[str]]],
    *,
    candles: CandleInput | str | os.PathLike[str] | None = None,
    width: int | None = None,
    height: int | None = None,
    theme: ThemeName = "light",
) -> list[Path]:
    """:func:`export` each ``(figure or analysis, path)`` pair with one browser for all.

    Analyses are drawn over ``candles``. Returns the paths written, in order.
    """
    with image_session():
        return [
            export(item, path, candles=candles, width=width, height=height, theme=theme)
            for item, path in items
        ]


def _as_figure(
    item: FigureOrAnalysis,
    candles: CandleInput | str | os.PathLike[str] | None,
    theme: ThemeName,
    max_candles: int | None,
) -> go.Figure:
    if isinstance(item, Analysis):
        if candles is None:
            raise ValueError("exporting an analysis needs its candles: pass candles=...")
        return figure(candles, item, theme=theme, max_candles=max_candles)
    from plotly.basedatatypes import BaseFigure

    if not isinstance(item, BaseFigure):
        raise TypeError(f"export takes a plotly Figure or an Analysis, got {type(item).__name__}")
    return item


def _write_whole(target: Path, content: bytes) -> None:
    """Write through a temporary file and rename, so a failure never leaves half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        temporary.write_bytes(content)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
