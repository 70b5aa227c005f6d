"""The two clocks: virtual time jumps from timer to timer; live time follows the asyncio loop."""

from __future__ import annotations

import asyncio
import time

import pytest

from hotline.core.clock import ClockError, LiveClock, VirtualClock
from hotline.core.errors import HotlineError


def test_virtual_clock_runs_timers_in_time_then_schedule_order():
    clock = VirtualClock(start=100.0)
    seen: list[tuple[float, str]] = []
    clock.call_later(5, lambda: seen.append((clock.now(), "b")))
    clock.call_later(1, lambda: seen.append((clock.now(), "a")))
    clock.call_later(5, lambda: seen.append((clock.now(), "c")))
    cancelled = clock.call_later(3, lambda: seen.append((clock.now(), "never")))
    clock.cancel(cancelled)
    clock.cancel(cancelled)  # twice is harmless
    clock.run()
    assert seen == [(101.0, "a"), (105.0, "b"), (105.0, "c")]


def test_virtual_clock_run_until_stops_exactly_there():
    clock = VirtualClock(start=0.0)
    fired: list[float] = []
    clock.call_at(10, lambda: fired.append(clock.now()))
    clock.call_at(30, lambda: fired.append(clock.now()))
    clock.run(until=20)
    assert fired == [10]
    assert clock.now() == 20
    assert clock.peek() == 30
    with pytest.raises(ClockError):
        clock.run(until=5)
    with pytest.raises(ClockError):
        clock.call_later(-1, lambda: None)


def test_a_clock_error_is_a_hotline_error_and_still_a_runtime_error():
    with pytest.raises(ClockError) as error:
        VirtualClock().call_later(-1, lambda: None)
    assert isinstance(error.value, HotlineError)
    assert isinstance(error.value, RuntimeError)  # what handlers of RuntimeError caught before
    assert error.value.error_id == "clock-error"


def test_virtual_clock_stops_loudly_when_a_callback_fails():
    clock = VirtualClock()

    def broken() -> None:
        raise ValueError("boom")

    clock.call_later(1, broken)
    with pytest.raises(ValueError, match="boom"):
        clock.run()


def test_live_clock_fires_on_wall_time_and_cancels():
    async def scenario() -> tuple[list[str], float, float]:
        clock = LiveClock()
        fired: list[str] = []
        start = clock.now()
        clock.call_later(0.05, fired.append, "later")
        gone = clock.call_later(0.02, fired.append, "cancelled")
        clock.cancel(gone)
        clock.call_at(start + 0.01, fired.append, "at")
        await asyncio.sleep(0.15)
        return fired, start, clock.now()

    fired, start, end = asyncio.run(scenario())
    assert fired == ["at", "later"]
    assert abs(start - time.time()) < 5  # anchored to the wall clock
    assert end - start >= 0.15


def test_a_timer_can_stop_the_run_at_its_own_time() -> None:
    clock = VirtualClock(0.0)
    ran: list[float] = []
    clock.call_at(1.0, lambda: ran.append(clock.now()))
    clock.call_at(2.0, lambda: (ran.append(clock.now()), clock.stop()))
    clock.call_at(3.0, lambda: ran.append(clock.now()))
    clock.run(until=10.0)
    assert ran == [1.0, 2.0]
    assert clock.now() == 2.0  # not 10: the run ended where it was stopped
    assert clock.stopped
    clock.run(until=10.0)
    assert ran == [1.0, 2.0, 3.0]
    assert clock.now() == 10.0
    assert not clock.stopped
