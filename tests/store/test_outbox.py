"""The outbox: a record and its events commit in one transaction, and reach the log once.

A child process writes an order (or a handover sheet) the way the live runtime does
and is SIGKILLed inside the store's transaction, right after the store call, or after
publishing; the database then holds the record and its events, or neither.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from hotline.core.events import EventBus
from hotline.handover.store import handovers_t
from hotline.orders.events import OrderCreated
from hotline.routing.events import ContactOffered
from hotline.store.db import Database, EventLog, outbox
from hotline.store.db.orders import orders_t
from tests.store.events import AT, sample

ROOT = Path(__file__).parents[2]
RECORDS = {"order": (orders_t, "order."), "handover": (handovers_t, "handover.")}


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    with Database.open(database_url) as database:
        yield database


def killed(url: str, operation: str, point: str) -> str:
    """Run the child until it kills itself; what it printed last."""
    child = subprocess.run(
        [sys.executable, "-m", "tests.store.outbox_child", url, operation, point],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    return child.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("operation", ["order", "handover"])
@pytest.mark.parametrize(
    ("point", "stored"),
    [("before_commit", False), ("after_save", True), ("after_publish", True)],
)
def test_a_kill_leaves_the_record_and_its_events_or_neither(
    database_url: str, operation: str, point: str, stored: bool
) -> None:
    assert killed(database_url, operation, point) == f"reached {point}"
    table, prefix = RECORDS[operation]
    with Database.open(database_url) as db:
        with db.engine.connect() as c:
            records = c.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        events = [s.event for s in EventLog(db).read() if s.event.kind.startswith(prefix)]
    # both or neither; and once, never twice (the writer skips what the outbox wrote)
    assert (records, len(events)) == ((1, 1) if stored else (0, 0))


def test_stored_events_pass_the_writer_once_and_equal_ones_are_still_written(
    db: Database,
) -> None:
    log = EventLog(db)
    bus = EventBus()
    with log.writer(interval=0.01) as writer:
        bus.subscribe(writer)
        before = sample(ContactOffered, at=AT)
        bus.publish(before)
        writer.flush()
        created = OrderCreated(AT + 1, 7, "query", "9001")
        with db.engine.begin() as c:
            last = outbox.append(c, [created])
        writer.stored([created])
        bus.publish(created)
        twin = OrderCreated(AT + 1, 7, "query", "9001")  # equal, but a second fact
        bus.publish(twin)
        after = sample(ContactOffered, at=AT + 2)
        bus.publish(after)
    stored = log.read()
    assert [s.event for s in stored] == [before, created, twin, after]
    assert [s.id for s in stored] == [1, 2, 3, 4]
    assert last == 2
    assert writer.committed == 3  # its own three; the stored one passed


def test_a_reader_following_since_id_misses_no_row_of_the_writer_or_an_outbox(
    db: Database,
) -> None:
    """The writer and outboxes on other threads insert under one lock held to the commit,
    so a row never commits with an id smaller than one a reader has already seen."""
    log = EventLog(db)
    writers, per_writer, engine_events = 2, 40, 400
    seen: list[int] = []
    done = threading.Event()

    def follow() -> None:
        while True:
            finished = done.is_set()
            batch = log.read(since_id=seen[-1] if seen else 0, limit=50)
            seen.extend(s.id for s in batch)
            if finished and not batch:
                return

    def save_orders(t: int) -> None:
        for i in range(per_writer):
            with db.engine.begin() as c:
                outbox.append(c, [OrderCreated(AT + i, t * 1000 + i, "query", "9001")])

    reader = threading.Thread(target=follow)
    savers = [threading.Thread(target=save_orders, args=(t,)) for t in range(writers)]
    reader.start()
    with log.writer(batch=20, interval=0.005) as writer:
        for thread in savers:
            thread.start()
        for i in range(engine_events):
            writer.append(sample(ContactOffered, at=AT + i))
            if i % 20 == 0:
                time.sleep(0.002)
        for thread in savers:
            thread.join()
    done.set()
    reader.join()
    total = writers * per_writer + engine_events
    assert log.count() == total
    assert seen == sorted({s.id for s in log.read(limit=total)})  # every row, once, in order
