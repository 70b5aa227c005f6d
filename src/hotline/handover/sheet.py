"""交接班: the shift lead's handover sheet and the agents' shift summaries.

At the end of a shift the outgoing shift lead hands over a sheet that lists what the
next shift must carry on with — the unfinished orders, the orders to chase (expedite
tasks and deadlines running out), the outages under way — with the incidents of the
shift, the state of the systems and free notes. The lists are a snapshot taken when
the sheet is handed over, so the sheet reads the same tomorrow. The incoming shift
lead acknowledges it (接班); until then the sheet is 待接班 and the outgoing lead is
still on duty (SPEC §4: the outgoing shift logs out only after the incoming one is in).

A sheet belongs to one shift of the roster (`hotline.handover.shifts`: 早班 07:00–16:00
on a day) and carries that shift's figures (`ShiftFigures`: calls offered, answered,
service level, abandons, orders taken, orders gone overdue) over its hours. A sheet
with nothing written (no incidents, system status or notes) needs the lead's explicit
无异常. An order the lead has chased (督办) and that is still open stays on the sheet's
需督办 list, so the next shift takes it over.

Agents summarize their shift to the shift lead (本班小结): their own counts over their
own shift and a note; the lead sees the shift's summaries beside the sheet.
"""

from __future__ import annotations

import dataclasses
import enum
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import ClassVar

from hotline.core.errors import HotlineError
from hotline.core.events import Event, event
from hotline.handover.shifts import ShiftWindow
from hotline.orders.config import OrderConfig
from hotline.orders.lifecycle import EXPEDITABLE
from hotline.orders.model import (
    HANDED_BACK,
    OPEN_STATES,
    Deadline,
    DeadlineStatus,
    Expedite,
    ExpediteStatus,
    Order,
    Step,
    StepKind,
)

URGENT = frozenset({DeadlineStatus.NEAR, DeadlineStatus.OVERDUE})


class HandoverStatus(enum.StrEnum):
    HANDED_OVER = "handed_over"  # 待接班: waiting for the incoming shift lead
    ACKNOWLEDGED = "acknowledged"  # 已接班


@dataclasses.dataclass(frozen=True, slots=True)
class OrderLine:
    """An unfinished order as the sheet lists it; `deadline` is its most urgent clock."""

    order: int
    type: str
    label: str
    state: str
    department: str | None
    created_at: float
    deadline: str = ""
    due: float | None = None
    status: str = ""


class ChaseKind(enum.StrEnum):
    """Why an order is on the 需督办 list."""

    TASK = "task"  # an open expedite task (催办) raised when a deadline ran out
    DEADLINE = "deadline"  # a deadline about to run out, or run out, without a task yet
    EXPEDITED = "expedited"  # chased (督办) by a lead, still with the department


EXPEDITED_REASON = "已督办，待办结"


@dataclasses.dataclass(frozen=True, slots=True)
class ChaseLine:
    """An order to chase (需督办): an open expedite task, a deadline about to run out, or
    an order a lead chased that is still with its department (`at`, `by`: the last 督办)."""

    order: int
    type: str
    label: str
    reason: str  # the deadline's label, 转纸质通知 / 升级处理, or 已督办，待办结
    due: float | None
    department: str | None
    task: int | None = None  # the expedite task's id when there is one
    kind: str = ""  # a `ChaseKind` (empty on sheets handed over before it was kept)
    at: float | None = None
    by: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class OutageLine:
    """An outage under way: an open outage notice, with the open fault reports naming it."""

    order: int | None
    area: str
    cause: str
    restore_at: str
    faults: int


