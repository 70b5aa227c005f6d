"""外呼 over HTTP: the campaigns with their progress, importing a call list as a new
campaign, starting, pausing and stopping a campaign, a campaign's list, and the choices
the import form offers.

Who does what: the shift lead (值班长) and the supervisor run the campaigns — import,
start, pause, stop — and read their lists (numbers masked); the administrator reads the
campaigns and the choices (counts only, no customer). Every change is audited
(``outbound.*``); the dialer's own events (``outbound.campaign_changed`` naming who) are
in the log as well.

The dialer runs on the engine's thread, which is this loop's: a handler calls it after
`runtime.now()` has caught the engine's clock up; reading and storing the list run in a
worker thread. A site without ``outbound.yaml`` (or a hotline whose dialer is not
running) answers 409 ``no-outbound``, never a 500.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from hotline.api.auditing import audit
from hotline.api.deps import Runtime, feature_service, require
from hotline.api.errors import ConflictError, InvalidRequestError, NotFoundError
from hotline.api.responses import errors
from hotline.api.roles import Role
from hotline.api.users import User
from hotline.live import LiveHotline
from hotline.outbound import words
from hotline.outbound.campaign import CampaignError, CampaignSpec
from hotline.outbound.desk_api import router as desk_router
from hotline.outbound.dialer import Dialer
from hotline.outbound.lists import ListError, parse_list
from hotline.outbound.pacing import PacingName
from hotline.outbound.service import OutboundDesk
from hotline.outbound.sms_api import router as sms_router
from hotline.outbound.views import (
    MAX_MIB,
    MAX_PROBLEMS,
    CampaignListOut,
    CampaignOut,
    EntryListOut,
    ImportOut,
    OptionsOut,
    entry_view,
    problem_view,
)
from hotline.outbound.views import campaign_view as view

router = APIRouter(tags=["outbound"])

RUNNERS = (Role.SHIFT_LEAD, Role.SUPERVISOR)
Runner = Annotated[User, Depends(require(*RUNNERS))]
Reader = Annotated[User, Depends(require(*RUNNERS, Role.ADMIN))]
Desk = Annotated[OutboundDesk, Depends(feature_service("outbound", OutboundDesk))]
CampaignId = Annotated[
    str,
    Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$", description="the campaign"),
]
PACINGS: tuple[PacingName, ...] = ("preview", "progressive", "adaptive", "predictive")
MAX_UPLOAD = MAX_MIB * 1024 * 1024

Action = Literal["start", "pause", "stop"]
ALLOWED: dict[Action, frozenset[str]] = {
    "start": frozenset({"new", "paused", "running"}),
    "pause": frozenset({"running", "paused"}),
    "stop": frozenset({"new", "running", "paused", "stopped"}),
}
"""The states each action may be asked in (asking for the state it is in changes nothing)."""
DONE: dict[Action, str] = {"start": "running", "pause": "paused", "stop": "stopped"}
AUDITED: dict[Action, str] = {
    "start": "outbound.campaign_started",
    "pause": "outbound.campaign_paused",
    "stop": "outbound.campaign_stopped",
}


class NoOutboundHereError(ConflictError):
    """The site has no ``outbound.yaml``, or its dialer is not running."""

    error_id = "no-outbound"


def attached(desk: OutboundDesk) -> Dialer:
    """The running dialer; 409 ``no-outbound`` without one."""
    if desk.dialer is None:
        raise NoOutboundHereError(
            "本热线未开通外呼：站点没有 outbound.yaml，或外呼未运行 "
            "(outbound calling is not running on this hotline)"
        )
    return desk.dialer


def state_word(state: str) -> str:
    return words.ZH.get(f"outbound.state.{state}", state)


def campaign_view(runtime: LiveHotline, dialer: Dialer, spec: CampaignSpec) -> dict[str, Any]:
    """On the engine's thread: one campaign as the API shows it."""
    titles = {str(q.name): q.title or str(q.name) for q in runtime.hotline.queues}
    texts = {name: p.text for name, p in runtime.hotline.prompts().items()}
    return view(dialer, spec, titles, texts)


# ---- routes -----------------------------------------------------------------------------


@router.get(
    "/api/outbound/campaigns", response_model=CampaignListOut, responses=errors(401, 403, 409)
)
async def list_campaigns(_: Reader, runtime: Runtime, desk: Desk) -> dict[str, Any]:
    """Every campaign, in the order the dialer took them, with its progress now."""
    dialer = attached(desk)
    now = runtime.now()  # the engine's clock caught up: progress as of now
    return {
        "now": now,
        "campaigns": [campaign_view(runtime, dialer, spec) for spec in dialer.campaigns()],
    }


