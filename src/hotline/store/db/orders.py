"""Work orders in the database: orders, their timeline, return visits, expedite tasks.

`Orders` implements `hotline.orders.service.OrderStore`. A command's whole effect —
the order row, its new timeline steps, the visits and expedite tasks it creates or
closes, and its ``order.*`` events in the event log (the outbox,
`hotline.store.db.outbox`) — is one transaction: a failure or a crash leaves nothing
half-written, and no order exists without its events or the reverse. The order row
carries a `version`; a save from a stale copy matches no row and is refused with
`StaleOrderError`, so two people acting on one order cannot overwrite each other.

Deadline status (near, overdue) is not stored: it depends on the calendar and the
time of asking, so the service computes it from the timeline.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from hotline.orders.errors import NoSuchOrderError, StaleOrderError
from hotline.orders.events import change_events
from hotline.orders.model import (
    OPEN_STATES,
    Change,
    Expedite,
    ExpediteStatus,
    Order,
    OrderFilter,
    OrderSource,
    OrderState,
    ReturnVisit,
    Step,
    StepKind,
    VisitStatus,
    VisitWindow,
)
from hotline.orders.service import Outcome
from hotline.store.db import outbox
from hotline.store.db.database import Database
from hotline.store.db.schema import Base, BigId, Json


class OrderRow(Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    type: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    state: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    department: Mapped[str | None] = mapped_column(sa.String(64))
    fields: Mapped[dict[str, Any]] = mapped_column(Json, nullable=False)
    caller: Mapped[str] = mapped_column(sa.String(32), nullable=False, default="")
    call: Mapped[str | None] = mapped_column(sa.String(64))
    created_by: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    created_at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    updated_at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    anonymous: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    round: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(128))
    """The create request's key (migration 0003): one order per (creator, key)."""
    source: Mapped[str] = mapped_column(
        sa.String(16), nullable=False, default="phone", server_default="phone"
    )
    """来源 (migration 0004): phone, letter, visit, web (`OrderSource`)."""

    __table_args__ = (
        sa.Index("ix_orders_state", "state"),
        sa.Index("ix_orders_type", "type"),
        sa.Index("ix_orders_department", "department"),
        sa.Index("ix_orders_created_at", "created_at"),
        sa.Index("ix_orders_created_by", "created_by"),
        sa.Index("ix_orders_call", "call"),
        sa.Index("ix_orders_caller", "caller"),
        sa.Index("ix_orders_idempotency_key", "created_by", "idempotency_key", unique=True),
    )


class OrderStepRow(Base):
    """One line of an order's timeline (受理, 交办, 督办 …): who, when, the state after."""

    __tablename__ = "order_steps"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id"), nullable=False)
    seq: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    kind: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    state: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    actor: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    department: Mapped[str | None] = mapped_column(sa.String(64))
    note: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(Json, nullable=False)

    __table_args__ = (sa.UniqueConstraint("order_id", "seq", name="uq_order_steps_seq"),)


class ReturnVisitRow(Base):
    __tablename__ = "return_visits"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id"), nullable=False)
    round: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    window: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    scheduled_at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    due_at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    created_at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    status: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    sampled: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    done_at: Mapped[float | None] = mapped_column(sa.Double)
    done_by: Mapped[str | None] = mapped_column(sa.String(64))
    opinion: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    score: Mapped[int | None] = mapped_column(sa.Integer)
    satisfied: Mapped[bool | None] = mapped_column(sa.Boolean)

    __table_args__ = (
        sa.UniqueConstraint("order_id", "round", name="uq_return_visits_round"),
        sa.Index("ix_return_visits_due", "status", "scheduled_at"),
    )


class ExpediteRow(Base):
    __tablename__ = "expedites"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id"), nullable=False)
    round: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    deadline: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    due_at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    raised_at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    status: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    done_at: Mapped[float | None] = mapped_column(sa.Double)
    done_by: Mapped[str | None] = mapped_column(sa.String(64))

    __table_args__ = (
        sa.UniqueConstraint("order_id", "round", "deadline", name="uq_expedites_deadline"),
        sa.Index("ix_expedites_status", "status"),
    )


def _t(model: type[Any]) -> sa.Table:
    table: sa.Table = model.__table__
    return table


orders_t = _t(OrderRow)
steps_t = _t(OrderStepRow)
visits_t = _t(ReturnVisitRow)
expedites_t = _t(ExpediteRow)


def _step(row: Any) -> Step:
    return Step(
        seq=row.seq,
        at=row.at,
        kind=StepKind(row.kind),
        state=OrderState(row.state),
        by=row.actor,
        department=row.department,
        note=row.note,
        detail=dict(row.detail),
    )