@dataclasses.dataclass(frozen=True, slots=True)
class Snapshot:
    unfinished: tuple[OrderLine, ...]
    to_chase: tuple[ChaseLine, ...]
    outages: tuple[OutageLine, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class ShiftFigures:
    """A shift's figures over [start, end) — the reports' definitions (docs/metrics.md):
    calls offered to agents (呼入), answered by agents (接通), the service level (None
    with nothing to divide by), abandons in queue or ringing (放弃), orders created
    (受理工单) and orders with a deadline run out (超时工单, each order once)."""

    start: float
    end: float
    offered: int
    answered: int
    service_level: float | None
    abandoned: int
    orders_taken: int
    orders_overdue: int


@dataclasses.dataclass(frozen=True, slots=True)
class HandoverSheet:
    """A handed-over sheet; `shift` and `figures` are None on sheets from before shifts
    were kept (those began at `shift_start`, the previous handover)."""

    id: int
    shift_start: float
    created_at: float
    outgoing: str
    snapshot: Snapshot
    incidents: str = ""
    system_status: str = ""
    notes: str = ""
    status: HandoverStatus = HandoverStatus.HANDED_OVER
    incoming: str | None = None
    acknowledged_at: float | None = None
    remark: str = ""
    shift: ShiftWindow | None = None
    figures: ShiftFigures | None = None
    no_exceptions: bool = False


class SheetError(HotlineError):
    """A sheet the lead must complete before handing over; `field` names what to fill."""

    error_id = "handover-sheet-incomplete"

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message, field=field)
        self.field = field


def check_filled(*, incidents: str, system_status: str, notes: str, no_exceptions: bool) -> None:
    """An empty sheet is handed over only with 无异常 ticked, and 无异常 does not go with
    written incidents (`SheetError`)."""
    if not (incidents.strip() or system_status.strip() or notes.strip()) and not no_exceptions:
        raise SheetError(
            "无异常（no_exceptions）：交接单未填写本班事件、系统状态或交代事项，"
            "请填写，或勾选「无异常」确认本班无异常",
            field="no_exceptions",
        )
    if no_exceptions and incidents.strip():
        raise SheetError(
            "无异常（no_exceptions）：已填写本班事件，不能同时勾选「无异常」",
            field="no_exceptions",
        )


@dataclasses.dataclass(frozen=True, slots=True)
class ShiftSummary:
    """本班小结: an agent's counts over [shift_start, created_at) and their note."""

    id: int
    username: str
    agent: str | None
    shift_start: float
    created_at: float
    counts: Mapping[str, int | float]
    note: str = ""


def _most_urgent(found: Sequence[Deadline]) -> Deadline | None:
    running = [
        d
        for d in found
        if d.status in (DeadlineStatus.OK, *URGENT) and d.due is not None and not d.paused
    ]
    return min(running, key=lambda d: d.due or 0.0, default=None)


def compose(
    config: OrderConfig,
    orders: Sequence[Order],
    deadlines: Mapping[int, Sequence[Deadline]],
    expedites: Sequence[Expedite],
) -> Snapshot:
    """What the next shift carries on with, from the open orders, their deadlines now
    (by order id) and the expedite tasks."""
    by_id = {o.id: o for o in orders}

    def label(type_name: str) -> str:
        kind = config.types.get(type_name)
        return kind.label if kind is not None else type_name

    unfinished = []
    order: Order | None
    for order in sorted(orders, key=lambda o: o.id):
        if order.state not in OPEN_STATES:
            continue
        urgent = _most_urgent(deadlines.get(order.id, ()))
        unfinished.append(
            OrderLine(
                order.id,
                order.type,
                label(order.type),
                order.state.value,
                order.department,
                order.created_at,
                urgent.label if urgent else "",
                urgent.due if urgent else None,
                urgent.status.value if urgent else "",
            )
        )
    chase: list[ChaseLine] = []
    tasked: set[tuple[int, str]] = set()
    for task in sorted(expedites, key=lambda e: (e.due_at, e.id)):
        order = by_id.get(task.order)
        if task.status is not ExpediteStatus.OPEN or order is None:
            continue
        tasked.add((task.order, task.deadline))
        reason = HANDED_BACK.get(task.deadline) or next(
            (d.label for d in deadlines.get(order.id, ()) if d.name == task.deadline),
            task.deadline,
        )
        chase.append(
            ChaseLine(
                order.id,
                order.type,
                label(order.type),
                reason,
                task.due_at,
                order.department,
                task.id,
                ChaseKind.TASK.value,
            )
        )
    for order_id, found in sorted(deadlines.items()):
        order = by_id.get(order_id)
        if order is None or order.state not in OPEN_STATES:
            continue
        for d in found:
            if d.status in URGENT and (order_id, d.name) not in tasked and not d.paused:
                chase.append(
                    ChaseLine(
                        order_id,
                        order.type,
                        label(order.type),
                        d.label,
                        d.due,
                        order.department,
                        kind=ChaseKind.DEADLINE.value,
                    )
                )
    chased = {line.order for line in chase}
    handed_on: list[ChaseLine] = []  # chased by a lead: first, the next shift carries them on
    for order in sorted(orders, key=lambda o: o.id):
        last = _last_expedite(order)
        # still with the department: once answered, nothing is left to chase
        if last is None or order.id in chased or order.state not in EXPEDITABLE:
            continue
        handed_on.append(
            ChaseLine(
                order.id,
                order.type,
                label(order.type),
                EXPEDITED_REASON,
                None,
                order.department,
                kind=ChaseKind.EXPEDITED.value,
                at=last.at,
                by=last.by,
            )
        )
    return Snapshot(tuple(unfinished), (*handed_on, *chase), _outages(config, orders))


