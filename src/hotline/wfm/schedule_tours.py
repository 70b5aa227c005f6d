"""The weeks an agent may work (tours), agents grouped by rules, and the checks run before a solve.

A tour is one shift or rest for each of the 7 days that satisfies every hard rule of an
agent: the pattern's shifts and weekdays, its working days per week, the most
consecutive working days, the minimum rest between two shifts, the contract's paid
hours, and leave (no shift touches a day of leave). The week repeats, so rest and
consecutive days are counted across Sunday → Monday too.

Agents with the same skills, pattern, contract, preferences and leave are one `Group`:
the schedule decides how many of them work each tour, then hands the tours to names
(symmetry: 2,000 agents become a few dozen groups). The checks (`check_week`) answer in
milliseconds, before any solver runs: an agent with no feasible week is an error that
says which rule binds; a requirement no roster can meet is a finding that says why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from hotline.core.errors import HotlineError
from hotline.wfm.shifts import (
    DAY_NAMES,
    DAYS,
    SLOTS_PER_DAY,
    WEEK,
    Agent,
    Pattern,
    Rules,
    Shift,
    WfmConfig,
    slot_label,
)

Tour = tuple[str | None, ...]
"""A week: the shift started on each day, Monday first, or None for rest."""

Requirement = Mapping[str, Sequence[int]]
"""Agents required on each queue in each of the week's 336 half hours."""


@dataclass(frozen=True, slots=True)
class Finding:
    """Something a schedule cannot do, found before solving; `rule` is a stable id."""

    rule: Literal["no-feasible-week", "skill-short", "agents-short", "hours-short"]
    message: str
    agents: tuple[str, ...] = ()
    queue: str | None = None
    slots: tuple[int, ...] = ()

    def __str__(self) -> str:
        return self.message


class ScheduleError(HotlineError):
    """No schedule satisfies the hard rules (or the input is malformed); `findings` say
    which rule binds for whom."""

    error_id = "schedule-infeasible"

    def __init__(self, message: str, findings: Sequence[Finding] = ()) -> None:
        super().__init__(message, findings=list(findings))
        self.findings = list(findings)


@dataclass(frozen=True, slots=True)
class Group:
    """Agents that are interchangeable for the schedule, and the tours open to them."""

    agents: tuple[Agent, ...]
    tours: tuple[Tour, ...]
    penalties: tuple[int, ...]  # preference violations of each tour (days off-preference)

    @property
    def skills(self) -> frozenset[str]:
        return self.agents[0].skills


