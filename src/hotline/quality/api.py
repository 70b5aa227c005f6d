"""录音质检 over HTTP: forms, evaluations of calls, scores and disputes.

Who does what: the QA inspector (质检员), the shift lead, the supervisor and the
administrator open evaluations of answered calls and score them on the site's forms
(``qa.yaml``); an agent reads only their own evaluations and may dispute a score once.
Every change is audited (``qa.*``); scoring and disputing are events in the log as well
(`hotline.quality.events`), so 监听分值 comes from them. Evaluations carry the call's id
and the agent, no customer data.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from hotline.api.auditing import audit
from hotline.api.deps import Runtime, require
from hotline.api.errors import ForbiddenError, InvalidRequestError
from hotline.api.responses import errors
from hotline.api.roles import Role
from hotline.api.users import User
from hotline.live import LiveHotline
from hotline.quality.forms import AnswerError, normal_answer
from hotline.quality.service import STATUSES, Evaluation, QualityDesk, form_json

router = APIRouter(tags=["qa"])

SCORERS = (Role.QA, Role.SHIFT_LEAD, Role.SUPERVISOR, Role.ADMIN)
Scorer = Annotated[User, Depends(require(*SCORERS))]
Reader = Annotated[User, Depends(require(*SCORERS, Role.AGENT))]
Agent = Annotated[User, Depends(require(Role.AGENT))]
EvaluationId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the evaluation's number")]


def quality_desk(request: Request) -> QualityDesk:
    runtime: LiveHotline = request.app.state.runtime
    desk = runtime.services.feature("qa", QualityDesk)
    assert desk is not None  # every site has one
    return desk


Desk = Annotated[QualityDesk, Depends(quality_desk)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OpenIn(_In):
    call: str = Field(min_length=1, max_length=64, description="the call to evaluate")
    form: str | None = Field(default=None, max_length=64, description="default: the first form")


class ScoreIn(_In):
    answers: dict[str, bool | int | str] = Field(
        description="question id → yes / no / na, or a scale step (1 … N)"
    )
    comment: str = Field(default="", max_length=2000, description="the inspector's remarks")


class DisputeIn(_In):
    reason: str = Field(min_length=2, max_length=2000, description="why the score is wrong")


def evaluation_json(e: Evaluation) -> dict[str, Any]:
    return {
        "id": e.id,
        "call": e.call,
        "agent": e.agent,
        "form": e.form,
        "version": e.version,
        "status": e.status,
        "answers": e.answers,
        "score": e.score,
        "result": e.result,
        "comment": e.comment,
        "created_at": e.created_at,
        "created_by": e.created_by,
        "scored_at": e.scored_at,
        "scored_by": e.scored_by,
        "dispute": e.dispute,
        "disputed_at": e.disputed_at,
    }


def _own(user: User, evaluation: Evaluation) -> None:
    """An agent reads and disputes only their own evaluations."""
    if user.role == Role.AGENT and evaluation.agent != user.agent_id:
        raise ForbiddenError("an agent sees only their own evaluations")


@router.get("/api/qa/forms", responses=errors(401, 403, 409))
async def forms(_: Reader, desk: Desk) -> dict[str, Any]:
    """The newest version of each evaluation form (质检评分表)."""
    current = await run_in_threadpool(lambda: desk.forms().current())
    return {"forms": [form_json(f) for f in current]}


@router.post("/api/qa/evaluations", status_code=201, responses=errors(401, 403, 404, 409, 422))
async def open_evaluation(
    body: OpenIn, request: Request, user: Scorer, runtime: Runtime, desk: Desk
) -> dict[str, Any]:
    """Open an evaluation of an answered call on a form (the agent who answered it is
    the one evaluated); 409 when the call was not answered or already has one."""
    await runtime.commit()
    evaluation = await run_in_threadpool(
        lambda: desk.open(body.call, body.form, by=user.username, at=runtime.now())
    )
    await audit(
        request,
        user,
        "qa.evaluation_opened",
        subject_type="call",
        subject_id=body.call,
        detail={"evaluation": evaluation.id, "form": evaluation.form},
    )
    return evaluation_json(evaluation)


@router.get("/api/qa/evaluations", responses=errors(401, 403, 422))
async def list_evaluations(
    user: Reader,
    desk: Desk,
    status: Annotated[str | None, Query(pattern="^(open|scored|disputed)$")] = None,
    agent: Annotated[str | None, Query(max_length=64)] = None,
) -> dict[str, Any]:
    """Evaluations, newest first (an agent: their own only)."""
    if user.role == Role.AGENT:
        agent = user.agent_id or "-"
    statuses = (status,) if status else STATUSES
    found = await run_in_threadpool(lambda: desk.store.list(agent=agent, statuses=statuses))
    return {"evaluations": [evaluation_json(e) for e in found]}


@router.get("/api/qa/evaluations/{evaluation_id}", responses=errors(401, 403, 404))
async def get_evaluation(evaluation_id: EvaluationId, user: Reader, desk: Desk) -> dict[str, Any]:
    """One evaluation with the form version it is scored on."""
    evaluation = await run_in_threadpool(desk.store.get, evaluation_id)
    _own(user, evaluation)
    form = await run_in_threadpool(desk.form, evaluation.form, evaluation.version)
    return {**evaluation_json(evaluation), "form_body": form_json(form)}


@router.post("/api/qa/evaluations/{evaluation_id}/score", responses=errors(401, 403, 404, 409, 422))
async def score(
    evaluation_id: EvaluationId,
    body: ScoreIn,
    request: Request,
    user: Scorer,
    runtime: Runtime,
    desk: Desk,
) -> dict[str, Any]:
    """Score an open evaluation: every question that applies answered; 422 naming the
    question an answer does not fit; the score is an event (``qa.evaluation_scored``)."""
    answers = {k: normal_answer(v) for k, v in body.answers.items()}
    try:
        saved = await run_in_threadpool(
            lambda: desk.score(
                evaluation_id, answers, body.comment, by=user.username, at=runtime.now()
            )
        )
    except AnswerError as exc:
        field = f"body.answers.{exc.details.get('question', '')}".rstrip(".")
        raise InvalidRequestError(exc.message, field=field) from None
    runtime.publish_stored(saved.events)
    await audit(
        request,
        user,
        "qa.evaluation_scored",
        subject_type="qa",
        subject_id=str(evaluation_id),
        detail={"score": saved.record.score},
    )
    return evaluation_json(saved.record)


@router.post(
    "/api/qa/evaluations/{evaluation_id}/dispute", responses=errors(401, 403, 404, 409, 422)
)
async def dispute(
    evaluation_id: EvaluationId,
    body: DisputeIn,
    request: Request,
    user: Agent,
    runtime: Runtime,
    desk: Desk,
) -> dict[str, Any]:
    """申诉: the agent disputes the score of one of their scored evaluations (once)."""
    evaluation = await run_in_threadpool(desk.store.get, evaluation_id)
    _own(user, evaluation)
    saved = await run_in_threadpool(
        lambda: desk.dispute(evaluation_id, body.reason, at=runtime.now())
    )
    runtime.publish_stored(saved.events)
    await audit(
        request, user, "qa.evaluation_disputed", subject_type="qa", subject_id=str(evaluation_id)
    )
    return evaluation_json(saved.record)
