"""The customer pages (客户): search, one customer's page, and the CRM import with its report.

Like the other console pages these are server-rendered shells in the viewer's language; the
customers themselves are loaded by ``static/js/customers*.js`` from ``/api/crm/...``, so what
a browser shows went through the API's role checks, its masking (numbers hidden for every
role but the shift lead) and its ``customer.read`` audit rows. The page only decides which
forms a role gets — the API refuses the rest anyway (403/422).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from hotline.api.roles import Role
from hotline.core.customer import ListMark, Tier
from hotline.web.pages import forbidden, render, to_login, viewer

router = APIRouter(include_in_schema=False)

CUSTOMER_ROLES = frozenset({Role.SHIFT_LEAD, Role.SUPERVISOR, Role.ADMIN, Role.QA})
"""Who searches customers (the API refuses an agent: they read only the caller on the line)."""
LIST_ROLES = frozenset({Role.SHIFT_LEAD, Role.SUPERVISOR})
"""Who puts customers on the red or black list (``POST /api/crm/customers/{id}/list``)."""
IMPORT_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})
"""Who imports customer files (``POST /api/crm/import``)."""
QUERY_MAX = 64  # the API's limit on `q`
MAX_UPLOAD_MIB = 10  # the API's limit on an import file


def _chosen(request: Request) -> dict[str, str]:
    """The search a link asked for (``/customers?q=胡霞&tier=high``), unknown values dropped."""
    params = request.query_params
    tier = params.get("tier", "")
    mark = params.get("list_mark", "")
    return {
        "q": params.get("q", "")[:QUERY_MAX],
        "tier": tier if tier in {t.value for t in Tier} else "",
        "list_mark": mark if mark in {m.value for m in ListMark} else "",
    }


@router.get("/customers", response_class=HTMLResponse)
async def customers(request: Request) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role not in CUSTOMER_ROLES:
        return forbidden(request, user, "customers")
    return render(
        request,
        "customers.html",
        "customers",
        user,
        tiers=[t.value for t in Tier],
        marks=[m.value for m in ListMark],
        chosen=_chosen(request),
        query_max=QUERY_MAX,
        can_import=user.role in IMPORT_ROLES,
    )


@router.get("/customers/import", response_class=HTMLResponse)
async def customers_import(request: Request) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role not in IMPORT_ROLES:
        return forbidden(request, user, "customers")
    return render(request, "customers_import.html", "customers", user, max_mib=MAX_UPLOAD_MIB)


@router.get("/customers/{customer_id}", response_class=HTMLResponse)
async def customer_detail(request: Request, customer_id: int) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role not in CUSTOMER_ROLES:
        return forbidden(request, user, "customers")
    return render(
        request,
        "customers_detail.html",
        "customers",
        user,
        customer_id=customer_id,
        marks=[m.value for m in ListMark],
        can_set_list=user.role in LIST_ROLES,
    )
