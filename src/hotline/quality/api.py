"""录音质检 over HTTP: forms, the day's sample and each inspector's queue, evaluations of
calls, scores, disputes and their review, calibration, the case library, the speech
analysis of a call's recordings, and the QA report.

Who does what: the QA inspector (质检员), the shift lead, the supervisor and the
administrator open evaluations of answered calls and score them on the site's forms
(``qa.yaml``); an agent reads only their own evaluations and may dispute a score once.
Every change is audited (``qa.*``); scoring and disputing are events in the log as well
(`hotline.quality.events`), so 监听分值 comes from them. Evaluations carry the call's id
and the agent, no customer data.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from hotline.api.auditing import audit
from hotline.api.deps import Runtime, client_of, feature_service, require
from hotline.api.errors import ForbiddenError, InvalidRequestError, NotFoundError
from hotline.api.responses import errors
from hotline.api.roles import Role
from hotline.api.users import User
from hotline.quality.forms import Answer, AnswerError, normal_answer
from hotline.quality.service import (
    STATUSES,
    Calibration,
    Case,
    Evaluation,
    NotYourTeamError,
    QualityDesk,
    form_json,
)
from hotline.quality.speech import SpeechError, Waveform, envelope

router = APIRouter(tags=["qa"])

SCORERS = (Role.QA, Role.SHIFT_LEAD, Role.SUPERVISOR, Role.ADMIN)
MANAGERS = (Role.QA, Role.SUPERVISOR, Role.ADMIN)
Scorer = Annotated[User, Depends(require(*SCORERS))]
Manager = Annotated[User, Depends(require(*MANAGERS))]
Reader = Annotated[User, Depends(require(*SCORERS, Role.AGENT))]
Agent = Annotated[User, Depends(require(Role.AGENT))]
EvaluationId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the evaluation's number")]
CalibrationId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the session's number")]
CaseId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the case's number")]
Day = Annotated[str, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")]
T = TypeVar("T")
WAVE_POINTS = 1200
"""Points of the scoring page's waveform per channel."""


Desk = Annotated[QualityDesk, Depends(feature_service("qa", QualityDesk))]


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


class ReviewIn(_In):
    verdict: Literal["upheld", "overturned"] = Field(
        description="upheld: the score stands; overturned: re-scored with `answers`"
    )
    note: str = Field(min_length=2, max_length=2000, description="the reviewer's reasons")
    answers: dict[str, bool | int | str] | None = Field(
        default=None, description="with overturned: every question that applies, re-answered"
    )


class SampleIn(_In):
    day: str | None = Field(
        default=None,
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        description="the day whose answered calls are sampled (default: yesterday)",
    )


class CalibrateIn(_In):
    call: str = Field(min_length=1, max_length=64, description="the call every inspector scores")
    form: str | None = Field(default=None, max_length=64, description="default: the first form")
    inspectors: list[str] = Field(min_length=2, max_length=20, description="usernames")


class CaseIn(_In):
    evaluation: int = Field(ge=1, le=2**31 - 1, description="a scored evaluation")
    verdict: Literal["good", "bad"] = Field(description="good: 优秀案例; bad: 警示案例")
    title: str = Field(min_length=2, max_length=200)
    comment: str = Field(default="", max_length=2000, description="what to learn from it")
    topic: str | None = Field(
        default=None, max_length=64, description="the knowledge-base article it illustrates"
    )
    teams: list[str] = Field(
        default_factory=list, max_length=50, description="teams it is shared with (none: all)"
    )


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
        "inspector": e.inspector,
        "reasons": list(e.reasons),
        "sample_day": e.sample_day,
        "queue": e.queue,
        "team": e.team,
        "calibration": e.calibration,
        "review": None
        if e.review_verdict is None
        else {
            "verdict": e.review_verdict,
            "note": e.review_note,
            "by": e.reviewed_by,
            "at": e.reviewed_at,
            "score_before": e.score_before,
        },
    }


