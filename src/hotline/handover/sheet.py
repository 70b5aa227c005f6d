"""交接班: the shift lead's handover sheet and the agents' shift summaries.

At the end of a shift the outgoing shift lead hands over a sheet that lists what the
next shift must carry on with — the unfinished orders, the orders to chase (expedite
tasks and deadlines running out), the outages under way — with the incidents of the
shift, the state of the systems and free notes. The lists are a snapshot taken when
the sheet is handed over, so the sheet reads the same tomorrow. The incoming shift
lead acknowledges it (接班); until then the sheet is 待接班 and the outgoing lead is
still on duty (SPEC §4: the outgoing shift logs out only after the incoming one is in).

Agents summarize their shift to the shift lead (本班小结): their own counts of the
shift and a note; the lead sees the shift's summaries beside the sheet.
"""

from __future__ import annotations

import dataclasses
import enum
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import ClassVar

from hotline.core.events import Event, event
from hotline.orders.config import OrderConfig
from hotline.orders.model import (
    HANDED_BACK,
    OPEN_STATES,
    Deadline,
    DeadlineStatus,
    Expedite,
    ExpediteStatus,
    Order,
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


@dataclasses.dataclass(frozen=True, slots=True)
class ChaseLine:
    """An order to chase: an open expedite task, or a deadline about to run out."""

    order: int
    type: str
    label: str
    reason: str  # the deadline's label, or 转纸质通知 / 升级处理
    due: float | None
    department: str | None
    task: int | None = None  # the expedite task's id when there is one


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
class HandoverSheet:
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
                        order_id, order.type, label(order.type), d.label, d.due, order.department
                    )
                )
    return Snapshot(tuple(unfinished), tuple(chase), _outages(config, orders))


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
    "ChaseLine",
    "HandoverAcknowledged",
    "HandoverSheet",
    "HandoverStatus",
    "HandoverSubmitted",
    "OrderLine",
    "OutageLine",
    "ShiftSummarized",
    "ShiftSummary",
    "Snapshot",
    "compose",
]
