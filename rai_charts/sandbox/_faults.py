"""Fault injection: latency, 500s, 429s and "commit, then drop the connection", per route.

Faults are off until an admin request adds one. Each request of a matching route consumes one
use of every matching fault that has a ``times`` budget; a fault whose budget is spent is gone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import Field

from rai_charts.models import WireModel

RouteName = Literal["create", "get", "update", "delete", "list", "append", "*"]


class RateLimit(WireModel):
    """Answer 429 with this ``Retry-After``."""

    retry_after: int = Field(ge=0)
    """Seconds, sent in the ``Retry-After`` header."""


class FaultSpec(WireModel):
    """Body of ``POST /_sandbox/faults``."""

    route: RouteName
    """The operation it hits, or ``*`` for all six."""
    latency_ms: int | None = Field(default=None, ge=0, le=60_000)
    """Delay added before the request is handled."""
    error_rate: float | None = Field(default=None, ge=0, le=1)
    """Fraction of requests answered 500 without being handled."""
    rate_limit: RateLimit | None = None
    """Answer 429 without handling the request."""
    drop_after_commit: bool | None = None
    """Handle and commit, then drop the connection before the response is complete."""
    times: int | None = Field(default=None, ge=1)
    """Apply to the next N matching requests only; unset means until cleared."""


class Fault(FaultSpec):
    """A fault as stored."""

    fault_id: int
    """Its id."""
    remaining: int | None = None
    """Uses left; ``None`` means unlimited."""


@dataclass
class Effect:
    """What the faults matching one request do to it."""

    latency_seconds: float = 0.0
    """Wait this long first."""
    retry_after: int | None = None
    """Answer 429 with this Retry-After, when set."""
    fail: bool = False
    """Answer 500."""
    drop_after_commit: bool = False
    """Drop the connection after committing."""


@dataclass
class Faults:
    """The active faults of one server."""

    faults: list[Fault] = field(default_factory=list)
    _next_id: int = 1
    _random: random.Random = field(default_factory=random.Random)

    def add(self, spec: FaultSpec) -> Fault:
        """Store a fault; it applies from the next request on."""
        fault = Fault.model_validate(
            {**spec.model_dump(), "fault_id": self._next_id, "remaining": spec.times}
        )
        self._next_id += 1
        self.faults.append(fault)
        return fault

    def clear(self) -> None:
        """Remove every fault."""
        self.faults.clear()

    def listing(self) -> list[dict[str, Any]]:
        """The active faults, wire form."""
        return [fault.to_wire() for fault in self.faults]

    def effect(self, route: str) -> Effect:
        """What the faults do to one request of ``route`` (consuming their budgets)."""
        effect = Effect()
        for fault in list(self.faults):
            if fault.route not in (route, "*"):
                continue
            if fault.remaining is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self.faults.remove(fault)
            effect.latency_seconds += (fault.latency_ms or 0) / 1000
            if fault.rate_limit is not None and effect.retry_after is None:
                effect.retry_after = fault.rate_limit.retry_after
            if fault.error_rate and self._random.random() < fault.error_rate:
                effect.fail = True
            effect.drop_after_commit = effect.drop_after_commit or bool(fault.drop_after_commit)
        return effect
