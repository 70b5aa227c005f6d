"""短信 over HTTP: the SMS platform's delivery reports and customers' replies, and the
opt-out list (退订) for people.

The carrier's platform calls ``/api/outbound/sms/report`` and ``/reply`` with no user
behind it: it proves itself with the token ``outbound.yaml``'s ``sms.gateway.token_env``
names, the one the hotline sends it (``Authorization: Bearer …``). Both answer 404
``no-sms-gateway`` on a hotline without an HTTP gateway (the simulated one reports on the
engine's clock). What they tell the sender runs on the engine's thread (this loop, after
`runtime.now()` caught the clock up), and the events it publishes are committed to the
log before the platform is answered, so a retried report finds its first one done.

The shift lead and the supervisor read the opt-out list (numbers masked); the supervisor
puts a number on it by hand or takes one off (a customer who asks to be texted again),
each change audited. Every change is kept in ``outbound_sms_opt_outs`` before it counts.
"""

from __future__ import annotations

import hmac
import os
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from hotline.api.auditing import audit
from hotline.api.deps import Runtime, feature_service, require
from hotline.api.errors import (
    ConflictError,
    InvalidRequestError,
    NotAuthenticatedError,
    NotFoundError,
)
from hotline.api.responses import errors
from hotline.api.roles import Role
from hotline.api.users import User
from hotline.core.masking import mask_phone
from hotline.live import LiveHotline
from hotline.outbound.config import GatewayModel
from hotline.outbound.jobs import OutboundFeed
from hotline.outbound.service import OutboundDesk
from hotline.outbound.sms import OptOut, SmsReportError, SmsSender
from hotline.outbound.sms_http import HttpGateway, parse_report

router = APIRouter(tags=["outbound"])

Lead = Annotated[User, Depends(require(Role.SHIFT_LEAD, Role.SUPERVISOR))]
Supervisor = Annotated[User, Depends(require(Role.SUPERVISOR))]
Desk = Annotated[OutboundDesk, Depends(feature_service("outbound", OutboundDesk))]

_SEPARATORS = re.compile(r"[\s()-]+")
_NUMBER = re.compile(r"^\+?[0-9]{5,20}$")
NUMBER_HELP = "a mobile number: digits, optionally +86 first (spaces and hyphens ignored)"


class NoSmsGatewayError(NotFoundError):
    """The hotline sends no SMS through an HTTP platform: nothing reports or replies here."""

    error_id = "no-sms-gateway"


class NoSmsHereError(ConflictError):
    """The site's ``outbound.yaml`` has no ``sms`` (or outbound is not running)."""

    error_id = "no-sms"


class UnknownSmsMessageError(NotFoundError):
    """A delivery report names a message no one waits for."""

    error_id = "no-such-sms-message"


@dataclass(frozen=True)
class SmsLink:
    """The running sender and the feed whose queue it publishes into."""

    feed: OutboundFeed
    sender: SmsSender


def running_sms(runtime: LiveHotline) -> SmsLink | None:
    """The sender of the running outbound feed, or None (no outbound.yaml or no ``sms``)."""
    for job in runtime.jobs:
        if isinstance(job, OutboundFeed) and job.sms is not None:
            return SmsLink(job, job.sms)
    return None


def people_sms(runtime: LiveHotline) -> SmsLink:
    """The running sender; 409 ``no-sms`` without one."""
    found = running_sms(runtime)
    if found is None:
        raise NoSmsHereError(
            "本热线未开通短信：outbound.yaml 没有 sms，或外呼未运行 "
            "(SMS is not set up on this hotline)"
        )
    return found


def platform(request: Request, runtime: Runtime, desk: Desk) -> SmsLink:
    """The sender, for a caller holding the platform's token: 404 ``no-sms-gateway``
    without an HTTP gateway, 401 without the token, with a wrong one, or when the
    variable `token_env` names is not set (no caller can be trusted then)."""
    found = running_sms(runtime)
    sms = desk.config().model.sms if found is not None else None
    if (
        found is None
        or sms is None
        or not isinstance(sms.gateway, GatewayModel)
        or not isinstance(found.sender.gateway, HttpGateway)
    ):
        raise NoSmsGatewayError(
            "本热线没有配置短信平台 (outbound.yaml 的 sms.gateway 不是 HTTP 地址)，"
            "不接收回执和回复 (no HTTP SMS gateway on this hotline)"
        )
    name = sms.gateway.token_env
    expected = os.environ.get(name, "") if name else ""
    challenge = {"WWW-Authenticate": "Bearer"}
    if not expected:
        raise NotAuthenticatedError(
            "短信平台令牌未设置：outbound.yaml 的 sms.gateway.token_env 须指向已设置的环境变量 "
            f"(no platform token: token_env {name!r} is not set)",
            headers=challenge,
        )
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), expected.encode()
    ):
        raise NotAuthenticatedError(
            "短信平台令牌缺失或错误 (a missing or wrong bearer token)", headers=challenge
        )
    return found


Platform = Annotated[SmsLink, Depends(platform)]


def clean_number(raw: str, field: str) -> str:
    """`raw` without spaces and hyphens; 422 naming `field` unless it is a number."""
    number = _SEPARATORS.sub("", raw)
    if not _NUMBER.fullmatch(number):
        raise InvalidRequestError(
            f"{raw!r} 不是手机号码 (not a number: {NUMBER_HELP})", field=field
        )
    return number


async def publish(runtime: LiveHotline, link: SmsLink) -> None:
    """On the engine's thread: publish what the sender has said since the feed's last
    round (the feed would at its next one), and wait until the log has it."""
    while link.feed.published:
        runtime.bus.publish(link.feed.published.popleft())
    await runtime.commit()


