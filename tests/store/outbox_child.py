"""Child process of the outbox test: one store write with its events, killed at a chosen point.

    python -m tests.store.outbox_child URL OPERATION POINT

OPERATION is ``order`` (an order created through `OrderDesk`) or ``handover`` (a sheet
handed over). The child wires the pieces as the live runtime does: a bus with the
event log's batch writer subscribed, the store writing the record. It SIGKILLs
itself at POINT:

- ``before_commit``: inside the store's transaction, just before its commit;
- ``after_save``: right after the store call returns, before anything is published;
- ``after_publish``: after the events were published and the writer flushed.

It prints ``reached POINT`` just before killing itself.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa

from hotline.core.events import Event, EventBus
from hotline.handover.sheet import HandoverSheet, Snapshot
from hotline.handover.store import Handovers
from hotline.orders.service import OrderDesk
from hotline.store.db import BatchWriter, Database, EventLog
from hotline.store.db.orders import Orders
from tests.orders.support import example, ts

POINTS = ("before_commit", "after_save", "after_publish")
QUERY = {
    "customer_name": "张三",
    "phone": "13800138000",
    "content": "电费",
    "customer_type": "resident",
}


def die(point: str) -> None:
    print(f"reached {point}", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)


def kill_after(cls: type[Any], method: str) -> None:
    """Make `cls.method` kill the process as soon as it returns."""
    original = getattr(cls, method)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        die("after_save")
        return result

    setattr(cls, method, wrapper)


def kill_before_commit(db: Database) -> None:
    """Kill the process when the main thread's next transaction is about to commit."""
    main = threading.main_thread()

    def on_commit(_connection: object) -> None:
        if threading.current_thread() is main:
            die("before_commit")

    sa.event.listen(db.engine, "commit", on_commit)


def publish(bus: EventBus, writer: BatchWriter, events: Sequence[Event]) -> None:
    """What the runtime's `publish_stored` does: the writer lets them pass, the bus tells."""
    for event in events:
        writer.stored((event,))
        bus.publish(event)


def write_order(db: Database) -> Callable[[], Sequence[Event]]:
    desk = OrderDesk(example(), Orders(db), lambda: ts("2026-11-16 09:00"))
    return lambda: desk.create("query", QUERY, by="9001", caller="13800138000", call="c1").events


def write_handover(db: Database) -> Callable[[], Sequence[Event]]:
    at = ts("2026-11-16 16:00")
    sheet = HandoverSheet(0, at - 8 * 3600, at, "lead", Snapshot((), (), ()), incidents="无")
    return lambda: Handovers(db).hand_over(sheet).events


def main(url: str, operation: str, point: str) -> None:
    assert point in POINTS, point
    db = Database.open(url)
    bus = EventBus()
    writer = EventLog(db).writer(interval=0.01)
    bus.subscribe(writer)
    write = write_order(db) if operation == "order" else write_handover(db)
    if point == "before_commit":
        kill_before_commit(db)
    elif point == "after_save" and operation == "order":
        kill_after(Orders, "save")
    elif point == "after_save":
        kill_after(Handovers, "hand_over")
    events = write()
    publish(bus, writer, events)
    writer.flush()
    die(point)


if __name__ == "__main__":
    main(*sys.argv[1:4])
