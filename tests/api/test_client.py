"""Client construction, configuration, lifetime, and the secrecy of the API key."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

import rai_charts
from api.client_support import Api, example_analysis, publish
from rai_charts.api import AsyncClient, AuthenticationError, Client, NotFoundError

MISSING_ID = "0123456789abcdef01234567"


@pytest.mark.parametrize("client_class", [Client, AsyncClient], ids=["sync", "async"])
def test_missing_api_key_is_a_clear_error_at_construction(
    monkeypatch: pytest.MonkeyPatch, client_class: type[Any]
) -> None:
    monkeypatch.delenv("RAI_API_KEY", raising=False)
    with pytest.raises(ValueError, match=r"pass api_key=\.\.\. or set the RAI_API_KEY"):
        client_class()


def test_key_and_base_url_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, server: Any
) -> None:
    monkeypatch.setenv("RAI_API_KEY", server.api_key)
    monkeypatch.setenv("RAI_BASE_URL", server.url + "/")
    with Client() as client:
        assert client.base_url == server.url
        page = client.analyses.list(community_id=server.community_id, channel_id=server.channel_id)
        assert page.info.page == 1


def test_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch, server: Any) -> None:
    monkeypatch.setenv("RAI_API_KEY", "a-key-from-the-environment")
    monkeypatch.setenv("RAI_BASE_URL", "http://127.0.0.1:9")
    with Client(server.api_key, server.url) as client:
        client.analyses.list(community_id=server.community_id, channel_id=server.channel_id)


def test_default_base_url_is_the_partner_gateway(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RAI_BASE_URL", raising=False)
    with Client("key") as client:
        assert client.base_url == "https://api.returning.ai"


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        pytest.param({"max_retries": -1}, ValueError, "max_retries must be", id="negative-retries"),
        pytest.param({"max_retries": 1.5}, ValueError, "max_retries must be", id="float-retries"),
        pytest.param({"max_retries": True}, ValueError, "max_retries must be", id="bool-retries"),
        pytest.param(
            {"initial_retry_delay": -0.1}, ValueError, "initial_retry_delay", id="negative-delay"
        ),
        pytest.param({"http_client": object()}, TypeError, "httpx.Client", id="foreign-http"),
        pytest.param(
            {"http_client": httpx.AsyncClient()},
            TypeError,
            "httpx.Client",
            id="async-http-for-sync",
        ),
    ],
)
def test_bad_options_are_refused(
    options: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        Client("key", "http://127.0.0.1:9", **options)


def test_context_manager_closes_the_pool(server: Any) -> None:
    with Client(server.api_key, server.url) as client:
        client.analyses.get  # noqa: B018 - resources are built lazily; this one must exist
    with pytest.raises(RuntimeError, match="closed"):
        client.analyses.get(MISSING_ID)


@pytest.mark.anyio
async def test_async_context_manager_closes_the_pool(server: Any) -> None:
    async with AsyncClient(server.api_key, server.url) as client:
        with pytest.raises(NotFoundError):
            await client.analyses.get(MISSING_ID)
    with pytest.raises(RuntimeError, match="closed"):
        await client.analyses.get(MISSING_ID)


def test_a_given_http_client_stays_open(server: Any) -> None:
    with httpx.Client() as http:
        Client(server.api_key, server.url, http_client=http).close()
        with (
            Client(server.api_key, server.url, http_client=http) as client,
            pytest.raises(NotFoundError),
        ):
            client.analyses.get(MISSING_ID)
        assert not http.is_closed


def test_with_options_shares_the_pool_and_keeps_other_options(server: Any) -> None:
    with Client(server.api_key, server.url, max_retries=4, timeout=7) as client:
        copy = client.with_options(max_retries=0)
        assert (copy.max_retries, copy.timeout, copy.base_url) == (0, client.timeout, server.url)
        assert copy._http is client._http
        copy.close()
        with pytest.raises(NotFoundError):
            client.analyses.get(MISSING_ID)


@pytest.mark.anyio
async def test_sync_client_works_inside_a_running_event_loop(server: Any) -> None:
    # As in a notebook cell: an event loop is running in this thread; the sync client must not
    # try to run one of its own.
    with Client(server.api_key, server.url) as client:
        detail = client.analyses.create(
            example_analysis(),
            community_id=server.community_id,
            channel_id=server.channel_id,
            sender=server.sender,
        )
        assert client.analyses.get(detail.analysis_id) == detail


def test_public_names_are_served_lazily_from_the_top_level() -> None:
    assert rai_charts.Client is Client
    assert rai_charts.AsyncClient is AsyncClient
    assert rai_charts.NotFoundError is NotFoundError
    assert {"Client", "AsyncClient", "RaiChartsError", "RenderError"} <= set(dir(rai_charts))


def test_api_key_never_appears_in_repr_str_logs_or_errors(
    api: Api,
    server: Any,
    analysis: Any,
    debug_log: logging.Logger,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: ours, httpx's and httpcore's
    secret = server.api_key
    wrong = "wrong-key-" + secret[::-1]
    logged = api.other()
    rejected = api.other(api_key=wrong)

    shown: list[str] = []
    for client in (logged.client, rejected.client):
        shown += [repr(client), str(client), repr(client.analyses), repr(vars(client))]
        copy = client.with_options(max_retries=1)
        shown += [repr(copy), str(copy), repr(vars(copy))]
    detail = publish(logged, server, analysis)
    raw = logged.run(lambda c: c.analyses.with_raw_response.get(detail.analysis_id))
    session = logged.run(
        lambda c: c.analyses.sync_session(
            community_id=server.community_id, channel_id=server.channel_id, sender=server.sender
        )
    )
    shown += [repr(raw), str(raw), repr(session), str(session)]
    for runner, key in ((logged, secret), (rejected, wrong)):
        with pytest.raises((NotFoundError, AuthenticationError)) as caught:
            runner.run(lambda c: c.analyses.get(MISSING_ID))
        error = caught.value
        shown += [str(error), repr(error), error.message, error.text, repr(error.args)]
        assert key not in " ".join(shown)
    assert isinstance(caught.value, AuthenticationError)

    lines = [record.getMessage() for record in caplog.records]
    assert any(" -> 201 in " in line for line in lines)
    assert any(line.startswith("HTTP Request:") for line in lines)  # httpx's own log line
    for text in [*shown, *lines, caplog.text]:
        assert secret not in text
        assert wrong not in text
