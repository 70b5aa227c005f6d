"""The outbox: a record's change and its events committed in one transaction.

A repository that changes a record and announces it with events (a work order
saved, a handover sheet handed over) calls `append` inside the transaction that
writes the record, so the events land in the `events` table with it: a crash
leaves both or neither, and the event log stays the truth of every figure. The
caller then publishes the events on the bus as usual (the live stream, the
wallboard), after telling the batch writer with `BatchWriter.stored` that they
are in the log already, so it does not write them a second time.

The batch writer inserts its batches through `append` too. Every insert into
`events` happens under one lock held to the commit (SQLite's single writer; a
PostgreSQL advisory lock), so ids grow in commit order: a reader following
``since_id`` never misses a row committed later with a smaller id, and the ids
of one call are contiguous.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from hotline.core.events import Event, Saved
from hotline.store.db.codec import Row, encode

ADVISORY_KEY = 0x486F746C  # "Hotl": serialises every insert into `events`

__all__ = ["Saved", "append", "insert_sql"]


def append(connection: Connection, events: Sequence[Event]) -> int:
    """Insert `events` into the log inside `connection`'s open transaction, in order.

    Returns the id of the last one; the ids are contiguous (``last - len + 1`` …
    ``last``), and nothing is visible to readers before the caller commits. With
    no events, nothing is written or locked and 0 is returned.
    """
    if not events:
        return 0
    rows = [encode(e) for e in events]
    if connection.dialect.name == "postgresql":
        # held until the transaction ends: no other insert takes ids meanwhile
        connection.execute(sa.text(f"SELECT pg_advisory_xact_lock({ADVISORY_KEY})"))
        _copy(connection, rows)
    else:
        connection.exec_driver_sql(insert_sql(connection.dialect.name), rows)
    return int(connection.execute(sa.text("SELECT max(id) FROM events")).scalar_one())


def insert_sql(dialect: str) -> str:
    marks = ", ".join(["?" if dialect == "sqlite" else "%s"] * 6)
    return f'INSERT INTO events (at, kind, "call", agent, queue, data) VALUES ({marks})'


def _copy(connection: Connection, rows: list[Row]) -> None:
    """PostgreSQL: COPY is several times faster than INSERT for a batch (same transaction)."""
    driver: Any = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(_COPY) as copy:
        for row in rows:
            copy.write_row(row)


_COPY = 'COPY events (at, kind, "call", agent, queue, data) FROM STDIN'
