"""The callback tasks page (回呼任务).

A shell in the viewer's language like the other console pages: the tasks come from
``/api/callbacks``, so what the page shows went through the API's role checks and
masking. Agents, the shift lead and the supervisor see it; agents and the lead get the
outcome buttons.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from hotline.api.roles import Role
from hotline.callbacks.tasks import OUTCOMES, TaskStatus
from hotline.web.pages import forbidden, render, to_login, viewer

router = APIRouter(include_in_schema=False)

READERS = frozenset({Role.AGENT, Role.SHIFT_LEAD, Role.SUPERVISOR})
CLOSERS = frozenset({Role.AGENT, Role.SHIFT_LEAD})


@router.get("/callbacks", response_class=HTMLResponse)
async def callbacks(request: Request) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role not in READERS:
        return forbidden(request, user, "callbacks")
    chosen = request.query_params.get("status", TaskStatus.OPEN.value)
    if chosen not in {s.value for s in TaskStatus}:
        chosen = TaskStatus.OPEN.value
    return render(
        request,
        "callbacks.html",
        "callbacks",
        user,
        statuses=[s.value for s in TaskStatus],
        status=chosen,
        outcomes=list(OUTCOMES),
        can_close=user.role in CLOSERS,
        is_agent=user.role is Role.AGENT,
    )
