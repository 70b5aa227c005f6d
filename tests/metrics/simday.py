"""One simulated weekday of the example 95598 hotline, run once per test process: its
events, the simulator's own summary, and when the run ended."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from hotline.core.events import Event
from hotline.sim.run import Simulation, load_scenario

WEEKDAY = Path(__file__).resolve().parents[2] / "examples" / "95598" / "scenarios" / "weekday.yaml"


@dataclass(frozen=True)
class SimDay:
    events: tuple[Event, ...]
    summary: dict[str, object]
    end: float


@functools.cache
def weekday() -> SimDay:
    scenario, hotline = load_scenario(WEEKDAY)
    sim = Simulation(scenario, hotline)
    events: list[Event] = []
    sim.subscribe(events.append)
    result = sim.run()
    return SimDay(tuple(events), result.summary, sim.clock.now())
