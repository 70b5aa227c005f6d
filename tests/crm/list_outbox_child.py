"""Child of the CRM outbox test: one list change with its event, killed at a chosen point.

    python -m tests.crm.list_outbox_child URL OPERATION POINT

OPERATION is ``list`` (a customer put on the black list through `CrmService`) or
``import`` (an uploaded row that puts a new customer on the black list). The child
wires the pieces as the live runtime does: a bus with the event log's batch writer
subscribed, the service writing through the store. It SIGKILLs itself at POINT:

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

from hotline.core.customer import ListMark
from hotline.core.events import Event, EventBus
from hotline.crm import CrmConfig
from hotline.crm.service import CrmService
from hotline.store.db import BatchWriter, Customers, Database, EventLog
from hotline.store.db.crm import CustomerAccounts

POINTS = ("before_commit", "after_save", "after_publish")
AT = 1_784_131_162.5  # 2026-07-15
UPLOAD = "户号,户名,联系电话,名单,名单原因\n0101000009,赵敏,13600136000,黑名单,恶意骚扰\n"


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


def service(db: Database) -> CrmService:
    return CrmService(CrmConfig, CustomerAccounts(db), Customers(db), lambda: AT)


def change_list(db: Database) -> Callable[[], Sequence[Event]]:
    customer = Customers(db).upsert(account="0101000001", name="张伟", phone="13800138000")
    crm = service(db)
    return lambda: crm.change_list(customer.id, ListMark.BLACK, "恶意骚扰", by="lead").events


def import_row(db: Database) -> Callable[[], Sequence[Event]]:
    crm = service(db)
    return lambda: crm.import_upload(UPLOAD.encode(), "c.csv", by="admin").events


def main(url: str, operation: str, point: str) -> None:
    assert point in POINTS, point
    db = Database.open(url)
    bus = EventBus()
    writer = EventLog(db).writer(interval=0.01)
    bus.subscribe(writer)
    write = change_list(db) if operation == "list" else import_row(db)
    if point == "before_commit":
        kill_before_commit(db)
    elif point == "after_save" and operation == "list":
        kill_after(CustomerAccounts, "change_list")
    elif point == "after_save":
        kill_after(CustomerAccounts, "save_row")
    events = write()
    publish(bus, writer, events)
    writer.flush()
    die(point)


if __name__ == "__main__":
    main(*sys.argv[1:4])
