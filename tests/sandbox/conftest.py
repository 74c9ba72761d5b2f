"""One sandbox server for the sandbox tests, reached over real loopback HTTP with plain httpx."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import rai_charts.sandbox as sandbox


@pytest.fixture(scope="session")
def server() -> Iterator[sandbox.SandboxServer]:
    """A seeded sandbox on a free port, shared by the session (tests use their own channel)."""
    with sandbox.start() as running:
        yield running


@pytest.fixture(autouse=True)
def _no_faults_left(server: sandbox.SandboxServer) -> Iterator[None]:
    yield
    server.admin.clear_faults()


@pytest.fixture
def client(server: sandbox.SandboxServer) -> Iterator[httpx.Client]:
    """httpx client with the seeded key."""
    headers = {"Authorization": f"Bearer {server.api_key}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=10) as http:
        yield http


@pytest.fixture
def anonymous(server: sandbox.SandboxServer) -> Iterator[httpx.Client]:
    """httpx client without a key."""
    with httpx.Client(base_url=server.url, timeout=10) as http:
        yield http


@pytest.fixture
def channel(server: sandbox.SandboxServer) -> str:
    """A fresh channel of the seeded community, so list totals belong to one test."""
    assert server.community_id is not None
    return server.admin.create_channel(server.community_id, "test")


@pytest.fixture
def channel_path(server: sandbox.SandboxServer, channel: str) -> str:
    """``/v1/analysis/{communityId}/channels/{channelId}`` of the fresh channel."""
    return f"/v1/analysis/{server.community_id}/channels/{channel}"


@pytest.fixture
def create_body(server: sandbox.SandboxServer, create_example_all_types: dict[str, Any]) -> Any:
    """A valid create body (all five drawing types) sent by the seeded member, no key."""
    body = copy.deepcopy(create_example_all_types)
    body["sender"] = server.sender
    body.pop("idempotencyKey", None)
    return body


@pytest.fixture
def created(client: httpx.Client, channel_path: str, create_body: dict[str, Any]) -> Any:
    """An analysis created in the fresh channel (its AnalysisDetail)."""
    response = client.post(channel_path, json=create_body)
    assert response.status_code == 201, response.text
    return response.json()["data"]
