"""Benchmark: events written to the database while the engine runs the busiest day.

The busiest day of the seeds (1.6 million contacts, 1,800 agents; see
busiest_day.py) runs on the virtual clock, as fast as the machine allows,
first with no writer, then with the event writer (and the calls ledger)
subscribed to the bus, on SQLite (a temporary file) and on PostgreSQL (a
throw-away server on a loopback port, durable settings). It reports:

- sustained committed events/s: events / seconds from the start of the run
  until the last one is committed (target: >= 20,000/s into SQLite);
- routing with writer / without: the engine's wall time for the same
  simulated hours with the writer subscribed, over the time without it (the
  writer thread shares the interpreter, so this is what writing costs routing).

    python benchmarks/event_writing.py              # the whole day (several minutes)
    python benchmarks/event_writing.py --hours 2 --backends sqlite --json
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests.support.postgres starts the PostgreSQL server

from tests.support.postgres import postgres_server  # noqa: E402

from hotline.sim.run import Simulation, load_scenario  # noqa: E402
from hotline.store.db import CallLedger, Database, EventLog  # noqa: E402

SCENARIO = HERE / "busiest_day" / "scenario.yaml"
STEP = 900.0


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def run_engine(sim: Simulation, hours: float) -> float:
    """Run `hours` of the day on the virtual clock; returns the wall seconds it took."""
    began = time.perf_counter()
    end = min(sim.start + hours * 3600, sim.population.ends_at)
    t = sim.start
    while t < end:
        t = min(t + STEP, end)
        sim.clock.run(until=t)
    return time.perf_counter() - began


def engine_alone(hours: float, seed: int) -> tuple[float, int]:
    sim = Simulation(*load_scenario(SCENARIO), seed=seed)
    gc.collect()
    wall = run_engine(sim, hours)
    return wall, sim.bus.published


def with_writer(url: str, hours: float, seed: int, batch: int) -> dict[str, float]:
    sim = Simulation(*load_scenario(SCENARIO), seed=seed)
    db = Database.open(url)
    writer = EventLog(db).writer(batch=batch)
    CallLedger(writer)
    sim.subscribe(writer)
    gc.collect()
    began = time.perf_counter()
    routing = run_engine(sim, hours)
    during = writer.committed
    writer.close(timeout=None)
    total = time.perf_counter() - began
    events = EventLog(db).count()
    db.close()
    assert events == sim.bus.published, (events, sim.bus.published)
    return {
        "events": events,
        "routing_s": routing,
        "committed_during_routing": during,
        "until_committed_s": total,
        "events_per_s": events / total,
    }


@contextmanager
def database(backend: str) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="hotline-bench-") as directory:
            yield f"sqlite:///{directory}/hotline.db"
    else:
        with postgres_server(durable=True) as server:
            yield server.create_database("bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hours", type=float, default=24.0, help="simulated hours of the day")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1111)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = []
    for backend in args.backends.split(","):
        alone, published = engine_alone(args.hours, args.seed)
        with database(backend) as url:
            written = with_writer(url, args.hours, args.seed, args.batch)
        assert written["events"] == published
        results.append(
            {
                "backend": backend,
                "events": published,
                "routing_alone_s": round(alone, 2),
                "routing_with_writer_s": round(written["routing_s"], 2),
                "routing_ratio": round(written["routing_s"] / alone, 2),
                "until_committed_s": round(written["until_committed_s"], 2),
                "events_per_s": round(written["events_per_s"]),
                "committed_during_routing": int(written["committed_during_routing"]),
            }
        )
    report = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "hours": args.hours,
        "batch": args.batch,
        "results": results,
        "target": ">= 20,000 events/s into SQLite without slowing routing",
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return
    print(f"busiest day, {args.hours:g} simulated hours   machine: {report['machine']}")
    for r in results:
        print(
            f"{r['backend']:<10} {r['events']:>11,} events  committed {r['events_per_s']:>8,}/s  "
            f"(all in {r['until_committed_s']:.1f} s)  routing {r['routing_alone_s']:.1f} s alone, "
            f"{r['routing_with_writer_s']:.1f} s with writer ({r['routing_ratio']:.2f}x)"
        )


if __name__ == "__main__":
    main()
