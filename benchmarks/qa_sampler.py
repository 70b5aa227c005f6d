"""Benchmark: the QA sampler (质检抽样) over a month of answered calls.

A synthetic month: 1.6 million answered calls over 30 days from Monday 2026-06-01
(Asia/Shanghai), 2,000 agents each working 5 or 6 days a week on 1 to 3 of 20 queues,
calls on a two-peak day, 3 % complaints, 2 % flagged by speech analytics, about 4 % held
over 60 s, 1 % already evaluated, 10 % new hires and 8 % low scorers. Times:

1. building the `Calls` batch from numpy columns (checks, once per batch);
2. sampling every week that touches the month (`sample_week`, 5 weeks) — the goal is
   under 5 s for the month;
3. the same weeks with no mandatory calls (every pick goes through the spreading);
4. one day's queue (`sample_day` on the last day of a week: the slowest day, it replays
   the week so far) and dealing it to 60 inspectors at 40 a day (`assign`).

    python benchmarks/qa_sampler.py          # a table, a few seconds
    python benchmarks/qa_sampler.py --json
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import time
import zoneinfo
from collections import Counter
from typing import Any

import numpy as np

from hotline.quality.sampling import (
    AgentFacts,
    Calls,
    SamplingPolicy,
    assign,
    sample_day,
    sample_week,
)

CALLS = 1_600_000
DAYS = 30
AGENTS = 2_000
QUEUES = 20
INSPECTORS = 60
ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
FIRST = datetime.date(2026, 6, 1)
GOAL_S = 5.0


def synthetic_month(seed: int = 7) -> tuple[dict[str, Any], dict[str, AgentFacts]]:
    """The month's columns (numpy) and the agents' facts."""
    rng = np.random.default_rng(seed)
    start = datetime.datetime.combine(FIRST, datetime.time(), ZONE).timestamp()
    # Each agent works 5 or 6 days of each week and serves 1 to 3 queues.
    works = np.zeros((AGENTS, DAYS), dtype=bool)
    for a in range(AGENTS):
        per_week = rng.choice([5, 6])
        for w0 in range(0, DAYS, 7):
            span = min(7, DAYS - w0)
            works[a, w0 + rng.choice(span, size=min(per_week, span), replace=False)] = True
    skills = [rng.choice(QUEUES, size=rng.integers(1, 4), replace=False) for _ in range(AGENTS)]
    agent_days = np.argwhere(works)  # (agent, day) pairs
    pick = rng.integers(0, len(agent_days), size=CALLS)
    agent = agent_days[pick, 0]
    day = agent_days[pick, 1]
    # Two peaks, 10:00 and 15:00, few calls at night.
    hour = np.where(rng.random(CALLS) < 0.55, rng.normal(10.0, 1.8, CALLS), 0.0)
    hour = np.where(hour == 0.0, rng.normal(15.0, 2.2, CALLS), hour)
    hour = np.clip(hour, 0.0, 23.99)
    answered_at = start + day * 86_400.0 + hour * 3_600.0
    queue = np.array([skills[a][rng.integers(len(skills[a]))] for a in agent.tolist()])
    names = np.array([f"a{a:04d}" for a in range(AGENTS)])
    queue_names = np.array([f"q{q:02d}" for q in range(QUEUES)])
    hold = np.where(rng.random(CALLS) < 0.12, rng.exponential(30.0, CALLS), 0.0)
    flagged = rng.random(CALLS) < 0.02
    flag_names = np.where(rng.random(CALLS) < 0.6, "long_silence", "over_talk")
    flags = [(str(flag_names[i]),) if f else () for i, f in enumerate(flagged.tolist())]
    columns = {
        "call_id": np.char.add("c", np.arange(CALLS).astype(str)),
        "agent": names[agent],
        "queue": queue_names[queue],
        "answered_at": answered_at,
        "talk_s": rng.gamma(3.0, 80.0, CALLS),
        "hold_s": hold,
        "complaint": rng.random(CALLS) < 0.03,
        "flags": flags,
        "already_evaluated": rng.random(CALLS) < 0.01,
    }
    facts = {}
    for a in range(AGENTS):
        hired = start - rng.uniform(0, 30 if a % 10 == 0 else 2_000) * 86_400.0
        score = rng.uniform(60.0, 79.0) if a % 12 == 5 else rng.uniform(80.0, 100.0)
        facts[str(names[a])] = AgentFacts(hired_at=hired, average_score=score)
    return columns, facts


def run() -> dict[str, Any]:
    made = time.perf_counter()
    columns, facts = synthetic_month()
    made_s = time.perf_counter() - made
    policy = SamplingPolicy()
    started = time.perf_counter()
    calls = Calls(**columns)
    build_s = time.perf_counter() - started
    weeks = sorted({FIRST + datetime.timedelta(days=7 * w) for w in range(DAYS // 7 + 1)})
    started = time.perf_counter()
    month = [s for week in weeks for s in sample_week(calls, facts, ZONE, week, policy)]
    month_s = time.perf_counter() - started
    quota_only = policy.model_copy(
        update={"all_complaints": False, "long_hold_s": None, "flags": ()}
    )
    started = time.perf_counter()
    plain = [s for week in weeks for s in sample_week(calls, facts, ZONE, week, quota_only)]
    quota_only_s = time.perf_counter() - started
    sunday = FIRST + datetime.timedelta(days=13)
    started = time.perf_counter()
    day = sample_day(calls, facts, ZONE, sunday, policy)
    day_s = time.perf_counter() - started
    started = time.perf_counter()
    inspectors = [f"qa{i:02d}" for i in range(INSPECTORS)]
    dealt = assign(day, inspectors, policy.daily_cap, {})
    assign_s = time.perf_counter() - started
    reasons = Counter(r for s in month for r in s.reasons)
    return {
        "calls": CALLS,
        "agents": AGENTS,
        "queues": QUEUES,
        "synthetic_data_s": made_s,
        "build_calls_s": build_s,
        "weeks": len(weeks),
        "sample_month_s": month_s,
        "sample_month_with_build_s": month_s + build_s,
        "goal_s": GOAL_S,
        "met_goal": month_s + build_s < GOAL_S,
        "month_samples": len(month),
        "month_reasons": dict(sorted(reasons.items())),
        "quota_only_month_s": quota_only_s,
        "quota_only_samples": len(plain),
        "day": sunday.isoformat(),
        "sample_day_s": day_s,
        "day_samples": len(day),
        "assign_s": assign_s,
        "inspectors": INSPECTORS,
        "cap": policy.daily_cap,
        "assigned": sum(len(q) for q in dealt.queues.values()),
        "over_capacity": len(dealt.over_capacity),
        "over_capacity_mandatory": dealt.over_capacity_mandatory,
    }


def _machine() -> dict[str, Any]:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            names = [line.split(":", 1)[1].strip() for line in info if "model name" in line]
        model = names[0] if names else model
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "load_average": [round(x, 2) for x in load],
        "python": platform.python_version(),
        "numpy": np.__version__,
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print machine-readable results")
    args = parser.parse_args()
    machine = _machine()
    results = run()
    if args.json:
        print(json.dumps({"machine": machine, **results}, indent=2))
        return
    print(
        f"machine: {machine['cpu']}, {machine['cores']} cores, load {machine['load_average']},"
        f" Python {machine['python']}, numpy {machine['numpy']}, {machine['date']}"
    )
    r = results
    print(
        f"\n{r['calls']:,} answered calls, {r['agents']:,} agents, {r['queues']} queues, "
        f"{DAYS} days (synthetic data {r['synthetic_data_s']:.1f} s, not counted)"
    )
    print(f"  Calls batch checked:         {r['build_calls_s']:.3f} s")
    print(f"  {r['weeks']} weeks sampled:             {r['sample_month_s']:.3f} s")
    verdict = "met" if r["met_goal"] else "MISSED"
    print(
        f"  month, batch + weeks:        {r['sample_month_with_build_s']:.3f} s "
        f"(goal < {r['goal_s']:.0f} s: {verdict})"
    )
    print(f"  samples: {r['month_samples']:,}; by reason {r['month_reasons']}")
    print(
        f"  quota only (no mandatory calls, every pick spread by the greedy): "
        f"{r['quota_only_month_s']:.3f} s, {r['quota_only_samples']:,} samples"
    )
    print(f"\none day's queue ({r['day']}, the last day of a week)")
    print(f"  sample_day:                  {r['sample_day_s']:.3f} s, {r['day_samples']:,} calls")
    print(
        f"  assign to {r['inspectors']} inspectors at {r['cap']}/day: {r['assign_s']:.3f} s, "
        f"{r['assigned']:,} dealt, {r['over_capacity']:,} over capacity "
        f"({r['over_capacity_mandatory']:,} mandatory)"
    )


if __name__ == "__main__":
    main()
