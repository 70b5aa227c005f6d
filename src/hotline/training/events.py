"""The training feature's events: stages begun and passed, exams handed in, training
tasks opened and done, checklist items ticked.

Written by `hotline.training.store` in the transaction that changes the record (the
outbox), so a newcomer's progress and a team's KBI compliance can be read from the log.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from hotline.core.events import Event, event


@event
@dataclasses.dataclass(slots=True)
class StageStarted(Event):
    """新员工培训: agent `agent` began stage `programme_stage` (``by``: the lead who
    enrolled them, or ``training`` when the stage before was passed)."""

    kind: ClassVar[str] = "training.stage_started"
    agent: str
    programme_stage: str
    by: str


@event
@dataclasses.dataclass(slots=True)
class StagePassed(Event):
    """Agent `agent` passed stage `programme_stage` (its exam passed and its least days spent);
    `next_stage` begins now (empty: the programme is done, 独立上岗)."""

    kind: ClassVar[str] = "training.stage_passed"
    agent: str
    programme_stage: str
    next_stage: str


@event
@dataclasses.dataclass(slots=True)
class ExamSubmitted(Event):
    """交卷: agent `agent` handed in attempt `attempt` of exam `exam`: `score` out of 100,
    `right` of `total` questions, `passed` against `pass_score`."""

    kind: ClassVar[str] = "training.exam_submitted"
    attempt: int
    agent: str
    exam: str
    score: float
    right: int
    total: int
    pass_score: float
    passed: bool


@event
@dataclasses.dataclass(slots=True)
class TaskAssigned(Event):
    """针对性培训: task `training_task` for agent `agent` (``reason`` ``low_score``: an
    `average` QA score over `evaluations` evaluations under the threshold): study, then pass
    `exam`."""

    kind: ClassVar[str] = "training.task_assigned"
    training_task: int
    agent: str
    reason: str
    exam: str
    average: float
    evaluations: int
    by: str


@event
@dataclasses.dataclass(slots=True)
class TaskDone(Event):
    """Agent `agent` passed task `training_task`'s exam `exam` (attempt `attempt`): the task
    is done."""

    kind: ClassVar[str] = "training.task_done"
    training_task: int
    agent: str
    exam: str
    attempt: int


@event
@dataclasses.dataclass(slots=True)
class ChecklistTicked(Event):
    """KBI 检查: `by` ticked item `item` of checklist `role` for `person` (a 工号 or a
    username) for `period` (``2026-12-06``, ``2026-W49``, ``2026-12``,
    ``2026-12-06/夜班``)."""

    kind: ClassVar[str] = "training.checklist_ticked"
    person: str
    role: str
    item: str
    period: str
    by: str
