"""The agent desk (坐席工作台): the seat's view and the call commands.

The desk view shows the customer on the current call: in clear to the agent on
the call and the shift lead, masked to the supervisor; the first view of a
customer on a call by a user writes a ``customer.read`` audit row (the page's
refreshes do not write it again). The commands act on the signed-in agent's own
seat only, and each is written to the audit log (``desk.hold``, ``desk.hangup`` …)
with the call it acted on.

During a call (talking, on hold or in wrap-up) an agent may look a customer up by phone
number or 户号 (``GET /api/desk/lookup``): the caller may be asking about another
account. The customer on the call shows in clear, any other masked (`roles.sees_unmasked`),
the ID number by its last four for everyone; each look-up writes a ``customer.lookup``
row and each customer shown a ``customer.read`` row (``via: desk.lookup``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool

from hotline.api.auditing import audit
from hotline.api.deps import CurrentUser, Runtime, client_of
from hotline.api.errors import ForbiddenError, InvalidRequestError
from hotline.api.masking import mask_account, mask_phone
from hotline.api.privacy import ReadsAudited, customer_view, profile_summary, record_read
from hotline.api.responses import errors
from hotline.api.roles import Role, sees_unmasked
from hotline.api.schemas import (
    AgentIdStr,
    ConsultRequest,
    DeskAgent,
    DeskOut,
    TransferRequest,
    WrapUpRequest,
)
from hotline.api.users import User
from hotline.core.customer import ListMark, Tier
from hotline.crm import Profile
from hotline.live import LiveHotline
from hotline.live.views import DeskView

router = APIRouter(prefix="/api/desk", tags=["desk"])

DESK_READERS = frozenset({Role.AGENT, Role.SHIFT_LEAD, Role.SUPERVISOR})


def desk_agent(user: User, requested: str | None) -> str:
    """Whose desk `user` may see: an agent only their own; shift lead and supervisor any."""
    if user.role is Role.AGENT:
        if user.agent_id is None:
            raise ForbiddenError("this user has no agent seat")
        if requested is not None and requested != user.agent_id:
            raise ForbiddenError("an agent may read only their own desk")
        return user.agent_id
    if user.role not in DESK_READERS:
        raise ForbiddenError(f"role {user.role.value!r} has no desk to read")
    if requested is None:
        raise ForbiddenError("only agents have a desk of their own; name the agent to watch")
    return requested


def desk_view(desk: DeskView, user: User) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The desk as `user` may see it, and the customer read (for the audit row), if any."""
    view = dataclasses.asdict(desk)
    if desk.call is None:
        return view, None
    on_the_call = user.role is Role.AGENT and desk.agent.id == user.agent_id
    call = view["call"]
    customer = call.get("customer")
    read = None
    if customer:
        call["customer"] = read = customer_view(customer, user, on_the_call=on_the_call)
    if not on_the_call and user.role is not Role.SHIFT_LEAD:
        call["caller"] = mask_phone(str(call.get("caller", "")))
    view["call"] = call
    return view, read


async def audited_desk(
    runtime: LiveHotline,
    user: User,
    agent_id: str,
    *,
    via: str,
    client: str,
    seen: ReadsAudited | None = None,
) -> dict[str, Any]:
    """The masked desk view, with its customer read written to the audit log (once per
    user and call with `seen`)."""
    view, read = desk_view(runtime.desks.view(agent_id), user)
    if read is not None:
        await run_in_threadpool(
            record_read,
            runtime.services.audit,
            user,
            int(read["id"]),
            masked=bool(read["masked"]),
            via=via,
            client=client,
            call=str(view["call"]["id"]),
            seen=seen,
        )
    return view


@router.get("", response_model=DeskOut, responses=errors(401, 403, 404, 422))
async def get_desk(
    request: Request,
    user: CurrentUser,
    runtime: Runtime,
    agent: Annotated[
        AgentIdStr | None,
        Query(description="whose desk (shift lead, supervisor); agents read their own"),
    ] = None,
) -> dict[str, Any]:
    agent_id = desk_agent(user, agent)
    seen: ReadsAudited = request.app.state.reads
    return await audited_desk(
        runtime, user, agent_id, via="desk", client=client_of(request), seen=seen
    )


def own_seat(user: User) -> str:
    if user.role is not Role.AGENT or user.agent_id is None:
        raise ForbiddenError("only an agent at a seat handles calls")
    return user.agent_id


