"""Benchmark: a week's shift schedule (排班) for a synthetic center, by OR-tools.

20 queues with a morning (10:00) and an afternoon (15:00) peak, lighter weekends and a
night floor; agents in teams of one or two skills on four patterns (5d3s free rotation,
7d5s in blocks, 4d2s 12-hour shifts, part time). The requirement is scaled so the
agents' hours cover about 90 % of it at the best. Printed per size: coverage,
efficiency, the gap to the LP bound, the time (LP, total) and the model's size.

    python benchmarks/schedule_week.py                      # 200, 500 and 2,000 agents
    python benchmarks/schedule_week.py --agents 2000 --time-limit 120 --json
    python benchmarks/schedule_week.py --agents 200 --pyworkforce   # + pyworkforce, one queue

`--pyworkforce` (optional: skipped when the package is missing) also solves queue q00's
requirement with pyworkforce's MinAbsDifference and MinRequiredResources: one day at a
time, shifts without meals cut at midnight, any number of agents and no weekly rules
(days off, hours, rest), so it answers an easier question than `schedule_week`.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import random
import time

from hotline.wfm.schedule import schedule_week
from hotline.wfm.shifts import WEEK, WfmConfig, parse_wfm

RULES = """
rules: {min_rest_hours: 11, max_consecutive_days: 6}
shifts:
  early:   {start: "08:00", hours: 8.5, meal: {window: ["11:00", "13:30"]}}
  evening: {start: "15:30", hours: 8.5, meal: {window: ["17:30", "20:00"]}}
  night:   {start: "23:30", hours: 8.5, meal: {window: ["03:00", "05:00"]}}
  day12:   {start: "08:00", hours: 12, meal: {minutes: 60, window: ["11:00", "14:00"]}}
  night12: {start: "20:00", hours: 12, meal: {minutes: 60, window: ["00:00", "03:00"]}}
  s0700:   {start: "07:00", hours: 8.5, meal: {window: ["10:30", "13:00"]}}
  s0830:   {start: "08:30", hours: 8.5, meal: {window: ["11:30", "14:00"]}}
  s1130:   {start: "11:30", hours: 8.5, meal: {window: ["16:30", "18:30"]}}
  s1330:   {start: "13:30", hours: 8.5, meal: {window: ["17:00", "19:30"]}}
  am4:     {start: "09:00", hours: 4}
  pm4:     {start: "13:30", hours: 4}
patterns:
  5d3s: {shifts: [early, evening, night], work_days: 5, rotation: block}
  4d2s: {shifts: [day12, night12], work_days: 4, max_consecutive_days: 4, rotation: block}
  7d5s: {shifts: [s0700, s0830, s1130, s1330, night], work_days: 5, rotation: block}
  part: {shifts: [am4, pm4], days: [mon, tue, wed, thu, fri, sat], work_days: [3, 5],
         rotation: week}
contracts:
  full_time: {hours: 40}
  full_time_12h: {hours: 44}
  part_time: {min_hours: 12, max_hours: 20}
