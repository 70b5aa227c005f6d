"""Benchmark: the busiest day in the seeds, simulated by Hotline and by a minimal SimPy model.

1.6 million contacts in 24 hours with 1,800 agents online (seed 000, 篇4):
Poisson arrivals, exponential talk time (mean 80 s), exponential patience
(mean 120 s), one queue. Hotline runs its production engine (IVR, ACD,
call controller, every event folded into the summary) on the virtual clock;
the baseline is the same M/M/N+M day in SimPy, run in the same process right
after, so the ratio is robust to a noisy machine.

    python benchmarks/busiest_day.py            # the full day (about two minutes)
    python benchmarks/busiest_day.py --scale 0.1 --json
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from hotline.sim.run import Simulation, load_scenario  # noqa: E402
from simpy_baseline import run_simpy_day  # noqa: E402

CALLS, AGENTS, AHT, PATIENCE = 1_600_000, 1_800, 80.0, 120.0


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def run_hotline(scale: float, seed: int) -> dict[str, float]:
    scenario_file = HERE / "busiest_day" / "scenario.yaml"
    scenario, hotline = load_scenario(scenario_file)
    changes = {
        "seed": seed,
        "arrivals": scenario.arrivals.model_copy(update={"per_day": CALLS * scale}),
        "roster": [scenario.roster[0].model_copy(update={"count": round(AGENTS * scale)})],
    }
    sim = Simulation(scenario.model_copy(update=changes), hotline)
    result = sim.run()
    s = result.summary
    return {
        "offered": float(s["contacts"]),
        "answered": float(s["answered"]),
        "abandoned": float(s["abandoned"]),
        "events": float(result.events),
        "elapsed_s": result.wall_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="fraction of the day's calls and agents"
    )
    parser.add_argument("--seed", type=int, default=1111)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    ours = run_hotline(args.scale, args.seed)
    base = run_simpy_day(
        calls=round(CALLS * args.scale),
        agents=round(AGENTS * args.scale),
        aht=AHT,
        patience=PATIENCE,
        seed=args.seed,
    )
    report = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "contacts": ours["offered"],
        "agents": round(AGENTS * args.scale),
        "hotline_s": round(ours["elapsed_s"], 2),
        "hotline_events": int(ours["events"]),
        "hotline_abandon_share": round(ours["abandoned"] / ours["offered"], 4),
        "simpy_s": round(base["elapsed_s"], 2),
        "simpy_abandon_share": round(base["abandoned"] / base["offered"], 4),
        "speedup_vs_simpy": round(base["elapsed_s"] / ours["elapsed_s"], 2),
        "target": "under 120 s for the full day, and 3x the SimPy model",
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return
    r = report
    print(f"busiest day x{args.scale:g}: {r['contacts']:,.0f} contacts, {r['agents']:,} agents")
    print(f"machine: {r['machine']}   date: {r['date']}")
    print(
        f"Hotline engine : {r['hotline_s']:8.2f} s  ({r['hotline_events']:,} events, "
        f"abandoned {r['hotline_abandon_share']:.2%})"
    )
    print(f"SimPy M/M/N+M  : {r['simpy_s']:8.2f} s  (abandoned {r['simpy_abandon_share']:.2%})")
    print(f"speed-up vs SimPy: {r['speedup_vs_simpy']:.2f}x   (target 3x; full day < 120 s)")


if __name__ == "__main__":
    main()