def case_json(c: Case) -> dict[str, Any]:
    return dataclasses.asdict(c)  # the record's fields as they are (tuples as JSON lists)


def calibration_json(c: Calibration) -> dict[str, Any]:
    return dataclasses.asdict(c)


async def _team_rule(user: User, desk: QualityDesk) -> str | None:
    """The team a team lead is held to (their own 工号's team), else None."""
    if user.role is not Role.SHIFT_LEAD or not user.agent_id:
        return None
    return await run_in_threadpool(desk.team_of, user.agent_id)


async def _as_user(call: Callable[[], T]) -> T:
    """Run a desk call off the loop; another team's call is the user's 403."""
    try:
        return await run_in_threadpool(call)
    except NotYourTeamError as exc:
        raise ForbiddenError(exc.message) from None


def _answers(raw: dict[str, bool | int | str]) -> dict[str, Answer]:
    return {k: normal_answer(v) for k, v in raw.items()}


def _answer_error(exc: AnswerError) -> InvalidRequestError:
    field = f"body.answers.{exc.details.get('question', '')}".rstrip(".")
    return InvalidRequestError(exc.message, field=field)


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
    own_team = await _team_rule(user, desk)
    evaluation = await _as_user(
        lambda: desk.open(
            body.call, body.form, by=user.username, at=runtime.now(), own_team=own_team
        )
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
    status: Annotated[str | None, Query(pattern="^(open|scored|disputed|reviewed)$")] = None,
    agent: Annotated[str | None, Query(max_length=64)] = None,
    queue: Annotated[
        Literal["mine", "unassigned"] | None,
        Query(description="mine: dealt to me; unassigned: open to claim"),
    ] = None,
    day: Day | None = None,
) -> dict[str, Any]:
    """Evaluations, newest first (an agent: their own only; a team lead: their team's)."""
    team = await _team_rule(user, desk)
    if user.role == Role.AGENT:
        agent, team = user.agent_id or "-", None
    statuses = (status,) if status else STATUSES
    found = await run_in_threadpool(
        lambda: desk.store.list(
            agent=agent,
            statuses=statuses,
            inspector=user.username if queue == "mine" else None,
            unassigned=queue == "unassigned",
            day=day,
            team=team,
        )
    )
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
    answers = _answers(body.answers)
    own_team = await _team_rule(user, desk)
    try:
        saved = await _as_user(
            lambda: desk.score(
                evaluation_id,
                answers,
                body.comment,
                by=user.username,
                at=runtime.now(),
                own_team=own_team,
            )
        )
    except AnswerError as exc:
        raise _answer_error(exc) from None
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


@router.get("/api/qa/evaluations/{evaluation_id}/analysis", responses=errors(401, 403, 404))
async def analysis(
    evaluation_id: EvaluationId, request: Request, user: Reader, runtime: Runtime, desk: Desk
) -> dict[str, Any]:
    """What the scoring page plays and shows: the call's recordings (their audited
    address), the waveform of the evaluated agent's recording (客户 and 坐席 peaks, 0…1),
    the speech analysis with its marked moments and flags, the transcript (personal
    numbers redacted) with the phrase rules' hits, and the answers they suggest."""
    evaluation = await run_in_threadpool(desk.store.get, evaluation_id)
    _own(user, evaluation)
    call = evaluation.call

    def gather() -> dict[str, Any]:
        found = runtime.recordings.of_call(call)
        runtime.services.audit.record(
            username=user.username,
            role=user.role.value,
            action="recording.list",
            subject_type="call",
            subject_id=call,
            detail={"count": len(found), "evaluation": evaluation_id},
            client=client_of(request),
        )
        view = desk.analysis_view(call, evaluation.agent)
        ordered = sorted(found, key=lambda r: r.agent != evaluation.agent)
        wave = None
        if ordered:
            try:
                wave = waveform(envelope(ordered[0].path, WAVE_POINTS))
            except SpeechError as exc:
                view["error"] = view["error"] or exc.message
        recordings = [
            {
                "name": r.name,
                "agent": r.agent,
                "seconds": r.seconds,
                "url": f"/api/calls/{quote(call, safe='')}/recordings/{quote(r.name, safe='')}",
            }
            for r in ordered
        ]
        return {"recordings": recordings, "envelope": wave, **view}

    return await run_in_threadpool(gather)


