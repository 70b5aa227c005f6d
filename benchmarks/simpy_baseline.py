"""The SimPy speed baseline: an M/M/N+M call-center day as a queueing analyst writes it.

Hotline's own simulator must run the same day at least 3× faster. This model is
kept minimal and fair: Poisson arrivals at a constant rate over the horizon,
one `simpy.Resource` for the agents, each caller racing its request against an
exponential patience timeout, exponential talk times, counters only — no
tracing and no per-event records. Calls still waiting or talking at the
horizon are finished, so the run ends when the last call does.

    python benchmarks/simpy_baseline.py --calls 1600000 --agents 1800 --aht 80 --patience 120
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Generator
from dataclasses import asdict, dataclass
from typing import Any

import simpy

SERVICE_LEVEL_TARGET = 20.0  # seconds, for answered_within_20s


@dataclass(slots=True)
class _Tally:
    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    answered_within_20s: int = 0
    total_wait_answered: float = 0.0


def run_simpy_day(
    *,
    calls: int,
    agents: int,
    aht: float,
    patience: float,
    seed: int,
    horizon: float = 86400.0,
) -> dict[str, float]:
    """Simulate one M/M/N+M day in SimPy and count what happened to the calls.

    Args:
        calls: expected number of calls; arrivals are Poisson at calls/horizon.
        agents: number of identical agents (the resource's capacity).
        aht: mean talk time in seconds (exponential).
        patience: mean patience in seconds (exponential); a caller not answered
            by then hangs up.
        seed: seed of the one random stream, so a run is reproducible.
        horizon: length of the arrival period in seconds.

    Returns:
        offered, answered, abandoned, answered_within_20s, total_wait_answered
        (seconds) and elapsed_s, the wall time of the whole run.
    """
    started = time.perf_counter()
    rng = random.Random(seed)
    env = simpy.Environment()
    desk = simpy.Resource(env, capacity=agents)
    tally = _Tally()
    arrival_rate = calls / horizon
    talk_rate = 1.0 / aht
    patience_rate = 1.0 / patience

    def caller() -> Generator[simpy.Event, Any, None]:
        arrived = env.now
        with desk.request() as request:
            outcome = yield request | env.timeout(rng.expovariate(patience_rate))
            if request not in outcome:
                tally.abandoned += 1
                return
            wait = env.now - arrived
            tally.answered += 1
            tally.total_wait_answered += wait
            if wait <= SERVICE_LEVEL_TARGET:
                tally.answered_within_20s += 1
            yield env.timeout(rng.expovariate(talk_rate))

    def arrivals() -> Generator[simpy.Event, Any, None]:
        while True:
            yield env.timeout(rng.expovariate(arrival_rate))
            if env.now >= horizon:
                return
            tally.offered += 1
            env.process(caller())

    env.process(arrivals())
    env.run()
    result: dict[str, float] = asdict(tally)
    result["elapsed_s"] = time.perf_counter() - started
    return result


def main(argv: list[str] | None = None) -> None:
    """Parse the command line, run one day and print its counts as JSON."""
    parser = argparse.ArgumentParser(description="Run the SimPy M/M/N+M baseline day.")
    parser.add_argument("--calls", type=int, default=1_600_000)
    parser.add_argument("--agents", type=int, default=1800)
    parser.add_argument("--aht", type=float, default=80.0, help="mean talk time, seconds")
    parser.add_argument("--patience", type=float, default=120.0, help="mean patience, seconds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--horizon", type=float, default=86400.0, help="seconds of arrivals")
    args = parser.parse_args(argv)
    result = run_simpy_day(
        calls=args.calls,
        agents=args.agents,
        aht=args.aht,
        patience=args.patience,
        seed=args.seed,
        horizon=args.horizon,
    )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
