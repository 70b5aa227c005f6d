"""The schedule's integer program over groups and tours, its LP bound and its rounding.

See `hotline.wfm.schedule` for the model in words. One `ScheduleModel` is built once:
GLOP solves its LP relaxation (it ignores integrality), CP-SAT solves it as it is
(through OR-tools' model builder, so both solve the very same rows). A `Solution` is
integer counts: agents per group and tour, meals per pool, day, shift and place, and
agents on duty per pool, half hour and queue.

A pool is the agents with one set of skills, whatever their pattern or contract: once
their tours are chosen they are interchangeable on the floor, so meals, duty and the
split over queues are decided per pool, not per group — a model several times smaller
with the same optimum.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.linear_solver.python import model_builder as mb

from hotline.wfm.schedule_tours import Group, Requirement
from hotline.wfm.shifts import SLOTS_PER_DAY, WEEK, Weights, WfmConfig

Work = tuple[int, str]  # (day, shift)


@dataclass(frozen=True, slots=True)
class Solution:
    """Integer counts of one schedule and its objective (recomputed from the counts)."""

    tours: list[list[int]]  # [group][tour] agents
    meals: dict[tuple[int, int, str], list[int]]  # (pool, day, shift) → agents per meal place
    splits: dict[tuple[int, int], dict[str, int]]  # (pool, slot) → agents on duty per queue
    objective: float


def apportion(weights: Sequence[float], total: int) -> list[int]:
    """Whole numbers summing to `total`, proportional to `weights` (largest remainders)."""
    clean = [max(0.0, w) for w in weights]
    mass = sum(clean)
    if mass <= 1e-12:
        clean, mass = [1.0] + [0.0] * (len(clean) - 1), 1.0
    shares = [w * total / mass for w in clean]
    whole = [int(s) for s in shares]
    order = sorted(range(len(shares)), key=lambda i: whole[i] - shares[i])
    for i in order[: total - sum(whole)]:
        whole[i] += 1
    return whole


def _greedy(skills: Sequence[str], count: int, short: dict[str, int]) -> dict[str, int]:
    """`count` agents spread over `skills`, each to the queue most short at the time."""
    share = dict.fromkeys(skills, 0)
    left = count
    while left > 0:
        ranked = sorted(skills, key=lambda q: -(short[q] - share[q]))
        best = ranked[0]
        gap = short[best] - share[best]
        if gap <= 0:
            share[best] += left
            break
        runner = short[ranked[1]] - share[ranked[1]] if len(ranked) > 1 else 0
        give = min(left, max(1, gap - max(runner, 0)))
        share[best] += give
        left -= give
    return share


def tour_costs(
    group: Group, preference: float, size: float, duals: dict[Work, float]
) -> list[float]:
    """Reduced cost of each of `group`'s tours: preference × penalty, less the dual of
    the group's size row and of each (day, shift) row the tour enters."""
    return [
        preference * penalty
        - size
        - sum(duals[(day, name)] for day, name in enumerate(tour) if name is not None)
        for tour, penalty in zip(group.tours, group.penalties, strict=True)
    ]


