"""Child process of the crash test: a simulated day written to a database until killed.

    python -m tests.store.crash_child sqlite:///PATH

After every commit it prints ``committed N`` (N events acknowledged so far);
the test reads those lines and SIGKILLs this process mid-day.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from hotline.sim.run import Simulation, load_scenario

WEEKDAY = Path(__file__).parents[2] / "examples" / "95598" / "scenarios" / "weekday.yaml"
STEP = 300.0  # simulated seconds per step
PAUSE = 0.004  # wall seconds between steps: the writer stays busy, the day lasts ~2 s


def simulated_day() -> Simulation:
    return Simulation(*load_scenario(WEEKDAY))


def run_day(sim: Simulation, pause: float = PAUSE, stop: Callable[[], bool] | None = None) -> None:
    """Run the day step by step (same events as `sim.run()`: the clock is virtual)."""
    t = max(sim.start, sim.clock.now())
    while t < sim.population.ends_at and not (stop and stop()):
        t += STEP
        sim.clock.run(until=t)
        if pause:
            time.sleep(pause)


def main(url: str) -> None:
    from hotline.store.db import CallLedger, Database, EventLog

    db = Database.open(url)

    def acknowledged(_first: int, _events: object) -> None:
        print(f"committed {writer.committed}", flush=True)

    writer = EventLog(db).writer(batch=500, interval=0.02, on_commit=acknowledged)
    CallLedger(writer)
    sim = simulated_day()
    sim.subscribe(writer)
    run_day(sim)
    writer.close()
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
