"""Fixtures of the client suite: one local API server for the whole suite (tests/api), over real
loopback HTTP, stopped when the suite ends."""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal

from api.client_support import FAST_RETRIES, Api, example_analysis
from rai_charts.models import Analysis


@pytest.fixture(scope="package")
def sandbox() -> Iterator[Any]:
    """The sandbox server, started once on a free loopback port."""
    from rai_charts import sandbox as sandbox_module

    server = sandbox_module.start(port=0)
    try:
        yield server
    finally:
        server.stop()
        # Collect what the suite left in reference cycles (errors holding tracebacks, closed
        # clients) now, so no socket of ours closes in the middle of a later package's tests.
        gc.collect()


@pytest.fixture(scope="package")
def admin(sandbox: Any) -> Any:
    """The sandbox's admin routes (request log, faults, communities, keys)."""
    return sandbox.admin


@pytest.fixture
def server(sandbox: Any, admin: Any) -> Iterator[Any]:
    """The sandbox with no faults and an empty request log."""
    admin.clear_faults()
    admin.clear_requests()
    yield sandbox
    admin.clear_faults()


@pytest.fixture(scope="package")
def portal() -> Iterator[BlockingPortal]:
    """An event loop in its own thread, hosting every AsyncClient of the suite."""
    with start_blocking_portal(backend="asyncio") as running:
        yield running


@pytest.fixture(scope="package", params=["sync", "async"])
def session_api(
    request: pytest.FixtureRequest, sandbox: Any, portal: BlockingPortal
) -> Iterator[Api]:
    adapter = Api(request.param, sandbox.url, sandbox.api_key, portal, **FAST_RETRIES)
    yield adapter
    adapter.close()


@pytest.fixture
def api(session_api: Api, server: Any) -> Iterator[Api]:
    """The same test through ``Client`` and ``AsyncClient``, with millisecond retry waits."""
    yield session_api
    session_api.close_others()


@pytest.fixture
def analysis() -> Analysis:
    return example_analysis()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def debug_log(monkeypatch: pytest.MonkeyPatch) -> logging.Logger:
    """``RAI_LOG=debug`` for one test; the client's logger is put back as it was afterwards."""
    monkeypatch.setenv("RAI_LOG", "debug")
    logger = logging.getLogger("rai_charts.api")
    monkeypatch.setattr(logger, "level", logger.level)
    monkeypatch.setattr(logger, "handlers", list(logger.handlers))
    return logger
