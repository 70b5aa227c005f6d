"""录音质检 in the database: evaluations of calls (table ``qa_evaluations``), calibration
sessions (``qa_calibrations``), the case library (``qa_cases``) and the speech analysis of
recordings (``qa_analyses``).

An evaluation is opened for one call (the agent who answered it) — by hand, or by the
day's sampling, dealt to an inspector — scored once against a form version (answers, the
score and what failed are kept), and may then be disputed by the agent; a reviewer
upholds the score or re-scores it. A calibration session opens one evaluation of the same
call per inspector; their scores are not the agent's. Every change that is a figure writes
its event (`hotline.quality.events`) in the same transaction (the outbox).
"""

from __future__ import annotations

import builtins
import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hotline.core.errors import HotlineError
from hotline.core.events import Saved
from hotline.quality.events import (
    CalibrationScored,
    CaseAdded,
    DisputeReviewed,
    EvaluationDisputed,
    EvaluationScored,
    SamplesDrawn,
)
from hotline.quality.forms import Answer, Score
from hotline.store.db import outbox
from hotline.store.db.database import Database
from hotline.store.db.orders import orders_t
from hotline.store.db.schema import Base, CallRow, Json

STATUSES = ("open", "scored", "disputed", "reviewed")
VERDICTS = ("upheld", "overturned")
CASE_VERDICTS = ("good", "bad")


class EvaluationRow(Base):
    __tablename__ = "qa_evaluations"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    call: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    agent: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    form: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    status: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    answers: Mapped[dict[str, Any]] = mapped_column(Json, nullable=False)
    score: Mapped[float | None] = mapped_column(sa.Double)
    result: Mapped[dict[str, Any] | None] = mapped_column(Json)
    comment: Mapped[str] = mapped_column(sa.String(2000), nullable=False, default="")
    created_at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    created_by: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    scored_at: Mapped[float | None] = mapped_column(sa.Double)
    scored_by: Mapped[str | None] = mapped_column(sa.String(64))
    dispute: Mapped[str | None] = mapped_column(sa.String(2000))
    disputed_at: Mapped[float | None] = mapped_column(sa.Double)
    inspector: Mapped[str | None] = mapped_column(sa.String(64))
    reasons: Mapped[list[str] | None] = mapped_column(Json)
    sample_day: Mapped[str | None] = mapped_column(sa.String(10))
    queue: Mapped[str | None] = mapped_column(sa.String(64))
    team: Mapped[str | None] = mapped_column(sa.String(64))
    calibration: Mapped[int | None] = mapped_column(sa.Integer)
    review_verdict: Mapped[str | None] = mapped_column(sa.String(16))
    review_note: Mapped[str | None] = mapped_column(sa.String(2000))
    reviewed_by: Mapped[str | None] = mapped_column(sa.String(64))
    reviewed_at: Mapped[float | None] = mapped_column(sa.Double)
    score_before: Mapped[float | None] = mapped_column(sa.Double)

    __table_args__ = (
        sa.Index("ix_qa_evaluations_agent", "agent", "status"),
        sa.Index("ix_qa_evaluations_call", "call"),
        sa.Index("ix_qa_evaluations_inspector", "inspector", "status"),
        sa.Index("ix_qa_evaluations_day", "sample_day"),
    )


class CalibrationRow(Base):
    __tablename__ = "qa_calibrations"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    call: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    form: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    inspectors: Mapped[list[str]] = mapped_column(Json, nullable=False)
    created_by: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    created_at: Mapped[float] = mapped_column(sa.Double, nullable=False)


class CaseRow(Base):
    __tablename__ = "qa_cases"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    evaluation: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    call: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    agent: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    verdict: Mapped[str] = mapped_column(sa.String(8), nullable=False)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    comment: Mapped[str] = mapped_column(sa.String(2000), nullable=False)
    topic: Mapped[str | None] = mapped_column(sa.String(64))
    teams: Mapped[list[str]] = mapped_column(Json, nullable=False)
    created_by: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    created_at: Mapped[float] = mapped_column(sa.Double, nullable=False)

    __table_args__ = (sa.Index("ux_qa_cases_evaluation", "evaluation", unique=True),)


