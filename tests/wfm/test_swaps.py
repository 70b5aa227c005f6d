"""换班 rules: a swap keeps every hard rule the schedule was built with, or is refused
naming the agent and the rule."""

from __future__ import annotations

import copy
from typing import Any

from hotline.wfm.shifts import SLOTS_PER_DAY, parse_wfm
from hotline.wfm.swaps import broken_rules, check_swap

RULES = """
rules: {min_rest_hours: 11, max_consecutive_days: 6}
shifts:
  early: {start: "08:00", hours: 8.5, meal: {window: ["11:00", "13:30"]}}
  late:  {start: "15:30", hours: 8.5, meal: {window: ["17:30", "20:00"]}}
  night: {start: "23:30", hours: 8.5, meal: {window: ["03:00", "05:00"]}}
patterns:
  5d3s: {shifts: [early, late, night], work_days: 5}
  days: {shifts: [early], work_days: 5, days: [mon, tue, wed, thu, fri]}
contracts:
  full_time: {hours: 40}
agents:
  - {id: "a", skills: [query], pattern: 5d3s, contract: full_time}
  - {id: "b", skills: [query], pattern: 5d3s, contract: full_time, leave: [sat]}
  - {id: "c", skills: [fault], pattern: 5d3s, contract: full_time}
  - {id: "d", skills: [query], pattern: days, contract: full_time}
"""
CONFIG = parse_wfm(RULES, queues=["query", "fault"])
AGENTS = {a.id: a for a in CONFIG.agents}


def day(name: str, index: int) -> dict[str, Any]:
    shift = CONFIG.shifts[name]
    start = index * SLOTS_PER_DAY + shift.start
    return {"shift": name, "start": start, "end": start + shift.length}


def week(*names: str | None) -> list[dict[str, Any] | None]:
    return [None if n is None else day(n, i) for i, n in enumerate(names)]


def body(**weeks: list[dict[str, Any] | None]) -> dict[str, Any]:
    return {"schedule": {"agents": [{"agent": k, "days": v} for k, v in weeks.items()]}}


def swapped(plan: dict[str, Any], first: str, second: str, index: int) -> dict[str, Any]:
    out = copy.deepcopy(plan)
    weeks = {w["agent"]: w["days"] for w in out["schedule"]["agents"]}
    weeks[first][index], weeks[second][index] = weeks[second][index], weeks[first][index]
    return out


def test_a_week_as_scheduled_breaks_no_rule() -> None:
    assert (
        broken_rules(
            CONFIG, AGENTS["a"], week("early", "early", "early", "early", "early", None, None)
        )
        == []
    )


def test_a_swap_of_the_same_shift_kind_between_like_agents_is_allowed() -> None:
    plan = body(
        a=week("early", "early", "early", "early", "early", None, None),
        b=week("late", "late", "late", "late", "late", None, None),
    )
    assert check_swap(CONFIG, "a", "b", swapped(plan, "a", "b", 2)) == [
        # a: late on Wednesday, early on Thursday: 15:30+8.5 h = 24:00, then 08:00 → 8 h rest
        "a: 两班之间只休息 8 小时，规定至少 11 小时",
        # b: early Wednesday after late Tuesday (ends 24:00): 8 h rest
        "b: 两班之间只休息 8 小时，规定至少 11 小时",
    ]


def test_swapping_a_working_day_for_a_rest_day_moves_the_day_count_and_hours() -> None:
    plan = body(
        a=week("early", "early", "early", "early", "early", None, None),
        b=week("early", "early", "early", "early", None, "early", None),
    )
    broken = check_swap(CONFIG, "a", "b", swapped(plan, "a", "b", 4))
    assert "a: 每周上班 4 天，排班模式要求 5 天" in broken
    assert "b: 每周上班 6 天，排班模式要求 5 天" in broken
    assert any(line.startswith("a: 每周计薪 32 小时") for line in broken)


def test_leave_days_pattern_days_and_skills_are_kept() -> None:
    plan = body(
        a=week("early", "early", "early", "early", None, "early", None),
        b=week("early", "early", "early", "early", "early", None, None),
    )
    broken = check_swap(CONFIG, "a", "b", swapped(plan, "a", "b", 5))
    assert "b: 周六已请假" in broken
    plan = body(
        a=week("early", "early", "early", "early", None, "early", None),
        d=week("early", "early", "early", "early", "early", None, None),
    )
    assert "d: 排班模式 days 不在周六上班" in check_swap(
        CONFIG, "a", "d", swapped(plan, "a", "d", 5)
    )
    plan = body(
        a=week("early", "early", "early", "early", "early", None, None),
        c=week("early", "early", "early", "early", "early", None, None),
    )
    assert check_swap(CONFIG, "a", "c", swapped(plan, "a", "c", 0)) == [
        "a 与 c 技能不同（query / fault），换班会改变队列覆盖"
    ]


def test_rest_and_consecutive_days_wrap_over_the_week_end() -> None:
    # a night shift on Sunday ends Monday 08:00: an early Monday shift has no rest at all
    broken = broken_rules(
        CONFIG, AGENTS["a"], week("early", "early", None, None, "early", "early", "night")
    )
    assert "a: 两班之间只休息 0 小时，规定至少 11 小时" in broken
    # Friday to Tuesday is five days in a row across the wrap: allowed (limit 6)
    assert (
        broken_rules(
            CONFIG, AGENTS["a"], week("early", "early", None, None, "early", "early", "early")
        )
        == []
    )
