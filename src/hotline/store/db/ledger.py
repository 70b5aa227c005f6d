"""The calls table: one row per call, folded from the call's events as they are written.

The fold runs on the event writer's thread inside the same transaction as
the events, so the engine never waits for it and the calls table always
matches the committed log. Events are matched by `kind` name, so a kind
whose class a later release adds (`call.disposition`) needs no import here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.engine import Connection

from hotline.core.events import Event, EventBus
from hotline.store.db.database import Database
from hotline.store.db.errors import StoreError
from hotline.store.db.writer import BatchWriter

COLUMNS = (
    "arrived_at", "caller", "dialed", "tier", "list_mark", "queue", "agent", "answered_at",
    "ended_at", "outcome", "phase", "wait_s", "talk_s", "hold_s", "disposition", "note",
)  # fmt: skip
_INDEX = {name: i for i, name in enumerate(COLUMNS)}


def _value(event: Event, name: str) -> Any:
    value = getattr(event, name, None)
    return getattr(value, "value", value)  # enums as their values


Changes = list[tuple[str, Any]]


def _arrived(e: Event) -> Changes:
    return [
        ("arrived_at", e.at),
        ("caller", _value(e, "caller")),
        ("dialed", _value(e, "dialed")),
        ("tier", _value(e, "tier")),
        ("list_mark", _value(e, "list_mark")),
        ("phase", "ivr"),
    ]


def _answered(e: Event) -> Changes:
    return [
        ("queue", _value(e, "queue")),
        ("agent", _value(e, "agent")),
        ("answered_at", e.at),
        ("wait_s", _value(e, "waited")),
        ("phase", "talking"),
    ]


def _ended(e: Event) -> Changes:
    return [("ended_at", e.at), ("outcome", _value(e, "outcome")), ("phase", _value(e, "phase"))]


def _disposition(e: Event) -> Changes:
    changes = [("disposition", _value(e, "disposition")), ("note", _value(e, "note"))]
    agent = _value(e, "agent")
    return [*changes, ("agent", agent)] if agent else changes


FOLDS: dict[str, Callable[[Event], Changes]] = {
    "call.arrived": _arrived,
    "call.originated": lambda e: [("phase", "dialing")],  # an outbound call has a row at once
    "contact.queued": lambda e: [("queue", _value(e, "queue")), ("phase", "queue")],
    "contact.offered": lambda e: [("phase", "ringing")],
    "contact.ring_no_answer": lambda e: [("phase", "queue")],
    "contact.offer_failed": lambda e: [("phase", "queue")],
    "contact.overflowed": lambda e: [("queue", _value(e, "to_queue"))],
    "contact.answered": _answered,
    "contact.abandoned": lambda e: [("wait_s", _value(e, "waited"))],
    "contact.completed": lambda e: [("talk_s", _value(e, "talk")), ("hold_s", _value(e, "hold"))],
    "call.ended": _ended,
    "call.disposition": _disposition,
}
"""For each kind that touches a call's row, the columns it sets (by kind name: a class the
calls package adds later, such as `call.disposition`, needs no import here)."""


def _upsert_sql(dialect: str) -> str:
    """One statement for every row: a column this batch did not touch is NULL in the new
    values and keeps what the row had (COALESCE), so batches fold into the row in order."""
    mark = "?" if dialect == "sqlite" else "%s"
    names = ", ".join(f'"{c}"' for c in ("call", *COLUMNS))
    marks = ", ".join([mark] * (len(COLUMNS) + 1))
    sets = ", ".join(f'"{c}" = COALESCE(excluded."{c}", calls."{c}")' for c in COLUMNS)
    return f'INSERT INTO calls ({names}) VALUES ({marks}) ON CONFLICT ("call") DO UPDATE SET {sets}'


class CallLedger:
    """Keeps `calls` up to date from the events a writer commits.

    `CallLedger(writer)` folds every batch that writer commits (subscribe the
    writer to the bus, not the ledger). `CallLedger(db)` starts its own
    thread that writes only the calls table: `attach(bus)` it, `close()` it.
    """

    def __init__(self, target: BatchWriter | Database, *, batch: int = 2000) -> None:
        self._sql: dict[str, str] = {}
        if isinstance(target, BatchWriter):
            self.writer = target
            self._owned = False
            target.add_fold(self.fold)
        else:
            self.writer = BatchWriter(
                target, [self.fold], insert_events=False, batch=batch, name="hotline-call-ledger"
            )
            self._owned = True

    def attach(self, bus: EventBus) -> None:
        """Feed the ledger's own writer from `bus` (only for a ledger over a `Database`)."""
        if not self._owned:
            raise StoreError("this ledger folds its writer's events: subscribe the writer instead")
        bus.subscribe(self.writer.append)

    def flush(self, timeout: float | None = 5.0) -> None:
        self.writer.flush(timeout)

    def close(self) -> None:
        """Stop the ledger's own writer (a shared writer is closed by its owner)."""
        if self._owned:
            self.writer.close()

    def fold(self, connection: Connection, events: Sequence[Event]) -> None:
        """Upsert the rows of every call these events touch (runs in the writer's transaction)."""
        rows: dict[str, list[Any]] = {}
        width = len(COLUMNS)
        for event in events:
            fold = FOLDS.get(event.kind)
            if fold is None:
                continue
            call = getattr(event, "call", None)
            if not call:
                continue
            row = rows.get(call)
            if row is None:
                row = rows[call] = [None] * width
            for name, value in fold(event):
                row[_INDEX[name]] = value
        if rows:
            sql = self._sql.get(connection.dialect.name)
            if sql is None:
                sql = self._sql[connection.dialect.name] = _upsert_sql(connection.dialect.name)
            connection.exec_driver_sql(sql, [(call, *row) for call, row in rows.items()])
