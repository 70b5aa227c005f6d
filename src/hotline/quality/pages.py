"""The quality pages: 录音质检 (QA, shift leads, supervisor, admin) and 我的质检 (agents).

Shells in the viewer's language like the other console pages: what they show comes
from ``/api/qa``, so it went through the API's role checks.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from hotline.api.roles import Role
from hotline.web.pages import forbidden, render, to_login, viewer

router = APIRouter(include_in_schema=False)

SCORERS = frozenset({Role.QA, Role.SHIFT_LEAD, Role.SUPERVISOR, Role.ADMIN})


@router.get("/qa", response_class=HTMLResponse)
async def inspection(request: Request) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role not in SCORERS:
        return forbidden(request, user, "qa")
    return render(request, "qa.html", "qa", user)


@router.get("/my-evaluations", response_class=HTMLResponse)
async def my_evaluations(request: Request) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role is not Role.AGENT:
        return forbidden(request, user, "my_evaluations")
    return render(request, "my_evaluations.html", "my_evaluations", user)
