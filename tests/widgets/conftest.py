"""Fixtures of the widget tests."""

from __future__ import annotations

from typing import Any

import pytest
from recorded_payloads import load_recorded


@pytest.fixture(scope="session")
def recorded() -> dict[str, Any]:
    """Relayout messages recorded in a real browser (see ``recorded_payloads.py``)."""
    return load_recorded()