class AnalysisRow(Base):
    __tablename__ = "qa_analyses"
    recording: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    call: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    agent: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    analysed_at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    analysis: Mapped[dict[str, Any] | None] = mapped_column(Json)
    transcript: Mapped[list[dict[str, Any]] | None] = mapped_column(Json)
    hits: Mapped[dict[str, Any] | None] = mapped_column(Json)
    flags: Mapped[list[str]] = mapped_column(Json, nullable=False)
    error: Mapped[str | None] = mapped_column(sa.String(500))

    __table_args__ = (sa.Index("ix_qa_analyses_call", "call"),)


evaluations_t: sa.Table = EvaluationRow.__table__  # type: ignore[assignment]
calibrations_t: sa.Table = CalibrationRow.__table__  # type: ignore[assignment]
cases_t: sa.Table = CaseRow.__table__  # type: ignore[assignment]
analyses_t: sa.Table = AnalysisRow.__table__  # type: ignore[assignment]


class EvaluationError(HotlineError):
    """An evaluation cannot change so (the API answers 409)."""

    error_id = "evaluation-refused"


class NoSuchEvaluationError(HotlineError):
    error_id = "no-such-evaluation"


@dataclass(frozen=True, slots=True)
class Evaluation:
    id: int
    call: str
    agent: str
    form: str
    version: int
    status: str
    answers: dict[str, Answer]
    score: float | None
    result: dict[str, Any] | None
    comment: str
    created_at: float
    created_by: str
    scored_at: float | None
    scored_by: str | None
    dispute: str | None
    disputed_at: float | None
    inspector: str | None = None
    reasons: tuple[str, ...] = ()
    sample_day: str | None = None
    queue: str | None = None
    team: str | None = None
    calibration: int | None = None
    review_verdict: str | None = None
    review_note: str | None = None
    reviewed_by: str | None = None
    reviewed_at: float | None = None
    score_before: float | None = None


@dataclass(frozen=True, slots=True)
class Opening:
    """What an evaluation is opened with besides its call, agent and form."""

    inspector: str | None = None
    reasons: tuple[str, ...] = ()
    sample_day: str | None = None
    queue: str | None = None
    team: str | None = None
    calibration: int | None = None


@dataclass(frozen=True, slots=True)
class Case:
    """A scored call in the case library (案例库): a good or a bad example, shared with
    `teams` (empty: every team)."""

    id: int
    evaluation: int
    call: str
    agent: str
    verdict: str
    title: str
    comment: str
    topic: str | None
    teams: tuple[str, ...]
    created_by: str
    created_at: float


@dataclass(frozen=True, slots=True)
class Calibration:
    id: int
    call: str
    form: str
    version: int
    inspectors: tuple[str, ...]
    created_by: str
    created_at: float


@dataclass(frozen=True, slots=True)
class Analysis:
    """A recording's speech analysis, transcript (personal numbers redacted) and phrase
    hits; `error` says why a recording could not be analysed."""

    recording: str
    call: str
    agent: str
    analysed_at: float
    analysis: dict[str, Any] | None
    transcript: list[dict[str, Any]] | None
    hits: dict[str, Any] | None
    flags: tuple[str, ...]
    error: str | None


R = TypeVar("R")


def _chunks(values: Sequence[str], size: int = 900) -> Iterator[list[str]]:
    """`values` in lists of at most `size`: an IN (…) under SQLite's bound-parameter limit."""
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


