"""Order accuracy (受理工单正确率), by hand: key fields checked against the call and the CRM."""

from __future__ import annotations

from typing import Any

import pytest

from hotline.orders.accuracy import CallFacts, OrderCheck, accuracy, check_order

TYPES = ("query", "consultation", "complaint", "fault")
CALL = CallFacts(caller="13800138000", arrived_at=1000.0, ended_at=1200.0)
GOOD = {"customer_name": "李娜", "content": "询问本月电费为何上涨"}


def _check(order: int, type_name: str = "query", **changes: Any) -> OrderCheck:
    args: dict[str, Any] = {
        "caller": "13800138000",
        "accepted_at": 1150.0,
        "call": CALL,
        "crm_name": "李娜",
    }
    fields = dict(GOOD)
    fields.update({k: v for k, v in changes.items() if k in GOOD})
    args.update({k: v for k, v in changes.items() if k not in GOOD})
    return check_order(order, type_name, TYPES, fields, **args)


def test_a_well_taken_order_is_correct_on_every_key_field() -> None:
    check = _check(1)
    assert check.correct
    assert [f.field for f in check.fields] == [
        "calling_number",
        "call_time",
        "category",
        "name",
        "content",
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"caller": "13900000000"}, "calling_number"),
        ({"accepted_at": 5000.0}, "call_time"),  # long after the call and its wrap-up
        ({"customer_name": "王芳"}, "name"),  # not the CRM's name
        ({"customer_name": " "}, "name"),
        ({"content": "电费"}, "content"),  # too short to say what was asked
    ],
)
def test_each_wrong_key_field_is_named(change: dict[str, object], field: str) -> None:
    check = _check(2, **change)
    wrong = [f.field for f in check.fields if not f.ok]
    assert wrong == [field]


def test_a_qa_verdict_overrules_the_automatic_check() -> None:
    check = _check(3, content="电费", verdicts={"content": True})
    assert check.correct


def test_the_figure_splits_queries_from_the_other_types_as_the_rule_does() -> None:
    checks = [
        _check(1),  # query, 5/5 fields right
        _check(2, caller="13900000000"),  # query, 4/5
        _check(3, "consultation"),  # 5/5
        _check(4, "complaint"),  # correct
        _check(5, "complaint", content="短"),  # wrong
        _check(6, "fault"),  # correct
    ]
    figure = accuracy(checks)
    assert (figure.orders, figure.correct) == (6, 4)
    assert figure.rate == pytest.approx(4 / 6)
    assert figure.query_key_field_rate == pytest.approx(14 / 15)  # below the 95 % target
    assert figure.other_rate == pytest.approx(2 / 3)  # far below the 99 % target
    assert dict(figure.wrong_fields) == {"calling_number": 1, "content": 1}


def test_no_orders_no_figure() -> None:
    figure = accuracy([])
    assert figure.rate is None
    assert figure.query_key_field_rate is None
