"""激励积分 over HTTP: the rules, a month's leaderboard per team, an agent's item lines,
and the leads' grants of points by hand.

Who sees what: the shift lead, the supervisor, QA and the administrator read every
team's board and any agent's item lines; an agent reads their own team's board (ranks,
points, awards — not other agents' lines) and their own item lines. Only the shift lead
and the supervisor give points, never to their own 工号 (a team lead only to their
team); each grant is audited (``incentives.points_given``) and is an event in the log,
where the figures come from.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from hotline.api.auditing import audit
from hotline.api.deps import Runtime, feature_service, require
from hotline.api.errors import ForbiddenError, InvalidRequestError
from hotline.api.responses import errors
from hotline.api.roles import Role
from hotline.api.users import User
from hotline.incentives.points import Item, Standing, TeamBoard
from hotline.incentives.service import (
    BadMonthError,
    Grant,
    IncentiveDesk,
    Month,
    MonthBoard,
    NotYourTeamError,
    PointsOutOfRangeError,
    SelfGrantError,
)

router = APIRouter(tags=["incentives"])

GIVERS = (Role.SHIFT_LEAD, Role.SUPERVISOR)
WATCHERS = (Role.SHIFT_LEAD, Role.SUPERVISOR, Role.QA, Role.ADMIN)
Giver = Annotated[User, Depends(require(*GIVERS))]
Watcher = Annotated[User, Depends(require(*WATCHERS))]
Reader = Annotated[User, Depends(require(*WATCHERS, Role.AGENT))]
MonthKey = Annotated[
    str | None, Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM (default: this month)")
]
AgentId = Annotated[str, Path(min_length=1, max_length=64, description="the agent's 工号")]
T = TypeVar("T")


Desk = Annotated[IncentiveDesk, Depends(feature_service("incentives", IncentiveDesk))]


class GrantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agent: str = Field(min_length=1, max_length=64, description="the agent's 工号")
    points: int = Field(ge=-1000, le=1000, description="points given (negative: taken)")
    reason: str = Field(min_length=2, max_length=200, description="why: 表扬信, 锦旗 …")


def month_json(month: Month) -> dict[str, Any]:
    return {
        "month": month.key,
        "first": month.first.isoformat(),
        "last": month.last.isoformat(),
        "start": month.start,
        "end": month.end,
    }


def item_json(item: Item) -> dict[str, Any]:
    return {
        "at": item.at,
        "source": item.source,
        "points": item.points,
        "why": item.why,
        "ref": item.ref,
    }


def standing_json(s: Standing, *, lines: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "agent": s.member.agent,
        "name": s.member.name,
        "team": s.member.team,
        "rank": s.rank,
        "points": s.points,
        "lines": len(s.lines),
        "evaluations": s.evaluations,
        "qa_average": s.qa_average,
        "awards": list(s.awards),
    }
    if lines:
        out["items"] = [item_json(i) for i in s.lines]
    return out


def team_json(team: TeamBoard) -> dict[str, Any]:
    return {"team": team.team, "standings": [standing_json(s) for s in team.standings]}


def grant_json(g: Grant) -> dict[str, Any]:
    return {
        "id": g.id,
        "agent": g.agent,
        "points": g.points,
        "reason": g.reason,
        "by": g.created_by,
        "at": g.created_at,
    }


def board_json(board: MonthBoard, teams: list[TeamBoard]) -> dict[str, Any]:
    return {
        **month_json(board.month),
        "final": board.final,
        "attendance": board.attendance,
        "rules": board.rules.as_json(),
        "teams": [team_json(t) for t in teams],
    }


async def _as_user(call: Callable[[], T]) -> T:
    """Run a desk call off the loop; a refusal of who may do it is the user's 403."""
    try:
        return await run_in_threadpool(call)
    except (SelfGrantError, NotYourTeamError) as exc:
        raise ForbiddenError(exc.message) from None
    except PointsOutOfRangeError as exc:
        raise InvalidRequestError(exc.message, field="body.points") from None


def _month(desk: IncentiveDesk, key: str | None, now: float) -> Month:
    try:
        return desk.month(key, now)
    except BadMonthError as exc:
        raise InvalidRequestError(exc.message, field="query.month") from None


@router.get("/api/incentives/rules", responses=errors(401, 403, 409))
async def rules(_: Reader, desk: Desk) -> dict[str, Any]:
    """The site's point rules (incentives.yaml): where points come from."""
    found = await run_in_threadpool(desk.rules)
    return found.as_json()


@router.get("/api/incentives/board", responses=errors(401, 403, 409, 422))
async def board(user: Reader, desk: Desk, runtime: Runtime, month: MonthKey = None) -> Any:
    """The month's leaderboard per team (排行榜), as of now: an agent gets their own
    team's only."""
    await runtime.commit()  # the engine's latest surveys are in the log
    now = runtime.now()
    chosen = _month(desk, month, now)
    found = await run_in_threadpool(desk.board, chosen, now)
    teams = found.teams
    if user.role is Role.AGENT:
        mine = found.standing(user.agent_id or "")
        teams = [mine[0]] if mine is not None else []
    return board_json(found, teams)


@router.get("/api/incentives/agents/{agent}", responses=errors(401, 403, 404, 409, 422))
async def agent_points(
    agent: AgentId, user: Reader, desk: Desk, runtime: Runtime, month: MonthKey = None
) -> dict[str, Any]:
    """One agent's points of the month, line by line (明细): when, why, how many, from
    which record. An agent reads only their own."""
    if user.role is Role.AGENT and agent != user.agent_id:
        raise ForbiddenError("an agent sees only their own points")
    await runtime.commit()
    now = runtime.now()
    chosen = _month(desk, month, now)
    found = await run_in_threadpool(desk.of_agent, agent, chosen, now)
    return {
        **month_json(found.month),
        "final": found.final,
        "team": found.team.team,
        "team_size": len(found.team.standings),
        "standing": standing_json(found.standing, lines=True),
    }


@router.get("/api/incentives/grants", responses=errors(401, 403, 422))
async def grants(_: Watcher, desk: Desk, runtime: Runtime, month: MonthKey = None) -> Any:
    """The month's grants by hand, newest first."""
    chosen = _month(desk, month, runtime.now())
    found = await run_in_threadpool(desk.given, chosen)
    return {**month_json(chosen), "grants": [grant_json(g) for g in found]}


@router.post("/api/incentives/grants", status_code=201, responses=errors(401, 403, 404, 409, 422))
async def give(
    body: GrantIn, request: Request, user: Giver, desk: Desk, runtime: Runtime
) -> dict[str, Any]:
    """手工积分: a lead gives (or takes) points for what the log does not know (表扬信,
    锦旗 …), with the reason; never to their own 工号; a team lead only to their team."""
    own_team = None
    if user.role is Role.SHIFT_LEAD:
        own_team = await run_in_threadpool(desk.team_of, user.agent_id)
    saved = await _as_user(
        lambda: desk.give(
            body.agent,
            body.points,
            body.reason.strip(),
            by=user.username,
            by_agent=user.agent_id,
            own_team=own_team,
            at=runtime.now(),
        )
    )
    runtime.publish_stored(saved.events)
    await audit(
        request,
        user,
        "incentives.points_given",
        subject_type="agent",
        subject_id=body.agent,
        detail={"grant": saved.record.id, "points": body.points, "reason": saved.record.reason},
    )
    return grant_json(saved.record)
