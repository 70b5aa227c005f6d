"""The order's state machine and deadlines, pure (no database): hand-computed due times."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from hotline.orders import lifecycle as lc
from hotline.orders.errors import InvalidFieldsError, TransitionError
from hotline.orders.events import event_of
from hotline.orders.model import DeadlineStatus, Order, OrderState, StepKind
from tests.orders.support import calendar, example, local, ts

CONFIG = example()
CAL = calendar(CONFIG)
QUERY = {"customer_name": "张三", "phone": "13800138000", "content": "电费为何翻倍"}
FAULT = {
    "customer_name": "李四",
    "phone": "13900139000",
    "address": "人民路1号",
    "area": "人民路",
    "area_class": "urban",
    "symptom": "整栋楼停电",
}


def new(type_name: str, fields: Mapping[str, Any], at: str, **kw: Any) -> Order:
    kind = CONFIG.types[type_name]
    return lc.new_order(kind, type_name, fields, by="9001", at=ts(at), **kw)


def status(order: Order, now: str) -> dict[str, tuple[DeadlineStatus, str | None]]:
    found = lc.deadlines(order, CONFIG.types[order.type], CAL, ts(now), CONFIG.near_share)
    return {d.name: (d.status, local(d.due) if d.due is not None else None) for d in found}


def test_required_and_unknown_fields_are_named() -> None:
    with pytest.raises(InvalidFieldsError) as caught:
        new("query", {"phone": "1", "colour": "red"}, "2026-11-16 09:00")
    assert caught.value.problems == {
        "colour": "unknown field",
        "customer_name": "required (客户姓名)",
        "content": "required (查询内容)",
    }


def test_field_types_are_checked() -> None:
    fields = {
        "account": "1",
        "read_date": "2026-13-01",
        "reading": "x",
        "usage": 3,
        "amount": "9",
        "amount_due": "9",
        "channel": "pigeon",
    }
    with pytest.raises(InvalidFieldsError) as caught:
        new("bill_notice", fields, "2026-11-16 09:00")
    assert caught.value.problems == {
        "read_date": "must be a date YYYY-MM-DD",
        "reading": "must be a whole number",
        "channel": "must be one of: sms, outbound, auto_call, fax",
    }


def test_anonymous_complaint_keeps_no_identity() -> None:
    fields = {"cause": "attitude", "content": "态度恶劣"}
    order = new("complaint", fields, "2026-11-16 09:00", anonymous=True, caller="13800138000")
    assert order.anonymous
    assert order.caller == ""
    assert "customer_name" not in order.fields
    with pytest.raises(TransitionError, match="cannot be anonymous"):
        new("query", QUERY, "2026-11-16 09:00", anonymous=True)


def test_full_lifecycle_and_its_events() -> None:
    order = new("query", QUERY, "2026-11-16 09:00")
    order = lc.assign(order, "billing", by="lead", at=ts("2026-11-16 09:05"))
    order = lc.expedite(order, by="lead", at=ts("2026-11-17 09:00"))
    order = lc.answer(order, by="lead", at=ts("2026-11-17 10:00"))
    order = lc.visit(order, score=5, opinion="满意", by="9001", at=ts("2026-11-17 18:30"))
    order = lc.archive(
        order, CONFIG.types["query"], by="lead", at=ts("2026-11-17 19:00"), visit_pending=False
    )
    assert order.state is OrderState.ARCHIVED
    kinds = [event_of(order, s).kind for s in order.steps]
    assert kinds == [
        "order.created",
        "order.assigned",
        "order.expedited",
        "order.answered",
        "order.visited",
        "order.archived",
    ]
    assert [s.by for s in order.steps] == ["9001", "lead", "lead", "lead", "9001", "lead"]
    assert status(order, "2026-11-18 10:00") == {
        "department_answer": (DeadlineStatus.MET, "2026-11-18 09:05"),
        "reply": (DeadlineStatus.MET, "2026-11-18 10:00"),
    }


def test_invalid_transitions_say_what_is_allowed() -> None:
    order = new("query", QUERY, "2026-11-16 09:00")
    with pytest.raises(TransitionError, match=r"is accepted: cannot record a return visit"):
        lc.visit(order, score=5, opinion="", by="9001", at=ts("2026-11-16 10:00"))
    with pytest.raises(TransitionError, match=r"cannot resume \(only when waiting_customer\)"):
        lc.resume(order, by="9001", at=ts("2026-11-16 10:00"))
    order = lc.answer(order, by="9001", at=ts("2026-11-16 10:00"))
    with pytest.raises(TransitionError, match="waits for its return visit"):
        lc.archive(
            order, CONFIG.types["query"], by="lead", at=ts("2026-11-16 11:00"), visit_pending=True
        )
    with pytest.raises(TransitionError, match="cannot assign"):
        lc.assign(order, "billing", by="lead", at=ts("2026-11-16 11:00"))
    fault = new("fault_report", FAULT, "2026-11-16 09:00")
    fault = lc.assign(fault, "repair", by="lead", at=ts("2026-11-16 09:01"))
    with pytest.raises(TransitionError, match="no milestone 'arived'"):
        lc.follow_up(
            fault, CONFIG.types["fault_report"], "arived", by="x", at=ts("2026-11-16 09:10")
        )
    with pytest.raises(TransitionError, match="already with 'repair'"):
        lc.assign(fault, "repair", by="lead", at=ts("2026-11-16 09:02"))


def test_reassign_keeps_the_first_assignment_as_the_start() -> None:
    order = new("complaint", {**QUERY, "cause": "attitude"}, "2026-11-16 09:00")
    order = lc.assign(order, "marketing", by="lead", at=ts("2026-11-16 10:00"))
    order = lc.assign(order, "discipline", by="lead", at=ts("2026-11-16 11:00"))
    assert order.steps[-1].detail == {"previous": "marketing"}
    # the discipline department has 4 working days, counted from the first assignment:
    # Mon 10:00 + 30 h → Mon 6 h, Tue/Wed/Thu 22.5 h (28.5), Fri 08:30 + 1.5 h
    assert status(order, "2026-11-16 12:00")["result"] == (DeadlineStatus.OK, "2026-11-20 10:00")


def test_pause_is_taken_out_of_the_deadline() -> None:
    order = new("query", QUERY, "2026-11-16 08:50")
    order = lc.assign(order, "billing", by="lead", at=ts("2026-11-16 09:00"))
    assert status(order, "2026-11-16 09:30")["department_answer"] == (
        DeadlineStatus.OK,
        "2026-11-18 09:00",
    )
    order = lc.pause(order, by="9001", at=ts("2026-11-16 10:00"))
    # paused now: Mon 09:00–10:00 counted (1 h), 14 h left from Tue 09:00 → Wed 17:00
    assert status(order, "2026-11-17 09:00")["department_answer"] == (
        DeadlineStatus.OK,
        "2026-11-18 17:00",
    )
    order = lc.resume(order, by="9001", at=ts("2026-11-17 10:00"))
    assert order.state is OrderState.ASSIGNED
    assert order.steps[-1].detail == {"paused": 86400.0}
    # paused Mon 10:00–Tue 10:00 = 6 h + 1.5 h = one working day: due moves one day on
    found = lc.deadlines(order, CONFIG.types["query"], CAL, ts("2026-11-17 12:00"), 0.2)
    assert local(found[0].due or 0) == "2026-11-19 09:00"
    assert found[0].paused_for == 7.5 * 3600


def test_fault_arrival_near_overdue_and_expedite() -> None:
    order = new("fault_report", FAULT, "2026-11-16 09:59")
    order = lc.assign(order, "repair", by="lead", at=ts("2026-11-16 10:00"))
    assert status(order, "2026-11-16 10:30")["arrival"] == (DeadlineStatus.OK, "2026-11-16 10:45")
    assert status(order, "2026-11-16 10:40")["arrival"][0] is DeadlineStatus.NEAR
    assert status(order, "2026-11-16 10:46")["arrival"][0] is DeadlineStatus.OVERDUE
    assert status(order, "2026-11-16 10:46")["site_feedback"] == (DeadlineStatus.PENDING, None)
    found = lc.deadlines(order, CONFIG.types["fault_report"], CAL, ts("2026-11-16 10:46"), 0.2)
    raised, names = lc.raise_overdue(order, found, at=ts("2026-11-16 10:46"))
    assert names == ["arrival"]
    assert raised.steps[-1].kind is StepKind.OVERDUE
    assert event_of(raised, raised.steps[-1]).kind == "order.overdue"
    again, names = lc.raise_overdue(raised, found, at=ts("2026-11-16 10:47"))
    assert names == []
    assert again is raised
    # remote area: 120 minutes, and the night does not stop a calendar clock
    remote = new("fault_report", {**FAULT, "area_class": "remote"}, "2026-11-16 23:00")
    remote = lc.assign(remote, "repair", by="lead", at=ts("2026-11-16 23:30"))
    assert status(remote, "2026-11-17 00:00")["arrival"] == (DeadlineStatus.OK, "2026-11-17 01:30")
    remote = lc.follow_up(
        remote, CONFIG.types["fault_report"], "arrived", by="repair", at=ts("2026-11-17 01:00")
    )
    assert status(remote, "2026-11-17 01:20") == {
        "arrival": (DeadlineStatus.MET, "2026-11-17 01:30"),
        "site_feedback": (DeadlineStatus.OK, "2026-11-17 01:30"),
    }


def test_unsatisfied_visit_reopens_to_the_department_with_fresh_deadlines() -> None:
    order = new("query", QUERY, "2026-11-16 09:00")
    order = lc.assign(order, "billing", by="lead", at=ts("2026-11-16 09:00"))
    order = lc.answer(order, by="lead", at=ts("2026-11-16 15:00"))
    order = lc.visit(order, score=4, opinion="不满意，没解决", by="9001", at=ts("2026-11-16 18:10"))
    assert order.state is OrderState.ASSIGNED
    assert order.round == 2
    assert [s.kind for s in order.steps[-2:]] == [StepKind.VISITED, StepKind.REOPENED]
    assert order.steps[-2].detail == {"score": 4, "satisfied": False}
    # reopened after hours (Mon 18:10): two working days from Tue 08:30 end Wed 17:30
    assert status(order, "2026-11-17 09:00") == {
        "department_answer": (DeadlineStatus.OK, "2026-11-18 17:30"),
        "reply": (DeadlineStatus.PENDING, None),
    }
    low = lc.answer(order, by="lead", at=ts("2026-11-17 10:00"))
    assert lc.visit(low, score=5, opinion="满意", by="9001", at=ts("2026-11-17 18:00")).state is (
        OrderState.VISITED
    )
    assert lc.visit(low, score=2, opinion="", by="9001", at=ts("2026-11-17 18:00")).round == 3


BILL = {
    "account": "0102030405",
    "read_date": "2026-11-10",
    "reading": 4512,
    "usage": 230,
    "amount": "128.80",
    "amount_due": "128.80",
}


def attempt(order: Order, reached: bool, channel: str = "outbound") -> tuple[Order, str | None]:
    kind = CONFIG.types[order.type]
    return lc.contact_attempt(
        order, kind, reached=reached, channel=channel, by="9001", at=ts("2026-11-16 10:00")
    )


def test_the_third_failed_call_hands_a_bill_notice_back_for_a_paper_notice() -> None:
    order = new("bill_notice", BILL, "2026-11-16 09:00")
    order, then = attempt(order, False)
    assert (then, lc.failed_attempts(order)) == (None, 1)
    order, then = attempt(order, True, "auto_call")
    assert (then, lc.failed_attempts(order)) == (None, 0)  # reached: the count starts again
    for expected in (None, None, "paper_notice", None):
        order, then = attempt(order, False)
        assert then == expected
    assert lc.failed_attempts(order) == 4
    assert order.state is OrderState.ACCEPTED
    events = [event_of(order, s) for s in order.steps[1:]]
    assert [(e.reached, e.failed, e.then) for e in events] == [  # type: ignore[attr-defined]
        (False, 1, None),
        (True, 0, None),
        (False, 1, None),
        (False, 2, None),
        (False, 3, "paper_notice"),
        (False, 4, None),
    ]


def test_arrears_reminders_escalate_and_other_types_take_no_attempts() -> None:
    fields = {
        "account": "01",
        "month": "2026-10",
        "amount": "88",
        "late_fee": "0.5",
        "total": "88.5",
    }
    order = new("arrears_reminder", fields, "2026-11-16 09:00")
    for _ in range(3):
        order, then = attempt(order, False)
    assert then == "escalate"
    with pytest.raises(TransitionError, match="not delivered by 'fax'"):
        attempt(order, False, "fax")
    with pytest.raises(TransitionError, match="not delivered by calls"):
        attempt(new("query", QUERY, "2026-11-16 09:00"), False)
