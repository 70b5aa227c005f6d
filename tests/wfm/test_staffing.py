"""Agents needed per half hour: Erlang C and A counts, shrinkage, targets, speed."""

from __future__ import annotations

import datetime
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.wfm.erlang import erlang_a_reported, erlang_c, service_level
from hotline.wfm.forecast import IntervalForecast
from hotline.wfm.staffing import (
    DEFAULT_TARGET,
    ERLANG_A,
    ERLANG_C,
    Shrinkage,
    Target,
    agents_erlang_a,
    agents_erlang_c,
    chosen_method,
    predict_erlang_a,
    requirement,
)

MONDAY = datetime.datetime(2026, 6, 1)


def interval(queue: str, slot: int, offered: float, talk: float = 200.0, wrap: float = 40.0):
    return IntervalForecast(
        queue=queue,
        start=MONDAY + datetime.timedelta(minutes=30 * slot),
        offered=offered,
        talk_seconds=talk,
        wrap_up_seconds=wrap,
    )


# --- shrinkage and targets -------------------------------------------------------------


def test_shrinkage_total_compounds_the_shares() -> None:
    shrinkage = Shrinkage(breaks=0.0625, training=0.03, meetings=0.02, absence=0.05)
    # 1 − 0.9375·0.97·0.98·0.95 = 1 − 0.846628125
    assert shrinkage.total == pytest.approx(0.153371875, rel=1e-12)
    assert Shrinkage().total == 0.0
    assert Shrinkage(absence=0.5).scheduled(10) == 20  # exactly 20, not 21 by rounding
    assert Shrinkage(breaks=0.5, absence=0.5).scheduled(10) == 40
    assert shrinkage.scheduled(100) == math.ceil(100 / 0.846628125)
    assert shrinkage.scheduled(0) == 0


@pytest.mark.parametrize("name", ["breaks", "training", "meetings", "absence"])
@pytest.mark.parametrize("bad", [-0.1, 1.0, math.nan])
def test_shrinkage_rejects_shares_out_of_range_by_name(name: str, bad: float) -> None:
    with pytest.raises(ValueError, match=name):
        Shrinkage(**{name: bad})


def test_targets_are_validated_by_name() -> None:
    with pytest.raises(ValueError, match="level"):
        Target(1.0, 20.0)
    with pytest.raises(ValueError, match="seconds"):
        Target(0.8, -1.0)
    with pytest.raises(ValueError, match="max_abandon"):
        Target(0.8, 20.0, max_abandon=0.0)
    with pytest.raises(ValueError, match="max_occupancy"):
        agents_erlang_c(10.0, 180.0, 1800.0, DEFAULT_TARGET, max_occupancy=0.0)
    with pytest.raises(ValueError, match="patience"):
        agents_erlang_a(10.0, 180.0, 0.0, 1800.0, DEFAULT_TARGET, 0.9)
    with pytest.raises(ValueError, match="calls"):
        agents_erlang_c(-1.0, 180.0, 1800.0, DEFAULT_TARGET, 0.9)


# --- Erlang C ------------------------------------------------------------------------------


def test_erlang_c_count_by_hand() -> None:
    # 18 calls of 200 s in half an hour: A = 2 Erlangs. By hand, C(3, 2) = 4/9 and
    # SL(3) = 1 − 4/9·e^-0.1 = 0.5979; C(4, 2) = 4/23 and SL(4) = 1 − 4/23·e^-0.2 = 0.8576.
    assert erlang_c(3, 2.0) == pytest.approx(4 / 9, rel=1e-12)
    assert service_level(4, 2.0, 200.0, 20.0) == pytest.approx(1 - 4 / 23 * math.exp(-0.2))
    assert agents_erlang_c(18.0, 200.0, 1800.0, Target(0.59, 20.0), 1.0) == 3
    assert agents_erlang_c(18.0, 200.0, 1800.0, Target(0.60, 20.0), 1.0) == 4
    assert agents_erlang_c(18.0, 200.0, 1800.0, Target(0.85, 20.0), 1.0) == 4
    assert agents_erlang_c(18.0, 200.0, 1800.0, Target(0.86, 20.0), 1.0) == 5
    # Occupancy 2/3 > 0.6 at 3 agents: 2/0.6 = 3.33 -> 4.
    assert agents_erlang_c(18.0, 200.0, 1800.0, Target(0.5, 20.0), 0.6) == 4
    assert agents_erlang_c(0.0, 200.0, 1800.0, Target(0.5, 20.0), 0.6) == 0


# --- Erlang A ------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    calls=st.floats(0.5, 600.0),
    aht=st.floats(60.0, 600.0),
    patience=st.floats(5.0, 900.0),
    level=st.floats(0.5, 0.95),
    occupancy=st.floats(0.6, 1.0),
)
def test_erlang_a_count_is_the_smallest_that_meets_the_target(
    calls: float, aht: float, patience: float, level: float, occupancy: float
) -> None:
    target = Target(level, 20.0)
    agents = agents_erlang_a(calls, aht, patience, 1800.0, target, occupancy)

    def meets(n: int) -> bool:
        p = predict_erlang_a(n, calls, aht, patience, 1800.0, target)
        return p.service_level >= level and p.occupancy <= occupancy

    assert meets(agents)
    assert agents == 1 or not meets(agents - 1)


