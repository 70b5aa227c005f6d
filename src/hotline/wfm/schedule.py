"""A week's shift schedule (排班表) by integer programming: who works which shift and meal,
and which queue each agent on duty serves, against the agents required per half hour.

The model (solved with OR-tools: GLOP for the LP bound, CP-SAT for the integer schedule):

- agents are grouped by everything the rules see (`schedule_tours.Group`); for each
  group and each feasible week (tour) an integer counts the agents working it, and the
  counts add up to the group's size — every agent gets exactly one week;
- for each group, day and shift with a meal, integers count the agents taking their
  meal at each allowed place; they add up to the agents on that shift;
- an agent on duty serves exactly one queue at a time: a multi-skill group's agents on
  duty in a half hour are split over its skills by integer variables (one agent is never
  counted in two queues);
- per half hour and queue, scheduled − required = over − under with both non-negative
  and both in the objective, so over-staffing in one place never offsets
  under-staffing in another;
- objective: weights.under × Σ under + weights.over × Σ over + weights.preference ×
  (days worked on a shift the agent does not prefer).

The LP relaxation of the same model is solved first; its optimum is the lower bound
the result's `gap` is measured against, and its rounding (largest remainders) is both
a complete schedule and CP-SAT's starting hint, so a schedule always comes back within
the time limit.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ortools.linear_solver.python import model_builder as mb

from hotline.wfm.schedule_model import ScheduleModel, Solution
from hotline.wfm.schedule_tours import (
    Finding,
    Group,
    Requirement,
    ScheduleError,
    Tour,
    check_week,
    group_agents,
)
from hotline.wfm.shifts import WEEK, WfmConfig

__all__ = [
    "AgentWeek",
    "Coverage",
    "Finding",
    "Requirement",
    "Schedule",
    "ScheduleError",
    "ShiftAssignment",
    "schedule_week",
]

Status = Literal["optimal", "feasible", "rounded"]
_FIRST_TOURS = 24  # tours per group in the first LP of the column generation
_ENTERING = 40  # most tours of negative reduced cost joining per group and round


@dataclass(frozen=True, slots=True)
class ShiftAssignment:
    """One worked day: slots are counted from Monday 00:00 and not wrapped (a Sunday
    night shift ends past 336); `meal` is the (start, end) of the meal break, if any."""

    day: int
    shift: str
    start: int
    end: int
    meal: tuple[int, int] | None


@dataclass(frozen=True, slots=True)
class AgentWeek:
    agent: str
    days: tuple[ShiftAssignment | None, ...]
    paid_hours: float
    preference_misses: int


@dataclass(frozen=True, slots=True)
class Coverage:
    """Required and scheduled agent-half-hours with under- and over-staffing, each summed
    per queue and half hour (never netted)."""

    required: int
    scheduled: int
    under: int
    over: int

    @property
    def coverage(self) -> float:
        """1 − under / required (1 when nothing is required)."""
        return 1.0 - self.under / self.required if self.required else 1.0

    @property
    def efficiency(self) -> float | None:
        """1 − (over + under) / required; None when nothing is required."""
        return 1.0 - (self.over + self.under) / self.required if self.required else None


@dataclass(frozen=True, slots=True)
class Schedule:
    """A solved week. `scheduled[queue][slot]` counts agents serving the queue; `splits`
    gives, per pool (agents of one skill set, `members`) and slot, how its agents on duty
    are spread over its queues."""

    weeks: tuple[AgentWeek, ...]
    required: dict[str, tuple[int, ...]]
    scheduled: dict[str, tuple[int, ...]]
    status: Status
    objective: float
    bound: float
    seconds: float
    lp_seconds: float
    findings: tuple[Finding, ...] = ()
    groups: int = 0
    tours: int = 0
    duty: dict[str, frozenset[int]] = field(default_factory=dict, repr=False)
    splits: dict[tuple[int, int], dict[str, int]] = field(default_factory=dict, repr=False)
    members: tuple[tuple[str, ...], ...] = field(default=(), repr=False)

    @property
    def gap(self) -> float:
        """(objective − LP bound) / LP bound; 0 when both are 0."""
        if self.bound <= 1e-9:
            return 0.0 if self.objective <= 1e-9 else math.inf
        return max(0.0, (self.objective - self.bound) / self.bound)

    def interval(self, slot: int, queue: str | None = None) -> Coverage:
        """Coverage of one half hour, for one queue or summed over all."""
        names = [queue] if queue is not None else list(self.required)
        return _coverage((self.required[q][slot], self.scheduled[q][slot]) for q in names)

    def week(self, queue: str | None = None) -> Coverage:
        """Coverage of the week, for one queue or summed over all (per queue and slot)."""
        names = [queue] if queue is not None else list(self.required)
        return _coverage(
            (self.required[q][t], self.scheduled[q][t]) for q in names for t in range(WEEK)
        )

    def queue_plan(self) -> dict[str, tuple[str | None, ...]]:
        """The queue each agent serves in each half hour (None off duty): agents keep
        their previous half hour's queue while the split allows it."""
        plan: dict[str, list[str | None]] = {w.agent: [None] * WEEK for w in self.weeks}
        for index, ids in enumerate(self.members):
            previous: dict[str, str | None] = {}
            for t in range(WEEK):
                on = [a for a in ids if t in self.duty[a]]
                quota = dict(self.splits.get((index, t), {}))
                rest = []
                for agent in on:
                    queue = previous.get(agent)
                    if queue is not None and quota.get(queue, 0) > 0:
                        quota[queue] -= 1
                        plan[agent][t] = queue
                    else:
                        rest.append(agent)
                free = [q for q, k in sorted(quota.items()) for _ in range(k)]
                for agent, queue in zip(rest, free, strict=True):
                    plan[agent][t] = queue
                previous = {a: plan[a][t] for a in on}
        return {agent: tuple(slots) for agent, slots in plan.items()}


