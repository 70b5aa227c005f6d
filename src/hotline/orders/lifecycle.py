"""The order's state machine, its field rules and its deadlines — pure functions.

Each command takes an order and returns a new one with one or more steps added
(the store saves the difference atomically). A command not allowed in the order's
state raises `TransitionError` saying what is allowed. Deadlines are computed from
the timeline: each rule's clock runs from its `from` step to its `until` step in the
current round (a reopen starts a new round), minus the time spent in its pause
states, measured in working or calendar time as the rule says.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from typing import Any

from hotline.core.calendar import BusinessCalendar
from hotline.orders.config import DeadlineRule, OrderType
from hotline.orders.errors import InvalidFieldsError, ReportedTimeError, TransitionError
from hotline.orders.model import (
    SYSTEM,
    Deadline,
    DeadlineStatus,
    Detail,
    FieldValue,
    Order,
    OrderSource,
    OrderState,
    Step,
    StepKind,
)

S = OrderState


# --- fields --------------------------------------------------------------------------


def _value(spec_type: str, choices: list[str] | None, max_length: int, value: Any) -> FieldValue:
    """One field's value checked and normalised; raises ValueError with the reason."""
    if spec_type == "int":
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValueError("must be a whole number")
        try:
            return int(value)
        except ValueError:
            raise ValueError("must be a whole number") from None
    if not isinstance(value, str):
        raise ValueError("must be text")
    text = value.strip()
    if spec_type == "date":
        try:
            return datetime.date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError("must be a date YYYY-MM-DD") from None
    if spec_type == "choice":
        assert choices is not None
        if text not in choices:
            raise ValueError(f"must be one of: {', '.join(choices)}")
        return text
    if len(text) > max_length:
        raise ValueError(f"at most {max_length} characters")
    return text


