"""The call pages (通话记录): the latest calls, and one call with its recordings (录音).

Server-rendered shells in the viewer's language; ``calls.js`` fills them from
``/api/calls`` (agents get their own calls, numbers masked by role) and, for a
call, ``/api/calls/{call}/recordings``: one ``<audio controls>`` per conversation
for the roles that may hear it (supervisor, QA, shift lead; an agent for calls
they took). The player loads nothing until played, so each playback is one
audited request.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from hotline.api.roles import Role
from hotline.api.routers.calls import LISTENERS
from hotline.web.pages import render, to_login, viewer

router = APIRouter(include_in_schema=False)

_CALL = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")


@router.get("/calls", response_class=HTMLResponse)
async def calls(request: Request) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    return render(request, "calls.html", "calls", user)


@router.get("/calls/{call_id}", response_class=HTMLResponse)
async def call_detail(call_id: str, request: Request) -> Response:
    """One call: its record and, for the roles that may hear them, its recordings."""
    user = await viewer(request)
    if user is None:
        return to_login()
    if not _CALL.fullmatch(call_id):
        call_id = ""  # the page then says the call was not found
    can_hear = user.role in LISTENERS or user.role is Role.AGENT
    return render(request, "call_detail.html", "calls", user, call_id=call_id, can_hear=can_hear)
