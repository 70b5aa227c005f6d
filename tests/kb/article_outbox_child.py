"""Child of the knowledge base's outbox test: one article change with its event, killed at a
chosen point.

    python -m tests.kb.article_outbox_child URL OPERATION POINT

OPERATION is ``add`` (a new article), ``update`` (an existing article retitled) or
``delete`` (an existing article deleted), each through `KnowledgeService` by user
``supervisor``; for the last two the article is loaded first, as seeding does (no
event). The child wires the pieces as the live runtime does: a bus with the event
log's batch writer subscribed, the service writing through the store. It SIGKILLs
itself at POINT:

- ``before_commit``: inside the store's transaction, just before its commit;
- ``after_save``: right after the store call returns, before anything is published
  (printing first how many transactions the call committed: ``commits 1``);
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
from hotline.kb import ArticleDraft, ArticleKind
from hotline.kb.service import KnowledgeService
from hotline.store.db import BatchWriter, Database, EventLog
from hotline.store.db.kb import KnowledgeBase

POINTS = ("before_commit", "after_save", "after_publish")
AT = 1_784_131_162.5  # 2026-07-15
OUTAGE = ArticleDraft(
    kind=ArticleKind.FAQ,
    title="停电报修",
    body="请拨打95598报修，抢修人员按时限到达。",
    category="停电报修",
)
RETITLED = "故障报修的处理流程"
STORE_METHOD = {"add": "add_article", "update": "update_article", "delete": "delete_article"}


def die(point: str) -> None:
    print(f"reached {point}", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)


def commits(db: Database) -> list[int]:
    """A counter of the transactions the main thread commits from now on."""
    main = threading.main_thread()
    count = [0]

    def on_commit(_connection: object) -> None:
        if threading.current_thread() is main:
            count[0] += 1

    sa.event.listen(db.engine, "commit", on_commit)
    return count


def kill_after(cls: type[Any], method: str, count: list[int]) -> None:
    """Make `cls.method` kill the process as soon as it returns, saying how many
    transactions were committed by then."""
    original = getattr(cls, method)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        print(f"commits {count[0]}", flush=True)
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


def change(db: Database, operation: str) -> Callable[[], Sequence[Event]]:
    """The change to make, its article loaded first when it changes an existing one."""
    kb = KnowledgeService(KnowledgeBase(db), lambda: AT)
    if operation == "add":
        return lambda: kb.add(OUTAGE, by="supervisor").events
    (article_id,) = KnowledgeBase(db).add_many([OUTAGE], at=AT - 3600)
    if operation == "update":
        retitled = ArticleDraft(OUTAGE.kind, RETITLED, OUTAGE.body, OUTAGE.category)
        return lambda: kb.update(article_id, retitled, by="supervisor").events
    return lambda: kb.delete(article_id, by="supervisor").events


def main(url: str, operation: str, point: str) -> None:
    assert point in POINTS, point
    db = Database.open(url)
    bus = EventBus()
    writer = EventLog(db).writer(interval=0.01)
    bus.subscribe(writer)
    write = change(db, operation)
    if point == "before_commit":
        kill_before_commit(db)
    elif point == "after_save":
        kill_after(KnowledgeBase, STORE_METHOD[operation], commits(db))
    events = write()
    publish(bus, writer, events)
    writer.flush()
    die(point)


if __name__ == "__main__":
    main(*sys.argv[1:4])