"""

# share of agents per pattern, and its contract
MIX = [("7d5s", "full_time", 0.5), ("5d3s", "full_time", 0.25), ("4d2s", "full_time_12h", 0.1),
       ("part", "part_time", 0.15)]  # fmt: skip


def center(agents: int, seed: int, queues: int = 20) -> tuple[WfmConfig, dict[str, list[int]]]:
    """Teams (one skill, or a main skill and the next queue's) and their requirement."""
    rng = random.Random(seed)
    names = [f"q{i:02d}" for i in range(queues)]
    weight = [rng.uniform(0.3, 1.0) for _ in names]
    total = sum(weight)
    teams = []
    first = 1
    for i, queue in enumerate(names):
        size = round(agents * weight[i] / total)
        for pattern, contract, share in MIX:
            count = round(size * share)
            if count == 0:
                continue
            dual = count // 3  # a third also take the next queue (技能复用)
            for skills, k in (([queue], count - dual), ([queue, names[(i + 1) % queues]], dual)):
                if k:
                    teams.append(
                        f"  - {{first: {first}, count: {k}, skills: [{', '.join(skills)}], "
                        f"pattern: {pattern}, contract: {contract}}}"
                    )
                    first += k
    config = parse_wfm(RULES + "teams:\n" + "\n".join(teams), file="<benchmark>")
    duty = sum(_duty_slots(config, a.pattern) for a in config.agents)
    shape = []
    for t in range(WEEK):
        hour, day = (t % 48) / 2, t // 48
        value = (
            0.12
            + math.exp(-(((hour - 10) / 1.7) ** 2))
            + 0.85 * math.exp(-(((hour - 15) / 2.0) ** 2))
        )
        shape.append(value * (0.75 if day >= 5 else 1.0))
    scale = 0.9 * duty / (sum(shape) * total)
    required = {
        q: [round(weight[i] * scale * s * rng.uniform(0.93, 1.07)) for s in shape]
        for i, q in enumerate(names)
    }
    return config, required


def _duty_slots(config: WfmConfig, pattern_name: str) -> float:
    pattern = config.patterns[pattern_name]
    shifts = [config.shifts[s] for s in pattern.shifts]
    per_shift = sum(s.length - s.meal_length for s in shifts) / len(shifts)
    return per_shift * (pattern.min_work_days + pattern.max_work_days) / 2


def run(agents: int, queues: int, time_limit: float, seed: int) -> dict[str, float | int | str]:
    config, required = center(agents, seed, queues)
    result = schedule_week(config, required, time_limit=time_limit, seed=seed)
    week = result.week()
    worst = min(result.interval(t).coverage for t in range(WEEK))
    return {
        "agents": len(config.agents),
        "queues": queues,
        "groups": result.groups,
        "tours_kept": result.tours,
        "status": result.status,
        "coverage": round(week.coverage, 4),
        "efficiency": round(week.efficiency or 0.0, 4),
        "worst_interval_coverage": round(worst, 4),
        "under": week.under,
        "over": week.over,
        "required": week.required,
        "objective": result.objective,
        "lp_bound": round(result.bound, 1),
        "gap": round(result.gap, 5),
        "lp_rounds": result.lp_rounds,
        "lp_converged": result.lp_converged,
        "q00_coverage": round(result.week("q00").coverage, 4),
        "q00_efficiency": round(result.week("q00").efficiency or 0.0, 4),
        "lp_s": round(result.lp_seconds, 2),
        "total_s": round(result.seconds, 2),
    }


def pyworkforce_run(
    queue: str, agents: int, seed: int, time_limit: float
) -> list[dict[str, object]]:
    """Queue `queue`'s week by pyworkforce's two CP-SAT schedulers (see the module doc)."""
    try:
        from pyworkforce.scheduling import MinAbsDifference, MinRequiredResources
    except ImportError:
        return [{"pyworkforce": "not installed"}]
    config, required = center(agents, seed)
    row = required[queue]
    coverage = {}
    for name, shift in config.shifts.items():
        cover = [0] * 48
        for k in range(shift.start, min(48, shift.start + shift.length)):
            cover[k] = 1
        coverage[name] = cover
    need = [row[d * 48 : (d + 1) * 48] for d in range(7)]
    rows = []
    for solver_class in (MinAbsDifference, MinRequiredResources):
        started = time.perf_counter()
        solver = solver_class(
            num_days=7,
            periods=48,
            shifts_coverage=coverage,
            required_resources=need,
            max_period_concurrency=max(row) * 3,
            max_shift_concurrency=max(row) * 3,
            max_search_time=float(time_limit),
            num_search_workers=2,
        )
        answer = solver.solve()
        seconds = time.perf_counter() - started
        have = [0] * WEEK
        for item in answer.get("resources_shifts", []):
            day, shift = int(item["day"]), str(item["shift"])
            for k, on in enumerate(coverage[shift]):
                have[day * 48 + k] += on * int(item["resources"])
        under = sum(max(0, n - h) for n, h in zip(row, have, strict=True))
        over = sum(max(0, h - n) for n, h in zip(row, have, strict=True))
        rows.append(
            {
                "pyworkforce": solver_class.__name__,
                "queue": queue,
                "status": answer.get("status"),
                "coverage": round(1 - under / sum(row), 4),
                "efficiency": round(1 - (under + over) / sum(row), 4),
                "seconds": round(seconds, 2),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agents", type=int, nargs="+", default=[200, 500, 2000])
    parser.add_argument("--queues", type=int, default=20)
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--pyworkforce", action="store_true", help="also pyworkforce, q00")
    args = parser.parse_args()
    rows = [run(n, args.queues, args.time_limit, args.seed) for n in args.agents]
    if args.pyworkforce:
        for row in pyworkforce_run("q00", args.agents[0], args.seed, args.time_limit):
            print(json.dumps(row))
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "load": os.getloadavg()[0],
        "time_limit_s": args.time_limit,
        "runs": rows,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return
    print(f"{report['machine']}; load {report['load']:.2f}; limit {args.time_limit:g} s")
    for row in rows:
        print(
            f"{row['agents']:>5} agents {row['queues']:>2} queues {row['groups']:>3} groups "
            f"{row['tours_kept']:>5} tours: "
            f"coverage {row['coverage']:.2%} efficiency {row['efficiency']:.2%} "
            f"gap {row['gap']:.2%} ({row['status']}) LP {row['lp_s']} s total {row['total_s']} s"
        )


if __name__ == "__main__":
    main()
