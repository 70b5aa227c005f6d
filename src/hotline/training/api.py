"""培训与考核 over HTTP: the new-hire programme, exams in the browser, training tasks and
the KBI checklists.

Who does what: an agent reads their own progress, tasks and checklist, and takes the
exams open to them (each paper handed in once); the shift lead (值班长), the supervisor
and the QA inspector read every agent's stage and results and the exam statistics; the
shift lead and the supervisor enrol new hires, tick checklist items and run the
low-score check. Every change is audited (``training.*``) and is an event in the log.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from hotline.api.auditing import audit
from hotline.api.deps import Runtime, feature_service, require
from hotline.api.errors import ForbiddenError, InvalidRequestError
from hotline.api.responses import errors
from hotline.api.roles import Role
from hotline.api.users import User
from hotline.live import LiveHotline
from hotline.training.exam import AnswerError
from hotline.training.periods import PeriodError
from hotline.training.service import Attempt, Task, Tick, TrainingDesk
from hotline.training.views import (
    attempt_json,
    config_json,
    sheet_json,
    stage_json,
    task_json,
    tick_json,
)

router = APIRouter(tags=["training"])

LEADS = (Role.SHIFT_LEAD, Role.SUPERVISOR, Role.QA)
TICKERS = (Role.SHIFT_LEAD, Role.SUPERVISOR)
Lead = Annotated[User, Depends(require(*LEADS))]
Ticker = Annotated[User, Depends(require(*TICKERS))]
Reader = Annotated[User, Depends(require(*LEADS, Role.AGENT))]
AgentUser = Annotated[User, Depends(require(Role.AGENT))]
AttemptId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the attempt's number")]
AgentId = Annotated[str, Path(min_length=1, max_length=64, description="the agent's 工号")]
Key = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


Desk = Annotated[TrainingDesk, Depends(feature_service("training", TrainingDesk))]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SubmitIn(_In):
    answers: dict[str, bool | str | list[str] | None] = Field(
        description='question key → "B", ["A", "C"], true / false; a question left out is wrong'
    )


class TickIn(_In):
    role: str = Field(min_length=1, max_length=64, description="the checklist (post)")
    person: str = Field(min_length=1, max_length=64, description="工号 or username")
    item: str = Field(min_length=1, max_length=64)
    period: str = Field(min_length=1, max_length=64, description="2026-12-06, 2026-W49 …")
    note: str = Field(default="", max_length=500)


def own_agent(user: User) -> str:
    """The signed-in agent's 工号; 403 for a login that is no agent's."""
    if not user.agent_id:
        raise ForbiddenError("this login is not an agent's: it has no 工号")
    return user.agent_id


def _may_read(user: User, agent: str) -> None:
    """An agent reads only their own training."""
    if user.role == Role.AGENT and agent != user.agent_id:
        raise ForbiddenError("an agent sees only their own training")


def pace(runtime: LiveHotline) -> float:
    """Engine seconds per second of a person's time: the demo clock's speed (1 on real
    calls, or paused)."""
    return 1.0 if runtime.real_calls else max(1.0, runtime.base_speed)


def _day(desk: TrainingDesk, day: str | None, now: float) -> datetime.date:
    if day is None:
        return desk.today(now)
    try:
        return datetime.date.fromisoformat(day)
    except ValueError:
        raise InvalidRequestError(f"{day!r} is not a day (2026-12-06)", field="query.day") from None


@router.get("/api/training/config", responses=errors(401, 403, 409, 422))
async def config(_: Reader, desk: Desk) -> dict[str, Any]:
    """The stages, exams (no questions), the targeted-training rule and the checklists."""
    return config_json(await run_in_threadpool(desk.config))


@router.get("/api/training/me", responses=errors(401, 403, 409, 422))
async def mine(user: AgentUser, runtime: Runtime, desk: Desk) -> dict[str, Any]:
    """我的培训: my stage and progress, the exams open to me, my attempts, my training
    tasks, and my checklist items for today with their ticks."""
    agent = own_agent(user)
    now = runtime.now()

    def read() -> dict[str, Any]:
        desk.settle(agent, now)
        config = desk.config()
        day = desk.today(now)
        sheets = [
            sheet_json(c, agent, day.isoformat(), desk.sheet(c.role, agent, day, None))
            for c in config.checklists.values()
            if c.user_role == "agent"
        ]
        return {
            "progress": desk.progress(agent, now),
            "exams": [
                {
                    "exam": o.exam.id,
                    "title": o.exam.title,
                    "purpose": o.purpose,
                    "stage": o.stage,
                    "task": o.task,
                    "questions": o.exam.questions,
                    "minutes": o.exam.minutes,
                    "pass_score": config.pass_score(o.exam.id, o.stage),
                }
                for o in desk.open_exams(agent)
            ],
            "attempts": [
                attempt_json(a, now, titles(desk)) for a in desk.store.attempts(agent=agent)
            ],
            "tasks": [task_json(t, titles(desk)) for t in desk.store.tasks(agent=agent)],
            "checklists": sheets,
        }

    return await run_in_threadpool(read)


def titles(desk: TrainingDesk) -> dict[str, str]:
    return {e.id: e.title for e in desk.config().exams.values()}


@router.get("/api/training/agents", responses=errors(401, 403, 409, 422))
async def agents(_: Lead, runtime: Runtime, desk: Desk) -> dict[str, Any]:
    """Every agent's stage, last exam result and open tasks (agents never enrolled are
    ``independent``: 独立上岗)."""
    now = runtime.now()
    return {"agents": await run_in_threadpool(desk.board, now)}


@router.get("/api/training/agents/{agent}", responses=errors(401, 403, 409))
async def agent_detail(
    agent: AgentId, user: Reader, runtime: Runtime, desk: Desk
) -> dict[str, Any]:
    """One agent's progress, attempts and tasks (an agent: their own only)."""
    _may_read(user, agent)
    now = runtime.now()

    def read() -> dict[str, Any]:
        desk.settle(agent, now)
        names = titles(desk)
        return {
            "progress": desk.progress(agent, now),
            "attempts": [attempt_json(a, now, names) for a in desk.store.attempts(agent=agent)],
            "tasks": [task_json(t, titles(desk)) for t in desk.store.tasks(agent=agent)],
        }

    return await run_in_threadpool(read)


