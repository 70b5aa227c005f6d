"""Kill the process in the middle of a simulated day: every acknowledged event is in the log."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from hotline.calls.events import CallArrived
from hotline.core.events import EventRecorder
from hotline.routing.replay import replay
from hotline.store.db import Calls, Database, EventLog
from tests.store.crash_child import run_day, simulated_day

ROOT = Path(__file__).parents[2]
KILL_AFTER = 15_000  # acknowledged events (of about 62,000 in the day)


def test_sigkill_mid_day_loses_no_acknowledged_event_and_the_log_replays(tmp_path):
    url = f"sqlite:///{tmp_path / 'hotline.db'}"
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.store.crash_child", url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    acknowledged = 0
    assert child.stdout is not None
    try:
        for line in child.stdout:
            assert line != "done\n", (
                "the day ended before the kill: raise PAUSE or lower KILL_AFTER"
            )
            acknowledged = int(line.split()[1])
            if acknowledged >= KILL_AFTER:
                os.kill(child.pid, signal.SIGKILL)
                break
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    with Database.open(url) as db:
        log = EventLog(db)
        stored = log.read(limit=1_000_000)
        count = len(stored)
        assert count >= acknowledged
        assert [s.id for s in stored] == list(
            range(1, count + 1)
        )  # contiguous: no gap, no half batch

        # the log is exactly the first `count` events the same day publishes
        sim = simulated_day()
        recorder = EventRecorder(sim.bus)
        run_day(sim, pause=0, stop=lambda: len(recorder) >= count)
        assert [s.event for s in stored] == recorder.events[:count]

        replay(log.events(), strict=True)  # consistent: every agent leaves the state it was in

        # the calls table committed with the events: the same calls, no more, no fewer
        arrived = {e.call for e in recorder.events[:count] if isinstance(e, CallArrived)}
        assert {r.call for r in Calls(db).list(limit=100_000)} == arrived

    run_day(sim, pause=0, stop=lambda: len(recorder) >= count + 100)  # the day goes on
    with Database.open(url) as db:  # restart: writing goes on after the last id
        log = EventLog(db)
        with log.writer() as writer:
            for e in recorder.events[count : count + 100]:
                writer.append(e)
        assert [s.id for s in log.read(since_id=count - 1, limit=1000)] == list(
            range(count, count + 101)
        )
        assert list(log.events(since_id=count)) == recorder.events[count : count + 100]
