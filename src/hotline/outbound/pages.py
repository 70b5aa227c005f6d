"""The outbound page (外呼管理).

A shell in the viewer's language like the other console pages: the campaigns, their
progress and the import form's choices come from ``/api/outbound``, so what the page
shows went through the API's role checks and masking. The shift lead and the supervisor
see it; both run the campaigns.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from hotline.api.roles import Role
from hotline.outbound.views import MAX_MIB
from hotline.web.pages import forbidden, render, to_login, viewer

router = APIRouter(include_in_schema=False)

RUNNERS = frozenset({Role.SHIFT_LEAD, Role.SUPERVISOR})


@router.get("/outbound", response_class=HTMLResponse)
async def outbound(request: Request) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role not in RUNNERS:
        return forbidden(request, user, "outbound")
    return render(request, "outbound.html", "outbound", user, max_mib=MAX_MIB)