def _leave_ok(shift: Shift, day: int, leave: frozenset[int]) -> bool:
    """No part of the shift started on `day` falls on a day of leave."""
    begin, end = shift.span(day)
    touched = range(begin // SLOTS_PER_DAY, (end - 1) // SLOTS_PER_DAY + 1)
    return not any(d % DAYS in leave for d in touched)


def enumerate_tours(
    shifts: Mapping[str, Shift],
    pattern: Pattern,
    rules: Rules,
    *,
    min_hours: float,
    max_hours: float,
    leave: frozenset[int] = frozenset(),
) -> list[Tour]:
    """Every week that satisfies the rules, by depth-first search with pruning."""
    options: list[list[Shift | None]] = []
    for day in range(DAYS):
        open_shifts: list[Shift | None] = [None]
        if day in pattern.days and day not in leave:
            open_shifts += [
                shifts[name] for name in pattern.shifts if _leave_ok(shifts[name], day, leave)
            ]
        options.append(open_shifts)
    found: list[Tour] = []
    chosen: list[Shift | None] = []
    rest = rules.min_rest_slots
    limit = pattern.max_consecutive_days

    def fits(tour: Sequence[Shift | None]) -> bool:
        worked = [(d, s) for d, s in enumerate(tour) if s is not None]
        if not pattern.min_work_days <= len(worked) <= pattern.max_work_days:
            return False
        hours = sum(s.paid_hours for _, s in worked)
        if not min_hours - 1e-9 <= hours <= max_hours + 1e-9:
            return False
        if len(worked) >= 1:  # the rest from the last shift to the first one of next week
            (d0, s0), (d1, s1) = worked[0], worked[-1]
            if s0.span(d0)[0] + WEEK - s1.span(d1)[1] < rest:
                return False
            # a block running over Sunday into Monday keeps its shift too
            if pattern.rotation == "block" and d0 == 0 and d1 == DAYS - 1 and s0 != s1:
                return False
        if len(worked) == DAYS:
            return limit >= DAYS
        run, best = 0, 0
        for s in (*tour, *tour):  # the longest run of working days, around the week's end
            run = run + 1 if s is not None else 0
            best = max(best, run)
        return best <= limit

    def search(day: int, worked: int, hours: float, last: tuple[int, Shift] | None) -> None:
        if day == DAYS:
            if fits(chosen):
                found.append(tuple(s.name if s else None for s in chosen))
            return
        for shift in options[day]:
            if shift is None:
                if worked + (DAYS - day - 1) >= pattern.min_work_days:
                    chosen.append(None)
                    search(day + 1, worked, hours, last)
                    chosen.pop()
                continue
            if worked + 1 > pattern.max_work_days or hours + shift.paid_hours > max_hours + 1e-9:
                continue
            if last is not None and shift.span(day)[0] - last[1].span(last[0])[1] < rest:
                continue
            run = 1
            while run <= day and chosen[day - run] is not None:
                run += 1
            if run > limit:
                continue
            if (
                last is not None
                and (
                    pattern.rotation == "week"
                    or (pattern.rotation == "block" and last[0] == day - 1)
                )
                and last[1].name != shift.name
            ):
                continue
            chosen.append(shift)
            search(day + 1, worked + 1, hours + shift.paid_hours, (day, shift))
            chosen.pop()

    search(0, 0, 0.0, None)
    return found


def _penalty(tour: Tour, prefers: frozenset[str]) -> int:
    if not prefers:
        return 0
    return sum(1 for name in tour if name is not None and name not in prefers)


def group_agents(config: WfmConfig) -> list[Group]:
    """Agents grouped by everything the schedule sees, each group with its tours
    (possibly none: `check_week` explains those)."""
    members: dict[tuple[object, ...], list[Agent]] = defaultdict(list)
    for agent in config.agents:
        key = (
            agent.skills,
            agent.pattern,
            agent.min_hours,
            agent.max_hours,
            agent.prefers,
            agent.leave,
        )
        members[key].append(agent)
    groups = []
    for agents in members.values():
        first = agents[0]
        tours = enumerate_tours(
            config.shifts,
            config.patterns[first.pattern],
            config.rules,
            min_hours=first.min_hours,
            max_hours=first.max_hours,
            leave=first.leave,
        )
        penalties = tuple(_penalty(t, first.prefers) for t in tours)
        groups.append(Group(tuple(agents), tuple(tours), penalties))
    return groups


def _days(days: frozenset[int]) -> str:
    return ", ".join(DAY_NAMES[d].title() for d in sorted(days))


def _why_no_week(config: WfmConfig, agent: Agent) -> str:
    """Which rule, relaxed alone, would give the agent a feasible week."""
    pattern = config.patterns[agent.pattern]
    relaxed: list[tuple[str, Pattern, Rules, float, float, frozenset[int]]] = [
        (
            f"leave on {_days(agent.leave)}",
            pattern,
            config.rules,
            agent.min_hours,
            agent.max_hours,
            frozenset(),
        ),
        (
            f"contract {agent.contract!r} ({agent.min_hours:g}–{agent.max_hours:g} h/week)",
            pattern,
            config.rules,
            0.0,
            168.0,
            agent.leave,
        ),
        (
            f"at most {pattern.max_consecutive_days} consecutive days",
            replace(pattern, max_consecutive_days=DAYS),
            config.rules,
            agent.min_hours,
            agent.max_hours,
            agent.leave,
        ),
        (
            f"{config.rules.min_rest_slots / 2:g} h rest between shifts",
            pattern,
            replace(config.rules, min_rest_slots=0),
            agent.min_hours,
            agent.max_hours,
            agent.leave,
        ),
        (
            f"{pattern.min_work_days}–{pattern.max_work_days} working days on "
            f"{_days(pattern.days)}",
            replace(pattern, min_work_days=0, max_work_days=DAYS, days=frozenset(range(DAYS))),
            config.rules,
            agent.min_hours,
            agent.max_hours,
            agent.leave,
        ),
    ]
    binding = []
    for label, p, r, low, high, leave in relaxed:
        if label.startswith("leave") and not agent.leave:
            continue
        if enumerate_tours(config.shifts, p, r, min_hours=low, max_hours=high, leave=leave):
            binding.append(label)
    shifts = ", ".join(f"{name} {config.shifts[name].paid_hours:g} h" for name in pattern.shifts)
    rules = " and ".join(binding) if binding else "the rules together"
    return f"pattern {pattern.name!r} (shifts {shifts}): {rules} leave no feasible week"


def _ranges(slots: Sequence[int]) -> str:
    shown = ", ".join(slot_label(s) for s in slots[:3])
    return shown + (f" and {len(slots) - 3} more half hours" if len(slots) > 3 else "")


def check_week(config: WfmConfig, required: Requirement, groups: Sequence[Group]) -> list[Finding]:
    """Findings about the week, before solving; raises `ScheduleError` when some agent
    has no feasible week (the hard rules contradict) or the requirement is malformed.

    The other findings (a queue needing more skilled agents than can be on duty in a
    half hour, more agent-hours than the skilled agents can work) leave a schedule
    possible but under-staffed; they are returned for the result to carry.
    """
    for queue, row in required.items():
        if len(row) != WEEK or any(int(v) != v or v < 0 for v in row):
            message = f"queue {queue!r}: need {WEEK} non-negative whole numbers of agents"
            raise ScheduleError(message)
    stuck = [g for g in groups if not g.tours]
    if stuck:
        stuck_findings = []
        for group in stuck:
            ids = tuple(a.id for a in group.agents)
            others = f" (and {len(ids) - 1} like them)" if len(ids) > 1 else ""
            message = f"agent {ids[0]}{others}: {_why_no_week(config, group.agents[0])}"
            stuck_findings.append(Finding("no-feasible-week", message, agents=ids))
        raise ScheduleError("; ".join(f.message for f in stuck_findings), stuck_findings)
    findings: list[Finding] = []
    # who could be on duty in each half hour, and the most duty a group can give a week
    possible: list[set[int]] = []
    for group in groups:
        slots: set[int] = set()
        for tour in group.tours:
            for day, name in enumerate(tour):
                if name is not None:
                    slots.update(config.shifts[name].duty(day, None))
        possible.append(slots)
    for queue, row in required.items():
        short = [
            t
            for t in range(WEEK)
            if row[t]
            > sum(
                len(g.agents)
                for g, p in zip(groups, possible, strict=True)
                if queue in g.skills and t in p
            )
        ]
        if short:
            t = max(short, key=lambda s: row[s])
            able = sum(
                len(g.agents)
                for g, p in zip(groups, possible, strict=True)
                if queue in g.skills and t in p
            )
            message = (
                f"interval {slot_label(t)} needs {row[t]} {queue} agents, only {able} "
                f"have the skill and a shift then ({len(short)} half hours short: "
                f"{_ranges(short)})"
            )
            findings.append(Finding("skill-short", message, queue=queue, slots=tuple(short)))
        need = sum(row) / 2
        able_hours = sum(
            len(g.agents) * max(_duty_hours(config, tour) for tour in g.tours)
            for g in groups
            if queue in g.skills
        )
        if need > able_hours:
            message = (
                f"queue {queue} needs {need:g} agent-hours on duty this week, its skilled "
                f"agents can give at most {able_hours:g}"
            )
            findings.append(Finding("hours-short", message, queue=queue))
    total = [sum(row[t] for row in required.values()) for t in range(WEEK)]
    short = [
        t
        for t in range(WEEK)
        if total[t] > sum(len(g.agents) for g, p in zip(groups, possible, strict=True) if t in p)
    ]
    if short:
        t = max(short, key=lambda s: total[s])
        able = sum(len(g.agents) for g, p in zip(groups, possible, strict=True) if t in p)
        message = (
            f"interval {slot_label(t)} needs {total[t]} agents over all queues, only {able} "
            f"can be on duty then ({_ranges(short)})"
        )
        findings.append(Finding("agents-short", message, slots=tuple(short)))
    return findings


def _duty_hours(config: WfmConfig, tour: Tour) -> float:
    slots = 0
    for name in tour:
        if name is not None:
            shift = config.shifts[name]
            slots += shift.length - shift.meal_length
    return slots / 2
