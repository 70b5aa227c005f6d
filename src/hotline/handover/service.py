"""交接班's application service: draft, hand over, acknowledge, summarize, read.

`HandoverDesk` is what the API calls (and what the demo uses to write the sheets of
earlier shifts). It reads and saves through the `HandoverStore` port
(`hotline.handover.store.Handovers` implements it) and the order store's read side,
takes time as an argument (the engine's time when the request came) and the roster's
shifts as a `ShiftPlan`, and returns what it saved with its events — committed to the
log with the record (an outbox); the caller publishes them to the live subscribers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from hotline.core.events import Saved
from hotline.handover.sheet import (
    HandoverSheet,
    ShiftFigures,
    ShiftSummary,
    Snapshot,
    check_filled,
    compose,
)
from hotline.handover.shifts import ShiftPlan, ShiftWindow
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

    def handed(self, since: float) -> set[tuple[str, str]]:
        """The shifts (day, name) that began at `since` or later and have a sheet."""
        ...

    def summarize(self, summary: ShiftSummary) -> Saved[ShiftSummary]: ...

    def summaries(self, *, since: float, username: str | None = None) -> list[ShiftSummary]: ...

    def counts(
        self, *, username: str, agent: str | None, start: float, end: float
    ) -> dict[str, int | float]: ...


class FigureSource(Protocol):
    """Where a shift's figures come from (`hotline.handover.figures.ShiftCounter`)."""

    def figures(self, start: float, end: float) -> ShiftFigures:
        """The figures over [start, end) from the event log."""
        ...


class OpenOrders(Protocol):
    """The order store's read side the sheet's lists come from."""

    def open_orders(self) -> list[Order]: ...

    def expedites(self) -> list[Expedite]: ...


@dataclass(frozen=True, slots=True)
class Draft:
    """The shift to hand over now as its sheet would read: its figures so far, the lists."""

    shift: ShiftWindow
    shift_start: float
    now: float
    figures: ShiftFigures
    snapshot: Snapshot
    summaries: list[ShiftSummary]
    waiting: HandoverSheet | None
    """A sheet still waiting for 接班, if any."""


@dataclass(frozen=True, slots=True)
class MyShift:
    """An agent's own shift (their roster shift) so far."""

    shift: ShiftWindow
    shift_start: float
    now: float
    counts: dict[str, int | float]
    summaries: list[ShiftSummary]


LOOK_BACK = 2 * 86400.0
"""How far back sheets are looked up to know which shifts are already handed over (a
shift began at most a day before the day of `now`)."""


class HandoverDesk:
    """The handover sheets and shift summaries of one hotline (blocking: call off the
    engine's thread)."""

    def __init__(
        self,
        store: HandoverStore,
        orders: OpenOrders,
        desk: Callable[[float], OrderDesk],
        counter: FigureSource,
    ) -> None:
        """`desk(now)` is the order desk whose clock reads `now` (the deadlines)."""
        self.store = store
        self.orders = orders
        self._desk = desk
        self.counter = counter

    def shift(self, now: float, plan: ShiftPlan) -> ShiftWindow:
        """The shift the lead hands over at `now` (`ShiftPlan.current`)."""
        return plan.current(now, self.store.handed(now - LOOK_BACK))

    def figures(self, shift: ShiftWindow, now: float) -> ShiftFigures:
        """The shift's figures over its hours, up to `now` while it runs."""
        return self.counter.figures(shift.start, shift.until(now))

    def snapshot(self, now: float) -> Snapshot:
        """The lists the sheet would carry now: unfinished orders, orders to chase, outages."""
        desk = self._desk(now)
        orders = self.orders.open_orders()
        found = {o.id: desk.deadlines(o, now) for o in orders}
        return compose(desk.config, orders, found, self.orders.expedites())

    def draft(self, now: float, plan: ShiftPlan) -> Draft:
        shift = self.shift(now, plan)
        waiting = next((s for s in self.store.recent(1) if s.status == "handed_over"), None)
        return Draft(
            shift=shift,
            shift_start=shift.start,
            now=now,
            figures=self.figures(shift, now),
            snapshot=self.snapshot(now),
            summaries=self.store.summaries(since=shift.start),
            waiting=waiting,
        )

    def hand_over(
        self,
        now: float,
        *,
        plan: ShiftPlan,
        outgoing: str,
        incidents: str = "",
        system_status: str = "",
        notes: str = "",
        no_exceptions: bool = False,
        shift: ShiftWindow | None = None,
    ) -> Saved[HandoverSheet]:
        """交班 at `now`: the sheet of `shift` (by default the one `plan` says is handed
        over now) with its figures over its hours up to `now` and a snapshot of the lists
        now. Refused with `SheetError` for an empty sheet without `no_exceptions` (无异常),
        and (`HandoverError`) for a shift that already has its sheet or while an earlier
        sheet still waits for its incoming lead."""
        check_filled(
            incidents=incidents,
            system_status=system_status,
            notes=notes,
            no_exceptions=no_exceptions,
        )
        window = shift or self.shift(now, plan)
        sheet = HandoverSheet(
            id=0,
            shift_start=window.start,
            created_at=now,
            outgoing=outgoing,
            snapshot=self.snapshot(now),
            incidents=incidents.strip(),
            system_status=system_status.strip(),
            notes=notes.strip(),
            shift=window,
            figures=self.figures(window, now),
            no_exceptions=no_exceptions,
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

    def agent_shift(self, now: float, plan: ShiftPlan, agent: str | None) -> ShiftWindow:
        """The agent's own shift at `now` (`ShiftPlan.of_agent`)."""
        return plan.of_agent(now, agent, self.store.handed(now - LOOK_BACK))

    def my_shift(self, now: float, *, plan: ShiftPlan, username: str, agent: str | None) -> MyShift:
        """The agent's counts over their own shift so far, and their summaries of it."""
        shift = self.agent_shift(now, plan, agent)
        end = shift.until(now)
        return MyShift(
            shift=shift,
            shift_start=shift.start,
            now=now,
            counts=self.store.counts(username=username, agent=agent, start=shift.start, end=end),
            summaries=self.store.summaries(since=shift.start, username=username),
        )

    def summarize(
        self, now: float, *, plan: ShiftPlan, username: str, agent: str | None, note: str
    ) -> Saved[ShiftSummary]:
        """本班小结: the agent's counts over their own shift so far, with their note."""
        shift = self.agent_shift(now, plan, agent)
        end = shift.until(now)
        counts = self.store.counts(username=username, agent=agent, start=shift.start, end=end)
        summary = ShiftSummary(0, username, agent, shift.start, now, counts, note)
        return self.store.summarize(summary)
