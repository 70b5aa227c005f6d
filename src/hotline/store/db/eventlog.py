"""The append-only event log: a writer to fill it, and reads that rebuild the events exactly."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator

import sqlalchemy as sa

from hotline.core.events import Event
from hotline.store.db.codec import decode
from hotline.store.db.database import Database
from hotline.store.db.schema import EventRow
from hotline.store.db.writer import BatchWriter, CommitListener

events_table: sa.Table = EventRow.__table__  # type: ignore[assignment]

CHUNK = 5000
"""Rows fetched per query when iterating the whole log."""


@dataclasses.dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event and its position in the log (ids grow in commit order)."""

    id: int
    event: Event


class EventLog:
    """Every engine event, in the order it was published.

    Ids are assigned at commit and grow with it; a single writer commits in
    publication order, so id order is publication order. Events a repository
    commits with its record (the outbox, `hotline.store.db.outbox`) take their
    ids at that commit, before being published: they may come before engine
    events published earlier but still waiting in the writer's batch.
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    def writer(
        self,
        batch: int = 2000,
        interval: float = 0.05,
        *,
        on_commit: CommitListener | None = None,
    ) -> BatchWriter:
        """Start a background writer; subscribe it to a bus (`bus.subscribe(writer)`).

        Use one writer per database: ids of a batch are contiguous and a batch
        is committed whole or not at all.
        """
        return BatchWriter(self.db, batch=batch, interval=interval, on_commit=on_commit)

    def read(
        self,
        since_id: int = 0,
        kinds: Iterable[str] | None = None,
        call: str | None = None,
        agent: str | None = None,
        start: float | None = None,
        end: float | None = None,
        limit: int = 1000,
    ) -> list[StoredEvent]:
        """Events with id > `since_id`, in id order, at most `limit`.

        `kinds` keeps only those kinds; `call` and `agent` match the events'
        own fields; `start` <= at < `end` on the engine's clock.
        """
        t = events_table
        query = sa.select(t.c.id, t.c.at, t.c.kind, t.c.call, t.c.agent, t.c.queue, t.c.data)
        query = query.where(t.c.id > since_id)
        if kinds is not None:
            query = query.where(t.c.kind.in_(list(kinds)))
        if call is not None:
            query = query.where(t.c.call == call)
        if agent is not None:
            query = query.where(t.c.agent == agent)
        if start is not None:
            query = query.where(t.c.at >= start)
        if end is not None:
            query = query.where(t.c.at < end)
        query = query.order_by(t.c.id).limit(max(0, limit))
        with self.db.engine.connect() as connection:
            rows = connection.execute(query).all()
        return [
            StoredEvent(r.id, decode(r.at, r.kind, r.call, r.agent, r.queue, r.data)) for r in rows
        ]

    def events(self, since_id: int = 0) -> Iterator[Event]:
        """Every stored event after `since_id`, in order, fetched in chunks (for replay)."""
        last = since_id
        while True:
            chunk = self.read(since_id=last, limit=CHUNK)
            for stored in chunk:
                yield stored.event
            if len(chunk) < CHUNK:
                return
            last = chunk[-1].id

    def latest(self, kind: str, *, agent: str | None = None) -> StoredEvent | None:
        """The newest event of `kind` (of one agent when `agent` is given), if any."""
        t = events_table
        query = sa.select(t.c.id, t.c.at, t.c.kind, t.c.call, t.c.agent, t.c.queue, t.c.data)
        query = query.where(t.c.kind == kind)
        if agent is not None:
            query = query.where(t.c.agent == agent)
        with self.db.engine.connect() as connection:
            r = connection.execute(query.order_by(t.c.id.desc()).limit(1)).first()
        if r is None:
            return None
        return StoredEvent(r.id, decode(r.at, r.kind, r.call, r.agent, r.queue, r.data))

    def count(self) -> int:
        with self.db.engine.connect() as connection:
            return int(
                connection.execute(
                    sa.select(sa.func.count()).select_from(events_table)
                ).scalar_one()
            )

    def last_id(self) -> int:
        """The newest event's id, 0 when the log is empty."""
        with self.db.engine.connect() as connection:
            value = connection.execute(sa.select(sa.func.max(events_table.c.id))).scalar()
        return int(value or 0)
