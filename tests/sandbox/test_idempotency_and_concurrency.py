"""Idempotent replays of create and append, and concurrent appends that lose nothing."""

from __future__ import annotations

import threading
from typing import Any

import httpx
from sandbox_helpers import drawing


def test_replayed_create_returns_the_first_result_and_creates_nothing_new(
    client: httpx.Client, channel_path: str, create_body: dict[str, Any]
) -> None:
    create_body["idempotencyKey"] = "create-once"
    first = client.post(channel_path, json=create_body)
    create_body["metadata"]["title"] = "A retry with a changed title"
    replay = client.post(channel_path, json=create_body)
    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert client.get(channel_path).json()["meta"]["total"] == 1


def test_creates_with_different_keys_are_different_analyses(
    client: httpx.Client, channel_path: str, create_body: dict[str, Any]
) -> None:
    ids = set()
    for key in ("key-a", "key-b"):
        create_body["idempotencyKey"] = key
        ids.add(client.post(channel_path, json=create_body).json()["data"]["analysisId"])
    assert len(ids) == 2
    assert client.get(channel_path).json()["meta"]["total"] == 2


def test_an_idempotency_key_is_scoped_to_its_community(
    server: Any, client: httpx.Client, channel_path: str, create_body: dict[str, Any]
) -> None:
    create_body["idempotencyKey"] = "shared-key"
    mine = client.post(channel_path, json=create_body).json()["data"]["analysisId"]
    community = server.admin.create_community("Elsewhere")
    server.admin.add_member(community["communityId"], server.sender)
    key = server.admin.create_key(community["communityId"], ["createAnalysis"])
    path = f"/v1/analysis/{community['communityId']}/channels/{community['channelId']}"
    theirs = client.post(path, json=create_body, headers={"Authorization": f"Bearer {key}"})
    assert theirs.status_code == 201
    assert theirs.json()["data"]["analysisId"] != mine


def test_replayed_append_returns_the_first_result_and_appends_nothing(
    client: httpx.Client, created: dict[str, Any], server: Any
) -> None:
    path = f"/v1/analysis/{created['analysisId']}"
    body = {"sender": server.sender, "drawings": [drawing("once")], "idempotencyKey": "append-1"}
    first = client.post(f"{path}/drawings", json=body)
    replay = client.post(f"{path}/drawings", json=body)
    assert first.status_code == replay.status_code == 200
    assert replay.json() == first.json()
    stored = client.get(path).json()["data"]["drawings"]
    assert [item["clientObjectId"] for item in stored].count("once") == 1
    # Without the key, the same drawing is a conflict.
    del body["idempotencyKey"]
    assert client.post(f"{path}/drawings", json=body).status_code == 409


def test_concurrent_appends_from_several_threads_lose_nothing(
    server: Any, created: dict[str, Any]
) -> None:
    threads, appends_each = 6, 15
    path = f"/v1/analysis/{created['analysisId']}/drawings"
    statuses: list[int] = []
    lock = threading.Lock()

    def append_many(worker: int) -> None:
        headers = {"Authorization": f"Bearer {server.api_key}"}
        with httpx.Client(base_url=server.url, headers=headers, timeout=30) as http:
            for number in range(appends_each):
                ids = [f"w{worker}_n{number}_{part}" for part in range(3)]
                body = {"sender": server.sender, "drawings": [drawing(i) for i in ids]}
                status = http.post(path, json=body).status_code
                with lock:
                    statuses.append(status)

    workers = [threading.Thread(target=append_many, args=(w,)) for w in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert statuses == [200] * (threads * appends_each)
    headers = {"Authorization": f"Bearer {server.api_key}"}
    stored = httpx.get(f"{server.url}/v1/analysis/{created['analysisId']}", headers=headers).json()[
        "data"
    ]["drawings"]
    expected = {
        f"w{w}_n{n}_{p}" for w in range(threads) for n in range(appends_each) for p in range(3)
    }
    appended = [item["clientObjectId"] for item in stored[len(created["drawings"]) :]]
    assert len(appended) == len(expected) and set(appended) == expected
    # Each request's drawings stay together and in order.
    for worker in range(threads):
        for number in range(appends_each):
            start = appended.index(f"w{worker}_n{number}_0")
            assert appended[start : start + 3] == [f"w{worker}_n{number}_{p}" for p in range(3)]
