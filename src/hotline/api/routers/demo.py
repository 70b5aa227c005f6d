"""Health check and the demo's clock speed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from hotline.api.auditing import audit
from hotline.api.deps import Runtime, require
from hotline.api.responses import errors
from hotline.api.roles import Role
from hotline.api.schemas import Health, SpeedOut, SpeedRequest
from hotline.api.users import User

router = APIRouter(prefix="/api", tags=["demo"])


@router.get("/health", response_model=Health)
async def health() -> Health:
    """No login needed: the process is up and serving."""
    return Health()


@router.post("/demo/speed", response_model=SpeedOut, responses=errors(401, 403, 422))
async def set_speed(
    body: SpeedRequest,
    request: Request,
    user: Annotated[User, Depends(require(Role.SUPERVISOR, Role.ADMIN))],
    runtime: Runtime,
) -> SpeedOut:
    """Simulated seconds per wall second when no person is on a call (0 pauses the clock)."""
    runtime.set_speed(body.speed)
    await audit(request, user, "demo.speed", detail={"speed": runtime.base_speed})
    return SpeedOut(speed=runtime.base_speed)
