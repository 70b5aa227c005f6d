"""Training in the database: stage records, exam attempts, training tasks and checklist
ticks (tables ``training_stages``, ``training_attempts``, ``training_tasks``,
``training_ticks``; Alembic branch ``training``).

Every change writes its events (`hotline.training.events`) in the same transaction (the
outbox). The guards that make a page's double click harmless are in the statements
themselves: an attempt is handed in only while it is open (``status = 'open'`` in the
UPDATE), a tick is one row per person, item and period (a unique index), a stage is
passed only while it is not yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from hotline.core.errors import HotlineError
from hotline.core.events import Event, Saved
from hotline.store.db import outbox
from hotline.store.db.database import Database
from hotline.store.db.schema import Base, Json
from hotline.training.events import (
    ChecklistTicked,
    ExamSubmitted,
    StagePassed,
    StageStarted,
    TaskAssigned,
    TaskDone,
)


class StageRow(Base):
    __tablename__ = "training_stages"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    agent: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    stage: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    started_at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    started_by: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    exam_passed_at: Mapped[float | None] = mapped_column(sa.Double)
    passed_at: Mapped[float | None] = mapped_column(sa.Double)
    __table_args__ = (sa.Index("ux_training_stages_agent", "agent", "stage", unique=True),)


class AttemptRow(Base):
    __tablename__ = "training_attempts"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    agent: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    exam: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    stage: Mapped[str | None] = mapped_column(sa.String(64))
    task: Mapped[int | None] = mapped_column(sa.Integer)
    status: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    seed: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    questions: Mapped[list[Any]] = mapped_column(Json, nullable=False)
    answers: Mapped[dict[str, Any]] = mapped_column(Json, nullable=False)
    score: Mapped[float | None] = mapped_column(sa.Double)
    correct: Mapped[int | None] = mapped_column(sa.Integer)
    pass_score: Mapped[float] = mapped_column(sa.Double, nullable=False)
    passed: Mapped[bool | None] = mapped_column(sa.Boolean)
    started_at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    deadline: Mapped[float] = mapped_column(sa.Double, nullable=False)
    pace: Mapped[float] = mapped_column(sa.Double, nullable=False)
    submitted_at: Mapped[float | None] = mapped_column(sa.Double)
    __table_args__ = (sa.Index("ix_training_attempts_agent", "agent", "exam"),)


class TaskRow(Base):
    __tablename__ = "training_tasks"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    agent: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    reason: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    detail: Mapped[dict[str, Any]] = mapped_column(Json, nullable=False)
    study: Mapped[dict[str, Any]] = mapped_column(Json, nullable=False)
    exam: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    status: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    created_at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    created_by: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    due_at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    done_at: Mapped[float | None] = mapped_column(sa.Double)
    attempt: Mapped[int | None] = mapped_column(sa.Integer)
    __table_args__ = (sa.Index("ix_training_tasks_agent", "agent", "status"),)


class TickRow(Base):
    __tablename__ = "training_ticks"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    person: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    role: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    item: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    period: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    ticked_by: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    note: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    __table_args__ = (
        sa.Index("ux_training_ticks_period", "person", "role", "item", "period", unique=True),
    )


stages_t: sa.Table = StageRow.__table__  # type: ignore[assignment]
attempts_t: sa.Table = AttemptRow.__table__  # type: ignore[assignment]
tasks_t: sa.Table = TaskRow.__table__  # type: ignore[assignment]
ticks_t: sa.Table = TickRow.__table__  # type: ignore[assignment]


class TrainingError(HotlineError):
    """A training record cannot change so (the API answers 409)."""

    error_id = "training-refused"


class NoSuchAttemptError(HotlineError):
    error_id = "no-such-attempt"


class NoSuchTaskError(HotlineError):
    error_id = "no-such-task"


@dataclass(frozen=True, slots=True)
class StageRecord:
    agent: str
    stage: str
    started_at: float
    started_by: str
    exam_passed_at: float | None
    passed_at: float | None


@dataclass(frozen=True, slots=True)
class Attempt:
    """An exam attempt; `questions` the paper with its answers (never shown before the
    attempt is handed in); `status` ``open``, ``submitted`` or ``expired``; `pace` the
    engine seconds per second of the person's time when it began (1 but on a demo clock
    running faster: the time limit is the person's)."""

    id: int
    agent: str
    exam: str
    stage: str | None
    task: int | None
    status: str
    seed: str
    questions: list[dict[str, Any]]
    answers: dict[str, list[str]]
    score: float | None
    correct: int | None
    pass_score: float
    passed: bool | None
    started_at: float
    deadline: float
    pace: float
    submitted_at: float | None


