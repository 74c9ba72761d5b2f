"""The sandbox's state in SQLite: communities, keys, analyses, drawings, idempotency, events.

One connection serves the requests, used by the server's event-loop thread only; a second one,
in a thread of its own, runs the WAL checkpoints. WAL journal; every statement takes its values
as parameters. A request runs inside one :meth:`Store.transaction`, so a refused request leaves
nothing behind.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, NamedTuple

PERMISSIONS: tuple[str, ...] = (
    "createAnalysis",
    "readAnalysis",
    "updateAnalysis",
    "deleteAnalysis",
)
"""Every analysis permission a key may hold."""

OBJECT_ID = re.compile(r"^[0-9a-fA-F]{24}$")
"""A MongoDB ObjectId: 24 hex digits."""


@dataclass(frozen=True)
class Seed:
    """The community, channel, member and key a fresh sandbox starts with."""

    community_id: str
    """The seeded community."""
    channel_id: str
    """Its one channel."""
    sender: str
    """Its one member, the ``sender`` of the examples."""
    api_key: str
    """A key of that community holding every analysis permission."""


SEED = Seed(
    community_id="6502c9e514a3e564c5c09c0a",
    channel_id="656966caae59563fb291b324",
    sender="trader@example.com",
    api_key="rai_sandbox_trader_key",
)
"""Fixed seed values, so the README and notebooks can name them."""


@dataclass(frozen=True)
class ApiKey:
    """An API key as the store knows it."""

    community_id: str
    """The one community it acts for."""
    permissions: frozenset[str]
    """What it may do."""


@dataclass
class StoredAnalysis:
    """One analysis row, with its texts and levels parsed."""

    seq: int
    """Insertion order (ties of ``createdAt`` sort by it)."""
    analysis_id: str
    """The analysis's ObjectId."""
    community_id: str
    """Its community."""
    channel_id: str
    """Its channel."""
    sender: str
    """Who published it."""
    type: str
    """The derived analysis type."""
    metadata: dict[str, Any]
    """Wire metadata."""
    levels: dict[str, Any]
    """Wire levels."""
    created_at: str
    """ISO-8601 creation time."""
    updated_at: str
    """ISO-8601 time of the last change."""
    expires_at: str | None
    """ISO-8601 expiry time, when the expiry is in hours."""
    drawing_count: int
    """How many drawings it holds."""
    next_position: int
    """Position the next appended drawing takes."""


class StoredDrawing(NamedTuple):
    """A drawing as stored: its ids, and its wire JSON (server ``id`` included)."""

    id: str
    """The server's id."""
    client_object_id: str | None
    """The client's id, if it has one."""
    body: str
    """Wire JSON text."""


_COUNTER_LOCK = threading.Lock()
_COUNTER = [secrets.randbelow(1 << 24)]
_PROCESS_PART = secrets.token_bytes(5)


def object_id() -> str:
    """A new 24-hex ObjectId laid out as MongoDB does: time, process, counter."""
    with _COUNTER_LOCK:
        _COUNTER[0] = (_COUNTER[0] + 1) % (1 << 24)
        counter = _COUNTER[0]
    return (int(time.time()).to_bytes(4, "big") + _PROCESS_PART + counter.to_bytes(3, "big")).hex()


def now() -> datetime:
    """The current UTC time, to the millisecond (the precision stored)."""
    moment = datetime.now(timezone.utc)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def iso(moment: datetime) -> str:
    """``2026-01-08T12:00:00.000Z``: fixed width, so text order is time order."""
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds")[:-6] + "Z"


