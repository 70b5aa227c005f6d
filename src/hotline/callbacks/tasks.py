"""Callback tasks as the event log tells them: created, perhaps a voicemail, then closed.

`TaskFold` reads ``callback.created``, ``voicemail.recorded`` (the message a caller left
for the task) and ``callback.closed`` in log order and keeps
one `CallbackTaskView` per created task, keyed by the log id of its
``callback.created`` (a task id such as ``cb7`` named tasks of several runs before
tasks were numbered on across restarts; the log id names one). A close ends the
newest task of its id, as the engine does (`routing.callback.pending_in_log`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import Final

from hotline.calls.events import VoicemailRecorded
from hotline.core.events import Event
from hotline.routing.events import CallbackClosed, CallbackCreated


class TaskStatus(enum.StrEnum):
    """Where a task is: pending (待回呼), pending past its due time (已超时), closed."""

    OPEN = "open"
    OVERDUE = "overdue"
    CLOSED = "closed"


OUTCOMES: Final[tuple[str, ...]] = ("done", "no_answer", "wrong_number", "cancelled")
"""The outcomes a person records, in the order the page offers them: 已回电, 无人接听,
号码错误, 客户取消. Each closes the task (``callback.closed`` with it as `result`);
`done` counts as called back in time for 24小时回呼率, as the engine's `reached` does.
Trying again after 无人接听 comes with outbound: here the task is closed."""

REACHED: Final = "reached"
"""The engine's own result: the caller got through to an agent in the meantime."""


@dataclass(frozen=True, slots=True)
class Voicemail:
    """The message a caller left (``voicemail.recorded``): the WAV's name in the
    recordings folder (None: no audio, e.g. `simulated` on the simulator's clock)."""

    file: str | None
    seconds: float
    ended_by: str
    simulated: bool


@dataclass(frozen=True, slots=True)
class CallbackTaskView:
    """One task: where it came from, by when it is due, and how it ended (if it did).

    `id` is the log id of its ``callback.created``; `task` the engine's id. `current`
    says the task is the newest of its engine id, the one the engine can close.
    """

    id: int
    task: str
    call: str
    caller: str
    queue: str | None
    tier: str
    reason: str
    created_at: float
    due: float
    result: str | None = None
    closed_at: float | None = None
    closed_by: str | None = None
    current: bool = True
    message: Voicemail | None = None  # the caller's voicemail (reason ``voicemail``)

    @property
    def pending(self) -> bool:
        return self.result is None

    def status(self, now: float) -> TaskStatus:
        if not self.pending:
            return TaskStatus.CLOSED
        return TaskStatus.OVERDUE if self.due < now else TaskStatus.OPEN


class TaskFold:
    """Every task of the log so far, folded one event at a time (in log order)."""

    def __init__(self) -> None:
        self.tasks: dict[int, CallbackTaskView] = {}
        self._newest: dict[str, int] = {}  # engine task id -> log id of its newest task

    def apply(self, log_id: int, e: Event) -> None:
        if isinstance(e, CallbackCreated):
            older = self._newest.get(e.task)
            if older is not None:
                self.tasks[older] = replace(self.tasks[older], current=False)
            self._newest[e.task] = log_id
            self.tasks[log_id] = CallbackTaskView(
                id=log_id,
                task=e.task,
                call=e.call,
                caller=e.caller,
                queue=e.queue,
                tier=e.tier.value,
                reason=e.reason,
                created_at=e.at,
                due=e.due,
            )
        elif isinstance(e, VoicemailRecorded):
            found = self._newest.get(e.task)
            task = self.tasks.get(found) if found is not None else None
            if task is not None and task.call == e.call:
                message = Voicemail(e.file, e.seconds, e.ended_by, e.simulated)
                self.tasks[task.id] = replace(task, message=message)
        elif isinstance(e, CallbackClosed):
            found = self._newest.get(e.task)
            task = self.tasks.get(found) if found is not None else None
            if task is not None and task.pending:
                self.tasks[task.id] = replace(task, result=e.result, closed_at=e.at, closed_by=e.by)