def _visit(row: Any) -> ReturnVisit:
    return ReturnVisit(
        id=row.id,
        order=row.order_id,
        round=row.round,
        window=VisitWindow(row.window),
        scheduled_at=row.scheduled_at,
        due_at=row.due_at,
        created_at=row.created_at,
        status=VisitStatus(row.status),
        sampled=bool(row.sampled),
        done_at=row.done_at,
        done_by=row.done_by,
        opinion=row.opinion,
        score=row.score,
        satisfied=row.satisfied,
    )


def _expedite(row: Any) -> Expedite:
    return Expedite(
        id=row.id,
        order=row.order_id,
        round=row.round,
        deadline=row.deadline,
        due_at=row.due_at,
        raised_at=row.raised_at,
        status=ExpediteStatus(row.status),
        done_at=row.done_at,
        done_by=row.done_by,
    )


def _visit_values(visit: ReturnVisit, order_id: int) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "round": visit.round,
        "window": visit.window.value,
        "scheduled_at": visit.scheduled_at,
        "due_at": visit.due_at,
        "created_at": visit.created_at,
        "status": visit.status.value,
        "sampled": visit.sampled,
        "done_at": visit.done_at,
        "done_by": visit.done_by,
        "opinion": visit.opinion,
        "score": visit.score,
        "satisfied": visit.satisfied,
    }


