"""回呼任务 over HTTP: the callback tasks, and the outcome an agent or the lead records.

Who sees what: an agent the tasks of the queues they serve (their skills admit them to
the queue at some stage) and the tasks of no queue; the shift lead and the supervisor
every task. The number to call back is the caller's: masked as `roles.sees_unmasked`
says for a number not on one's own call (in clear for the shift lead only). Recording
an outcome (agent: a task they see; shift lead: any) closes the task through the engine
(`CallbackList.close`, on the engine's thread) — its ``callback.closed`` event names
who — and writes a ``callback.closed`` audit row. Dialling comes with outbound.

A task whose caller left a voicemail (``voicemail.recorded``) carries the message; its
WAV (``<call>-voicemail.wav`` in the recordings folder) is played to whoever sees the
task, and each playback is audited as a call recording's is (``recording.play`` on
the call, once per playback: the request for the file's start).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from hotline.api.auditing import audit
from hotline.api.deps import Runtime, feature_service, require
from hotline.api.errors import ConflictError, ForbiddenError, NotFoundError
from hotline.api.masking import mask_phone
from hotline.api.responses import errors
from hotline.api.roles import Role, sees_unmasked
from hotline.api.users import User
from hotline.callbacks.service import CallbackDesk, visible
from hotline.callbacks.tasks import OUTCOMES, CallbackTaskView, TaskStatus, Voicemail
from hotline.core.ids import AgentId, CallbackId
from hotline.live import LiveHotline
from hotline.routing.errors import RoutingError

router = APIRouter(tags=["callbacks"])

READERS = (Role.AGENT, Role.SHIFT_LEAD, Role.SUPERVISOR)
CLOSERS = frozenset({Role.AGENT, Role.SHIFT_LEAD})
Reader = Annotated[User, Depends(require(*READERS))]
Closer = Annotated[User, Depends(require(*CLOSERS))]
TaskId = Annotated[int, Path(ge=1, le=2**53, description="the task's number")]
Outcome = Literal["done", "no_answer", "wrong_number", "cancelled"]
assert set(OUTCOMES) == {"done", "no_answer", "wrong_number", "cancelled"}

NOT_YOURS = "an agent sees only the callback tasks of the queues they serve"


class OutcomeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: Outcome = Field(
        description="已回电 done, 无人接听 no_answer, 号码错误 wrong_number, 客户取消 cancelled"
    )


class MessageOut(BaseModel):
    seconds: float = Field(description="the message's length")
    ended_by: str = Field(description="terminator (#), silence, max, hangup")
    simulated: bool = Field(description="a simulated caller's message: a length, no audio")
    url: str | None = Field(description="where to play it (audio/wav); null: no audio kept")


class TaskOut(BaseModel):
    id: int = Field(description="the task's number (stable across restarts)")
    task: str = Field(description="the engine's id (cb17)")
    call: str = Field(description="the call it came from")
    caller: str = Field(description="the number to call back, masked unless the role sees it")
    masked: bool
    queue: str | None = Field(description="whose agents call back; null: any agent")
    queue_title: str
    tier: str
    reason: str = Field(description="abandoned, accepted_offer, callback, voicemail")
    created_at: float
    due: float
    status: TaskStatus
    result: str | None = Field(description="reached, or the outcome recorded; null while open")
    closed_at: float | None
    closed_by: str | None
    can_close: bool = Field(description="whether this user may record its outcome now")
    message: MessageOut | None = Field(description="the caller's voicemail; null: none")


class TaskListOut(BaseModel):
    now: float
    counts: dict[str, int] = Field(
        description="tasks open (overdue ones included), overdue, "
        "closed, of the queues this user sees"
    )
    queues: list[str] | None = Field(description="the queues this user sees; null: every queue")
    queue_titles: dict[str, str] = Field(description="every queue's title by its name")
    outcomes: list[str]
    tasks: list[TaskOut]


Desk = Annotated[CallbackDesk, Depends(feature_service("callbacks", CallbackDesk))]


def reader_queues(runtime: LiveHotline, user: User) -> frozenset[str] | None:
    """The queues whose tasks `user` sees: an agent's are the queues their seat serves
    (none without a seat on the roster); None for the lead and the supervisor (all)."""
    if user.role is not Role.AGENT:
        return None
    agent = runtime.acd.agents.get(AgentId(user.agent_id or ""))
    if agent is None:
        return frozenset()
    return frozenset(str(queue.spec.name) for queue, _ in agent.serves)


def _titles(runtime: LiveHotline) -> dict[str, str]:
    return {str(spec.name): spec.title or str(spec.name) for spec in runtime.hotline.queues}


def task_view(
    task: CallbackTaskView, user: User, now: float, titles: dict[str, str]
) -> dict[str, Any]:
    clear = sees_unmasked(user.role, on_the_call=False)
    return {
        "id": task.id,
        "task": task.task,
        "call": task.call,
        "caller": task.caller if clear else mask_phone(task.caller),
        "masked": not clear,
        "queue": task.queue,
        "queue_title": titles.get(task.queue, task.queue) if task.queue else "",
        "tier": task.tier,
        "reason": task.reason,
        "created_at": task.created_at,
        "due": task.due,
        "status": task.status(now),
        "result": task.result,
        "closed_at": task.closed_at,
        "closed_by": task.closed_by,
        "can_close": user.role in CLOSERS and task.pending and task.current,
        "message": None if task.message is None else message_view(task.id, task.message),
    }


def message_view(task_id: int, message: Voicemail) -> dict[str, Any]:
    url = f"/api/callbacks/{task_id}/voicemail" if message.file is not None else None
    return {
        "seconds": message.seconds,
        "ended_by": message.ended_by,
        "simulated": message.simulated,
        "url": url,
    }


@router.get("/api/callbacks", response_model=TaskListOut, responses=errors(401, 403, 422))
async def list_tasks(
    user: Reader,
    runtime: Runtime,
    desk: Desk,
    status: Annotated[
        TaskStatus | None,
        Query(description="open (every pending task), overdue, closed; default open"),
    ] = TaskStatus.OPEN,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> dict[str, Any]:
    """The callback tasks this user sees: pending ones by due time, closed newest first."""
    now = runtime.now()
    queues = reader_queues(runtime, user)
    found = await run_in_threadpool(
        lambda: desk.tasks(now, status=status, queues=queues, limit=limit)
    )
    titles = _titles(runtime)
    return {
        "now": now,
        "counts": found.counts,
        "queues": sorted(queues) if queues is not None else None,
        "queue_titles": titles,
        "outcomes": list(OUTCOMES),
        "tasks": [task_view(t, user, now, titles) for t in found.tasks],
    }


@router.post(
    "/api/callbacks/{task_id}/outcome",
    response_model=TaskOut,
    responses=errors(401, 403, 404, 409, 422),
)
async def record_outcome(
    task_id: TaskId, body: OutcomeIn, request: Request, user: Closer, runtime: Runtime, desk: Desk
) -> dict[str, Any]:
    """Record how the callback went; the task is closed with it (409 once closed)."""
    task = await run_in_threadpool(desk.get, task_id)
    if user.role is Role.AGENT and (
        task is None or not visible(task, reader_queues(runtime, user))
    ):
        raise ForbiddenError(NOT_YOURS)  # an unknown number tells an agent nothing either
    if task is None:
        raise NotFoundError(f"no callback task {task_id}")
    if not task.pending:
        raise ConflictError(
            f"回呼任务 {task_id} 已关闭 (callback task already closed: {task.result})"
        )
    if not task.current:
        raise ConflictError(
            f"回呼任务 {task_id} 来自早先的运行，引擎已不再持有它 "
            "(the engine no longer holds this task of an earlier run)"
        )
    now = runtime.now()
    try:
        runtime.acd.callbacks.close(
            CallbackId(task.task), body.outcome, now=now, by=user.username
        )  # on the engine's thread: the request's own
    except RoutingError as exc:  # closed meanwhile (the caller got through), or not held
        raise ConflictError(f"回呼任务 {task_id} 无法关闭 ({exc})") from None
    await runtime.commit()  # what the person is told is done is in the log
    await audit(
        request,
        user,
        "callback.closed",
        subject_type="callback",
        subject_id=str(task_id),
        detail={"task": task.task, "outcome": body.outcome, "queue": task.queue},
    )
    closed = await run_in_threadpool(desk.get, task_id)
    assert closed is not None
    return task_view(closed, user, runtime.now(), _titles(runtime))


SAFE = re.compile(r"^[A-Za-z0-9_.:-]+$")
PLAY_ACTION = "recording.play"
"""The audit action of a playback, the call recordings' (`hotline.api.routers.calls`)."""


