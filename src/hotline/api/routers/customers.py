"""Customers (客户): looked up by number or account, masked by role, every read audited.

An agent reads only the customer on their current call (403 for any other,
and for a lookup that does not find exactly that customer, so a lookup tells an
agent nothing about other customers). Each customer returned writes one
``customer.read`` audit row. The customer file (search, the customer page, lists,
imports) is `hotline.api.routers.crm`; docs/api.md says why the two stay apart. The
lookups are `hotline.crm.service.CrmService`'s (``runtime.services.crm``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from hotline.api.deps import CurrentUser, Runtime, client_of
from hotline.api.errors import ForbiddenError, InvalidRequestError, NotFoundError
from hotline.api.masking import plain
from hotline.api.privacy import current_customer_id, customer_view, may_read, record_read
from hotline.api.responses import errors
from hotline.api.roles import Role
from hotline.api.schemas import CustomerOut
from hotline.api.users import User
from hotline.crm import UnknownCustomerError
from hotline.live import LiveHotline

router = APIRouter(prefix="/api/customers", tags=["customers"])


async def _read(
    runtime: LiveHotline, user: User, records: list[dict[str, Any]], *, client: str, via: str
) -> list[dict[str, Any]]:
    current = current_customer_id(runtime, user.agent_id) if user.role is Role.AGENT else None
    if not all(may_read(user, int(r["id"]), current) for r in records):
        raise ForbiddenError("an agent may read only the customer on their current call")
    views = []
    for record in records:
        on_the_call = user.role is Role.AGENT and int(record["id"]) == current
        view = customer_view(record, user, on_the_call=on_the_call)
        await run_in_threadpool(
            record_read,
            runtime.services.audit,
            user,
            int(record["id"]),
            masked=bool(view["masked"]),
            via=via,
            client=client,
        )
        views.append(view)
    return views


@router.get("", response_model=list[CustomerOut], responses=errors(401, 403, 422))
async def find_customers(
    request: Request,
    user: CurrentUser,
    runtime: Runtime,
    phone: Annotated[
        str | None, Query(min_length=3, max_length=32, pattern=r"^\+?[0-9-]+$")
    ] = None,
    account: Annotated[
        str | None, Query(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9-]+$")
    ] = None,
) -> list[dict[str, Any]]:
    """Find customers by phone number and/or account number."""
    if phone is None and account is None:
        raise InvalidRequestError("give a phone number or an account", field="query.phone")
    if user.role is Role.AGENT and current_customer_id(runtime, user.agent_id) is None:
        raise ForbiddenError("an agent may read only the customer on their current call")
    found = await run_in_threadpool(runtime.services.crm.lookup, phone=phone, account=account)
    records = [plain(card) for card in found]
    if user.role is Role.AGENT and not records:
        raise ForbiddenError("an agent may read only the customer on their current call")
    return await _read(runtime, user, records, client=client_of(request), via="customers.find")


@router.get("/{customer_id}", response_model=CustomerOut, responses=errors(401, 403, 404, 422))
async def get_customer(
    request: Request,
    customer_id: Annotated[int, Path(ge=1, le=2**53)],
    user: CurrentUser,
    runtime: Runtime,
) -> dict[str, Any]:
    if user.role is Role.AGENT and current_customer_id(runtime, user.agent_id) != customer_id:
        raise ForbiddenError("an agent may read only the customer on their current call")
    try:
        record = await run_in_threadpool(runtime.services.crm.card, customer_id)
    except UnknownCustomerError:
        raise NotFoundError(f"no customer {customer_id}") from None
    (view,) = await _read(
        runtime, user, [plain(record)], client=client_of(request), via="customers.get"
    )
    return view
