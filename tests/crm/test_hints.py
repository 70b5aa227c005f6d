"""The desk's hints from consumption data, evaluated with the example's rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotline.core.customer import ListMark, Tier
from hotline.crm import (
    AccountFacts,
    Consumption,
    CrmConfig,
    CustomerType,
    LifecycleStage,
    ListStatus,
    Profile,
    hint_fields,
    hints_for,
    load_crm_config,
)
from hotline.crm.config import Condition, Op
from hotline.crm.hints import holds

EXAMPLE = Path(__file__).parents[2] / "examples" / "95598" / "crm.yaml"


@pytest.fixture(scope="module")
def config() -> CrmConfig:
    return load_crm_config(EXAMPLE)


def profile(facts: AccountFacts, lifecycle: LifecycleStage = LifecycleStage.STABLE) -> Profile:
    return Profile(
        customer_id=1,
        name="张伟",
        phone="13800138000",
        account="0101000001",
        id_number="",
        address="",
        facts=facts,
        tier=Tier.ORDINARY,
        score=30.0,
        lifecycle=lifecycle,
        list_status=ListStatus(ListMark.NONE),
    )


def rules(config: CrmConfig, facts: AccountFacts, **kw: LifecycleStage) -> list[str]:
    return [hint.rule for hint in hints_for(config.hints, hint_fields(profile(facts, **kw)))]


def test_arrears_ask_for_payment_with_the_amount(config):
    facts = AccountFacts(arpu=120, consumption=Consumption(arrears=86.5))
    (hint,) = hints_for(config.hints, hint_fields(profile(facts)))
    assert (hint.rule, hint.level.value) == ("arrears", "warning")
    assert hint.message == "欠费 86.5 元：提醒客户及时缴费，避免停电"


def test_a_bill_over_one_and_a_half_times_the_average_suggests_a_meter_check(config):
    # 1.5 × 200 = 300: 300 is not over it, 300.01 is
    at_limit = AccountFacts(arpu=200, consumption=Consumption(last_bill=300, avg_bill_6m=200))
    over = AccountFacts(arpu=200, consumption=Consumption(last_bill=300.01, avg_bill_6m=200))
    assert rules(config, at_limit) == []
    assert rules(config, over) == ["abnormal_usage"]
    (hint,) = hints_for(config.hints, hint_fields(profile(over)))
    assert "本月电费 300.01 元，超过近 6 个月平均 200 元的 1.5 倍" in hint.message


def test_no_hint_on_facts_the_hotline_does_not_have(config):
    # no average known: the usage rule does not fire; no prepaid balance: no top-up reminder
    assert rules(config, AccountFacts(arpu=200, consumption=Consumption(last_bill=900))) == []


def test_several_rules_fire_in_file_order(config):
    facts = AccountFacts(
        customer_type=CustomerType.BUSINESS,
        arpu=30,
        account_manager="刘经理",
        consumption=Consumption(arrears=10, prepaid_balance=5),
    )
    assert rules(config, facts, lifecycle=LifecycleStage.WARNING) == [
        "arrears",
        "low_prepaid",
        "business",
        "churn_warning",
    ]


def test_conditions_compare_numbers_and_text():
    fields = {"arrears": 0.0, "customer_type": "business", "last_bill": 10.0, "avg_bill_6m": None}
    assert not holds(Condition(field="arrears", op=Op.GT, value=0), fields)
    assert holds(Condition(field="arrears", op=Op.LE, value=0), fields)
    assert holds(Condition(field="customer_type", op=Op.EQ, value="business"), fields)
    assert holds(Condition(field="customer_type", op=Op.NE, value="resident"), fields)
    assert not holds(Condition(field="last_bill", op=Op.GT, of="avg_bill_6m", times=1.5), fields)
