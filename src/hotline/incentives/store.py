"""激励积分 in the database: the leads' grants (table ``incentive_grants``) and the month's
facts read back from the event log.

A grant is kept with its ``incentives.points_given`` event in one transaction (the
outbox); the points are then read from the log like every other item, so the table is
the record of who gave what and the log the truth of the figures. The other facts are
the log's ``qa.evaluation_scored`` (with ``qa.dispute_reviewed``), ``survey.scored`` and
``qa.case_added`` records.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hotline.core.events import Event, Saved
from hotline.incentives.events import PointsGiven
from hotline.incentives.points import (
    CaseFact,
    Facts,
    GrantFact,
    Member,
    ScoredFact,
    SurveyFact,
    members_of,
)
from hotline.store.db import outbox
from hotline.store.db.database import Database
from hotline.store.db.eventlog import EventLog, StoredEvent
from hotline.store.db.repositories import Agents
from hotline.store.db.schema import Base

LIMIT = 5_000_000
"""At most this many records of one kind in a month (a read is one query)."""


class GrantRow(Base):
    __tablename__ = "incentive_grants"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    agent: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    points: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    reason: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    created_by: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    created_at: Mapped[float] = mapped_column(sa.Double, nullable=False)

    __table_args__ = (sa.Index("ix_incentive_grants_agent", "agent", "created_at"),)


grants_t: sa.Table = GrantRow.__table__  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class Grant:
    """Points a lead gave an agent by hand, and why."""

    id: int
    agent: str
    points: int
    reason: str
    created_by: str
    created_at: float


def _grant(row: Any) -> Grant:
    return Grant(row.id, row.agent, row.points, row.reason, row.created_by, row.created_at)


class Grants:
    """The grants table (SQLite or PostgreSQL)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def give(self, agent: str, points: int, reason: str, *, by: str, at: float) -> Saved[Grant]:
        """Keep a grant and its ``incentives.points_given`` event, in one transaction."""
        with self.db.engine.begin() as c:
            key = c.execute(
                grants_t.insert().values(
                    agent=agent, points=points, reason=reason, created_by=by, created_at=at
                )
            ).inserted_primary_key
            assert key is not None
            given = PointsGiven(at, int(key[0]), agent, points, reason, by)
            outbox.append(c, [given])
        return Saved(Grant(int(key[0]), agent, points, reason, by, at), (given,))

    def recent(self, *, since: float, until: float, limit: int = 200) -> list[Grant]:
        """Grants given in [since, until), newest first."""
        with self.db.engine.connect() as c:
            rows = c.execute(
                sa.select(grants_t)
                .where(grants_t.c.created_at >= since)
                .where(grants_t.c.created_at < until)
                .order_by(grants_t.c.id.desc())
                .limit(limit)
            ).all()
        return [_grant(r) for r in rows]


KINDS = ("qa.evaluation_scored", "survey.scored", "qa.case_added", PointsGiven.kind)
REVIEWED = "qa.dispute_reviewed"
MONTHS_KEPT = 3
"""Months whose facts `MonthLog` keeps read (this month, the last, one more)."""