def test_short_patience_staffs_below_the_offered_load() -> None:
    # 50 calls of 300 s in half an hour: 8.3 Erlangs. Callers who hang up within 10 s on
    # average leave the queue (and, within 20 s, the service level), so fewer agents
    # than the load meet 85 % in 20 s; Erlang C needs more than the load.
    load = 50 * 300 / 1800
    agents = agents_erlang_a(50.0, 300.0, 10.0, 1800.0, DEFAULT_TARGET, 1.0)
    assert agents < load < agents_erlang_c(50.0, 300.0, 1800.0, DEFAULT_TARGET, 1.0)
    prediction = predict_erlang_a(agents, 50.0, 300.0, 10.0, 1800.0, DEFAULT_TARGET)
    assert prediction.service_level >= 0.85
    assert prediction.abandon_rate is not None
    assert prediction.abandon_rate > 0.05


def test_an_abandon_cap_adds_agents() -> None:
    plain = agents_erlang_a(50.0, 300.0, 10.0, 1800.0, DEFAULT_TARGET, 1.0)
    capped_target = Target(0.85, 20.0, max_abandon=0.02)
    capped = agents_erlang_a(50.0, 300.0, 10.0, 1800.0, capped_target, 1.0)
    assert capped > plain
    report = erlang_a_reported(capped, 50 / 1800, 300.0, 10.0)
    assert report.abandon_rate <= 0.02
    assert erlang_a_reported(capped - 1, 50 / 1800, 300.0, 10.0).abandon_rate > 0.02


@pytest.mark.parametrize("calls", [3.0, 40.0, 400.0])
def test_endless_patience_staffs_as_erlang_c(calls: float) -> None:
    by_c = agents_erlang_c(calls, 240.0, 1800.0, DEFAULT_TARGET, 0.9)
    assert agents_erlang_a(calls, 240.0, 1e7, 1800.0, DEFAULT_TARGET, 0.9) == by_c


def test_no_calls_need_no_agents() -> None:
    assert agents_erlang_a(0.0, 240.0, 60.0, 1800.0, DEFAULT_TARGET, 0.9) == 0


# --- the requirement -------------------------------------------------------------------------


def test_requirement_per_queue_targets_methods_and_shrinkage() -> None:
    intervals = [interval("vip", 20, 60.0), interval("general", 20, 60.0), interval("vip", 0, 0.0)]
    targets = {"vip": Target(0.90, 20.0)}
    shrinkage = Shrinkage(breaks=0.1, absence=0.1)  # total 0.19
    needs = requirement(intervals, targets, shrinkage, 0.9, patience={"vip": 120.0})
    vip, general, night = needs
    assert (vip.queue, vip.start, vip.offered, vip.aht) == ("vip", intervals[0].start, 60.0, 240.0)
    assert vip.method == ERLANG_A
    assert general.method == ERLANG_C
    assert (
        vip.erlang_a
        == vip.chosen
        == agents_erlang_a(60.0, 240.0, 120.0, 1800.0, targets["vip"], 0.9)
    )
    assert vip.erlang_c == agents_erlang_c(60.0, 240.0, 1800.0, targets["vip"], 0.9)
    assert general.erlang_a is None
    assert (
        general.chosen
        == general.erlang_c
        == agents_erlang_c(60.0, 240.0, 1800.0, DEFAULT_TARGET, 0.9)
    )
    assert vip.erlang_c >= general.erlang_c  # 90 % needs at least what 85 % needs
    assert vip.scheduled == math.ceil(vip.chosen / 0.81)
    assert vip.service_level is not None
    assert vip.service_level >= 0.90
    assert general.service_level is not None
    assert general.service_level >= 0.85
    assert general.abandon_rate is None
    assert vip.abandon_rate is not None
    assert (night.chosen, night.scheduled, night.service_level) == (0, 0, None)
    assert chosen_method(None) == ERLANG_C
    assert chosen_method(60.0) == ERLANG_A


def test_requirement_answers_do_not_depend_on_order_or_cache() -> None:
    # The search starts from the previous interval's gap between C and A: only speed
    # may depend on that, never the count.
    curve = [5.0, 30.0, 120.0, 260.0, 90.0, 260.0, 12.0, 0.0, 400.0, 33.3]
    intervals = [interval("q", slot, calls) for slot, calls in enumerate(curve)]
    forward = requirement(intervals, {}, Shrinkage(), 0.88, patience=90.0)
    backward = requirement(intervals[::-1], {}, Shrinkage(), 0.88, patience=90.0)[::-1]
    assert forward == backward
    for need, item in zip(forward, intervals, strict=True):
        assert need.chosen == agents_erlang_a(
            item.offered, 240.0, 90.0, 1800.0, DEFAULT_TARGET, 0.88
        )


def test_a_week_of_twenty_queues_is_staffed_by_both_formulas() -> None:
    # 336 half hours × 20 queues with distinct loads (its speed: benchmarks/erlang_staffing.py)
    intervals = []
    for q in range(20):
        for slot in range(336):
            hour = (slot % 48) / 2
            calls = (10 + 15 * q) * (0.05 + math.exp(-(((hour - 11) / 3) ** 2))) * (1 + slot / 3000)
            intervals.append(interval(f"q{q}", slot, round(calls, 2), talk=200.0 + 5 * q))
    needs = requirement(intervals, {}, Shrinkage(breaks=0.1), 0.88, patience=120.0)
    assert len(needs) == 6720
    assert all(n.erlang_a is not None for n in needs)
    assert all((n.erlang_a or 0) <= n.erlang_c + 1 for n in needs)
