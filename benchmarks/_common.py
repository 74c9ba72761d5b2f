"""What the benchmarks that talk to a local API server share: its seeded ids, how to start it in
its own process, and the machine load printed around each run."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "models" / "data" / "create_example.json"
API_KEY = "rai_sandbox_trader_key"
COMMUNITY_ID = "6502c9e514a3e564c5c09c0a"
CHANNEL_ID = "656966caae59563fb291b324"
SENDER = "trader@example.com"
HEADERS = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}
"""What a bare HTTP client sends with each request."""
CREATE_PATH = f"/v1/analysis/{COMMUNITY_ID}/channels/{CHANNEL_ID}"
"""Where analyses of the seeded channel are created."""


def example_body() -> dict[str, Any]:
    """The documented create request, sent by the seeded member, without an idempotencyKey."""
    body: dict[str, Any] = json.loads(EXAMPLE.read_text())
    body["sender"] = SENDER
    body.pop("idempotencyKey", None)
    return body


def start_server(db: Path) -> tuple[subprocess.Popen[str], str, int]:
    """``rai-charts sandbox`` on a free port in its own process: (process, host, port)."""
    server = subprocess.Popen(
        [sys.executable, "-m", "rai_charts.sandbox", "--port", "0", "--db", str(db)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    first_line = server.stdout.readline()
    match = re.search(r"http://([\d.]+):(\d+)", first_line)
    if match is None:
        server.kill()
        raise RuntimeError(f"the sandbox did not start: {first_line!r}")
    return server, match.group(1), int(match.group(2))


@contextmanager
def running_server() -> Iterator[tuple[subprocess.Popen[str], str, int]]:
    """A server on a fresh database for the duration of the block, stopped afterwards."""
    with tempfile.TemporaryDirectory() as directory:
        server, host, port = start_server(Path(directory) / "bench.db")
        try:
            yield server, host, port
        finally:
            server.terminate()
            server.wait(timeout=30)


def load_average() -> str:
    """The machine's load averages, printed before and after a run."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min)"
