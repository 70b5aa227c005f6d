"""The work-order pages: the order list (工单), one order's detail, the return-visit list.

Like the other console pages these are server-rendered shells in the viewer's language;
the orders themselves are loaded by the page scripts from ``/api/orders``, so what a
browser shows went through the API's role checks and masking (an agent sees only the
orders they created, a complainant's identity stays hidden). The page only decides which
action buttons a role gets — the API refuses the rest anyway (403/409).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from hotline.api.roles import Role
from hotline.api.routers.orders import order_config
from hotline.orders.model import DeadlineStatus, OrderState
from hotline.web.pages import forbidden, render, to_login, viewer

router = APIRouter(include_in_schema=False)

ORDER_ROLES = frozenset(Role)
"""Everyone reads orders; the API narrows an agent to the orders they created."""
VISIT_ROLES = frozenset({Role.AGENT, Role.SHIFT_LEAD, Role.SUPERVISOR})
"""Who makes return visits (``GET /api/orders/visits/due``)."""
MANAGER_ROLES = frozenset({Role.SHIFT_LEAD, Role.SUPERVISOR})
"""交办, 督办, 重开, 归档 (the API's managers)."""
HANDLER_ROLES = VISIT_ROLES
"""答复, 等待客户资料, 恢复, 回访 (an agent on their own orders)."""

# The list's deadline filter: the API's ``deadline`` values, the most urgent first.
DEADLINE_FILTERS = (DeadlineStatus.OVERDUE, DeadlineStatus.NEAR, DeadlineStatus.OK)


@router.get("/orders", response_class=HTMLResponse)
async def orders(request: Request) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role not in ORDER_ROLES:
        return forbidden(request, user, "orders")
    return render(
        request,
        "orders.html",
        "orders",
        user,
        states=[s.value for s in OrderState],
        deadlines=[d.value for d in DEADLINE_FILTERS],
        types={name: kind.label for name, kind in order_config(request).types.items()},
        chosen={k: request.query_params.get(k, "") for k in ("state", "type", "deadline")},
        can_manage=user.role in MANAGER_ROLES,
    )


@router.get("/orders/{order_id}", response_class=HTMLResponse)
async def order_detail(request: Request, order_id: int) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role not in ORDER_ROLES:
        return forbidden(request, user, "orders")
    return render(
        request,
        "orders_detail.html",
        "orders",
        user,
        order_id=order_id,
        departments=dict(order_config(request).departments),
        can_manage=user.role in MANAGER_ROLES,
        can_handle=user.role in HANDLER_ROLES,
    )


@router.get("/visits", response_class=HTMLResponse)
async def visits(request: Request) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role not in VISIT_ROLES:
        return forbidden(request, user, "visits")
    return render(request, "visits.html", "visits", user)
