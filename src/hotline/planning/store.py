"""排班 in the database: imported interval history, special days and week plans.

- ``wfm_history``: interval rows imported from a center's own ACD (CSV) — the history
  before Hotline ran; the event log supplies the rest (`log_rows`), and where both have
  a queue's half hour, the log wins.
- ``wfm_special_days``: factors a planner enters (a heat wave ×1.5, a bill run ×1.2).
- ``wfm_plans``: a week's plan (`hotline.wfm.plan.WeekPlan.to_json`) as drafted,
  published or superseded. Publishing is one transaction that supersedes the week's
  earlier published plan and writes ``wfm.schedule_published`` (the outbox); a swap
  rewrites the plan's two agents' days and writes ``wfm.shift_swapped`` the same way.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hotline.core.errors import HotlineError
from hotline.core.events import Saved
from hotline.planning.events import SchedulePublished, ShiftSwapped
from hotline.store.db import outbox
from hotline.store.db.database import Database
from hotline.store.db.eventlog import EventLog
from hotline.store.db.schema import Base, Json
from hotline.wfm.calendar import SpecialDay
from hotline.wfm.history import IntervalCount, IntervalFold
from hotline.wfm.patience import KINDS as PATIENCE_KINDS
from hotline.wfm.patience import Patience, measure_patience

HISTORY_KINDS = (
    "contact.queued",
    "contact.answered",
    "contact.completed",
    "contact.transferred",
    "agent.state_changed",
)


class PlanError(HotlineError):
    """A plan cannot be changed so (the API answers 409)."""

    error_id = "plan-refused"


class NoSuchPlanError(HotlineError):
    error_id = "no-such-plan"


class HistoryRow(Base):
    __tablename__ = "wfm_history"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    queue: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    start: Mapped[str] = mapped_column(sa.String(16), nullable=False)  # YYYY-MM-DD HH:MM local
    offered: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    answered: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    talk_seconds: Mapped[float] = mapped_column(sa.Double, nullable=False)
    wrap_up_seconds: Mapped[float] = mapped_column(sa.Double, nullable=False)
    source: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")

    __table_args__ = (sa.Index("ux_wfm_history", "queue", "start", unique=True),)


class SpecialDayRow(Base):
    __tablename__ = "wfm_special_days"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    first: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    last: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    factor: Mapped[float] = mapped_column(sa.Double, nullable=False)
    label: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    queue: Mapped[str | None] = mapped_column(sa.String(64))
    created_by: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    created_at: Mapped[float] = mapped_column(sa.Double, nullable=False)


class PlanRow(Base):
    __tablename__ = "wfm_plans"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    week_start: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    status: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    created_at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    created_by: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    published_at: Mapped[float | None] = mapped_column(sa.Double)
    published_by: Mapped[str | None] = mapped_column(sa.String(64))
    body: Mapped[dict[str, Any]] = mapped_column(Json, nullable=False)

    __table_args__ = (sa.Index("ix_wfm_plans_week", "week_start", "status"),)


history_t: sa.Table = HistoryRow.__table__  # type: ignore[assignment]
specials_t: sa.Table = SpecialDayRow.__table__  # type: ignore[assignment]
plans_t: sa.Table = PlanRow.__table__  # type: ignore[assignment]

STATUSES = ("draft", "published", "superseded")


@dataclass(frozen=True, slots=True)
class StoredSpecial:
    id: int
    day: SpecialDay
    created_by: str
    created_at: float


@dataclass(frozen=True, slots=True)
class StoredPlan:
    """A plan as kept: `body` is `WeekPlan.to_json()`."""

    id: int
    week_start: datetime.date
    status: str
    created_at: float
    created_by: str
    published_at: float | None
    published_by: str | None
    body: dict[str, Any]


def _plan(row: Any) -> StoredPlan:
    return StoredPlan(
        row.id,
        datetime.date.fromisoformat(row.week_start),
        row.status,
        row.created_at,
        row.created_by,
        row.published_at,
        row.published_by,
        dict(row.body),
    )


def log_rows(
    db: Database, zone: datetime.tzinfo, *, since: float | None = None
) -> list[IntervalCount]:
    """Interval rows from the event log (`hotline.wfm.history.IntervalFold`), read in chunks."""
    fold = IntervalFold(zone)
    log = EventLog(db)
    last = 0
    while True:
        chunk = log.read(since_id=last, kinds=HISTORY_KINDS, start=since, limit=20_000)
        for stored in chunk:
            fold(stored.event)
        if len(chunk) < 20_000:
            break
        last = chunk[-1].id
    return fold.rows()


def history_rows(
    db: Database, zone: datetime.tzinfo, *, since: float | None = None
) -> list[IntervalCount]:
    """Imported rows and the event log's (from `since` on), the log's winning where both
    have a queue's half hour; in (queue, start) order."""
    merged = {(r.queue, r.start): r for r in PlanningStore(db).imported()}
    merged.update({(r.queue, r.start): r for r in log_rows(db, zone, since=since)})
    return [merged[k] for k in sorted(merged)]


