"""Hints for the agent desk from a customer's consumption data (SPEC §6).

Each rule of ``crm.yaml`` is a list of conditions on named fields (all must
hold) and a message; `hints_for` returns the message of every rule that holds,
in the file's order. A condition on a field the customer has no value for does
not hold: a hint is shown only on facts the hotline actually has.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hotline.crm.config import Condition, HintLevel, HintRule, Op
from hotline.crm.model import Profile

FieldValue = float | str | None

_COMPARE: dict[Op, Callable[[Any, Any], bool]] = {
    Op.EQ: operator.eq,
    Op.NE: operator.ne,
    Op.GT: operator.gt,
    Op.GE: operator.ge,
    Op.LT: operator.lt,
    Op.LE: operator.le,
}


@dataclass(frozen=True, slots=True)
class Hint:
    """One hint shown on the desk's pop-up."""

    rule: str
    message: str
    level: HintLevel


def hint_fields(profile: Profile) -> dict[str, FieldValue]:
    """The values a hint rule may test or show, by field name."""
    facts = profile.facts
    usage = facts.consumption
    return {
        "name": profile.name,
        "account_manager": facts.account_manager,
        "customer_type": facts.customer_type.value,
        "tier": profile.tier.value,
        "list_mark": profile.list_status.mark.value,
        "lifecycle": profile.lifecycle.value,
        "score": profile.score,
        "arpu": facts.arpu,
        "tenure_months": None if facts.tenure_months is None else float(facts.tenure_months),
        "credit_score": facts.credit_score,
        "last_bill": usage.last_bill,
        "avg_bill_6m": usage.avg_bill_6m,
        "arrears": usage.arrears,
        "prepaid_balance": usage.prepaid_balance,
    }


def holds(condition: Condition, fields: Mapping[str, FieldValue]) -> bool:
    """Whether ``field op value`` (or ``field op times × of``) holds; False on a missing value."""
    left = fields.get(condition.field)
    if condition.of is not None:
        other = fields.get(condition.of)
        if not isinstance(other, int | float):
            return False
        right: FieldValue = condition.times * other
    else:
        right = condition.value
    if left is None or right is None:
        return False
    if isinstance(left, str) != isinstance(right, str):
        return False
    return _COMPARE[condition.op](left, right)


class _Shown:
    """A value as a message shows it: 12.0 as ``12``, 12.345 as ``12.35``, None as ``—``."""

    __slots__ = ("value",)

    def __init__(self, value: FieldValue) -> None:
        self.value = value

    def __format__(self, spec: str) -> str:
        if self.value is None:
            return "—"
        if spec:
            return format(self.value, spec)
        if isinstance(self.value, float):
            return f"{self.value:.2f}".rstrip("0").rstrip(".")
        return str(self.value)


class _Values(dict[str, _Shown]):
    """A field the caller did not give shows as ``—`` rather than failing the desk."""

    def __missing__(self, key: str) -> _Shown:
        return _Shown(None)


def hints_for(rules: Sequence[HintRule], fields: Mapping[str, FieldValue]) -> list[Hint]:
    """Every rule whose conditions all hold, as hints with their messages filled in."""
    shown = _Values({name: _Shown(value) for name, value in fields.items()})
    found = []
    for rule in rules:
        if all(holds(condition, fields) for condition in rule.when):
            message = rule.message.format_map(shown)
            found.append(Hint(rule=rule.name, message=message, level=rule.level))
    return found
