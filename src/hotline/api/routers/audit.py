"""The audit log (审计日志): who read which customer, who logged in, who changed what."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from starlette.concurrency import run_in_threadpool

from hotline.api.deps import Runtime, require
from hotline.api.masking import plain
from hotline.api.responses import errors
from hotline.api.roles import AUDITORS
from hotline.api.schemas import AuditOut
from hotline.api.users import User

router = APIRouter(prefix="/api/audit", tags=["audit"])


@router.get("", response_model=list[AuditOut], responses=errors(401, 403, 422))
async def list_audit(
    _: Annotated[User, Depends(require(*AUDITORS))],
    runtime: Runtime,
    username: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    action: Annotated[
        str | None, Query(min_length=1, max_length=64, pattern=r"^[a-z_]+\.[a-z_]+$")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    """The latest audit rows, newest first (admin and supervisor)."""
    entries = await run_in_threadpool(
        runtime.services.audit.list, username=username, action=action, limit=limit
    )
    return [plain(entry) for entry in entries]