def opt_out_view(entry: OptOut) -> dict[str, Any]:
    return {
        "number": mask_phone(entry.number),
        "at": entry.at,
        "source": entry.source,
        "by": entry.by,
    }


# ---- bodies -------------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReplyIn(_Model):
    number: Annotated[str, Field(min_length=1, max_length=40, description=NUMBER_HELP)]
    text: Annotated[str, Field(max_length=1000, description="the customer's reply as sent")]


class OptOutIn(_Model):
    number: Annotated[str, Field(min_length=1, max_length=40, description=NUMBER_HELP)]


class ReportOut(BaseModel):
    message: str
    delivered: bool
    reason: str


class ReplyOut(BaseModel):
    opted_out: bool


class OptOutOut(BaseModel):
    number: str
    at: float
    source: Literal["reply", "manual"]
    by: str


class OptOutListOut(BaseModel):
    total: int
    opt_outs: list[OptOutOut]


class OptOutChangeOut(BaseModel):
    opt_out: OptOutOut
    added: bool


# ---- the platform -------------------------------------------------------------------------


@router.post("/api/outbound/sms/report", response_model=ReportOut, responses=errors(401, 404, 422))
async def delivery_report(
    link: Platform,
    runtime: Runtime,
    body: Annotated[
        dict[str, Any],
        Body(description="the platform's report: id (ours), delivered (true/false), reason?"),
    ],
) -> dict[str, Any]:
    """A delivery report: ``outbound.sms_delivered`` or ``outbound.sms_failed`` in the log.
    422 naming the field (``body.id``, ``body.delivered``, ``body.reason``); 404
    ``no-such-sms-message`` for a message no one waits for (unknown, sent before a restart,
    or reported already)."""
    try:
        message, delivered, reason = parse_report(body)
    except SmsReportError as exc:
        field = str(exc.details.get("field") or "")
        raise InvalidRequestError(
            f"短信回执无法读取 ({exc.message})", field=f"body.{field}" if field else "body"
        ) from None
    runtime.now()  # the engine's clock caught up: the event's time is now
    if not link.sender.report(message, delivered, reason):
        raise UnknownSmsMessageError(
            f"没有等待回执的短信 {message!r}：编号未知、重启前发送或已回执 "
            f"(no message {message!r} waits for a report)"
        )
    await publish(runtime, link)
    return {"message": message, "delivered": delivered, "reason": reason}


@router.post("/api/outbound/sms/reply", response_model=ReplyOut, responses=errors(401, 404, 422))
async def customer_reply(link: Platform, runtime: Runtime, body: ReplyIn) -> dict[str, Any]:
    """A customer's reply: 退订, TD, T, N or 取消 puts the number on the opt-out list (kept,
    and ``outbound.sms_opted_out`` once per number); any other reply changes nothing.
    422 naming ``body.number`` or ``body.text``."""
    number = clean_number(body.number, "body.number")
    runtime.now()
    opted_out = link.sender.reply(number, body.text)
    await publish(runtime, link)
    return {"opted_out": opted_out}


# ---- people -------------------------------------------------------------------------------


@router.get(
    "/api/outbound/sms/opt-outs", response_model=OptOutListOut, responses=errors(401, 409, 422)
)
async def list_opt_outs(
    _: Lead,
    runtime: Runtime,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 500,
) -> dict[str, Any]:
    """The numbers not texted, latest first, masked: since when and how (``reply``: the
    customer's 退订; ``manual``: a supervisor, `by`)."""
    entries = people_sms(runtime).sender.opt_outs.entries()
    return {"total": len(entries), "opt_outs": [opt_out_view(e) for e in entries[:limit]]}


@router.post(
    "/api/outbound/sms/opt-outs",
    response_model=OptOutChangeOut,
    status_code=201,
    responses=errors(401, 409, 422),
)
async def add_opt_out(
    request: Request, response: Response, user: Supervisor, runtime: Runtime, body: OptOutIn
) -> dict[str, Any]:
    """Put a number on the opt-out list by hand (a customer who asked by phone): 201, or
    200 with ``added`` false when it is on the list already. Audited as
    ``outbound.sms_opt_out_added``."""
    number = clean_number(body.number, "body.number")
    opt_outs = people_sms(runtime).sender.opt_outs
    added = opt_outs.add(number, runtime.now(), source="manual", by=user.username)
    entry = opt_outs.get(number)
    assert entry is not None  # added, or there already
    if added:
        await audit(
            request,
            user,
            "outbound.sms_opt_out_added",
            subject_type="sms_number",
            subject_id=mask_phone(entry.number),
            detail={"source": "manual"},
        )
    else:
        response.status_code = 200
    return {"opt_out": opt_out_view(entry), "added": added}


@router.delete(
    "/api/outbound/sms/opt-outs/{number}",
    response_model=OptOutOut,
    responses=errors(401, 404, 409, 422),
)
async def remove_opt_out(
    number: Annotated[str, Path(min_length=1, max_length=40, description=NUMBER_HELP)],
    request: Request,
    user: Supervisor,
    runtime: Runtime,
) -> dict[str, Any]:
    """Take a number off the opt-out list (the customer asks to be texted again): the
    entry it had. 404 when it is not on the list. Audited as
    ``outbound.sms_opt_out_removed``."""
    cleaned = clean_number(number, "path.number")
    opt_outs = people_sms(runtime).sender.opt_outs
    entry = opt_outs.get(cleaned)
    if entry is None or not opt_outs.remove(cleaned):
        raise NotFoundError(f"{number} 不在退订名单上 (not on the opt-out list)")
    await audit(
        request,
        user,
        "outbound.sms_opt_out_removed",
        subject_type="sms_number",
        subject_id=mask_phone(entry.number),
        detail={"source": entry.source, "since": entry.at, "by": entry.by},
    )
    return opt_out_view(entry)
