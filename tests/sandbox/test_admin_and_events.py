"""Admin routes: request log, outgoing events and their webhook, communities, channels, keys."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from sandbox_helpers import drawing


def test_the_request_log_records_every_v1_request_in_arrival_order(
    server: Any, client: httpx.Client, created: dict[str, Any], channel_path: str
) -> None:
    server.admin.clear_requests()
    client.get(f"/v1/analysis/{created['analysisId']}")
    client.get(channel_path, params={"page": "0"})
    client.get("/v1/unknown")
    httpx.get(f"{server.url}/openapi.json")  # not a /v1 request
    log = server.admin.requests()
    assert [(e["method"], e["route"], e["status"]) for e in log] == [
        ("GET", "get", 200),
        ("GET", "list", 400),
        ("GET", None, 404),
    ]
    assert log[0]["path"] == f"/v1/analysis/{created['analysisId']}"
    assert all(entry["durationMs"] >= 0 and entry["at"].endswith("Z") for entry in log)
    server.admin.clear_requests()
    assert server.admin.requests() == []


def _events_of(server: Any, analysis_id: str) -> list[dict[str, Any]]:
    return [event for event in server.admin.events() if event["analysisId"] == analysis_id]


def test_every_accepted_write_records_an_event_and_refusals_record_none(
    server: Any, client: httpx.Client, created: dict[str, Any]
) -> None:
    path = f"/v1/analysis/{created['analysisId']}"
    client.patch(path, json={"sender": server.sender, "metadata": {"title": "Changed"}})
    client.patch(path, json={"sender": server.sender, "metadata": {"title": None}})  # refused
    client.post(f"{path}/drawings", json={"sender": server.sender, "drawings": [drawing("e1")]})
    client.delete(path)
    events = _events_of(server, created["analysisId"])
    assert [event["event"] for event in events] == [
        "create_analysis",
        "update_analysis",
        "append_drawings",
        "delete_analysis",
    ]
    create, update, append, delete = (event["payload"] for event in events)
    assert create == created
    assert update["updatedFields"] == ["title"]
    assert update["analysis"]["metadata"]["title"] == "Changed"
    assert append["appended"] == ["e1"] and append["drawings"][0]["clientObjectId"] == "e1"
    assert delete["deleted"] is True


class _Receiver:
    """A loopback HTTP server that keeps what is POSTed to it."""

    def __init__(self) -> None:
        received: list[dict[str, Any]] = []
        self.received = received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                received.append(
                    {"headers": dict(self.headers), "body": json.loads(self.rfile.read(length))}
                )
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.http.serve_forever)
        self.thread.start()

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()
        self.thread.join()


@pytest.fixture
def receiver(server: Any) -> Iterator[_Receiver]:
    hook = _Receiver()
    yield hook
    server.admin.set_webhook(None)
    hook.close()


def _wait_for(condition: Any, seconds: float = 10.0) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("condition not met before the deadline")


def test_events_are_posted_to_the_webhook_and_the_delivery_is_recorded(
    server: Any,
    client: httpx.Client,
    channel_path: str,
    create_body: dict[str, Any],
    receiver: _Receiver,
) -> None:
    server.admin.set_webhook(receiver.url)
    assert httpx.get(f"{server.url}/_sandbox/webhook").json()["data"] == {"url": receiver.url}
    analysis = client.post(channel_path, json=create_body).json()["data"]
    _wait_for(lambda: receiver.received)
    posted = receiver.received[0]
    assert posted["headers"]["x-rai-event"] == "create_analysis"
    assert posted["body"]["event"] == "create_analysis"
    assert posted["body"]["analysisId"] == analysis["analysisId"]
    assert posted["body"]["payload"] == analysis
    delivered = _wait_for(lambda: _events_of(server, analysis["analysisId"])[0]["delivery"])
    assert delivered == {"url": receiver.url, "status": 204}


def test_an_unreachable_webhook_is_recorded_as_a_delivery_error(
    server: Any, client: httpx.Client, channel_path: str, create_body: dict[str, Any]
) -> None:
    unused = _Receiver()
    unused.close()  # nothing listens there any more
    server.admin.set_webhook(unused.url)
    try:
        analysis = client.post(channel_path, json=create_body).json()["data"]
        delivery = _wait_for(lambda: _events_of(server, analysis["analysisId"])[0]["delivery"])
    finally:
        server.admin.set_webhook(None)
    assert delivery["url"] == unused.url and "ConnectError" in delivery["error"]


def test_a_new_community_with_a_member_and_a_key_can_publish(server: Any) -> None:
    community = server.admin.create_community("Second desk")
    member = server.admin.add_member(community["communityId"], "analyst@example.com")
    assert member["email"] == "analyst@example.com" and len(member["userId"]) == 24
    channel = server.admin.create_channel(community["communityId"], "ideas")
    key = server.admin.create_key(community["communityId"], ["createAnalysis", "readAnalysis"])
    body = {
        "sender": "analyst@example.com",
        "metadata": {
            "title": "EURUSD",
            "symbol": "EUR/USD",
            "timeframe": "H4",
            "direction": "BEARISH",
            "entryPlacement": "ABOVE_CURRENT",
        },
    }
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}) as http:
        path = f"/v1/analysis/{community['communityId']}/channels/{channel}"
        created = http.post(path, json=body)
        assert created.status_code == 201, created.text
        assert created.json()["data"]["type"] == "bearish_bounce"
        assert http.get(path).json()["meta"]["total"] == 1
        # No deleteAnalysis permission on this key.
        assert (
            http.delete(f"/v1/analysis/{created.json()['data']['analysisId']}").status_code == 403
        )


@pytest.mark.parametrize(
    ("route", "body", "field"),
    [
        ("communities", {}, "name"),
        ("channels", {"communityId": "nope", "name": "x"}, "communityId"),
        ("members", {"communityId": "6502c9e514a3e564c5c09c0a", "email": "no-at-sign"}, "email"),
        (
            "keys",
            {"communityId": "6502c9e514a3e564c5c09c0a", "permissions": ["fly"]},
            "permissions.0",
        ),
        ("webhook", {"url": "ftp://example"}, "url"),
    ],
    ids=[
        "community-without-name",
        "channel-bad-community",
        "member-bad-email",
        "key-bad-permission",
        "webhook-not-http",
    ],
)
def test_malformed_admin_bodies_are_a_400_naming_the_field(
    server: Any, route: str, body: dict[str, Any], field: str
) -> None:
    response = httpx.post(f"{server.url}/_sandbox/{route}", json=body)
    assert response.status_code == 400
    assert [item["field"] for item in response.json()["errors"]] == [field]


def test_admin_writes_for_an_unknown_community_are_a_404(server: Any) -> None:
    response = httpx.post(
        f"{server.url}/_sandbox/keys",
        json={"communityId": "0123456789abcdef01234567", "permissions": ["readAnalysis"]},
    )
    assert response.status_code == 404
    with pytest.raises(ValueError, match="404"):
        server.admin.create_channel("0123456789abcdef01234567", "nowhere")
