"""换班: the rules a swap of two agents' shifts must keep, checked on a published week.

A shift lead swaps two agents' days; the changed weeks must still keep every hard rule
the schedule was built with (`hotline.wfm.shifts`): each shift among the agent's
pattern's shifts and on one of its weekdays, no shift on a leave day, the minimum rest
between shifts (across the week's wrap, Sunday night to Monday), the most consecutive
working days, the working days per week and the contract's paid hours. Two agents of
different skills would move coverage from one queue to another: refused too, naming
the skills. Each broken rule is one sentence naming the agent and the rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hotline.wfm.shifts import DAY_NAMES, SLOTS_PER_DAY, WEEK, Agent, WfmConfig

__all__ = ["broken_rules", "check_swap"]

DAY_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def _runs(worked: Sequence[bool]) -> int:
    """The longest run of working days, the week wrapping (Sunday → Monday)."""
    if all(worked):
        return 7
    longest = run = 0
    for flag in list(worked) * 2:
        run = run + 1 if flag else 0
        longest = max(longest, run)
    return min(longest, 7)


def broken_rules(
    config: WfmConfig, agent: Agent, days: Sequence[Mapping[str, Any] | None]
) -> list[str]:
    """The rules `agent`'s week `days` (7 entries: a day's shift as stored, or None) breaks."""
    pattern = config.patterns[agent.pattern]
    broken: list[str] = []
    spans: list[tuple[int, int]] = []
    paid = 0.0
    for day, entry in enumerate(days):
        if entry is None:
            continue
        name = entry["shift"]
        shift = config.shifts.get(name)
        if shift is None or name not in pattern.shifts:
            broken.append(f"{agent.id}: 班次 {name} 不在其排班模式 {pattern.name} 内")
            continue
        if day not in pattern.days:
            broken.append(f"{agent.id}: 排班模式 {pattern.name} 不在{DAY_ZH[day]}上班")
        if day in agent.leave:
            broken.append(f"{agent.id}: {DAY_ZH[day]}已请假")
        begin = day * SLOTS_PER_DAY + shift.start
        spans.append((begin, begin + shift.length))
        paid += shift.paid_hours
    spans.sort()
    rest = config.rules.min_rest_slots
    for i, (begin, _end) in enumerate(spans):
        before_end = spans[i - 1][1] if i else spans[-1][1] - WEEK
        if len(spans) > 1 and begin - before_end < rest:
            hours = max(0, begin - before_end) / 2
            broken.append(f"{agent.id}: 两班之间只休息 {hours:g} 小时，规定至少 {rest / 2:g} 小时")
    worked = [d is not None for d in days]
    count = sum(worked)
    if not pattern.min_work_days <= count <= pattern.max_work_days:
        want = (
            f"{pattern.min_work_days}"
            if pattern.min_work_days == pattern.max_work_days
            else f"{pattern.min_work_days}–{pattern.max_work_days}"
        )
        broken.append(f"{agent.id}: 每周上班 {count} 天，排班模式要求 {want} 天")
    limit = min(pattern.max_consecutive_days, config.rules.max_consecutive_days)
    if _runs(worked) > limit:
        broken.append(f"{agent.id}: 连续上班 {_runs(worked)} 天，最多 {limit} 天")
    if not agent.min_hours - 1e-9 <= paid <= agent.max_hours + 1e-9:
        broken.append(
            f"{agent.id}: 每周计薪 {paid:g} 小时，合同 {agent.contract} 要求 "
            f"{agent.min_hours:g}–{agent.max_hours:g} 小时"
        )
    return broken


def check_swap(config: WfmConfig, first: str, second: str, body: Mapping[str, Any]) -> list[str]:
    """Broken rules of the two agents' weeks in a plan body after a swap (empty: allowed)."""
    agents = {a.id: a for a in config.agents}
    weeks = {w["agent"]: w["days"] for w in body["schedule"]["agents"]}
    broken: list[str] = []
    for agent_id in (first, second):
        if agent_id not in agents:
            broken.append(f"{agent_id}: 不在 wfm.yaml 的坐席名单中")
    if broken:
        return broken
    a, b = agents[first], agents[second]
    if a.skills != b.skills:
        broken.append(
            f"{first} 与 {second} 技能不同（{'、'.join(sorted(a.skills))} / "
            f"{'、'.join(sorted(b.skills))}），换班会改变队列覆盖"
        )
    for agent in (a, b):
        broken += broken_rules(config, agent, weeks[agent.id])
    return broken


assert len(DAY_NAMES) == len(DAY_ZH)
