"""The wallboard (实时监控) and the hotline's queues and skills."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Depends

from hotline.api.deps import CurrentUser, Runtime, require
from hotline.api.responses import errors
from hotline.api.roles import WATCHERS
from hotline.api.schemas import BoardOut, NamedTitle, QueueOut
from hotline.api.users import User

router = APIRouter(prefix="/api", tags=["wallboard"])

Watcher = Annotated[User, Depends(require(*WATCHERS))]


@router.get("/board", response_model=BoardOut, responses=errors(401, 403))
async def board(_: Watcher, runtime: Runtime) -> dict[str, Any]:
    """Today's figures per queue and in total, the agents' states, calls per half hour, alerts."""
    return dataclasses.asdict(runtime.board())


@router.get("/queues", response_model=list[QueueOut], responses=errors(401))
async def queues(_: CurrentUser, runtime: Runtime) -> list[QueueOut]:
    """The queues as configured (every role: agents pick transfer targets here)."""
    return [
        QueueOut(
            name=q.name,
            title=q.title or q.name,
            skill=q.skill,
            strategy=q.strategy,
            ring_timeout=q.ring_timeout,
            wrap_up=q.wrap_up,
            max_wait=q.max_wait,
            service_level_target=q.service_level_target,
            service_level_goal=q.service_level_goal,
        )
        for q in runtime.hotline.queues
    ]


@router.get("/skills", response_model=list[NamedTitle], responses=errors(401))
async def skills(_: CurrentUser, runtime: Runtime) -> list[NamedTitle]:
    return [
        NamedTitle(name=name, title=skill.title or name)
        for name, skill in runtime.hotline.model.skills.items()
    ]