async def _status(runtime: LiveHotline, agent_id: str) -> dict[str, Any]:
    """The seat's state after a command, answered once the command's events are committed."""
    await runtime.commit()
    return dataclasses.asdict(runtime.desks.seat(agent_id))


_COMMAND_ERRORS = errors(401, 403, 404, 409)
_BODY_ERRORS = errors(401, 403, 404, 409, 422)


async def _command(
    request: Request,
    user: User,
    runtime: LiveHotline,
    action: str,
    command: Callable[[str], object],
    **detail: Any,
) -> dict[str, Any]:
    """Run `command` on the user's own seat, write ``desk.<action>`` to the audit log with
    the call it acted on, and answer the seat's state."""
    agent_id = own_seat(user)
    call = runtime.desks.current(agent_id)
    command(agent_id)
    status = await _status(runtime, agent_id)
    await audit(
        request,
        user,
        f"desk.{action}",
        subject_type="call",
        subject_id=str(call.id) if call else "",
        detail={"agent": agent_id, **detail},
    )
    return status


@router.post("/answer", response_model=DeskAgent, responses=_COMMAND_ERRORS)
async def answer(request: Request, user: CurrentUser, runtime: Runtime) -> dict[str, Any]:
    """Pick up the ringing call (接听)."""
    return await _command(request, user, runtime, "answer", runtime.desks.answer)


@router.post("/hangup", response_model=DeskAgent, responses=_COMMAND_ERRORS)
async def hangup(request: Request, user: CurrentUser, runtime: Runtime) -> dict[str, Any]:
    """End the conversation (挂断); the seat goes to wrap-up (事后处理)."""
    return await _command(request, user, runtime, "hangup", runtime.desks.hangup)


@router.post("/hold", response_model=DeskAgent, responses=_COMMAND_ERRORS)
async def hold(request: Request, user: CurrentUser, runtime: Runtime) -> dict[str, Any]:
    """Put the caller on hold (保持) with music."""
    return await _command(request, user, runtime, "hold", runtime.desks.hold)


@router.post("/retrieve", response_model=DeskAgent, responses=_COMMAND_ERRORS)
async def retrieve(request: Request, user: CurrentUser, runtime: Runtime) -> dict[str, Any]:
    """Take the held caller back (取回)."""
    return await _command(request, user, runtime, "retrieve", runtime.desks.retrieve)


def _queue(runtime: LiveHotline, queue: str) -> str:
    if queue not in {q.name for q in runtime.hotline.queues}:
        raise InvalidRequestError(f"no queue named {queue!r}", field="body.queue")
    return queue


@router.post("/transfer", response_model=DeskAgent, responses=_BODY_ERRORS)
async def transfer(
    body: TransferRequest, request: Request, user: CurrentUser, runtime: Runtime
) -> dict[str, Any]:
    """Blind transfer (盲转) to a queue; the shift lead's queue is ``shift_lead``."""
    own_seat(user)
    queue = _queue(runtime, body.queue)
    return await _command(
        request,
        user,
        runtime,
        "transfer",
        lambda seat: runtime.desks.transfer(seat, queue),
        queue=queue,
    )


@router.post("/consult", response_model=DeskAgent, responses=_BODY_ERRORS)
async def consult(
    body: ConsultRequest, request: Request, user: CurrentUser, runtime: Runtime
) -> dict[str, Any]:
    """Consult transfer (咨询转接), first step: the caller on hold, a free colleague of the
    queue rung (409 ``no-agent-free`` when none is free now)."""
    own_seat(user)
    queue = _queue(runtime, body.queue)
    return await _command(
        request,
        user,
        runtime,
        "consult",
        lambda seat: runtime.desks.consult(seat, queue),
        queue=queue,
    )


@router.post("/consult/complete", response_model=DeskAgent, responses=_COMMAND_ERRORS)
async def complete_transfer(
    request: Request, user: CurrentUser, runtime: Runtime
) -> dict[str, Any]:
    """Hand the caller over to the consulted colleague (完成转接); the seat goes to wrap-up."""
    return await _command(
        request, user, runtime, "consult_complete", runtime.desks.complete_transfer
    )


@router.post("/consult/cancel", response_model=DeskAgent, responses=_COMMAND_ERRORS)
async def cancel_consult(request: Request, user: CurrentUser, runtime: Runtime) -> dict[str, Any]:
    """End the consultation; the caller stays on hold (取回 takes the call back)."""
    return await _command(request, user, runtime, "consult_cancel", runtime.desks.cancel_consult)


