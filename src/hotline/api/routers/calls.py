"""Calls (通话记录): one row per call; an agent sees only their own calls.

Callers' numbers are masked except for the shift lead and for the agent on
that very call while it lasts (the same rule as for customers).

Recordings (录音): each conversation of a call is one two-channel WAV
(`hotline.live.recordings`). The supervisor, QA and the shift lead list and
play any call's; an agent only those of calls they took (the call's agent, or
an agent recorded on it); anyone else gets 403. Every listing and every
playback writes one row to the audit log (``recording.list``,
``recording.play``), as customer reads do.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from hotline.api.deps import CurrentUser, Runtime, client_of
from hotline.api.errors import ForbiddenError, NotFoundError
from hotline.api.masking import mask_numbers, plain
from hotline.api.responses import errors
from hotline.api.roles import Role, sees_unmasked
from hotline.api.schemas import AgentIdStr, CallOut
from hotline.api.users import User
from hotline.live import LiveHotline, Recording

router = APIRouter(prefix="/api/calls", tags=["calls"])

CallPath = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
RecordingName = Annotated[
    str, Path(min_length=5, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+\.wav$")
]

LISTENERS = frozenset({Role.SUPERVISOR, Role.QA, Role.SHIFT_LEAD})
"""Roles that hear any call's recordings (agents: only calls they took)."""
LIST_ACTION = "recording.list"
PLAY_ACTION = "recording.play"


class RecordingOut(BaseModel):
    name: str
    agent: str
    seconds: float | None
    size: int


def _current_call(runtime: LiveHotline, user: User) -> str | None:
    if user.role is not Role.AGENT or user.agent_id is None:
        return None
    call = runtime.desks.current(user.agent_id)
    return str(call.id) if call is not None else None


def call_view(row: dict[str, Any], user: User, current: str | None) -> dict[str, Any]:
    on_the_call = current is not None and row.get("call") == current
    return dict(row) if sees_unmasked(user.role, on_the_call=on_the_call) else mask_numbers(row)


@router.get("", response_model=list[CallOut], responses=errors(401, 403, 422))
async def list_calls(
    user: CurrentUser,
    runtime: Runtime,
    agent: Annotated[AgentIdStr | None, Query(description="only this agent's calls")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    """The latest calls, newest first; agents get their own (asking for another's is 403)."""
    if user.role is Role.AGENT:
        if agent is not None and agent != user.agent_id:
            raise ForbiddenError("an agent may read only their own calls")
        agent = user.agent_id
        if agent is None:
            raise ForbiddenError("this user has no agent seat")
    records = await run_in_threadpool(runtime.services.calls.list, agent=agent, limit=limit)
    rows = [plain(record) for record in records]
    current = _current_call(runtime, user)
    return [call_view(row, user, current) for row in rows]


@router.get("/{call_id}", response_model=CallOut, responses=errors(401, 403, 404, 422))
async def get_call(call_id: CallPath, user: CurrentUser, runtime: Runtime) -> dict[str, Any]:
    record = await run_in_threadpool(runtime.services.calls.get, call_id)
    row = None if record is None else plain(record)
    if row is None:
        if user.role is Role.AGENT:
            raise ForbiddenError("an agent may read only their own calls")
        raise NotFoundError(f"no call {call_id!r}")
    if user.role is Role.AGENT and row.get("agent") != user.agent_id:
        raise ForbiddenError("an agent may read only their own calls")
    return call_view(row, user, _current_call(runtime, user))


# ---- recordings -----------------------------------------------------------------------------


def _recordings(runtime: LiveHotline, user: User, call: str) -> list[Recording]:
    """The call's recordings if `user` may hear them (blocking: run off the loop); raises
    `ForbiddenError` or `NotFoundError`."""
    if user.role not in LISTENERS and user.role is not Role.AGENT:
        raise ForbiddenError(f"role {user.role.value!r} may not hear recordings")
    record = runtime.services.calls.get(call)
    found = runtime.recordings.of_call(call)
    if user.role is Role.AGENT:
        took = record is not None and record.agent == user.agent_id
        if user.agent_id is None or not (took or any(r.agent == user.agent_id for r in found)):
            raise ForbiddenError("an agent may hear only the recordings of calls they took")
    elif record is None and not found:
        raise NotFoundError(f"no call {call!r}")
    return found


def _audit(
    runtime: LiveHotline, user: User, action: str, call: str, detail: Any, client: str
) -> None:
    runtime.services.audit.record(
        username=user.username,
        role=user.role.value,
        action=action,
        subject_type="call",
        subject_id=call,
        detail=detail,
        client=client,
    )


def _listed(runtime: LiveHotline, user: User, call: str, client: str) -> list[Recording]:
    found = _recordings(runtime, user, call)
    _audit(runtime, user, LIST_ACTION, call, {"count": len(found)}, client)
    return found


def _played(
    runtime: LiveHotline, user: User, call: str, name: str, client: str, *, audit: bool
) -> Recording:
    found = next((r for r in _recordings(runtime, user, call) if r.name == name), None)
    if found is None:
        raise NotFoundError(f"call {call!r} has no recording {name!r}")
    if audit:
        _audit(runtime, user, PLAY_ACTION, call, {"name": name, "agent": found.agent}, client)
    return found


@router.get(
    "/{call_id}/recordings",
    response_model=list[RecordingOut],
    responses=errors(401, 403, 404, 422),
)
async def list_recordings(
    call_id: CallPath, request: Request, user: CurrentUser, runtime: Runtime
) -> list[dict[str, Any]]:
    """The call's recordings (录音), one per conversation: the file's name, the agent, its
    length and size. Supervisor, QA, shift lead: any call; an agent: calls they took."""
    found = await run_in_threadpool(_listed, runtime, user, call_id, client_of(request))
    return [{"name": r.name, "agent": r.agent, "seconds": r.seconds, "size": r.size} for r in found]


@router.get(
    "/{call_id}/recordings/{name}",
    response_class=FileResponse,
    responses={200: {"content": {"audio/wav": {}}}, **errors(401, 403, 404, 422)},
)
async def play_recording(
    call_id: CallPath, name: RecordingName, request: Request, user: CurrentUser, runtime: Runtime
) -> FileResponse:
    """One recording as ``audio/wav`` (two channels: left the caller, right the agent).
    A playback is audited once: the request for the file's start (not each later range)."""
    first = request.headers.get("range", "bytes=0-").replace(" ", "").startswith("bytes=0-")
    found = await run_in_threadpool(
        _played, runtime, user, call_id, name, client_of(request), audit=first
    )
    return FileResponse(
        found.path, media_type="audio/wav", filename=found.name, content_disposition_type="inline"
    )
