"""回呼任务's application service: the tasks as the log tells them, filtered and sorted.

`CallbackDesk` is what the API reads. It folds the log's callback events through the
`CallbackSource` port (`hotline.callbacks.store.LogSource` implements it), reading
only what was committed since its last read, so a page refresh costs one small query.
Closing a task is the engine's (`CallbackList.close`, on the engine's thread): its
``callback.closed`` reaches the log like every engine event, and the next read folds it.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

from hotline.callbacks.tasks import CallbackTaskView, TaskFold, TaskStatus
from hotline.core.events import Event


class CallbackSource(Protocol):
    """The log's callback events (``callback.created``, ``voicemail.recorded``,
    ``callback.closed``)."""

    def read(self, since_id: int) -> Sequence[tuple[int, Event]]:
        """Those committed after log id `since_id`, in log order (a batch; call again
        while it is not empty)."""
        ...


@dataclass(frozen=True, slots=True)
class TaskList:
    """The tasks a filter chose (most urgent first; closed ones newest first) and how many
    tasks each status has for the same reader."""

    tasks: list[CallbackTaskView]
    counts: dict[str, int]


def visible(task: CallbackTaskView, queues: Collection[str] | None) -> bool:
    """Whether a reader of `queues` (None: every queue) sees `task`: a task of no queue
    is anyone's to call back."""
    return queues is None or task.queue is None or task.queue in queues


class CallbackDesk:
    """The hotline's callback tasks, read from its log."""

    def __init__(self, source: CallbackSource) -> None:
        self._source = source
        self._fold = TaskFold()
        self._last = 0
        self._lock = threading.Lock()

    def _refresh(self) -> None:
        while True:
            batch = self._source.read(self._last)
            if not batch:
                return
            for log_id, e in batch:
                self._fold.apply(log_id, e)
            self._last = batch[-1][0]

    def tasks(
        self,
        now: float,
        *,
        status: TaskStatus | None = None,
        queues: Collection[str] | None = None,
        limit: int = 200,
    ) -> TaskList:
        """The tasks a reader of `queues` sees with `status` (`OPEN`: every pending task,
        overdue ones included; None: all), pending ones by due time, closed ones newest
        first, at most `limit`; and the counts of pending, overdue and closed tasks."""
        with self._lock:
            self._refresh()
            mine = [t for t in self._fold.tasks.values() if visible(t, queues)]
        counts = {s.value: 0 for s in TaskStatus}
        for task in mine:
            found = task.status(now)
            counts[found.value] += 1
            if found is TaskStatus.OVERDUE:
                counts[TaskStatus.OPEN.value] += 1  # 待回呼 counts the overdue ones too
        if status is TaskStatus.CLOSED:
            chosen = [t for t in mine if not t.pending]
            chosen.sort(key=lambda t: (-(t.closed_at or 0.0), -t.id))
        else:
            if status is TaskStatus.OVERDUE:
                chosen = [t for t in mine if t.status(now) is TaskStatus.OVERDUE]
            elif status is TaskStatus.OPEN:
                chosen = [t for t in mine if t.pending]
            else:
                chosen = list(mine)
            chosen.sort(key=lambda t: (not t.pending, t.due, t.id))
        return TaskList(chosen[:limit], counts)

    def get(self, task_id: int) -> CallbackTaskView | None:
        """One task by its id (the log id of its ``callback.created``)."""
        with self._lock:
            self._refresh()
            return self._fold.tasks.get(task_id)
