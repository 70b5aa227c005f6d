"""Order accuracy (受理工单正确率), by hand: key fields checked against the call and the CRM,
each type's own content field read, a QA inspector's verdict counted in place of the check."""

from __future__ import annotations

from typing import Any

import pytest

from hotline.core.config import ConfigError
from hotline.orders.accuracy import CallFacts, OrderCheck, Verdict, accuracy, check_order
from hotline.orders.config import parse_order_types
from hotline.orders.verdicts import VerdictError, overrule
from tests.orders.support import example

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


def _verdict(order: int, field: str, ok: bool) -> Verdict:
    return Verdict(order, field, ok, not ok, "录音核实", "qa", 1300.0)


def test_a_qa_verdict_overrules_the_automatic_check() -> None:
    check = _check(3, content="电费", verdicts={"content": _verdict(3, "content", True)})
    assert check.correct
    content = check.item("content")
    assert content is not None
    assert (content.automatic, content.problem, content.ok) == (False, "too_short", True)
    assert check.overridden


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


def _content_field(type_name: str) -> str | None:
    content = example().types[type_name].content
    return content.name if content is not None else None


@pytest.mark.parametrize(
    ("type_name", "field", "label"),
    [
        ("fault_report", "symptom", "故障现象"),
        ("complaint", "content", "投诉内容"),
        ("query", "content", "查询内容"),
        ("consultation", "content", "咨询内容"),
    ],
)
def test_each_type_is_checked_on_its_own_content_field(
    type_name: str, field: str, label: str
) -> None:
    content = example().types[type_name].content
    assert content is not None
    assert (content.name, content.label) == (field, label)


def test_a_fault_report_with_its_symptom_filled_in_is_not_too_short() -> None:
    fields = {"customer_name": "李娜", "symptom": "整栋楼停电，邻居家也没电"}  # no `content`
    check = check_order(
        7,
        "fault_report",
        example().types,
        fields,
        caller="13800138000",
        accepted_at=1150.0,
        call=CALL,
        crm_name="李娜",
        content_field=_content_field("fault_report"),
    )
    content = check.item("content")
    assert content is not None
    assert (content.ok, content.source) == (True, "symptom")
    assert check.correct
    empty = check_order(
        8,
        "fault_report",
        example().types,
        {"customer_name": "李娜", "symptom": "停电"},
        caller="13800138000",
        accepted_at=1150.0,
        call=CALL,
        content_field="symptom",
    )
    assert [(f.field, f.problem) for f in empty.fields if not f.ok] == [("content", "too_short")]


def test_a_type_without_content_or_name_is_not_checked_on_them() -> None:
    assert example().types["bill_notice"].content is None
    check = check_order(
        9,
        "bill_notice",
        example().types,
        {"account": "0101"},
        caller="",
        accepted_at=1150.0,
        call=None,
        content_field=None,
        name_field=None,
    )
    assert [f.field for f in check.fields] == ["category"]
    assert check.correct


def test_content_field_must_name_a_text_field_of_the_type() -> None:
    base = """\
types:
  fault_report:
    label: 故障报修
    content_field: {name}
    fields:
      - {{name: area_class, label: 区域, type: choice, choices: [urban, remote]}}
      - {{name: symptom, label: 现象}}
"""
    assert parse_order_types(base.format(name="symptom")).types["fault_report"].content
    for name, words in (("sympton", "unknown field 'sympton'"), ("area_class", "choice field")):
        with pytest.raises(ConfigError) as caught:
            parse_order_types(base.format(name=name), file="orders.yaml")
        assert "orders.yaml:4:" in str(caught.value)
        assert "types.fault_report.content_field" in str(caught.value)
        assert words in str(caught.value)


def test_overrule_keeps_what_it_replaces_and_refuses_what_is_not_a_change() -> None:
    check = _check(10, content="电费")
    verdict = overrule(check, "content", True, "  录音里客户说明了来意  ", by="qa", at=2000.0)
    assert (verdict.order, verdict.field, verdict.ok, verdict.was) == (10, "content", True, False)
    assert verdict.reason == "录音里客户说明了来意"
    for item, ok, reason, part in (
        ("content", True, " ", "reason"),  # blank reason
        ("content", True, "长" * 501, "reason"),
        ("content", False, "本来就错", "ok"),  # already wrong
        ("address", False, "不是检查项", "field"),
    ):
        with pytest.raises(VerdictError) as caught:
            overrule(check, item, ok, reason, by="qa", at=2000.0)
        assert caught.value.part == part


def test_the_figure_counts_the_qa_verdicts() -> None:
    right = _check(11, "complaint")
    wrong = _check(12, "complaint", verdicts={"name": _verdict(12, "name", False)})
    assert accuracy([right, wrong]).other_rate == pytest.approx(1 / 2)
    assert dict(accuracy([right, wrong]).wrong_fields) == {"name": 1}
