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
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from hotline.api.deps import get_runtime
from hotline.api.errors import ForbiddenError
from hotline.api.roles import Role
from hotline.api.routers.orders import desk_of, may_handle, order_config
from hotline.orders.errors import NoSuchOrderError
from hotline.orders.model import DeadlineStatus, OrderSource, OrderState
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
FOLLOW_UP_ROLES = frozenset({Role.DEPARTMENT, Role.SHIFT_LEAD, Role.SUPERVISOR})
"""跟进 (the type's milestones: 到达现场, 已送电 …) and 答复 with the time it happened."""

# The list's deadline filter: the API's ``deadline`` values, the most urgent first.
DEADLINE_FILTERS = (DeadlineStatus.OVERDUE, DeadlineStatus.NEAR, DeadlineStatus.OK)


@router.get("/orders", response_class=HTMLResponse)
async def orders(request: Request) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role not in ORDER_ROLES - {Role.DEPARTMENT}:
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


@router.get("/orders/department", response_class=HTMLResponse)
async def department_orders(request: Request) -> Response:
    """我的部门工单: a department's orders, open and most urgent first (the API narrows the
    list to the user's department)."""
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role is not Role.DEPARTMENT:
        return forbidden(request, user, "department")
    departments = order_config(request).departments
    name = departments.get(user.department or "", "") if user.department else ""
    return render(request, "orders_department.html", "department", user, department_name=name)


@router.get("/orders/new", response_class=HTMLResponse)
async def new_order(request: Request) -> Response:
    """新建工单 without a call (来信, 来访, 网站): the shift lead's and the supervisor's, with the
    desk's order form (``orders_new.js``) and a 来源 choice."""
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role not in MANAGER_ROLES:
        return forbidden(request, user, "orders-new")
    sources = [s.value for s in OrderSource]
    return render(request, "orders_new.html", "orders-new", user, sources=sources)


@router.get("/orders/{order_id}", response_class=HTMLResponse)
async def order_detail(request: Request, order_id: int) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role not in ORDER_ROLES:
        return forbidden(request, user, "orders")
    if not 1 <= order_id <= 2**31 - 1:
        raise HTTPException(404)
    desk = desk_of(get_runtime(request), order_config(request))
    try:  # the API's own rule decides; the page says it instead of a frame left loading
        may_handle(await run_in_threadpool(desk.get, order_id), user)
    except NoSuchOrderError:
        raise HTTPException(404) from None
    except ForbiddenError:
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
        can_follow_up=user.role in FOLLOW_UP_ROLES,
        can_answer=user.role in HANDLER_ROLES | FOLLOW_UP_ROLES,
        back="/orders/department" if user.role is Role.DEPARTMENT else "/orders",
    )


@router.get("/visits", response_class=HTMLResponse)
async def visits(request: Request) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role not in VISIT_ROLES:
        return forbidden(request, user, "visits")
    return render(request, "visits.html", "visits", user)