class Orders:
    """The work-order repository (SQLite or PostgreSQL)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- writing ---------------------------------------------------------------------------

    def save(self, change: Change, *, idempotency_key: str | None = None) -> Outcome:
        """Save one command's effect and its events in one transaction; return the stored
        order and the events (in the log already: publish them, do not append them).
        A new order's `idempotency_key` is stored with it (unique per creator).

        Raises `StaleOrderError` when the order moved on since it was read (or a visit
        or expedite task of the same round already exists, or the creator already has
        an order with this key), `NoSuchOrderError` when it is gone; nothing is written
        then.
        """
        order = change.order
        row = {
            "type": order.type,
            "state": order.state.value,
            "department": order.department,
            "fields": dict(order.fields),
            "caller": order.caller,
            "call": order.call,
            "created_by": order.created_by,
            "created_at": order.created_at,
            "updated_at": order.updated_at,
            "anonymous": order.anonymous,
            "round": order.round,
            "source": order.source.value,
        }
        try:
            with self.db.engine.begin() as c:
                order_id = self._write_order(c, order, change.version, row, idempotency_key)
                self._write_rest(c, order_id, change)
                events = change_events(change, order_id)
                outbox.append(c, events)  # last: the events' lock is held the shortest
        except IntegrityError:
            raise StaleOrderError(
                f"order {order.id or 'new'} changed meanwhile; read it again", order=order.id
            ) from None
        saved = self.get(order_id)
        assert saved is not None
        return Outcome(saved, events)

    def _write_order(
        self, c: Connection, order: Order, version: int, row: dict[str, Any], key: str | None
    ) -> int:
        if order.id == 0:
            result = c.execute(sa.insert(orders_t).values(version=1, idempotency_key=key, **row))
            inserted = result.inserted_primary_key
            assert inserted is not None
            return int(inserted[0])
        updated = c.execute(
            sa.update(orders_t)
            .where(orders_t.c.id == order.id, orders_t.c.version == version)
            .values(version=version + 1, **row)
        )
        if updated.rowcount != 1:
            exists = c.execute(sa.select(orders_t.c.id).where(orders_t.c.id == order.id)).first()
            if exists is None:
                raise NoSuchOrderError(f"no order {order.id}", order=order.id)
            raise StaleOrderError(
                f"order {order.id} changed meanwhile; read it again", order=order.id
            )
        return order.id

    def _write_rest(self, c: Connection, order_id: int, change: Change) -> None:
        new_steps = change.order.steps[len(change.order.steps) - change.steps :]
        if new_steps:
            c.execute(
                sa.insert(steps_t),
                [
                    {
                        "order_id": order_id,
                        "seq": s.seq,
                        "at": s.at,
                        "kind": s.kind.value,
                        "state": s.state.value,
                        "actor": s.by,
                        "department": s.department,
                        "note": s.note,
                        "detail": dict(s.detail),
                    }
                    for s in new_steps
                ],
            )
        for visit in change.visits:
            c.execute(sa.insert(visits_t).values(_visit_values(visit, order_id)))
        done = change.visit_done
        if done is not None:
            if done.id == 0:
                c.execute(sa.insert(visits_t).values(_visit_values(done, order_id)))
            else:
                values = _visit_values(done, order_id)
                c.execute(sa.update(visits_t).where(visits_t.c.id == done.id).values(values))
        for task in change.expedites:
            c.execute(
                sa.insert(expedites_t).values(
                    order_id=order_id,
                    round=task.round,
                    deadline=task.deadline,
                    due_at=task.due_at,
                    raised_at=task.raised_at,
                    status=task.status.value,
                )
            )
        if change.close_expedites_by is not None:
            c.execute(
                sa.update(expedites_t)
                .where(
                    expedites_t.c.order_id == order_id,
                    expedites_t.c.status == ExpediteStatus.OPEN.value,
                )
                .values(
                    status=ExpediteStatus.DONE.value,
                    done_at=change.order.updated_at,
                    done_by=change.close_expedites_by,
                )
            )

    # -- reading ---------------------------------------------------------------------------

    def _orders(self, c: Connection, rows: Sequence[Any]) -> list[Order]:
        ids = [r.id for r in rows]
        steps: dict[int, list[Step]] = defaultdict(list)
        for chunk in range(0, len(ids), 500):
            part = ids[chunk : chunk + 500]
            query = (
                sa.select(steps_t)
                .where(steps_t.c.order_id.in_(part))
                .order_by(steps_t.c.order_id, steps_t.c.seq)
            )
            for s in c.execute(query):
                steps[s.order_id].append(_step(s))
        return [
            Order(
                id=r.id,
                type=r.type,
                state=OrderState(r.state),
                fields=dict(r.fields),
                created_by=r.created_by,
                created_at=r.created_at,
                caller=r.caller,
                call=r.call,
                department=r.department,
                anonymous=bool(r.anonymous),
                round=r.round,
                version=r.version,
                steps=tuple(steps[r.id]),
                source=OrderSource(r.source),
            )
            for r in rows
        ]

    def get(self, order_id: int) -> Order | None:
        """The order with its whole timeline, or None."""
        with self.db.engine.connect() as c:
            rows = c.execute(sa.select(orders_t).where(orders_t.c.id == order_id)).all()
            found = self._orders(c, rows)
        return found[0] if found else None

    def created_with(self, created_by: str, idempotency_key: str) -> Order | None:
        """The order `created_by` made with this create request key, or None."""
        query = sa.select(orders_t).where(
            orders_t.c.created_by == created_by, orders_t.c.idempotency_key == idempotency_key
        )
        with self.db.engine.connect() as c:
            found = self._orders(c, c.execute(query).all())
        return found[0] if found else None

    def open_orders(self) -> list[Order]:
        return self.list(OrderFilter(states=sorted(OPEN_STATES), limit=100_000))

    def answered(self, type_name: str) -> list[Order]:
        return self.list(OrderFilter(states=[OrderState.ANSWERED], type=type_name, limit=100_000))

    def visits_of(self, order_id: int) -> list[ReturnVisit]:
        query = sa.select(visits_t).where(visits_t.c.order_id == order_id)
        with self.db.engine.connect() as c:
            return [_visit(r) for r in c.execute(query.order_by(visits_t.c.round))]

    def due_visits(
        self, *, until: float | None = None, orders: Iterable[int] | None = None
    ) -> list[ReturnVisit]:
        """Visits still to make, earliest scheduled first; `until` keeps those scheduled
        before it, `orders` those of these orders."""
        query = sa.select(visits_t).where(visits_t.c.status == VisitStatus.DUE.value)
        if until is not None:
            query = query.where(visits_t.c.scheduled_at < until)
        if orders is not None:
            query = query.where(visits_t.c.order_id.in_(list(orders)))
        query = query.order_by(visits_t.c.scheduled_at, visits_t.c.id)
        with self.db.engine.connect() as c:
            return [_visit(r) for r in c.execute(query)]

    def expedites(self, *, status: ExpediteStatus | None = ExpediteStatus.OPEN) -> list[Expedite]:
        """Expedite tasks (催办), oldest first; open ones by default."""
        query = sa.select(expedites_t)
        if status is not None:
            query = query.where(expedites_t.c.status == status.value)
        with self.db.engine.connect() as c:
            rows = c.execute(query.order_by(expedites_t.c.raised_at, expedites_t.c.id))
            return [_expedite(r) for r in rows]

    def list(self, where: OrderFilter | None = None) -> list[Order]:
        """Orders matching `where`, newest first, each with its timeline."""
        f = where or OrderFilter()
        t = orders_t
        query = sa.select(t)
        if f.states is not None:
            query = query.where(t.c.state.in_([s.value for s in f.states]))
        for column, value in (
            (t.c.type, f.type),
            (t.c.department, f.department),
            (t.c.created_by, f.created_by),
            (t.c.caller, f.caller),
            (t.c.call, f.call),
        ):
            if value is not None:
                query = query.where(column == value)
        if f.created_from is not None:
            query = query.where(t.c.created_at >= f.created_from)
        if f.created_to is not None:
            query = query.where(t.c.created_at < f.created_to)
        query = query.order_by(t.c.created_at.desc(), t.c.id.desc())
        query = query.limit(max(0, f.limit)).offset(max(0, f.offset))
        with self.db.engine.connect() as c:
            return self._orders(c, c.execute(query).all())
