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

The LP relaxation of the same model is solved first, by column generation on one GLOP
solver that keeps its basis between rounds (new tours are new columns; a round costs a
few hundred pivots instead of a solve from scratch). Its optimum over every tour is the
lower bound the result's `gap` is measured against. The integer schedule comes from the
same solver: tours rounded (largest remainders) and fixed, re-solved; improved by
relax-and-fix neighbourhoods (the tours of a few random groups freed, re-planned by the
LP around the others, rounded and fixed again, kept if better); meals rounded and fixed,
re-solved — the split over queues is then integral by itself. That schedule (or the
plain rounding, if better) is complete and CP-SAT's starting hint, so a schedule always
comes back within the time limit.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ortools.linear_solver import pywraplp  # type: ignore[attr-defined]
from ortools.linear_solver.python import model_builder as mb

from hotline.wfm.schedule_model import ScheduleModel, Solution, apportion, tour_costs
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
_NEXT_ROUND = 0.5  # a warm round's time, as a share of the round before it
_LP_SHARE = 0.85  # of the time limit for the LP bound (column generation stops then)
_NEIGHBOURS = 8  # groups freed in one neighbourhood of the improvement
_PATIENCE = 40  # neighbourhoods in a row without a gain before the improvement stops
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
    are spread over its queues. `bound` is a lower bound on the full model's LP (every
    tour): its optimum when column generation converged (`lp_converged`, after
    `lp_rounds` GLOP solves), else the Lagrangian bound — never a partial LP's value."""

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
    lp_rounds: int = 0
    lp_converged: bool = True

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
    relaxed = _relaxation(config, groups, required, started + _LP_SHARE * time_limit)
    lp_seconds = time.perf_counter() - started
    bound, keep, lp = relaxed.bound, relaxed.keep, relaxed.program
    rounded = lp.read(relaxed.value, exact=False)
    fixed = relaxed.fixed(
        [len(g.agents) for g in groups],
        started + 0.97 * time_limit,
        bound=bound,
        gap_goal=gap_goal,
        improve_until=started + 0.93 * time_limit,
        seed=seed,
    )
    if fixed is not None and fixed.objective < rounded.objective:
        rounded = fixed
    # CP-SAT works on the tours the LP uses plus those it prices nearly as well
    # (least reduced cost): a small model whose rounding is already close to the bound
    final: list[list[int]] = []
    for gi, group in enumerate(groups):
        used = [
            k
            for k, var, count in zip(keep[gi], lp.n[gi], rounded.tours[gi], strict=True)
            if relaxed.value(var) > 1e-6 or count
        ]
        costs = relaxed.costs[gi]
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
        lp=(relaxed.rounds, relaxed.converged),
    )


def _subset(group: Group, kept: Sequence[int]) -> Group:
    return Group(
        group.agents, tuple(group.tours[k] for k in kept), tuple(group.penalties[k] for k in kept)
    )