def check_fields(
    kind: OrderType, values: Mapping[str, Any], *, anonymous: bool = False
) -> dict[str, FieldValue]:
    """The order's fields, checked: every required field present (personal ones are not
    required of an anonymous customer, and are dropped), none unknown, each of its type.

    Raises `InvalidFieldsError` naming every field at fault.
    """
    problems: dict[str, str] = {}
    known = {spec.name for spec in kind.fields}
    for name in values:
        if name not in known:
            problems[name] = "unknown field"
    result: dict[str, FieldValue] = {}
    for spec in kind.fields:
        if anonymous and spec.personal:
            continue
        raw = values.get(spec.name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if spec.required:
                problems[spec.name] = f"required ({spec.label})"
            continue
        try:
            result[spec.name] = _value(spec.type, spec.choices, spec.max_length, raw)
        except ValueError as exc:
            problems[spec.name] = str(exc)
    if problems:
        listed = "; ".join(f"{name}: {why}" for name, why in sorted(problems.items()))
        raise InvalidFieldsError(f"order fields refused — {listed}", problems)
    return result


# --- commands ------------------------------------------------------------------------


def _refuse(order: Order, command: str, allowed: frozenset[OrderState]) -> TransitionError:
    states = ", ".join(sorted(s.value for s in allowed))
    return TransitionError(
        f"order {order.id} is {order.state.value}: cannot {command} (only when {states})",
        order=order.id,
        state=order.state.value,
        command=command,
    )


def _step(
    order: Order,
    kind: StepKind,
    state: OrderState,
    by: str,
    at: float,
    *,
    note: str = "",
    detail: Detail | None = None,
    **changes: Any,
) -> Order:
    """The order after one more step; `changes` are other attributes to set (department)."""
    seq = order.steps[-1].seq + 1 if order.steps else 1
    dept = changes.get("department", order.department)
    step = Step(seq, at, kind, state, by, dept, note, dict(detail or {}))
    return dataclasses.replace(order, state=state, steps=(*order.steps, step), **changes)


def new_order(
    kind: OrderType,
    type_name: str,
    fields: Mapping[str, Any],
    *,
    by: str,
    at: float,
    caller: str = "",
    call: str | None = None,
    anonymous: bool = False,
    note: str = "",
    source: OrderSource = OrderSource.PHONE,
) -> Order:
    """受理: a new order with its fields checked. An anonymous customer's number is not kept.
    `source` is how the request came (电话, 来信, 来访, 网站)."""
    if anonymous and not kind.anonymous:
        raise TransitionError(f"a {type_name} order cannot be anonymous", command="create")
    checked = check_fields(kind, fields, anonymous=anonymous)
    order = Order(
        id=0,
        type=type_name,
        state=S.ACCEPTED,
        fields=checked,
        created_by=by,
        created_at=at,
        caller="" if anonymous else caller,
        call=call,
        department=None,
        anonymous=anonymous,
        source=source,
    )
    return _step(order, StepKind.ACCEPTED, S.ACCEPTED, by, at, note=note)


ASSIGNABLE = frozenset({S.ACCEPTED, S.ASSIGNED})


def assign(order: Order, department: str, *, by: str, at: float, note: str = "") -> Order:
    """交办 (or reassign): the order goes to `department`."""
    if order.state not in ASSIGNABLE:
        raise _refuse(order, "assign", ASSIGNABLE)
    if department == order.department and order.state is S.ASSIGNED:
        raise TransitionError(
            f"order {order.id} is already with {department!r}", order=order.id, command="assign"
        )
    detail = {"previous": order.department}
    return _step(
        order,
        StepKind.ASSIGNED,
        S.ASSIGNED,
        by,
        at,
        note=note,
        detail=detail,
        department=department,
    )


EXPEDITABLE = frozenset({S.ASSIGNED, S.WAITING_CUSTOMER})


def expedite(order: Order, *, by: str, at: float, note: str = "") -> Order:
    """督办/催办: the department is chased; the order stays where it is."""
    if order.state not in EXPEDITABLE:
        raise _refuse(order, "expedite", EXPEDITABLE)
    return _step(order, StepKind.EXPEDITED, order.state, by, at, note=note)


def check_reported_at(order: Order, at: float, *, now: float, command: str) -> None:
    """A report of something that happened at `at` (told at `now`): not in the future and
    not before the order entered its current state (`Order.current_since`: assigned to
    this department, resumed…). Raises `ReportedTimeError` saying which bound it broke."""
    if at > now:
        raise ReportedTimeError(
            f"order {order.id}: {command} at {at} is after now ({now})",
            order=order.id,
            bound="future",
            at=at,
            limit=now,
        )
    since = order.current_since
    if at < since:
        raise ReportedTimeError(
            f"order {order.id}: {command} at {at} is before {order.state.value} at {since}",
            order=order.id,
            bound="before_state",
            at=at,
            limit=since,
        )


def _told(at: float, now: float | None) -> dict[str, float]:
    """The detail of a back-dated report: when it was recorded (`now`), when earlier than it."""
    return {"recorded_at": now} if now is not None and now > at else {}


def follow_up(
    order: Order,
    kind: OrderType,
    milestone: str,
    *,
    by: str,
    at: float,
    note: str = "",
    recorded_at: float | None = None,
) -> Order:
    """跟进: the department reports progress, e.g. the repair team ``arrived``. `at` is when
    it happened; a report made later (`recorded_at`) keeps both (check the time first with
    `check_reported_at`)."""
    if order.state is not S.ASSIGNED:
        raise _refuse(order, "follow up", frozenset({S.ASSIGNED}))
    if milestone not in kind.milestones:
        known = ", ".join(kind.milestones) or "none"
        raise TransitionError(
            f"{order.type} has no milestone {milestone!r} (milestones: {known})",
            order=order.id,
            command="follow_up",
        )
    detail: Detail = {"milestone": milestone, **_told(at, recorded_at)}
    return _step(order, StepKind.FOLLOWED_UP, S.ASSIGNED, by, at, note=note, detail=detail)


ATTEMPTABLE = frozenset({S.ACCEPTED, S.ASSIGNED})


def failed_attempts(order: Order) -> int:
    """Failed contact attempts in a row since the round began or the customer was reached."""
    failed = 0
    for s in order.round_steps:
        if s.kind is StepKind.CONTACT_ATTEMPTED:
            failed = 0 if s.detail.get("reached") else failed + 1
    return failed


def contact_attempt(
    order: Order,
    kind: OrderType,
    *,
    reached: bool,
    channel: str,
    by: str,
    at: float,
    note: str = "",
) -> tuple[Order, str | None]:
    """One call (or auto call) to deliver a notice. Returns the order and, when this was the
    `attempts.limit`-th failure in a row, what the order is handed back for (``paper_notice``
    or ``escalate``); later failures hand nothing back again."""
    rule = kind.attempts
    if rule is None:
        raise TransitionError(
            f"{order.type} orders are not delivered by calls (no 'attempts' in orders.yaml)",
            order=order.id,
            command="attempt",
        )
    if order.state not in ATTEMPTABLE:
        raise _refuse(order, "record a contact attempt", ATTEMPTABLE)
    if channel not in rule.channels:
        raise TransitionError(
            f"{order.type} is not delivered by {channel!r} (channels: {', '.join(rule.channels)})",
            order=order.id,
            command="attempt",
        )
    failed = 0 if reached else failed_attempts(order) + 1
    handed_back = rule.then if failed == rule.limit else None
    detail: Detail = {"reached": reached, "channel": channel, "failed": failed, "then": handed_back}
    after = _step(order, StepKind.CONTACT_ATTEMPTED, order.state, by, at, note=note, detail=detail)
    return after, handed_back


PAUSABLE = frozenset({S.ACCEPTED, S.ASSIGNED, S.ANSWERED})


def pause(order: Order, *, by: str, at: float, note: str = "") -> Order:
    """等待客户资料: deadline clocks stop until `resume`."""
    if order.state not in PAUSABLE:
        raise _refuse(order, "pause", PAUSABLE)
    detail = {"from": order.state.value}
    return _step(order, StepKind.PAUSED, S.WAITING_CUSTOMER, by, at, note=note, detail=detail)


def resume(order: Order, *, by: str, at: float, note: str = "") -> Order:
    """Back to the state the order was paused from."""
    if order.state is not S.WAITING_CUSTOMER:
        raise _refuse(order, "resume", frozenset({S.WAITING_CUSTOMER}))
    paused = next(s for s in reversed(order.steps) if s.kind is StepKind.PAUSED)
    back = OrderState(str(paused.detail.get("from", S.ASSIGNED.value)))
    detail = {"paused": at - paused.at}
    return _step(order, StepKind.RESUMED, back, by, at, note=note, detail=detail)


ANSWERABLE = frozenset({S.ACCEPTED, S.ASSIGNED})


def answer(
    order: Order, *, by: str, at: float, note: str = "", recorded_at: float | None = None
) -> Order:
    """答复: the department's answer is back (or the agent answered at once, unassigned);
    `at` is when it was given, `recorded_at` when it was reported, if later."""
    if order.state not in ANSWERABLE:
        raise _refuse(order, "answer", ANSWERABLE)
    detail = _told(at, recorded_at)
    return _step(order, StepKind.ANSWERED, S.ANSWERED, by, at, note=note, detail=detail)


def is_satisfied(score: int, opinion: str) -> bool:
    """Unsatisfied: a score of 2 or less, or an opinion that says 不满意."""
    return score > 2 and "不满意" not in opinion


def visit(order: Order, *, score: int, opinion: str, by: str, at: float) -> Order:
    """回访: the customer's opinion and score; an unsatisfied customer reopens the order."""
    if order.state is not S.ANSWERED:
        raise _refuse(order, "record a return visit", frozenset({S.ANSWERED}))
    if not 1 <= score <= 5:
        raise TransitionError(f"score must be 1 to 5, not {score}", command="visit")
    satisfied = is_satisfied(score, opinion)
    detail = {"score": score, "satisfied": satisfied}
    visited = _step(order, StepKind.VISITED, S.VISITED, by, at, note=opinion, detail=detail)
    if satisfied:
        return visited
    return reopen(visited, by=by, at=at, note="回访不满意")


REOPENABLE = frozenset({S.ANSWERED, S.VISITED, S.ARCHIVED})


def reopen(order: Order, *, by: str, at: float, note: str = "") -> Order:
    """A new round: back to the department that answered (or to 受理 when none did)."""
    if order.state not in REOPENABLE:
        raise _refuse(order, "reopen", REOPENABLE)
    state = S.ASSIGNED if order.department else S.ACCEPTED
    detail = {"round": order.round + 1}
    return _step(
        order, StepKind.REOPENED, state, by, at, note=note, detail=detail, round=order.round + 1
    )


def archive(
    order: Order, kind: OrderType, *, by: str, at: float, visit_pending: bool, note: str = ""
) -> Order:
    """归档. An answered order still waiting for its return visit cannot be archived."""
    allowed = frozenset({S.VISITED, S.ANSWERED})
    if order.state not in allowed:
        raise _refuse(order, "archive", allowed)
    if order.state is S.ANSWERED and visit_pending:
        raise TransitionError(
            f"order {order.id} waits for its return visit (回访) before it is archived",
            order=order.id,
            command="archive",
        )
    return _step(order, StepKind.ARCHIVED, S.ARCHIVED, by, at, note=note)


# --- deadlines -----------------------------------------------------------------------


def milestone_at(order: Order, step: str) -> float | None:
    """When the current round reached `step` (first time), or None. A reopen counts as
    the round's ``accepted``, and as its ``assigned`` when it went back to a department."""
    for s in order.round_steps:
        if s.kind is StepKind.REOPENED:
            if step == "accepted" or (step == "assigned" and s.state is S.ASSIGNED):
                return s.at
        elif s.kind is StepKind.FOLLOWED_UP:
            if s.detail.get("milestone") == step:
                return s.at
        elif s.kind.value == step:
            return s.at
    return None


def pauses(order: Order, states: frozenset[OrderState]) -> list[tuple[float, float | None]]:
    """Intervals the order spent in `states`, from its timeline (None: still there)."""
    found: list[tuple[float, float | None]] = []
    since: float | None = None
    for s in order.steps:
        if s.state in states and since is None:
            since = s.at
        elif s.state not in states and since is not None:
            found.append((since, s.at))
            since = None
    if since is not None:
        found.append((since, None))
    return found


def deadline(
    order: Order,
    rule: DeadlineRule,
    calendar: BusinessCalendar,
    now: float,
    near_share: float,
) -> Deadline:
    """One rule on one order at `now`: due time, time left and status, pauses removed.

    The due time is found by walking forward from the start, consuming the budget in
    the gaps between pauses; a pause still going on counts up to `now`, and the due
    time shown is where it would fall if the order resumed now.
    """
    duration = rule.duration_for(order.fields, order.department)
    base = Deadline(rule.name, rule.label, str(duration), DeadlineStatus.PENDING)
    start = milestone_at(order, rule.start)
    if start is None:
        return base
    stopped = milestone_at(order, rule.until)
    if stopped is not None and stopped < start:
        stopped = None
    end = stopped if stopped is not None else max(now, start)
    unit = duration.unit
    budget = calendar.budget(duration)
    gaps = []
    paused_for = 0.0
    paused_now = False
    for a, b in pauses(order, frozenset(OrderState(p) for p in rule.pause_in)):
        b_end = end if b is None else min(b, end)
        a = max(a, start)
        if b_end <= a:
            continue
        if b is None and stopped is None:
            paused_now = True
        gaps.append((a, b_end))
        paused_for += calendar.measure(unit, a, b_end)
    t, left = start, budget
    due: float | None = None
    for a, b in gaps:
        counted = calendar.measure(unit, t, a)
        if counted >= left:
            due = calendar.advance(unit, t, left)
            break
        left -= counted
        t = b
    if due is None:
        due = calendar.advance(unit, t, left)
    remaining = budget - (calendar.measure(unit, start, end) - paused_for)
    if stopped is not None:
        status = DeadlineStatus.MET if stopped <= due else DeadlineStatus.MISSED
    elif remaining <= 0:
        status = DeadlineStatus.OVERDUE
    elif remaining < near_share * budget:
        status = DeadlineStatus.NEAR
    else:
        status = DeadlineStatus.OK
    return dataclasses.replace(
        base,
        status=status,
        start=start,
        due=due,
        stopped=stopped,
        budget=budget,
        left=remaining,
        paused_for=paused_for,
        paused=paused_now,
    )


def deadlines(
    order: Order, kind: OrderType, calendar: BusinessCalendar, now: float, near_share: float
) -> list[Deadline]:
    """Every deadline of the order's type, in the order configured."""
    return [deadline(order, rule, calendar, now, near_share) for rule in kind.deadlines]


def raise_overdue(order: Order, found: list[Deadline], *, at: float) -> tuple[Order, list[str]]:
    """Add an ``overdue`` step for each overdue deadline not yet raised in this round;
    returns the order and the names raised (each becomes an expedite task)."""
    raised = {
        str(s.detail.get("deadline")) for s in order.round_steps if s.kind is StepKind.OVERDUE
    }
    names: list[str] = []
    for d in found:
        if d.status is DeadlineStatus.OVERDUE and d.name not in raised:
            detail = {"deadline": d.name, "due": d.due}
            order = _step(order, StepKind.OVERDUE, order.state, SYSTEM, at, detail=detail)
            names.append(d.name)
    return order, names
