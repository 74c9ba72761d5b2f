"""``/openapi.json`` describes what is served, and generated requests never get a 500."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from rai_charts.sandbox._admin import ADMIN_ROUTES
from rai_charts.sandbox._openapi import openapi_document
from rai_charts.sandbox._routes import OPERATIONS

EXAMPLES_PER_MODE = 15
"""Per route and per generation mode (valid, then invalid requests): about 30 per route."""


def test_the_served_document_is_the_one_built_from_the_route_tables(server: Any) -> None:
    assert httpx.get(f"{server.url}/openapi.json").json() == openapi_document()


def test_each_analysis_route_is_tagged_confirmed_or_assumed_as_the_contract_says() -> None:
    paths = openapi_document()["paths"]
    tags = {
        (method.upper(), path): entry["tags"]
        for path, methods in paths.items()
        for method, entry in methods.items()
        if path.startswith("/v1/")
    }
    assert tags == {
        ("POST", "/v1/analysis/{communityId}/channels/{channelId}"): ["confirmed"],
        ("PATCH", "/v1/analysis/{analysisId}"): ["confirmed"],
        ("GET", "/v1/analysis/{analysisId}"): ["assumed"],
        ("DELETE", "/v1/analysis/{analysisId}"): ["assumed"],
        ("GET", "/v1/analysis/{communityId}/channels/{channelId}"): ["assumed"],
        ("POST", "/v1/analysis/{analysisId}/drawings"): ["assumed"],
    }


def test_the_document_lists_exactly_the_served_routes(server: Any) -> None:
    documented = {
        (method.upper(), path)
        for path, methods in openapi_document()["paths"].items()
        for method in methods
    }
    served = {(op.method, op.path) for op in OPERATIONS} | {
        (route.method, route.path) for route in ADMIN_ROUTES
    }
    assert documented == served
    # And nothing else answers: an undocumented method on a documented path is a 405.
    assert httpx.put(f"{server.url}/_sandbox/faults").status_code == 405


schema = schemathesis.openapi.from_dict(openapi_document()).include(path_regex="^/v1/")
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=EXAMPLES_PER_MODE,
    no_shrink=True,
)
# The coverage phase enumerates boundary cases of every schema at collection time: tens of
# seconds on these nested drawing schemas. Fuzzing alone keeps the run bounded.
schema.config.phases.update(phases=["examples", "fuzzing"])


def _real_ids(server: Any, case: Any) -> None:
    """Point generated path ids at objects that exist, so requests reach the handlers."""
    headers = {"Authorization": f"Bearer {server.api_key}"}
    parameters = case.path_parameters or {}
    if "communityId" in parameters:
        parameters |= {"communityId": server.community_id, "channelId": server.channel_id}
    if "analysisId" in parameters:
        body = {
            "sender": server.sender,
            "metadata": {
                "title": "target",
                "symbol": "GBP/USD",
                "timeframe": "H1",
                "direction": "BULLISH",
                "entryPlacement": "ABOVE_CURRENT",
            },
        }
        path = f"{server.url}/v1/analysis/{server.community_id}/channels/{server.channel_id}"
        parameters["analysisId"] = httpx.post(path, json=body, headers=headers).json()["data"][
            "analysisId"
        ]
    if isinstance(case.body, dict) and "sender" in case.body:
        case.body["sender"] = server.sender


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_MODE,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_generated_request_gets_a_500_and_every_answer_matches_the_document(
    case: Any, server: Any
) -> None:
    _real_ids(server, case)
    response = case.call(base_url=server.url, headers={"Authorization": f"Bearer {server.api_key}"})
    assert response.status_code < 500, response.text
    case.validate_response(
        response,
        checks=[status_code_conformance, content_type_conformance, response_schema_conformance],
    )