@dataclass(frozen=True, slots=True)
class _Relaxation:
    """The LP relaxation at the end of column generation.

    `program` is the model over the tours kept (`keep[gi]` lists group gi's tours, in
    the order of `program.n[gi]`), `values` the LP's value of each of its variables by
    name, `costs[gi]` the reduced cost of every tour of group gi at the last LP.
    `bound` is a valid lower bound on the full LP (every tour): the LP optimum when
    column generation converged, else the Lagrangian (Farley) bound.
    """

    program: ScheduleModel
    values: dict[str, float]
    costs: list[list[float]]
    bound: float
    keep: list[list[int]]
    rounds: int
    converged: bool
    solver: pywraplp.Solver
    columns: dict[tuple[int, int], pywraplp.Variable]
    ready: bool  # the solver holds this LP's optimum (False: a later round timed out)

    def value(self, var: mb.Variable) -> float:
        return self.values[var.name]

    def fixed(
        self,
        sizes: Sequence[int],
        deadline: float,
        *,
        bound: float = 0.0,
        gap_goal: float = 0.0,
        improve_until: float | None = None,
        seed: int = 0,
    ) -> Solution | None:
        """An integer schedule by fixing and re-solving the same LP (warm): tours
        rounded by largest remainders and fixed, then (until `improve_until`) improved
        by `_improve`'s neighbourhoods, then the meals the LP places around them rounded
        and fixed; with both integral the split over queues is a transportation problem
        per half hour, whose LP vertex is integral. None when a re-solve does not finish
        by `deadline`."""
        if not self.ready:
            return None
        tours = self._fix_tours(sizes)
        if not self._solve(deadline):
            return None
        if improve_until is not None:
            self._improve(tours, sizes, min(improve_until, deadline), bound, gap_goal, seed)
        return self._fix_meals(deadline)

    def _fix_tours(self, sizes: Sequence[int]) -> dict[int, list[int]]:
        """Every group's tours rounded from the LP (largest remainders) and fixed."""
        # every value is read before the first bound changes (that discards them)
        lp = {gi: self._tour_values(gi) for gi in range(len(self.keep))}
        tours = {gi: apportion(values, sizes[gi]) for gi, values in lp.items()}
        for gi, counts in tours.items():
            self._set_tours(gi, counts)
        return tours

    def _tour_values(self, gi: int) -> list[float]:
        """Group gi's agents on each of its kept tours in the solver's last LP."""
        return [self.columns[(gi, k)].solution_value() for k in self.keep[gi]]

    def _set_tours(self, gi: int, counts: Sequence[int] | None, size: int = 0) -> None:
        """Fix group gi's tours at `counts`, or free them (0..`size`) when None."""
        for i, k in enumerate(self.keep[gi]):
            low, high = (0, size) if counts is None else (counts[i], counts[i])
            self.columns[(gi, k)].SetBounds(low, high)

    def _improve(
        self,
        tours: dict[int, list[int]],
        sizes: Sequence[int],
        deadline: float,
        bound: float,
        gap_goal: float,
        seed: int,
    ) -> None:
        """Relax-and-fix neighbourhoods on the rounded schedule (LNS): free the tours of
        a few groups drawn at random, let the LP re-plan them around everyone else's
        fixed tours, round them again and keep the result if the objective fell. The LP
        with the neighbourhood free bounds what any rounding of it can reach, so a
        neighbourhood that cannot gain is given up after one solve. (Random groups did
        better than groups sharing a queue: 1.2 % against 2.0 % above the bound after
        30 s at 2,000 agents, docs/wfm.md.) Stops at `deadline`, within `gap_goal` of
        `bound`, or after `_PATIENCE` neighbourhoods in a row without a gain; leaves the
        solver at the best tours (`tours` updated in place)."""
        objective = self.solver.Objective()
        best = objective.Value()
        rng = random.Random(seed)
        everyone = range(len(self.keep))
        size = min(_NEIGHBOURS, len(self.keep))
        misses, dirty = 0, False
        while (
            time.perf_counter() < deadline
            and best > bound * (1 + gap_goal) + 1e-9
            and misses < _PATIENCE
            and size > 0
        ):
            chosen = rng.sample(everyone, size)
            for gi in chosen:
                self._set_tours(gi, None, sizes[gi])
            if not self._solve(deadline):
                dirty = True
                break
            gained = False
            if objective.Value() < best - 1e-6:
                counts = {gi: apportion(self._tour_values(gi), sizes[gi]) for gi in chosen}
                for gi in chosen:
                    self._set_tours(gi, counts[gi])
                if not self._solve(deadline):
                    dirty = True
                    break
                if objective.Value() < best - 1e-6:
                    best, gained = objective.Value(), True
                    tours.update(counts)
            if not gained:
                for gi in chosen:
                    self._set_tours(gi, tours[gi])
            dirty = not gained
            misses = 0 if gained else misses + 1
        if dirty:  # the solver holds a rejected neighbourhood: back to the best tours
            for gi, fixed in tours.items():
                self._set_tours(gi, fixed)
            self._solve(deadline + 30.0)

    def _fix_meals(self, deadline: float) -> Solution | None:
        """The meals the LP places around the fixed tours, rounded and fixed; the
        schedule read back."""
        program, solver = self.program, self.solver
        places: list[tuple[pywraplp.Variable, int]] = []
        for meals in program.meal:
            for group in meals.values():
                found = [solver.LookupVariable(v.name) for v in group]
                lp = [var.solution_value() for var in found]
                places += zip(found, apportion(lp, round(sum(lp))), strict=True)
        for var, count in places:
            var.SetBounds(count, count)
        if not self._solve(deadline):
            return None
        values = {var.name(): var.solution_value() for var in solver.variables()}
        for gi, kept in enumerate(self.keep):
            for k, var in zip(kept, program.n[gi], strict=True):
                values[var.name] = self.columns[(gi, k)].solution_value()
        return program.read(lambda var: values[var.name], exact=True)

    def _solve(self, deadline: float) -> bool:
        self.solver.SetTimeLimit(max(2000, int(1000 * (deadline - time.perf_counter()))))
        return bool(self.solver.Solve() == pywraplp.Solver.OPTIMAL)