@router.get("/api/outbound/options", response_model=OptionsOut, responses=errors(401, 403, 409))
async def options(_: Reader, runtime: Runtime, desk: Desk) -> dict[str, Any]:
    """What a new campaign may name: the queues, the prompts (the hotline's own notices
    first; the dialer's apology is not one) and the pacings with their names in Chinese
    and English."""
    attached(desk)
    config = await run_in_threadpool(desk.config)
    used = {s.queue for s in config.model.sources.values() if s.queue}
    own = [n for n in runtime.hotline.model.prompts if n != config.model.defaults.drop_prompt]
    prompts = runtime.hotline.prompts()
    ordered = [*own, *(name for name in prompts if name not in own)]
    return {
        "queues": [
            {"name": str(q.name), "title": q.title or str(q.name), "outbound": q.name in used}
            for q in runtime.hotline.queues
        ],
        "prompts": [
            {"name": name, "text": prompts[name].text, "notice": name in own} for name in ordered
        ],
        "pacings": [
            {
                "name": name,
                "zh": words.ZH[f"outbound.pacing.{name}"],
                "en": words.EN[f"outbound.pacing.{name}"],
            }
            for name in PACINGS
        ],
        "pacing": config.model.defaults.pacing,
    }


def _target(
    runtime: LiveHotline, queue: str | None, prompt: str | None
) -> tuple[str | None, str | None]:
    """The campaign's queue or prompt, checked; 422 naming the field."""
    queue, prompt = (queue or "").strip() or None, (prompt or "").strip() or None
    if (queue is None) == (prompt is None):
        raise InvalidRequestError(
            "请选择接通后转坐席队列或自动语音通知，二者选一 (either a queue or a prompt)",
            field="body.queue",
        )
    if queue is not None and queue not in {str(q.name) for q in runtime.hotline.queues}:
        raise InvalidRequestError(f"没有队列 {queue!r} (no such queue)", field="body.queue")
    if prompt is not None and prompt not in runtime.hotline.prompts():
        raise InvalidRequestError(f"没有语音提示 {prompt!r} (no such prompt)", field="body.prompt")
    return queue, prompt


@router.post(
    "/api/outbound/campaigns",
    status_code=201,
    response_model=ImportOut,
    responses=errors(401, 403, 409, 422),
)
async def import_campaign(
    request: Request,
    user: Runner,
    runtime: Runtime,
    desk: Desk,
    file: Annotated[UploadFile, File(description="the list: CSV (UTF-8 or GBK) or XLSX")],
    name: Annotated[str, Form(min_length=1, max_length=64, description="the campaign's name")],
    queue: Annotated[str | None, Form(max_length=64, description="to this queue's agents")] = None,
    prompt: Annotated[str | None, Form(max_length=64, description="or play this notice")] = None,
    pacing: Annotated[
        PacingName | None, Form(description="preview, progressive, adaptive, predictive")
    ] = None,
) -> dict[str, Any]:
    """A new campaign (not started) of an imported call list: good rows kept once per
    number, each refused row reported (file, row, column, reason). 422 naming the field
    for a file that cannot be read, a list without a callable row, or an unknown queue
    or prompt; then nothing is stored."""
    dialer = attached(desk)
    title = name.strip()
    if not title:
        raise InvalidRequestError("任务名称不能为空 (the name is blank)", field="body.name")
    queue, prompt = _target(runtime, queue, prompt)
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise InvalidRequestError(
            f"名单文件超过 {MAX_MIB} MiB，请拆成几个文件 (the file is too large)",
            field="body.file",
        )
    filename = (file.filename or "upload.csv")[-200:]
    try:
        report = await run_in_threadpool(parse_list, data, filename)
    except ListError as exc:
        raise InvalidRequestError(exc.message, field="body.file") from None
    if not report.rows:
        raise InvalidRequestError(
            f"{filename}: 没有可拨打的号码，{report.skipped_rows} 行有误 (no callable rows): "
            + "; ".join(str(p) for p in report.problems[:5]),
            field="body.file",
        )
    config = await run_in_threadpool(desk.config)
    chosen: PacingName = pacing or config.model.defaults.pacing
    now = runtime.now()
    known_queues = [str(q.name) for q in runtime.hotline.queues]
    known_prompts = list(runtime.hotline.prompts())
    spec, entries = await run_in_threadpool(
        lambda: desk.new_campaign(
            title,
            queue=queue,
            prompt=prompt,
            pacing=chosen,
            rows=report.rows,
            by=user.username,
            at=now,
            known_queues=known_queues,
            known_prompts=known_prompts,
        )
    )
    runtime.now()  # back on the engine's thread: its clock caught up before the dialer
    dialer.add(spec, entries)
    await audit(
        request,
        user,
        "outbound.campaign_created",
        subject_type="outbound_campaign",
        subject_id=spec.id,
        detail={
            "name": spec.name,
            "file": filename,
            "accepted": len(entries),
            "skipped_rows": report.skipped_rows,
            "duplicates": report.duplicates,
            "queue": queue,
            "prompt": prompt,
            "pacing": chosen,
        },
    )
    return {
        "campaign": campaign_view(runtime, dialer, spec),
        "file": filename,
        "accepted": len(entries),
        "skipped_rows": report.skipped_rows,
        "duplicates": report.duplicates,
        "problems": [problem_view(p) for p in report.problems[:MAX_PROBLEMS]],
    }