@dataclass
class _Month:
    """The facts of one month read so far: the log up to id `last`, converted once."""

    last: int = 0
    scored: list[ScoredFact] = field(default_factory=list)
    reviews: dict[int, tuple[int, Event]] = field(default_factory=dict)
    surveys: list[SurveyFact] = field(default_factory=list)
    cases: list[CaseFact] = field(default_factory=list)
    grants: list[GrantFact] = field(default_factory=list)

    def add(self, stored: StoredEvent) -> None:
        e, key = stored.event, stored.id
        if e.kind == REVIEWED:
            self.reviews[int(_field(e, "evaluation"))] = (key, e)
        elif e.kind == "qa.evaluation_scored":
            self.scored.append(
                ScoredFact(
                    key,
                    e.at,
                    int(_field(e, "evaluation")),
                    str(_field(e, "call")),
                    str(_field(e, "agent")),
                    float(_field(e, "score")),
                    bool(_field(e, "fatal")),
                )
            )
        elif e.kind == "survey.scored":
            if _field(e, "agent"):  # a survey of a call no agent answered earns no one
                self.surveys.append(
                    SurveyFact(
                        key,
                        e.at,
                        str(_field(e, "call")),
                        str(_field(e, "agent")),
                        int(_field(e, "score")),
                    )
                )
        elif e.kind == "qa.case_added":
            self.cases.append(
                CaseFact(
                    key,
                    e.at,
                    int(_field(e, "case")),
                    str(_field(e, "call")),
                    str(_field(e, "agent")),
                    str(_field(e, "verdict")),
                    str(_field(e, "title")),
                )
            )
        elif e.kind == PointsGiven.kind:
            self.grants.append(
                GrantFact(
                    key,
                    e.at,
                    int(_field(e, "grant")),
                    str(_field(e, "agent")),
                    int(_field(e, "points")),
                    str(_field(e, "reason")),
                    str(_field(e, "by")),
                )
            )

    def facts(self, until: float, agent: str | None) -> Facts:
        """The facts at or before `until` (one agent's, if `agent`), each evaluation with
        its latest score: an overturned dispute's."""

        def keep(at: float, who: str) -> bool:
            return at <= until and (agent is None or who == agent)

        scored = []
        for s in self.scored:
            if not keep(s.at, s.agent):
                continue
            found = self.reviews.get(s.evaluation)
            if found is not None and _field(found[1], "verdict") == "overturned":
                review = found[1]
                s = dataclasses.replace(
                    s,
                    score=float(_field(review, "score")),
                    fatal=bool(_field(review, "fatal")),
                    revised_by=found[0],
                    first_score=s.score,
                )
            scored.append(s)
        return Facts(
            scored,
            [v for v in self.surveys if keep(v.at, v.agent)],
            [c for c in self.cases if keep(c.at, c.agent)],
            [g for g in self.grants if keep(g.at, g.agent)],
        )


class MonthLog:
    """The facts that earn points, read from the event log month by month.

    A month's records are read once and then only what the log committed since (ids
    grow in commit order, `hotline.store.db.eventlog`), so a page refresh costs a small
    query, not the month again. A dispute reviewed after the month still revises its
    evaluation (reviews are read with no end).
    """

    def __init__(self, db: Database) -> None:
        self.log = EventLog(db)
        self._months: dict[tuple[float, float], _Month] = {}
        self._lock = threading.Lock()

    def facts(
        self, start: float, end: float, *, until: float | None = None, agent: str | None = None
    ) -> Facts:
        """Every evaluation scored, survey answered, case added and grant given in [start,
        end) and at or before `until` (one agent's when `agent` is given); an evaluation's
        score is its latest: a dispute overturned later, even after `end`, replaces it."""
        with self._lock:
            month = self._months.pop((start, end), None) or _Month()
            self._months[(start, end)] = month  # the newest used last
            while len(self._months) > MONTHS_KEPT:
                del self._months[next(iter(self._months))]
            self._refresh(month, start, end)
            return month.facts(end if until is None else until, agent)

    def _refresh(self, month: _Month, start: float, end: float) -> None:
        top = self.log.last_id()  # a record committed during the reads is read next time
        found = self.log.read(month.last, kinds=KINDS, start=start, end=end, limit=LIMIT)
        found += self.log.read(month.last, kinds=[REVIEWED], start=start, limit=LIMIT)
        for stored in sorted(found, key=lambda s: s.id):
            if stored.id <= top:
                month.add(stored)
        month.last = max(month.last, top)


def _field(event: Event, name: str) -> Any:
    """A field of an event read back from the log (each kind's class has it)."""
    return getattr(event, name)


def members(db: Database) -> list[Member]:
    """The agents table's agents (工号, name, team)."""
    return members_of((a.id, a.name, a.team or None) for a in Agents(db).list())


def member(db: Database, agent: str) -> Member | None:
    found = Agents(db).get(agent)
    return None if found is None else Member(found.id, found.name or found.id, found.team or None)


__all__ = ["Grant", "GrantRow", "Grants", "MonthLog", "member", "members"]