PATIENCE_DAYS = 14
"""Days of the log that patience is measured over (the planner's recent callers)."""


def log_patience(db: Database, until: float, days: int = PATIENCE_DAYS) -> dict[str, Patience]:
    """Each queue's callers' patience from the log's waits of the `days` before `until`
    (`hotline.wfm.patience`)."""
    stored = EventLog(db).read(
        kinds=list(PATIENCE_KINDS), start=until - days * 86400.0, end=until, limit=50_000_000
    )
    return measure_patience(s.event for s in stored)  # type: ignore[misc]


def log_tiers(db: Database, until: float, days: int = PATIENCE_DAYS) -> dict[str, int]:
    """How many callers of each tier (高端 / 中端 / 普通) reached a queue in the `days`
    before `until`: each call counted once, with the tier it first queued with."""
    seen: set[str] = set()
    counts: dict[str, int] = {}
    stored = EventLog(db).read(
        kinds=["contact.queued"], start=until - days * 86400.0, end=until, limit=50_000_000
    )
    for item in stored:
        event = item.event
        call = str(getattr(event, "call", ""))
        if call in seen:
            continue
        seen.add(call)
        tier = str(getattr(event, "tier", "ordinary"))
        counts[tier] = counts.get(tier, 0) + 1
    return counts


