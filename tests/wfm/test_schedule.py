"""Weekly schedules by OR-tools, checked against hand-solved weeks and the model's invariants."""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest

from hotline.wfm.schedule import Schedule, ScheduleError, schedule_week
from hotline.wfm.shifts import SLOTS_PER_DAY, WEEK, WfmConfig, load_wfm, parse_wfm

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "95598"

RULES = """
rules: {min_rest_hours: 11, max_consecutive_days: 6}
shifts:
  day:   {start: "09:00", hours: 7.5}
  late:  {start: "14:00", hours: 7.5}
  early: {start: "08:00", hours: 8.5, meal: {window: ["11:00", "13:30"]}}
  night: {start: "23:30", hours: 8.5, meal: {window: ["03:00", "05:00"]}}
patterns:
  every_day: {shifts: [day], work_days: 7, max_consecutive_days: 7}
  two_shifts: {shifts: [day, late], work_days: 7, max_consecutive_days: 7}
  five: {shifts: [early, night], work_days: 5}
contracts:
  any: {max_hours: 60}
  ft: {hours: 40}
"""


def day_shift(count: int) -> list[int]:
    """`count` agents 09:00-16:30 every day, none otherwise."""
    return [count if 18 <= t % SLOTS_PER_DAY < 33 else 0 for t in range(WEEK)]


def config(agents: str) -> WfmConfig:
    return parse_wfm(RULES + "agents:\n" + agents, file="wfm.yaml")


def check_invariants(result: Schedule, cfg: WfmConfig) -> None:
    """What every schedule keeps, whatever the input."""
    plan = result.queue_plan()
    agents = {a.id: a for a in cfg.agents}
    counted = {q: [0] * WEEK for q in result.required}
    for week in result.weeks:
        agent = agents[week.agent]
        worked = [d for d in week.days if d is not None]
        pattern = cfg.patterns[agent.pattern]
        assert pattern.min_work_days <= len(worked) <= pattern.max_work_days
        assert agent.min_hours - 1e-9 <= week.paid_hours <= agent.max_hours + 1e-9
        for d in worked:
            assert d.shift in pattern.shifts
            assert d.day not in agent.leave
            if d.meal is not None:
                assert d.start < d.meal[0] < d.meal[1] < d.end
        for t, queue in enumerate(plan[week.agent]):
            # on duty exactly when the plan names a queue, and only one of the agent's skills
            assert (queue is not None) == (t in result.duty[week.agent])
            if queue is not None:
                assert queue in agent.skills
                counted[queue][t] += 1
    for queue, row in result.scheduled.items():
        assert list(row) == counted[queue]
    weights = cfg.weights
    total = result.week()
    preference = sum(w.preference_misses for w in result.weeks)
    objective = weights.under * total.under + weights.over * total.over
    assert result.objective == pytest.approx(objective + weights.preference * preference)
    assert result.objective >= result.bound - 1e-6
    for t in range(WEEK):
        each = result.interval(t)
        assert each.under == sum(result.interval(t, q).under for q in result.required)
        assert each.over == sum(result.interval(t, q).over for q in result.required)


def test_a_requirement_the_roster_meets_exactly_is_met_exactly() -> None:
    cfg = config(
        '  - {id: "1", skills: [query], pattern: every_day, contract: any}\n'
        '  - {id: "2", skills: [query], pattern: every_day, contract: any}\n'
    )
    result = schedule_week(cfg, {"query": day_shift(2)}, time_limit=20)
    week = result.week()
    assert (week.under, week.over) == (0, 0)
    assert week.coverage == 1.0
    assert week.efficiency == 1.0
    assert result.objective == 0
    assert result.gap == 0
    assert result.status == "optimal"
    assert all(d is not None and d.shift == "day" for w in result.weeks for d in w.days)
    check_invariants(result, cfg)


def test_a_multi_skill_agent_covers_one_queue_at_a_time() -> None:
    cfg = config('  - {id: "1", skills: [query, english], pattern: every_day, contract: any}\n')
    result = schedule_week(cfg, {"query": day_shift(1), "english": day_shift(1)}, time_limit=20)
    week = result.week()
    # 15 half hours a day need 2 agents and get 1: half the requirement is missed
    assert week.required == 2 * 15 * 7
    assert week.under == 15 * 7
    assert week.over == 0
    assert week.coverage == pytest.approx(0.5)
    assert result.interval(SLOTS_PER_DAY + 20).coverage == pytest.approx(0.5)
    check_invariants(result, cfg)


def test_over_staffing_never_offsets_under_staffing() -> None:
    # one agent only has query, the query queue needs nobody, english needs one
    cfg = config('  - {id: "1", skills: [query], pattern: every_day, contract: any}\n')
    result = schedule_week(cfg, {"query": [0] * WEEK, "english": day_shift(1)}, time_limit=20)
    week = result.week()
    assert week.under == 105
    assert week.over == 105
    assert week.coverage == 0.0
    assert week.efficiency == pytest.approx(1 - (105 + 105) / 105)
    assert result.objective == 1000 * 105 + 10 * 105
    check_invariants(result, cfg)


def test_the_shift_follows_the_requirement_and_the_preference() -> None:
    cfg = config(
        '  - {id: "1", skills: [query], pattern: two_shifts, contract: any}\n'
        '  - {id: "2", skills: [query], pattern: two_shifts, contract: any, prefers: [late]}\n'
    )
    late = [1 if 28 <= t % SLOTS_PER_DAY < 43 else 0 for t in range(WEEK)]
    both = [a + b for a, b in zip(day_shift(1), late, strict=True)]
    result = schedule_week(cfg, {"query": both}, time_limit=20)
    assert result.week().under == 0
    by_id = {w.agent: w for w in result.weeks}
    # either assignment covers the week; the preference decides who works late
    assert all(d is not None and d.shift == "late" for d in by_id["2"].days)
    assert by_id["2"].preference_misses == 0
    assert result.status == "optimal"
    check_invariants(result, cfg)