def _relaxation(
    config: WfmConfig, groups: Sequence[Group], required: Requirement, deadline: float
) -> _Relaxation:
    """The LP relaxation over every tour, by column generation on one GLOP solver.

    GLOP solves the model over a few tours per group; tours of negative reduced cost
    (priced from the duals of the group's rows, no solve needed) join as new columns
    of the same solver, which restarts from its last basis (primal simplex, a few
    hundred pivots instead of tens of thousands), until none is left — the LP optimum
    over all tours — or the deadline passes. Presolve is off: it would discard the basis.
    Stopped early, the bound is the Lagrangian one, LP + Σ size × most negative reduced
    cost, still a lower bound on the full LP.
    """
    works = [{(d, s) for t in g.tours for d, s in enumerate(t) if s is not None} for g in groups]
    keep = [
        sorted({k * len(g.tours) // _FIRST_TOURS for k in range(min(_FIRST_TOURS, len(g.tours)))})
        for g in groups
    ]
    first = ScheduleModel(config, [_subset(g, k) for g, k in zip(groups, keep, strict=True)],
                          required, works=works)  # fmt: skip
    proto = first.model.export_to_proto()
    for var in proto.variable:
        var.is_integer = False
    solver = pywraplp.Solver.CreateSolver("GLOP")
    solver.SetSolverSpecificParametersAsString("use_preprocessing: false")
    solver.LoadModelFromProtoKeepNames(proto)
    columns = {
        (gi, k): solver.variable(var.index)
        for gi, kept in enumerate(keep)
        for k, var in zip(kept, first.n[gi], strict=True)
    }
    size_rows = [solver.constraint(row.index) for row in first.size_rows]
    work_rows = [{key: solver.constraint(r.index) for key, r in rows.items()}
                 for rows in first.work_rows]  # fmt: skip
    objective = solver.Objective()
    preference = config.weights.preference
    bound, rounds = -math.inf, 0
    last: tuple[dict[str, float], dict[tuple[int, int], float], list[list[int]]] | None = None
    costs: list[list[float]] = []
    value, converged, ready = math.inf, False, True
    took = 0.0  # seconds the last round's solve took
    while True:
        solver.SetTimeLimit(max(1000, int(1000 * (deadline - time.perf_counter()))))
        began = time.perf_counter()
        status = solver.Solve()
        took = time.perf_counter() - began
        if status != pywraplp.Solver.OPTIMAL:
            if last is None:
                message = f"the LP relaxation did not finish in time (GLOP status {status})"
                raise ScheduleError(message)
            ready = False  # the last round's LP (values kept) and its bound stand
            break
        rounds += 1
        value = objective.Value()
        costs = [
            tour_costs(group, preference, size_rows[gi].dual_value(),
                       {key: row.dual_value() for key, row in work_rows[gi].items()})
            for gi, group in enumerate(groups)
        ]  # fmt: skip
        bound = max(
            bound,
            value + sum(len(g.agents) * min(0.0, *c) for g, c in zip(groups, costs, strict=True)),
        )
        entering = [
            sorted((c, k) for k, c in enumerate(cost) if c < -1e-6 and (gi, k) not in columns)
            for gi, cost in enumerate(costs)
        ]
        converged = not any(entering)
        # kept before new columns discard them, in case the next round misses the deadline
        last = (
            {var.name(): var.solution_value() for var in solver.variables()},
            {key: column.solution_value() for key, column in columns.items()},
            [sorted(kept) for kept in keep],
        )
        # a round that would not finish in time is not begun: the solver keeps this
        # round's optimum, which the integer schedule starts from
        if converged or time.perf_counter() + _NEXT_ROUND * took > deadline:
            break
        for gi, best in enumerate(entering):
            for _, k in best[:_ENTERING]:
                columns[(gi, k)] = _add_column(
                    solver, groups[gi], k, preference, (gi, size_rows[gi], work_rows[gi])
                )
                keep[gi].append(k)
    values, tour_values, keep = last
    program = ScheduleModel(config, [_subset(g, k) for g, k in zip(groups, keep, strict=True)],
                            required, works=works)  # fmt: skip
    for gi, kept in enumerate(keep):
        for k, var in zip(kept, program.n[gi], strict=True):
            values[var.name] = tour_values[(gi, k)]
    return _Relaxation(
        program,
        values,
        costs,
        value if converged else min(bound, value),
        keep,
        rounds,
        converged,
        solver,
        columns,
        ready,
    )


def _add_column(
    solver: pywraplp.Solver,
    group: Group,
    k: int,
    preference: float,
    rows: tuple[int, pywraplp.Constraint, dict[tuple[int, str], pywraplp.Constraint]],
) -> pywraplp.Variable:
    """Tour k of group gi as a new column of the LP: it enters the group's size row and
    the (day, shift) rows it works, at its preference cost."""
    gi, size_row, work_rows = rows
    column = solver.NumVar(0.0, float(len(group.agents)), f"t{gi}_{k}")
    solver.Objective().SetCoefficient(column, preference * group.penalties[k])
    size_row.SetCoefficient(column, 1.0)
    for day, name in enumerate(group.tours[k]):
        if name is not None:
            work_rows[(day, name)].SetCoefficient(column, 1.0)
    return column


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
    lp: tuple[int, bool] = (0, True),
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
        lp_rounds=lp[0],
        lp_converged=lp[1],
    )