def _coverage(pairs: Iterable[tuple[int, int]]) -> Coverage:
    required = scheduled = under = over = 0
    for need, have in pairs:
        required += need
        scheduled += have
        under += max(0, need - have)
        over += max(0, have - need)
    return Coverage(required, scheduled, under, over)


def schedule_week(
    config: WfmConfig,
    required: Requirement,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    gap_goal: float = 0.01,
    extra_tours: int = 20,
) -> Schedule:
    """Schedule the week of `config`'s agents against `required` (queue → 336 counts).

    Runs the checks first (milliseconds), then the LP relaxation (GLOP) over every
    feasible tour, then CP-SAT from the LP's rounding over the tours the LP uses plus
    `extra_tours` per group of least reduced cost, until CP-SAT proves its solution
    within `gap_goal` of its own bound or `time_limit` seconds have passed in all. The
    gap reported is to the bound of the full LP, so it is honest for the full model;
    status "optimal" means the objective meets that bound. Queues nobody has the
    skill for stay fully under-staffed and are named in the findings.

    Raises:
        ScheduleError: an agent has no feasible week (the finding names the agent and
            the binding rule), or a requirement row is not 336 non-negative integers.
    """
    started = time.perf_counter()
    groups = group_agents(config)
    findings = check_week(config, required, groups)
    for queue in sorted(set(required) - {q for g in groups for q in g.skills}):
        if any(required[queue]):
            message = f"queue {queue} has requirements but no agent has the skill"
            findings.append(Finding("skill-short", message, queue=queue))
    program, lp, bound, keep = _relaxation(config, groups, required, started + 0.8 * time_limit)
    lp_seconds = time.perf_counter() - started
    rounded = program.read(lp.value, exact=False)
    # CP-SAT works on the tours the LP uses plus those it prices nearly as well
    # (least reduced cost): a small model whose rounding is already close to the bound
    final: list[list[int]] = []
    for gi, group in enumerate(groups):
        used = [k for k, var in zip(keep[gi], program.n[gi], strict=True) if lp.value(var) > 1e-6]
        costs = program.reduced_costs(lp, group, gi)
        others = sorted(set(range(len(group.tours))) - set(used), key=costs.__getitem__)
        final.append(sorted(used + others[:extra_tours]))
    where = [{k: i for i, k in enumerate(kept)} for kept in keep]
    best = Solution(
        [
            [rounded.tours[gi][where[gi][k]] if k in where[gi] else 0 for k in kept]
            for gi, kept in enumerate(final)
        ],
        rounded.meals,
        rounded.splits,
        rounded.objective,
    )
    groups = [_subset(g, kept) for g, kept in zip(groups, final, strict=True)]
    program = ScheduleModel(config, groups, required)
    status: Status = "rounded"
    left = time_limit - (time.perf_counter() - started)
    if best.objective > bound * (1 + gap_goal) + 1e-9 and left > 0.5:
        program.hint(best)
        solver = mb.Solver("sat")
        solver.set_time_limit_in_seconds(left)
        solver.set_solver_specific_parameters(
            f"num_workers: {workers}, random_seed: {seed}, relative_gap_limit: {gap_goal}"
        )
        found = solver.solve(program.model)
        if found in (mb.SolveStatus.OPTIMAL, mb.SolveStatus.FEASIBLE):
            candidate = program.read(solver.value, exact=True)
            if candidate.objective <= best.objective:
                best = candidate
                status = "feasible"
    if best.objective <= bound + 1e-6:
        status = "optimal"
    return _assemble(
        config,
        groups,
        program,
        best,
        status=status,
        bound=bound,
        seconds=time.perf_counter() - started,
        lp_seconds=lp_seconds,
        findings=findings,
    )


