"""The stored event log, read in id order (for reports, catching up after a reconnect)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from hotline.api.deps import CurrentUser, Runtime
from hotline.api.errors import ForbiddenError
from hotline.api.masking import mask_numbers
from hotline.api.responses import errors
from hotline.api.roles import Role, sees_unmasked
from hotline.api.schemas import EventOut
from hotline.live import LiveHotline

router = APIRouter(prefix="/api/events", tags=["events"])

KIND_PATTERN = r"^[a-z_]+\.[a-z_]+$"


def _read(
    runtime: LiveHotline, since_id: int, kind: str | None, agent: str | None, limit: int
) -> list[dict[str, Any]]:
    stored = runtime.log.read(
        since_id=since_id, kinds=[kind] if kind else None, agent=agent, limit=limit
    )
    return [{**item.event.to_record(), "id": item.id} for item in stored]


@router.get("", response_model=list[EventOut], responses=errors(401, 403, 422))
async def list_events(
    user: CurrentUser,
    runtime: Runtime,
    since_id: Annotated[int, Query(ge=0, le=2**62, description="events after this id")] = 0,
    kind: Annotated[
        str | None, Query(max_length=64, pattern=KIND_PATTERN, description="e.g. call.ended")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    """Events after `since_id`, oldest first; an agent gets only the events naming their seat."""
    agent = None
    if user.role is Role.AGENT:
        if user.agent_id is None:
            raise ForbiddenError("this user has no agent seat")
        agent = user.agent_id
    records = await run_in_threadpool(_read, runtime, since_id, kind, agent, limit)
    if sees_unmasked(user.role, on_the_call=False):
        return records
    return [mask_numbers(record) for record in records]
