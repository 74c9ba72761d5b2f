"""Throughput and latency of the sandbox server over real loopback HTTP.

Starts ``rai-charts sandbox`` in its own process (so the server and the load generator do not
share a GIL), then drives it with a fixed number of requests over N concurrent keep-alive
connections for each of: create (the documented 3-drawing analysis), append (10 drawings with
unique ids) and get. The load generator is a minimal HTTP/1.1 client on asyncio streams, like
wrk, so that the client's own cost hides as little of the server's as possible.

    .venv/bin/python benchmarks/sandbox.py [--requests 3000] [--connections 8]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import API_KEY, CREATE_PATH, SENDER, example_body, load_average, running_server


class Connection:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        reader, writer = await asyncio.open_connection(host, port)
        return cls(reader, writer)

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: sandbox\r\n"
            f"Authorization: Bearer {API_KEY}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        self.writer.write(head + body)
        header = await self.reader.readuntil(b"\r\n\r\n")
        status = int(header[9:12])
        match = re.search(rb"(?i)content-length:\s*(\d+)", header)
        length = int(match.group(1)) if match else 0
        return status, await self.reader.readexactly(length)

    def close(self) -> None:
        self.writer.close()


Request = tuple[str, str, bytes]


async def run_phase(
    host: str, port: int, connections: int, requests: list[Request]
) -> tuple[float, list[float], Counter[int], list[bytes]]:
    """Send ``requests`` over ``connections`` connections.

    Returns (seconds, latencies, statuses, bodies).
    """
    pool = [await Connection.open(host, port) for _ in range(connections)]
    latencies: list[float] = [0.0] * len(requests)
    bodies: list[bytes] = [b""] * len(requests)
    statuses: Counter[int] = Counter()
    next_index = 0

    async def worker(connection: Connection) -> None:
        nonlocal next_index
        while next_index < len(requests):
            index = next_index
            next_index += 1
            method, path, body = requests[index]
            started = time.perf_counter()
            status, answer = await connection.request(method, path, body)
            latencies[index] = time.perf_counter() - started
            statuses[status] += 1
            bodies[index] = answer

    started = time.perf_counter()
    await asyncio.gather(*(worker(connection) for connection in pool))
    elapsed = time.perf_counter() - started
    for connection in pool:
        connection.close()
    return elapsed, latencies, statuses, bodies


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (Linux), or ``None``."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def report(
    name: str,
    elapsed: float,
    latencies: list[float],
    statuses: Counter[int],
    server_cpu: float | None,
) -> None:
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    cpu = (
        ""
        if server_cpu is None
        else f"  server CPU {server_cpu / len(latencies) * 1e6:5.0f} us/req"
    )
    print(
        f"{name:<8} {len(latencies):>6} requests  {len(latencies) / elapsed:>8.0f} req/s  "
        f"p50 {p50:6.2f} ms  p99 {p99:6.2f} ms{cpu}  statuses {dict(sorted(statuses.items()))}"
    )


def create_requests(count: int) -> list[Request]:
    encoded = json.dumps(example_body()).encode()
    return [("POST", CREATE_PATH, encoded) for _ in range(count)]


def append_requests(count: int, analysis_ids: list[str]) -> list[Request]:
    requests = []
    for index in range(count):
        drawings = [
            {
                "type": "HORIZONTAL_LINE",
                "clientObjectId": f"line_{index}_{number}",
                "points": [{"time": "2026-01-08T12:00:00Z", "price": 1.3 + number / 1000}],
                "style": {"color": "#FF0000", "lineWidth": 2, "lineStyle": "SOLID"},
            }
            for number in range(10)
        ]
        body = json.dumps({"sender": SENDER, "drawings": drawings}).encode()
        analysis_id = analysis_ids[index % len(analysis_ids)]
        requests.append(("POST", f"/v1/analysis/{analysis_id}/drawings", body))
    return requests


def get_requests(count: int, analysis_ids: list[str]) -> list[Request]:
    return [
        ("GET", f"/v1/analysis/{analysis_ids[i % len(analysis_ids)]}", b"") for i in range(count)
    ]


async def benchmark(host: str, port: int, server_pid: int, count: int, connections: int) -> None:
    async def phase(name: str, requests: list[Request]) -> list[bytes]:
        cpu_before = cpu_seconds(server_pid)
        elapsed, latencies, statuses, bodies = await run_phase(host, port, connections, requests)
        cpu_after = cpu_seconds(server_pid)
        used = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
        report(name, elapsed, latencies, statuses, used)
        return bodies

    # Warm up the server (imports, caches) outside the measured phases.
    await run_phase(host, port, connections, create_requests(50))
    created = await phase("create", create_requests(count))
    analysis_ids = [json.loads(body)["data"]["analysisId"] for body in created]
    await phase("append", append_requests(count, analysis_ids))
    await phase("get", get_requests(count, analysis_ids))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000, help="requests per operation")
    parser.add_argument("--connections", type=int, default=8)
    arguments = parser.parse_args(argv)
    print(f"{os.cpu_count()} cores; before: {load_average()}")
    with running_server() as (server, host, port):
        asyncio.run(benchmark(host, port, server.pid, arguments.requests, arguments.connections))
    print(f"after: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