class PlanningStore:
    """The planning tables (SQLite or PostgreSQL)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- history -------------------------------------------------------------------------

    def import_history(self, rows: Sequence[IntervalCount], source: str) -> int:
        """Store imported rows (a queue's half hour imported again is replaced); all or none."""
        values = [
            {
                "queue": r.queue,
                "start": f"{r.start:%Y-%m-%d %H:%M}",
                "offered": r.offered,
                "answered": r.answered,
                "talk_seconds": r.talk_seconds,
                "wrap_up_seconds": r.wrap_up_seconds,
                "source": source[:200],
            }
            for r in rows
        ]
        with self.db.engine.begin() as c:
            for i in range(0, len(values), 500):
                batch = values[i : i + 500]
                for v in batch:
                    c.execute(
                        history_t.delete()
                        .where(history_t.c.queue == v["queue"])
                        .where(history_t.c.start == v["start"])
                    )
                c.execute(history_t.insert(), batch)
        return len(values)

    def imported(self) -> list[IntervalCount]:
        with self.db.engine.connect() as c:
            rows = c.execute(sa.select(history_t).order_by(history_t.c.start)).all()
        return [
            IntervalCount(
                r.queue,
                datetime.datetime.fromisoformat(r.start),
                r.offered,
                r.answered,
                r.talk_seconds,
                r.wrap_up_seconds,
            )
            for r in rows
        ]

    def history_summary(self) -> dict[str, Any]:
        with self.db.engine.connect() as c:
            row = c.execute(
                sa.select(
                    sa.func.count(),
                    sa.func.min(history_t.c.start),
                    sa.func.max(history_t.c.start),
                    sa.func.sum(history_t.c.offered),
                )
            ).one()
            queues = c.execute(sa.select(history_t.c.queue).distinct()).scalars().all()
        return {
            "rows": row[0],
            "first": row[1],
            "last": row[2],
            "calls": int(row[3] or 0),
            "queues": sorted(queues),
        }

    # -- special days --------------------------------------------------------------------

    def add_special(self, day: SpecialDay, *, by: str, at: float) -> StoredSpecial:
        with self.db.engine.begin() as c:
            key = c.execute(
                specials_t.insert().values(
                    first=day.first.isoformat(),
                    last=day.last.isoformat(),
                    factor=day.factor,
                    label=day.label,
                    queue=day.queue,
                    created_by=by,
                    created_at=at,
                )
            ).inserted_primary_key
        assert key is not None
        return StoredSpecial(int(key[0]), day, by, at)

    def specials(self) -> list[StoredSpecial]:
        with self.db.engine.connect() as c:
            rows = c.execute(sa.select(specials_t).order_by(specials_t.c.first)).all()
        return [
            StoredSpecial(
                r.id,
                SpecialDay(
                    datetime.date.fromisoformat(r.first),
                    datetime.date.fromisoformat(r.last),
                    r.factor,
                    r.label,
                    r.queue,
                ),
                r.created_by,
                r.created_at,
            )
            for r in rows
        ]

    def remove_special(self, special_id: int) -> bool:
        with self.db.engine.begin() as c:
            return c.execute(specials_t.delete().where(specials_t.c.id == special_id)).rowcount > 0

    # -- plans ---------------------------------------------------------------------------

    def save_draft(self, body: dict[str, Any], *, by: str, at: float) -> StoredPlan:
        with self.db.engine.begin() as c:
            key = c.execute(
                plans_t.insert().values(
                    week_start=body["week_start"],
                    status="draft",
                    created_at=at,
                    created_by=by,
                    body=body,
                )
            ).inserted_primary_key
        assert key is not None
        return self.get(int(key[0]))

    def get(self, plan_id: int) -> StoredPlan:
        with self.db.engine.connect() as c:
            row = c.execute(sa.select(plans_t).where(plans_t.c.id == plan_id)).first()
        if row is None:
            raise NoSuchPlanError(f"no plan {plan_id}", plan=plan_id)
        return _plan(row)

    def plans(self, *, limit: int = 50) -> list[StoredPlan]:
        """Newest first, without their bodies' bulk (the body is kept; callers trim)."""
        with self.db.engine.connect() as c:
            rows = c.execute(sa.select(plans_t).order_by(plans_t.c.id.desc()).limit(limit)).all()
        return [_plan(r) for r in rows]

    def published(self, week_start: datetime.date) -> StoredPlan | None:
        with self.db.engine.connect() as c:
            row = c.execute(
                sa.select(plans_t)
                .where(plans_t.c.week_start == week_start.isoformat())
                .where(plans_t.c.status == "published")
            ).first()
        return None if row is None else _plan(row)

    def published_weeks(self, first: datetime.date, last: datetime.date) -> list[StoredPlan]:
        """The published plans of the weeks that touch `first`..`last`."""
        lo = (first - datetime.timedelta(days=7)).isoformat()
        with self.db.engine.connect() as c:
            rows = c.execute(
                sa.select(plans_t)
                .where(plans_t.c.status == "published")
                .where(plans_t.c.week_start > lo)
                .where(plans_t.c.week_start <= last.isoformat())
                .order_by(plans_t.c.week_start)
            ).all()
        return [_plan(r) for r in rows]

    def save_twin(self, plan_id: int, day: int, twin: dict[str, Any]) -> StoredPlan:
        """Keep a twin check of day `day` in the plan (the plan's status unchanged)."""
        with self.db.engine.begin() as c:
            row = c.execute(sa.select(plans_t.c.body).where(plans_t.c.id == plan_id)).first()
            if row is None:
                raise NoSuchPlanError(f"no plan {plan_id}", plan=plan_id)
            body = copy.deepcopy(dict(row.body))
            body.setdefault("twin", {})[str(day)] = twin
            c.execute(plans_t.update().where(plans_t.c.id == plan_id).values(body=body))
        return self.get(plan_id)

    def publish(self, plan_id: int, *, by: str, at: float) -> Saved[StoredPlan]:
        """Publish a scheduled draft; the week's earlier published plan is superseded."""
        plan = self.get(plan_id)
        if plan.status != "draft":
            raise PlanError(
                f"plan {plan_id} is {plan.status}: only a draft is published",
                plan=plan_id,
                status=plan.status,
            )
        if not plan.body.get("schedule"):
            raise PlanError(f"plan {plan_id} has no schedule yet: schedule it first", plan=plan_id)
        with self.db.engine.begin() as c:
            before = c.execute(
                sa.select(plans_t.c.id)
                .where(plans_t.c.week_start == plan.week_start.isoformat())
                .where(plans_t.c.status == "published")
            ).scalar()
            if before is not None:
                c.execute(
                    plans_t.update().where(plans_t.c.id == before).values(status="superseded")
                )
            done = c.execute(
                plans_t.update()
                .where(plans_t.c.id == plan_id)
                .where(plans_t.c.status == "draft")
                .values(status="published", published_at=at, published_by=by)
            ).rowcount
            if done != 1:
                raise PlanError(f"plan {plan_id} changed meanwhile", plan=plan_id)
            published = SchedulePublished(
                at,
                plan_id,
                plan.week_start.isoformat(),
                by,
                len(plan.body["schedule"].get("agents", ())),
                int(before or 0),
            )
            outbox.append(c, [published])
        return Saved(self.get(plan_id), (published,))

    def swap(
        self,
        plan_id: int,
        day: int,
        first: str,
        second: str,
        *,
        by: str,
        at: float,
        check: Callable[[dict[str, Any]], Iterable[str]],
    ) -> Saved[StoredPlan]:
        """Exchange two agents' shifts on day `day` (0 = Monday) of a published plan;
        `check(body)` returns the broken rules of the changed plan (refused if any)."""
        plan = self.get(plan_id)
        if plan.status != "published":
            raise PlanError(
                f"plan {plan_id} is {plan.status}: shifts are swapped in the published schedule",
                plan=plan_id,
            )
        if first == second:
            raise PlanError("choose two different agents", plan=plan_id)
        body = copy.deepcopy(plan.body)
        weeks = {w["agent"]: w for w in body["schedule"]["agents"]}
        for agent in (first, second):
            if agent not in weeks:
                raise PlanError(
                    f"agent {agent} is not in plan {plan_id}", plan=plan_id, agent=agent
                )
        a, b = weeks[first]["days"], weeks[second]["days"]
        if a[day] is None and b[day] is None:
            raise PlanError(
                f"{first} and {second} both rest that day: nothing to swap", plan=plan_id
            )
        a[day], b[day] = b[day], a[day]
        broken = list(check(body))
        if broken:
            raise PlanError("; ".join(broken), plan=plan_id, rules=broken)
        day_text = (plan.week_start + datetime.timedelta(days=day)).isoformat()
        with self.db.engine.begin() as c:
            done = c.execute(
                plans_t.update()
                .where(plans_t.c.id == plan_id)
                .where(plans_t.c.status == "published")
                .values(body=body)
            ).rowcount
            if done != 1:
                raise PlanError(f"plan {plan_id} changed meanwhile", plan=plan_id)
            swapped = ShiftSwapped(
                at,
                plan_id,
                day_text,
                first,
                second,
                (b[day] or {}).get("shift", "-"),
                (a[day] or {}).get("shift", "-"),
                by,
            )
            outbox.append(c, [swapped])
        return Saved(self.get(plan_id), (swapped,))