def waveform(wave: Waveform) -> dict[str, Any]:
    """Peaks per point (0…1, scaled to the loudest) for 客户 (left) and 坐席 (right; a mono
    recording is the agent's)."""
    peaks = [
        [max(-lo, hi) for lo, hi in zip(ch["min"], ch["max"], strict=True)]
        for ch in wave["channels"]
    ]
    top = max((max(p, default=0.0) for p in peaks), default=0.0) or 1.0
    scaled = [[round(v / top, 3) for v in p] for p in peaks]
    caller, agent = (scaled[0], scaled[1]) if len(scaled) == 2 else ([], scaled[0])
    return {"seconds": wave["seconds"], "caller": caller, "agent": agent}


@router.post("/api/qa/evaluations/{evaluation_id}/claim", responses=errors(401, 403, 404, 409))
async def claim(
    evaluation_id: EvaluationId, request: Request, user: Scorer, desk: Desk
) -> dict[str, Any]:
    """领取: take an open evaluation nobody has been dealt (409 when someone has)."""
    own_team = await _team_rule(user, desk)
    evaluation = await _as_user(
        lambda: desk.claim(evaluation_id, by=user.username, own_team=own_team)
    )
    await audit(
        request, user, "qa.evaluation_claimed", subject_type="qa", subject_id=str(evaluation_id)
    )
    return evaluation_json(evaluation)


@router.post(
    "/api/qa/evaluations/{evaluation_id}/review", responses=errors(401, 403, 404, 409, 422)
)
async def review(
    evaluation_id: EvaluationId,
    body: ReviewIn,
    request: Request,
    user: Manager,
    runtime: Runtime,
    desk: Desk,
) -> dict[str, Any]:
    """申诉复核: uphold a disputed score or overturn it with the answers as they should
    have been (a ``qa.dispute_reviewed`` event; the figures take the new score). Not by
    the inspector who gave the score."""
    answers = _answers(body.answers) if body.answers is not None else None
    try:
        saved = await run_in_threadpool(
            lambda: desk.review(
                evaluation_id, body.verdict, body.note, answers, by=user.username, at=runtime.now()
            )
        )
    except AnswerError as exc:
        raise _answer_error(exc) from None
    runtime.publish_stored(saved.events)
    await audit(
        request,
        user,
        "qa.dispute_reviewed",
        subject_type="qa",
        subject_id=str(evaluation_id),
        detail={"verdict": body.verdict, "score": saved.record.score},
    )
    return evaluation_json(saved.record)


@router.post("/api/qa/samples", status_code=201, responses=errors(401, 403, 409, 422))
async def draw_samples(
    body: SampleIn, request: Request, user: Manager, runtime: Runtime, desk: Desk
) -> dict[str, Any]:
    """抽样: the day's answered calls picked by the sampling policy, opened as evaluations
    and dealt to the inspectors under their daily cap (``qa.samples_drawn``); default
    day: yesterday on the hotline's clock."""
    await runtime.commit()
    zone = desk.site.hotline.timezone
    today = datetime.datetime.fromtimestamp(runtime.now(), zone).date()
    day = _day(body.day, "day") if body.day else today - datetime.timedelta(days=1)
    if day > today:
        raise InvalidRequestError(f"{day.isoformat()} is in the future", field="body.day")
    recordings = runtime.recordings

    def draw() -> Any:
        recorded = recordings.calls if recordings.folder is not None else None
        return desk.draw(day, by=user.username, at=runtime.now(), recorded=recorded)

    saved = await run_in_threadpool(draw)
    runtime.publish_stored(saved.events)
    drawn = saved.events[0]
    await audit(
        request,
        user,
        "qa.samples_drawn",
        subject_type="qa",
        subject_id=day.isoformat(),
        detail={"samples": len(saved.record)},
    )
    return {
        "day": day.isoformat(),
        "samples": getattr(drawn, "samples", 0),
        "assigned": getattr(drawn, "assigned", {}),
        "over_capacity": getattr(drawn, "over_capacity", 0),
        "opened": len(saved.record),
    }


