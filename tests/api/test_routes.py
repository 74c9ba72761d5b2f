"""The route table: one row per operation, each marked confirmed or assumed."""

from __future__ import annotations

import pytest

from rai_charts.api import ROUTES
from rai_charts.api._routes import check_object_id

CONTRACT = [
    ("analyses.create", "POST", "/v1/analysis/{communityId}/channels/{channelId}", "confirmed"),
    ("analyses.get", "GET", "/v1/analysis/{analysisId}", "assumed"),
    ("analyses.update", "PATCH", "/v1/analysis/{analysisId}", "confirmed"),
    ("analyses.delete", "DELETE", "/v1/analysis/{analysisId}", "assumed"),
    ("analyses.list", "GET", "/v1/analysis/{communityId}/channels/{channelId}", "assumed"),
    ("analyses.append_drawings", "POST", "/v1/analysis/{analysisId}/drawings", "assumed"),
]


def test_route_table_is_part_0_of_the_wire_contract() -> None:
    rows = [(r.name, r.method, r.path, r.status) for r in ROUTES.values()]
    assert rows == CONTRACT
    assert {r.name for r in ROUTES.values() if r.idempotency_key} == {
        "analyses.create",
        "analyses.append_drawings",
    }
    assert {r.family for r in ROUTES.values()} == {"partner"}


def test_every_route_is_a_method_of_both_clients() -> None:
    from rai_charts.api.resources.analyses import Analyses, AsyncAnalyses

    for name in ROUTES:
        resource, method = name.split(".")
        assert resource == "analyses"
        assert callable(getattr(Analyses, method)) and callable(getattr(AsyncAnalyses, method))


def test_path_is_built_from_checked_ids() -> None:
    route = ROUTES["analyses.create"]
    assert route.parameters == ("communityId", "channelId")
    path = route.build_path({"communityId": "a" * 24, "channelId": "B" * 24})
    assert path == f"/v1/analysis/{'a' * 24}/channels/{'B' * 24}"
    with pytest.raises(TypeError, match=r"takes path parameters \['communityId', 'channelId'\]"):
        route.build_path({"communityId": "a" * 24})
    with pytest.raises(ValueError, match="channel_id must be a 24-hex ObjectId, got 'nope'"):
        route.build_path({"communityId": "a" * 24, "channelId": "nope"})


@pytest.mark.parametrize(
    ("value", "error"),
    [
        pytest.param("", ValueError, id="empty"),
        pytest.param("0" * 23, ValueError, id="23-chars"),
        pytest.param("g" * 24, ValueError, id="not-hex"),
        pytest.param(" " + "0" * 23, ValueError, id="space"),
        pytest.param("0" * 24 + "\n", ValueError, id="trailing-newline"),
        pytest.param(None, TypeError, id="none"),
        pytest.param(0x1234, TypeError, id="int"),
    ],
)
def test_object_ids_are_24_hex_characters(value: object, error: type[Exception]) -> None:
    with pytest.raises(error, match="analysis_id"):
        check_object_id("analysis_id", value)
