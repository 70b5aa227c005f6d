"""交接班's application service: draft, hand over, acknowledge, summarize, read.

`HandoverDesk` is what the API calls. It reads and saves through the `HandoverStore`
port (`hotline.handover.store.Handovers` implements it) and the order store's read
side, takes time as an argument (the engine's time when the request came), and
returns what it saved with its events — committed to the log with the record (an
outbox); the caller publishes them to the live subscribers.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from hotline.core.events import Saved
from hotline.handover.sheet import HandoverSheet, ShiftSummary, Snapshot, compose
from hotline.orders.model import Expedite, Order
from hotline.orders.service import OrderDesk


class HandoverStore(Protocol):
    """What the handover desk needs from storage; each write is all-or-nothing."""

    def hand_over(self, sheet: HandoverSheet) -> Saved[HandoverSheet]: ...

    def acknowledge(
        self, sheet_id: int, *, by: str, at: float, remark: str
    ) -> Saved[HandoverSheet]: ...

    def get(self, sheet_id: int) -> HandoverSheet: ...

    def recent(self, limit: int = 20) -> list[HandoverSheet]: ...

    def shift_start(self, day_start: float) -> float: ...

    def summarize(self, summary: ShiftSummary) -> Saved[ShiftSummary]: ...

    def summaries(self, *, since: float, username: str | None = None) -> list[ShiftSummary]: ...

    def counts(
        self, *, username: str, agent: str | None, start: float, end: float
    ) -> dict[str, int | float]: ...


class OpenOrders(Protocol):
    """The order store's read side the sheet's lists come from."""

    def open_orders(self) -> list[Order]: ...

    def expedites(self) -> list[Expedite]: ...


@dataclass(frozen=True, slots=True)
class Draft:
    """The shift under way as the sheet would list it now."""

    shift_start: float
    now: float
    snapshot: Snapshot
    summaries: list[ShiftSummary]
    waiting: HandoverSheet | None
    """A sheet still waiting for 接班, if any."""


@dataclass(frozen=True, slots=True)
class MyShift:
    """An agent's own shift so far."""

    shift_start: float
    now: float
    counts: dict[str, int | float]
    summaries: list[ShiftSummary]


class HandoverDesk:
    """The handover sheets and shift summaries of one hotline (blocking: call off the
    engine's thread)."""

    def __init__(
        self, store: HandoverStore, orders: OpenOrders, desk: Callable[[float], OrderDesk]
    ) -> None:
        """`desk(now)` is the order desk whose clock reads `now` (the deadlines)."""
        self.store = store
        self.orders = orders
        self._desk = desk

    def _shift_start(self, now: float) -> float:
        config = self._desk(now).config
        local = datetime.datetime.fromtimestamp(now, config.timezone)
        day_start = local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
        return self.store.shift_start(day_start)

    def snapshot(self, now: float) -> Snapshot:
        """The lists the sheet would carry now: unfinished orders, orders to chase, outages."""
        desk = self._desk(now)
        orders = self.orders.open_orders()
        found = {o.id: desk.deadlines(o, now) for o in orders}
        return compose(desk.config, orders, found, self.orders.expedites())

    def draft(self, now: float) -> Draft:
        start = self._shift_start(now)
        waiting = next((s for s in self.store.recent(1) if s.status == "handed_over"), None)
        return Draft(
            shift_start=start,
            now=now,
            snapshot=self.snapshot(now),
            summaries=self.store.summaries(since=start),
            waiting=waiting,
        )

    def hand_over(
        self, now: float, *, outgoing: str, incidents: str, system_status: str, notes: str
    ) -> Saved[HandoverSheet]:
        """交班: the sheet with a snapshot of the lists now; refused (`HandoverError`)
        while an earlier sheet still waits for its incoming lead."""
        sheet = HandoverSheet(
            id=0,
            shift_start=self._shift_start(now),
            created_at=now,
            outgoing=outgoing,
            snapshot=self.snapshot(now),
            incidents=incidents,
            system_status=system_status,
            notes=notes,
        )
        return self.store.hand_over(sheet)

    def acknowledge(
        self, sheet_id: int, *, by: str, at: float, remark: str
    ) -> Saved[HandoverSheet]:
        """接班: the incoming lead takes over (not the one who handed over; only once)."""
        return self.store.acknowledge(sheet_id, by=by, at=at, remark=remark)

    def recent(self, limit: int) -> list[HandoverSheet]:
        return self.store.recent(limit)

    def get(self, sheet_id: int) -> HandoverSheet:
        return self.store.get(sheet_id)

    def my_shift(self, now: float, *, username: str, agent: str | None) -> MyShift:
        start = self._shift_start(now)
        return MyShift(
            shift_start=start,
            now=now,
            counts=self.store.counts(username=username, agent=agent, start=start, end=now),
            summaries=self.store.summaries(since=start, username=username),
        )

    def summarize(
        self, now: float, *, username: str, agent: str | None, note: str
    ) -> Saved[ShiftSummary]:
        """本班小结: the agent's counts of the shift so far, with their note."""
        start = self._shift_start(now)
        counts = self.store.counts(username=username, agent=agent, start=start, end=now)
        summary = ShiftSummary(0, username, agent, start, now, counts, note)
        return self.store.summarize(summary)
