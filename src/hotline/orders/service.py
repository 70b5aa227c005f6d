"""Work-order commands end to end: check, transition, save atomically, return the events.

`OrderDesk` is what the API (and later the agent desk and the runtime's timers) calls.
It reads and saves through the `OrderStore` port (`hotline.store.db.orders.Orders`
implements it) and takes time from a clock function, never the wall. Every command
returns the saved order and the events it produced. The store commits those events to
the event log in the transaction that saves the order (an outbox: a crash leaves both
or neither); the caller then only publishes them on the bus for the live subscribers
(the runtime's `publish_stored`, so the log's writer does not store them twice). The
domain stays free of threads and I/O.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

from hotline.core.events import Event
from hotline.orders import lifecycle, visits
from hotline.orders.config import OrderConfig, OrderType
from hotline.orders.errors import (
    NoSuchOrderError,
    NoSuchOrderTypeError,
    OrderError,
    StaleOrderError,
)
from hotline.orders.model import (
    OPEN_STATES,
    Change,
    Deadline,
    Expedite,
    ExpediteStatus,
    Order,
    OrderFilter,
    OrderSource,
    OrderState,
    ReturnVisit,
    VisitStatus,
)


class OrderStore(Protocol):
    """What the desk needs from storage; `save` is all-or-nothing."""

    def save(self, change: Change, *, idempotency_key: str | None = None) -> Outcome:
        """Insert (id 0) or update the order with its new steps, visits and expedites, and
        append the change's events (`hotline.orders.events.change_events`) to the event log,
        in one transaction; return the stored order and those events, already in the log.
        A new order is stored with its create request's `idempotency_key`, unique per
        creator (kept across restarts). Raises `StaleOrderError` when the stored version
        is not `change.version`, or the creator has an order with that key already;
        nothing is written then."""
        ...

    def get(self, order_id: int) -> Order | None: ...

    def created_with(self, created_by: str, idempotency_key: str) -> Order | None:
        """The order `created_by` made with this create request key, or None."""
        ...

    def open_orders(self) -> list[Order]: ...

    def visits_of(self, order_id: int) -> list[ReturnVisit]: ...

    def answered(self, type_name: str) -> list[Order]: ...

    def due_visits(
        self, *, until: float | None = None, orders: Iterable[int] | None = None
    ) -> list[ReturnVisit]:
        """Visits still to make, earliest scheduled first; `until` keeps those scheduled
        before it, `orders` those of these orders."""
        ...

    def expedites(self, *, status: ExpediteStatus | None = ExpediteStatus.OPEN) -> list[Expedite]:
        """Expedite tasks (催办), oldest first; open ones by default."""
        ...

    def list(self, where: OrderFilter | None = None) -> list[Order]:
        """Orders matching `where`, newest first, each with its timeline."""
        ...


@dataclasses.dataclass(frozen=True, slots=True)
class Outcome:
    """A saved command: the stored order and its events, committed to the log with it
    (publish them to the bus, never append them to the log again)."""

    order: Order
    events: list[Event]
    replayed: bool = False
    """A create request seen before (same idempotency key): `order` is the one it made
    then, and nothing was saved or is to be published now."""


class UnknownDepartmentError(OrderError):
    error_id = "unknown-department"


class IdempotencyKeyReusedError(OrderError):
    """A create request's key names an order of another type or with other fields: the
    client reused a key for a different request (the API answers 409)."""

    error_id = "idempotency-key-reused"


class OrderDesk:
    """The work-order service of one hotline: its configuration, store and clock."""

    def __init__(self, config: OrderConfig, store: OrderStore, clock: Callable[[], float]) -> None:
        self.config = config
        self.store = store
        self.clock = clock
        self.calendar = config.calendar()

    # -- lookups ---------------------------------------------------------------------------

    def kind(self, type_name: str) -> OrderType:
        found = self.config.types.get(type_name)
        if found is None:
            known = ", ".join(sorted(self.config.types))
            raise NoSuchOrderTypeError(
                f"no order type {type_name!r} (types: {known})", type=type_name
            )
        return found

    def get(self, order_id: int) -> Order:
        order = self.store.get(order_id)
        if order is None:
            raise NoSuchOrderError(f"no order {order_id}", order=order_id)
        return order

    def deadlines(self, order: Order, now: float | None = None) -> list[Deadline]:
        now = self.clock() if now is None else now
        kind = self.kind(order.type)
        return lifecycle.deadlines(order, kind, self.calendar, now, self.config.near_share)

    # -- commands --------------------------------------------------------------------------

    def _commit(
        self,
        before: Order | None,
        after: Order,
        *,
        visits_: Sequence[ReturnVisit] = (),
        visit_done: ReturnVisit | None = None,
        expedites: Sequence[Expedite] = (),
        close_expedites_by: str | None = None,
        idempotency_key: str | None = None,
    ) -> Outcome:
        new = len(after.steps) - (len(before.steps) if before is not None else 0)
        change = Change(
            order=after,
            version=before.version if before is not None else 0,
            steps=new,
            visits=tuple(visits_),
            visit_done=visit_done,
            expedites=tuple(expedites),
            close_expedites_by=close_expedites_by,
        )
        return self.store.save(change, idempotency_key=idempotency_key)

    def create(
        self,
        type_name: str,
        fields: Mapping[str, Any],
        *,
        by: str,
        caller: str = "",
        call: str | None = None,
        anonymous: bool = False,
        note: str = "",
        idempotency_key: str | None = None,
        source: OrderSource = OrderSource.PHONE,
    ) -> Outcome:
        """受理 a new order (`source`: how the request came); raises `NoSuchOrderTypeError`,
        `InvalidFieldsError`.

        With an `idempotency_key`, a request `by` already made with that key returns the
        order it created (`Outcome.replayed`) instead of a second one — also when the two
        requests race (the store's unique key decides, the loser reads the winner's).
        The same key with another type or other fields raises `IdempotencyKeyReusedError`.
        """
        kind = self.kind(type_name)
        order = lifecycle.new_order(
            kind,
            type_name,
            fields,
            by=by,
            at=self.clock(),
            caller=caller,
            call=call,
            anonymous=anonymous,
            note=note,
            source=source,
        )
        if idempotency_key is None:
            return self._commit(None, order)
        first = self.replay(by, idempotency_key, order)
        if first is not None:
            return first
        try:
            return self._commit(None, order, idempotency_key=idempotency_key)
        except StaleOrderError:
            first = self.replay(by, idempotency_key, order)  # the other request won the race
            if first is None:
                raise
            return first

    def replay(self, by: str, idempotency_key: str, request: Order | None = None) -> Outcome | None:
        """The order `by` created with `idempotency_key`, as a replayed outcome, or None.
        Given the `request` (the new order as this request would make it), a stored order
        of another type or with other fields raises `IdempotencyKeyReusedError`."""
        first = self.store.created_with(by, idempotency_key)
        if first is None:
            return None
        if request is not None and (
            first.type != request.type
            or dict(first.fields) != dict(request.fields)
            or first.anonymous != request.anonymous
        ):
            raise IdempotencyKeyReusedError(
                f"idempotency key {idempotency_key!r} was used for order {first.id}, "
                "a different request; send a new key for a new order",
                order=first.id,
            )
        return Outcome(first, [], replayed=True)

    def assign(self, order_id: int, department: str, *, by: str, note: str = "") -> Outcome:
        if department not in self.config.departments:
            known = ", ".join(sorted(self.config.departments))
            raise UnknownDepartmentError(
                f"no department {department!r} (departments: {known})", department=department
            )
        order = self.get(order_id)
        return self._commit(
            order, lifecycle.assign(order, department, by=by, at=self.clock(), note=note)
        )

    def expedite(self, order_id: int, *, by: str, note: str = "") -> Outcome:
        """督办: chase the department; the order's open expedite tasks are done."""
        order = self.get(order_id)
        after = lifecycle.expedite(order, by=by, at=self.clock(), note=note)
        return self._commit(order, after, close_expedites_by=by)

    def _reported(self, order: Order, at: float | None, command: str) -> tuple[float, float]:
        """When a reported event happened (`at`, default now) and now; raises
        `ReportedTimeError` for a time in the future or before the order's current state."""
        now = self.clock()
        if at is None:
            return now, now
        lifecycle.check_reported_at(order, at, now=now, command=command)
        return at, now

    def follow_up(
        self, order_id: int, milestone: str, *, by: str, note: str = "", at: float | None = None
    ) -> Outcome:
        """跟进: `milestone` reached at `at` (default now; earlier when reported late, never in
        the future nor before the order came to its department)."""
        order = self.get(order_id)
        kind = self.kind(order.type)
        when, now = self._reported(order, at, "follow_up")
        after = lifecycle.follow_up(
            order, kind, milestone, by=by, at=when, note=note, recorded_at=now
        )
        return self._commit(order, after)

    def pause(self, order_id: int, *, by: str, note: str = "") -> Outcome:
        order = self.get(order_id)
        return self._commit(order, lifecycle.pause(order, by=by, at=self.clock(), note=note))

    def resume(self, order_id: int, *, by: str, note: str = "") -> Outcome:
        order = self.get(order_id)
        return self._commit(order, lifecycle.resume(order, by=by, at=self.clock(), note=note))

    def answer(self, order_id: int, *, by: str, note: str = "", at: float | None = None) -> Outcome:
        """答复 given at `at` (default now; as `follow_up` for an earlier time); a type visited
        in full gets its return visit planned in the same save."""
        order = self.get(order_id)
        when, now = self._reported(order, at, "answer")
        after = lifecycle.answer(order, by=by, at=when, note=note, recorded_at=now)
        planned: list[ReturnVisit] = []
        if visits.needs_visit(after, self.kind(order.type)):
            planned.append(
                visits.plan_visit(after, self.config, self.calendar, answered_at=when, at=now)
            )
        return self._commit(order, after, visits_=planned)

    def attempt(
        self, order_id: int, *, reached: bool, channel: str, by: str, note: str = ""
    ) -> Outcome:
        """A call to deliver a notice; the `limit`-th failure in a row hands the order back
        to the shift lead as an expedite task named after `attempts.then`."""
        order = self.get(order_id)
        now = self.clock()
        after, handed_back = lifecycle.contact_attempt(
            order, self.kind(order.type), reached=reached, channel=channel, by=by, at=now, note=note
        )
        tasks = [Expedite(0, order.id, order.round, handed_back, now, now)] if handed_back else []
        return self._commit(order, after, expedites=tasks)

    def pending_visit(self, order: Order) -> ReturnVisit | None:
        return next(
            (
                v
                for v in self.store.visits_of(order.id)
                if v.round == order.round and v.status is VisitStatus.DUE
            ),
            None,
        )

    def visit(self, order_id: int, *, score: int, opinion: str, by: str) -> Outcome:
        """回访: record the result; an unsatisfied customer reopens the order."""
        order = self.get(order_id)
        now = self.clock()
        after = lifecycle.visit(order, score=score, opinion=opinion, by=by, at=now)
        satisfied = lifecycle.is_satisfied(score, opinion)
        pending = self.pending_visit(order)
        if pending is None:  # an unplanned visit (a type not visited in full): recorded too
            pending = visits.plan_visit(order, self.config, self.calendar, answered_at=now, at=now)
            pending = dataclasses.replace(pending, scheduled_at=now)
        done = dataclasses.replace(
            pending,
            status=VisitStatus.DONE,
            done_at=now,
            done_by=by,
            opinion=opinion,
            score=score,
            satisfied=satisfied,
        )
        return self._commit(order, after, visit_done=done)

    def reopen(self, order_id: int, *, by: str, note: str = "") -> Outcome:
        order = self.get(order_id)
        return self._commit(order, lifecycle.reopen(order, by=by, at=self.clock(), note=note))

    def archive(self, order_id: int, *, by: str, note: str = "") -> Outcome:
        order = self.get(order_id)
        kind = self.kind(order.type)
        pending = self.pending_visit(order) is not None
        after = lifecycle.archive(
            order, kind, by=by, at=self.clock(), visit_pending=pending, note=note
        )
        return self._commit(order, after)

    # -- the shift lead's jobs ---------------------------------------------------------------

    def scan(self) -> list[Outcome]:
        """Raise an expedite task (催办) for every deadline that ran out since the last scan.

        Run it periodically (every minute is plenty). An order changed by someone else
        meanwhile is skipped; the next scan sees it again.
        """
        now = self.clock()
        outcomes = []
        for order in self.store.open_orders():
            if order.state not in OPEN_STATES:
                continue
            found = self.deadlines(order, now)
            after, names = lifecycle.raise_overdue(order, found, at=now)
            if not names:
                continue
            due = {d.name: d.due or now for d in found}
            tasks = [Expedite(0, order.id, order.round, n, due[n], now) for n in names]
            try:
                outcomes.append(self._commit(order, after, expedites=tasks))
            except OrderError:
                continue
        return outcomes

    def sample_outage(self, outage: str, *, seed: int | None = None) -> list[Outcome]:
        """Plan return visits for ≥ `visits.sample_share` of the answered fault reports of
        one outage, spread over `visits.sample_by` (the street or area field)."""
        settings = self.config.visits
        now = self.clock()
        candidates: list[Order] = []
        for name, kind in self.config.types.items():
            if kind.return_visit != "sample":
                continue
            for order in self.store.answered(name):
                if str(order.fields.get(settings.sample_group, "")) != outage:
                    continue
                planned = self.store.visits_of(order.id)
                if order.anonymous or any(v.round == order.round for v in planned):
                    continue
                candidates.append(order)
        chosen = visits.sample(
            candidates, settings.sample_share, settings.sample_by, seed if seed is not None else 0
        )
        outcomes = []
        for order in chosen:
            # due one working day after the sample is drawn (the restoration report)
            plan = visits.plan_visit(
                order, self.config, self.calendar, answered_at=now, at=now, sampled=True
            )
            outcomes.append(self._commit(order, order, visits_=[plan]))
        return outcomes


__all__ = [
    "IdempotencyKeyReusedError",
    "OrderDesk",
    "OrderState",
    "OrderStore",
    "Outcome",
    "UnknownDepartmentError",
]
