"""The training pages: 培训与考核 (shift leads, the supervisor, QA) and 我的培训 (agents).

Shells in the viewer's language like the other console pages: what they show comes
from ``/api/training``, so it went through the API's role checks.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from hotline.api.roles import Role
from hotline.web.pages import forbidden, render, to_login, viewer

router = APIRouter(include_in_schema=False)

LEADS = frozenset({Role.SHIFT_LEAD, Role.SUPERVISOR, Role.QA})
TICKERS = frozenset({Role.SHIFT_LEAD, Role.SUPERVISOR})


@router.get("/training", response_class=HTMLResponse)
async def training(request: Request) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role not in LEADS:
        return forbidden(request, user, "training")
    return render(request, "training.html", "training", user, may_tick=user.role in TICKERS)


@router.get("/my-training", response_class=HTMLResponse)
async def my_training(request: Request) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role is not Role.AGENT:
        return forbidden(request, user, "my_training")
    return render(request, "my_training.html", "my_training", user)