def test_meals_are_staggered_so_the_floor_is_never_empty() -> None:
    cfg = config(
        "".join(
            f'  - {{id: "{i}", skills: [query], pattern: five, contract: ft, prefers: [early]}}\n'
            for i in range(4)
        )
    )
    need = [
        2 if 16 <= t % SLOTS_PER_DAY < 33 and t // SLOTS_PER_DAY < 2 else 0 for t in range(WEEK)
    ]
    result = schedule_week(cfg, {"query": need}, time_limit=20)
    # Monday and Tuesday need 2 through the early shift: 4 agents, meals apart
    assert all(result.interval(t).under == 0 for t in range(2 * SLOTS_PER_DAY))
    check_invariants(result, cfg)


def test_leave_that_leaves_no_feasible_week_is_named() -> None:
    cfg = config(
        '  - {id: "1003", skills: [query], pattern: five, contract: ft, leave: [mon, tue, wed]}\n'
        '  - {id: "1004", skills: [query], pattern: five, contract: ft}\n'
    )
    started = time.monotonic()
    with pytest.raises(ScheduleError) as caught:
        schedule_week(cfg, {"query": day_shift(1)}, time_limit=20)
    assert time.monotonic() - started < 2
    message = str(caught.value)
    assert "agent 1003" in message
    assert "leave on Mon, Tue, Wed" in message
    assert "no feasible week" in message
    assert caught.value.error_id == "schedule-infeasible"
    assert [f.agents for f in caught.value.findings] == [("1003",)]


def test_a_contract_no_pattern_can_fill_is_named() -> None:
    text = RULES.replace("ft: {hours: 40}", "ft: {hours: 41}")
    cfg = parse_wfm(text + 'agents:\n  - {id: "7", skills: [query], pattern: five, contract: ft}\n')
    with pytest.raises(ScheduleError, match=r"agent 7: .*contract 'ft' \(41–41 h/week\)"):
        schedule_week(cfg, {"query": day_shift(1)}, time_limit=5)


def test_a_requirement_beyond_the_skilled_agents_is_explained_and_still_scheduled() -> None:
    cfg = config(
        "".join(
            f'  - {{id: "{i}", skills: [english], pattern: every_day, contract: any}}\n'
            for i in range(12)
        )
    )
    need = [0] * WEEK
    tuesday_nine = SLOTS_PER_DAY + 18
    need[tuesday_nine] = 40
    started = time.monotonic()
    result = schedule_week(cfg, {"english": need}, time_limit=20)
    assert time.monotonic() - started < 10
    messages = [f.message for f in result.findings]
    assert any(
        m.startswith("interval Tue 09:00 needs 40 english agents, only 12 have the skill")
        for m in messages
    )
    assert result.interval(tuesday_nine).under == 28
    check_invariants(result, cfg)


def test_a_malformed_requirement_is_refused() -> None:
    cfg = config('  - {id: "1", skills: [query], pattern: every_day, contract: any}\n')
    with pytest.raises(ScheduleError, match="336 non-negative whole numbers"):
        schedule_week(cfg, {"query": [1] * 48}, time_limit=5)


def test_the_95598_week_comes_back_in_time_with_every_rule_kept() -> None:
    cfg = load_wfm(EXAMPLE / "wfm.yaml")

    def curve(peak: float) -> list[int]:
        return [
            round(
                peak
                * (
                    0.15
                    + math.exp(-((((t % 48) / 2 - 10) / 1.8) ** 2))
                    + 0.85 * math.exp(-((((t % 48) / 2 - 15) / 2) ** 2))
                )
            )
            for t in range(WEEK)
        ]

    required = {  # what the example's agents can cover
        "fault": curve(10),
        "query": curve(9),
        "complaint": curve(2),
        "vip": curve(1),
        "english": curve(1),
    }
    started = time.monotonic()
    result = schedule_week(cfg, required, time_limit=8)
    assert time.monotonic() - started < 15
    assert len(result.weeks) == len(cfg.agents)
    assert result.week().coverage > 0.95  # the example is staffed for it; 8 s is short
    check_invariants(result, cfg)


def test_a_small_center_is_scheduled_within_one_percent_of_the_lp_bound() -> None:
    # 60 agents in 3 groups on one queue: large groups round well, and the dive
    # (fix a batch of groups' tours, re-solve the LP) keeps the rest of the LP's plan
    agents = "".join(
        f'  - {{id: "{i}", skills: [query], pattern: five, contract: ft'
        + (", prefers: [early]" if i % 3 == 0 else ", leave: [sun]" if i % 3 == 1 else "")
        + "}\n"
        for i in range(60)
    )
    cfg = config(agents)
    need = [
        round(
            14
            * (
                0.25
                + math.exp(-((((t % 48) / 2 - 10) / 2.0) ** 2))
                + 0.8 * math.exp(-((((t % 48) / 2 - 16) / 2.5) ** 2))
            )
        )
        for t in range(WEEK)
    ]
    result = schedule_week(cfg, {"query": need}, time_limit=20)
    assert result.lp_converged
    assert result.bound <= result.objective + 1e-6
    assert result.gap <= 0.01
    check_invariants(result, cfg)