@router.get("/api/qa/today", responses=errors(401, 403))
async def today(_: Scorer, runtime: Runtime, desk: Desk) -> dict[str, str]:
    """Today and yesterday on the hotline's clock (the sample's default day)."""
    day = datetime.datetime.fromtimestamp(runtime.now(), desk.site.hotline.timezone).date()
    return {"today": day.isoformat(), "yesterday": (day - datetime.timedelta(days=1)).isoformat()}


@router.get("/api/qa/inspectors", responses=errors(401, 403))
async def inspectors(_: Scorer, desk: Desk) -> dict[str, Any]:
    """The active QA inspectors (质检员), for the sample's dealing and calibration."""
    return {"inspectors": await run_in_threadpool(desk.inspectors)}


@router.post("/api/qa/calibrations", status_code=201, responses=errors(401, 403, 404, 409, 422))
async def calibrate(
    body: CalibrateIn, request: Request, user: Manager, runtime: Runtime, desk: Desk
) -> dict[str, Any]:
    """校准: open one evaluation of the same call for each inspector named."""
    await runtime.commit()
    session, copies = await run_in_threadpool(
        lambda: desk.calibrate(
            body.call, body.form, body.inspectors, by=user.username, at=runtime.now()
        )
    )
    await audit(
        request,
        user,
        "qa.calibration_opened",
        subject_type="call",
        subject_id=body.call,
        detail={"calibration": session.id, "inspectors": list(session.inspectors)},
    )
    return {**calibration_json(session), "evaluations": [evaluation_json(e) for e in copies]}


@router.get("/api/qa/calibrations", responses=errors(401, 403))
async def calibrations(_: Scorer, desk: Desk) -> dict[str, Any]:
    """The calibration sessions, newest first."""
    found = await run_in_threadpool(desk.store.calibrations)
    return {"calibrations": [calibration_json(c) for c in found]}


@router.get("/api/qa/calibrations/{calibration_id}", responses=errors(401, 403, 404))
async def calibration(calibration_id: CalibrationId, user: Scorer, desk: Desk) -> dict[str, Any]:
    """A session's copies and the spread of their scores. An inspector of the session
    sees the others' scores and answers only once their own copy is scored (no
    anchoring)."""
    session, copies, spread = await run_in_threadpool(desk.spread, calibration_id)
    mine = next((e for e in copies if e.inspector == user.username), None)
    hidden = mine is not None and mine.status == "open"
    shown = [
        evaluation_json(e)
        if not hidden or e is mine
        else {**evaluation_json(e), "answers": {}, "score": None, "result": None}
        for e in copies
    ]
    return {
        **calibration_json(session),
        "evaluations": shown,
        "spread": None
        if hidden
        else {
            "scored": spread.scored,
            "scores": spread.scores,
            "mean": spread.mean,
            "range": spread.range,
            "stdev": spread.stdev,
            "agreement": spread.agreement,
            "disagreements": list(spread.disagreements),
        },
    }


@router.post("/api/qa/cases", status_code=201, responses=errors(401, 403, 404, 409, 422))
async def add_case(
    body: CaseIn, request: Request, user: Scorer, runtime: Runtime, desk: Desk
) -> dict[str, Any]:
    """案例库: a scored call as a good or a bad example, shared with the teams named (none:
    every team); ``qa.case_added``."""
    saved = await run_in_threadpool(
        lambda: desk.add_case(
            body.evaluation,
            body.verdict,
            body.title,
            body.comment,
            body.topic,
            body.teams,
            by=user.username,
            at=runtime.now(),
        )
    )
    runtime.publish_stored(saved.events)
    await audit(request, user, "qa.case_added", subject_type="qa", subject_id=str(saved.record.id))
    return case_json(saved.record)


