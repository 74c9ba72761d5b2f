"""Minimal sync: the plan for each kind of local change, the requests the server actually
received for it (its request log), and recovery after failures, through both clients."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from api.client_support import Api, example_analysis, logged_routes, publish
from rai_charts.api import (
    AnalysisSync,
    APIConnectionError,
    AsyncAnalysisSync,
    ConflictError,
    InternalServerError,
    SyncPlan,
    SyncResult,
    plan_sync,
)
from rai_charts.models import Analysis, LevelEntry, horizontal_line

Edit = Callable[[Analysis], None]


def line(client_object_id: str, price: float) -> Any:
    return horizontal_line(client_object_id, price, time="2026-01-08T12:00:00Z")


def add_drawings(count: int) -> Edit:
    def edit(analysis: Analysis) -> None:
        analysis.drawings = [
            *analysis.drawings,
            *(line(f"new_{index}", 1.30 + index / 1000) for index in range(count)),
        ]

    return edit


def move_target(analysis: Analysis) -> None:
    analysis.drawings = [
        drawing.model_copy(update={"points": [line("x", 1.36).points[0]]})
        if drawing.client_object_id == "target"
        else drawing
        for drawing in analysis.drawings
    ]


def remove_channel(analysis: Analysis) -> None:
    analysis.drawings = [d for d in analysis.drawings if d.client_object_id != "up_channel"]


def reorder(analysis: Analysis) -> None:
    analysis.drawings = list(reversed(analysis.drawings))


def retitle(analysis: Analysis) -> None:
    analysis.metadata.title = "Retitled"


def clear_comments(analysis: Analysis) -> None:
    analysis.metadata.comments = None


def move_pivot(analysis: Analysis) -> None:
    assert analysis.levels.pivot is not None
    analysis.levels = analysis.levels.model_copy(
        update={"pivot": LevelEntry(price=1.346, client_object_id="pivot_main")}
    )


def both(*edits: Edit) -> Edit:
    def edit(analysis: Analysis) -> None:
        for each in edits:
            each(analysis)

    return edit


def nothing(analysis: Analysis) -> None:
    pass


def edited(edit: Edit, analysis: Analysis | None = None) -> Analysis:
    copy = (analysis or example_analysis()).model_copy(deep=True)
    edit(copy)
    return copy


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        pytest.param(nothing, {}, id="nothing"),
        pytest.param(add_drawings(3), {"append": 3}, id="new-drawings"),
        pytest.param(move_target, {"drawings": 5}, id="drawing-changed"),
        pytest.param(remove_channel, {"drawings": 4}, id="drawing-removed"),
        pytest.param(reorder, {"drawings": 5}, id="drawings-reordered"),
        pytest.param(retitle, {"metadata": {"title": "Retitled"}}, id="metadata-changed"),
        pytest.param(clear_comments, {"metadata": {"comments": None}}, id="metadata-cleared"),
        pytest.param(move_pivot, {"levels": True}, id="levels-changed"),
        pytest.param(
            both(retitle, move_target),
            {"metadata": {"title": "Retitled"}, "drawings": 5},
            id="metadata-and-drawings",
        ),
        pytest.param(
            both(add_drawings(2), move_pivot),
            {"levels": True, "drawings": 7},
            id="levels-and-new-drawings-one-patch",
        ),
    ],
)
def test_plan_sends_only_what_changed(edit: Edit, expected: dict[str, Any]) -> None:
    acknowledged = example_analysis()
    plan = plan_sync(acknowledged, edited(edit))
    assert len(plan.append) == expected.get("append", 0)
    assert plan.metadata == expected.get("metadata")
    assert (plan.levels is not None) == expected.get("levels", False)
    assert (len(plan.drawings) if plan.drawings is not None else None) == expected.get("drawings")


def test_plan_of_an_unpublished_analysis_is_one_create() -> None:
    assert plan_sync(None, example_analysis()) == SyncPlan(create=True)


def test_plan_ignores_server_assigned_drawing_ids() -> None:
    local = example_analysis()
    stored = local.model_copy(
        update={
            "drawings": [
                d.model_copy(update={"id": f"{i:024x}"}) for i, d in enumerate(local.drawings)
            ]
        }
    )
    assert plan_sync(stored, local).is_empty


def new_session(api: Api, server: Any, channel_id: str | None = None) -> Any:
    return api.run(
        lambda c: c.analyses.sync_session(
            community_id=server.community_id,
            channel_id=channel_id or server.channel_id,
            sender=server.sender,
        )
    )


def run_sync(api: Api, session: Any, analysis: Analysis) -> SyncResult:
    result: SyncResult = api.run(lambda c: session.sync(analysis))
    return result


def stored_matches(api: Api, analysis_id: str, local: Analysis) -> bool:
    stored = api.run(lambda c: c.analyses.get(analysis_id))
    return plan_sync(stored.to_analysis(), local).is_empty


def test_first_sync_is_one_create(api: Api, server: Any, admin: Any) -> None:
    session = new_session(api, server)
    assert (session.status, session.analysis_id) == ("draft", None)
    local = example_analysis()
    result = run_sync(api, session, local)
    assert logged_routes(admin) == ["create"]
    assert (result.operations, result.request_count) == (("create",), 1)
    assert session.status == "synced"
    assert result.analysis_id == session.analysis_id
    assert stored_matches(api, result.analysis_id, local)


@pytest.mark.parametrize(
    ("edit", "routes", "fields"),
    [
        pytest.param(nothing, [], (), id="nothing-no-request"),
        pytest.param(add_drawings(1), ["append"], (), id="one-new-drawing-one-append"),
        pytest.param(add_drawings(12), ["append"], (), id="twelve-new-drawings-one-append"),
        pytest.param(move_target, ["update"], ("drawings",), id="drawing-changed-one-patch"),
        pytest.param(remove_channel, ["update"], ("drawings",), id="drawing-removed-one-patch"),
        pytest.param(retitle, ["update"], ("title",), id="metadata-changed-only-that-field"),
        pytest.param(clear_comments, ["update"], ("comments",), id="metadata-cleared"),
        pytest.param(move_pivot, ["update"], ("levels",), id="levels-changed"),
        pytest.param(
            both(retitle, move_target), ["update"], ("drawings", "title"), id="both-one-patch"
        ),
        pytest.param(
            both(add_drawings(2), retitle),
            ["update"],
            ("drawings", "title"),
            id="new-drawings-and-metadata-one-patch",
        ),
    ],
)
def test_sync_sends_the_fewest_requests(
    api: Api, server: Any, admin: Any, edit: Edit, routes: list[str], fields: tuple[str, ...]
) -> None:
    session = new_session(api, server)
    local = example_analysis()
    run_sync(api, session, local)
    admin.clear_requests()

    edit(local)
    assert session.has_changes(local) == bool(routes)
    result = run_sync(api, session, local)

    assert logged_routes(admin) == routes
    assert result.request_count == len(routes)
    assert list(result.operations) == (["append"] if routes == ["append"] else routes)
    assert tuple(sorted(result.updated_fields)) == fields
    assert session.status == "synced"
    assert not session.has_changes(local)
    admin.clear_requests()
    assert stored_matches(api, result.analysis_id, local)
    # Synced means synced: a second sync of the same state sends nothing.
    admin.clear_requests()
    again = run_sync(api, session, local)
    assert (again.operations, again.request_count, logged_routes(admin)) == ((), 0, [])


def test_later_edits_of_the_analysis_object_do_not_touch_the_acknowledged_copy(
    api: Api, server: Any, admin: Any
) -> None:
    session = new_session(api, server)
    local = example_analysis()
    run_sync(api, session, local)
    retitle(local)  # edited in place after the sync, as an editor widget does
    assert session.acknowledged is not None
    assert session.acknowledged.metadata.title != "Retitled"
    assert session.plan(local).metadata == {"title": "Retitled"}


def test_dropped_append_is_resent_with_its_key_and_never_duplicated(
    api: Api, server: Any, admin: Any
) -> None:
    fragile = api.other(max_retries=0)
    session = new_session(fragile, server)
    local = example_analysis()
    run_sync(fragile, session, local)
    add_drawings(3)(local)
    admin.clear_requests()
    admin.add_fault("append", drop_after_commit=True, times=1)

    with pytest.raises(APIConnectionError):
        run_sync(fragile, session, local)
    assert session.status == "error"
    assert isinstance(session.last_error, APIConnectionError)
    assert session.has_changes(local)

    local.drawings = [*local.drawings, line("later", 1.31)]  # edited again before the retry
    result = run_sync(fragile, session, local)
    assert result.operations == ("append", "append")
    assert result.request_count == 2
    assert session.status == "synced"
    assert logged_routes(admin) == ["append", "append", "append"]
    stored = api.run(lambda c: c.analyses.get(session.analysis_id))
    ids = [drawing.client_object_id for drawing in stored.drawings]
    assert len(ids) == len(set(ids)) == len(local.drawings)
    assert stored_matches(api, session.analysis_id, local)


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        pytest.param({"error_rate": 1.0}, InternalServerError, id="500-nothing-stored"),
        pytest.param({"drop_after_commit": True}, APIConnectionError, id="committed-then-dropped"),
    ],
)
def test_failed_first_publish_is_completed_by_the_next_sync_once(
    api: Api, server: Any, admin: Any, fault: dict[str, Any], error: type[Exception]
) -> None:
    channel_id = admin.create_channel(server.community_id, f"first publish {api.kind}")
    fragile = api.other(max_retries=0)
    session = new_session(fragile, server, channel_id)
    local = example_analysis()
    admin.add_fault("create", times=1, **fault)
    with pytest.raises(error):
        run_sync(fragile, session, local)
    assert session.status == "error"
    assert session.analysis_id is None

    result = run_sync(fragile, session, local)
    assert result.operations == ("create",)
    assert session.status == "synced"
    listed = api.collect(
        lambda c: c.analyses.list(community_id=server.community_id, channel_id=channel_id)
    )
    assert [summary.analysis_id for summary in listed] == [session.analysis_id]


def test_a_clear_refusal_is_not_resent(api: Api, server: Any, admin: Any) -> None:
    session = new_session(api, server)
    local = example_analysis()
    run_sync(api, session, local)
    # Someone else appends a drawing with the id the local editor is about to use.
    api.run(
        lambda c: c.analyses.append_drawings(
            session.analysis_id, [line("taken", 1.2)], sender=server.sender
        )
    )
    local.drawings = [*local.drawings, line("taken", 1.3)]
    with pytest.raises(ConflictError):
        run_sync(api, session, local)
    assert session.status == "error"

    local.drawings = [*local.drawings[:-1], line("mine", 1.3)]
    admin.clear_requests()
    result = run_sync(api, session, local)
    assert result.operations == ("append",)
    assert logged_routes(admin) == ["append"]


def test_status_is_pending_while_a_sync_is_in_flight(api: Api, server: Any, admin: Any) -> None:
    session = new_session(api, server)
    local = example_analysis()
    admin.add_fault("create", latency_ms=300, times=1)
    worker = threading.Thread(target=run_sync, args=(api, session, local))
    worker.start()
    deadline = time.monotonic() + 5
    seen = set()
    while worker.is_alive() and time.monotonic() < deadline:
        seen.add(session.status)
        time.sleep(0.005)
    worker.join()
    assert "pending" in seen
    assert session.status == "synced"


def test_analyses_sync_remembers_each_analysis(api: Api, server: Any, admin: Any) -> None:
    local = example_analysis()
    target = {
        "community_id": server.community_id,
        "channel_id": server.channel_id,
        "sender": server.sender,
    }
    first = api.run(lambda c: c.analyses.sync(local, **target))
    second = api.run(lambda c: c.with_options(max_retries=5).analyses.sync(local, **target))
    add_drawings(2)(local)
    third = api.run(lambda c: c.analyses.sync(local, **target))
    assert [first.operations, second.operations, third.operations] == [
        ("create",),
        (),
        ("append",),
    ]
    assert logged_routes(admin) == ["create", "append"]
    other = example_analysis()
    assert api.run(lambda c: c.analyses.sync(other, **target)).operations == ("create",)
    with pytest.raises(ValueError, match="same sender"):
        api.run(lambda c: c.analyses.sync(local, **{**target, "sender": "b@example.com"}))


def test_session_from_detail_continues_a_published_analysis(
    api: Api, server: Any, admin: Any
) -> None:
    detail = publish(api, server)
    session_class = AnalysisSync if api.kind == "sync" else AsyncAnalysisSync
    session = session_class.from_detail(api.client, detail)
    assert (session.status, session.analysis_id) == ("synced", detail.analysis_id)
    local = detail.to_analysis()
    add_drawings(1)(local)
    admin.clear_requests()
    assert run_sync(api, session, local).operations == ("append",)
    assert logged_routes(admin) == ["append"]


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        pytest.param({"community_id": "x"}, ValueError, "community_id", id="bad-community"),
        pytest.param({"channel_id": ""}, ValueError, "channel_id", id="empty-channel"),
        pytest.param({"sender": ""}, ValueError, "sender", id="empty-sender"),
        pytest.param(
            {"analysis_id": "0123456789abcdef01234567"},
            ValueError,
            "analysis_id and acknowledged go together",
            id="id-without-state",
        ),
    ],
)
def test_session_arguments_are_checked(
    api: Api, arguments: dict[str, Any], error: type[Exception], message: str
) -> None:
    valid = {
        "community_id": "0123456789abcdef01234567",
        "channel_id": "0123456789abcdef01234567",
        "sender": "a@example.com",
    }
    session_class = AnalysisSync if api.kind == "sync" else AsyncAnalysisSync
    with pytest.raises(error, match=message):
        session_class(api.client, **{**valid, **arguments})


def test_sync_refuses_what_is_not_an_analysis(api: Api, server: Any) -> None:
    session = new_session(api, server)
    with pytest.raises(TypeError, match="analysis must be an Analysis, got dict"):
        api.run(lambda c: session.sync({"metadata": {}}))
    assert session.status == "draft"
