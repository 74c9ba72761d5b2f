"""The relayout messages recorded in a real browser (``data/relayout_payloads.json``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PAYLOADS = Path(__file__).parent / "data" / "relayout_payloads.json"


def load_recorded() -> dict[str, Any]:
    """The capture figure's shapes and, per gesture, the messages the browser sent, the plot
    geometry and the (time, price) under the mouse."""
    fixture: dict[str, Any] = json.loads(PAYLOADS.read_text())
    return fixture


def message(recorded: dict[str, Any], gesture: str) -> dict[str, Any]:
    """The single relayout message recorded for ``gesture`` (as the browser sent it)."""
    messages = recorded["gestures"][gesture]["messages"]
    assert len(messages) == 1, f"{gesture}: expected one message, recorded {len(messages)}"
    only: dict[str, Any] = messages[0]
    return only
