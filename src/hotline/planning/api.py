"""排班 over HTTP: history, special days, week plans, publishing, swaps, my schedule.

Who does what: the planner (排班员) imports history, enters special days, makes and
publishes plans; the shift lead swaps shifts in the published week (the rules checked)
and reads; the supervisor, QA and the administrator read; an agent reads their own
published shifts only. Every change is audited (``wfm.*``); publishing and swapping are
events in the log as well (`hotline.planning.events`). The plans carry no customer data.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, UploadFile
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from hotline.api.auditing import audit
from hotline.api.deps import Runtime, feature_service, require
from hotline.api.errors import ForbiddenError, InvalidRequestError
from hotline.api.responses import errors
from hotline.api.roles import Role
from hotline.api.users import User
from hotline.live import LiveHotline
from hotline.planning.service import NoRulesError, PlanningDesk, StoredPlan, trimmed
from hotline.wfm.calendar import SpecialDay
from hotline.wfm.history import HistoryInputError, parse_interval_csv
from hotline.wfm.plan import monday_of

router = APIRouter(tags=["wfm"])

READERS = (Role.PLANNER, Role.SUPERVISOR, Role.SHIFT_LEAD, Role.QA, Role.ADMIN)
Reader = Annotated[User, Depends(require(*READERS))]
Planner = Annotated[User, Depends(require(Role.PLANNER))]
Swapper = Annotated[User, Depends(require(Role.PLANNER, Role.SHIFT_LEAD))]
Agent = Annotated[User, Depends(require(Role.AGENT))]
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the plan's number")]
MAX_UPLOAD = 20 * 1024 * 1024


Desk = Annotated[PlanningDesk, Depends(feature_service("wfm", PlanningDesk))]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SpecialIn(_In):
    first: datetime.date = Field(description="first day, YYYY-MM-DD")
    last: datetime.date | None = Field(default=None, description="last day (default: first)")
    factor: float = Field(gt=0, le=20, description="calls × factor (1.5: +50 %)")
    queue: str | None = Field(default=None, max_length=64, description="one queue; null: all")
    label: str = Field(default="", max_length=200, description="高温, 停电, 电费发行 …")


class PlanIn(_In):
    week: datetime.date = Field(description="any day of the week to plan (it starts Monday)")
    schedule: bool = Field(default=True, description="also solve the shift schedule")
    time_limit: float = Field(default=60, ge=5, le=600, description="solver seconds at most")


class SwapIn(_In):
    day: datetime.date = Field(description="the day whose shifts are exchanged")
    first: str = Field(min_length=1, max_length=64, description="one agent's 工号")
    second: str = Field(min_length=1, max_length=64, description="the other agent's 工号")


def _today(runtime: LiveHotline) -> datetime.date:
    return datetime.datetime.fromtimestamp(runtime.now(), runtime.hotline.timezone).date()


@router.get("/api/wfm", responses=errors(401, 403))
async def overview(_: Reader, runtime: Runtime, desk: Desk) -> dict[str, Any]:
    """What the planning page opens with: today and next week on the hotline's clock, the
    queues and targets, the history, the special days, the plans (newest first)."""
    today = _today(runtime)

    def read() -> dict[str, Any]:
        try:
            rules: dict[str, Any] | None = {
                "agents": len(desk.rules().agents),
                "file": str(desk.rules_file),
            }
        except NoRulesError:
            rules = None
        return {
            "today": today.isoformat(),
            "this_week": monday_of(today).isoformat(),
            "next_week": (monday_of(today) + datetime.timedelta(days=7)).isoformat(),
            "queues": [
                {
                    "queue": q.name,
                    "title": q.title or q.name,
                    "level": q.service_level_goal,
                    "seconds": q.service_level_target,
                }
                for q in runtime.hotline.queues
            ],
            "rules": rules,
            "history": desk.store.history_summary(),
            "specials": [
                {
                    "id": s.id,
                    "first": s.day.first.isoformat(),
                    "last": s.day.last.isoformat(),
                    "factor": s.day.factor,
                    "queue": s.day.queue,
                    "label": s.day.label,
                    "created_by": s.created_by,
                }
                for s in desk.specials()
            ],
            "plans": [trimmed(p) for p in desk.store.plans()],
        }

    return await run_in_threadpool(read)


@router.post("/api/wfm/history", status_code=201, responses=errors(401, 403, 422))
async def import_history(
    request: Request, file: UploadFile, user: Planner, desk: Desk
) -> dict[str, Any]:
    """Import an interval CSV (queue, interval_start, offered[, answered, talk_seconds,
    wrap_up_seconds]); all rows or none, a bad line named by line and column."""
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise InvalidRequestError("the file is larger than 20 MiB; split it", field="body.file")
    name = (file.filename or "upload.csv")[-200:]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidRequestError(f"{name}: not UTF-8 text", field="body.file") from None
    try:
        rows = parse_interval_csv(text, name)
    except HistoryInputError as bad:
        raise InvalidRequestError(bad.message, field="body.file") from None
    if not rows:
        raise InvalidRequestError(f"{name}: no rows", field="body.file")
    count = await run_in_threadpool(desk.store.import_history, rows, name)
    await audit(
        request,
        user,
        "wfm.history_imported",
        subject_type="wfm",
        subject_id=name,
        detail={"rows": count},
    )
    return {"rows": count, "file": name}


@router.post("/api/wfm/specials", status_code=201, responses=errors(401, 403, 422))
async def add_special(
    body: SpecialIn, request: Request, user: Planner, runtime: Runtime, desk: Desk
) -> dict[str, Any]:
    """A special day (or days): the forecast multiplies its calls by `factor`."""
    last = body.last or body.first
    if last < body.first:
        raise InvalidRequestError("last is before first", field="body.last")
    if body.queue is not None and body.queue not in desk.queues():
        raise InvalidRequestError(
            f"queue {body.queue!r} is not one of {', '.join(desk.queues())}", field="body.queue"
        )
    day = SpecialDay(body.first, last, body.factor, body.label, body.queue)
    saved = await run_in_threadpool(
        lambda: desk.add_special(day, by=user.username, at=runtime.now())
    )
    await audit(
        request,
        user,
        "wfm.special_added",
        subject_type="wfm",
        subject_id=str(saved.id),
        detail={"first": body.first.isoformat(), "factor": body.factor},
    )
    return {"id": saved.id}


@router.delete("/api/wfm/specials/{special_id}", status_code=204, responses=errors(401, 403, 404))
async def remove_special(
    special_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    request: Request,
    user: Planner,
    desk: Desk,
) -> None:
    if not await run_in_threadpool(desk.store.remove_special, special_id):
        raise InvalidRequestError(f"no special day {special_id}", field="path.special_id")
    await audit(
        request, user, "wfm.special_removed", subject_type="wfm", subject_id=str(special_id)
    )


@router.post("/api/wfm/plans", status_code=201, responses=errors(401, 403, 409, 422))
async def make_plan(
    body: PlanIn, request: Request, user: Planner, runtime: Runtime, desk: Desk
) -> dict[str, Any]:
    """Forecast, staff and schedule a week (seconds to a minute); kept as a draft. 409
    with the reason when the history is too short or the rules cannot be kept."""
    week = monday_of(body.week)
    plan = await run_in_threadpool(
        lambda: desk.make_plan(
            week,
            by=user.username,
            at=runtime.now(),
            schedule=body.schedule,
            time_limit=body.time_limit,
        )
    )
    await audit(
        request,
        user,
        "wfm.plan_made",
        subject_type="wfm",
        subject_id=str(plan.id),
        detail={"week": week.isoformat()},
    )
    return trimmed(plan)


def _full(plan: StoredPlan, desk: PlanningDesk, now: float) -> dict[str, Any]:
    return {**trimmed(plan), "body": plan.body, "actual": desk.actual(plan.week_start, now)}


@router.get("/api/wfm/plans/{plan_id}", responses=errors(401, 403, 404))
async def get_plan(plan_id: PlanId, _: Reader, runtime: Runtime, desk: Desk) -> dict[str, Any]:
    """A plan whole: forecast (with each method's back-test), staffing, schedule, and the
    calls offered so far in its week (forecast vs actual)."""
    now = runtime.now()
    return await run_in_threadpool(lambda: _full(desk.store.get(plan_id), desk, now))


class TwinIn(_In):
    day: datetime.date = Field(description="the day of the plan's week to simulate")
    replications: int = Field(default=3, ge=1, le=20, description="simulated days per round")
    rounds: int = Field(default=3, ge=0, le=6, description="raise-and-simulate rounds at most")


@router.post("/api/wfm/plans/{plan_id}/twin", responses=errors(401, 403, 404, 409, 422))
async def twin_check(
    plan_id: PlanId, body: TwinIn, request: Request, user: Planner, runtime: Runtime, desk: Desk
) -> dict[str, Any]:
    """数字孪生校验: simulate a day of the plan's roster on the production routing engine
    (tiers, skills, overflow, multi-skill agents); where a queue misses its goal, raise
    its group and simulate again. Seconds to a minute; kept in the plan."""
    plan = await run_in_threadpool(desk.store.get, plan_id)
    index = (body.day - plan.week_start).days
    if not 0 <= index < 7:
        raise InvalidRequestError(
            f"{body.day} is not in the week from {plan.week_start}", field="body.day"
        )
    checked = await run_in_threadpool(
        lambda: desk.twin_check(
            plan_id,
            index,
            by=user.username,
            at=runtime.now(),
            replications=body.replications,
            rounds=body.rounds,
        )
    )
    await audit(
        request,
        user,
        "wfm.twin_checked",
        subject_type="wfm",
        subject_id=str(plan_id),
        detail={"day": body.day.isoformat()},
    )
    return _full(checked, desk, runtime.now())


class ReplanIn(_In):
    time_limit: float = Field(default=60.0, ge=5, le=600, description="solver seconds at most")


@router.post(
    "/api/wfm/plans/{plan_id}/replan", status_code=201, responses=errors(401, 403, 404, 409, 422)
)
async def replan(
    plan_id: PlanId, body: ReplanIn, request: Request, user: Planner, runtime: Runtime, desk: Desk
) -> dict[str, Any]:
    """按孪生结果重排: a new draft of the week with the requirement raised where the plan's
    twin checks added agents, and the roster solved again; 409 when no check raised any."""
    plan = await run_in_threadpool(
        lambda: desk.replan(plan_id, by=user.username, at=runtime.now(), time_limit=body.time_limit)
    )
    await audit(
        request,
        user,
        "wfm.plan_made",
        subject_type="wfm",
        subject_id=str(plan.id),
        detail={"week": plan.week_start.isoformat(), "replanned_from": plan_id},
    )
    return trimmed(plan)


@router.post("/api/wfm/plans/{plan_id}/publish", responses=errors(401, 403, 404, 409))
async def publish(
    plan_id: PlanId, request: Request, user: Planner, runtime: Runtime, desk: Desk
) -> dict[str, Any]:
    """Publish a scheduled draft: agents see it, the reports and the handover use its
    shifts; the week's earlier published plan is superseded."""
    saved = await run_in_threadpool(
        lambda: desk.publish(plan_id, by=user.username, at=runtime.now())
    )
    runtime.publish_stored(saved.events)
    await audit(
        request, user, "wfm.schedule_published", subject_type="wfm", subject_id=str(plan_id)
    )
    return trimmed(saved.record)


@router.post("/api/wfm/plans/{plan_id}/swap", responses=errors(401, 403, 404, 409, 422))
async def swap(
    plan_id: PlanId, body: SwapIn, request: Request, user: Swapper, runtime: Runtime, desk: Desk
) -> dict[str, Any]:
    """换班: exchange two agents' shifts on a day of the published week; 409 naming every
    rule the change would break (rest between shifts, consecutive days, leave, hours,
    skills)."""
    plan = await run_in_threadpool(desk.store.get, plan_id)
    index = (body.day - plan.week_start).days
    if not 0 <= index < 7:
        raise InvalidRequestError(
            f"{body.day} is not in the week from {plan.week_start}", field="body.day"
        )
    saved = await run_in_threadpool(
        lambda: desk.swap(
            plan_id, index, body.first, body.second, by=user.username, at=runtime.now()
        )
    )
    runtime.publish_stored(saved.events)
    await audit(
        request,
        user,
        "wfm.shift_swapped",
        subject_type="wfm",
        subject_id=str(plan_id),
        detail={"day": body.day.isoformat(), "first": body.first, "second": body.second},
    )
    return _full(saved.record, desk, runtime.now())


@router.get("/api/wfm/adherence", responses=errors(401, 403, 409, 422))
async def adherence_of_day(
    _: Reader,
    runtime: Runtime,
    desk: Desk,
    day: Annotated[datetime.date | None, Query(description="YYYY-MM-DD; default today")] = None,
) -> dict[str, Any]:
    """遵守率 and 出勤率 of a day against the published schedule, each ended shift's late
    log-in, early log-out and break overrun, and who is out of adherence now."""
    chosen = day or _today(runtime)
    return await run_in_threadpool(desk.adherence_day, chosen, runtime.now())


@router.get("/api/wfm/mine", responses=errors(401, 403, 422))
async def my_schedule(
    user: Agent,
    runtime: Runtime,
    desk: Desk,
    week: Annotated[
        datetime.date | None, Query(description="a day of the week; default this week")
    ] = None,
) -> dict[str, Any]:
    """The signed-in agent's published shifts of a week (none: not yet published)."""
    if user.agent_id is None:
        raise ForbiddenError("this user has no 工号")
    monday = monday_of(week or _today(runtime))
    plan = await run_in_threadpool(desk.week_of, monday)
    days: list[Any] = [None] * 7
    if plan is not None:
        for entry in (plan.body.get("schedule") or {}).get("agents", ()):
            if entry["agent"] == user.agent_id:
                days = entry["days"]
    shifts = (plan.body.get("schedule") or {}).get("shifts", {}) if plan else {}
    return {
        "week_start": monday.isoformat(),
        "published": plan is not None,
        "plan": plan.id if plan else None,
        "agent": user.agent_id,
        "days": days,
        "shifts": shifts,
    }
