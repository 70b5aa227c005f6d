"""The training desk (培训与考核): the new-hire programme's stages, exams taken in the
browser, targeted training for low QA scores, and the role checklists (KBI).

The rules, in one place:

- **stages**: a lead enrols a new hire (the first stage begins). A stage is passed when
  its exam is passed *and* its ``min_days`` have gone by since it began; the next stage
  begins at that moment. An exam passed early waits for the days (`settle`, run by the
  feature's job and on every read of the agent's progress). An agent with no stage
  record was never a new hire here: they count as 独立上岗 (the programme done).
- **exams**: open to an agent are the current stage's exam (until passed), the exams of
  their open training tasks, and the exams marked ``open`` (月度考试). Starting one draws
  the paper (seeded by the attempt, kept with it); starting it again while it is open
  returns the same paper. It is handed in once, before its time limit (plus a minute's
  grace for the network); one left open past that is expired, scored 0.
- **targeted training**: `check_low_scorers` reads the log's QA scores
  (`hotline.training.targeting`) and opens one task per low-scoring agent (not a second
  while one is open); passing the task's exam closes it.
- **checklists**: a lead ticks a person's item for the period its time limit gives
  (`hotline.training.periods`); ticking it twice keeps the first tick.

Time is always the engine's (``now`` passed in), never the wall clock.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hotline.core.errors import HotlineError
from hotline.core.events import Event, Saved
from hotline.site.config import Site
from hotline.store.db.database import Database
from hotline.store.db.eventlog import EventLog
from hotline.store.db.repositories import Agents, Users
from hotline.training.config import Checklist, Exam, TrainingConfig, load_training
from hotline.training.exam import Given, draw, paper_question, score, stored_question
from hotline.training.periods import check_period, period_key
from hotline.training.store import (
    Advance,
    Attempt,
    StageRecord,
    Task,
    Tick,
    TrainingError,
    TrainingStore,
)
from hotline.training.targeting import DAY, Scored, latest_scores, low_scorers

__all__ = [
    "GRACE",
    "TRAINING_FILE",
    "Attempt",
    "NoTrainingError",
    "OpenExam",
    "Task",
    "Tick",
    "TrainingDesk",
    "TrainingError",
    "UnknownChecklistError",
    "UnknownExamError",
    "build_service",
]

TRAINING_FILE = "training.yaml"
GRACE = 60.0
"""Seconds after an exam's time limit in which a paper is still taken (the browser hands
it in when its timer runs out; the request may take a moment)."""


class NoTrainingError(HotlineError):
    """The site has no ``training.yaml``."""

    error_id = "no-training-config"


class UnknownExamError(HotlineError):
    error_id = "no-such-exam"


class UnknownChecklistError(HotlineError):
    error_id = "no-such-checklist"


@dataclass(frozen=True, slots=True)
class OpenExam:
    """An exam an agent may take now and why: ``stage`` (the current stage's), ``task``
    (a training task's retake) or ``open`` (open to everyone)."""

    exam: Exam
    purpose: str
    stage: str | None = None
    task: int | None = None


class TrainingDesk:
    """Training on one site's database; the configuration is read when changed."""

    def __init__(self, site: Site, db: Database) -> None:
        self.site = site
        self.db = db
        self.store = TrainingStore(db)
        self._cached: tuple[tuple[float, int], TrainingConfig] | None = None

    # ---- configuration -----------------------------------------------------------------

    @property
    def training_file(self) -> Path:
        return self.site.config.folder / TRAINING_FILE

    def config(self) -> TrainingConfig:
        """The site's ``training.yaml`` (read again when it changed); raises
        `NoTrainingError` when there is none, `ConfigError` when it is wrong."""
        try:
            stat = os.stat(self.training_file)
        except FileNotFoundError:
            raise NoTrainingError(
                f"{self.training_file}: no training configuration (training.yaml) on this site"
            ) from None
        stamp = (stat.st_mtime, stat.st_size)
        if self._cached is None or self._cached[0] != stamp:
            self._cached = (stamp, load_training(self.training_file))
        return self._cached[1]

    def exam(self, exam_id: str) -> Exam:
        exams = self.config().exams
        if exam_id not in exams:
            raise UnknownExamError(f"no exam {exam_id!r} (exams: {', '.join(exams)})", exam=exam_id)
        return exams[exam_id]

    def checklist(self, role: str) -> Checklist:
        found = self.config().checklists.get(role)
        if found is None:
            known = ", ".join(self.config().checklists)
            raise UnknownChecklistError(f"no checklist {role!r} (checklists: {known})", role=role)
        return found

    def today(self, at: float) -> datetime.date:
        return datetime.datetime.fromtimestamp(at, self.site.hotline.timezone).date()

    # ---- stages ------------------------------------------------------------------------

    def enrol(self, agent: str, *, by: str, at: float) -> Saved[StageRecord]:
        """Begin the programme's first stage for a new hire."""
        return self.store.enrol(agent, self.config().stages[0].id, by=by, at=at)

    def current(self, records: list[StageRecord]) -> StageRecord | None:
        """The agent's stage not yet passed (None: done, or never enrolled)."""
        return next((r for r in records if r.passed_at is None), None)

    def due(self, record: StageRecord) -> float:
        """When the stage's least days are over."""
        return record.started_at + self.config().stage(record.stage).min_days * DAY

    def settle(self, agent: str, now: float) -> tuple[Event, ...]:
        """Pass the agent's stages whose exam is passed (a stage without an exam needs
        none) and whose days are over, each at the moment both were true."""
        config = self.config()
        events: list[Event] = []
        for _ in config.stages:
            record = self.current(self.store.stages(agent))
            if record is None:
                break
            stage = config.stage(record.stage)
            ready = record.exam_passed_at if stage.exam else record.started_at
            if ready is None or now < self.due(record):
                break
            following = config.next_stage(stage.id)
            step = Advance(
                agent, stage.id, following.id if following else None, max(ready, self.due(record))
            )
            found = self.store.advance(step, at=now)
            if not found:
                break
            events += found
        return tuple(events)

    def settle_all(self, now: float) -> tuple[Event, ...]:
        """`settle` for every agent with a stage not yet passed (the feature's job)."""
        agents = sorted({r.agent for r in self.store.stages() if r.passed_at is None})
        return tuple(e for agent in agents for e in self.settle(agent, now))

    def progress(self, agent: str, now: float) -> dict[str, Any]:
        """The agent's place in the programme, stage by stage: ``passed``, ``current``,
        ``waiting`` (exam passed, days not over) or ``upcoming``; an agent never enrolled
        is ``independent`` (every stage counted done)."""
        config = self.config()
        records = {r.stage: r for r in self.store.stages(agent)}
        current = self.current(list(records.values()))
        stages = []
        for stage in config.stages:
            record = records.get(stage.id)
            if not records:
                status = "passed"
            elif record is None:
                status = "upcoming"
            elif record.passed_at is not None:
                status = "passed"
            elif record.exam_passed_at is not None or not stage.exam:
                status = "waiting"
            else:
                status = "current"
            stages.append(
                {
                    "id": stage.id,
                    "title": stage.title,
                    "order": stage.order,
                    "exam": stage.exam,
                    "exam_title": config.exams[stage.exam].title if stage.exam else None,
                    "pass_score": config.pass_score(stage.exam, stage.id) if stage.exam else None,
                    "min_days": stage.min_days,
                    "description": stage.description,
                    "status": status,
                    "started_at": record.started_at if record else None,
                    "exam_passed_at": record.exam_passed_at if record else None,
                    "passed_at": record.passed_at if record else None,
                    "due_at": self.due(record) if record else None,
                }
            )
        if not records:
            state = "independent"
        elif current is None:
            state = "done"
        else:
            state = "in_training"
        return {
            "agent": agent,
            "state": state,
            "stage": (current.stage if current else config.stages[-1].id),
            "stages": stages,
            "days_in_stage": round((now - current.started_at) / DAY, 1) if current else None,
        }

    # ---- exams -------------------------------------------------------------------------

    def open_exams(self, agent: str) -> list[OpenExam]:
        """The exams `agent` may take now (see the module doc), each once."""
        config = self.config()
        found: list[OpenExam] = []
        record = self.current(self.store.stages(agent))
        if record is not None and record.exam_passed_at is None:
            exam_id = config.stage(record.stage).exam
            if exam_id is not None:
                found.append(OpenExam(config.exams[exam_id], "stage", stage=record.stage))
        for task in reversed(self.store.tasks(agent=agent, status="open")):
            if task.exam in config.exams and all(o.exam.id != task.exam for o in found):
                found.append(OpenExam(config.exams[task.exam], "task", task=task.id))
        for exam in config.exams.values():
            if exam.open and all(o.exam.id != exam.id for o in found):
                found.append(OpenExam(exam, "open"))
        return found

    def start(
        self, agent: str, exam_id: str, *, now: float, pace: float = 1.0
    ) -> tuple[Attempt, bool]:
        """The agent's attempt at an exam open to them: the one still open (reloading
        the page), else a new paper; True when new. Raises `TrainingError` when the exam
        is not open to the agent. `pace`: engine seconds per second of the person's time
        (a demo clock running 60× gives a 30-minute exam 30 minutes of the person's)."""
        exam = self.exam(exam_id)
        why = next((o for o in self.open_exams(agent) if o.exam.id == exam_id), None)
        if why is None:
            raise TrainingError(
                f"exam {exam_id} is not open to agent {agent} now", exam=exam_id, agent=agent
            )
        for attempt in self.store.attempts(agent=agent, exam=exam_id, statuses=("open",)):
            if now <= attempt.deadline + GRACE * attempt.pace:
                return attempt, False
            self.store.expire(attempt.id)
        config = self.config()
        number = self.store.count_attempts(agent, exam_id) + 1
        seed = f"{exam_id}:{agent}:{number}"
        paper = [paper_question(q, reveal=True) for q in draw(config, exam, seed)]
        values = {
            "agent": agent,
            "exam": exam_id,
            "stage": why.stage,
            "task": why.task,
            "seed": seed,
            "questions": paper,
            "pass_score": config.pass_score(exam_id, why.stage),
            "started_at": now,
            "deadline": now + exam.minutes * 60.0 * pace,
            "pace": pace,
        }
        return self.store.open_attempt(values), True

    def submit(
        self, attempt_id: int, answers: Mapping[str, Given], *, now: float
    ) -> Saved[Attempt]:
        """Hand in an open attempt: scored against its own paper; a pass closes the
        agent's open tasks of that exam and counts for the stage it was taken for.
        Raises `TrainingError` when handed in already or too late, `AnswerError` for an
        answer a question cannot take."""
        attempt = self.store.attempt(attempt_id)
        if attempt.status != "open":
            raise TrainingError(
                f"exam attempt {attempt_id} was handed in already", attempt=attempt_id
            )
        if now > attempt.deadline + GRACE * attempt.pace:
            self.store.expire(attempt_id)
            raise TrainingError(f"exam attempt {attempt_id}: the time is up", attempt=attempt_id)
        paper = [stored_question(q) for q in attempt.questions]
        result = score(paper, answers)
        passed = result.score >= attempt.pass_score
        step = None
        if passed and attempt.stage is not None:
            record = self.current(self.store.stages(attempt.agent))
            if record is not None and record.stage == attempt.stage and now >= self.due(record):
                following = self.config().next_stage(attempt.stage)
                step = Advance(
                    attempt.agent, attempt.stage, following.id if following else None, now
                )
        return self.store.submit(
            attempt, result.answers, result.score, result.right, passed, at=now, step=step
        )

    def results(self, now: float) -> list[dict[str, Any]]:
        """Per exam: attempts handed in or expired (an open one past its time counts as
        expired, scored 0), how many passed, the pass rate and the average score."""
        out = []
        attempts = self.store.attempts()
        for exam in self.config().exams.values():
            scores: list[tuple[float, bool]] = []
            for a in attempts:
                if a.exam != exam.id:
                    continue
                if a.status == "open" and now > a.deadline + GRACE * a.pace:
                    scores.append((0.0, False))
                elif a.status != "open":
                    scores.append((a.score or 0.0, bool(a.passed)))
            passed = sum(1 for _, p in scores if p)
            out.append(
                {
                    "exam": exam.id,
                    "title": exam.title,
                    "attempts": len(scores),
                    "passed": passed,
                    "pass_rate": round(passed / len(scores), 4) if scores else None,
                    "average": round(sum(s for s, _ in scores) / len(scores), 2)
                    if scores
                    else None,
                    "agents": len({a.agent for a in attempts if a.exam == exam.id}),
                }
            )
        return out

    def agents(self) -> list[str]:
        """Every agent training knows: the hotline's agents, those with a console login,
        and any with a training record, by 工号."""
        ids = {a.id for a in Agents(self.db).list()}
        ids |= {u.agent_id for u in Users(self.db).list() if u.agent_id}
        ids |= {r.agent for r in self.store.stages()}
        return sorted(ids)

    def people(self, checklist: Checklist) -> list[str]:
        """Who holds a checklist's post: every agent (工号) for the agents' checklist, the
        active users of its console role otherwise, none for a post without one."""
        if checklist.user_role is None:
            return []
        if checklist.user_role == "agent":
            return self.agents()
        return [
            u.username for u in Users(self.db).list() if u.role == checklist.user_role and u.active
        ]

    def board(self, now: float) -> list[dict[str, Any]]:
        """Every agent's stage, last exam result and open tasks (the lead's overview)."""
        self.settle_all(now)
        last: dict[str, Attempt] = {}
        for a in self.store.attempts(statuses=("submitted", "expired")):
            last.setdefault(a.agent, a)  # newest first
        tasks: dict[str, int] = {}
        for t in self.store.tasks(status="open"):
            tasks[t.agent] = tasks.get(t.agent, 0) + 1
        rows = []
        for agent in self.agents():
            progress = self.progress(agent, now)
            attempt = last.get(agent)
            rows.append(
                {
                    "agent": agent,
                    "state": progress["state"],
                    "stage": progress["stage"],
                    "days_in_stage": progress["days_in_stage"],
                    "last_exam": None
                    if attempt is None
                    else {
                        "attempt": attempt.id,
                        "exam": attempt.exam,
                        "score": attempt.score,
                        "passed": attempt.passed,
                        "at": attempt.submitted_at or attempt.deadline,
                    },
                    "open_tasks": tasks.get(agent, 0),
                }
            )
        return rows

    # ---- targeted training -------------------------------------------------------------

    def check_low_scorers(self, now: float, *, by: str = "training") -> list[Saved[Task]]:
        """Open a task for each agent whose QA average is under the rule's threshold
        (none without a ``targeted`` rule); an agent with an open task gets no second."""
        rule = self.config().targeted
        if rule is None:
            return []
        start = now - rule.lookback_days * DAY
        log = EventLog(self.db)
        scored = [
            Scored(int(e.evaluation), str(e.agent), e.at, float(e.score))  # type: ignore[attr-defined]
            for e in (
                s.event
                for s in log.read(
                    kinds=["qa.evaluation_scored"], start=start, end=now, limit=5_000_000
                )
            )
        ]
        reviewed = [
            (int(e.evaluation), float(e.score))  # type: ignore[attr-defined]
            for e in (
                s.event
                for s in log.read(
                    kinds=["qa.dispute_reviewed"], start=start, end=now, limit=5_000_000
                )
            )
        ]
        last_task: dict[str, float] = {}
        for task in self.store.tasks():
            if task.reason == "low_score":
                last_task[task.agent] = max(task.created_at, last_task.get(task.agent, 0.0))
        opened = []
        for low in low_scorers(latest_scores(scored, reviewed), rule, now=now, last_task=last_task):
            values = {
                "agent": low.agent,
                "reason": "low_score",
                "detail": {
                    "average": low.average,
                    "evaluations": low.evaluations,
                    "threshold": rule.threshold,
                    "since": low.since,
                },
                "study": {"kb": list(rule.kb), "cases": list(rule.cases)},
                "exam": rule.exam,
                "due_at": now + rule.due_days * DAY,
            }
            saved = self.store.assign(values, by=by, at=now)
            if saved is not None:
                opened.append(saved)
        return opened

    # ---- checklists --------------------------------------------------------------------

    def periods(self, role: str, day: datetime.date, shift: str | None) -> dict[str, str]:
        """Item id → the period `day` (and `shift`, default the first) falls in."""
        checklist = self.checklist(role)
        shift = shift or self.config().shifts[0]
        return {i.id: period_key(i.limit, day, shift) for i in checklist.items}

    def sheet(self, role: str, person: str, day: datetime.date, shift: str | None) -> list[Any]:
        """A person's checklist for a day: each item with its period and its tick."""
        checklist = self.checklist(role)
        periods = self.periods(role, day, shift)
        ticks = {
            (t.item, t.period): t
            for t in self.store.ticks(person=person, role=role, periods=list(periods.values()))
        }
        return [
            (item, periods[item.id], ticks.get((item.id, periods[item.id])))
            for item in checklist.items
        ]

    def tick(
        self, role: str, person: str, item: str, period: str, note: str, *, by: str, at: float
    ) -> tuple[Tick, tuple[Event, ...]]:
        """Tick an item for a period that fits its time limit; a second tick of the same
        is the first (no new event)."""
        checklist = self.checklist(role)
        try:
            limit = checklist.item(item).limit
        except KeyError:
            raise UnknownChecklistError(
                f"checklist {role} has no item {item!r}", role=role, item=item
            ) from None
        check_period(limit, period, self.config().shifts)
        return self.store.tick(person, role, item, period, note, by=by, at=at)


def build_service(site: Site, db: Database, orders: Any) -> TrainingDesk:
    """The training desk (the feature's service factory; a site without ``training.yaml``
    has one too — it says so when asked)."""
    return TrainingDesk(site, db)
