"""Benchmark: schedule adherence (遵守率) and attendance for a month of synthetic agents.

Each agent works 5 days of 7 on one of three shifts (08:00, 12:00, 22:00; 8.5 h with a
30-minute meal and 30 minutes of breaks) in Asia/Shanghai; about 3 % of agent-shifts
are absent. A worked day is ~60 state changes: a log-in a few minutes either side of
the start, calls (ringing, talking, wrap-up, ready), two breaks, the meal, a log-out.
Timed separately: folding the log into timelines, adherence per shift and interval,
attendance, and the wallboard's `live` at one moment.

    python benchmarks/adherence.py                       # 2,000 agents, 30 days
    python benchmarks/adherence.py --agents 200 --days 7 --json
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import time
import zoneinfo

from hotline.core.ids import AgentId
from hotline.routing.events import AgentStateChanged
from hotline.routing.model import AgentState
from hotline.wfm.adherence import PlannedShift, adherence, attendance, live, timelines

S = AgentState
ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
FIRST = datetime.date(2026, 6, 1)  # a Monday
STARTS = (8 * 3600, 12 * 3600, 22 * 3600)  # shift starts, seconds after local midnight
LENGTH, MEAL_AT, MEAL, BREAKS = 8.5 * 3600, 4 * 3600, 1800, 1800


def agent_day(
    rng: random.Random, agent: AgentId, start: float, out: list[AgentStateChanged]
) -> None:
    """About 60 changes for one worked shift starting at `start`."""
    end, meal, fed = start + LENGTH, start + MEAL_AT, False
    t = start + rng.gauss(-120, 180)
    state = S.LOGGED_OUT

    def go(to: S, reason: str = "") -> None:
        nonlocal state
        out.append(AgentStateChanged(t, agent, to, state, reason))
        state = to

    go(S.READY)
    breaks = [start + rng.uniform(3600, 3 * 3600), start + rng.uniform(5 * 3600, 7 * 3600)]
    while t < end - 600:
        if breaks and t >= breaks[0]:
            breaks.pop(0)
            go(S.NOT_READY, "break")
            t += rng.uniform(600, 1200)
            go(S.READY)
        elif not fed and t >= meal - 300:
            fed = True
            t = max(t, start + MEAL_AT) + rng.gauss(0, 120)
            go(S.NOT_READY, "meal")
            t += 1800 + rng.gauss(60, 120)
            go(S.READY)
        t += rng.expovariate(1 / 1100)
        go(S.RINGING)
        t += rng.uniform(3, 15)
        go(S.TALKING)
        t += rng.expovariate(1 / 300)
        go(S.WRAP_UP)
        t += rng.uniform(10, 60)
        go(S.READY)
    t = max(t, end + rng.gauss(-60, 180))
    go(S.LOGGED_OUT)


def month(agents: int, days: int, seed: int) -> tuple[list[PlannedShift], list[AgentStateChanged]]:
    rng = random.Random(seed)
    planned: list[PlannedShift] = []
    events: list[AgentStateChanged] = []
    midnights = [
        datetime.datetime.combine(FIRST + datetime.timedelta(days=d), datetime.time(), ZONE)
        for d in range(days)
    ]
    for a in range(agents):
        agent = AgentId(f"{1000 + a}")
        offset, shift = a % 7, STARTS[a % 3]
        for d, midnight in enumerate(midnights):
            if (d + offset) % 7 >= 5:
                continue  # rest days
            start = midnight.timestamp() + shift
            meal = (start + MEAL_AT, start + MEAL_AT + MEAL)
            planned.append(PlannedShift(agent, start, start + LENGTH, meal, BREAKS, "s"))
            if rng.random() >= 0.03:
                agent_day(rng, agent, start, events)
    events.sort(key=lambda e: e.at)  # the log's order
    return planned, events


def run(agents: int, days: int, seed: int) -> dict[str, object]:
    planned, events = month(agents, days, seed)
    t0 = time.perf_counter()
    lines = timelines(events)
    t1 = time.perf_counter()
    report = adherence(planned, lines)
    t2 = time.perf_counter()
    present = attendance(report.shifts)
    now = datetime.datetime.combine(
        FIRST + datetime.timedelta(days=days // 2), datetime.time(14), ZONE
    )
    t3 = time.perf_counter()
    out = live(now.timestamp(), planned, lines)
    t4 = time.perf_counter()
    return {
        "agents": agents,
        "days": days,
        "events": len(events),
        "shifts": len(planned),
        "intervals": len(report.intervals),
        "adherence": round(report.adherence or 0.0, 4),
        "attendance": round(present.rate or 0.0, 4),
        "late_logins": sum(1 for s in report.shifts if s.late_login),
        "out_now": len(out),
        "timelines_s": round(t1 - t0, 2),
        "adherence_s": round(t2 - t1, 2),
        "live_s": round(t4 - t3, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agents", type=int, default=2000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    row = run(args.agents, args.days, args.seed)
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "load": os.getloadavg()[0],
        **row,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return
    print(f"{report['machine']}; load {report['load']:.2f}")
    print(
        f"{row['agents']} agents x {row['days']} days: {row['events']:,} state changes, "
        f"{row['shifts']:,} shifts, {row['intervals']:,} agent-intervals; adherence "
        f"{row['adherence']:.2%}, attendance {row['attendance']:.2%}, {row['out_now']} out now"
    )
    print(
        f"timelines {row['timelines_s']} s, adherence {row['adherence_s']} s, "
        f"live {row['live_s']} s"
    )


if __name__ == "__main__":
    main()
