"""Benchmark: a 95598-size staffing plan checked in the digital twin (`hotline.planning.twin`).

8,000 calls over the day on the 95598 hotline's five queues (the weekday scenario's
half-hourly shape), staffed per queue and half hour by Erlang C for each queue's goal,
one single-main-skill group per queue (as the formula sees them). Printed: the time of
one replication, the calls and peak agents, the day's formula-vs-simulated service
level per queue, and what `check_plan` raised and what it cost.

    python benchmarks/twin_check.py                   # one replication, then check_plan
    python benchmarks/twin_check.py --replications 5 --rounds 4 --json
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import platform
import time
from pathlib import Path

from hotline.calls.config import load_hotline
from hotline.planning.twin import AgentGroup, QueueDemand, TwinOptions, check_plan, simulate_plan
from hotline.wfm.erlang import agents_for_service_level, service_level

ROOT = Path(__file__).resolve().parents[1]
HOTLINE = ROOT / "examples" / "95598" / "hotline.yaml"
DAY = datetime.date(2026, 7, 15)
PROFILE = [8, 6, 5, 4, 4, 4, 4, 4, 5, 6, 8, 10, 14, 20, 30, 40,
           52, 60, 66, 68, 66, 62, 56, 48, 42, 44, 52, 58, 60, 58, 54, 48,
           40, 34, 30, 28, 26, 26, 25, 24, 22, 20, 18, 16, 14, 12, 10, 9]  # fmt: skip
# queue: (share of calls, handle s, patience s, group skills {queue: level})
QUEUES = {
    "fault": (0.40, 210.0, 150.0, {"fault": 6, "query": 3}),
    "query": (0.38, 200.0, 150.0, {"query": 6, "fault": 3}),
    "complaint": (0.10, 360.0, 180.0, {"complaint": 7, "query": 5}),
    "vip": (0.10, 240.0, 120.0, {"vip": 8, "complaint": 6, "query": 6}),
    "english": (0.02, 230.0, 150.0, {"english": 7, "query": 5}),
}


def build(calls: float) -> tuple[list[QueueDemand], list[AgentGroup], dict[str, list[float]]]:
    """Demand, an Erlang C plan (one group per queue) and the formula's service level."""
    hotline = load_hotline(HOTLINE)
    specs = {q.name: q for q in hotline.queues}
    total = sum(PROFILE)
    demand, plan, formula = [], [], {}
    for queue, (share, handle, patience, skills) in QUEUES.items():
        per_slot = [calls * share * w / total for w in PROFILE]
        spec = specs[queue]
        target, goal = spec.service_level_target, spec.service_level_goal
        agents, levels = [], []
        for c in per_slot:
            load = c * handle / 1800.0
            n = agents_for_service_level(load, handle, target, goal)
            agents.append(n)
            levels.append(service_level(n, load, handle, target))
        demand.append(QueueDemand.of(queue, per_slot, handle, patience))
        plan.append(AgentGroup.of(f"{queue}组", skills, agents, main=queue))
        formula[queue] = levels
    return demand, plan, formula


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=float, default=8000.0)
    parser.add_argument("--replications", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    hotline = load_hotline(HOTLINE)
    demand, plan, formula = build(args.calls)
    peak = max(sum(g.agents[s] for g in plan) for s in range(48))

    began = time.perf_counter()
    one = simulate_plan(hotline, DAY, demand, plan, TwinOptions(replications=1))
    one_s = time.perf_counter() - began

    options = TwinOptions(replications=args.replications, max_rounds=args.rounds)
    check = check_plan(hotline, DAY, demand, plan, formula=formula, options=options)
    first, last = check.runs[0], check.runs[-1]
    out = {
        "machine": platform.processor() or platform.machine(),
        "calls_per_replication": one.calls,
        "peak_agents": peak,
        "one_replication_s": round(one_s, 2),
        "check_s": round(check.wall_s, 2),
        "simulations": len(check.runs) * args.replications,
        "rounds": check.rounds,
        "met": check.met,
        "agents_added": {r.group: r.total for r in check.raises},
        "agent_half_hours_plan": sum(sum(g.agents) for g in plan),
        "day_service_level": {
            q: {
                "formula": round(
                    sum(f * d.calls[s] for s, f in enumerate(formula[q])) / sum(d.calls), 3
                ),
                "before": round(first.day(q) or math.nan, 3),
                "after": round(last.day(q) or math.nan, 3),
            }
            for q, d in zip(first.queues, demand, strict=True)
        },
        "half_hours_below_goal_before": sum(i.before.below_goal for i in check.intervals),
        "half_hours_below_goal_after": sum(i.after.below_goal for i in check.intervals),
        "optimistic_half_hours": sum(i.optimistic for i in check.intervals),
    }
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return
    for key, value in out.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