def _from_row(cls: type[R], row: Any, *, tuples: tuple[str, ...] = ()) -> R:
    """A record from a row whose columns are named as its fields (JSON lists as tuples,
    a missing JSON list as an empty one)."""
    values = {f.name: getattr(row, f.name) for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    for name in tuples:
        values[name] = tuple(values[name] or ())
    return cls(**values)


def _evaluation(row: Any) -> Evaluation:
    evaluation = _from_row(Evaluation, row, tuples=("reasons",))
    return dataclasses.replace(
        evaluation,
        answers=dict(row.answers or {}),
        result=dict(row.result) if row.result is not None else None,
    )


class Evaluations:
    """The evaluations table (SQLite or PostgreSQL)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @staticmethod
    def _taken(c: sa.Connection, call: str, form: str) -> int | None:
        """The call's evaluation on `form` outside calibration, if it has one."""
        found = c.execute(
            sa.select(evaluations_t.c.id)
            .where(evaluations_t.c.call == call)
            .where(evaluations_t.c.form == form)
            .where(evaluations_t.c.calibration.is_(None))
        ).scalar()
        return None if found is None else int(found)

    @staticmethod
    def _insert(
        c: sa.Connection,
        call: str,
        agent: str,
        form: str,
        version: int,
        opening: Opening,
        *,
        by: str,
        at: float,
    ) -> int:
        key = c.execute(
            evaluations_t.insert().values(
                call=call,
                agent=agent,
                form=form,
                version=version,
                status="open",
                answers={},
                comment="",
                created_at=at,
                created_by=by,
                inspector=opening.inspector,
                reasons=list(opening.reasons),
                sample_day=opening.sample_day,
                queue=opening.queue,
                team=opening.team,
                calibration=opening.calibration,
            )
        ).inserted_primary_key
        assert key is not None
        return int(key[0])

    def open(
        self,
        call: str,
        agent: str,
        form: str,
        version: int,
        *,
        by: str,
        at: float,
        opening: Opening = Opening(),
    ) -> Evaluation:
        """A new evaluation of `call` (answered by `agent`) on a form version; one per call
        and form outside calibration sessions."""
        with self.db.engine.begin() as c:
            taken = self._taken(c, call, form)
            if taken is not None:
                raise EvaluationError(
                    f"call {call} already has evaluation {taken} on form {form}",
                    evaluation=taken,
                )
            key = self._insert(c, call, agent, form, version, opening, by=by, at=at)
        return self.get(key)

    def open_sampled(
        self,
        samples: Sequence[tuple[str, str, Opening]],
        form: str,
        version: int,
        drawn: SamplesDrawn,
        *,
        by: str,
        at: float,
    ) -> Saved[list[Evaluation]]:
        """The day's sample — (call, agent, opening) each — as open evaluations, with the
        `qa.samples_drawn` event, in one transaction; calls already evaluated on `form`
        are skipped (a second draw of the same day adds only what is new)."""
        keys: list[int] = []
        with self.db.engine.begin() as c:
            for call, agent, opening in samples:
                if self._taken(c, call, form) is None:
                    keys.append(self._insert(c, call, agent, form, version, opening, by=by, at=at))
            outbox.append(c, [drawn])
        return Saved(self.get_many(keys), (drawn,))

    def get(self, evaluation_id: int) -> Evaluation:
        with self.db.engine.connect() as c:
            row = c.execute(
                sa.select(evaluations_t).where(evaluations_t.c.id == evaluation_id)
            ).first()
        if row is None:
            raise NoSuchEvaluationError(f"no evaluation {evaluation_id}", evaluation=evaluation_id)
        return _evaluation(row)

    def get_many(self, ids: Sequence[int]) -> list[Evaluation]:
        if not ids:
            return []
        with self.db.engine.connect() as c:
            rows = c.execute(
                sa.select(evaluations_t)
                .where(evaluations_t.c.id.in_(list(ids)))
                .order_by(evaluations_t.c.id)
            ).all()
        return [_evaluation(r) for r in rows]

    def list(
        self,
        *,
        agent: str | None = None,
        statuses: Sequence[str] = STATUSES,
        inspector: str | None = None,
        unassigned: bool = False,
        day: str | None = None,
        team: str | None = None,
        calibration: int | None = None,
        include_calibration: bool = False,
        since: float | None = None,
        until: float | None = None,
        limit: int = 200,
    ) -> list[Evaluation]:
        """Newest first. Calibration copies only when asked (`calibration` names a session,
        or `include_calibration`); `since`/`until` bound the scoring time."""
        t = evaluations_t
        query = sa.select(t).where(t.c.status.in_(list(statuses)))
        if agent is not None:
            query = query.where(t.c.agent == agent)
        if inspector is not None:
            query = query.where(t.c.inspector == inspector)
        if unassigned:
            query = query.where(t.c.inspector.is_(None))
        if day is not None:
            query = query.where(t.c.sample_day == day)
        if team is not None:
            query = query.where(t.c.team == team)
        if calibration is not None:
            query = query.where(t.c.calibration == calibration)
        elif not include_calibration:
            query = query.where(t.c.calibration.is_(None))
        if since is not None:
            query = query.where(t.c.scored_at >= since)
        if until is not None:
            query = query.where(t.c.scored_at < until)
        with self.db.engine.connect() as c:
            rows = c.execute(query.order_by(t.c.id.desc()).limit(limit)).all()
        return [_evaluation(r) for r in rows]

    def evaluated_calls(self, calls: Sequence[str]) -> set[str]:
        """Which of `calls` already have an evaluation (any form, calibration aside)."""
        found: set[str] = set()
        with self.db.engine.connect() as c:
            for chunk in _chunks(calls):
                found.update(
                    c.execute(
                        sa.select(evaluations_t.c.call)
                        .where(evaluations_t.c.call.in_(chunk))
                        .where(evaluations_t.c.calibration.is_(None))
                    ).scalars()
                )
        return found

    def assigned_on(self, day: str) -> dict[str, int]:
        """Evaluations of sample day `day` per inspector (for the daily cap)."""
        with self.db.engine.connect() as c:
            rows = c.execute(
                sa.select(evaluations_t.c.inspector, sa.func.count())
                .where(evaluations_t.c.sample_day == day)
                .where(evaluations_t.c.inspector.is_not(None))
                .group_by(evaluations_t.c.inspector)
            ).all()
        return {str(r[0]): int(r[1]) for r in rows}

    def claim(self, evaluation_id: int, inspector: str) -> Evaluation:
        """An open evaluation nobody has been dealt is taken by `inspector` (first come)."""
        with self.db.engine.begin() as c:
            done = c.execute(
                evaluations_t.update()
                .where(evaluations_t.c.id == evaluation_id)
                .where(evaluations_t.c.status == "open")
                .where(evaluations_t.c.inspector.is_(None))
                .values(inspector=inspector)
            ).rowcount
        if done != 1:
            before = self.get(evaluation_id)
            taken = f"is with {before.inspector}" if before.inspector else f"is {before.status}"
            raise EvaluationError(
                f"evaluation {evaluation_id} {taken}: it cannot be claimed",
                evaluation=evaluation_id,
            )
        return self.get(evaluation_id)

    def score(
        self,
        evaluation_id: int,
        answers: dict[str, Answer],
        score: Score,
        comment: str,
        *,
        by: str,
        at: float,
    ) -> Saved[Evaluation]:
        """Keep the answers and the score of an open evaluation, with its event
        (`qa.calibration_scored` for a calibration copy)."""
        before = self.get(evaluation_id)
        if before.status != "open":
            raise EvaluationError(
                f"evaluation {evaluation_id} is {before.status}: it was scored already",
                evaluation=evaluation_id,
            )
        scored: EvaluationScored | CalibrationScored
        if before.calibration is not None:
            scored = CalibrationScored(
                at,
                before.calibration,
                evaluation_id,
                before.call,
                before.agent,
                before.form,
                before.version,
                score.value,
                by,
            )
        else:
            scored = EvaluationScored(
                at,
                evaluation_id,
                before.call,
                before.agent,
                before.form,
                before.version,
                score.value,
                bool(score.fatal),
                len(score.critical),
                by,
            )
        with self.db.engine.begin() as c:
            done = c.execute(
                evaluations_t.update()
                .where(evaluations_t.c.id == evaluation_id)
                .where(evaluations_t.c.status == "open")
                .values(
                    status="scored",
                    answers=answers,
                    score=score.value,
                    result=_result(score),
                    comment=comment,
                    scored_at=at,
                    scored_by=by,
                )
            ).rowcount
            if done != 1:
                raise EvaluationError(f"evaluation {evaluation_id} changed meanwhile")
            outbox.append(c, [scored])
        return Saved(self.get(evaluation_id), (scored,))

    def dispute(self, evaluation_id: int, reason: str, *, at: float) -> Saved[Evaluation]:
        """The agent disputes a scored evaluation (once)."""
        before = self.get(evaluation_id)
        if before.calibration is not None:
            raise EvaluationError(
                f"evaluation {evaluation_id} is a calibration score, not the agent's",
                evaluation=evaluation_id,
            )
        if before.status != "scored":
            state = "not scored yet" if before.status == "open" else "disputed already"
            raise EvaluationError(
                f"evaluation {evaluation_id} is {state}", evaluation=evaluation_id
            )
        disputed = EvaluationDisputed(at, evaluation_id, before.agent, reason)
        with self.db.engine.begin() as c:
            done = c.execute(
                evaluations_t.update()
                .where(evaluations_t.c.id == evaluation_id)
                .where(evaluations_t.c.status == "scored")
                .values(status="disputed", dispute=reason, disputed_at=at)
            ).rowcount
            if done != 1:
                raise EvaluationError(f"evaluation {evaluation_id} changed meanwhile")
            outbox.append(c, [disputed])
        return Saved(self.get(evaluation_id), (disputed,))

    def review(
        self,
        evaluation_id: int,
        verdict: str,
        note: str,
        rescored: tuple[dict[str, Answer], Score] | None,
        *,
        by: str,
        at: float,
    ) -> Saved[Evaluation]:
        """申诉复核 of a disputed evaluation: ``upheld`` keeps the score; ``overturned``
        replaces the answers and the score with `rescored` (the first score is kept as
        `score_before`)."""
        before = self.get(evaluation_id)
        if before.status != "disputed":
            raise EvaluationError(
                f"evaluation {evaluation_id} is {before.status}: only a disputed one is reviewed",
                evaluation=evaluation_id,
            )
        assert before.score is not None
        values: dict[str, Any] = {
            "status": "reviewed",
            "review_verdict": verdict,
            "review_note": note,
            "reviewed_by": by,
            "reviewed_at": at,
            "score_before": before.score,
        }
        fatal = bool((before.result or {}).get("fatal"))
        score_after = before.score
        if rescored is not None:
            answers, score = rescored
            values.update(answers=answers, score=score.value, result=_result(score))
            fatal, score_after = bool(score.fatal), score.value
        reviewed = DisputeReviewed(
            at, evaluation_id, before.agent, verdict, before.score, score_after, fatal, by
        )
        with self.db.engine.begin() as c:
            done = c.execute(
                evaluations_t.update()
                .where(evaluations_t.c.id == evaluation_id)
                .where(evaluations_t.c.status == "disputed")
                .values(**values)
            ).rowcount
            if done != 1:
                raise EvaluationError(f"evaluation {evaluation_id} changed meanwhile")
            outbox.append(c, [reviewed])
        return Saved(self.get(evaluation_id), (reviewed,))

    # ---- calibration ----------------------------------------------------------------

    def calibrate(
        self,
        call: str,
        agent: str,
        form: str,
        version: int,
        inspectors: Sequence[str],
        *,
        by: str,
        at: float,
    ) -> tuple[Calibration, builtins.list[Evaluation]]:
        """A calibration session: one open evaluation of `call` per inspector."""
        with self.db.engine.begin() as c:
            key = c.execute(
                calibrations_t.insert().values(
                    call=call,
                    form=form,
                    version=version,
                    inspectors=list(inspectors),
                    created_by=by,
                    created_at=at,
                )
            ).inserted_primary_key
            assert key is not None
            session = int(key[0])
            ids = [
                self._insert(
                    c,
                    call,
                    agent,
                    form,
                    version,
                    Opening(inspector=name, calibration=session),
                    by=by,
                    at=at,
                )
                for name in inspectors
            ]
        return self.calibration(session), self.get_many(ids)

    def calibration(self, session: int) -> Calibration:
        with self.db.engine.connect() as c:
            row = c.execute(sa.select(calibrations_t).where(calibrations_t.c.id == session)).first()
        if row is None:
            raise NoSuchEvaluationError(f"no calibration session {session}", calibration=session)
        return _calibration(row)

    def calibrations(self, limit: int = 50) -> builtins.list[Calibration]:
        with self.db.engine.connect() as c:
            rows = c.execute(
                sa.select(calibrations_t).order_by(calibrations_t.c.id.desc()).limit(limit)
            ).all()
        return [_calibration(r) for r in rows]

    # ---- the case library -----------------------------------------------------------

    def add_case(
        self,
        evaluation: Evaluation,
        verdict: str,
        title: str,
        comment: str,
        topic: str | None,
        teams: Sequence[str],
        *,
        by: str,
        at: float,
    ) -> Saved[Case]:
        """A scored evaluation's call into the case library, with `qa.case_added`."""
        with self.db.engine.begin() as c:
            taken = c.execute(
                sa.select(cases_t.c.id).where(cases_t.c.evaluation == evaluation.id)
            ).scalar()
            if taken is not None:
                raise EvaluationError(
                    f"evaluation {evaluation.id} is case {taken} already", case=int(taken)
                )
            key = c.execute(
                cases_t.insert().values(
                    evaluation=evaluation.id,
                    call=evaluation.call,
                    agent=evaluation.agent,
                    verdict=verdict,
                    title=title,
                    comment=comment,
                    topic=topic,
                    teams=list(teams),
                    created_by=by,
                    created_at=at,
                )
            ).inserted_primary_key
            assert key is not None
            added = CaseAdded(
                at,
                int(key[0]),
                evaluation.id,
                evaluation.call,
                evaluation.agent,
                verdict,
                title,
                by,
            )
            outbox.append(c, [added])
        return Saved(self.case(int(key[0])), (added,))

    def case(self, case_id: int) -> Case:
        with self.db.engine.connect() as c:
            row = c.execute(sa.select(cases_t).where(cases_t.c.id == case_id)).first()
        if row is None:
            raise NoSuchEvaluationError(f"no case {case_id}", case=case_id)
        return _case(row)

    def cases(self, *, topic: str | None = None, limit: int = 500) -> builtins.list[Case]:
        query = sa.select(cases_t)
        if topic is not None:
            query = query.where(cases_t.c.topic == topic)
        with self.db.engine.connect() as c:
            rows = c.execute(query.order_by(cases_t.c.id.desc()).limit(limit)).all()
        return [_case(r) for r in rows]

    # ---- speech analysis --------------------------------------------------------------

    def save_analysis(self, analysis: Analysis) -> None:
        values = {
            "call": analysis.call,
            "agent": analysis.agent,
            "analysed_at": analysis.analysed_at,
            "analysis": analysis.analysis,
            "transcript": analysis.transcript,
            "hits": analysis.hits,
            "flags": list(analysis.flags),
            "error": analysis.error,
        }
        with self.db.engine.begin() as c:
            done = c.execute(
                analyses_t.update()
                .where(analyses_t.c.recording == analysis.recording)
                .values(**values)
            ).rowcount
            if done == 0:
                c.execute(analyses_t.insert().values(recording=analysis.recording, **values))

    def analyses(self, call: str) -> builtins.list[Analysis]:
        with self.db.engine.connect() as c:
            rows = c.execute(
                sa.select(analyses_t)
                .where(analyses_t.c.call == call)
                .order_by(analyses_t.c.recording)
            ).all()
        return [_analysis(r) for r in rows]

    def analysed(self, recordings: Sequence[str]) -> set[str]:
        """Which of the recordings' names have an analysis already."""
        found: set[str] = set()
        with self.db.engine.connect() as c:
            for chunk in _chunks(recordings):
                found.update(
                    c.execute(
                        sa.select(analyses_t.c.recording).where(analyses_t.c.recording.in_(chunk))
                    ).scalars()
                )
        return found

    def flags_of(self, calls: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """Each analysed call's flags (all its recordings' together)."""
        out: dict[str, set[str]] = {}
        with self.db.engine.connect() as c:
            for chunk in _chunks(calls):
                rows = c.execute(
                    sa.select(analyses_t.c.call, analyses_t.c.flags).where(
                        analyses_t.c.call.in_(chunk)
                    )
                ).all()
                for call, flags in rows:
                    out.setdefault(str(call), set()).update(flags or ())
        return {call: tuple(sorted(flags)) for call, flags in out.items()}


def _result(score: Score) -> dict[str, Any]:
    return {
        "earned": score.earned,
        "fatal": list(score.fatal),
        "critical": list(score.critical),
        "sections": dict(score.sections),
    }


def _calibration(row: Any) -> Calibration:
    return _from_row(Calibration, row, tuples=("inspectors",))


def _case(row: Any) -> Case:
    return _from_row(Case, row, tuples=("teams",))


def _analysis(row: Any) -> Analysis:
    return _from_row(Analysis, row, tuples=("flags",))


@dataclass(frozen=True, slots=True)
class AnsweredCall:
    """One answered call as the sampling policy sees it."""

    call: str
    agent: str
    queue: str
    answered_at: float
    talk_s: float
    hold_s: float
    complaint: bool


COMPLAINT = "complaint"
"""The queue and the order type of complaints (投诉) in the example hotline's files."""


def answered_calls(db: Database, start: float, end: float, min_talk_s: float) -> list[AnsweredCall]:
    """The calls table's calls answered by an agent in [start, end), with at least
    `min_talk_s` of talk; a call is a complaint when it was queued for complaints or an
    order of the complaint type was taken on it."""
    calls: sa.Table = CallRow.__table__  # type: ignore[assignment]
    orders = orders_t
    complained = (
        sa.select(orders.c.call)
        .where(orders.c.type == COMPLAINT)
        .where(orders.c.call.is_not(None))
        .scalar_subquery()
    )
    query = (
        sa.select(
            calls.c.call,
            calls.c.agent,
            calls.c.queue,
            calls.c.answered_at,
            calls.c.talk_s,
            calls.c.hold_s,
            sa.or_(calls.c.queue == COMPLAINT, calls.c.call.in_(complained)).label("complaint"),
        )
        .where(calls.c.answered_at >= start)
        .where(calls.c.answered_at < end)
        .where(calls.c.agent.is_not(None))
        .where(sa.func.coalesce(calls.c.talk_s, 0.0) >= min_talk_s)
        .order_by(calls.c.answered_at, calls.c.call)
    )
    with db.engine.connect() as c:
        rows = c.execute(query).all()
    return [
        AnsweredCall(
            str(r.call),
            str(r.agent),
            str(r.queue or ""),
            float(r.answered_at),
            float(r.talk_s or 0.0),
            float(r.hold_s or 0.0),
            bool(r.complaint),
        )
        for r in rows
    ]


def first_answers(db: Database, agents: set[str]) -> dict[str, float]:
    """Each agent's first answered call in the calls table: when they began taking calls
    here — known only for agents who began after the table did (by more than a day); one
    who answered from its first day may have been here for years, and is left out."""
    calls: sa.Table = CallRow.__table__  # type: ignore[assignment]
    found: dict[str, float] = {}
    names = sorted(agents)
    with db.engine.connect() as c:
        began = c.execute(sa.select(sa.func.min(calls.c.answered_at))).scalar()
        for chunk in _chunks(names):
            rows = c.execute(
                sa.select(calls.c.agent, sa.func.min(calls.c.answered_at))
                .where(calls.c.agent.in_(chunk))
                .where(calls.c.answered_at.is_not(None))
                .group_by(calls.c.agent)
            ).all()
            found.update({str(a): float(t) for a, t in rows if t is not None})
    if began is None:
        return {}
    return {a: t for a, t in found.items() if t > float(began) + 86400.0}
