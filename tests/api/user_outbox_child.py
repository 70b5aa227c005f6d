"""Child of the users' outbox test: one account change with its event, killed at a point.

    python -m tests.api.user_outbox_child URL OPERATION POINT

OPERATION is ``create`` (an administrator creates the user ``qa1``) or ``role`` (they
make the existing ``qa1`` a shift lead). The child wires the pieces as the live
runtime does: a bus with the event log's batch writer subscribed, `hotline.api.users`
writing through the store. It SIGKILLs itself at POINT:

- ``before_commit``: inside the store's transaction, just before its commit;
- ``after_save``: right after the store call returns, before anything is published;
- ``after_publish``: after the events were published and the writer flushed.

It prints ``reached POINT`` just before killing itself.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from hotline.api.roles import Role
from hotline.api.users import create_user, set_role
from hotline.core.events import Event, EventBus
from hotline.store.db import Database, EventLog, Users
from tests.crm.list_outbox_child import POINTS, die, kill_after, kill_before_commit, publish

PASSWORD = "谷雨 leek 8 长密码"


def write(db: Database, operation: str) -> Callable[[], Sequence[Event]]:
    users = Users(db)
    if operation == "create":
        return lambda: create_user(users, "qa1", PASSWORD, "qa", by="admin").events
    create_user(users, "qa1", PASSWORD, "qa")
    with db.engine.begin() as c:  # the setup's own event does not count
        c.exec_driver_sql("DELETE FROM events")
    return lambda: set_role(users, "qa1", Role.SHIFT_LEAD, None, by="admin").events


def main(url: str, operation: str, point: str) -> None:
    assert point in POINTS, point
    db = Database.open(url)
    bus = EventBus()
    writer = EventLog(db).writer(interval=0.01)
    bus.subscribe(writer)
    change = write(db, operation)
    if point == "before_commit":
        kill_before_commit(db)
    elif point == "after_save":
        kill_after(Users, "create" if operation == "create" else "update")
    events = change()
    publish(bus, writer, events)
    writer.flush()
    die(point)


if __name__ == "__main__":
    main(*sys.argv[1:4])
