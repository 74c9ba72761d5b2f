"""Starting and stopping: no leaks, data kept with --db, the CLI's announcement."""

from __future__ import annotations

import gc
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

import rai_charts.sandbox as sandbox


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc (Linux)")
def test_fifty_start_stop_cycles_leak_no_thread_socket_or_file(
    create_example: dict[str, Any],
) -> None:
    stopped: list[sandbox.SandboxServer] = []  # kept alive: stop() must free, not the GC

    def cycle() -> None:
        with sandbox.start() as server:
            headers = {"Authorization": f"Bearer {server.api_key}"}
            path = f"/v1/analysis/{server.community_id}/channels/{server.channel_id}"
            assert httpx.get(f"{server.url}{path}", headers=headers).status_code == 200
            server.admin.requests()  # opens the admin client, which stop() must close
        stopped.append(server)

    cycle()  # first use loads modules and caches
    gc.collect()  # objects of earlier tests must not close their files during the count
    threads, descriptors = threading.active_count(), _open_descriptors()
    for _ in range(50):
        cycle()
    # A leak grows with the cycles; anything else of the process may only have shrunk.
    assert threading.active_count() <= threads
    assert _open_descriptors() <= descriptors
    assert len(stopped) == 51


def test_stop_is_idempotent_and_the_port_is_closed_after_it() -> None:
    server = sandbox.start()
    url = server.url
    server.stop()
    server.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/openapi.json")
    assert "stopped" in repr(server)


def test_a_temporary_database_is_removed_on_stop() -> None:
    with sandbox.start() as server:
        path = server.db_path
        assert path.exists()
    assert not path.exists()


def test_data_persists_across_a_restart_with_a_database_path(
    tmp_path: Path, create_example: dict[str, Any]
) -> None:
    db = tmp_path / "sandbox.db"
    create_example["sender"] = sandbox.SEED.sender
    with sandbox.start(db=db) as first:
        headers = {"Authorization": f"Bearer {first.api_key}"}
        created = httpx.post(
            f"{first.url}/v1/analysis/{first.community_id}/channels/{first.channel_id}",
            json=create_example,
            headers=headers,
        ).json()["data"]
        key = first.admin.create_key(sandbox.SEED.community_id, ["readAnalysis"])
    with sandbox.start(db=db) as second:
        assert second.url != "" and db.exists()
        again = httpx.get(
            f"{second.url}/v1/analysis/{created['analysisId']}",
            headers={"Authorization": f"Bearer {key}"},
        )
        assert again.status_code == 200
        assert again.json()["data"] == created
        replay = httpx.post(
            f"{second.url}/v1/analysis/{second.community_id}/channels/{second.channel_id}",
            json=create_example,
            headers=headers,
        )
        assert replay.json()["data"]["analysisId"] == created["analysisId"]


def test_an_unseeded_server_has_no_credentials_and_refuses_the_seed_key() -> None:
    with sandbox.start(seed=False) as server:
        assert (server.api_key, server.community_id, server.channel_id) == (None, None, None)
        response = httpx.get(
            f"{server.url}/v1/analysis/{sandbox.SEED.community_id}/channels/{sandbox.SEED.channel_id}",
            headers={"Authorization": f"Bearer {sandbox.SEED.api_key}"},
        )
        assert response.status_code == 401


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"port": -1}, ValueError),
        ({"port": "8080"}, ValueError),
        ({"db": "/nonexistent-directory/x.db"}, OSError),
    ],
    ids=["negative-port", "port-as-text", "unopenable-database"],
)
def test_bad_start_arguments_fail_at_once(
    arguments: dict[str, Any], error: type[Exception]
) -> None:
    threads = threading.active_count()
    with pytest.raises(error):
        sandbox.start(**arguments)
    assert threading.active_count() == threads


def test_a_busy_port_is_a_clear_error() -> None:
    with sandbox.start() as server:
        port = int(server.url.rsplit(":", 1)[1])
        with pytest.raises(OSError, match=f"cannot listen on 127.0.0.1:{port}"):
            sandbox.start(port=port)


SEED_HEADERS = {"Authorization": f"Bearer {sandbox.SEED.api_key}"}
SEED_CHANNEL = f"/v1/analysis/{sandbox.SEED.community_id}/channels/{sandbox.SEED.channel_id}"


@contextmanager
def _command_line_server(
    database: Path, stop_signal: signal.Signals = signal.SIGINT
) -> Iterator[tuple[str, str]]:
    """Runs ``python -m rai_charts.sandbox --port 0 --db ...``: yields (base URL, what it
    printed), then stops it with ``stop_signal`` and checks it exited cleanly."""
    process = subprocess.Popen(
        [sys.executable, "-m", "rai_charts.sandbox", "--port", "0", "--db", str(database)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(6)]
        url = re.search(r"listening on (http://127\.0\.0\.1:\d+)", lines[0])
        assert url is not None, lines
        yield url.group(1), "".join(lines)
    finally:
        process.send_signal(stop_signal)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_the_command_line_announces_the_seeded_credentials_serves_and_stops_cleanly(
    tmp_path: Path, stop_signal: signal.Signals
) -> None:
    database = tmp_path / "cli.db"
    with _command_line_server(database, stop_signal) as (url, printed):
        seeded = sandbox.SEED
        for value in (seeded.community_id, seeded.channel_id, seeded.api_key, seeded.sender):
            assert value in printed
        assert str(database) in printed
        assert httpx.get(f"{url}{SEED_CHANNEL}", headers=SEED_HEADERS).status_code == 200


def test_the_command_line_keeps_data_across_a_restart_with_db(
    tmp_path: Path, create_example: dict[str, Any]
) -> None:
    database = tmp_path / "kept.db"
    create_example["sender"] = sandbox.SEED.sender
    with _command_line_server(database) as (url, _):
        created = httpx.post(f"{url}{SEED_CHANNEL}", json=create_example, headers=SEED_HEADERS)
        assert created.status_code == 201
    with _command_line_server(database) as (url, _):
        listed = httpx.get(f"{url}{SEED_CHANNEL}", headers=SEED_HEADERS).json()
        analysis_id = created.json()["data"]["analysisId"]
        assert [row["analysisId"] for row in listed["data"]] == [analysis_id]
        stored = httpx.get(f"{url}/v1/analysis/{analysis_id}", headers=SEED_HEADERS).json()
        assert stored["data"] == created.json()["data"]


def test_the_command_line_reports_a_bad_database_path() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "rai_charts.sandbox",
            "--port",
            "0",
            "--db",
            "/nonexistent-directory/x.db",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "cannot open the sandbox database" in result.stderr
