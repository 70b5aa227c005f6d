"""The 激励积分 page (/points): the month's leaderboard per team, an agent's own item lines,
and the lead's form to give points.

A shell in the viewer's language like the other console pages: what it shows comes from
``/api/incentives``, so it went through the API's role checks (an agent gets their own
team's board and only their own lines). The month picker starts at this month on the
hotline's clock.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from hotline.api.deps import get_runtime
from hotline.api.roles import Role
from hotline.incentives.service import IncentiveDesk
from hotline.web.pages import forbidden, render, to_login, viewer

router = APIRouter(include_in_schema=False)

READERS = frozenset({Role.AGENT, Role.SHIFT_LEAD, Role.SUPERVISOR, Role.QA, Role.ADMIN})
GIVERS = frozenset({Role.SHIFT_LEAD, Role.SUPERVISOR})


@router.get("/points", response_class=HTMLResponse)
async def points(request: Request) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role not in READERS:
        return forbidden(request, user, "points")
    runtime = get_runtime(request)
    desk = runtime.services.feature("incentives", IncentiveDesk)
    assert desk is not None  # every site has one
    this_month = desk.month(None, runtime.now()).key
    return render(
        request,
        "points.html",
        "points",
        user,
        this_month=this_month,
        is_agent=user.role is Role.AGENT,
        can_give=user.role in GIVERS,
    )
