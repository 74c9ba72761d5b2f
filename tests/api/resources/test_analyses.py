"""``client.analyses``: every method, its raw response and its path checks, through both clients
against the local API server."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from api.client_support import Api, logged_routes, publish
from rai_charts.api import APIResponse, NotFoundError
from rai_charts.models import (
    Analysis,
    AnalysisDetail,
    AnalysisSummary,
    AppendDrawingsResult,
    DeleteAnalysisResult,
    LevelEntry,
    Levels,
    UpdateAnalysisResult,
    horizontal_line,
)

VALID_ID = "0123456789abcdef01234567"


def new_line(client_object_id: str, price: float) -> Any:
    return horizontal_line(client_object_id, price, time="2026-01-08T12:00:00Z")


def test_method_create(api: Api, server: Any, admin: Any, analysis: Analysis) -> None:
    detail = publish(api, server, analysis)
    assert isinstance(detail, AnalysisDetail)
    assert detail.to_analysis() == analysis.model_copy(
        update={"drawings": detail.to_analysis().drawings}
    )
    assert [drawing.client_object_id for drawing in detail.drawings] == [
        drawing.client_object_id for drawing in analysis.drawings
    ]
    assert all(drawing.id for drawing in detail.drawings)
    assert (detail.community_id, detail.channel_id, detail.sender) == (
        server.community_id,
        server.channel_id,
        server.sender,
    )
    assert detail.type == analysis.analysis_type
    assert logged_routes(admin) == ["create"]


def test_create_with_the_same_idempotency_key_returns_the_first_analysis(
    api: Api, server: Any, admin: Any, analysis: Analysis
) -> None:
    channel_id = admin.create_channel(server.community_id, "idempotent create")
    key = f"test-key-{uuid.uuid4().hex}"
    first = publish(api, server, analysis, channel_id=channel_id, idempotency_key=key)
    again = publish(api, server, analysis, channel_id=channel_id, idempotency_key=key)
    assert again.analysis_id == first.analysis_id
    listed = api.collect(
        lambda c: c.analyses.list(community_id=server.community_id, channel_id=channel_id)
    )
    assert [summary.analysis_id for summary in listed] == [first.analysis_id]


def test_method_get(api: Api, server: Any, admin: Any, analysis: Analysis) -> None:
    created = publish(api, server, analysis)
    admin.clear_requests()
    fetched = api.run(lambda c: c.analyses.get(created.analysis_id))
    assert isinstance(fetched, AnalysisDetail)
    assert fetched == created
    assert logged_routes(admin) == ["get"]


def test_method_update(api: Api, server: Any, admin: Any, analysis: Analysis) -> None:
    created = publish(api, server, analysis)
    levels = Levels(
        support=LevelEntry(price=1.30, client_object_id="sup_1"),
        resistance=LevelEntry(price=1.40, client_object_id="res_1"),
        pivot=LevelEntry(price=1.35, client_object_id="pivot_main"),
    )
    # Reordered, one unlinked drawing dropped, one added: PATCH replaces the whole list.
    drawings = [*reversed(analysis.drawings[:3]), new_line("fresh_line", 1.36)]
    metadata = {"title": "Rewritten", "comments": None}
    admin.clear_requests()
    result = api.run(
        lambda c: c.analyses.update(
            created.analysis_id,
            sender=server.sender,
            metadata=metadata,
            levels=levels,
            drawings=drawings,
        )
    )
    assert isinstance(result, UpdateAnalysisResult)
    assert result.analysis_id == created.analysis_id
    assert {"title", "comments", "levels", "drawings"} <= set(result.updated_fields)
    stored = api.run(lambda c: c.analyses.get(created.analysis_id))
    assert stored.metadata.title == "Rewritten"
    assert stored.metadata.comments is None
    assert stored.levels == levels
    assert [d.client_object_id for d in stored.drawings] == [d.client_object_id for d in drawings]
    assert logged_routes(admin) == ["update", "get"]


def test_method_delete(api: Api, server: Any, admin: Any, analysis: Analysis) -> None:
    created = publish(api, server, analysis)
    result = api.run(lambda c: c.analyses.delete(created.analysis_id))
    assert isinstance(result, DeleteAnalysisResult)
    assert (result.analysis_id, result.deleted) == (created.analysis_id, True)
    with pytest.raises(NotFoundError):
        api.run(lambda c: c.analyses.get(created.analysis_id))


def test_method_append_drawings(api: Api, server: Any, admin: Any, analysis: Analysis) -> None:
    created = publish(api, server, analysis)
    added = [new_line("extra_1", 1.351), new_line("extra_2", 1.352)]
    admin.clear_requests()
    result = api.run(
        lambda c: c.analyses.append_drawings(created.analysis_id, added, sender=server.sender)
    )
    assert isinstance(result, AppendDrawingsResult)
    assert result.appended == ["extra_1", "extra_2"]
    assert result.drawing_count == len(analysis.drawings) + 2
    stored = api.run(lambda c: c.analyses.get(created.analysis_id))
    assert [d.client_object_id for d in stored.drawings][-2:] == ["extra_1", "extra_2"]
    assert logged_routes(admin) == ["append", "get"]


def test_method_list_walks_more_than_three_pages_lazily(
    api: Api, server: Any, admin: Any, analysis: Analysis
) -> None:
    channel_id = admin.create_channel(server.community_id, "pagination")
    created = [publish(api, server, analysis, channel_id=channel_id) for _ in range(9)]
    admin.clear_requests()

    def listing(c: Any) -> Any:
        return c.analyses.list(
            community_id=server.community_id, channel_id=channel_id, limit=2, sort="createdAt:asc"
        )

    summaries = api.collect(listing)
    assert all(isinstance(summary, AnalysisSummary) for summary in summaries)
    assert [s.analysis_id for s in summaries] == [d.analysis_id for d in created]
    assert logged_routes(admin) == ["list"] * 5
    assert [entry["path"] for entry in admin.requests()] == [
        f"/v1/analysis/{server.community_id}/channels/{channel_id}"
    ] * 5


def test_list_gives_one_page_at_a_time(
    api: Api, server: Any, admin: Any, analysis: Analysis
) -> None:
    channel_id = admin.create_channel(server.community_id, "page at a time")
    for _ in range(5):
        publish(api, server, analysis, channel_id=channel_id)
    admin.clear_requests()

    async def walk_async(paginator: Any) -> list[tuple[int, int, bool]]:
        first = await paginator
        return [(p.info.page, len(p.items), p.has_next_page()) async for p in first.iter_pages()]

    def walk(c: Any) -> Any:
        paginator = c.analyses.list(
            community_id=server.community_id, channel_id=channel_id, limit=2
        )
        if api.kind == "async":
            return walk_async(paginator)
        return [(p.info.page, len(p.items), p.has_next_page()) for p in paginator.iter_pages()]

    assert api.run(walk) == [(1, 2, True), (2, 2, True), (3, 1, False)]
    first = api.run(
        lambda c: c.analyses.list(community_id=server.community_id, channel_id=channel_id, limit=2)
    )
    assert (first.info.page, first.info.limit, first.info.total) == (1, 2, 5)
    second = api.run(lambda c: first.get_next_page())
    assert second.info.page == 2
    last = api.run(
        lambda c: c.analyses.list(
            community_id=server.community_id, channel_id=channel_id, limit=2, page=3
        )
    )
    with pytest.raises(RuntimeError, match="last page"):
        api.run(lambda c: last.get_next_page())


RAW_CALLS: list[Any] = [
    pytest.param("get", 200, AnalysisDetail, id="get"),
    pytest.param("create", 201, AnalysisDetail, id="create"),
    pytest.param("update", 200, UpdateAnalysisResult, id="update"),
    pytest.param("append_drawings", 200, AppendDrawingsResult, id="append_drawings"),
    pytest.param("list", 200, None, id="list"),
    pytest.param("delete", 200, DeleteAnalysisResult, id="delete"),
]


def raw_call(name: str, server: Any, analysis: Analysis, analysis_id: str) -> Callable[[Any], Any]:
    calls: dict[str, Callable[[Any], Any]] = {
        "get": lambda c: c.analyses.with_raw_response.get(analysis_id),
        "create": lambda c: c.analyses.with_raw_response.create(
            analysis,
            community_id=server.community_id,
            channel_id=server.channel_id,
            sender=server.sender,
        ),
        "update": lambda c: c.analyses.with_raw_response.update(
            analysis_id, sender=server.sender, metadata={"title": "Raw"}
        ),
        "append_drawings": lambda c: c.analyses.with_raw_response.append_drawings(
            analysis_id, [new_line("raw_line", 1.3)], sender=server.sender
        ),
        "list": lambda c: c.analyses.with_raw_response.list(
            community_id=server.community_id, channel_id=server.channel_id
        ),
        "delete": lambda c: c.analyses.with_raw_response.delete(analysis_id),
    }
    return calls[name]


@pytest.mark.parametrize(("name", "status", "result_type"), RAW_CALLS)
def test_raw_response(
    api: Api,
    server: Any,
    analysis: Analysis,
    name: str,
    status: int,
    result_type: type[Any] | None,
) -> None:
    created = publish(api, server, analysis)
    raw = api.run(raw_call(name, server, analysis, created.analysis_id))
    assert isinstance(raw, APIResponse)
    assert raw.status_code == status
    assert raw.headers["content-type"].startswith("application/json")
    assert raw.json()["data"] is not None
    assert raw.retries_taken == 0
    parsed = raw.parse()
    if result_type is None:
        assert [item.analysis_id for item in parsed.items]
        assert parsed.response is raw
    else:
        assert isinstance(parsed, result_type)
    # The raw flag covers that one call only: the next plain call parses again.
    page = api.run(
        lambda c: c.analyses.list(community_id=server.community_id, channel_id=server.channel_id)
    )
    assert not isinstance(page, APIResponse)
    assert page.items


PATH_CALLS: dict[str, Callable[[Any, Analysis, str], Any]] = {
    "get": lambda c, a, bad: c.analyses.get(bad),
    "update": lambda c, a, bad: c.analyses.update(bad, sender="x@y.z", metadata={"title": "t"}),
    "delete": lambda c, a, bad: c.analyses.delete(bad),
    "append_drawings": lambda c, a, bad: c.analyses.append_drawings(
        bad, [new_line("p", 1.0)], sender="x@y.z"
    ),
    "create_community": lambda c, a, bad: c.analyses.create(
        a, community_id=bad, channel_id=VALID_ID, sender="x@y.z"
    ),
    "create_channel": lambda c, a, bad: c.analyses.create(
        a, community_id=VALID_ID, channel_id=bad, sender="x@y.z"
    ),
    "list_community": lambda c, a, bad: c.analyses.list(community_id=bad, channel_id=VALID_ID),
    "list_channel": lambda c, a, bad: c.analyses.list(community_id=VALID_ID, channel_id=bad),
}
PARAMETER = {
    "create_community": "community_id",
    "list_community": "community_id",
    "create_channel": "channel_id",
    "list_channel": "channel_id",
}


@pytest.mark.parametrize("call", sorted(PATH_CALLS))
@pytest.mark.parametrize(
    "bad",
    [
        pytest.param("", id="empty"),
        pytest.param("abc", id="short"),
        pytest.param("z" * 24, id="not-hex"),
        pytest.param(VALID_ID + "0", id="too-long"),
        pytest.param("../../admin/123456789012", id="path-traversal"),
    ],
)
def test_path_params_are_checked_before_any_request(
    api: Api, admin: Any, analysis: Analysis, call: str, bad: str
) -> None:
    with pytest.raises(ValueError, match=PARAMETER.get(call, "analysis_id")) as caught:
        api.run(lambda c: PATH_CALLS[call](c, analysis, bad))
    assert repr(bad) in str(caught.value)
    assert admin.requests() == []


@pytest.mark.parametrize(
    ("call", "message"),
    [
        pytest.param(
            lambda c, a: c.analyses.update(VALID_ID, sender="x@y.z"),
            "at least one of metadata, levels or drawings",
            id="update-nothing",
        ),
        pytest.param(
            lambda c, a: c.analyses.list(community_id=VALID_ID, channel_id=VALID_ID, limit=101),
            "limit must be an integer from 1 to 100",
            id="list-limit",
        ),
        pytest.param(
            lambda c, a: c.analyses.list(community_id=VALID_ID, channel_id=VALID_ID, page=0),
            "page must be an integer >= 1",
            id="list-page",
        ),
        pytest.param(
            lambda c, a: c.analyses.list(
                community_id=VALID_ID, channel_id=VALID_ID, sort="newest first"
            ),
            "sort must look like 'createdAt:desc'",
            id="list-sort",
        ),
        pytest.param(
            lambda c, a: c.analyses.create(
                a, community_id=VALID_ID, channel_id=VALID_ID, sender="x@y.z", idempotency_key=""
            ),
            "idempotency_key must be a non-empty str",
            id="create-empty-key",
        ),
    ],
)
def test_bad_arguments_are_refused_before_any_request(
    api: Api, admin: Any, analysis: Analysis, call: Callable[[Any, Analysis], Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        api.run(lambda c: call(c, analysis))
    assert admin.requests() == []


@pytest.mark.parametrize(
    ("call", "message"),
    [
        pytest.param(
            lambda c: c.analyses.create(
                {"metadata": {}}, community_id=VALID_ID, channel_id=VALID_ID, sender="x@y.z"
            ),
            "analysis must be Analysis, got dict",
            id="create-dict",
        ),
        pytest.param(
            lambda c: c.analyses.append_drawings(VALID_ID, new_line("a", 1.0), sender="x@y.z"),
            "drawings must be a sequence of drawings",
            id="append-one-drawing",
        ),
        pytest.param(lambda c: c.analyses.get(123), "analysis_id must be a str", id="get-int"),
    ],
)
def test_wrong_argument_types_are_type_errors(
    api: Api, admin: Any, call: Callable[[Any], Any], message: str
) -> None:
    with pytest.raises(TypeError, match=message):
        api.run(call)
    assert admin.requests() == []
