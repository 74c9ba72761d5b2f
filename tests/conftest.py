"""Shared fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).parent / "models" / "data"


@pytest.fixture
def create_example() -> dict[str, Any]:
    """The documented create body (section 5 of the wire notes)."""
    return json.loads((DATA / "create_example.json").read_text())


@pytest.fixture
def create_example_all_types() -> dict[str, Any]:
    """The documented create body plus a PARALLEL and a FIBONACCI_RETRACEMENT drawing."""
    return json.loads((DATA / "create_example_all_types.json").read_text())
