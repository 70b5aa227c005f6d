"""The complaint analysis page (投诉分析): a server-rendered shell in the viewer's language;
the figures are loaded by ``complaints.js`` from ``/api/complaints/analysis``, which holds
aggregates only, so no complainant can be identified from this page. The order-accuracy
page (受理工单正确率, ``order_accuracy.js`` from ``/api/order-accuracy``) is served here too.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from hotline.api.roles import Role
from hotline.api.routers.orders import order_config
from hotline.web.pages import forbidden, render, to_login, viewer

router = APIRouter(include_in_schema=False)

ANALYST_ROLES = frozenset({Role.SUPERVISOR, Role.SHIFT_LEAD, Role.QA, Role.ADMIN})
"""Who reads the complaint analysis (the API's roles)."""


@router.get("/complaints", response_class=HTMLResponse)
async def complaints(request: Request) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role not in ANALYST_ROLES:
        return forbidden(request, user, "complaints")
    config = order_config(request)
    return render(
        request,
        "complaints.html",
        "complaints",
        user,
        departments=dict(config.departments),
        chosen={k: request.query_params.get(k, "") for k in ("from", "to")},
    )


ACCURACY_ROLES = frozenset({Role.QA, Role.SUPERVISOR, Role.SHIFT_LEAD})
"""Who reads the order accuracy (``GET /api/order-accuracy``)."""


@router.get("/order-accuracy", response_class=HTMLResponse)
async def order_accuracy(request: Request) -> Response:
    """受理工单正确率: the figure, its two parts against their goals, the wrong fields and
    orders (loaded by ``order_accuracy.js``)."""
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role not in ACCURACY_ROLES:
        return forbidden(request, user, "order-accuracy")
    return render(
        request,
        "order_accuracy.html",
        "order-accuracy",
        user,
        chosen={k: request.query_params.get(k, "") for k in ("from", "to")},
    )
