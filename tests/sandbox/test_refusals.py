"""Every 4xx of the analysis routes: the error envelope names the fields, nothing is half-stored."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sandbox_helpers import drawing

from rai_charts.models import StandardApiError

Body = dict[str, Any]


def _error(response: httpx.Response, status: int) -> StandardApiError:
    assert response.status_code == status, response.text
    error = StandardApiError.from_wire(response.json())
    assert (error.status, error.status_code) == ("error", status)
    return error


def _fields(response: httpx.Response) -> list[str]:
    return [item.field for item in _error(response, 400).errors or []]


def _set(path: str, value: Any) -> Callable[[Body], None]:
    def change(body: Body) -> None:
        *parents, last = path.split(".")
        target: Any = body
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if value is _DELETE:
            del target[last]
        else:
            target[int(last) if last.isdigit() else last] = value

    return change


_DELETE = object()

CREATE_CASES: list[tuple[str, list[Callable[[Body], None]], list[str]]] = [
    ("missing-title", [_set("metadata.title", _DELETE)], ["metadata.title"]),
    ("bad-direction", [_set("metadata.direction", "UP")], ["metadata.direction"]),
    ("bad-timeframe", [_set("metadata.timeframe", "H2")], ["metadata.timeframe"]),
    ("zero-hours", [_set("metadata.expiry.hours", 0)], ["metadata.expiry.hours"]),
    (
        "naive-time",
        [_set("drawings.0.points.0.time", "2026-01-08T00:00:00")],
        ["drawings.0.points.0.time"],
    ),
    ("price-text", [_set("drawings.1.points.0.price", "high")], ["drawings.1.points.0.price"]),
    ("bad-color", [_set("drawings.2.style.color", "red")], ["drawings.2.style.color"]),
    ("wide-line", [_set("drawings.2.style.lineWidth", 11)], ["drawings.2.style.lineWidth"]),
    ("point-count", [_set("drawings.3.points", [])], ["drawings.3.points"]),
    ("level-order", [_set("levels.pivot.price", 2.0)], ["levels"]),
    ("unknown-sender", [_set("sender", "stranger@example.com")], ["sender"]),
    ("empty-sender", [_set("sender", "")], ["sender"]),
    (
        "duplicate-ids",
        [_set("drawings.1.clientObjectId", "support_zone")],
        ["drawings.1.clientObjectId", "metadata.preferenceText"],
    ),
    (
        "drawing-reuses-level-id",
        [_set("drawings.2.clientObjectId", "sup_1")],
        ["levels.support.clientObjectId", "metadata.preferenceText"],
    ),
    (
        "dangling-links",
        [
            _set("metadata.comments", "[[nowhere:x]]"),
            _set("metadata.alternativeText", "[[gone:y]]"),
        ],
        ["metadata.alternativeText", "metadata.comments"],
    ),
    (
        "several-fields-at-once",
        [
            _set("metadata.title", _DELETE),
            _set("drawings.0.style.fillColor", "green"),
            _set("levels.support.price", "low"),
            _set("sender", "stranger@example.com"),
        ],
        ["metadata.title", "levels.support.price", "drawings.0.style.fillColor", "sender"],
    ),
]


@pytest.mark.parametrize(
    ("changes", "fields"),
    [case[1:] for case in CREATE_CASES],
    ids=[case[0] for case in CREATE_CASES],
)
def test_malformed_create_is_a_400_naming_every_offending_field_and_stores_nothing(
    client: httpx.Client,
    channel_path: str,
    create_body: Body,
    changes: list[Callable[[Body], None]],
    fields: list[str],
) -> None:
    for change in changes:
        change(create_body)
    response = client.post(channel_path, json=create_body)
    assert _fields(response) == fields
    assert all(field in response.json()["message"] for field in fields)
    assert client.get(channel_path).json()["meta"]["total"] == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Invalid JSON"),
        (b"{not json", "Invalid JSON"),
        (b"[1, 2]", "Input should be an object"),
        (b'"text"', "Input should be an object"),
    ],
    ids=["empty", "broken", "array", "string"],
)
def test_a_body_that_is_not_a_json_object_is_a_400_on_body(
    client: httpx.Client, channel_path: str, content: bytes, message: str
) -> None:
    response = client.post(channel_path, content=content)
    error = _error(response, 400)
    assert [item.field for item in error.errors or []] == ["body"]
    assert message in (error.errors or [])[0].message


@pytest.mark.parametrize(
    ("patch", "fields"),
    [
        ({"metadata": {"title": None}}, ["metadata.title"]),
        ({"metadata": {"comments": "see [[nowhere:x]]"}}, ["metadata.comments"]),
        (
            {
                "levels": {
                    "support": {"price": 2, "clientObjectId": "s"},
                    "pivot": {"price": 1, "clientObjectId": "p"},
                }
            },
            ["levels"],
        ),
        (
            {"drawings": [drawing("x"), drawing("x")]},
            ["drawings.1.clientObjectId"],
        ),
        ({"drawings": []}, ["metadata.preferenceText"] * 3),
        (
            {"metadata": {"timeframe": "H7"}, "sender": "stranger@example.com"},
            ["metadata.timeframe", "sender"],
        ),
        ({"sender": None}, ["sender"]),
    ],
    ids=[
        "required-title-removed",
        "dangling-link",
        "level-order",
        "duplicate-drawing-ids",
        "drawings-that-texts-link-to-removed",
        "bad-field-and-unknown-sender",
        "no-sender",
    ],
)
def test_malformed_update_is_a_400_and_leaves_the_analysis_unchanged(
    client: httpx.Client, created: Body, server: Any, patch: Body, fields: list[str]
) -> None:
    path = f"/v1/analysis/{created['analysisId']}"
    response = client.patch(path, json={"sender": server.sender, **patch})
    assert sorted(_fields(response)) == sorted(fields)
    assert client.get(path).json()["data"] == created


@pytest.mark.parametrize(
    ("append", "fields"),
    [
        ({"drawings": []}, ["drawings"]),
        (
            {"drawings": [drawing("d1"), drawing("d1")]},
            ["drawings.1.clientObjectId"],
        ),
        (
            {"drawings": [{"type": "LINE", "clientObjectId": "l", "points": []}]},
            ["drawings.0.points"],
        ),
        ({"sender": "stranger@example.com", "drawings": [drawing("d2")]}, ["sender"]),
    ],
    ids=["no-drawings", "duplicate-ids", "bad-drawing", "unknown-sender"],
)
def test_malformed_append_is_a_400_and_appends_nothing(
    client: httpx.Client, created: Body, server: Any, append: Body, fields: list[str]
) -> None:
    path = f"/v1/analysis/{created['analysisId']}"
    response = client.post(f"{path}/drawings", json={"sender": server.sender, **append})
    assert _fields(response) == fields
    assert client.get(path).json()["data"] == created


@pytest.mark.parametrize(
    "taken",
    ["support_zone", "pivot_main"],
    ids=["id-of-a-drawing", "id-of-a-level"],
)
def test_append_of_an_existing_client_id_is_a_409_and_appends_nothing(
    client: httpx.Client, created: Body, server: Any, taken: str
) -> None:
    path = f"/v1/analysis/{created['analysisId']}"
    response = client.post(
        f"{path}/drawings",
        json={"sender": server.sender, "drawings": [drawing("new_one"), drawing(taken)]},
    )
    error = _error(response, 409)
    assert taken in error.message
    assert [item.field for item in error.errors or []] == ["drawings.1.clientObjectId"]
    assert client.get(path).json()["data"] == created


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/v1/analysis/{community}/channels/{channel}"),
        ("GET", "/v1/analysis/{community}/channels/{channel}"),
        ("GET", "/v1/analysis/{analysis}"),
        ("PATCH", "/v1/analysis/{analysis}"),
        ("DELETE", "/v1/analysis/{analysis}"),
        ("POST", "/v1/analysis/{analysis}/drawings"),
    ],
    ids=["create", "list", "get", "update", "delete", "append"],
)
@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer nope", "Basic cmFpOnJhaQ==", "Bearer"],
    ids=["missing", "unknown-key", "not-bearer", "empty-key"],
)
def test_every_route_refuses_a_missing_or_unknown_key_with_401(
    anonymous: httpx.Client,
    created: Body,
    server: Any,
    method: str,
    path: str,
    authorization: str | None,
) -> None:
    url = path.format(
        community=server.community_id, channel=created["channelId"], analysis=created["analysisId"]
    )
    headers = {"Authorization": authorization} if authorization else {}
    response = anonymous.request(method, url, headers=headers, json={"sender": server.sender})
    _error(response, 401)
    assert response.headers["WWW-Authenticate"] == "Bearer"


PERMISSION_OF = {
    "create": "createAnalysis",
    "list": "readAnalysis",
    "get": "readAnalysis",
    "update": "updateAnalysis",
    "delete": "deleteAnalysis",
    "append": "updateAnalysis",
}


@pytest.mark.parametrize(
    ("route", "method", "path"),
    [
        ("create", "POST", "/v1/analysis/{community}/channels/{channel}"),
        ("list", "GET", "/v1/analysis/{community}/channels/{channel}"),
        ("get", "GET", "/v1/analysis/{analysis}"),
        ("update", "PATCH", "/v1/analysis/{analysis}"),
        ("delete", "DELETE", "/v1/analysis/{analysis}"),
        ("append", "POST", "/v1/analysis/{analysis}/drawings"),
    ],
    ids=["create", "list", "get", "update", "delete", "append"],
)
def test_a_key_without_the_permission_is_a_403(
    anonymous: httpx.Client, created: Body, server: Any, route: str, method: str, path: str
) -> None:
    others = [name for name in set(PERMISSION_OF.values()) if name != PERMISSION_OF[route]]
    key = server.admin.create_key(server.community_id, others)
    url = path.format(
        community=server.community_id, channel=created["channelId"], analysis=created["analysisId"]
    )
    response = anonymous.request(
        method, url, headers={"Authorization": f"Bearer {key}"}, json={"sender": server.sender}
    )
    assert PERMISSION_OF[route] in _error(response, 403).message
    assert (
        anonymous.get(
            f"/v1/analysis/{created['analysisId']}",
            headers={"Authorization": f"Bearer {server.api_key}"},
        ).json()["data"]
        == created
    )


@pytest.fixture
def other_community(server: Any) -> dict[str, str]:
    """A second community with its own member and all-permission key."""
    community = server.admin.create_community("Other traders")
    server.admin.add_member(community["communityId"], "other@example.com")
    key = server.admin.create_key(
        community["communityId"],
        ["createAnalysis", "readAnalysis", "updateAnalysis", "deleteAnalysis"],
    )
    return {**community, "apiKey": key}


def test_a_key_of_another_community_cannot_create_or_list_here(
    anonymous: httpx.Client, channel_path: str, create_body: Body, other_community: dict[str, str]
) -> None:
    headers = {"Authorization": f"Bearer {other_community['apiKey']}"}
    _error(anonymous.post(channel_path, json=create_body, headers=headers), 403)
    _error(anonymous.get(channel_path, headers=headers), 403)


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("GET", "", None),
        ("PATCH", "", {"sender": "other@example.com", "metadata": {"title": "Mine now"}}),
        ("DELETE", "", None),
        ("POST", "/drawings", {"sender": "other@example.com", "drawings": [drawing("intruder")]}),
    ],
    ids=["get", "update", "delete", "append"],
)
def test_analyses_of_another_community_are_invisible(
    anonymous: httpx.Client,
    client: httpx.Client,
    created: Body,
    other_community: dict[str, str],
    method: str,
    suffix: str,
    body: Body | None,
) -> None:
    headers = {"Authorization": f"Bearer {other_community['apiKey']}"}
    path = f"/v1/analysis/{created['analysisId']}"
    _error(anonymous.request(method, path + suffix, json=body, headers=headers), 404)
    assert client.get(path).json()["data"] == created


def test_list_of_another_community_does_not_show_these_analyses(
    anonymous: httpx.Client, created: Body, other_community: dict[str, str]
) -> None:
    headers = {"Authorization": f"Bearer {other_community['apiKey']}"}
    path = f"/v1/analysis/{other_community['communityId']}/channels/{other_community['channelId']}"
    body = anonymous.get(path, headers=headers).json()
    assert (body["meta"]["total"], body["data"]) == (0, [])


@pytest.mark.parametrize(
    ("method", "path", "fields"),
    [
        ("GET", "/v1/analysis/not-an-id", ["analysisId"]),
        ("DELETE", "/v1/analysis/123", ["analysisId"]),
        ("GET", "/v1/analysis/xyz/channels/abc", ["communityId", "channelId"]),
        ("POST", "/v1/analysis/zzzzzzzzzzzzzzzzzzzzzzzz/drawings", ["analysisId"]),
    ],
    ids=["get", "delete", "list", "append"],
)
def test_a_path_id_that_is_not_an_object_id_is_a_400_naming_it(
    client: httpx.Client, method: str, path: str, fields: list[str]
) -> None:
    assert _fields(client.request(method, path, json={})) == fields


@pytest.mark.parametrize(
    "path",
    ["/v1/analysis/0123456789abcdef01234567", "/v1/analysis/0123456789abcdef01234567/drawings"],
    ids=["get", "append"],
)
def test_an_unknown_analysis_is_a_404(client: httpx.Client, path: str, server: Any) -> None:
    method = "GET" if path.count("/") == 3 else "POST"
    body = {"sender": server.sender, "drawings": [drawing("x")]}
    _error(client.request(method, path, json=body), 404)


def test_a_channel_of_another_community_is_a_404(
    client: httpx.Client, server: Any, create_body: Body, other_community: dict[str, str]
) -> None:
    path = f"/v1/analysis/{server.community_id}/channels/{other_community['channelId']}"
    _error(client.post(path, json=create_body), 404)
    _error(client.get(path), 404)


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"page": "0"}, ["page"]),
        ({"page": "-1"}, ["page"]),
        ({"page": "one"}, ["page"]),
        ({"limit": "0"}, ["limit"]),
        ({"limit": "101"}, ["limit"]),
        ({"limit": "2.5"}, ["limit"]),
        ({"sort": "createdAt:sideways"}, ["sort"]),
        ({"sort": "price:asc"}, ["sort"]),
        ({"page": "0", "limit": "1000", "sort": "x"}, ["page", "limit", "sort"]),
    ],
    ids=[
        "page-zero",
        "page-negative",
        "page-text",
        "limit-zero",
        "limit-over-100",
        "limit-fraction",
        "sort-direction",
        "sort-field",
        "all-three",
    ],
)
def test_bad_list_parameters_are_a_400_naming_each(
    client: httpx.Client, channel_path: str, params: dict[str, str], fields: list[str]
) -> None:
    assert _fields(client.get(channel_path, params=params)) == fields


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/v1/nothing", 404), ("PUT", "/v1/analysis/0123456789abcdef01234567", 405)],
    ids=["unknown-route", "wrong-method"],
)
def test_unknown_routes_answer_the_error_envelope(
    client: httpx.Client, method: str, path: str, status: int
) -> None:
    _error(client.request(method, path), status)


def test_refused_requests_leave_no_trace_in_later_reads(
    client: httpx.Client, channel_path: str, create_body: Body
) -> None:
    broken = copy.deepcopy(create_body)
    broken["drawings"][4]["levels"] = []
    _error(client.post(channel_path, json=broken), 400)
    assert client.post(channel_path, json=create_body).status_code == 201
    assert client.get(channel_path).json()["meta"]["total"] == 1