def _subset(group: Group, kept: Sequence[int]) -> Group:
    return Group(
        group.agents, tuple(group.tours[k] for k in kept), tuple(group.penalties[k] for k in kept)
    )


def _relaxation(
    config: WfmConfig, groups: Sequence[Group], required: Requirement, deadline: float
) -> tuple[ScheduleModel, mb.Solver, float, list[list[int]]]:
    """The LP relaxation over every tour, by column generation.

    GLOP solves the model over a few tours per group; tours of negative reduced cost
    (priced from the duals of the group's rows, no solve needed) join, until none is
    left — the LP optimum over all tours — or the deadline passes. The bound returned
    is then the Lagrangian one, LP + Σ size × most negative reduced cost, still valid.

    Returns the last model, its solved LP, the bound and the tours kept per group.
    """
    works = [{(d, s) for t in g.tours for d, s in enumerate(t) if s is not None} for g in groups]
    keep = [
        sorted({k * len(g.tours) // _FIRST_TOURS for k in range(min(_FIRST_TOURS, len(g.tours)))})
        for g in groups
    ]
    bound = -math.inf
    while True:
        program = ScheduleModel(
            config,
            [_subset(g, k) for g, k in zip(groups, keep, strict=True)],
            required,
            works=works,
        )
        lp = mb.Solver("glop")
        lp.set_time_limit_in_seconds(max(1.0, deadline - time.perf_counter()))
        status = lp.solve(program.model)
        if status != mb.SolveStatus.OPTIMAL:
            message = f"the LP relaxation did not finish in time ({status.name})"
            raise ScheduleError(message)
        value = float(lp.objective_value)
        lagrange, added = value, False
        for gi, group in enumerate(groups):
            costs = program.reduced_costs(lp, group, gi)
            lagrange += len(group.agents) * min(0.0, min(costs))
            kept = set(keep[gi])
            entering = sorted((c, k) for k, c in enumerate(costs) if c < -1e-6 and k not in kept)
            if entering:
                keep[gi] = sorted(kept | {k for _, k in entering[:_ENTERING]})
                added = True
        bound = max(bound, lagrange)
        if not added or time.perf_counter() > deadline:
            return program, lp, max(bound, value) if not added else bound, keep


def _assemble(
    config: WfmConfig,
    groups: Sequence[Group],
    program: ScheduleModel,
    solution: Solution,
    *,
    status: Status,
    bound: float,
    seconds: float,
    lp_seconds: float,
    findings: Sequence[Finding],
) -> Schedule:
    """Hand each group's tours, then each pool's meal places, to agents in file order."""
    weeks: list[AgentWeek] = []
    duty: dict[str, frozenset[int]] = {}
    meal_places = {
        key: [o for o, c in zip(config.shifts[key[2]].meal_starts, counts, strict=True)
              for _ in range(c)]
        for key, counts in solution.meals.items()
    }  # fmt: skip
    for gi, group in enumerate(groups):
        pool = program.pool_of[gi]
        tours: list[tuple[Tour, int]] = [
            (tour, penalty)
            for tour, penalty, count in zip(
                group.tours, group.penalties, solution.tours[gi], strict=True
            )
            for _ in range(count)
        ]
        for agent, (tour, penalty) in zip(group.agents, tours, strict=True):
            days: list[ShiftAssignment | None] = []
            slots: set[int] = set()
            hours = 0.0
            for day, name in enumerate(tour):
                if name is None:
                    days.append(None)
                    continue
                shift = config.shifts[name]
                begin, end = shift.span(day)
                places = meal_places.get((pool, day, name))
                offset = places.pop() if places else None
                meal = (
                    None if offset is None else (begin + offset, begin + offset + shift.meal_length)
                )
                days.append(ShiftAssignment(day, name, begin, end, meal))
                slots.update(shift.duty(day, offset))
                hours += shift.paid_hours
            weeks.append(AgentWeek(agent.id, tuple(days), hours, penalty))
            duty[agent.id] = frozenset(slots)
    scheduled = program.scheduled(solution.splits)
    return Schedule(
        weeks=tuple(weeks),
        required={
            q: tuple(int(v) for v in program.required.get(q, [0] * WEEK)) for q in program.queues
        },
        scheduled={q: tuple(row) for q, row in scheduled.items()},
        status=status,
        objective=solution.objective,
        bound=bound,
        seconds=seconds,
        lp_seconds=lp_seconds,
        findings=tuple(findings),
        groups=len(groups),
        tours=sum(len(g.tours) for g in groups),
        duty=duty,
        splits=solution.splits,
        members=tuple(
            tuple(
                a.id
                for g, p in zip(groups, program.pool_of, strict=True)
                if p == pi
                for a in g.agents
            )
            for pi in range(len(program.pools))
        ),
    )
