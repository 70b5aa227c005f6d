"""The work order's records: states, timeline steps, return visits, expedite tasks.

Frozen dataclasses: a command never changes an order in place, it yields a new
one with more steps (`hotline.orders.lifecycle`), which the store saves whole.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

FieldValue = str | int
Detail = Mapping[str, str | int | float | bool | None]


class OrderState(enum.StrEnum):
    """Where an order is: 受理 → 交办 → (等待客户资料) → 答复 → 回访 → 归档."""

    ACCEPTED = "accepted"  # 受理: recorded by the agent, not yet sent anywhere
    ASSIGNED = "assigned"  # 交办: with a department (督办 and 跟进 happen here)
    WAITING_CUSTOMER = "waiting_customer"  # 等待客户资料: deadline clocks paused
    ANSWERED = "answered"  # 已答复: the department's answer or result is back
    VISITED = "visited"  # 已回访: the customer was told and asked
    ARCHIVED = "archived"  # 归档: closed


OPEN_STATES = frozenset(
    {OrderState.ACCEPTED, OrderState.ASSIGNED, OrderState.WAITING_CUSTOMER, OrderState.ANSWERED}
)


class OrderSource(enum.StrEnum):
    """来源: how the request reached the hotline. An agent's order comes from the call on
    their desk (``phone``); the shift lead records the others without a call."""

    PHONE = "phone"  # 电话
    LETTER = "letter"  # 来信
    VISIT = "visit"  # 来访 (walk-in)
    WEB = "web"  # 网站 (web form)


class StepKind(enum.StrEnum):
    """One line of an order's timeline; each is published as the event ``order.<kind>``
    (``accepted`` as ``order.created``)."""

    ACCEPTED = "accepted"
    ASSIGNED = "assigned"
    EXPEDITED = "expedited"
    FOLLOWED_UP = "followed_up"
    PAUSED = "paused"
    RESUMED = "resumed"
    ANSWERED = "answered"
    VISITED = "visited"
    REOPENED = "reopened"
    ARCHIVED = "archived"
    OVERDUE = "overdue"
    CONTACT_ATTEMPTED = "contact_attempted"


_ENTERING = frozenset(
    {StepKind.ACCEPTED, StepKind.ASSIGNED, StepKind.PAUSED, StepKind.RESUMED, StepKind.REOPENED}
)

SYSTEM = "system"
"""`by` of the steps the hotline takes itself (an overdue deadline raising an expedite)."""


@dataclass(frozen=True, slots=True)
class Step:
    """What happened to an order: when, by whom, and the state it left the order in."""

    seq: int
    at: float
    kind: StepKind
    state: OrderState
    by: str
    department: str | None = None
    note: str = ""
    detail: Detail = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Order:
    """A work order with its whole timeline; `id` is 0 until stored, `version` counts saves
    (a save from a stale copy is refused)."""

    id: int
    type: str
    state: OrderState
    fields: Mapping[str, FieldValue]
    created_by: str
    created_at: float
    caller: str = ""
    call: str | None = None
    department: str | None = None
    anonymous: bool = False
    round: int = 1
    version: int = 0
    steps: tuple[Step, ...] = ()
    source: OrderSource = OrderSource.PHONE

    @property
    def updated_at(self) -> float:
        return self.steps[-1].at if self.steps else self.created_at

    @property
    def current_since(self) -> float:
        """When the order entered its current state and department (the last step that
        created, assigned, paused, resumed or reopened it): a report back-dated to the time
        it happened may not be earlier than this."""
        for s in reversed(self.steps):
            if s.kind in _ENTERING:
                return s.at
        return self.created_at

    @property
    def round_steps(self) -> tuple[Step, ...]:
        """The steps since the order was last reopened (or all of them)."""
        for index in range(len(self.steps) - 1, -1, -1):
            if self.steps[index].kind is StepKind.REOPENED:
                return self.steps[index:]
        return self.steps


class DeadlineStatus(enum.StrEnum):
    PENDING = "pending"  # its clock has not started (the step it runs from is not reached)
    OK = "ok"
    NEAR = "near"  # less than the configured share of its time is left
    OVERDUE = "overdue"
    MET = "met"  # stopped in time
    MISSED = "missed"  # stopped, but late


@dataclass(frozen=True, slots=True)
class Deadline:
    """One deadline rule applied to one order now: all times epoch seconds; `left` and
    `budget` in seconds of the time the rule counts (working or calendar)."""

    name: str
    label: str
    duration: str
    status: DeadlineStatus
    start: float | None = None
    due: float | None = None
    stopped: float | None = None
    budget: float = 0.0
    left: float = 0.0
    paused_for: float = 0.0
    paused: bool = False


class VisitWindow(enum.StrEnum):
    BUSINESS = "business"  # 单位客户: office hours on working days
    RESIDENT = "resident"  # 居民客户: after work


class VisitStatus(enum.StrEnum):
    DUE = "due"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class ReturnVisit:
    """A return visit (回访) to make: when it is scheduled, by when it is due, its result."""

    id: int
    order: int
    round: int
    window: VisitWindow
    scheduled_at: float
    due_at: float
    created_at: float
    status: VisitStatus = VisitStatus.DUE
    sampled: bool = False
    done_at: float | None = None
    done_by: str | None = None
    opinion: str = ""
    score: int | None = None
    satisfied: bool | None = None


class ExpediteStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class Expedite:
    """An expedite task (催办) for the shift lead: a deadline of an order ran out."""

    id: int
    order: int
    round: int
    deadline: str
    due_at: float
    raised_at: float
    status: ExpediteStatus = ExpediteStatus.OPEN
    done_at: float | None = None
    done_by: str | None = None


@dataclass(frozen=True, slots=True)
class Change:
    """What one command does to the store, saved in one transaction: the order row (from
    `version`, refused if the row moved on), its new steps, visits and expedite tasks."""

    order: Order
    version: int
    steps: int  # how many of the order's last steps are new
    visits: tuple[ReturnVisit, ...] = ()
    visit_done: ReturnVisit | None = None
    expedites: tuple[Expedite, ...] = ()
    close_expedites_by: str | None = None


HANDED_BACK = {"paper_notice": "转纸质通知", "escalate": "升级处理"}
"""Expedite tasks raised by failed notice calls rather than by a deadline."""


@dataclass(frozen=True, slots=True)
class OrderFilter:
    """`OrderStore.list` filters; None means any. `created_from` <= created_at < `created_to`."""

    states: Sequence[OrderState] | None = None
    type: str | None = None
    department: str | None = None
    created_by: str | None = None
    caller: str | None = None
    call: str | None = None
    created_from: float | None = None
    created_to: float | None = None
    limit: int = 200
    offset: int = 0
