"""Order accuracy (受理工单正确率): are an order's key fields right, checked against its call?

The 95598 rule (seed 001, 第二篇 作业指标 8): accepted orders filled in correctly over all
accepted orders, ≥ 99 % for every type but queries and consultations; for those, the key
fields — calling number, call time, category, name, content — ≥ 95 %.

What can be checked without a person is checked against the call the order was taken on
(the calls ledger) and the customer's record:
- calling number: the order's caller is the call's calling number;
- call time: the order was accepted during the call or its wrap-up (between the call's
  arrival and `wrap_window` seconds after it ended);
- category: the order's type is a configured type (an order from a call always has one;
  kept as a field so a QA inspector's verdict can overrule it);
- name: a customer name is filled in and, when the CRM knows the caller, it is the CRM's;
- content: filled in, at least `min_content` characters.
An order taken without a call (e.g. from a letter) is checked on name and content only.
A QA inspector's verdict per field, when given, replaces the automatic one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

KEY_FIELDS = ("calling_number", "call_time", "category", "name", "content")
QUERY_TYPES = frozenset({"query", "consultation"})


@dataclass(frozen=True, slots=True)
class CallFacts:
    """What the calls ledger says about the call an order was taken on."""

    caller: str
    arrived_at: float
    ended_at: float | None


@dataclass(frozen=True, slots=True)
class FieldCheck:
    field: str
    ok: bool
    why: str = ""


@dataclass(frozen=True, slots=True)
class OrderCheck:
    """The verdict on one order: each key field, and whether all of them are right."""

    order: int
    type: str
    fields: tuple[FieldCheck, ...]

    @property
    def correct(self) -> bool:
        return all(f.ok for f in self.fields)


def check_order(
    order_id: int,
    type_name: str,
    known_types: Iterable[str],
    fields: Mapping[str, str | int],
    *,
    caller: str,
    accepted_at: float,
    call: CallFacts | None,
    crm_name: str | None = None,
    wrap_window: float = 600.0,
    min_content: int = 5,
    verdicts: Mapping[str, bool] | None = None,
) -> OrderCheck:
    """Check one order's key fields; `verdicts` (a QA inspector's, by field) win."""
    checks: list[FieldCheck] = []
    if call is not None:
        same = caller == call.caller
        checks.append(
            FieldCheck("calling_number", same, "" if same else "不是来电号码 not the call's number")
        )
        until = (call.ended_at if call.ended_at is not None else accepted_at) + wrap_window
        in_call = call.arrived_at <= accepted_at <= until
        checks.append(
            FieldCheck(
                "call_time", in_call, "" if in_call else "不在通话时间内 not during the call"
            )
        )
    known = type_name in set(known_types)
    checks.append(FieldCheck("category", known, "" if known else "类别未配置 unknown type"))
    name = str(fields.get("customer_name", "")).strip()
    if not name:
        checks.append(FieldCheck("name", False, "姓名未填 name missing"))
    elif crm_name is not None and name != crm_name:
        checks.append(FieldCheck("name", False, f"与客户档案不符 CRM has {crm_name}"))
    else:
        checks.append(FieldCheck("name", True))
    content = str(fields.get("content", "")).strip()
    long_enough = len(content) >= min_content
    checks.append(
        FieldCheck("content", long_enough, "" if long_enough else "内容过短 content too short")
    )
    if verdicts:
        checks = [
            FieldCheck(c.field, verdicts[c.field], "质检判定 QA verdict")
            if c.field in verdicts
            else c
            for c in checks
        ]
    return OrderCheck(order_id, type_name, tuple(checks))


@dataclass(frozen=True, slots=True)
class Accuracy:
    """The figure over a set of checked orders, split as the 95598 rule splits it."""

    orders: int
    correct: int
    query_orders: int
    query_fields: int
    query_fields_correct: int
    other_orders: int
    other_correct: int
    wrong_fields: Mapping[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float | None:
        """Correct orders over checked orders (every type)."""
        return self.correct / self.orders if self.orders else None

    @property
    def query_key_field_rate(self) -> float | None:
        """Queries and consultations: correct key fields over key fields checked (≥ 95 %)."""
        return self.query_fields_correct / self.query_fields if self.query_fields else None

    @property
    def other_rate(self) -> float | None:
        """Every other type: correct orders over orders (≥ 99 %)."""
        return self.other_correct / self.other_orders if self.other_orders else None


def accuracy(checks: Iterable[OrderCheck]) -> Accuracy:
    orders = correct = q_orders = q_fields = q_ok = o_orders = o_ok = 0
    wrong: dict[str, int] = {}
    for check in checks:
        orders += 1
        correct += check.correct
        for f in check.fields:
            if not f.ok:
                wrong[f.field] = wrong.get(f.field, 0) + 1
        if check.type in QUERY_TYPES:
            q_orders += 1
            q_fields += len(check.fields)
            q_ok += sum(f.ok for f in check.fields)
        else:
            o_orders += 1
            o_ok += check.correct
    return Accuracy(orders, correct, q_orders, q_fields, q_ok, o_orders, o_ok, wrong)
