"""The callback list across a restart: the log's pending tasks come back, numbering goes on,
a recorded outcome names who gave it."""

from __future__ import annotations

import pytest

from hotline.core.customer import Tier
from hotline.core.events import Event
from hotline.core.ids import CallbackId, CallId, QueueName
from hotline.routing.callback import CallbackList, pending_in_log, task_number
from hotline.routing.errors import RoutingError
from hotline.routing.events import CallbackClosed, CallbackCreated


def _list() -> tuple[CallbackList, list[Event]]:
    published: list[Event] = []
    return CallbackList(published.append), published


def _create(tasks: CallbackList, call: str, caller: str, now: float = 0.0) -> CallbackId:
    task = tasks.create(
        now=now,
        call=CallId(call),
        caller=caller,
        queue=QueueName("fault"),
        tier=Tier.MIDDLE,
        within=3600.0,
        reason="abandoned",
    )
    return task.id


def test_a_recorded_outcome_names_who_recorded_it() -> None:
    tasks, published = _list()
    task = _create(tasks, "c1", "13800138000")
    tasks.close(task, "no_answer", now=10.0, by="9001")
    assert published[-1] == CallbackClosed(10.0, task, "no_answer", "9001")
    assert tasks.get(task) is not None
    assert tasks.get(CallbackId("cb99")) is None
    with pytest.raises(RoutingError, match="already no_answer"):
        tasks.close(task, "done", now=11.0)


def test_the_pending_tasks_of_the_log_come_back_and_numbering_goes_on() -> None:
    old, log = _list()
    done = _create(old, "c1", "13800000001")
    kept = _create(old, "c2", "13800000002", now=5.0)
    _create(old, "c3", "13800000003")
    old.close(done, "done", now=6.0)
    old.caller_reached("13800000003", now=7.0)
    pending, highest = pending_in_log(log)
    assert [t.id for t in pending] == [kept]
    assert highest == 3
    assert (pending[0].call, pending[0].created_at, pending[0].due) == ("c2", 5.0, 3605.0)

    new, published = _list()
    assert new.restore(pending, numbered=highest) == 1
    assert published == []  # the log already says so
    assert [t.id for t in new.pending()] == [kept]
    assert _create(new, "c4", "13800000004") == "cb4"  # never cb1 again
    assert new.caller_reached("13800000002", now=9.0) == 1  # the caller got through
    assert published[-1] == CallbackClosed(9.0, kept, "reached")


def test_an_id_two_old_runs_used_closes_the_newer_task() -> None:
    def created(at: float, task: str, call: str) -> CallbackCreated:
        return CallbackCreated(
            at, CallbackId(task), CallId(call), "1", QueueName("q"), Tier.MIDDLE, at + 9, "x"
        )

    log: list[Event] = [
        created(1.0, "cb1", "a"),  # run 1, never closed
        created(2.0, "cb1", "b"),  # run 2 counted from cb1 again
        CallbackClosed(3.0, CallbackId("cb1"), "done"),
        created(4.0, "cb2", "c"),
    ]
    pending, highest = pending_in_log(log)
    assert [t.call for t in pending] == ["c"]
    assert highest == 2
    assert task_number("cb17") == 17
    assert task_number("c1-cb") is None  # an imported queue_log's task
