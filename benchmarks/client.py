"""Overhead of the rai_charts client over bare httpx: create + get round trips.

Starts ``rai-charts sandbox`` in its own process, then sends the same requests two ways over one
keep-alive connection each, alternating round by round (ABBA order) so that drift in machine load
hits both alike:

- bare: httpx with a pre-built JSON body (plus a fresh ``idempotencyKey``, as the client always
  sends one), ``response.json()`` on each answer;
- client: ``client.analyses.create(analysis, ...)`` then ``client.analyses.get(id)``, which also
  validates the analysis, encodes it, and parses both answers into typed models.

It prints the median wall time per round trip (create + get) of each, their ratio, and the median
CPU time of this process per round trip (what the client itself costs, without the server). The
sync and async clients are measured against httpx.Client and httpx.AsyncClient respectively.

    .venv/bin/python benchmarks/client.py [--rounds 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    API_KEY,
    CHANNEL_ID,
    COMMUNITY_ID,
    CREATE_PATH,
    HEADERS,
    SENDER,
    example_body,
    load_average,
    running_server,
)

from rai_charts.api import AsyncClient, Client
from rai_charts.models import Analysis


def example() -> tuple[Analysis, dict[str, Any]]:
    body = example_body()
    analysis = Analysis.model_validate(
        {key: body[key] for key in ("metadata", "levels", "drawings")}
    )
    return analysis, body


def sync_runners(
    base_url: str,
) -> tuple[Callable[[], None], Callable[[], None], Callable[[], None]]:
    analysis, body = example()
    bare_http = httpx.Client(base_url=base_url, headers=HEADERS)
    client = Client(API_KEY, base_url)

    def bare() -> None:
        created = bare_http.post(CREATE_PATH, json={**body, "idempotencyKey": uuid.uuid4().hex})
        created.raise_for_status()
        analysis_id = created.json()["data"]["analysisId"]
        fetched = bare_http.get(f"/v1/analysis/{analysis_id}")
        fetched.raise_for_status()
        fetched.json()

    def ours() -> None:
        detail = client.analyses.create(
            analysis, community_id=COMMUNITY_ID, channel_id=CHANNEL_ID, sender=SENDER
        )
        client.analyses.get(detail.analysis_id)

    def close() -> None:
        bare_http.close()
        client.close()

    return bare, ours, close


def async_runners(
    base_url: str,
) -> tuple[
    Callable[[], Awaitable[None]], Callable[[], Awaitable[None]], Callable[[], Awaitable[None]]
]:
    analysis, body = example()
    bare_http = httpx.AsyncClient(base_url=base_url, headers=HEADERS)
    client = AsyncClient(API_KEY, base_url)

    async def bare() -> None:
        created = await bare_http.post(
            CREATE_PATH, json={**body, "idempotencyKey": uuid.uuid4().hex}
        )
        created.raise_for_status()
        analysis_id = created.json()["data"]["analysisId"]
        fetched = await bare_http.get(f"/v1/analysis/{analysis_id}")
        fetched.raise_for_status()
        fetched.json()

    async def ours() -> None:
        detail = await client.analyses.create(
            analysis, community_id=COMMUNITY_ID, channel_id=CHANNEL_ID, sender=SENDER
        )
        await client.analyses.get(detail.analysis_id)

    async def close() -> None:
        await bare_http.aclose()
        await client.close()

    return bare, ours, close


Timings = dict[str, tuple[list[float], list[float]]]
"""Per side: (wall seconds, CPU seconds) of each round trip."""


def report(name: str, timings: Timings) -> None:
    (bare_wall, bare_cpu), (ours_wall, ours_cpu) = timings["bare"], timings["ours"]
    bare_ms = statistics.median(bare_wall) * 1000
    ours_ms = statistics.median(ours_wall) * 1000
    print(
        f"{name:<6} bare httpx {bare_ms:7.3f} ms   rai_charts {ours_ms:7.3f} ms   "
        f"ratio {ours_ms / bare_ms:5.3f}x   (median wall time per create+get round trip, "
        f"{len(bare_wall)} each)"
    )
    print(
        f"{'':<6} client CPU per round trip: bare httpx {statistics.median(bare_cpu) * 1000:.3f} ms"
        f"   rai_charts {statistics.median(ours_cpu) * 1000:.3f} ms"
    )


WARM_UP = 50
"""Round trips of each side before measuring: connections, imports, server caches."""


def measure_sync(base_url: str, rounds: int) -> None:
    bare, ours, close = sync_runners(base_url)
    timings: Timings = {"bare": ([], []), "ours": ([], [])}
    try:
        for _ in range(WARM_UP):
            bare()
            ours()
        for index in range(rounds):
            order = [("bare", bare), ("ours", ours)]
            for name, run in order if index % 2 == 0 else reversed(order):
                wall, cpu = time.perf_counter(), time.process_time()
                run()
                timings[name][0].append(time.perf_counter() - wall)
                timings[name][1].append(time.process_time() - cpu)
    finally:
        close()
    report("sync", timings)


async def measure_async(base_url: str, rounds: int) -> None:
    bare, ours, close = async_runners(base_url)
    timings: Timings = {"bare": ([], []), "ours": ([], [])}
    try:
        for _ in range(WARM_UP):
            await bare()
            await ours()
        for index in range(rounds):
            order = [("bare", bare), ("ours", ours)]
            for name, run in order if index % 2 == 0 else reversed(order):
                wall, cpu = time.perf_counter(), time.process_time()
                await run()
                timings[name][0].append(time.perf_counter() - wall)
                timings[name][1].append(time.process_time() - cpu)
    finally:
        await close()
    report("async", timings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1000, help="round trips of each side")
    arguments = parser.parse_args(argv)
    print(f"{os.cpu_count()} cores; before: {load_average()}")
    with running_server() as (_, host, port):
        base_url = f"http://{host}:{port}"
        measure_sync(base_url, arguments.rounds)
        asyncio.run(measure_async(base_url, arguments.rounds))
    print(f"after: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
