"""Fixtures of the render tests."""

from __future__ import annotations

import pandas as pd
import pytest

from rai_charts.candles import sample_candles


@pytest.fixture(scope="session")
def candles() -> pd.DataFrame:
    """200 H1 candles, 2025-12-31 17:00 to 2026-01-09 00:00 UTC."""
    return sample_candles("GBP/USD", "H1", 200)