def _last_expedite(order: Order) -> Step | None:
    """The last 督办 of the order's present round (a reopened order starts afresh)."""
    return next((s for s in reversed(order.round_steps) if s.kind is StepKind.EXPEDITED), None)


def _outages(config: OrderConfig, orders: Sequence[Order]) -> tuple[OutageLine, ...]:
    group = config.visits.sample_group
    faults = Counter(
        str(o.fields.get(group))
        for o in orders
        if o.state in OPEN_STATES
        and config.types.get(o.type) is not None
        and config.types[o.type].return_visit == "sample"
        and o.fields.get(group)
    )
    lines: list[OutageLine] = []
    named: set[str] = set()
    for order in sorted(orders, key=lambda o: o.id):
        if order.state not in OPEN_STATES or order.type not in config.handover_outage_types:
            continue
        area = str(order.fields.get("area", ""))
        names = {area, str(order.id)}
        named |= names
        lines.append(
            OutageLine(
                order.id,
                area,
                str(order.fields.get("cause", "")),
                str(order.fields.get("restore_at", "")),
                sum(faults[n] for n in names if n),
            )
        )
    for outage, count in sorted(faults.items()):
        if outage not in named:  # reports of an outage nobody has written a notice for
            lines.append(OutageLine(None, outage, "", "", count))
    return tuple(lines)


# --- events ----------------------------------------------------------------------------


@event
@dataclasses.dataclass(slots=True)
class HandoverSubmitted(Event):
    """交班: `by` handed over sheet `sheet` with its list sizes."""

    kind: ClassVar[str] = "handover.submitted"
    sheet: int
    by: str
    unfinished: int
    to_chase: int
    outages: int
    shift: str = ""  # the shift's name in the roster, and the day it began
    day: str = ""


@event
@dataclasses.dataclass(slots=True)
class HandoverAcknowledged(Event):
    """接班: `by` took over the sheet `outgoing` handed over."""

    kind: ClassVar[str] = "handover.acknowledged"
    sheet: int
    by: str
    outgoing: str


@event
@dataclasses.dataclass(slots=True)
class ShiftSummarized(Event):
    """本班小结: an agent (username `by`, 工号 `agent`) summarized their shift."""

    kind: ClassVar[str] = "shift.summarized"
    summary: int
    by: str
    agent: str | None = None


__all__ = [
    "EXPEDITED_REASON",
    "ChaseKind",
    "ChaseLine",
    "HandoverAcknowledged",
    "HandoverSheet",
    "HandoverStatus",
    "HandoverSubmitted",
    "OrderLine",
    "OutageLine",
    "SheetError",
    "ShiftFigures",
    "ShiftSummarized",
    "ShiftSummary",
    "Snapshot",
    "check_filled",
    "compose",
]