class ScheduleModel:
    """The integer program of a week: variables kept by role to read solutions back."""

    def __init__(
        self,
        config: WfmConfig,
        groups: Sequence[Group],
        required: Requirement,
        *,
        works: Sequence[set[Work]] | None = None,
    ) -> None:
        """`works[gi]`, when given, are every (day, shift) group gi's full set of tours
        uses (a row for each, so that tours not in `groups` can be priced)."""
        self.config, self.groups, self.required = config, groups, required
        self.queues = sorted(set(required) | {q for g in groups for q in g.skills})
        skill_sets = sorted({g.skills for g in groups}, key=sorted)
        self.pools = skill_sets
        self.pool_of = [skill_sets.index(g.skills) for g in groups]
        model = self.model = mb.ModelBuilder()  # type: ignore[no-untyped-call]
        self.n: list[list[mb.Variable]] = []
        self.size_rows: list[mb.LinearConstraint] = []
        self.work: list[dict[Work, mb.Variable]] = []
        self.work_rows: list[dict[Work, mb.LinearConstraint]] = []
        objective: list[mb.LinearExprT] = []
        weights = config.weights
        pooled: list[dict[Work, list[mb.Variable]]] = [defaultdict(list) for _ in skill_sets]
        for gi, group in enumerate(groups):
            size = len(group.agents)
            n = [model.new_int_var(0, size, f"n{gi}_{k}") for k in range(len(group.tours))]
            self.n.append(n)
            self.size_rows.append(model.add(mb.LinearExpr.sum(n) == size))
            objective.append(
                mb.LinearExpr.weighted_sum(n, [weights.preference * p for p in group.penalties])
            )
            on: dict[Work, list[mb.Variable]] = defaultdict(list)
            for k, tour in enumerate(group.tours):
                for day, name in enumerate(tour):
                    if name is not None:
                        on[(day, name)].append(n[k])
            work: dict[Work, mb.Variable] = {}
            rows: dict[Work, mb.LinearConstraint] = {}
            for key in sorted(set(on) | (works[gi] if works else set())):
                w = work[key] = model.new_int_var(0, size, f"w{gi}_{key[0]}_{key[1]}")
                rows[key] = model.add(mb.LinearExpr.sum(on.get(key, [])) - w == 0)
                pooled[self.pool_of[gi]][key].append(w)
            self.work.append(work)
            self.work_rows.append(rows)
        self.meal: list[dict[Work, list[mb.Variable]]] = []
        self.z: dict[tuple[int, int], dict[str, mb.Variable]] = {}
        cover: dict[tuple[int, str], list[mb.LinearExprT]] = defaultdict(list)
        total = sum(len(g.agents) for g in groups)
        for pi, skills_set in enumerate(skill_sets):
            size = sum(len(g.agents) for g, p in zip(groups, self.pool_of, strict=True) if p == pi)
            meals: dict[Work, list[mb.Variable]] = {}
            terms: dict[int, list[tuple[mb.Variable, int]]] = defaultdict(list)
            for (day, name), ws in sorted(pooled[pi].items()):
                shift = config.shifts[name]
                begin = day * SLOTS_PER_DAY + shift.start
                for w in ws:
                    for k in range(shift.length):
                        terms[(begin + k) % WEEK].append((w, 1))
                if shift.meal_starts:
                    places = [
                        model.new_int_var(0, size, f"m{pi}_{day}_{name}_{j}")
                        for j in shift.meal_starts
                    ]
                    meals[(day, name)] = places
                    model.add(mb.LinearExpr.sum(places) - mb.LinearExpr.sum(ws) == 0)
                    for place, offset in zip(places, shift.meal_starts, strict=True):
                        for k in range(offset, offset + shift.meal_length):
                            terms[(begin + k) % WEEK].append((place, -1))
            self.meal.append(meals)
            skills = sorted(skills_set)
            for t, pairs in terms.items():
                duty = mb.LinearExpr.weighted_sum([v for v, _ in pairs], [c for _, c in pairs])
                if len(skills) == 1:
                    cover[(t, skills[0])].append(duty)
                    continue
                split = {q: model.new_int_var(0, size, f"z{pi}_{t}_{q}") for q in skills}
                self.z[(pi, t)] = split
                model.add(mb.LinearExpr.sum(list(split.values())) - duty == 0)
                for q, var in split.items():
                    cover[(t, q)].append(var)
        self.under: dict[tuple[int, str], mb.Variable] = {}
        self.over: dict[tuple[int, str], mb.Variable] = {}
        for q in self.queues:
            row = required.get(q, [0] * WEEK)
            for t in range(WEEK):
                u = self.under[(t, q)] = model.new_int_var(0, int(row[t]), f"u{t}_{q}")
                o = self.over[(t, q)] = model.new_int_var(0, total, f"o{t}_{q}")
                model.add(mb.LinearExpr.sum([*cover.get((t, q), []), u, -o]) == int(row[t]))
        objective.append(weights.under * mb.LinearExpr.sum(list(self.under.values())))
        objective.append(weights.over * mb.LinearExpr.sum(list(self.over.values())))
        model.minimize(mb.LinearExpr.sum(objective))

    def reduced_costs(
        self, dual: Callable[[mb.LinearConstraint], float], group: Group, gi: int
    ) -> list[float]:
        """Reduced cost of each of `group`'s tours (any, in the model or not) at an LP
        optimum whose row duals `dual` gives: its objective coefficient less the duals
        of the rows it enters (the group's size row and its (day, shift) rows)."""
        return tour_costs(
            group,
            self.config.weights.preference,
            dual(self.size_rows[gi]),
            {key: dual(row) for key, row in self.work_rows[gi].items()},
        )

    def working(self, tours: list[list[int]]) -> list[dict[Work, int]]:
        """Agents of each pool on each (day, shift), from the tours' counts."""
        result: list[dict[Work, int]] = [defaultdict(int) for _ in self.pools]
        for gi, group in enumerate(self.groups):
            for tour, count in zip(group.tours, tours[gi], strict=True):
                for day, name in enumerate(tour):
                    if name is not None and count:
                        result[self.pool_of[gi]][(day, name)] += count
        return result

    def read(self, value: Callable[[mb.Variable], float], *, exact: bool) -> Solution:
        """The integer solution whose variables `value` gives: CP-SAT's as they are
        (`exact`), or the LP's rounded — tours and meals by largest remainders, each
        pool's agents on duty split greedily toward the queues most short."""
        tours = [
            apportion([value(v) for v in n], len(g.agents))
            for n, g in zip(self.n, self.groups, strict=True)
        ]
        meals: dict[tuple[int, int, str], list[int]] = {}
        duties: list[dict[int, int]] = []
        for pi, working in enumerate(self.working(tours)):
            for key, places in self.meal[pi].items():
                meals[(pi, *key)] = apportion([value(v) for v in places], working.get(key, 0))
            duties.append(self._duty(pi, working, meals))
        splits: dict[tuple[int, int], dict[str, int]] = {}
        order = sorted(range(len(self.pools)), key=lambda pi: len(self.pools[pi]))
        for t in range(WEEK):
            short = {q: int(self.required.get(q, [0] * WEEK)[t]) for q in self.queues}
            for pi in order:
                if (pi, t) not in self.z and t not in duties[pi]:
                    continue
                skills = sorted(self.pools[pi])
                split = self.z.get((pi, t))
                share: dict[str, int] = {}
                if exact and split is not None:
                    share = {q: round(value(split[q])) for q in skills}
                if (
                    not share
                    or sum(share.values()) != duties[pi].get(t, 0)
                    or any(k < 0 for k in share.values())
                ):
                    share = _greedy(skills, duties[pi].get(t, 0), short)
                for q, k in share.items():
                    short[q] -= k
                splits[(pi, t)] = share
        return Solution(tours, meals, splits, self.objective(tours, splits))

    def _duty(
        self,
        pi: int,
        working: dict[Work, int],
        meals: dict[tuple[int, int, str], list[int]],
    ) -> dict[int, int]:
        duty: dict[int, int] = defaultdict(int)
        for (day, name), count in working.items():
            shift = self.config.shifts[name]
            begin = day * SLOTS_PER_DAY + shift.start
            for k in range(shift.length):
                duty[(begin + k) % WEEK] += count
            places = meals.get((pi, day, name), [0] * len(shift.meal_starts))
            for place, offset in zip(places, shift.meal_starts, strict=True):
                for k in range(offset, offset + shift.meal_length):
                    duty[(begin + k) % WEEK] -= place
        return duty

    def scheduled(self, splits: dict[tuple[int, int], dict[str, int]]) -> dict[str, list[int]]:
        """Agents serving each queue in each half hour."""
        result = {q: [0] * WEEK for q in self.queues}
        for (_, t), split in splits.items():
            for q, count in split.items():
                result[q][t] += count
        return result

    def objective(
        self, tours: list[list[int]], splits: dict[tuple[int, int], dict[str, int]]
    ) -> float:
        w: Weights = self.config.weights
        value = sum(
            w.preference * p * c
            for counts, g in zip(tours, self.groups, strict=True)
            for p, c in zip(g.penalties, counts, strict=True)
        )
        for q, row in self.scheduled(splits).items():
            need = self.required.get(q, [0] * WEEK)
            for t in range(WEEK):
                value += w.under * max(0, need[t] - row[t]) + w.over * max(0, row[t] - need[t])
        return float(value)

    def hint(self, solution: Solution) -> None:
        """Give CP-SAT `solution` as its starting point (every variable)."""
        model = self.model
        for n, counts in zip(self.n, solution.tours, strict=True):
            for var, count in zip(n, counts, strict=True):
                model.add_hint(var, count)
        for gi, group in enumerate(self.groups):
            for (day, name), var in self.work[gi].items():
                working = sum(
                    c for t, c in zip(group.tours, solution.tours[gi], strict=True)
                    if t[day] == name
                )  # fmt: skip
                model.add_hint(var, working)
        for pi, meals in enumerate(self.meal):
            for key, places in meals.items():
                counts = solution.meals.get((pi, *key), [0] * len(places))
                for var, count in zip(places, counts, strict=True):
                    model.add_hint(var, count)
        for at, split in self.z.items():
            for q, var in split.items():
                model.add_hint(var, solution.splits.get(at, {}).get(q, 0))
        for q, row in self.scheduled(solution.splits).items():
            need = self.required.get(q, [0] * WEEK)
            for t in range(WEEK):
                model.add_hint(self.under[(t, q)], max(0, need[t] - row[t]))
                model.add_hint(self.over[(t, q)], max(0, row[t] - need[t]))
