"""Customers (CRM): import, search, the customer page's data, lists, tiers, query passwords.

Who may do what: the administrator and the supervisor import files; the shift
lead and the supervisor put customers on the red or black list; the
administrator recomputes tiers and sets query passwords. Reads follow
`hotline.api.privacy`: an agent reads only the customer on their current call
(in clear), the shift lead any customer in clear, the others masked; every
customer returned writes one ``customer.read`` audit row, and every change its
own audit row. The work is `hotline.crm.service.CrmService` (``runtime.services.crm``),
which scores under the site's ``crm.yaml`` as it is now (an edited file is read
again); a list change's ``crm.list_changed`` event is committed with it and then
published on the runtime's bus (`publish_stored`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, UploadFile
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from hotline.api.deps import CurrentUser, Runtime, client_of, require
from hotline.api.errors import ForbiddenError, InvalidRequestError, NotFoundError
from hotline.api.masking import mask_phone
from hotline.api.privacy import current_customer_id, profile_summary, record_read
from hotline.api.responses import errors
from hotline.api.roles import Role, sees_unmasked
from hotline.api.users import User
from hotline.core.customer import ListMark, Tier
from hotline.crm import (
    CustomerType,
    ImportFileError,
    ImportReport,
    LifecycleStage,
    ListChangeError,
    Profile,
    UnknownCustomerError,
)
from hotline.crm.config import HintLevel
from hotline.crm.service import CustomerDetail
from hotline.live import LiveHotline

router = APIRouter(prefix="/api/crm", tags=["crm"])

MAX_UPLOAD = 10 * 1024 * 1024
"""The largest import file accepted (bytes): 100,000 customer rows fit well inside."""

Importer = Annotated[User, Depends(require(Role.ADMIN, Role.SUPERVISOR))]
ListKeeper = Annotated[User, Depends(require(Role.SHIFT_LEAD, Role.SUPERVISOR))]
Admin = Annotated[User, Depends(require(Role.ADMIN))]
CustomerId = Annotated[int, PathParam(ge=1, le=2**53)]


# ---- models -----------------------------------------------------------------------------


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RowProblemOut(_Out):
    row: int = Field(description="row number as the spreadsheet shows it (header = 1)")
    column: str = Field(description="the header as written in the file; empty for a whole row")
    reason: str


class ImportReportOut(_Out):
    file: str
    format: str
    rows: int
    created: int
    updated: int
    rejected_rows: int
    rejected: list[RowProblemOut]
    ignored_columns: list[str]
    batch_id: int | None


class ListStatusOut(_Out):
    mark: ListMark
    reason: str
    set_by: str
    set_at: float | None


class ListChangeOut(_Out):
    mark: ListMark
    previous: ListMark
    reason: str
    set_by: str
    at: float


class ScoreOut(_Out):
    """The tier's score (0–100) with each input's points, under the current crm.yaml."""

    tier: Tier
    score: float
    arpu_points: float
    tenure_points: float
    credit_points: float


class AccountOut(_Out):
    customer_type: CustomerType
    arpu: float | None
    tenure_months: int | None
    credit_score: float | None
    last_bill: float | None
    avg_bill_6m: float | None
    arrears: float | None
    prepaid_balance: float | None
    account_manager: str
    has_password: bool


class HintOut(_Out):
    rule: str
    message: str
    level: HintLevel


class ContactOut(_Out):
    kind: str = Field(description="'call' (orders join here once they exist)")
    ref: str
    at: float | None
    caller: str | None
    queue: str | None
    agent: str | None
    outcome: str | None
    disposition: str | None


class CustomerSummaryOut(_Out):
    id: int
    name: str
    phone: str
    account: str
    id_number: str
    address: str
    tier: Tier
    score: float
    lifecycle: LifecycleStage
    list_mark: ListMark
    masked: bool = Field(description="true when the numbers are masked for this user's role")


class CustomerDetailOut(CustomerSummaryOut):
    bound_phones: list[str]
    account_facts: AccountOut
    scoring: ScoreOut
    list_status: ListStatusOut
    list_history: list[ListChangeOut]
    contacts: list[ContactOut]
    hints: list[HintOut]


class ListIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mark: ListMark
    reason: str = Field("", max_length=255)


class PasswordIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    password: str = Field(pattern=r"^[0-9]{6}$", description="six digits, keyed on the phone")


class RecomputeOut(_Out):
    customers: int
    changed: int


# ---- helpers ----------------------------------------------------------------------------


def _report(report: ImportReport) -> ImportReportOut:
    return ImportReportOut(
        file=report.file,
        format=report.format,
        rows=report.rows,
        created=report.created,
        updated=report.updated,
        rejected_rows=report.rejected_rows,
        rejected=[
            RowProblemOut(row=p.row, column=p.column, reason=p.reason) for p in report.rejected
        ],
        ignored_columns=list(report.ignored_columns),
        batch_id=report.batch_id,
    )


def _summary(profile: Profile, clear: bool) -> dict[str, Any]:
    return {
        **profile_summary(profile, clear),
        "score": profile.score,
        "lifecycle": profile.lifecycle,
    }


def _detail(detail: CustomerDetail, clear: bool) -> CustomerDetailOut:
    profile = detail.profile
    facts = profile.facts
    usage = facts.consumption
    score = detail.scoring
    return CustomerDetailOut(
        **_summary(profile, clear),
        bound_phones=[p if clear else mask_phone(p) for p in profile.bound_phones],
        account_facts=AccountOut(
            customer_type=facts.customer_type,
            arpu=facts.arpu,
            tenure_months=facts.tenure_months,
            credit_score=facts.credit_score,
            last_bill=usage.last_bill,
            avg_bill_6m=usage.avg_bill_6m,
            arrears=usage.arrears,
            prepaid_balance=usage.prepaid_balance,
            account_manager=facts.account_manager,
            has_password=profile.has_password,
        ),
        scoring=ScoreOut(
            tier=score.tier,
            score=score.score,
            arpu_points=score.arpu_points,
            tenure_points=score.tenure_points,
            credit_points=score.credit_points,
        ),
        list_status=ListStatusOut(
            mark=profile.list_status.mark,
            reason=profile.list_status.reason,
            set_by=profile.list_status.set_by,
            set_at=profile.list_status.set_at,
        ),
        list_history=[
            ListChangeOut(
                mark=c.mark, previous=c.previous, reason=c.reason, set_by=c.set_by, at=c.at
            )
            for c in detail.list_history
        ],
        contacts=[
            ContactOut(
                kind="call",
                ref=call.call,
                at=call.arrived_at,
                caller=call.caller if clear or call.caller is None else mask_phone(call.caller),
                queue=call.queue,
                agent=call.agent,
                outcome=call.outcome,
                disposition=call.disposition,
            )
            for call in detail.contacts
        ],
        hints=[HintOut(rule=h.rule, message=h.message, level=h.level) for h in detail.hints],
    )


async def _audit(
    request: Request,
    runtime: LiveHotline,
    user: User,
    action: str,
    customer: str,
    detail: dict[str, Any],
) -> None:
    await run_in_threadpool(
        runtime.services.audit.record,
        username=user.username,
        role=user.role.value,
        action=action,
        subject_type="customer",
        subject_id=customer,
        detail=detail,
        client=client_of(request),
    )


async def _read(
    request: Request, runtime: LiveHotline, user: User, customer_id: int, *, clear: bool, via: str
) -> None:
    """The ``customer.read`` audit row of one customer shown."""
    await run_in_threadpool(
        record_read,
        runtime.services.audit,
        user,
        customer_id,
        masked=not clear,
        via=via,
        client=client_of(request),
    )


# ---- routes -----------------------------------------------------------------------------


@router.post("/import", response_model=ImportReportOut, responses=errors(401, 403, 422))
async def import_customers(
    request: Request, file: UploadFile, user: Importer, runtime: Runtime
) -> ImportReportOut:
    """Import customers from a CSV or XLSX file; bad rows are reported, good rows kept."""
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise InvalidRequestError(
            f"the file is larger than {MAX_UPLOAD // (1024 * 1024)} MiB; split it",
            field="body.file",
        )
    name = (file.filename or "upload")[-200:]
    try:
        outcome = await run_in_threadpool(
            runtime.services.crm.import_upload, data, name, by=user.username
        )
    except ImportFileError as exc:
        raise InvalidRequestError(exc.message, field="body.file") from None
    runtime.publish_stored(outcome.events)
    report = outcome.report
    detail = {
        "file": name,
        "created": report.created,
        "updated": report.updated,
        "rejected": report.rejected_rows,
        "batch": report.batch_id,
    }
    await _audit(request, runtime, user, "customer.import", "", detail)
    return _report(report)


@router.get("/customers", response_model=list[CustomerSummaryOut], responses=errors(401, 403, 422))
async def find_customers(
    request: Request,
    user: CurrentUser,
    runtime: Runtime,
    q: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    tier: Tier | None = None,
    list_mark: ListMark | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> list[dict[str, Any]]:
    """Search customers by name (contains), phone, bound phone or account (exact)."""
    if user.role is Role.AGENT:
        raise ForbiddenError("an agent may read only the customer on their current call")
    profiles = await run_in_threadpool(
        runtime.services.crm.find,
        q=q,
        tier=tier,
        list_mark=list_mark,
        limit=limit,
        offset=offset,
    )
    clear = sees_unmasked(user.role, on_the_call=False)
    views = []
    for profile in profiles:
        await _read(request, runtime, user, profile.customer_id, clear=clear, via="crm.find")
        views.append(_summary(profile, clear))
    return views


@router.get(
    "/customers/{customer_id}",
    response_model=CustomerDetailOut,
    responses=errors(401, 403, 404, 422),
)
async def get_customer(
    request: Request, customer_id: CustomerId, user: CurrentUser, runtime: Runtime
) -> CustomerDetailOut:
    """The customer page: account, tier with its breakdown, lists, stage, contacts, hints."""
    on_the_call = False
    if user.role is Role.AGENT:
        if current_customer_id(runtime, user.agent_id) != customer_id:
            raise ForbiddenError("an agent may read only the customer on their current call")
        on_the_call = True
    try:
        detail = await run_in_threadpool(runtime.services.crm.detail, customer_id)
    except UnknownCustomerError:
        raise NotFoundError(f"no customer {customer_id}") from None
    clear = sees_unmasked(user.role, on_the_call=on_the_call)
    page = _detail(detail, clear)
    await _read(request, runtime, user, customer_id, clear=clear, via="crm.get")
    return page


@router.post(
    "/customers/{customer_id}/list",
    response_model=ListChangeOut,
    responses=errors(401, 403, 404, 422),
)
async def set_list(
    request: Request, customer_id: CustomerId, body: ListIn, user: ListKeeper, runtime: Runtime
) -> ListChangeOut:
    """Put the customer on the red or black list (a black list needs a reason), or off it."""
    try:
        outcome = await run_in_threadpool(
            runtime.services.crm.change_list,
            customer_id,
            body.mark,
            body.reason,
            by=user.username,
        )
    except ListChangeError as exc:
        raise InvalidRequestError(exc.message, field="body.reason") from None
    runtime.publish_stored(outcome.events)
    change = outcome.change
    detail = {"mark": change.mark.value, "previous": change.previous.value, "reason": change.reason}
    await _audit(request, runtime, user, "customer.list", str(customer_id), detail)
    return ListChangeOut(
        mark=change.mark,
        previous=change.previous,
        reason=change.reason,
        set_by=change.set_by,
        at=change.at,
    )


@router.post("/tiers/recompute", response_model=RecomputeOut, responses=errors(401, 403, 422))
async def recompute_tiers(request: Request, user: Admin, runtime: Runtime) -> RecomputeOut:
    """Score every customer again under the current crm.yaml."""
    scored, changed = await run_in_threadpool(runtime.services.crm.recompute_tiers)
    detail = {"customers": scored, "changed": changed}
    await _audit(request, runtime, user, "customer.tiers", "", detail)
    return RecomputeOut(customers=scored, changed=changed)


@router.post(
    "/customers/{customer_id}/password", status_code=204, responses=errors(401, 403, 404, 422)
)
async def set_password(
    request: Request, customer_id: CustomerId, body: PasswordIn, user: Admin, runtime: Runtime
) -> None:
    """Set the account's query password (查询密码); only its hash is kept."""
    await run_in_threadpool(runtime.services.crm.set_password, customer_id, body.password)
    await _audit(request, runtime, user, "customer.password_set", str(customer_id), {})
