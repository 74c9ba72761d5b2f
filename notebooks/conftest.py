"""The notebooks run against one local API server started for the test session.

Kernels inherit this process's environment, so the server is started (and the ``RAI_*``
variables set) when pytest configures, before any notebook kernel starts.
"""

from __future__ import annotations

import os

import pytest

_VARIABLES = ("RAI_BASE_URL", "RAI_API_KEY", "RAI_COMMUNITY_ID", "RAI_CHANNEL_ID", "RAI_SENDER")


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("nbval", default=False):
        return
    from rai_charts import sandbox

    server = sandbox.start()
    previous = {name: os.environ.get(name) for name in _VARIABLES}
    os.environ.update(
        RAI_BASE_URL=server.url,
        RAI_API_KEY=server.api_key,
        RAI_COMMUNITY_ID=server.community_id,
        RAI_CHANNEL_ID=server.channel_id,
        RAI_SENDER=server.sender,
    )

    def restore() -> None:
        server.stop()
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value

    config.add_cleanup(restore)