def parse_iso(text: str) -> datetime:
    """The inverse of :func:`iso`."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)


def expires_at(created_at: datetime, metadata: dict[str, Any]) -> str | None:
    """created_at plus the expiry hours, or ``None`` for other (or no) expiry types."""
    expiry = metadata.get("expiry")
    if isinstance(expiry, dict) and expiry.get("type") == "HOURS":
        hours = expiry.get("hours")
        if isinstance(hours, int):
            return iso(created_at + timedelta(hours=hours))
    return None


def dumps(value: Any) -> str:
    """Compact JSON text, as stored and sent."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS communities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS channels (
    id TEXT PRIMARY KEY,
    community_id TEXT NOT NULL REFERENCES communities(id),
    name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS members (
    community_id TEXT NOT NULL REFERENCES communities(id),
    email TEXT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (community_id, email)
);
CREATE TABLE IF NOT EXISTS api_keys (
    key TEXT PRIMARY KEY,
    community_id TEXT NOT NULL REFERENCES communities(id),
    permissions TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS analyses (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    community_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    sender TEXT NOT NULL,
    type TEXT NOT NULL,
    metadata TEXT NOT NULL,
    levels TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    expires_at TEXT,
    drawing_count INTEGER NOT NULL,
    next_position INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS analyses_by_channel ON analyses (channel_id, created_at);
CREATE TABLE IF NOT EXISTS drawings (
    analysis_seq INTEGER NOT NULL,
    position INTEGER NOT NULL,
    id TEXT NOT NULL,
    client_object_id TEXT,
    body TEXT NOT NULL,
    PRIMARY KEY (analysis_seq, position)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS drawings_by_client_id
    ON drawings (analysis_seq, client_object_id);
CREATE TABLE IF NOT EXISTS idempotency (
    community_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT NOT NULL,
    PRIMARY KEY (community_id, scope, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event TEXT NOT NULL,
    analysis_id TEXT NOT NULL,
    at TEXT NOT NULL,
    payload TEXT NOT NULL,
    delivery TEXT
);
CREATE TABLE IF NOT EXISTS settings (
    name TEXT PRIMARY KEY,
    value TEXT
);
"""

_ANALYSIS_COLUMNS = (
    "seq, id, community_id, channel_id, sender, type, metadata, levels, created_at, updated_at, "
    "expires_at, drawing_count, next_position"
)


class _Checkpointer(threading.Thread):
    """Copies the WAL back into the database every few tenths of a second, on its own
    connection. SQLite releases the GIL while it works, so requests go on meanwhile."""

    INTERVAL_SECONDS = 0.25

    def __init__(self, path: Path) -> None:
        super().__init__(name=f"rai-sandbox checkpoints {path.name}", daemon=True)
        self._path = path
        self._stopping = threading.Event()

    def run(self) -> None:
        connection = sqlite3.connect(self._path, isolation_level=None)
        try:
            while not self._stopping.wait(self.INTERVAL_SECONDS):
                # PASSIVE never waits for the writer; what it cannot copy now waits for later.
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            connection.close()

    def stop(self) -> None:
        """End the thread and wait for it."""
        self._stopping.set()
        self.join()


def _analysis_from_row(row: Sequence[Any]) -> StoredAnalysis:
    return StoredAnalysis(
        seq=row[0],
        analysis_id=row[1],
        community_id=row[2],
        channel_id=row[3],
        sender=row[4],
        type=row[5],
        metadata=json.loads(row[6]),
        levels=json.loads(row[7]),
        created_at=row[8],
        updated_at=row[9],
        expires_at=row[10],
        drawing_count=row[11],
        next_position=row[12],
    )


class Store:
    """The SQLite database behind one sandbox server.

    ``path=None`` makes a temporary database, removed by :meth:`close`.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self._temporary_dir: str | None = None
        if path is None:
            self._temporary_dir = tempfile.mkdtemp(prefix="rai-sandbox-")
            path = Path(self._temporary_dir) / "sandbox.db"
        self.path = Path(path)
        """Where the database lives."""
        try:
            # The server's loop thread is the only user, but it is opened by the caller of
            # start() so that a bad path fails there, with a clear message.
            self._connection = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as error:
            self._remove_temporary_dir()
            raise OSError(f"cannot open the sandbox database {str(self.path)!r}: {error}") from None
        self._checkpointer: _Checkpointer | None = None
        try:
            self._connection.execute("PRAGMA journal_mode=WAL")
            # NORMAL keeps a WAL database consistent after a crash (the last commits before a
            # power cut may be lost); a temporary database has nothing to keep, so no syncing.
            synchronous = "OFF" if self._temporary_dir is not None else "NORMAL"
            self._connection.execute(f"PRAGMA synchronous={synchronous}")
            self._connection.execute("PRAGMA busy_timeout=5000")
            self._connection.executescript(_SCHEMA)
            # Checkpoints (copying the WAL into the database, and syncing) happen in a thread of
            # their own instead of inside whichever request's commit crosses the threshold.
            self._connection.execute("PRAGMA wal_autocheckpoint=0")
        except sqlite3.Error as error:
            self.close()
            raise OSError(f"{str(self.path)!r} is not a usable sandbox database: {error}") from None
        self._checkpointer = _Checkpointer(self.path)
        self._checkpointer.start()
        self._in_transaction = False
        # Keys and memberships are read on every request and change only through the admin
        # routes, so they are cached; the cache is rebuilt whenever one is written.
        self._keys: dict[str, ApiKey] | None = None
        self._members: set[tuple[str, str]] | None = None

    def close(self) -> None:
        """Stop the checkpoints, close the connection; remove the database if temporary."""
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
        self._connection.close()
        self._remove_temporary_dir()

    def _remove_temporary_dir(self) -> None:
        if self._temporary_dir is not None:
            shutil.rmtree(self._temporary_dir, ignore_errors=True)
            self._temporary_dir = None

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[None]:
        """One transaction: committed when the block ends, rolled back when it raises."""
        if self._in_transaction:
            raise RuntimeError("transactions do not nest")
        self._connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        self._in_transaction = True
        try:
            yield
        except BaseException:
            self._connection.execute("ROLLBACK")
            raise
        else:
            self._connection.execute("COMMIT")
        finally:
            self._in_transaction = False

    def _execute(self, sql: str, parameters: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self._connection.execute(sql, parameters)

    # Communities, channels, members and keys ------------------------------------------------

    def seed(self) -> Seed:
        """Create the seed community, channel, member and key unless they exist."""
        with self.transaction():
            self._execute(
                "INSERT OR IGNORE INTO communities (id, name) VALUES (?, ?)",
                (SEED.community_id, "Sandbox community"),
            )
            self._execute(
                "INSERT OR IGNORE INTO channels (id, community_id, name) VALUES (?, ?, ?)",
                (SEED.channel_id, SEED.community_id, "analysis"),
            )
            self._execute(
                "INSERT OR IGNORE INTO members (community_id, email, user_id) VALUES (?, ?, ?)",
                (SEED.community_id, SEED.sender, "65a000000000000000000001"),
            )
            self._execute(
                "INSERT OR IGNORE INTO api_keys (key, community_id, permissions) VALUES (?, ?, ?)",
                (SEED.api_key, SEED.community_id, dumps(list(PERMISSIONS))),
            )
        self._keys = self._members = None
        return SEED

    def community_exists(self, community_id: str) -> bool:
        """Whether the community exists."""
        row = self._execute("SELECT 1 FROM communities WHERE id = ?", (community_id,)).fetchone()
        return row is not None

    def create_community(self, name: str) -> tuple[str, str]:
        """A new community with one channel ``general``: (community id, channel id)."""
        community_id = object_id()
        self._execute("INSERT INTO communities (id, name) VALUES (?, ?)", (community_id, name))
        return community_id, self.create_channel(community_id, "general")

    def create_channel(self, community_id: str, name: str) -> str:
        """A new channel of an existing community."""
        channel_id = object_id()
        self._execute(
            "INSERT INTO channels (id, community_id, name) VALUES (?, ?, ?)",
            (channel_id, community_id, name),
        )
        return channel_id

    def channel_community(self, channel_id: str) -> str | None:
        """The community of a channel, or ``None`` when there is no such channel."""
        row = self._execute(
            "SELECT community_id FROM channels WHERE id = ?", (channel_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    def add_member(self, community_id: str, email: str) -> str:
        """Make ``email`` a member (idempotent); returns the member's user id."""
        row = self._execute(
            "SELECT user_id FROM members WHERE community_id = ? AND email = ?",
            (community_id, email),
        ).fetchone()
        if row is not None:
            return str(row[0])
        user_id = object_id()
        self._execute(
            "INSERT INTO members (community_id, email, user_id) VALUES (?, ?, ?)",
            (community_id, email, user_id),
        )
        self._members = None
        return user_id

    def is_member(self, community_id: str, email: str) -> bool:
        """Whether ``email`` belongs to the community."""
        if self._members is None:
            rows = self._execute("SELECT community_id, email FROM members").fetchall()
            self._members = {(row[0], row[1]) for row in rows}
        return (community_id, email) in self._members

    def create_key(self, community_id: str, permissions: Iterable[str]) -> str:
        """A new API key of the community with these permissions."""
        key = "rai_sandbox_" + secrets.token_hex(16)
        self._execute(
            "INSERT INTO api_keys (key, community_id, permissions) VALUES (?, ?, ?)",
            (key, community_id, dumps(sorted(set(permissions)))),
        )
        self._keys = None
        return key

    def api_key(self, key: str) -> ApiKey | None:
        """The key's community and permissions, or ``None`` for an unknown key."""
        if self._keys is None:
            rows = self._execute("SELECT key, community_id, permissions FROM api_keys").fetchall()
            self._keys = {
                row[0]: ApiKey(community_id=row[1], permissions=frozenset(json.loads(row[2])))
                for row in rows
            }
        return self._keys.get(key)

    # Analyses and drawings --------------------------------------------------------------------

    def insert_analysis(
        self,
        *,
        community_id: str,
        channel_id: str,
        sender: str,
        analysis_type: str,
        metadata: dict[str, Any],
        levels: dict[str, Any],
        drawings: list[StoredDrawing],
    ) -> StoredAnalysis:
        """Store a new analysis; ``drawings`` must already carry their server ``id``."""
        created = now()
        analysis = StoredAnalysis(
            seq=0,
            analysis_id=object_id(),
            community_id=community_id,
            channel_id=channel_id,
            sender=sender,
            type=analysis_type,
            metadata=metadata,
            levels=levels,
            created_at=iso(created),
            updated_at=iso(created),
            expires_at=expires_at(created, metadata),
            drawing_count=len(drawings),
            next_position=len(drawings),
        )
        cursor = self._execute(
            "INSERT INTO analyses (id, community_id, channel_id, sender, type, metadata, levels, "
            "created_at, updated_at, expires_at, drawing_count, next_position) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                analysis.analysis_id,
                community_id,
                channel_id,
                sender,
                analysis_type,
                dumps(metadata),
                dumps(levels),
                analysis.created_at,
                analysis.updated_at,
                analysis.expires_at,
                analysis.drawing_count,
                analysis.next_position,
            ),
        )
        analysis.seq = int(cursor.lastrowid or 0)
        self._insert_drawings(analysis.seq, 0, drawings)
        return analysis

    def _insert_drawings(self, seq: int, first: int, drawings: list[StoredDrawing]) -> None:
        self._connection.executemany(
            "INSERT INTO drawings (analysis_seq, position, id, client_object_id, body) "
            "VALUES (?, ?, ?, ?, ?)",
            [(seq, first + offset, *drawing) for offset, drawing in enumerate(drawings)],
        )

    def analysis(self, analysis_id: str) -> StoredAnalysis | None:
        """The stored analysis, or ``None``."""
        row = self._execute(
            f"SELECT {_ANALYSIS_COLUMNS} FROM analyses WHERE id = ?", (analysis_id,)
        ).fetchone()
        return None if row is None else _analysis_from_row(row)

    def drawings(self, analysis: StoredAnalysis) -> list[StoredDrawing]:
        """The analysis's drawings, in order."""
        rows = self._execute(
            "SELECT id, client_object_id, body FROM drawings WHERE analysis_seq = ? "
            "ORDER BY position",
            (analysis.seq,),
        )
        return [StoredDrawing(*row) for row in rows.fetchall()]

    def taken_client_ids(self, analysis: StoredAnalysis, client_ids: list[str]) -> set[str]:
        """Those of ``client_ids`` a drawing or a level of the analysis already uses."""
        wanted = set(client_ids)
        taken = {
            entry["clientObjectId"]
            for entry in analysis.levels.values()
            if entry.get("clientObjectId") in wanted
        }
        # Only rows stored before: a refused batch may have inserted some of its own rows
        # (at next_position and after) before the transaction rolls back.
        rows = self._execute(
            "SELECT client_object_id FROM drawings WHERE analysis_seq = ? AND position < ? "
            "AND client_object_id IS NOT NULL",
            (analysis.seq, analysis.next_position),
        )
        taken.update(row[0] for row in rows if row[0] in wanted)
        return taken

    def append_drawings(self, analysis: StoredAnalysis, drawings: list[StoredDrawing]) -> None:
        """Add drawings after the existing ones.

        Raises ``sqlite3.IntegrityError`` when a client id is already used by a drawing (the
        caller's transaction then rolls back; :meth:`taken_client_ids` says which).
        """
        self._insert_drawings(analysis.seq, analysis.next_position, drawings)
        analysis.drawing_count += len(drawings)
        analysis.next_position += len(drawings)
        analysis.updated_at = iso(now())
        self._execute(
            "UPDATE analyses SET drawing_count = ?, next_position = ?, updated_at = ? "
            "WHERE seq = ?",
            (analysis.drawing_count, analysis.next_position, analysis.updated_at, analysis.seq),
        )

    def replace_drawings(self, analysis: StoredAnalysis, drawings: list[StoredDrawing]) -> None:
        """Replace every drawing of the analysis (the new ones carry server ids)."""
        self._execute("DELETE FROM drawings WHERE analysis_seq = ?", (analysis.seq,))
        self._insert_drawings(analysis.seq, 0, drawings)
        analysis.drawing_count = len(drawings)
        analysis.next_position = len(drawings)

    def save_analysis(self, analysis: StoredAnalysis) -> None:
        """Write back the analysis row's mutable columns."""
        self._execute(
            "UPDATE analyses SET type = ?, metadata = ?, levels = ?, updated_at = ?, "
            "expires_at = ?, drawing_count = ?, next_position = ? WHERE seq = ?",
            (
                analysis.type,
                dumps(analysis.metadata),
                dumps(analysis.levels),
                analysis.updated_at,
                analysis.expires_at,
                analysis.drawing_count,
                analysis.next_position,
                analysis.seq,
            ),
        )

    def delete_analysis(self, analysis: StoredAnalysis) -> None:
        """Remove the analysis and its drawings."""
        self._execute("DELETE FROM drawings WHERE analysis_seq = ?", (analysis.seq,))
        self._execute("DELETE FROM analyses WHERE seq = ?", (analysis.seq,))

    def list_analyses(
        self, channel_id: str, *, order_by: str, page: int, limit: int
    ) -> tuple[int, list[StoredAnalysis]]:
        """(total, one page of analyses) of a channel; ``order_by`` is trusted SQL."""
        total = int(
            self._execute(
                "SELECT COUNT(*) FROM analyses WHERE channel_id = ?", (channel_id,)
            ).fetchone()[0]
        )
        offset = (page - 1) * limit
        if offset >= total:  # also keeps huge page numbers away from SQLite's 64-bit integers
            return total, []
        rows = self._execute(
            f"SELECT {_ANALYSIS_COLUMNS} FROM analyses WHERE channel_id = ? "
            f"ORDER BY {order_by} LIMIT ? OFFSET ?",
            (channel_id, limit, offset),
        ).fetchall()
        return total, [_analysis_from_row(row) for row in rows]

    # Idempotency, events and settings ----------------------------------------------------------

    def idempotent_response(
        self, community_id: str, scope: str, key: str
    ) -> tuple[int, str] | None:
        """The (status, body) first answered for this key, or ``None``."""
        row = self._execute(
            "SELECT status, response FROM idempotency WHERE community_id = ? AND scope = ? "
            "AND key = ?",
            (community_id, scope, key),
        ).fetchone()
        return None if row is None else (int(row[0]), str(row[1]))

    def remember_response(
        self, community_id: str, scope: str, key: str, status: int, body: str
    ) -> None:
        """Keep the answer to replay for this idempotency key."""
        self._execute(
            "INSERT INTO idempotency (community_id, scope, key, status, response) "
            "VALUES (?, ?, ?, ?, ?)",
            (community_id, scope, key, status, body),
        )

    def record_event(self, event: str, analysis_id: str, payload: str) -> dict[str, Any]:
        """Record an outgoing event (``payload`` is JSON text); returns its id and fields."""
        at = iso(now())
        cursor = self._execute(
            "INSERT INTO events (event, analysis_id, at, payload) VALUES (?, ?, ?, ?)",
            (event, analysis_id, at, payload),
        )
        return {
            "eventId": int(cursor.lastrowid or 0),
            "event": event,
            "analysisId": analysis_id,
            "at": at,
            "payload": payload,
        }

    def set_delivery(self, event_id: int, delivery: dict[str, Any]) -> None:
        """Record how the webhook delivery of an event went."""
        self._execute("UPDATE events SET delivery = ? WHERE seq = ?", (dumps(delivery), event_id))

    def events(self) -> list[dict[str, Any]]:
        """Every recorded event, oldest first."""
        rows = self._execute(
            "SELECT seq, event, analysis_id, at, payload, delivery FROM events ORDER BY seq"
        ).fetchall()
        return [
            {
                "eventId": row[0],
                "event": row[1],
                "analysisId": row[2],
                "at": row[3],
                "payload": json.loads(row[4]),
                "delivery": None if row[5] is None else json.loads(row[5]),
            }
            for row in rows
        ]

    def clear_events(self) -> None:
        """Forget every recorded event."""
        self._execute("DELETE FROM events")

    def setting(self, name: str) -> str | None:
        """A stored setting, or ``None``."""
        row = self._execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()
        return None if row is None else row[0]

    def set_setting(self, name: str, value: str | None) -> None:
        """Store (or clear, with ``None``) a setting."""
        self._execute(
            "INSERT INTO settings (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, value),
        )
