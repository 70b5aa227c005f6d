"""The CRM's vocabulary: customer types, lifecycle stages, a customer's account facts.

Frozen dataclasses and enums only; storage returns these and the rules
(scoring, lifecycle, hints) read them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from hotline.core.customer import ListMark, Tier


class CustomerType(enum.StrEnum):
    """Business (非居民/企业, served by an account manager) or resident (居民)."""

    BUSINESS = "business"
    RESIDENT = "resident"


class LifecycleStage(enum.StrEnum):
    """Where a customer is in their life with the hotline's company (SPEC §6)."""

    IDENTIFICATION = "identification"  # 识别期: new, not yet known
    GROWTH = "growth"  # 成长期
    STABLE = "stable"  # 稳定期
    WARNING = "warning"  # 预警期: churn risk (low ARPU), retention call due


@dataclass(frozen=True, slots=True)
class Consumption:
    """Consumption facts (消费数据) the hint rules read; None where not known."""

    last_bill: float | None = None  # 本月电费, yuan
    avg_bill_6m: float | None = None  # 近 6 个月平均电费, yuan
    arrears: float | None = None  # 欠费, yuan
    prepaid_balance: float | None = None  # 预付费余额, yuan


@dataclass(frozen=True, slots=True)
class AccountFacts:
    """What scoring, lifecycle and hints need about one customer account."""

    customer_type: CustomerType = CustomerType.RESIDENT
    arpu: float | None = None  # yuan a month
    tenure_months: int | None = None  # 在网月数
    credit_score: float | None = None  # 信用分
    consumption: Consumption = field(default_factory=Consumption)
    account_manager: str = ""  # 客户经理 of a business customer


@dataclass(frozen=True, slots=True)
class ListStatus:
    """A customer's list mark, and who put them there, when and why."""

    mark: ListMark = ListMark.NONE
    reason: str = ""
    set_by: str = ""
    set_at: float | None = None


@dataclass(frozen=True, slots=True)
class Profile:
    """One customer as the desk and the API show it: identity, account, tier, list, stage."""

    customer_id: int
    name: str
    phone: str
    account: str
    id_number: str
    address: str
    facts: AccountFacts
    tier: Tier
    score: float
    lifecycle: LifecycleStage
    list_status: ListStatus
    bound_phones: tuple[str, ...] = ()
    has_password: bool = False
    updated_at: float | None = None


__all__ = [
    "AccountFacts",
    "Consumption",
    "CustomerType",
    "LifecycleStage",
    "ListMark",
    "ListStatus",
    "Profile",
    "Tier",
]
