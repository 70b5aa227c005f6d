"""The web call page (网页呼叫, ``/webcall``): a public page a center embeds on its website.

No console login: the page calls the hotline's first number from the browser (JsSIP over
Kamailio's websocket, WebRTC audio through rtpengine, static/js/webcall.js) into the IVR,
with a keypad for its menus and a hang-up button. A ``?token=`` the center's site signed
(`hotline.sip.webcall`) goes with the INVITE and names the caller. The sites allowed to
frame it are `ServeSettings.webcall_origins` (`hotline.api.guards`); Kamailio lets a
browser reach only the hotline's numbers, a few calls a minute per address. Without
WebRTC the page says web calls are unavailable.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from hotline.api.deps import get_runtime
from hotline.web.pages import render

router = APIRouter(include_in_schema=False)

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,1500}\.[A-Za-z0-9_-]{1,100}$")


@router.get("/webcall", response_class=HTMLResponse)
async def webcall(request: Request) -> Response:
    edge = get_runtime(request).softphones
    browser_edge = edge.edge if edge is not None else None
    token = request.query_params.get("token", "")
    return render(
        request,
        "webcall.html",
        "webcall",
        None,
        ws_url=browser_edge.ws_url if browser_edge else "",
        target=(
            f"sip:{browser_edge.numbers[0]}@{browser_edge.domain}"
            if browser_edge and browser_edge.numbers
            else ""
        ),
        token=token if _TOKEN.match(token) else "",
    )
