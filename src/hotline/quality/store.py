"""录音质检 in the database: evaluations of calls (table ``qa_evaluations``).

An evaluation is opened for one call (the agent who answered it), scored once against a
form version (answers, the score and what failed are kept), and may then be disputed by
the agent. Scoring and disputing write their event (`hotline.quality.events`) in the
same transaction (the outbox).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hotline.core.errors import HotlineError
from hotline.core.events import Saved
from hotline.quality.events import EvaluationDisputed, EvaluationScored
from hotline.quality.forms import Answer, Score
from hotline.store.db import outbox
from hotline.store.db.database import Database
from hotline.store.db.schema import Base, Json

STATUSES = ("open", "scored", "disputed")


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

    __table_args__ = (
        sa.Index("ix_qa_evaluations_agent", "agent", "status"),
        sa.Index("ix_qa_evaluations_call", "call"),
    )


evaluations_t: sa.Table = EvaluationRow.__table__  # type: ignore[assignment]


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


def _evaluation(row: Any) -> Evaluation:
    return Evaluation(
        row.id,
        row.call,
        row.agent,
        row.form,
        row.version,
        row.status,
        dict(row.answers or {}),
        row.score,
        dict(row.result) if row.result is not None else None,
        row.comment,
        row.created_at,
        row.created_by,
        row.scored_at,
        row.scored_by,
        row.dispute,
        row.disputed_at,
    )


class Evaluations:
    """The evaluations table (SQLite or PostgreSQL)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def open(
        self, call: str, agent: str, form: str, version: int, *, by: str, at: float
    ) -> Evaluation:
        """A new evaluation of `call` (answered by `agent`) on a form version; one open or
        scored evaluation per call and form at a time."""
        with self.db.engine.begin() as c:
            taken = c.execute(
                sa.select(evaluations_t.c.id)
                .where(evaluations_t.c.call == call)
                .where(evaluations_t.c.form == form)
            ).scalar()
            if taken is not None:
                raise EvaluationError(
                    f"call {call} already has evaluation {taken} on form {form}",
                    evaluation=int(taken),
                )
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
                )
            ).inserted_primary_key
        assert key is not None
        return self.get(int(key[0]))

    def get(self, evaluation_id: int) -> Evaluation:
        with self.db.engine.connect() as c:
            row = c.execute(
                sa.select(evaluations_t).where(evaluations_t.c.id == evaluation_id)
            ).first()
        if row is None:
            raise NoSuchEvaluationError(f"no evaluation {evaluation_id}", evaluation=evaluation_id)
        return _evaluation(row)

    def list(
        self,
        *,
        agent: str | None = None,
        statuses: Sequence[str] = STATUSES,
        limit: int = 200,
    ) -> list[Evaluation]:
        """Newest first."""
        query = sa.select(evaluations_t).where(evaluations_t.c.status.in_(list(statuses)))
        if agent is not None:
            query = query.where(evaluations_t.c.agent == agent)
        with self.db.engine.connect() as c:
            rows = c.execute(query.order_by(evaluations_t.c.id.desc()).limit(limit)).all()
        return [_evaluation(r) for r in rows]

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
        """Keep the answers and the score of an open evaluation, with its event."""
        before = self.get(evaluation_id)
        if before.status != "open":
            raise EvaluationError(
                f"evaluation {evaluation_id} is {before.status}: it was scored already",
                evaluation=evaluation_id,
            )
        result = {
            "earned": score.earned,
            "fatal": list(score.fatal),
            "critical": list(score.critical),
            "sections": dict(score.sections),
        }
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
                    result=result,
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
