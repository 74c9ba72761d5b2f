"""Colors of the light and dark chart themes, close to TradingView's defaults."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

ThemeName = Literal["light", "dark"]

FIBONACCI_COLORS: dict[float, str] = {
    0.0: "#787B86",
    0.236: "#F23645",
    0.382: "#FF9800",
    0.5: "#4CAF50",
    0.618: "#089981",
    0.786: "#00BCD4",
    1.0: "#787B86",
    1.618: "#2962FF",
    2.618: "#F23645",
    3.618: "#9C27B0",
    4.236: "#E91E63",
}
"""Line color of each common Fibonacci ratio when the drawing sets no color."""

LEVEL_COLORS: dict[str, str] = {"support": "#089981", "pivot": "#FF9800", "resistance": "#F23645"}
"""Line color of each key level."""


@dataclass(frozen=True)
class Theme:
    """The colors one chart theme paints with."""

    name: ThemeName
    """``light`` or ``dark``."""
    background: str
    """Paper and plot background."""
    grid: str
    """Grid lines."""
    text: str
    """Titles, axis labels and notes."""
    muted: str
    """Secondary text, the Fibonacci anchor line and the expiry marker."""
    rising: str
    """Candles that closed up."""
    falling: str
    """Candles that closed down."""
    drawing: str
    """Lines and channels that set no color."""
    area: str
    """Rectangles that set no color."""
    tag_text: str
    """Text on the colored price tags of the price axis."""
    expired: str
    """Fill of the region after the expiry, with its transparency."""


THEMES: dict[str, Theme] = {
    "light": Theme(
        name="light",
        background="#FFFFFF",
        grid="#F0F3FA",
        text="#131722",
        muted="#787B86",
        rising="#089981",
        falling="#F23645",
        drawing="#2962FF",
        area="#9C27B0",
        tag_text="#FFFFFF",
        expired="rgba(120, 123, 134, 0.10)",
    ),
    "dark": Theme(
        name="dark",
        background="#131722",
        grid="#2A2E39",
        text="#D1D4DC",
        muted="#868993",
        rising="#089981",
        falling="#F23645",
        drawing="#2962FF",
        area="#B249C6",
        tag_text="#FFFFFF",
        expired="rgba(134, 137, 147, 0.16)",
    ),
}
"""Every theme by name."""


def get_theme(name: str) -> Theme:
    """The theme called ``name``; ``ValueError`` listing the themes for any other name."""
    try:
        return THEMES[name]
    except (KeyError, TypeError):
        raise ValueError(f"theme must be one of {', '.join(THEMES)}, got {name!r}") from None


def translucent(color: str, opacity: float) -> str:
    """``#RRGGBB`` as an ``rgba(...)`` color with the given opacity."""
    red, green, blue = (int(color[index : index + 2], 16) for index in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {opacity:g})"


def base_layout(theme: Theme) -> dict[str, Any]:
    """Layout keys every figure of ``theme`` starts from."""
    axis = {
        "gridcolor": theme.grid,
        "linecolor": theme.grid,
        "zeroline": False,
        "tickfont": {"color": theme.text},
    }
    return {
        "template": "none",
        "paper_bgcolor": theme.background,
        "plot_bgcolor": theme.background,
        "font": {"family": "Trebuchet MS, Roboto, Ubuntu, sans-serif", "color": theme.text},
        "showlegend": False,
        "hovermode": "x",
        "margin": {"l": 10, "r": 80, "t": 70, "b": 40},
        "xaxis": {**axis, "type": "date", "rangeslider": {"visible": False}},
        "yaxis": {**axis, "side": "right", "automargin": True},
        "uirevision": "rai_charts",
    }