@router.post(
    "/api/training/agents/{agent}/enrol", status_code=201, responses=errors(401, 403, 409, 422)
)
async def enrol(
    agent: AgentId, request: Request, user: Ticker, runtime: Runtime, desk: Desk
) -> dict[str, Any]:
    """新员工入职: the agent begins the programme's first stage; 409 when already in it."""
    now = runtime.now()
    saved = await run_in_threadpool(lambda: desk.enrol(agent, by=user.username, at=now))
    runtime.publish_stored(saved.events)
    await audit(
        request,
        user,
        "training.enrolled",
        subject_type="agent",
        subject_id=agent,
        detail={"stage": saved.record.stage},
    )
    return stage_json(saved.record)


@router.get("/api/training/results", responses=errors(401, 403, 409, 422))
async def results(_: Lead, runtime: Runtime, desk: Desk) -> dict[str, Any]:
    """Per exam: attempts, passes, the pass rate and the average score."""
    now = runtime.now()
    return {"exams": await run_in_threadpool(desk.results, now)}


@router.get("/api/training/tasks", responses=errors(401, 403, 409, 422))
async def tasks(
    user: Reader,
    desk: Desk,
    status: Annotated[str | None, Query(pattern="^(open|done)$")] = None,
) -> dict[str, Any]:
    """Training tasks, newest first (an agent: their own)."""
    agent = own_agent(user) if user.role == Role.AGENT else None
    found: list[Task] = await run_in_threadpool(
        lambda: desk.store.tasks(agent=agent, status=status)
    )
    return {"tasks": [task_json(t, titles(desk)) for t in found]}


@router.post("/api/training/tasks/check", responses=errors(401, 403, 409, 422))
async def check_low_scorers(
    request: Request, user: Lead, runtime: Runtime, desk: Desk
) -> dict[str, Any]:
    """Run the targeted-training check now: a task for each agent whose QA average is
    under the threshold and who has no open one (the job runs it every minute too)."""
    await runtime.commit()  # the scores just given are in the log
    now = runtime.now()
    opened = await run_in_threadpool(lambda: desk.check_low_scorers(now, by=user.username))
    runtime.publish_stored([e for s in opened for e in s.events])
    await audit(
        request,
        user,
        "training.low_score_check",
        subject_type="training",
        detail={"opened": [s.record.id for s in opened]},
    )
    return {"opened": [task_json(s.record, titles(desk)) for s in opened]}


@router.post(
    "/api/training/exams/{exam}/attempts", status_code=201, responses=errors(401, 403, 404, 409)
)
async def start_exam(
    exam: Key, request: Request, response: Response, user: AgentUser, runtime: Runtime, desk: Desk
) -> dict[str, Any]:
    """Begin an exam open to me (201), or get back the paper still open (200); the
    paper's answers are not in it."""
    agent = own_agent(user)
    now = runtime.now()
    attempt, new = await run_in_threadpool(
        lambda: desk.start(agent, exam, now=now, pace=pace(runtime))
    )
    if new:
        await audit(
            request,
            user,
            "training.exam_started",
            subject_type="training",
            subject_id=str(attempt.id),
            detail={"exam": exam},
        )
    else:
        response.status_code = 200
    return attempt_json(attempt, now, await run_in_threadpool(titles, desk))


