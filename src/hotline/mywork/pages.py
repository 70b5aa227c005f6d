"""我的工单: the agent's own orders (with their state and nearest deadline) and the return
visits they owe, on one page.

A shell in the viewer's language like the other console pages; the script fills it from
``/api/orders`` and ``/api/orders/visits/due``, which give an agent only the orders they
created. Only agents have the page (the shift lead and the others read 工单).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from hotline.api.roles import Role
from hotline.web.pages import forbidden, render, to_login, viewer

router = APIRouter(include_in_schema=False)

FILTERS = ("open", "overdue", "all")
"""未办结 (accepted, assigned, waiting for the customer, answered), 已超时 (a deadline
overdue), 全部."""


@router.get("/my-orders", response_class=HTMLResponse)
async def my_orders(request: Request) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role is not Role.AGENT:
        return forbidden(request, user, "my-orders")
    chosen = request.query_params.get("show", FILTERS[0])
    return render(
        request,
        "my_orders.html",
        "my-orders",
        user,
        filters=FILTERS,
        show=chosen if chosen in FILTERS else FILTERS[0],
    )
