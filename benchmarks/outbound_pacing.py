"""Benchmark: outbound pacing (外呼节奏) side by side on the digital twin.

The same list, the same simulated customers (one seed) and the same agents, dialled three
ways in one run: progressive (one call per free agent), a VICIdial-style adaptive dial
level (raised while agents wait, lowered while customers wait, over the last minute; cut to
1.0 once the day's drop rate passes 3 %) and Hotline's predictive pacing (expected drops
within the cap from the measured answer rate, ring and handle times, and the hard cap per
half hour, `hotline.outbound.pacing.DropGuard`). Reported for each:

- occupancy: talk share of the agents' logged-in time (to the list's end, or the run's);
- connects per agent hour (customers who talked with an agent);
- drop rate (abandoned-by-dialer calls / answered calls) over the run and per half hour,
  with the number of half hours over the 3 % cap;
- when the list was finished.

Scenarios:

- ``seed`` — the seed's outbound center (SPEC §9): 48 agents, a 4,800-record list, 4-minute
  calls (exponential), 60 % answer, 10 % busy, 20 s wrap-up, calling 09:00–21:00 from a
  Wednesday 09:00: does the day finish its list as the seed's center does?
- ``reminders`` — 催费/通知 calls: 48 agents, 90-second calls, 30 % answer, three hours
  (09:00–12:00) on a list longer than the morning.

    python benchmarks/outbound_pacing.py            # both scenarios, a table (a few minutes)
    python benchmarks/outbound_pacing.py --scenario seed --json
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hotline.calls.config import load_hotline
from hotline.calls.events import CallOutboundAnswered
from hotline.core.calendar import BusinessCalendar
from hotline.core.ids import AgentId
from hotline.core.windows import Window, parse_span
from hotline.outbound.campaign import CampaignSpec, Entry
from hotline.outbound.events import CampaignChanged
from hotline.outbound.twin import OUTBOUND, build_twin, customers, with_outbound_floor
from hotline.routing.events import ContactCompleted, ContactLeft

EXAMPLE = Path(__file__).resolve().parents[1] / "examples/95598/hotline.yaml"
SHANGHAI = ZoneInfo("Asia/Shanghai")
PACINGS = ("progressive", "adaptive", "predictive")
CAP = 0.03


@dataclass(frozen=True)
class Scenario:
    name: str
    agents: int
    records: int
    answer: float
    busy: float
    talk: float
    wrap_up: float
    start: str
    end: str


SCENARIOS = {
    "seed": Scenario(
        "seed", 48, 4_800, 0.6, 0.1, 240.0, 20.0, "2026-12-02 09:00", "2026-12-02 21:00"
    ),
    "reminders": Scenario(
        "reminders", 48, 20_000, 0.3, 0.05, 90.0, 15.0, "2026-12-02 09:00", "2026-12-02 12:00"
    ),
}


def at(text: str) -> float:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).timestamp()


def run(scenario: Scenario, pacing: str, seed: int) -> dict[str, Any]:
    hotline = with_outbound_floor(load_hotline(EXAMPLE), scenario.agents, wrap_up=scenario.wrap_up)
    day = Window("day", (parse_span("09:00-21:00"),), cutoff=datetime.time(22))
    calendar = BusinessCalendar(SHANGHAI, windows=[day])
    called = customers(
        random.Random(seed), answer=scenario.answer, busy=scenario.busy, talk=scenario.talk
    )
    start, end = at(scenario.start), at(scenario.end)
    twin = build_twin(hotline, start=start, customers=called, calendar=calendar)
    twin.log_in(AgentId(str(7001 + i)) for i in range(scenario.agents))
    spec = CampaignSpec(
        "bench",
        scenario.name,
        queue=OUTBOUND,
        pacing=pacing,
        windows={"resident": "day"},  # type: ignore[arg-type]
    )
    twin.dialer.add(spec, [Entry(f"e{i}", f"139{i:08d}") for i in range(scenario.records)])
    twin.dialer.start("bench", by="bench")
    began = time.perf_counter()
    finished: float | None = None
    while twin.clock.now() < end:
        twin.run_until(min(end, twin.clock.now() + 600.0))
        done = [e for e in twin.events.of(CampaignChanged) if e.campaign_state == "finished"]
        if done:
            finished = done[0].at
            break
    wall = time.perf_counter() - began
    stop = finished if finished is not None else end
    talk = sum(e.talk for e in twin.events.of(ContactCompleted))
    logged_in = scenario.agents * (stop - start)
    progress = twin.dialer.progress("bench")
    answered: Counter[int] = Counter()
    dropped: Counter[int] = Counter()
    offset = 8 * 3600.0
    for e in twin.events.of(CallOutboundAnswered):
        answered[int((e.at + offset) // 1800)] += 1
    for e in twin.events.of(ContactLeft):
        if e.reason == "dropped":
            dropped[int((e.at + offset) // 1800)] += 1
    windows = sorted(answered.keys() | dropped.keys())
    rates = [dropped[w] / answered[w] if answered[w] else 0.0 for w in windows]
    return {
        "pacing": pacing,
        "occupancy": talk / logged_in,
        "connects_per_agent_hour": progress.reached / (logged_in / 3600.0),
        "calls": progress.calls,
        "answered": progress.answered,
        "reached": progress.reached,
        "dropped": progress.dropped,
        "drop_rate": progress.dropped / progress.answered if progress.answered else 0.0,
        "worst_half_hour": max(rates, default=0.0),
        "half_hours_over_cap": sum(r > CAP for r in rates),
        "half_hours": len(windows),
        "finished": (
            datetime.datetime.fromtimestamp(finished, SHANGHAI).strftime("%H:%M")
            if finished is not None
            else None
        ),
        "closed": progress.closed,
        "records": scenario.records,
        "wall_s": wall,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", choices=[*SCENARIOS, "all"], default="all")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    names = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    results: dict[str, list[dict[str, Any]]] = {}
    for name in names:
        results[name] = [run(SCENARIOS[name], pacing, args.seed) for pacing in PACINGS]
    machine = {
        "machine": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "date": datetime.date.today().isoformat(),
        "load": os.getloadavg()[0],
    }
    if args.json:
        print(json.dumps({"machine": machine, "results": results}, indent=2))
        return
    print(f"{machine}")
    for name, rows in results.items():
        print(f"\n{name}: {SCENARIOS[name]}")
        print(
            f"{'pacing':<12} {'occupancy':>9} {'conn/agent-h':>12} {'reached':>8} {'calls':>7}"
            f" {'drop %':>7} {'worst ½h %':>10} {'½h > 3 %':>9} {'finished':>8} {'wall s':>7}"
        )
        for r in rows:
            print(
                f"{r['pacing']:<12} {r['occupancy']:>9.1%} {r['connects_per_agent_hour']:>12.2f}"
                f" {r['reached']:>8} {r['calls']:>7} {r['drop_rate']:>7.2%}"
                f" {r['worst_half_hour']:>10.2%} {r['half_hours_over_cap']:>5}/{r['half_hours']:<3}"
                f" {r['finished'] or '—':>8} {r['wall_s']:>7.1f}"
            )


if __name__ == "__main__":
    main()
