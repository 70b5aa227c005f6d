"""The callback list: callers to be called back, due within a deadline (24 h by default).

Middle-tier callers who abandon, and callers who accept a callback offer or
leave a voicemail, get a task here; the outbound part dials them later. A
task for a caller who gets through to an agent in the meantime is closed as
reached, so nobody is called back about a request already served.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from hotline.core.customer import Tier
from hotline.core.events import Event
from hotline.core.ids import CallbackId, CallId, QueueName
from hotline.routing.errors import RoutingError
from hotline.routing.events import CallbackClosed, CallbackCreated


@dataclass(slots=True)
class CallbackTask:
    id: CallbackId
    call: CallId
    caller: str
    queue: QueueName | None  # whose agents call back; None: any
    tier: Tier
    created_at: float
    due: float
    reason: str
    result: str | None = None  # None while pending

    @property
    def pending(self) -> bool:
        return self.result is None


class CallbackList:
    """Pending and closed callback tasks, in creation order."""

    def __init__(self, publish: Callable[[Event], None]) -> None:
        self._publish = publish
        self._tasks: dict[CallbackId, CallbackTask] = {}
        self._pending_by_caller: dict[str, list[CallbackTask]] = {}
        self._seq = 0

    def create(
        self,
        *,
        now: float,
        call: CallId,
        caller: str,
        queue: QueueName | None,
        tier: Tier,
        within: float,
        reason: str,
    ) -> CallbackTask:
        self._seq += 1
        task = CallbackTask(
            CallbackId(f"cb{self._seq}"), call, caller, queue, tier, now, now + within, reason
        )
        self._tasks[task.id] = task
        self._pending_by_caller.setdefault(caller, []).append(task)
        self._publish(CallbackCreated(now, task.id, call, caller, queue, tier, task.due, reason))
        return task

    def close(
        self, task_id: CallbackId, result: str, *, now: float, by: str | None = None
    ) -> CallbackTask:
        """Close a pending task with `result` (done, cancelled, expired …); `by` names the
        person who recorded it."""
        task = self._tasks.get(task_id)
        if task is None:
            raise RoutingError(f"no callback task {task_id!r}", task=task_id)
        if not task.pending:
            raise RoutingError(f"callback task {task_id} is already {task.result}", task=task_id)
        self._close(task, result, now, by)
        return task

    def get(self, task_id: CallbackId) -> CallbackTask | None:
        return self._tasks.get(task_id)

    def restore(self, tasks: Iterable[CallbackTask], *, numbered: int = 0) -> int:
        """Take back pending tasks of an earlier run (from the log), without events; new
        tasks are numbered after `numbered` and after every restored id. A task whose id
        is already held is skipped. Returns how many were taken."""
        taken = 0
        self._seq = max(self._seq, numbered)
        for task in tasks:
            number = task_number(task.id)
            if number is not None:
                self._seq = max(self._seq, number)
            if not task.pending or task.id in self._tasks:
                continue
            self._tasks[task.id] = task
            self._pending_by_caller.setdefault(task.caller, []).append(task)
            taken += 1
        return taken

    def caller_reached(self, caller: str, *, now: float) -> int:
        """The caller got through to an agent: close their pending tasks; returns how many."""
        tasks = self._pending_by_caller.pop(caller, None)
        if not tasks:
            return 0
        for task in tasks:
            task.result = "reached"
            self._publish(CallbackClosed(now, task.id, "reached"))
        return len(tasks)

    def pending(self) -> list[CallbackTask]:
        return [t for t in self._tasks.values() if t.pending]

    def overdue(self, now: float) -> list[CallbackTask]:
        return [t for t in self._tasks.values() if t.pending and t.due < now]

    def __len__(self) -> int:
        return len(self._tasks)

    def _close(self, task: CallbackTask, result: str, now: float, by: str | None) -> None:
        task.result = result
        siblings = self._pending_by_caller.get(task.caller)
        if siblings is not None:
            siblings.remove(task)
            if not siblings:
                del self._pending_by_caller[task.caller]
        self._publish(CallbackClosed(now, task.id, result, by))


_NUMBERED = re.compile(r"cb([0-9]{1,18})")


def task_number(task_id: str) -> int | None:
    """The number of an id `CallbackList` gave (``cb17`` -> 17); None for another kind."""
    found = _NUMBERED.fullmatch(task_id)
    return int(found.group(1)) if found else None


def pending_in_log(events: Iterable[Event]) -> tuple[list[CallbackTask], int]:
    """The tasks the log's callback events (in log order) leave pending, oldest first, and
    the highest task number it used.

    Before tasks were numbered on across restarts each run counted from ``cb1``, so an
    id may name tasks of several runs: a ``callback.closed`` ends the newest task of its
    id, and only the newest task of an id is pending here (an older one could no longer
    be told apart by its id).
    """
    newest: dict[str, CallbackTask] = {}
    highest = 0
    for e in events:
        if isinstance(e, CallbackCreated):
            number = task_number(e.task)
            if number is not None:
                highest = max(highest, number)
            newest.pop(e.task, None)  # re-inserted last: the dict stays in creation order
            newest[e.task] = CallbackTask(
                e.task, e.call, e.caller, e.queue, e.tier, e.at, e.due, e.reason
            )
        elif isinstance(e, CallbackClosed):
            task = newest.get(e.task)
            if task is not None and task.pending:
                task.result = e.result
    return [t for t in newest.values() if t.pending], highest
