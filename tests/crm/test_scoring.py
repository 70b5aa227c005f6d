"""Tier scoring and lifecycle stages checked against hand computation; crm.yaml's errors located."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotline.core.config import ConfigError
from hotline.core.customer import ListMark, Tier
from hotline.crm import (
    AccountFacts,
    CrmConfig,
    LifecycleStage,
    ListChangeError,
    check_list_change,
    lifecycle_stage,
    load_crm_config,
    score_tier,
)

EXAMPLE = Path(__file__).parents[2] / "examples" / "95598" / "crm.yaml"


@pytest.fixture(scope="module")
def config() -> CrmConfig:
    return load_crm_config(EXAMPLE)


def test_a_score_is_the_weighted_sum_of_the_three_parts(config):
    # weights 0.5 / 0.2 / 0.3; ARPU 400 of 800 = 0.5, 60 of 120 months = 0.5, credit 80 of 0–100
    # = 0.8 → 100 × (0.25 + 0.10 + 0.24) = 59 → middle (50 ≤ 59 < 70)
    score = score_tier(AccountFacts(arpu=400, tenure_months=60, credit_score=80), config.scoring)
    assert score.arpu_points == pytest.approx(25.0)
    assert score.tenure_points == pytest.approx(10.0)
    assert score.credit_points == pytest.approx(24.0)
    assert score.score == pytest.approx(59.0)
    assert score.tier is Tier.MIDDLE


def test_inputs_beyond_full_marks_count_no_more_and_missing_ones_count_nothing(config):
    rich = score_tier(AccountFacts(arpu=5000, tenure_months=300, credit_score=100), config.scoring)
    assert (rich.score, rich.tier) == (100.0, Tier.HIGH)
    unknown = score_tier(AccountFacts(), config.scoring)
    assert (unknown.score, unknown.tier) == (0.0, Tier.ORDINARY)


@pytest.mark.parametrize(
    ("arpu", "tenure", "credit", "tier"),
    [
        # exactly at the high cut-off: 0.5·1 + 0.2·0 + 0.3·(2/3) = 0.7 → 70 → high
        (800, 0, 200 / 3, Tier.HIGH),
        # exactly at the middle cut-off: 0.5·(640/800) + 0 + 0.3·0 = 0.4 … plus 0.1 tenure = 50
        (640, 60, 0, Tier.MIDDLE),
        # just under it: 49.99
        (639.84, 60, 0, Tier.ORDINARY),
    ],
)
def test_cut_offs_are_inclusive(config, arpu, tenure, credit, tier):
    facts = AccountFacts(arpu=arpu, tenure_months=tenure, credit_score=credit)
    assert score_tier(facts, config.scoring).tier is tier


@pytest.mark.parametrize(
    ("arpu", "tenure", "stage"),
    [
        (49.99, 100, LifecycleStage.WARNING),  # ARPU under 50: churn warning whatever the tenure
        (200, 5, LifecycleStage.IDENTIFICATION),
        (200, 6, LifecycleStage.GROWTH),
        (200, 23, LifecycleStage.GROWTH),
        (200, 24, LifecycleStage.STABLE),
        (None, None, LifecycleStage.IDENTIFICATION),
    ],
)
def test_lifecycle_stage(config, arpu, tenure, stage):
    facts = AccountFacts(arpu=arpu, tenure_months=tenure)
    assert lifecycle_stage(facts, config.lifecycle) is stage


def test_the_defaults_are_the_example_file(config):
    assert CrmConfig().scoring == config.scoring
    assert CrmConfig().lifecycle == config.lifecycle


def test_a_wrong_crm_yaml_is_refused_with_every_problem_located(tmp_path):
    path = tmp_path / "crm.yaml"
    path.write_text(
        "scoring:\n"
        "  weights: {arpu: 0.5, tenure: 0.2, credit: 0.2}\n"
        "  cutoffs: {high: 40, middle: 60}\n"
        "hints:\n"
        "  - name: x\n"
        "    when: [{field: arrear, op: '>', value: 0}]\n"
        "    message: 欠费\n"
        "  - name: y\n"
        "    when: [{field: tier, op: '>', value: high}]\n"
        "    message: '{nope}'\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_crm_config(path)
    lines = str(caught.value).splitlines()
    assert lines[0].startswith(f"{path}:2:3: scoring.weights: ")
    assert "add up to 1 (they add up to 0.9)" in lines[0]
    assert lines[1].startswith(f"{path}:3:3: scoring.cutoffs: ")
    assert "middle cut-off (60) must be below the high one (40)" in lines[1]
    assert lines[2].startswith(f"{path}:6:12: hints.0.when.0: unknown field 'arrear'")
    assert lines[3] == f"{path}:9:12: hints.1.when.0: 'tier' is text: only == and != apply"
    assert len(lines) == 4


def test_a_hint_message_may_show_only_known_fields(tmp_path):
    path = tmp_path / "crm.yaml"
    path.write_text(
        "hints:\n"
        "  - name: y\n"
        "    when: [{field: tier, op: '==', value: high}]\n"
        "    message: '{nope} {arpu:.2f}'\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_crm_config(path)
    assert str(caught.value).startswith(
        f"{path}:2:5: hints.0: message shows unknown field {{nope}}"
    )


def test_a_black_list_needs_a_reason_a_red_one_may_have_one():
    with pytest.raises(ListChangeError, match=r"black list .* needs a reason"):
        check_list_change(ListMark.BLACK, "   ", "lead")
    assert check_list_change(ListMark.RED, "", "lead") == ""
    assert check_list_change(ListMark.BLACK, " 恶意骚扰 ", "lead") == "恶意骚扰"
    with pytest.raises(ListChangeError, match="who made it"):
        check_list_change(ListMark.RED, "x", "")
