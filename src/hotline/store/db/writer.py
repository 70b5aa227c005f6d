"""The event writer: a background thread that commits appended events in batches.

The engine must never wait for the disk, so `append` only puts the event on a
list under a lock. The writer thread takes what is there every `interval`
seconds (at once when `batch` events are waiting), turns it into rows and
commits each `batch` in one transaction. An event counts as acknowledged
(`committed`) only after its transaction commits; a crash loses at most
events not yet acknowledged, never part of a batch.

Folds (the `CallLedger`) run on the same thread inside the same transaction,
so the calls table never disagrees with the event log.

Events a repository already committed with its record (the outbox,
`hotline.store.db.outbox`) are announced with `stored` before they are
published: `append` lets them pass unwritten, so each is in the log once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from hotline.core.events import Event
from hotline.store.db import outbox
from hotline.store.db.database import Database, _reason
from hotline.store.db.errors import StoreError, WriterStoppedError

log = logging.getLogger(__name__)

CommitListener = Callable[[int, Sequence[Event]], None]
"""Called on the writer thread after each commit with the first id and the batch's events
(ids run first, first + 1, …)."""


class Fold(Protocol):
    """Something that writes derived rows from a batch of events, inside its transaction."""

    def __call__(self, connection: Connection, events: Sequence[Event]) -> None: ...


class BatchWriter:
    """A thread that commits batches of appended events, one transaction each.

    Each transaction inserts the events (unless `insert_events` is false) and
    runs every fold over them. `EventLog.writer()` makes one that inserts; a
    `CallLedger` over a bare `Database` makes one with only its fold.
    """

    def __init__(
        self,
        db: Database,
        folds: Sequence[Fold] = (),
        *,
        insert_events: bool = True,
        batch: int = 2000,
        interval: float = 0.05,
        on_commit: CommitListener | None = None,
        name: str = "hotline-event-writer",
    ) -> None:
        if batch < 1 or interval <= 0:
            raise StoreError("the writer needs batch >= 1 and interval > 0")
        self.db = db
        self.batch = batch
        self.interval = interval
        self._insert = insert_events
        self._folds: list[Fold] = list(folds)
        self._listeners: list[CommitListener] = [on_commit] if on_commit else []
        self._lock = threading.Lock()
        self._pending: list[Event] = []
        self._stored: dict[int, Event] = {}  # id(event) → event: in the log already
        self._appended = 0
        self._committed = 0
        self._last_id = 0
        self._done = threading.Condition()
        self._wake = threading.Event()
        self._closing = False
        self._failure: str | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    # -- the engine's side ---------------------------------------------------------------

    def append(self, event: Event) -> None:
        """Queue one event for writing; returns at once. Thread-safe.

        Raises `WriterStoppedError` once the writer has failed or been closed:
        an event that cannot be stored must not pass silently. An event announced
        with `stored` passes once, unwritten (and unfolded).
        """
        with self._lock:
            if self._stored and self._stored.pop(id(event), None) is event:
                return
            if self._closing or self._failure is not None:
                raise WriterStoppedError(self._stopped_reason())
            self._pending.append(event)
            self._appended += 1
            full = len(self._pending) == self.batch
        if full:
            self._wake.set()

    __call__ = append  # a writer is a bus subscriber: bus.subscribe(writer)

    def stored(self, events: Iterable[Event]) -> None:
        """Say that `events` are in the log already: a repository committed them with its
        record (`outbox.append`). Publish them right after; `append` skips each of them
        once. Thread-safe; events are told apart by identity, never by equality (two equal
        events are two facts)."""
        with self._lock:
            for event in events:
                self._stored[id(event)] = event  # the reference keeps id() unique meanwhile

    def add_fold(self, fold: Fold) -> None:
        """Also run `fold` on every batch from now on (same thread, same transaction)."""
        with self._lock:
            self._folds.append(fold)

    def on_commit(self, listener: CommitListener) -> None:
        """Call `listener(first_id, events)` after every commit, on the writer thread."""
        with self._lock:
            self._listeners.append(listener)

    @property
    def committed(self) -> int:
        """Events committed so far by this writer: the acknowledged ones."""
        return self._committed

    @property
    def appended(self) -> int:
        return self._appended

    @property
    def last_id(self) -> int:
        """The id of the last event this writer committed (0 before the first commit)."""
        return self._last_id

    def flush(self, timeout: float | None = 5.0) -> None:
        """Block until every event appended before this call is committed.

        Raises `StoreError` when that takes longer than `timeout` seconds, and
        `WriterStoppedError` when the writer failed.
        """
        with self._lock:
            target = self._appended
        self._wake.set()
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._done:
            while self._committed < target:
                if self._failure is not None:
                    raise WriterStoppedError(self._stopped_reason())
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise StoreError(
                        f"event writer: {target - self._committed} events still not committed "
                        f"after {timeout} s"
                    )
                self._done.wait(left)

    def close(self, timeout: float | None = 30.0) -> None:
        """Commit everything appended, then stop the thread. Idempotent."""
        with self._lock:
            self._closing = True
        self._wake.set()
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise StoreError(f"event writer did not finish within {timeout} s")
        if self._failure is not None:
            raise WriterStoppedError(self._stopped_reason())

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _stopped_reason(self) -> str:
        if self._failure is not None:
            return f"event writer stopped after an error: {self._failure}"
        return "event writer is closed"

    # -- the writer thread ---------------------------------------------------------------

    def _run(self) -> None:
        try:
            with self.db.engine.connect() as connection:
                while True:
                    if len(self._pending) < self.batch:
                        self._wake.wait(self.interval)
                    self._wake.clear()
                    with self._lock:
                        events, self._pending = self._pending, []
                        closing = self._closing
                        folds, listeners = list(self._folds), list(self._listeners)
                    for start in range(0, len(events), self.batch):
                        chunk = events[start : start + self.batch]
                        self._commit(connection, chunk, folds)
                        for listener in listeners:
                            self._tell(listener, chunk)
                    if closing and not events:
                        return
        except Exception as exc:  # the thread must report, not die silently
            reason = _reason(exc) if isinstance(exc, SQLAlchemyError) else repr(exc)
            log.exception("event writer failed")
            with self._done:
                self._failure = reason
                self._done.notify_all()

    def _tell(self, listener: CommitListener, chunk: list[Event]) -> None:
        """A listener's failure is its own: the events are committed, writing goes on."""
        try:
            listener(self._last_id - len(chunk) + 1, chunk)
        except Exception:
            log.exception("event writer: commit listener %r failed", listener)

    def _commit(self, connection: Connection, events: list[Event], folds: list[Fold]) -> None:
        last = self._last_id
        with connection.begin():
            if self._insert and events:
                last = outbox.append(connection, events)
            for fold in folds:
                fold(connection, events)
        with self._done:
            self._committed += len(events)
            self._last_id = int(last)
            self._done.notify_all()
