"""THE route table: every call the client makes is one row here.

A row names the operation, its method and path template (wire names in braces), the API family
it belongs to, whether the docs confirm it or the project assumed it (Part 0 of the wire notes),
and whether it takes an ``idempotencyKey`` that must stay the same across retries. Correcting an
assumed route once the real API is confirmed is an edit of one row.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from pydantic.alias_generators import to_snake

__all__ = ["ROUTES", "Route", "check_object_id"]

ApiFamily = Literal["partner", "integration", "application"]
"""Partner/gateway (``api.returning.ai/v1``), Integration (``/apis/v1``), Application."""

RouteStatus = Literal["confirmed", "assumed"]
"""``confirmed`` when the docs show it, ``assumed`` when Part 0 of the wire notes decided it."""

OBJECT_ID = re.compile(r"[0-9a-fA-F]{24}")


def check_object_id(name: str, value: object) -> str:
    """``value`` when it is a 24-hex ObjectId; else ``ValueError``/``TypeError`` naming ``name``."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str (24-hex ObjectId), got {type(value).__name__}")
    if not value:
        raise ValueError(f"{name} must be a non-empty 24-hex ObjectId, got ''")
    if not OBJECT_ID.fullmatch(value):
        raise ValueError(f"{name} must be a 24-hex ObjectId, got {value!r}")
    return value


@dataclass(frozen=True)
class Route:
    """One operation of the API."""

    name: str
    """``<resource>.<method>``, the client method that calls it."""
    method: str
    """HTTP method."""
    path: str
    """Path template with wire-named parameters, e.g. ``/v1/analysis/{analysisId}``."""
    family: ApiFamily
    """The API family, which decides base URL conventions and envelope style."""
    status: RouteStatus
    """Whether the docs confirm this route or the project assumed it."""
    idempotency_key: bool = False
    """The body carries an ``idempotencyKey``, kept the same on every retry of one call."""
    parameters: tuple[str, ...] = field(init=False)
    """The path's parameter names, in order."""
    argument_names: Mapping[str, str] = field(init=False, repr=False)
    """Each path parameter's Python argument name (``communityId`` -> ``community_id``)."""

    def __post_init__(self) -> None:
        names = tuple(name for _, name, _, _ in string.Formatter().parse(self.path) if name)
        object.__setattr__(self, "parameters", names)
        object.__setattr__(self, "argument_names", {name: to_snake(name) for name in names})

    def build_path(self, values: Mapping[str, str]) -> str:
        """The path with every parameter checked as an ObjectId and filled in."""
        if set(values) != set(self.parameters):
            raise TypeError(
                f"route {self.name} takes path parameters {list(self.parameters)}, "
                f"got {sorted(values)}"
            )
        checked = {
            name: check_object_id(self.argument_names[name], values[name])
            for name in self.parameters
        }
        return self.path.format_map(checked)


_TABLE = (
    Route(
        "analyses.create",
        "POST",
        "/v1/analysis/{communityId}/channels/{channelId}",
        "partner",
        "confirmed",
        idempotency_key=True,
    ),
    Route("analyses.get", "GET", "/v1/analysis/{analysisId}", "partner", "assumed"),
    Route("analyses.update", "PATCH", "/v1/analysis/{analysisId}", "partner", "confirmed"),
    Route("analyses.delete", "DELETE", "/v1/analysis/{analysisId}", "partner", "assumed"),
    Route(
        "analyses.list",
        "GET",
        "/v1/analysis/{communityId}/channels/{channelId}",
        "partner",
        "assumed",
    ),
    Route(
        "analyses.append_drawings",
        "POST",
        "/v1/analysis/{analysisId}/drawings",
        "partner",
        "assumed",
        idempotency_key=True,
    ),
)

ROUTES: Mapping[str, Route] = {route.name: route for route in _TABLE}
"""Every route the client calls, by name."""