@router.get("/api/qa/cases", responses=errors(401, 403, 422))
async def cases(
    user: Reader,
    desk: Desk,
    topic: Annotated[str | None, Query(max_length=64, description="a KB article's id")] = None,
) -> dict[str, Any]:
    """The case library: everything for inspectors, leads and supervisors; an agent sees
    the cases shared with every team or with their own."""
    everyone = user.role is not Role.AGENT
    team = None if everyone else await run_in_threadpool(desk.team_of, user.agent_id)
    found = await run_in_threadpool(lambda: desk.cases_for(team, everyone=everyone))
    if topic is not None:
        found = [c for c in found if c.topic == topic]
    return {"cases": [case_json(c) for c in found]}


@router.get(
    "/api/qa/cases/{case_id}/recording",
    response_class=FileResponse,
    responses={200: {"content": {"audio/wav": {}}}, **errors(401, 403, 404)},
)
async def case_recording(
    case_id: CaseId, request: Request, user: Reader, runtime: Runtime, desk: Desk
) -> FileResponse:
    """A case's recording for those it is shared with (an agent may hear a colleague's
    call only as a case); audited as a playback of the call's recording."""
    everyone = user.role is not Role.AGENT
    team = None if everyone else await run_in_threadpool(desk.team_of, user.agent_id)
    shared = await run_in_threadpool(lambda: desk.cases_for(team, everyone=everyone))
    case = next((c for c in shared if c.id == case_id), None)
    if case is None:
        raise NotFoundError(f"no case {case_id} shared with you")
    found = await run_in_threadpool(runtime.recordings.of_call, case.call)
    recording = next((r for r in found if r.agent == case.agent), found[0] if found else None)
    if recording is None:
        raise NotFoundError(f"case {case_id}: call {case.call} has no recording")
    first = request.headers.get("range", "bytes=0-").replace(" ", "").startswith("bytes=0-")
    if first:
        await run_in_threadpool(
            lambda: runtime.services.audit.record(
                username=user.username,
                role=user.role.value,
                action="recording.play",
                subject_type="call",
                subject_id=case.call,
                detail={"name": recording.name, "agent": recording.agent, "case": case.id},
                client=client_of(request),
            )
        )
    return FileResponse(
        recording.path,
        media_type="audio/wav",
        filename=recording.name,
        content_disposition_type="inline",
    )


@router.get("/api/qa/report", responses=errors(401, 403, 422))
async def report(
    user: Scorer,
    runtime: Runtime,
    desk: Desk,
    by: Annotated[
        Literal["agent", "team", "queue", "inspector", "form", "section"], Query()
    ] = "agent",
    start: Annotated[Day | None, Query(alias="from")] = None,
    end: Annotated[Day | None, Query(alias="to")] = None,
) -> dict[str, Any]:
    """质检报表 over the hotline's local days [from, to] (default: the last 30 days): per
    agent, team, queue, inspector, form or form section, the evaluations, average score,
    fatal-item and dispute rates and the trend against the period before; and the
    calibration sessions' spread. A team lead sees their own team's rows."""
    zone = desk.site.hotline.timezone
    today = datetime.datetime.fromtimestamp(runtime.now(), zone).date()
    last = _day(end, "to") if end else today
    first = _day(start, "from") if start else last - datetime.timedelta(days=29)
    if first > last:
        raise InvalidRequestError("from is after to", field="query.from")
    lo = datetime.datetime.combine(first, datetime.time(), zone).timestamp()
    hi = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(), zone)
    result = await run_in_threadpool(desk.report, lo, hi.timestamp(), by)
    team = await _team_rule(user, desk)
    if team is not None and by == "team":
        result["rows"] = [r for r in result["rows"] if r["key"] == team]
    return {**result, "from": first.isoformat(), "to": last.isoformat()}


def _day(text: str, name: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise InvalidRequestError(f"{text!r} is not a date", field=f"query.{name}") from None
