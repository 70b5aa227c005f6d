"""The callback list: callers to be called back, due within a deadline (24 h by default).

Middle-tier callers who abandon, and callers who accept a callback offer or
leave a voicemail, get a task here; the outbound part dials them later. A
task for a caller who gets through to an agent in the meantime is closed as
reached, so nobody is called back about a request already served.
"""

from __future__ import annotations

from collections.abc import Callable
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

    def close(self, task_id: CallbackId, result: str, *, now: float) -> CallbackTask:
        """Close a pending task with `result` (done, cancelled, expired …)."""
        task = self._tasks.get(task_id)
        if task is None:
            raise RoutingError(f"no callback task {task_id!r}", task=task_id)
        if not task.pending:
            raise RoutingError(f"callback task {task_id} is already {task.result}", task=task_id)
        self._close(task, result, now)
        return task

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

    def _close(self, task: CallbackTask, result: str, now: float) -> None:
        task.result = result
        siblings = self._pending_by_caller.get(task.caller)
        if siblings is not None:
            siblings.remove(task)
            if not siblings:
                del self._pending_by_caller[task.caller]
        self._publish(CallbackClosed(now, task.id, result))
