"""The planning pages: 排班管理 (planner, leads, supervisor, QA, admin) and 我的排班 (agents).

Shells in the viewer's language like the other console pages: what they show comes
from ``/api/wfm``, so it went through the API's role checks.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from hotline.api.roles import Role
from hotline.web.pages import forbidden, render, to_login, viewer

router = APIRouter(include_in_schema=False)

READERS = frozenset({Role.PLANNER, Role.SUPERVISOR, Role.SHIFT_LEAD, Role.QA, Role.ADMIN})


@router.get("/planning", response_class=HTMLResponse)
async def planning(request: Request) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role not in READERS:
        return forbidden(request, user, "planning")
    return render(
        request,
        "planning.html",
        "planning",
        user,
        can_plan=user.role is Role.PLANNER,
        can_swap=user.role in (Role.PLANNER, Role.SHIFT_LEAD),
    )


@router.get("/my-schedule", response_class=HTMLResponse)
async def my_schedule(request: Request) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role is not Role.AGENT:
        return forbidden(request, user, "my_schedule")
    return render(request, "my_schedule.html", "my_schedule", user)
