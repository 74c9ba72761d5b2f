"""The six Chart Analysis routes over loopback HTTP: what a successful call stores and answers."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sandbox_helpers import drawing

from rai_charts.models import AnalysisDetail, ListAnalysesResponse

OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_create_answers_201_with_the_stored_analysis(
    created: dict[str, Any], create_body: dict[str, Any], server: Any, channel: str
) -> None:
    detail = AnalysisDetail.from_wire(created)
    assert OBJECT_ID.match(detail.analysis_id)
    assert (detail.community_id, detail.channel_id) == (server.community_id, channel)
    assert detail.sender == server.sender
    assert detail.type == "bullish_bounce"  # BULLISH + BELOW_CURRENT
    assert detail.expires_at == detail.created_at + timedelta(hours=24)
    assert detail.metadata.to_wire() == create_body["metadata"]
    sent_ids = [item["clientObjectId"] for item in create_body["drawings"]]
    assert [item.client_object_id for item in detail.drawings] == sent_ids
    assert all(item.id is not None and OBJECT_ID.match(item.id) for item in detail.drawings)
    assert len({item.id for item in detail.drawings}) == len(detail.drawings)


def test_create_keeps_link_tokens_in_texts_and_resolves_them_to_persisted_ids(
    created: dict[str, Any], create_body: dict[str, Any]
) -> None:
    assert created["metadata"]["preferenceText"] == create_body["metadata"]["preferenceText"]
    server_ids = {item["clientObjectId"]: item["id"] for item in created["drawings"]}
    links = {(link["field"], link["clientObjectId"]): link for link in created["links"]}
    assert links[("preferenceText", "support_zone")]["targetId"] == server_ids["support_zone"]
    assert links[("preferenceText", "support_zone")]["label"] == "demand zone"
    # Levels have no server id: a level link resolves to the level's own id.
    assert links[("comments", "pivot_main")]["targetId"] == "pivot_main"
    assert all(link["targetId"] is not None for link in created["links"])


@pytest.mark.parametrize(
    ("direction", "placement", "expected"),
    [
        ("BULLISH", "ABOVE_CURRENT", "bullish_breakout"),
        ("BULLISH", "BELOW_CURRENT", "bullish_bounce"),
        ("BEARISH", "ABOVE_CURRENT", "bearish_bounce"),
        ("BEARISH", "BELOW_CURRENT", "bearish_breakout"),
    ],
    ids=["bullish-above", "bullish-below", "bearish-above", "bearish-below"],
)
def test_create_derives_the_type_from_direction_and_entry_placement(
    client: httpx.Client,
    channel_path: str,
    create_body: dict[str, Any],
    direction: str,
    placement: str,
    expected: str,
) -> None:
    create_body["metadata"] |= {"direction": direction, "entryPlacement": placement}
    response = client.post(channel_path, json=create_body)
    assert response.json()["data"]["type"] == expected


def test_create_without_expiry_has_no_expires_at(
    client: httpx.Client, channel_path: str, create_body: dict[str, Any]
) -> None:
    del create_body["metadata"]["expiry"]
    response = client.post(channel_path, json=create_body)
    assert response.status_code == 201
    assert "expiresAt" not in response.json()["data"]


def test_create_ignores_drawing_ids_sent_by_the_client(
    client: httpx.Client, channel_path: str, create_body: dict[str, Any]
) -> None:
    create_body["drawings"][0]["id"] = "ffffffffffffffffffffffff"
    response = client.post(channel_path, json=create_body)
    assert response.json()["data"]["drawings"][0]["id"] != "ffffffffffffffffffffffff"


def test_create_keeps_unknown_drawing_types_unchanged(
    client: httpx.Client, channel_path: str, create_body: dict[str, Any]
) -> None:
    unknown = {"type": "ELLIPSE", "clientObjectId": "oval", "radius": 3, "points": []}
    create_body["drawings"].append(unknown)
    response = client.post(channel_path, json=create_body)
    stored = response.json()["data"]["drawings"][-1]
    assert {name: value for name, value in stored.items() if name != "id"} == unknown


def test_get_answers_what_create_stored(client: httpx.Client, created: dict[str, Any]) -> None:
    response = client.get(f"/v1/analysis/{created['analysisId']}")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["data"]) == ("success", created)


def test_update_merges_metadata_and_answers_the_changed_fields(
    client: httpx.Client, created: dict[str, Any], server: Any
) -> None:
    analysis_id = created["analysisId"]
    response = client.patch(
        f"/v1/analysis/{analysis_id}",
        json={
            "sender": server.sender,
            "metadata": {"title": "Updated", "comments": None, "symbol": "GBP/USD"},
        },
    )
    assert response.status_code == 200
    assert response.json() == {
        "status": "success",
        "message": "Analysis updated successfully",
        "data": {"analysisId": analysis_id, "updatedFields": ["title", "comments"]},
    }
    stored = client.get(f"/v1/analysis/{analysis_id}").json()["data"]
    assert stored["metadata"]["title"] == "Updated"
    assert "comments" not in stored["metadata"]
    assert stored["metadata"]["preferenceText"] == created["metadata"]["preferenceText"]
    assert stored["drawings"] == created["drawings"]
    assert _time(stored["updatedAt"]) >= _time(created["updatedAt"])


def test_update_of_direction_and_expiry_rederives_type_and_expires_at(
    client: httpx.Client, created: dict[str, Any], server: Any
) -> None:
    path = f"/v1/analysis/{created['analysisId']}"
    patch = {"direction": "BEARISH", "expiry": {"type": "HOURS", "hours": 48}}
    response = client.patch(path, json={"sender": server.sender, "metadata": patch})
    assert response.json()["data"]["updatedFields"] == ["direction", "expiry"]
    stored = client.get(path).json()["data"]
    assert stored["type"] == "bearish_breakout"
    assert _time(stored["expiresAt"]) == _time(created["createdAt"]) + timedelta(hours=48)


def test_update_with_drawings_replaces_them_all_keeping_ids_of_kept_client_ids(
    client: httpx.Client, created: dict[str, Any], create_body: dict[str, Any], server: Any
) -> None:
    path = f"/v1/analysis/{created['analysisId']}"
    kept = create_body["drawings"][:3]  # the drawings the texts link to
    response = client.patch(
        path, json={"sender": server.sender, "drawings": [*kept, drawing("fresh")]}
    )
    assert response.json()["data"]["updatedFields"] == ["drawings"]
    stored = client.get(path).json()["data"]
    assert [item["clientObjectId"] for item in stored["drawings"]] == [
        "support_zone",
        "entry_line",
        "target",
        "fresh",
    ]
    assert [item["id"] for item in stored["drawings"][:3]] == [
        item["id"] for item in created["drawings"][:3]
    ]
    assert stored["links"] == created["links"]


def test_update_with_levels_replaces_the_levels(
    client: httpx.Client, created: dict[str, Any], server: Any
) -> None:
    path = f"/v1/analysis/{created['analysisId']}"
    levels = {
        "support": {"price": 1.2, "clientObjectId": "sup_1"},
        "pivot": {"price": 1.3, "clientObjectId": "pivot_main"},
    }
    response = client.patch(path, json={"sender": server.sender, "levels": levels})
    assert response.json()["data"]["updatedFields"] == ["levels"]
    assert client.get(path).json()["data"]["levels"] == levels


def test_update_that_changes_nothing_lists_no_field(
    client: httpx.Client, created: dict[str, Any], server: Any
) -> None:
    path = f"/v1/analysis/{created['analysisId']}"
    title = created["metadata"]["title"]
    response = client.patch(path, json={"sender": server.sender, "metadata": {"title": title}})
    assert response.json()["data"]["updatedFields"] == []
    assert client.get(path).json()["data"]["updatedAt"] == created["updatedAt"]


def test_delete_removes_the_analysis(client: httpx.Client, created: dict[str, Any]) -> None:
    path = f"/v1/analysis/{created['analysisId']}"
    response = client.delete(path)
    assert response.status_code == 200
    assert response.json()["data"] == {"analysisId": created["analysisId"], "deleted": True}
    assert client.get(path).status_code == 404
    assert client.delete(path).status_code == 404


def test_append_adds_drawings_after_the_existing_ones(
    client: httpx.Client, created: dict[str, Any], server: Any
) -> None:
    path = f"/v1/analysis/{created['analysisId']}"
    response = client.post(
        f"{path}/drawings",
        json={"sender": server.sender, "drawings": [drawing("a1"), drawing("a2", 1.31)]},
    )
    assert response.status_code == 200
    count = len(created["drawings"]) + 2
    assert response.json()["data"] == {
        "analysisId": created["analysisId"],
        "appended": ["a1", "a2"],
        "drawingCount": count,
    }
    stored = client.get(path).json()["data"]["drawings"]
    assert stored[: len(created["drawings"])] == created["drawings"]
    assert [item["clientObjectId"] for item in stored[-2:]] == ["a1", "a2"]
    assert all(OBJECT_ID.match(item["id"]) for item in stored)


def _create_many(
    client: httpx.Client, channel_path: str, body: dict[str, Any], count: int
) -> list[str]:
    ids = []
    for number in range(count):
        body["metadata"]["title"] = f"analysis {number:02d}"
        response = client.post(channel_path, json=body)
        assert response.status_code == 201
        ids.append(response.json()["data"]["analysisId"])
    return ids


def test_list_pages_newest_first_in_the_meta_envelope(
    client: httpx.Client, channel_path: str, create_body: dict[str, Any]
) -> None:
    ids = _create_many(client, channel_path, create_body, 5)
    response = client.get(channel_path, params={"page": 1, "limit": 2})
    assert response.status_code == 200
    page = ListAnalysesResponse.from_wire(response.json())
    assert (page.meta.page, page.meta.limit, page.meta.total) == (1, 2, 5)
    assert [row.analysis_id for row in page.data] == ids[::-1][:2]
    summary = page.data[0]
    assert (summary.title, summary.symbol, summary.timeframe) == ("analysis 04", "GBP/USD", "H1")
    assert (summary.type, summary.direction, summary.drawing_count) == (
        "bullish_bounce",
        "BULLISH",
        5,
    )
    assert summary.expires_at is not None


@pytest.mark.parametrize(
    ("params", "expected_positions", "meta"),
    [
        ({}, [4, 3, 2, 1, 0], (1, 20)),
        ({"page": "3", "limit": "2"}, [0], (3, 2)),
        ({"page": "4", "limit": "2"}, [], (4, 2)),
        ({"limit": "100"}, [4, 3, 2, 1, 0], (1, 100)),
        ({"limit": "1"}, [4], (1, 1)),
        ({"sort": "createdAt:asc", "limit": "2"}, [0, 1], (1, 2)),
        ({"sort": "createdAt:desc", "page": "2", "limit": "2"}, [2, 1], (2, 2)),
        ({"sort": "title:desc", "limit": "1"}, [4], (1, 1)),
    ],
    ids=[
        "defaults",
        "last-partial-page",
        "past-the-end",
        "limit-max",
        "limit-min",
        "oldest-first",
        "second-page",
        "by-title",
    ],
)
def test_list_pagination_edges(
    client: httpx.Client,
    channel_path: str,
    create_body: dict[str, Any],
    params: dict[str, str],
    expected_positions: list[int],
    meta: tuple[int, int],
) -> None:
    ids = _create_many(client, channel_path, create_body, 5)
    body = client.get(channel_path, params=params).json()
    assert [row["analysisId"] for row in body["data"]] == [ids[i] for i in expected_positions]
    assert (body["meta"]["page"], body["meta"]["limit"], body["meta"]["total"]) == (*meta, 5)


def test_list_of_an_empty_channel_is_an_empty_page(client: httpx.Client, channel_path: str) -> None:
    body = client.get(channel_path).json()
    assert body["data"] == []
    assert body["meta"] == {
        "status": "success",
        "statusCode": 200,
        "page": 1,
        "limit": 20,
        "total": 0,
    }