@router.post("/wrap-up", response_model=DeskAgent, responses=_BODY_ERRORS)
async def wrap_up(
    body: WrapUpRequest, request: Request, user: CurrentUser, runtime: Runtime
) -> dict[str, Any]:
    """Close wrap-up with a disposition (and a note); the seat goes ready or not ready."""
    own_seat(user)  # 403 unless the user is an agent at a seat
    known = {d.code: d for d in runtime.desks.dispositions()}
    chosen = known.get(body.disposition)
    if chosen is None:
        titles = "、".join(d.title or d.code for d in known.values())
        raise InvalidRequestError(
            f"没有这个处理结果「{body.disposition}」（可选：{titles}）",
            field="body.disposition",
        )
    if chosen.note_required and not body.note.strip():
        raise InvalidRequestError(
            f"处理结果为「{chosen.title or chosen.code}」时须填写备注", field="body.note"
        )
    return await _command(
        request,
        user,
        runtime,
        "wrap_up",
        lambda seat: runtime.desks.wrap_up(seat, body.disposition, body.note, body.then),
        disposition=body.disposition,
    )


# ---- customer look-up during a call -------------------------------------------------------

LOOKUP_PHASES = frozenset({"talking", "held", "wrap_up"})
"""The phases of a call in which its agent may look customers up (not while it rings)."""

LOOKUP_ACTION = "customer.lookup"
LOOKUP_LIMIT = 20


class CustomerLookupOut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: int
    name: str
    phone: str
    account: str
    id_number: str
    address: str
    tier: Tier
    list_mark: ListMark
    masked: bool
    on_the_call: bool


def _lookup_view(profile: Profile, *, on_the_call: bool) -> dict[str, Any]:
    """A customer found at the desk as its agent may see it: in clear when it is the
    customer on the agent's call, masked otherwise; the ID number by its last four."""
    clear = sees_unmasked(Role.AGENT, on_the_call=on_the_call)
    return {**profile_summary(profile, clear), "on_the_call": on_the_call}


@router.get("/lookup", response_model=list[CustomerLookupOut], responses=errors(401, 403, 422))
async def lookup_customer(
    request: Request,
    user: CurrentUser,
    runtime: Runtime,
    phone: Annotated[
        str | None,
        Query(
            min_length=3,
            max_length=32,
            pattern=r"^\+?[0-9-]+$",
            description="联系电话 or a bound phone",
        ),
    ] = None,
    account: Annotated[
        str | None,
        Query(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9-]+$", description="户号"),
    ] = None,
) -> list[dict[str, Any]]:
    """客户查询 during a call: the customers with this phone number (contact or bound
    phone) or this 户号, exactly. Agents only, and only while talking, on hold or in
    wrap-up (403 otherwise); every look-up and every customer shown is audited."""
    agent_id = own_seat(user)
    if (phone is None) == (account is None):
        raise InvalidRequestError(
            "give a phone number or a 户号 (one of them)", field="query.phone"
        )
    call = runtime.desks.current(agent_id)
    if call is None or call.phase not in LOOKUP_PHASES:
        raise ForbiddenError(
            "只有在通话中（通话、保持、事后处理）才能查询客户 "
            "(an agent looks customers up only during a call)"
        )
    value = phone if phone is not None else account
    assert value is not None
    found = await run_in_threadpool(runtime.services.crm.find, q=value, limit=LOOKUP_LIMIT)
    if phone is not None:
        matches = [p for p in found if p.phone == phone or phone in p.bound_phones]
    else:
        matches = [p for p in found if p.account == account]
    client = client_of(request)
    await audit(
        request,
        user,
        LOOKUP_ACTION,
        subject_type="call",
        subject_id=str(call.id),
        detail={
            "by": "phone" if phone is not None else "account",
            "query": mask_phone(value) if phone is not None else mask_account(value),
            "found": [p.customer_id for p in matches],
        },
    )
    views = []
    for profile in matches:
        view = _lookup_view(profile, on_the_call=profile.customer_id == call.customer_id)
        await run_in_threadpool(
            record_read,
            runtime.services.audit,
            user,
            profile.customer_id,
            masked=bool(view["masked"]),
            via="desk.lookup",
            client=client,
            call=str(call.id),
        )
        views.append(view)
    return views
