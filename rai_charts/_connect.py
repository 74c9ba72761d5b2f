"""One call from a notebook to a ready client: the server named by the environment, or a local one.

``RAI_BASE_URL`` and ``RAI_API_KEY`` name a server (the real API, or a local API server started
elsewhere); ``RAI_COMMUNITY_ID``, ``RAI_CHANNEL_ID`` and ``RAI_SENDER`` say where to publish.
Without ``RAI_BASE_URL`` a local API server is started in the background, with its seeded
community, channel, member and key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ._closing import ClosesOnExit

if TYPE_CHECKING:
    from .api import Client
    from .sandbox import SandboxServer


@dataclass
class Connection(ClosesOnExit):
    """A client and the channel it publishes to; closes what it opened."""

    client: Client
    """The API client."""
    community_id: str
    """The community analyses are published to."""
    channel_id: str
    """The channel analyses are published to."""
    sender: str
    """The member who publishes (an email)."""
    server: SandboxServer | None = field(default=None, repr=False)
    """The local API server started for this connection, if one was."""

    @property
    def base_url(self) -> str:
        """Where the client sends requests."""
        return str(self.client.base_url)

    @property
    def is_local(self) -> bool:
        """Whether this connection started its own local API server."""
        return self.server is not None

    def close(self) -> None:
        """Close the client, and stop the local server if this connection started one."""
        self.client.close()
        if self.server is not None:
            self.server.stop()


def connect() -> Connection:
    """A client for the server the environment names, or for a new local API server.

    With ``RAI_BASE_URL`` set, ``RAI_API_KEY`` is required (the client says so when it is
    missing) and the channel comes from ``RAI_COMMUNITY_ID``, ``RAI_CHANNEL_ID`` and
    ``RAI_SENDER``, which default to the local server's seeded values.
    """
    from .api import Client
    from .sandbox import SEED, start

    if os.environ.get("RAI_BASE_URL"):
        return Connection(
            client=Client(),
            community_id=os.environ.get("RAI_COMMUNITY_ID", SEED.community_id),
            channel_id=os.environ.get("RAI_CHANNEL_ID", SEED.channel_id),
            sender=os.environ.get("RAI_SENDER", SEED.sender),
        )
    server = start(seed=True)
    return Connection(
        client=Client(api_key=SEED.api_key, base_url=server.url),
        community_id=SEED.community_id,
        channel_id=SEED.channel_id,
        sender=SEED.sender,
        server=server,
    )
