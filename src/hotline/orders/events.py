"""Work-order events: one per timeline step, plus ``order.visit_scheduled``.

Every event names the order (`order`, its id), its `type` and who acted (`by`,
a username, or ``system``). Customers' names and numbers are never in events:
the event log is read by roles that must not see a complainant's identity.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from hotline.core.events import Event, event
from hotline.orders.model import Change, Order, Step, StepKind


@event
@dataclasses.dataclass(slots=True)
class OrderCreated(Event):
    kind: ClassVar[str] = "order.created"
    order: int
    type: str
    by: str
    call: str | None = None
    anonymous: bool = False
    source: str = "phone"  # 来源: phone, letter, visit, web (`OrderSource`)


@event
@dataclasses.dataclass(slots=True)
class OrderAssigned(Event):
    kind: ClassVar[str] = "order.assigned"
    order: int
    type: str
    by: str
    department: str
    previous: str | None = None


@event
@dataclasses.dataclass(slots=True)
class OrderExpedited(Event):
    kind: ClassVar[str] = "order.expedited"
    order: int
    type: str
    by: str
    department: str | None = None


@event
@dataclasses.dataclass(slots=True)
class OrderFollowedUp(Event):
    kind: ClassVar[str] = "order.followed_up"
    order: int
    type: str
    by: str
    milestone: str


@event
@dataclasses.dataclass(slots=True)
class OrderPaused(Event):
    kind: ClassVar[str] = "order.paused"
    order: int
    type: str
    by: str


@event
@dataclasses.dataclass(slots=True)
class OrderResumed(Event):
    kind: ClassVar[str] = "order.resumed"
    order: int
    type: str
    by: str
    paused: float


@event
@dataclasses.dataclass(slots=True)
class OrderAnswered(Event):
    kind: ClassVar[str] = "order.answered"
    order: int
    type: str
    by: str
    department: str | None = None


@event
@dataclasses.dataclass(slots=True)
class OrderVisited(Event):
    kind: ClassVar[str] = "order.visited"
    order: int
    type: str
    by: str
    score: int
    satisfied: bool


@event
@dataclasses.dataclass(slots=True)
class OrderReopened(Event):
    kind: ClassVar[str] = "order.reopened"
    order: int
    type: str
    by: str
    round: int
    department: str | None = None


@event
@dataclasses.dataclass(slots=True)
class OrderArchived(Event):
    kind: ClassVar[str] = "order.archived"
    order: int
    type: str
    by: str


@event
@dataclasses.dataclass(slots=True)
class OrderOverdue(Event):
    kind: ClassVar[str] = "order.overdue"
    order: int
    type: str
    by: str
    deadline: str
    due: float
    department: str | None = None


@event
@dataclasses.dataclass(slots=True)
class OrderContactAttempted(Event):
    """A call to deliver a notice: `failed` counts failures in a row; `then` is set on the
    failure that hands the order back (``paper_notice`` or ``escalate``)."""

    kind: ClassVar[str] = "order.contact_attempted"
    order: int
    type: str
    by: str
    reached: bool
    channel: str
    failed: int
    then: str | None = None


@event
@dataclasses.dataclass(slots=True)
class ReturnVisitScheduled(Event):
    kind: ClassVar[str] = "order.visit_scheduled"
    order: int
    type: str
    window: str
    scheduled: float
    due: float
    sampled: bool = False


def _text(value: object) -> str:
    return "" if value is None else str(value)


def event_of(order: Order, step: Step) -> Event:
    """The event that publishes one step of a stored order."""
    o, t, by, at, d = order.id, order.type, step.by, step.at, step.detail
    match step.kind:
        case StepKind.ACCEPTED:
            return OrderCreated(at, o, t, by, order.call, order.anonymous, order.source.value)
        case StepKind.ASSIGNED:
            previous = d.get("previous")
            return OrderAssigned(at, o, t, by, _text(step.department), _text(previous) or None)
        case StepKind.EXPEDITED:
            return OrderExpedited(at, o, t, by, step.department)
        case StepKind.FOLLOWED_UP:
            return OrderFollowedUp(at, o, t, by, _text(d.get("milestone")))
        case StepKind.PAUSED:
            return OrderPaused(at, o, t, by)
        case StepKind.RESUMED:
            return OrderResumed(at, o, t, by, float(d.get("paused") or 0.0))
        case StepKind.ANSWERED:
            return OrderAnswered(at, o, t, by, step.department)
        case StepKind.VISITED:
            return OrderVisited(at, o, t, by, int(d.get("score") or 0), bool(d.get("satisfied")))
        case StepKind.REOPENED:
            return OrderReopened(at, o, t, by, int(d.get("round") or 0), step.department)
        case StepKind.ARCHIVED:
            return OrderArchived(at, o, t, by)
        case StepKind.OVERDUE:
            due = float(d.get("due") or 0.0)
            return OrderOverdue(at, o, t, by, _text(d.get("deadline")), due, step.department)
        case StepKind.CONTACT_ATTEMPTED:
            then = d.get("then")
            return OrderContactAttempted(
                at,
                o,
                t,
                by,
                bool(d.get("reached")),
                _text(d.get("channel")),
                int(d.get("failed") or 0),
                _text(then) or None,
            )
    raise AssertionError(f"no event for step {step.kind}")


def change_events(change: Change, order_id: int) -> list[Event]:
    """The events that publish one saved change: one per new step, in order, then one
    ``order.visit_scheduled`` per planned visit. `order_id` is the stored order's number
    (a new order's is given by the store, inside the transaction that saves it)."""
    order = change.order
    if order.id != order_id:
        order = dataclasses.replace(order, id=order_id)
    new = order.steps[len(order.steps) - change.steps :]
    events = [event_of(order, step) for step in new]
    events.extend(
        ReturnVisitScheduled(
            v.created_at, order_id, order.type, v.window.value, v.scheduled_at, v.due_at, v.sampled
        )
        for v in change.visits
    )
    return events
