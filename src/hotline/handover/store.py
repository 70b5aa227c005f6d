"""交接班 in the database: handover sheets and the agents' shift summaries.

A sheet belongs to one shift of one day (``shift_day``, ``shift_name``; one sheet per
shift) and keeps the shift's figures (`hotline.handover.figures`). A sheet's lists
(unfinished orders, orders to chase, outages) are stored as the JSON
snapshot taken when it was handed over. Acknowledging (接班) is one conditional UPDATE,
so two leads cannot both take over one sheet, and nobody takes over their own. Each
write commits its event (``handover.submitted``, ``handover.acknowledged``,
``shift.summarized``) to the event log in the same transaction (the outbox,
`hotline.store.db.outbox`) and returns it with the record, to be published.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hotline.handover.sheet import (
    ChaseLine,
    HandoverAcknowledged,
    HandoverSheet,
    HandoverStatus,
    HandoverSubmitted,
    OrderLine,
    OutageLine,
    ShiftFigures,
    ShiftSummarized,
    ShiftSummary,
    Snapshot,
)
from hotline.handover.shifts import ShiftWindow
from hotline.orders.errors import OrderError
from hotline.orders.model import StepKind
from hotline.store.db import outbox
from hotline.store.db.database import Database
from hotline.store.db.orders import orders_t, steps_t, visits_t
from hotline.store.db.outbox import Saved
from hotline.store.db.schema import Base, EventRow, Json


class HandoverError(OrderError):
    """A handover was refused (the API answers 409)."""

    error_id = "handover-refused"


class NoSuchHandoverError(OrderError):
    error_id = "no-such-handover"


class HandoverRow(Base):
    __tablename__ = "handovers"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    shift_start: Mapped[float] = mapped_column(sa.Double, nullable=False)
    created_at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    outgoing: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    snapshot: Mapped[dict[str, Any]] = mapped_column(Json, nullable=False)
    incidents: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    system_status: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    notes: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    status: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    incoming: Mapped[str | None] = mapped_column(sa.String(64))
    acknowledged_at: Mapped[float | None] = mapped_column(sa.Double)
    remark: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    shift_day: Mapped[str | None] = mapped_column(sa.String(10))
    shift_name: Mapped[str | None] = mapped_column(sa.String(64))
    shift_label: Mapped[str | None] = mapped_column(sa.String(64))
    shift_hours: Mapped[str | None] = mapped_column(sa.String(16))
    shift_end: Mapped[float | None] = mapped_column(sa.Double)
    figures: Mapped[dict[str, Any] | None] = mapped_column(Json)
    no_exceptions: Mapped[bool] = mapped_column(
        sa.Boolean, nullable=False, default=False, server_default=sa.false()
    )

    __table_args__ = (
        sa.Index("ix_handovers_created_at", "created_at"),
        sa.Index("ux_handovers_shift", "shift_day", "shift_name", unique=True),
    )


class ShiftSummaryRow(Base):
    __tablename__ = "shift_summaries"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    agent: Mapped[str | None] = mapped_column(sa.String(64))
    shift_start: Mapped[float] = mapped_column(sa.Double, nullable=False)
    created_at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    counts: Mapped[dict[str, Any]] = mapped_column(Json, nullable=False)
    note: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")

    __table_args__ = (sa.Index("ix_shift_summaries_created_at", "created_at"),)


handovers_t: sa.Table = HandoverRow.__table__  # type: ignore[assignment]
summaries_t: sa.Table = ShiftSummaryRow.__table__  # type: ignore[assignment]
events_t: sa.Table = EventRow.__table__  # type: ignore[assignment]


def _snapshot(data: Mapping[str, Any]) -> Snapshot:
    return Snapshot(
        tuple(OrderLine(**line) for line in data.get("unfinished", ())),
        tuple(ChaseLine(**line) for line in data.get("to_chase", ())),
        tuple(OutageLine(**line) for line in data.get("outages", ())),
    )


def _shift(row: Any) -> ShiftWindow | None:
    if row.shift_name is None or row.shift_day is None or row.shift_end is None:
        return None
    return ShiftWindow(
        row.shift_name,
        row.shift_label or row.shift_name,
        row.shift_hours or "",
        datetime.date.fromisoformat(row.shift_day),
        row.shift_start,
        row.shift_end,
    )


def _sheet(row: Any) -> HandoverSheet:
    return HandoverSheet(
        id=row.id,
        shift_start=row.shift_start,
        created_at=row.created_at,
        outgoing=row.outgoing,
        snapshot=_snapshot(row.snapshot),
        incidents=row.incidents,
        system_status=row.system_status,
        notes=row.notes,
        status=HandoverStatus(row.status),
        incoming=row.incoming,
        acknowledged_at=row.acknowledged_at,
        remark=row.remark,
        shift=_shift(row),
        figures=ShiftFigures(**row.figures) if row.figures else None,
        no_exceptions=bool(row.no_exceptions),
    )


def _summary(row: Any) -> ShiftSummary:
    return ShiftSummary(
        row.id,
        row.username,
        row.agent,
        row.shift_start,
        row.created_at,
        dict(row.counts),
        row.note,
    )


class Handovers:
    """Handover sheets and shift summaries (SQLite or PostgreSQL)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- sheets ----------------------------------------------------------------------------

    def hand_over(self, sheet: HandoverSheet) -> Saved[HandoverSheet]:
        """Store a new sheet (its `id` is ignored) with its ``handover.submitted``; refused
        while an earlier sheet still waits for its incoming lead."""
        values = {
            "shift_start": sheet.shift_start,
            "created_at": sheet.created_at,
            "outgoing": sheet.outgoing,
            "snapshot": dataclasses.asdict(sheet.snapshot),
            "incidents": sheet.incidents,
            "system_status": sheet.system_status,
            "notes": sheet.notes,
            "status": HandoverStatus.HANDED_OVER.value,
            "remark": "",
            "figures": dataclasses.asdict(sheet.figures) if sheet.figures else None,
            "no_exceptions": sheet.no_exceptions,
        }
        shift = sheet.shift
        if shift is not None:
            values |= {
                "shift_day": shift.day.isoformat(),
                "shift_name": shift.name,
                "shift_label": shift.label,
                "shift_hours": shift.hours,
                "shift_end": shift.end,
            }
        with self.db.engine.begin() as c:
            waiting = c.execute(
                sa.select(handovers_t.c.id, handovers_t.c.outgoing).where(
                    handovers_t.c.status == HandoverStatus.HANDED_OVER.value
                )
            ).first()
            if waiting is not None:
                raise HandoverError(
                    f"sheet {waiting.id} from {waiting.outgoing} still waits for 接班; "
                    "it must be taken over before the next one is handed over",
                    sheet=waiting.id,
                )
            if shift is not None:
                done = c.execute(
                    sa.select(handovers_t.c.id, handovers_t.c.outgoing)
                    .where(handovers_t.c.shift_day == shift.day.isoformat())
                    .where(handovers_t.c.shift_name == shift.name)
                ).first()
                if done is not None:
                    raise HandoverError(
                        f"{shift.day.isoformat()} {shift.label} {shift.hours} already has its "
                        f"sheet {done.id} (handed over by {done.outgoing})",
                        sheet=done.id,
                    )
            key = c.execute(handovers_t.insert().values(**values)).inserted_primary_key
            assert key is not None
            snap = sheet.snapshot
            submitted = HandoverSubmitted(
                sheet.created_at,
                int(key[0]),
                sheet.outgoing,
                len(snap.unfinished),
                len(snap.to_chase),
                len(snap.outages),
                shift.name if shift else "",
                shift.day.isoformat() if shift else "",
            )
            outbox.append(c, [submitted])
        return Saved(self.get(submitted.sheet), (submitted,))

    def acknowledge(
        self, sheet_id: int, *, by: str, at: float, remark: str = ""
    ) -> Saved[HandoverSheet]:
        """接班: `by` takes over the sheet (with its ``handover.acknowledged``); not its
        own, and only once."""
        sheet = self.get(sheet_id)
        if sheet.outgoing == by:
            raise HandoverError(
                "the incoming shift lead acknowledges the sheet, not the one who handed it over",
                sheet=sheet_id,
            )
        with self.db.engine.begin() as c:
            done = c.execute(
                handovers_t.update()
                .where(handovers_t.c.id == sheet_id)
                .where(handovers_t.c.status == HandoverStatus.HANDED_OVER.value)
                .values(
                    status=HandoverStatus.ACKNOWLEDGED.value,
                    incoming=by,
                    acknowledged_at=at,
                    remark=remark,
                )
            ).rowcount
            acknowledged = HandoverAcknowledged(at, sheet_id, by, sheet.outgoing)
            if done == 1:  # else nothing changed, and nothing is announced
                outbox.append(c, [acknowledged])
        if done != 1:
            taken = self.get(sheet_id)
            raise HandoverError(
                f"sheet {sheet_id} was already taken over by {taken.incoming}", sheet=sheet_id
            )
        return Saved(self.get(sheet_id), (acknowledged,))

    def get(self, sheet_id: int) -> HandoverSheet:
        with self.db.engine.connect() as c:
            row = c.execute(sa.select(handovers_t).where(handovers_t.c.id == sheet_id)).first()
        if row is None:
            raise NoSuchHandoverError(f"no handover sheet {sheet_id}", sheet=sheet_id)
        return _sheet(row)

    def recent(self, limit: int = 20) -> list[HandoverSheet]:
        """The latest sheets, newest first."""
        query = sa.select(handovers_t).order_by(handovers_t.c.id.desc()).limit(limit)
        with self.db.engine.connect() as c:
            return [_sheet(r) for r in c.execute(query)]

    def handed(self, since: float) -> set[tuple[str, str]]:
        """The shifts (day, name) that began at `since` or later and have a sheet."""
        query = (
            sa.select(handovers_t.c.shift_day, handovers_t.c.shift_name)
            .where(handovers_t.c.shift_start >= since)
            .where(handovers_t.c.shift_name.is_not(None))
        )
        with self.db.engine.connect() as c:
            return {(r.shift_day, r.shift_name) for r in c.execute(query)}

    # -- shift summaries ---------------------------------------------------------------------

    def summarize(self, summary: ShiftSummary) -> Saved[ShiftSummary]:
        """Store an agent's shift summary (its `id` is ignored) with its ``shift.summarized``."""
        values = {
            "username": summary.username,
            "agent": summary.agent,
            "shift_start": summary.shift_start,
            "created_at": summary.created_at,
            "counts": dict(summary.counts),
            "note": summary.note,
        }
        with self.db.engine.begin() as c:
            key = c.execute(summaries_t.insert().values(**values)).inserted_primary_key
            assert key is not None
            row = c.execute(sa.select(summaries_t).where(summaries_t.c.id == key[0])).one()
            summarized = ShiftSummarized(row.created_at, row.id, row.username, row.agent)
            outbox.append(c, [summarized])
        return Saved(_summary(row), (summarized,))

    def summaries(self, *, since: float, username: str | None = None) -> list[ShiftSummary]:
        query = sa.select(summaries_t).where(summaries_t.c.created_at >= since)
        if username is not None:
            query = query.where(summaries_t.c.username == username)
        with self.db.engine.connect() as c:
            return [_summary(r) for r in c.execute(query.order_by(summaries_t.c.id))]

    def counts(
        self, *, username: str, agent: str | None, start: float, end: float
    ) -> dict[str, int | float]:
        """What one person did in [start, end]: calls answered and their talk time (from
        the event log), orders recorded, notice calls made, return visits made."""
        counts: dict[str, int | float] = {}
        with self.db.engine.connect() as c:
            counts["orders_created"] = c.execute(
                sa.select(sa.func.count())
                .select_from(orders_t)
                .where(orders_t.c.created_by == username)
                .where(orders_t.c.created_at >= start, orders_t.c.created_at <= end)
            ).scalar_one()
            counts["notice_calls"] = c.execute(
                sa.select(sa.func.count())
                .select_from(steps_t)
                .where(steps_t.c.actor == username)
                .where(steps_t.c.kind == StepKind.CONTACT_ATTEMPTED.value)
                .where(steps_t.c.at >= start, steps_t.c.at <= end)
            ).scalar_one()
            counts["visits_made"] = c.execute(
                sa.select(sa.func.count())
                .select_from(visits_t)
                .where(visits_t.c.done_by == username)
                .where(visits_t.c.done_at >= start, visits_t.c.done_at <= end)
            ).scalar_one()
            answered = talk = 0.0
            if agent is not None:
                rows = c.execute(
                    sa.select(events_t.c.kind, events_t.c.data)
                    .where(events_t.c.agent == agent)
                    .where(events_t.c.kind.in_(("contact.answered", "contact.completed")))
                    .where(events_t.c.at >= start, events_t.c.at <= end)
                )
                for kind, data in rows:
                    if kind == "contact.answered":
                        answered += 1
                    else:
                        talk += float(data.get("talk") or 0.0)
            counts["calls_answered"] = int(answered)
            counts["talk_seconds"] = round(talk, 1)
        return counts


__all__ = ["HandoverError", "Handovers", "NoSuchHandoverError"]
