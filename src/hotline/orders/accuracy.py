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
- name: a customer name is filled in and, when the CRM knows the caller, it is the CRM's
  (types without a ``customer_name`` field, e.g. a bill notice, are not checked on it);
- content: the type's own content field (`OrderType.content`: 故障现象 of a fault report,
  投诉内容 of a complaint) is filled in, at least `min_content` characters (types without
  a content field are not checked on it).
An order taken without a call (e.g. from a letter) is checked on name and content only.

A QA inspector may overrule the automatic verdict of any checked item (`Verdict`, with a
reason; `hotline.orders.verdicts`): the latest verdict per item replaces the automatic
one, and the figure counts it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

KEY_FIELDS = ("calling_number", "call_time", "category", "name", "content")
QUERY_TYPES = frozenset({"query", "consultation"})
NAME_FIELD = "customer_name"
"""The order field the name check reads."""

PROBLEMS = ("not_caller", "not_in_call", "unknown_type", "no_name", "not_crm_name", "too_short")
"""Why the automatic check found an item wrong (`FieldCheck.problem`); the console words
them (``accuracy.problem.<id>``)."""


@dataclass(frozen=True, slots=True)
class CallFacts:
    """What the calls ledger says about the call an order was taken on."""

    caller: str
    arrived_at: float
    ended_at: float | None


@dataclass(frozen=True, slots=True)
class Verdict:
    """A QA inspector's verdict on one checked item of one order (质检改判): `ok` replaces
    the automatic verdict; `was` is the verdict in effect before it (automatic or an
    earlier override). Verdicts are kept, never edited: the latest per item wins."""

    order: int
    field: str
    ok: bool
    was: bool
    reason: str
    by: str
    at: float
    id: int | None = None


@dataclass(frozen=True, slots=True)
class FieldCheck:
    """One checked item: the automatic verdict (`automatic`, with its `problem` id and
    `detail`), the order field it read (`source`, e.g. ``symptom``), and the QA
    inspector's latest verdict on it when there is one (`override`)."""

    field: str
    automatic: bool
    problem: str = ""
    detail: str = ""
    source: str | None = None
    override: Verdict | None = None

    @property
    def ok(self) -> bool:
        """The verdict that counts: the QA inspector's, else the automatic one."""
        return self.override.ok if self.override is not None else self.automatic


@dataclass(frozen=True, slots=True)
class OrderCheck:
    """The verdict on one order: each key field, and whether all of them are right."""

    order: int
    type: str
    fields: tuple[FieldCheck, ...]

    @property
    def correct(self) -> bool:
        return all(f.ok for f in self.fields)

    def item(self, name: str) -> FieldCheck | None:
        """The checked item `name` (None: this order is not checked on it)."""
        return next((f for f in self.fields if f.field == name), None)

    @property
    def overridden(self) -> bool:
        return any(f.override is not None for f in self.fields)


def _auto(
    name: str, ok: bool, problem: str, detail: str = "", source: str | None = None
) -> FieldCheck:
    return FieldCheck(name, ok, "" if ok else problem, detail if not ok else "", source)


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
    content_field: str | None = "content",
    name_field: str | None = NAME_FIELD,
    verdicts: Mapping[str, Verdict] | None = None,
) -> OrderCheck:
    """Check one order's key fields. `content_field` is the type's content field (None:
    the type has none, content is not checked); `name_field` likewise for the name.
    `verdicts` (a QA inspector's latest, by checked item) overrule the automatic check;
    a verdict on an item this order is not checked on is ignored."""
    checks: list[FieldCheck] = []
    if call is not None:
        checks.append(_auto("calling_number", caller == call.caller, "not_caller"))
        until = (call.ended_at if call.ended_at is not None else accepted_at) + wrap_window
        in_call = call.arrived_at <= accepted_at <= until
        checks.append(_auto("call_time", in_call, "not_in_call"))
    checks.append(_auto("category", type_name in set(known_types), "unknown_type"))
    if name_field is not None:
        name = str(fields.get(name_field, "")).strip()
        if not name:
            checks.append(_auto("name", False, "no_name", source=name_field))
        elif crm_name is not None and name != crm_name:
            checks.append(_auto("name", False, "not_crm_name", crm_name, name_field))
        else:
            checks.append(_auto("name", True, "", source=name_field))
    if content_field is not None:
        content = str(fields.get(content_field, "")).strip()
        checks.append(
            _auto("content", len(content) >= min_content, "too_short", source=content_field)
        )
    if verdicts:
        checks = [
            FieldCheck(c.field, c.automatic, c.problem, c.detail, c.source, verdicts[c.field])
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
