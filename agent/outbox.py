"""The agent's outbox: anonymised events waiting to go to the server, in SQLite (WAL) via sqlite-utils.

An event row moves through three states:
  awaiting_action -> ready -> sent
A warn or a redact waits for the user's answer (user_action); a block, or a warn or redact nobody
answered within `settle_after`, is ready at once or after that delay. The sync (a later issue) sends
ready rows and marks them sent only once the server accepted them.

The file format is versioned with SQLite's user_version, so a newer agent can migrate an older file
and an older agent refuses a newer one instead of corrupting it. Rows hold the event document only:
there is no column a text could hide in.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlite_utils

FORMAT_VERSION = 1
AWAITING, READY, SENT = "awaiting_action", "ready", "sent"


class OutboxError(Exception):
    pass


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Outbox:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite_utils.Database(self.path)
        self.db.enable_wal()
        # WAL + NORMAL: a commit is durable against a crash of the process, and costs no fsync.
        self.db.execute("PRAGMA synchronous=NORMAL")
        self._migrate()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > FORMAT_VERSION:
            raise OutboxError(f"{self.path} has format {version}, newer than this agent's {FORMAT_VERSION}")
        if version == 0:
            with self.db.conn:
                self.db["events"].create(
                    {
                        "event_id": str,
                        "state": str,
                        "created_at": str,
                        "justification_allowed": int,
                        "body": str,
                    },
                    pk="event_id",
                    if_not_exists=True,
                )
                self.db["events"].create_index(["state", "created_at"], if_not_exists=True)
                self.db["meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)
                self.db.execute(f"PRAGMA user_version={FORMAT_VERSION}")

    def close(self) -> None:
        self.db.close()

    # --- identity of this install ---------------------------------------------------------------

    def device_id(self) -> str:
        """A random UUID made on first use and kept for the life of the install."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
        if row:
            return row[0]
        candidate = str(uuid.uuid4())
        with self.db.conn:
            self.db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('device_id', ?)", [candidate])
        return self.db.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()[0]

    # --- events ---------------------------------------------------------------------------------

    def add(self, event: dict, awaiting_action: bool, justification_allowed: bool = False) -> None:
        with self.db.conn:
            self.db["events"].insert(
                {
                    "event_id": event["event_id"],
                    "state": AWAITING if awaiting_action else READY,
                    "created_at": _now().isoformat(),
                    "justification_allowed": int(justification_allowed),
                    "body": json.dumps(event, separators=(",", ":")),
                }
            )

    def justification_required(self, event_id: str) -> bool:
        row = self.db.execute("SELECT justification_allowed FROM events WHERE event_id = ?", [event_id]).fetchone()
        return bool(row and row[0])

    def record_action(self, event_id: str, action: str, justification: str | None) -> bool:
        """Complete an awaiting event with what the user did; False if no such event awaits."""
        with self.db.conn:
            row = self.db.execute(
                "SELECT body, justification_allowed FROM events WHERE event_id = ? AND state = ?",
                [event_id, AWAITING],
            ).fetchone()
            if row is None:
                return False
            event = json.loads(row[0])
            event["user_action"] = action
            # Keep the user's words only when the policy asked for them, and only with an override.
            event["justification"] = justification if (row[1] and action == "overrode") else None
            cursor = self.db.execute(
                "UPDATE events SET state = ?, body = ? WHERE event_id = ? AND state = ?",
                [READY, json.dumps(event, separators=(",", ":")), event_id, AWAITING],
            )
            return cursor.rowcount == 1

    def settle(self, older_than: timedelta) -> int:
        """Mark unanswered events ready (user_action stays null); returns how many."""
        cutoff = (_now() - older_than).isoformat()
        with self.db.conn:
            cursor = self.db.execute(
                "UPDATE events SET state = ? WHERE state = ? AND created_at <= ?", [READY, AWAITING, cutoff]
            )
            return cursor.rowcount

    def unsent_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM events WHERE state != ?", [SENT]).fetchone()[0]

    def events(self, state: str | None = None) -> list[dict]:
        """Event documents, oldest first (for the sync and for tests)."""
        if state is None:
            rows = self.db.execute("SELECT body FROM events ORDER BY created_at")
        else:
            rows = self.db.execute("SELECT body FROM events WHERE state = ? ORDER BY created_at", [state])
        return [json.loads(body) for (body,) in rows]

    def state_of(self, event_id: str) -> str | None:
        row = self.db.execute("SELECT state FROM events WHERE event_id = ?", [event_id]).fetchone()
        return row[0] if row else None

