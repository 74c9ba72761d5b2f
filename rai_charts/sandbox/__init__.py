"""A local, stateful emulator of the Returning.AI Chart Analysis API, on SQLite.

``start()`` runs it in a background thread (tests, notebooks); ``rai-charts sandbox`` runs it in
the foreground. It serves the wire format of ``rai_charts.models`` by itself and never imports
the client package, so a client tested against it is tested honestly.
"""

from ._app import create_app
from ._server import Admin, SandboxServer, serve, start
from ._store import PERMISSIONS, SEED, Seed, Store

__all__ = [
    "PERMISSIONS",
    "SEED",
    "Admin",
    "SandboxServer",
    "Seed",
    "Store",
    "create_app",
    "serve",
    "start",
]