@router.get("/api/training/attempts/{attempt_id}", responses=errors(401, 403, 404))
async def get_attempt(
    attempt_id: AttemptId, user: Reader, runtime: Runtime, desk: Desk
) -> dict[str, Any]:
    """One attempt: the paper (with answers and explanations once handed in)."""
    attempt: Attempt = await run_in_threadpool(desk.store.attempt, attempt_id)
    _may_read(user, attempt.agent)
    return attempt_json(attempt, runtime.now(), await run_in_threadpool(titles, desk))


@router.post(
    "/api/training/attempts/{attempt_id}/submit", responses=errors(401, 403, 404, 409, 422)
)
async def submit(
    attempt_id: AttemptId,
    body: SubmitIn,
    request: Request,
    user: AgentUser,
    runtime: Runtime,
    desk: Desk,
) -> dict[str, Any]:
    """交卷: hand in my paper once (409 the second time, or after the time limit); the
    result with the right answers and explanations."""
    attempt: Attempt = await run_in_threadpool(desk.store.attempt, attempt_id)
    if attempt.agent != own_agent(user):
        raise ForbiddenError("an agent hands in only their own paper")
    now = runtime.now()
    try:
        saved = await run_in_threadpool(lambda: desk.submit(attempt_id, body.answers, now=now))
    except AnswerError as exc:
        field = f"body.answers.{exc.details.get('question', '')}".rstrip(".")
        raise InvalidRequestError(exc.message, field=field) from None
    runtime.publish_stored(saved.events)
    await audit(
        request,
        user,
        "training.exam_submitted",
        subject_type="training",
        subject_id=str(attempt_id),
        detail={"exam": attempt.exam, "score": saved.record.score, "passed": saved.record.passed},
    )
    return attempt_json(saved.record, now, await run_in_threadpool(titles, desk))


@router.get("/api/training/checklists", responses=errors(401, 403, 409, 422))
async def checklists(_: Lead, desk: Desk) -> dict[str, Any]:
    """Each checklist with the people who hold its post (its console role's users; the
    agents for the agents' checklist)."""

    def read() -> dict[str, Any]:
        config = desk.config()
        return {
            "shifts": list(config.shifts),
            "checklists": [
                {
                    "role": c.role,
                    "title": c.title,
                    "user_role": c.user_role,
                    "items": len(c.items),
                    "people": desk.people(c),
                }
                for c in config.checklists.values()
            ],
        }

    return await run_in_threadpool(read)


@router.get("/api/training/checklists/{role}", responses=errors(401, 403, 404, 409, 422))
async def checklist_sheet(
    role: Key,
    user: Reader,
    runtime: Runtime,
    desk: Desk,
    person: Annotated[str, Query(min_length=1, max_length=64)],
    day: Annotated[str | None, Query(max_length=10, description="default: today")] = None,
    shift: Annotated[str | None, Query(max_length=32)] = None,
) -> dict[str, Any]:
    """A person's checklist for a day (and shift): each item with its period and tick
    (an agent: their own only)."""
    _may_read(user, person)
    when = _day(desk, day, runtime.now())

    def read() -> dict[str, Any]:
        if shift is not None and shift not in desk.config().shifts:
            raise InvalidRequestError(f"no shift {shift!r}", field="query.shift")
        rows = desk.sheet(role, person, when, shift)
        return sheet_json(desk.checklist(role), person, when.isoformat(), rows, shift=shift)

    return await run_in_threadpool(read)


@router.post("/api/training/ticks", status_code=201, responses=errors(401, 403, 404, 409, 422))
async def tick(
    body: TickIn, request: Request, response: Response, user: Ticker, runtime: Runtime, desk: Desk
) -> dict[str, Any]:
    """Tick a person's item for a period (201); the same tick again is answered with the
    first (200), so a double submit changes nothing."""
    now = runtime.now()
    try:
        found: tuple[Tick, tuple[Any, ...]] = await run_in_threadpool(
            lambda: desk.tick(
                body.role, body.person, body.item, body.period, body.note, by=user.username, at=now
            )
        )
    except PeriodError as exc:
        raise InvalidRequestError(exc.message, field="body.period") from None
    ticked, events = found
    if events:
        runtime.publish_stored(events)
        await audit(
            request,
            user,
            "training.checklist_ticked",
            subject_type="person",
            subject_id=body.person,
            detail={"role": body.role, "item": body.item, "period": body.period},
        )
    else:
        response.status_code = 200
    return {**tick_json(ticked), "created": bool(events)}
