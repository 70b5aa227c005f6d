"""QA verdicts on order accuracy (质检改判) in the database: one row per verdict, never
updated, so the history of an item stays; the latest row per item counts.

`OrderVerdicts` implements `hotline.orders.verdicts.VerdictStore`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from hotline.orders.accuracy import Verdict
from hotline.orders.errors import NoSuchOrderError
from hotline.store.db.database import Database
from hotline.store.db.orders import orders_t
from hotline.store.db.schema import Base


class OrderVerdictRow(Base):
    """One QA verdict: the item, the verdict and the one it replaced, why, who, when."""

    __tablename__ = "order_verdicts"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id"), nullable=False)
    field: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    ok: Mapped[bool] = mapped_column(sa.Boolean, nullable=False)
    was: Mapped[bool] = mapped_column(sa.Boolean, nullable=False)
    reason: Mapped[str] = mapped_column(sa.Text, nullable=False)
    by: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    at: Mapped[float] = mapped_column(sa.Double, nullable=False)

    __table_args__ = (sa.Index("ix_order_verdicts_order", "order_id", "id"),)


verdicts_t: sa.Table = OrderVerdictRow.__table__  # type: ignore[assignment]


def _verdict(row: Any) -> Verdict:
    return Verdict(
        order=row.order_id,
        field=row.field,
        ok=row.ok,
        was=row.was,
        reason=row.reason,
        by=row.by,
        at=row.at,
        id=row.id,
    )


class OrderVerdicts:
    """The QA verdicts of one database."""

    CHUNK = 500
    """Orders asked for in one query (SQLite's bound-parameter limit stays far away)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, verdict: Verdict) -> Verdict:
        values = {
            "order_id": verdict.order,
            "field": verdict.field,
            "ok": verdict.ok,
            "was": verdict.was,
            "reason": verdict.reason,
            "by": verdict.by,
            "at": verdict.at,
        }
        with self.db.engine.begin() as c:
            exists = c.execute(sa.select(orders_t.c.id).where(orders_t.c.id == verdict.order))
            if exists.first() is None:
                raise NoSuchOrderError(f"no order {verdict.order}", order=verdict.order)
            try:
                key = c.execute(sa.insert(verdicts_t).values(values)).inserted_primary_key
            except IntegrityError:  # the order was deleted in between
                raise NoSuchOrderError(f"no order {verdict.order}", order=verdict.order) from None
        assert key is not None
        return Verdict(
            order=verdict.order,
            field=verdict.field,
            ok=verdict.ok,
            was=verdict.was,
            reason=verdict.reason,
            by=verdict.by,
            at=verdict.at,
            id=int(key[0]),
        )

    def latest(self, orders: Iterable[int]) -> dict[int, dict[str, Verdict]]:
        found: dict[int, dict[str, Verdict]] = {}
        wanted = sorted(set(orders))
        with self.db.engine.connect() as c:
            for start in range(0, len(wanted), self.CHUNK):
                chunk = wanted[start : start + self.CHUNK]
                query = (
                    sa.select(verdicts_t)
                    .where(verdicts_t.c.order_id.in_(chunk))
                    .order_by(verdicts_t.c.id)
                )
                for row in c.execute(query):  # in order of writing: the latest stays
                    found.setdefault(row.order_id, {})[row.field] = _verdict(row)
        return found

    def history(self, order: int) -> list[Verdict]:
        query = (
            sa.select(verdicts_t)
            .where(verdicts_t.c.order_id == order)
            .order_by(verdicts_t.c.id.desc())
        )
        with self.db.engine.connect() as c:
            return [_verdict(row) for row in c.execute(query)]
