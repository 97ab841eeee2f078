"""The shop's history of real-customer runs: an embedded SQLite database beside the policy.

It records, per customer, the rank last granted, and per event (a mail or letter for a customer or
order) whether it was skipped, written, printed or sent, with the run day. Customers are known by a
one-way hash (:func:`otokui.customers.due.customer_hash`), so no name or address is kept here; those
stay in the run folder.

Every write goes through a transaction: a mail's file is written first, its row committed after, so an
interrupted run leaves at worst a file without a row, which the next run writes again byte for byte
(same name, same ``Message-ID``) and then records.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from otokui.errors import UsageError

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ranks (
    customer TEXT PRIMARY KEY, rank TEXT NOT NULL, since TEXT NOT NULL, run TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    key TEXT PRIMARY KEY,
    customer TEXT NOT NULL,
    what TEXT NOT NULL,
    due TEXT NOT NULL,
    status TEXT NOT NULL,          -- skipped | written | printed | sent
    run TEXT NOT NULL,             -- the day of the run that produced it
    file TEXT,                     -- relative to the run folder
    message_id TEXT,
    sent_at TEXT
);
CREATE INDEX IF NOT EXISTS events_customer ON events (customer);
CREATE INDEX IF NOT EXISTS events_unsent ON events (status) WHERE status = 'written';
"""


#: Whether this SQLite has its JSON functions built in (always since 3.38).
JSON = sqlite3.sqlite_version_info >= (3, 38, 0)
#: SQLite's page cache for the history, in KiB (a fixed size, whatever the number of customers).
CACHE_KB = 16384
#: Customers looked up in one query (SQLite allows 32,766 parameters).
LOOKUP = 500

#: One event as stored: (key, customer, what, due, status, run, file, message_id).
EventRow = tuple[str, str, str, str, str, str, str | None, str | None]


def state_path(policy_path: Path) -> Path:
    """``rules.yaml`` → ``rules.state.sqlite`` beside it."""
    return policy_path.with_name(policy_path.stem + ".state.sqlite")


class State:
    def __init__(self, path: Path) -> None:
        self.path = path
        fresh = not path.exists()
        try:
            self.db = sqlite3.connect(path, isolation_level=None)
            if fresh:
                os.chmod(path, 0o600)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute(f"PRAGMA cache_size=-{CACHE_KB}")
            self.db.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise UsageError(f"{path}: cannot open the run history ({exc})") from None
        self._in_tx = False

    def close(self) -> None:
        if self._in_tx:
            self.commit()
        self.db.close()

    # ------------------------------------------------------------------ transactions

    def begin(self) -> None:
        if not self._in_tx:
            self.db.execute("BEGIN IMMEDIATE")
            self._in_tx = True

    def commit(self) -> None:
        if self._in_tx:
            self.db.execute("COMMIT")
            self._in_tx = False

    # ------------------------------------------------------------------ meta

    def baseline(self) -> dt.date | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'baseline'").fetchone()
        return dt.date.fromisoformat(row[0]) if row else None

    def set_baseline(self, day: dt.date) -> None:
        self.db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('baseline', ?)", (day.isoformat(),))

    # ------------------------------------------------------------------ per customer

    def customer(self, who: str) -> tuple[str | None, set[str], bool]:
        """(rank last recorded, keys of events done, whether a membership invitation was written)."""
        row = self.db.execute("SELECT rank FROM ranks WHERE customer = ?", (who,)).fetchone()
        keys: set[str] = set()
        invited = False
        for key, what, status in self.db.execute("SELECT key, what, status FROM events WHERE customer = ?", (who,)):
            keys.add(key)
            invited = invited or (what == "membership_invite" and status != "skipped")
        return (row[0] if row else None), keys, invited

    def customers(self, whos: Sequence[str]) -> dict[str, tuple[str | None, set[str], bool]]:
        """:meth:`customer` for many customers at once (a few queries instead of two per customer)."""
        found: dict[str, tuple[str | None, set[str], bool]] = {who: (None, set(), False) for who in whos}
        for start in range(0, len(whos), LOOKUP):
            part = list(whos[start : start + LOOKUP])
            marks = ",".join("?" * len(part))
            for who, rank in self.db.execute(f"SELECT customer, rank FROM ranks WHERE customer IN ({marks})", part):
                found[who] = (rank, found[who][1], found[who][2])
            query = f"SELECT customer, key, what, status FROM events WHERE customer IN ({marks})"
            for who, key, what, status in self.db.execute(query, part):
                rank, keys, invited = found[who]
                keys.add(key)
                if not invited and what == "membership_invite" and status != "skipped":
                    found[who] = (rank, keys, True)
        return found

    def record_ranks(self, rows: Iterable[tuple[str, str, str, str]]) -> None:
        """Many (customer, rank, since, run) at once."""
        self.db.executemany(
            "INSERT INTO ranks (customer, rank, since, run) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(customer) DO UPDATE SET rank = excluded.rank, since = excluded.since, run = excluded.run",
            rows,
        )

    def record_events(self, rows: Iterable[EventRow]) -> None:
        """Many (key, customer, what, due, status, run, file, message_id) at once; an event already there stays.

        Handed to SQLite as one JSON array (one statement, however many rows) where SQLite reads JSON.
        """
        insert = "INSERT OR IGNORE INTO events (key, customer, what, due, status, run, file, message_id)"
        if JSON:
            columns = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(8))
            self.db.execute(f"{insert} SELECT {columns} FROM json_each(?)", (json.dumps(list(rows)),))
        else:
            self.db.executemany(f"{insert} VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def record_rank(self, who: str, rank: str, since: dt.date, run: dt.date) -> None:
        self.db.execute(
            "INSERT INTO ranks (customer, rank, since, run) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(customer) DO UPDATE SET rank = excluded.rank, since = excluded.since, run = excluded.run",
            (who, rank, since.isoformat(), run.isoformat()),
        )

    def record_event(
        self,
        key: str,
        who: str,
        what: str,
        due: dt.date,
        status: str,
        run: dt.date,
        file: str | None = None,
        message_id: str | None = None,
    ) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO events (key, customer, what, due, status, run, file, message_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (key, who, what, due.isoformat(), status, run.isoformat(), file, message_id),
        )

    # ------------------------------------------------------------------ sending

    def unsent(self) -> Iterator[tuple[str, str, str]]:
        """(key, run day, file) of every mail written and not yet accepted by the SMTP server, oldest first."""
        rows = self.db.execute(
            "SELECT key, run, file FROM events WHERE status = 'written' AND file IS NOT NULL ORDER BY run, key"
        ).fetchall()
        yield from rows

    def mark_sent(self, key: str, when: dt.datetime) -> None:
        """Record one accepted message at once (its own transaction), before the next is sent."""
        self.db.execute("UPDATE events SET status = 'sent', sent_at = ? WHERE key = ?", (when.isoformat(), key))

    def counts(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT status, COUNT(*) FROM events GROUP BY status").fetchall())