def _spec(dialer: Dialer, campaign_id: str) -> CampaignSpec:
    for spec in dialer.campaigns():
        if spec.id == campaign_id:
            return spec
    raise NotFoundError(f"没有外呼任务 {campaign_id!r} (no such campaign)")


async def _change(
    action: Action,
    campaign_id: str,
    request: Request,
    user: User,
    runtime: LiveHotline,
    desk: OutboundDesk,
) -> dict[str, Any]:
    dialer = attached(desk)
    runtime.now()
    spec = _spec(dialer, campaign_id)
    was = dialer.state(campaign_id)
    if action == "stop" and spec.standing:
        raise ConflictError(
            f"「{spec.name}」是常设任务，由热线自己的名单持续补充，只能暂停，不能停止 "
            "(a standing campaign can be paused, not stopped)"
        )
    if was not in ALLOWED[action]:
        verb = words.ZH[f"outbound.{action}"]
        raise ConflictError(
            f"「{spec.name}」{state_word(was)}，不能{verb} (a {was} campaign cannot {action})"
        )
    try:
        if action == "start":
            dialer.start(campaign_id, by=user.username)
        elif action == "pause":
            dialer.pause(campaign_id, by=user.username)
        else:
            dialer.stop(campaign_id, by=user.username)
    except CampaignError as exc:  # the dialer's own refusal (a stopped campaign's start)
        raise ConflictError(
            f"「{spec.name}」不能{words.ZH[f'outbound.{action}']} ({exc})"
        ) from None
    if was != DONE[action]:
        await runtime.commit()  # what the person is told is done is in the log
        await audit(
            request,
            user,
            AUDITED[action],
            subject_type="outbound_campaign",
            subject_id=campaign_id,
            detail={"name": spec.name, "from": was},
        )
    runtime.now()
    return campaign_view(runtime, dialer, spec)


CHANGED = errors(401, 403, 404, 409, 422)


@router.post(
    "/api/outbound/campaigns/{campaign_id}/start", response_model=CampaignOut, responses=CHANGED
)
async def start(
    campaign_id: CampaignId, request: Request, user: Runner, runtime: Runtime, desk: Desk
) -> dict[str, Any]:
    """开始: dial the campaign (a new or paused one); 409 once stopped or finished."""
    return await _change("start", campaign_id, request, user, runtime, desk)


@router.post(
    "/api/outbound/campaigns/{campaign_id}/pause", response_model=CampaignOut, responses=CHANGED
)
async def pause(
    campaign_id: CampaignId, request: Request, user: Runner, runtime: Runtime, desk: Desk
) -> dict[str, Any]:
    """暂停: no new calls; the ringing ones are cancelled (not counted as tries), the
    answered ones go on. 409 unless running (or paused already)."""
    return await _change("pause", campaign_id, request, user, runtime, desk)


@router.post(
    "/api/outbound/campaigns/{campaign_id}/stop", response_model=CampaignOut, responses=CHANGED
)
async def stop(
    campaign_id: CampaignId, request: Request, user: Runner, runtime: Runtime, desk: Desk
) -> dict[str, Any]:
    """停止: end the campaign for good (it cannot start again); the customers not called
    stay so. 409 for a finished or a standing campaign (pause that one)."""
    return await _change("stop", campaign_id, request, user, runtime, desk)


@router.get(
    "/api/outbound/campaigns/{campaign_id}/entries",
    response_model=EntryListOut,
    responses=errors(401, 403, 404, 409, 422),
)
async def list_entries(
    campaign_id: CampaignId,
    _: Runner,
    runtime: Runtime,
    desk: Desk,
    state: Annotated[
        Literal["pending", "held", "dialing", "closed"] | None,
        Query(description="pending, held, dialing or closed; default every entry"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> dict[str, Any]:
    """A campaign's list in list order, numbers masked: where each customer is, how many
    tries, the last result and the next call."""
    dialer = attached(desk)
    runtime.now()
    _spec(dialer, campaign_id)
    found = [e for e in dialer.entries(campaign_id) if state is None or e.state.value == state]
    return {
        "campaign": campaign_id,
        "total": len(found),
        "entries": [entry_view(e) for e in found[:limit]],
    }


router.include_router(desk_router)


router.include_router(sms_router)
