"""Benchmark: Erlang A by its closed form, and a week's agents needed per half hour.

1. Time per `erlang_a` evaluation at N = 10, 100, 1,000 and 20,000 agents, the worst
   over patience 10 s … 3,600 s and load 0.8 N … 1.3 N (aht 300 s, target 20 s), for
   the closed form and for the previous walk of the birth–death chain (kept as the
   reference in tests/wfm/test_erlang.py), with their largest relative difference.
2. Staffing a synthetic week: 336 half hours × 20 queues (two VIP queues at 90 %/20 s,
   the rest 85 %/20 s), a two-peak intraday curve, lighter weekends, handle times
   240–420 s, patience 60–300 s: Erlang C and Erlang A per interval, total seconds.
3. The same inputs through pyworkforce's ErlangC (`pip install pyworkforce`), agents and
   time side by side. pyworkforce has no Erlang A.

    python benchmarks/erlang_staffing.py           # a table, under a minute
    python benchmarks/erlang_staffing.py --json
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hotline.wfm.erlang import ErlangAResult, erlang_a
from hotline.wfm.forecast import IntervalForecast
from hotline.wfm.staffing import Shrinkage, Target, agents_erlang_c, requirement

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.wfm.test_erlang import erlang_a_by_states

SIZES = (10, 100, 1_000, 20_000)
PATIENCES = (10.0, 30.0, 60.0, 300.0, 1_800.0, 3_600.0)
LOADS = (0.8, 0.9, 1.0, 1.1, 1.2, 1.3)
AHT = 300.0
FIELDS = ("p_wait", "p_abandon", "p_answered", "asa", "service_level", "mean_queue")
QUEUES = 20
VIP_QUEUES = 2
SLOTS = 336
MAX_OCCUPANCY = 0.88
SHRINKAGE = Shrinkage(breaks=0.0625, training=0.03, meetings=0.02, absence=0.05)


def _best_of(run: Callable[[], object], repeats: int) -> float:
    best = math.inf
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def _relative(a: float, b: float) -> float:
    if a == b:
        return 0.0
    return abs(a - b) / max(abs(a), abs(b), 1e-300)


def evaluation_times() -> list[dict[str, Any]]:
    """Worst time per evaluation over the patience × load grid, per N."""
    rows = []
    for servers in SIZES:
        worst_new = worst_old = worst_diff = 0.0
        for patience in PATIENCES:
            for utilisation in LOADS:
                args = (servers, servers * utilisation / AHT, AHT, patience, 20.0)
                new = erlang_a(*args)
                old: ErlangAResult = erlang_a_by_states(*args)
                worst_diff = max(
                    worst_diff, *(_relative(getattr(new, f), getattr(old, f)) for f in FIELDS)
                )
                worst_new = max(worst_new, _best_of(lambda a=args: erlang_a(*a), 7))
                worst_old = max(worst_old, _best_of(lambda a=args: erlang_a_by_states(*a), 2))
        rows.append(
            {
                "servers": servers,
                "closed_form_ms": worst_new * 1e3,
                "state_walk_ms": worst_old * 1e3,
                "max_relative_difference": worst_diff,
            }
        )
    return rows


def synthetic_week(seed: int = 7) -> tuple[list[IntervalForecast], dict[str, float], set[str]]:
    """20 queues × 336 half hours from Monday 2026-06-01; patience per queue; VIP queues."""
    rng = random.Random(seed)
    monday = datetime.datetime(2026, 6, 1)
    day_factor = (1.1, 1.0, 1.0, 1.0, 0.95, 0.6, 0.5)
    intervals = []
    patience = {}
    for q in range(QUEUES):
        name = f"q{q:02d}"
        peak = rng.uniform(15.0, 400.0)  # calls in the busiest half hour
        talk = rng.uniform(200.0, 360.0)
        wrap = rng.uniform(40.0, 60.0)
        patience[name] = rng.uniform(60.0, 300.0)
        for slot in range(SLOTS):
            day, half_hour = divmod(slot, 48)
            hour = half_hour / 2
            curve = 0.04 + math.exp(-(((hour - 10.0) / 1.8) ** 2))
            curve += 0.8 * math.exp(-(((hour - 15.0) / 2.2) ** 2))
            curve *= 1.0 if 7 <= hour < 22 else 0.3
            intervals.append(
                IntervalForecast(
                    queue=name,
                    start=monday + datetime.timedelta(minutes=30 * slot),
                    offered=round(peak * day_factor[day] * curve, 1),
                    talk_seconds=talk * (1.0 + 0.05 * math.sin(hour / 3.8)),
                    wrap_up_seconds=wrap,
                )
            )
    return intervals, patience, {f"q{q:02d}" for q in range(VIP_QUEUES)}


def staffing_week() -> dict[str, Any]:
    intervals, patience, vip = synthetic_week()
    targets = {q: Target(0.90, 20.0) for q in vip}
    started = time.perf_counter()
    by_c = requirement(intervals, targets, SHRINKAGE, MAX_OCCUPANCY)
    c_seconds = time.perf_counter() - started
    started = time.perf_counter()
    by_a = requirement(intervals, targets, SHRINKAGE, MAX_OCCUPANCY, patience=patience)
    a_seconds = time.perf_counter() - started
    distinct = len({(i.offered, i.handle_seconds, i.queue) for i in intervals})
    return {
        "intervals": len(intervals),
        "distinct_inputs": distinct,
        "erlang_c_seconds": c_seconds,
        "erlang_c_and_a_seconds": a_seconds,
        "agent_half_hours_erlang_c": sum(n.erlang_c for n in by_a),
        "agent_half_hours_erlang_a": sum(n.erlang_a or 0 for n in by_a),
        "agent_half_hours_scheduled": sum(n.scheduled for n in by_a),
        "intervals_a_below_load": sum(
            1 for n in by_a if n.erlang_a is not None and n.erlang_a < n.offered * n.aht / 1800
        ),
        "erlang_c_only_matches": all(
            n.chosen == m.erlang_c for n, m in zip(by_c, by_a, strict=True)
        ),
    }


def pyworkforce_week() -> dict[str, Any]:
    try:
        from pyworkforce.queuing import ErlangC  # type: ignore[import-not-found]
    except ImportError:
        return {"installed": False, "note": "pip install pyworkforce"}
    intervals, _, vip = synthetic_week()
    busy = [i for i in intervals if i.offered > 0]

    def level(i: IntervalForecast) -> float:
        return 0.90 if i.queue in vip else 0.85

    started = time.perf_counter()
    theirs = [
        ErlangC(
            transactions=i.offered, aht=i.handle_seconds, asa=20.0, interval=1800, shrinkage=0.0
        ).required_positions(service_level=level(i), max_occupancy=MAX_OCCUPANCY)["raw_positions"]
        for i in busy
    ]
    their_seconds = time.perf_counter() - started
    started = time.perf_counter()
    ours = [
        agents_erlang_c(i.offered, i.handle_seconds, 1800.0, Target(level(i), 20.0), MAX_OCCUPANCY)
        for i in busy
    ]
    our_seconds = time.perf_counter() - started
    differ = sum(1 for a, b in zip(ours, theirs, strict=True) if a != b)
    return {
        "installed": True,
        "intervals": len(busy),
        "pyworkforce_seconds": their_seconds,
        "hotline_erlang_c_seconds": our_seconds,
        "agent_half_hours_pyworkforce": sum(theirs),
        "agent_half_hours_hotline": sum(ours),
        "intervals_that_differ": differ,
        "note": "pyworkforce has no Erlang A (abandonment); Erlang C only",
    }


def _machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            names = [
                line.split(":", 1)[1].strip() for line in info if line.startswith("model name")
            ]
        model = names[0] if names else model
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cpus"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print machine-readable results")
    args = parser.parse_args()
    results = {
        "machine": _machine(),
        "python": platform.python_version(),
        "evaluation": evaluation_times(),
        "week": staffing_week(),
        "pyworkforce": pyworkforce_week(),
    }
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"machine: {results['machine']}, Python {results['python']}")
    print("\nerlang_a, worst over patience 10–3,600 s × load 0.8–1.3 N (aht 300 s)")
    print(f"{'N':>7} {'closed form ms':>15} {'state walk ms':>14} {'max rel diff':>13}")
    for row in results["evaluation"]:
        print(
            f"{row['servers']:>7,} {row['closed_form_ms']:>15.3f} {row['state_walk_ms']:>14.3f}"
            f" {row['max_relative_difference']:>13.1e}"
        )
    week = results["week"]
    print(
        f"\nsynthetic week: {week['intervals']:,} intervals ({week['distinct_inputs']:,} distinct)"
    )
    print(f"  Erlang C only:        {week['erlang_c_seconds']:.3f} s")
    print(f"  Erlang C + Erlang A:  {week['erlang_c_and_a_seconds']:.3f} s")
    print(
        f"  agent half hours: Erlang C {week['agent_half_hours_erlang_c']:,}, "
        f"Erlang A {week['agent_half_hours_erlang_a']:,}, "
        f"scheduled (after shrinkage) {week['agent_half_hours_scheduled']:,}; "
        f"Erlang A below the load in {week['intervals_a_below_load']} intervals"
    )
    pw = results["pyworkforce"]
    if not pw["installed"]:
        print(f"\npyworkforce: not installed ({pw['note']})")
        return
    print(f"\npyworkforce ErlangC on the same {pw['intervals']:,} busy intervals")
    print(
        f"  pyworkforce: {pw['pyworkforce_seconds']:.3f} s, {pw['agent_half_hours_pyworkforce']:,}"
    )
    print(
        f"  hotline:     {pw['hotline_erlang_c_seconds']:.3f} s, {pw['agent_half_hours_hotline']:,}"
        f" agent half hours; {pw['intervals_that_differ']} intervals differ"
    )
    print(f"  {pw['note']}")


if __name__ == "__main__":
    main()
