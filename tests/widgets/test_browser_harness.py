"""The browser test's own rules: skip without a browser, fail under CI, convert pixels right.

Chromium is installed on this machine, so a missing one is simulated with a path that does not
exist; that is the only stand-in.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from browser_harness import pixel_to_data, plot_pixel, require_browser

NOWHERE = Path("/nonexistent/chromium")


def test_missing_browser_skips_with_how_to_enable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        require_browser(NOWHERE)


def test_missing_browser_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        require_browser(NOWHERE)


def test_pixels_convert_through_the_axis_ranges() -> None:
    geometry = {
        "left": 100,
        "top": 50,
        "width": 400,
        "height": 200,
        "xRange": ["2026-01-05 00:00:00", "2026-01-05 04:00:00"],
        "yRange": [1.0, 2.0],
    }
    x, y = plot_pixel(geometry, 0.25, 0.75)
    assert (x, y) == (200, 200)
    assert pixel_to_data(geometry, x, y) == (pd.Timestamp("2026-01-05 01:00:00", tz="UTC"), 1.25)
