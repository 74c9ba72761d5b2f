"""Small builders shared by the sandbox tests."""

from __future__ import annotations

from typing import Any


def drawing(client_object_id: str, price: float = 1.3) -> dict[str, Any]:
    """A valid horizontal line."""
    return {
        "type": "HORIZONTAL_LINE",
        "clientObjectId": client_object_id,
        "points": [{"time": "2026-01-08T12:00:00Z", "price": price}],
        "style": {"color": "#FF0000", "lineWidth": 2, "lineStyle": "SOLID"},
    }