@dataclass(frozen=True, slots=True)
class Task:
    id: int
    agent: str
    reason: str
    detail: dict[str, Any]
    study: dict[str, Any]
    exam: str
    status: str
    created_at: float
    created_by: str
    due_at: float
    done_at: float | None
    attempt: int | None


@dataclass(frozen=True, slots=True)
class Tick:
    id: int
    person: str
    role: str
    item: str
    period: str
    ticked_by: str
    at: float
    note: str


@dataclass(frozen=True, slots=True)
class Advance:
    """A stage passed at `passed_at` and the next begun then (`next_stage` None: done)."""

    agent: str
    stage: str
    next_stage: str | None
    passed_at: float


def _record(cls: type[Any], row: Any) -> Any:
    return cls(**{name: getattr(row, name) for name in cls.__dataclass_fields__})


class TrainingStore:
    """The training tables (SQLite or PostgreSQL)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # ---- stages ------------------------------------------------------------------------

    def stages(self, agent: str | None = None) -> list[StageRecord]:
        """Stage records (one agent's, or everyone's), oldest first."""
        query = sa.select(stages_t).order_by(stages_t.c.agent, stages_t.c.started_at)
        if agent is not None:
            query = query.where(stages_t.c.agent == agent)
        with self.db.engine.connect() as c:
            return [_record(StageRecord, r) for r in c.execute(query)]

    def enrol(self, agent: str, stage: str, *, by: str, at: float) -> Saved[StageRecord]:
        """Begin the first stage of the programme for an agent who has no stage yet."""
        started = StageStarted(at, agent, stage, by)
        with self.db.engine.begin() as c:
            taken = c.execute(sa.select(stages_t.c.stage).where(stages_t.c.agent == agent))
            if taken.first() is not None:
                raise TrainingError(
                    f"agent {agent} is in the new-hire programme already", agent=agent
                )
            c.execute(
                stages_t.insert().values(agent=agent, stage=stage, started_at=at, started_by=by)
            )
            outbox.append(c, [started])
        return Saved(self.stages(agent)[-1], (started,))

    def advance(self, step: Advance, *, at: float) -> tuple[Event, ...]:
        """Pass a stage (and begin the next), with the events; no events when it was
        passed meanwhile. The service decides that it may pass (`hotline.training.service`)."""
        with self.db.engine.begin() as c:
            events = _advance(c, step, at)
            outbox.append(c, events)
        return tuple(events)

    # ---- attempts ----------------------------------------------------------------------

    def attempts(
        self,
        *,
        agent: str | None = None,
        exam: str | None = None,
        statuses: Sequence[str] = ("open", "submitted", "expired"),
        limit: int = 5000,
    ) -> list[Attempt]:
        """Attempts, newest first."""
        query = sa.select(attempts_t).where(attempts_t.c.status.in_(list(statuses)))
        if agent is not None:
            query = query.where(attempts_t.c.agent == agent)
        if exam is not None:
            query = query.where(attempts_t.c.exam == exam)
        with self.db.engine.connect() as c:
            rows = c.execute(query.order_by(attempts_t.c.id.desc()).limit(limit))
            return [_record(Attempt, r) for r in rows]

    def attempt(self, attempt_id: int) -> Attempt:
        with self.db.engine.connect() as c:
            row = c.execute(sa.select(attempts_t).where(attempts_t.c.id == attempt_id)).first()
        if row is None:
            raise NoSuchAttemptError(f"no exam attempt {attempt_id}", attempt=attempt_id)
        return _record(Attempt, row)  # type: ignore[no-any-return]

    def count_attempts(self, agent: str, exam: str) -> int:
        with self.db.engine.connect() as c:
            query = sa.select(sa.func.count()).where(
                attempts_t.c.agent == agent, attempts_t.c.exam == exam
            )
            return int(c.execute(query).scalar_one())

    def open_attempt(self, values: dict[str, Any]) -> Attempt:
        """Keep a new attempt (its paper drawn): status open, nothing answered."""
        with self.db.engine.begin() as c:
            key = c.execute(
                attempts_t.insert().values(status="open", answers={}, **values)
            ).inserted_primary_key
        assert key is not None
        return self.attempt(int(key[0]))

    def expire(self, attempt_id: int) -> None:
        """An open attempt past its time that was never handed in: scored 0, not passed."""
        with self.db.engine.begin() as c:
            c.execute(
                attempts_t.update()
                .where(attempts_t.c.id == attempt_id, attempts_t.c.status == "open")
                .values(status="expired", score=0.0, correct=0, passed=False)
            )

    def submit(
        self,
        attempt: Attempt,
        answers: dict[str, list[str]],
        score: float,
        right: int,
        passed: bool,
        *,
        at: float,
        step: Advance | None,
    ) -> Saved[Attempt]:
        """Hand in an open attempt, in one transaction with what its pass changes: the
        open tasks of the same exam done, the stage's exam marked passed and, with
        `step`, the stage passed and the next begun. Refused when handed in already."""
        submitted = ExamSubmitted(
            at,
            attempt.id,
            attempt.agent,
            attempt.exam,
            score,
            right,
            len(attempt.questions),
            attempt.pass_score,
            passed,
        )
        events: list[Event] = [submitted]
        with self.db.engine.begin() as c:
            done = c.execute(
                attempts_t.update()
                .where(attempts_t.c.id == attempt.id, attempts_t.c.status == "open")
                .values(
                    status="submitted",
                    answers=answers,
                    score=score,
                    correct=right,
                    passed=passed,
                    submitted_at=at,
                )
            ).rowcount
            if done != 1:
                raise TrainingError(
                    f"exam attempt {attempt.id} was handed in already", attempt=attempt.id
                )
            if passed:
                events += _close_tasks(c, attempt, at)
                if attempt.stage is not None:
                    c.execute(
                        stages_t.update()
                        .where(stages_t.c.agent == attempt.agent)
                        .where(stages_t.c.stage == attempt.stage)
                        .where(stages_t.c.exam_passed_at.is_(None))
                        .values(exam_passed_at=at)
                    )
                if step is not None:
                    events += _advance(c, step, at)
            outbox.append(c, events)
        return Saved(self.attempt(attempt.id), tuple(events))

    # ---- tasks -------------------------------------------------------------------------

    def tasks(self, *, agent: str | None = None, status: str | None = None) -> list[Task]:
        """Training tasks, newest first."""
        query = sa.select(tasks_t).order_by(tasks_t.c.id.desc())
        if agent is not None:
            query = query.where(tasks_t.c.agent == agent)
        if status is not None:
            query = query.where(tasks_t.c.status == status)
        with self.db.engine.connect() as c:
            return [_record(Task, r) for r in c.execute(query)]

    def task(self, task_id: int) -> Task:
        with self.db.engine.connect() as c:
            row = c.execute(sa.select(tasks_t).where(tasks_t.c.id == task_id)).first()
        if row is None:
            raise NoSuchTaskError(f"no training task {task_id}", task=task_id)
        return _record(Task, row)  # type: ignore[no-any-return]

    def assign(self, values: dict[str, Any], *, by: str, at: float) -> Saved[Task] | None:
        """Open a task unless the agent has an open one for the same reason (None then)."""
        agent, reason = values["agent"], values["reason"]
        with self.db.engine.begin() as c:
            taken = c.execute(
                sa.select(tasks_t.c.id).where(
                    tasks_t.c.agent == agent, tasks_t.c.reason == reason, tasks_t.c.status == "open"
                )
            ).first()
            if taken is not None:
                return None
            key = c.execute(
                tasks_t.insert().values(status="open", created_at=at, created_by=by, **values)
            ).inserted_primary_key
            assert key is not None
            detail = values["detail"]
            assigned = TaskAssigned(
                at,
                int(key[0]),
                agent,
                reason,
                values["exam"],
                float(detail.get("average", 0.0)),
                int(detail.get("evaluations", 0)),
                by,
            )
            outbox.append(c, [assigned])
        return Saved(self.task(assigned.training_task), (assigned,))

    # ---- checklist ticks ---------------------------------------------------------------

    def ticks(
        self, *, person: str, role: str | None = None, periods: Sequence[str] | None = None
    ) -> list[Tick]:
        query = sa.select(ticks_t).where(ticks_t.c.person == person).order_by(ticks_t.c.id)
        if role is not None:
            query = query.where(ticks_t.c.role == role)
        if periods is not None:
            query = query.where(ticks_t.c.period.in_(list(periods)))
        with self.db.engine.connect() as c:
            return [_record(Tick, r) for r in c.execute(query)]

    def tick(
        self, person: str, role: str, item: str, period: str, note: str, *, by: str, at: float
    ) -> tuple[Tick, tuple[Event, ...]]:
        """Tick an item for a person and period; ticking it again (a double submit)
        returns the first tick and no event."""
        key = {"person": person, "role": role, "item": item, "period": period}
        ticked = ChecklistTicked(at, person, role, item, period, by)
        try:
            with self.db.engine.begin() as c:
                if _tick_row(c, key) is None:
                    c.execute(ticks_t.insert().values(ticked_by=by, at=at, note=note, **key))
                    outbox.append(c, [ticked])
                    created = True
                else:
                    created = False
        except IntegrityError:  # the same tick committed meanwhile by another request
            created = False
        with self.db.engine.connect() as c:
            row = _tick_row(c, key)
        assert row is not None
        return _record(Tick, row), ((ticked,) if created else ())


def _tick_row(c: Connection, key: dict[str, str]) -> Any:
    query = sa.select(ticks_t)
    for column, value in key.items():
        query = query.where(ticks_t.c[column] == value)
    return c.execute(query).first()


def _close_tasks(c: Connection, attempt: Attempt, at: float) -> list[Event]:
    """The agent's open tasks whose exam this passed attempt is: done."""
    open_tasks = c.execute(
        sa.select(tasks_t.c.id).where(
            tasks_t.c.agent == attempt.agent,
            tasks_t.c.exam == attempt.exam,
            tasks_t.c.status == "open",
        )
    ).all()
    events: list[Event] = []
    for (task_id,) in open_tasks:
        c.execute(
            tasks_t.update()
            .where(tasks_t.c.id == task_id, tasks_t.c.status == "open")
            .values(status="done", done_at=at, attempt=attempt.id)
        )
        events.append(TaskDone(at, int(task_id), attempt.agent, attempt.exam, attempt.id))
    return events


def _advance(c: Connection, step: Advance, at: float) -> list[Event]:
    done = c.execute(
        stages_t.update()
        .where(stages_t.c.agent == step.agent, stages_t.c.stage == step.stage)
        .where(stages_t.c.passed_at.is_(None))
        .values(passed_at=step.passed_at)
    ).rowcount
    if done != 1:
        return []
    events: list[Event] = [StagePassed(at, step.agent, step.stage, step.next_stage or "")]
    if step.next_stage is not None:
        c.execute(
            stages_t.insert().values(
                agent=step.agent,
                stage=step.next_stage,
                started_at=step.passed_at,
                started_by="training",
            )
        )
        events.append(StageStarted(at, step.agent, step.next_stage, "training"))
    return events