@router.get(
    "/api/callbacks/{task_id}/voicemail",
    response_class=FileResponse,
    responses={200: {"content": {"audio/wav": {}}}, **errors(401, 403, 404, 422)},
)
async def play_voicemail(
    task_id: TaskId, request: Request, user: Reader, runtime: Runtime, desk: Desk
) -> FileResponse:
    """The task's voicemail as ``audio/wav`` (mono, the caller). Whoever sees the task may
    play it; a playback is audited once (the request for the file's start)."""
    task = await run_in_threadpool(desk.get, task_id)
    if user.role is Role.AGENT and (
        task is None or not visible(task, reader_queues(runtime, user))
    ):
        raise ForbiddenError(NOT_YOURS)
    if task is None:
        raise NotFoundError(f"no callback task {task_id}")
    folder = runtime.recordings.folder
    message = task.message
    # the name is the switch's, for this task's call; never a path taken from elsewhere
    expected = f"{task.call}-voicemail.wav"
    if (
        message is None
        or message.file != expected
        or folder is None
        or not SAFE.fullmatch(expected)
    ):
        raise NotFoundError(f"回呼任务 {task_id} 没有留言录音 (no recorded voicemail)")
    path = folder / expected
    if not await run_in_threadpool(path.is_file):
        raise NotFoundError(f"回呼任务 {task_id} 的留言录音已不在 (the voicemail file is gone)")
    if request.headers.get("range", "bytes=0-").replace(" ", "").startswith("bytes=0-"):
        await audit(
            request,
            user,
            PLAY_ACTION,
            subject_type="call",
            subject_id=task.call,
            detail={"name": expected, "callback": task_id, "voicemail": True},
        )
    return FileResponse(
        path, media_type="audio/wav", filename=expected, content_disposition_type="inline"
    )
