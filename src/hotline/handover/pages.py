"""The shift handover page (交接班) and one sheet's printable view.

A shell in the viewer's language like the other console pages: the lists come from
``/api/handover`` and ``/api/shift-summary``, so what the page shows went through the
API's role checks. The shift lead and the supervisor get the draft, the hand-over
form and 接班; an agent gets their own shift summary; QA reads the earlier sheets.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from hotline.api.roles import Role
from hotline.web.pages import forbidden, render, to_login, viewer

router = APIRouter(include_in_schema=False)

LEADS = frozenset({Role.SHIFT_LEAD, Role.SUPERVISOR})
READERS = LEADS | {Role.QA}
HANDOVER_ROLES = READERS | {Role.AGENT}


@router.get("/handover", response_class=HTMLResponse)
async def handover(request: Request) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role not in HANDOVER_ROLES:
        return forbidden(request, user, "handover")
    return render(
        request,
        "handover.html",
        "handover",
        user,
        is_lead=user.role in LEADS,
        is_agent=user.role is Role.AGENT,
        sheet_id=None,
    )


@router.get("/handover/{sheet_id}", response_class=HTMLResponse)
async def sheet(request: Request, sheet_id: int) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role not in READERS:
        return forbidden(request, user, "handover")
    return render(
        request,
        "handover.html",
        "handover",
        user,
        is_lead=user.role in LEADS,
        is_agent=False,
        sheet_id=sheet_id,
    )
