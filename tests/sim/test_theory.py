"""The simulator against queueing theory: Erlang C (M/M/N) and Erlang A (M/M/N+M).

Poisson arrivals, exponential talk time, one queue, N agents who answer at
once and need no wrap-up: the simulated service level, ASA and abandon rate
must agree with the formulas within three standard errors of repeated runs
(seeded: the same runs every time).
The first half hour of each run is a warm-up and is not counted.
"""

from __future__ import annotations

import math
import statistics
from typing import Any

import pytest

from hotline.core.events import Event
from hotline.routing.events import ContactAbandoned, ContactAnswered, ContactQueued
from hotline.sim.run import Simulation
from hotline.wfm.erlang import average_speed_of_answer, erlang_a, service_level

from .builders import hotline, scenario

AHT = 180.0
TARGET = 20.0
WARMUP = 1800.0

LINE = {
    "name": "M/M/N",
    "numbers": {"100": "main"},
    "skills": {"any": {}},
    "queues": {"any": {"skill": "any", "wrap_up": 0, "ring_timeout": 12}},
}


class Measure:
    """Waits of the calls that entered the queue in the measured window."""

    def __init__(self, start: float, end: float) -> None:
        self.start, self.end = start, end
        self.queued: set[str] = set()
        self.waits: list[float] = []
        self.abandoned = 0

    def __call__(self, e: Event) -> None:
        if isinstance(e, ContactQueued):
            if self.start <= e.at < self.end:
                self.queued.add(e.call)
        elif isinstance(e, ContactAnswered):
            if e.call in self.queued:
                self.waits.append(e.waited)
        elif isinstance(e, ContactAbandoned) and e.call in self.queued:
            self.abandoned += 1


def replicate(
    agents: int, load: float, hours: float, runs: int, patience: dict[str, Any]
) -> list[Measure]:
    measures = []
    for seed in range(runs):
        plan = {
            "seed": 1000 + seed,
            "hours": hours,
            "arrivals": {"rate": load / AHT},
            "tiers": {"high": 0, "middle": 0, "ordinary": 1},
            "intents": [
                {
                    "name": "any",
                    "share": 1,
                    "digits": ["1"],
                    "talk": {"dist": "exponential", "mean": AHT},
                    "caller_hangs_up": 0,
                }
            ],
            "patience": patience,
            "survey": {"answer": 0},
            "agents": {"answer_after": {"dist": "fixed", "value": 0}},
            "roster": [{"team": "all", "count": agents, "skills": {"any": 5}}],
        }
        sim = Simulation(scenario(plan), hotline(LINE, survey=False))
        measure = Measure(sim.start + WARMUP, sim.start + hours * 3600)
        sim.subscribe(measure)
        sim.run()
        measures.append(measure)
    return measures


def assert_agrees(samples: list[float], theory: float, slack: float, what: str) -> None:
    mean = statistics.fmean(samples)
    se = statistics.stdev(samples) / math.sqrt(len(samples))
    assert abs(mean - theory) <= 3 * se + slack, (
        f"{what}: simulated {mean:.4f} ± {se:.4f}, theory {theory:.4f}"
    )


@pytest.mark.parametrize(
    ("agents", "load", "hours", "runs"),
    [(10, 8.0, 8.0, 8), (50, 46.0, 4.0, 6), (200, 190.0, 2.0, 10), (1000, 975.0, 1.5, 4)],
)
def test_infinite_patience_agrees_with_erlang_c(agents, load, hours, runs):
    measures = replicate(agents, load, hours, runs, {"dist": "never"})
    levels = [sum(w <= TARGET for w in m.waits) / len(m.waits) for m in measures]
    asas = [statistics.fmean(m.waits) for m in measures]
    assert_agrees(levels, service_level(agents, load, AHT, TARGET), 0.01, "service level")
    theory_asa = average_speed_of_answer(agents, load, AHT)
    assert_agrees(asas, theory_asa, 0.05 * theory_asa + 0.2, "ASA")


@pytest.mark.parametrize(
    ("agents", "load", "patience", "hours", "runs"),
    [(10, 10.0, 120.0, 8.0, 8), (100, 105.0, 180.0, 3.0, 5), (500, 520.0, 300.0, 1.5, 4)],
)
def test_exponential_patience_agrees_with_erlang_a(agents, load, patience, hours, runs):
    measures = replicate(agents, load, hours, runs, {"dist": "exponential", "mean": patience})
    theory = erlang_a(agents, load / AHT, AHT, patience, TARGET)
    abandon = [m.abandoned / len(m.queued) for m in measures]
    within = [sum(w <= TARGET for w in m.waits) / len(m.queued) for m in measures]
    assert_agrees(abandon, theory.p_abandon, 0.01, "abandon rate")
    assert_agrees(within, theory.service_level, 0.01, "answered within 20 s of all arrivals")
