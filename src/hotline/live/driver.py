"""Drive the engine's virtual clock from wall time, at a chosen speed.

The live runtime runs the same `VirtualClock` the simulator does, advanced by
this driver on the asyncio loop: at speed 1 it is a live clock, at speed 60 a
demo day passes in 24 minutes, at speed 0 time stands still (tests move it with
`advance`). Commands from people (an agent answering at the desk) call
`catch_up` first, so they are stamped with the engine time of the moment they
happen, not of the last timer.

A driver may be built before the loop runs (the SIP switch is given its
`catch_up` when it is built); it follows wall time from `start` on, and
`catch_up` does nothing before that.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from hotline.core.clock import VirtualClock

log = logging.getLogger(__name__)

MAX_SLEEP = 0.25
"""Longest wall-time sleep between checks, so a speed change or a stop is seen quickly."""


class LiveDriver:
    """Advances a `VirtualClock` so that engine time = anchor + speed × wall time elapsed."""

    def __init__(self, clock: VirtualClock, speed: float) -> None:
        if speed < 0:
            raise ValueError(f"speed must be 0 or more, not {speed!r}")
        self.clock = clock
        self._loop: asyncio.AbstractEventLoop | None = None
        self._speed = speed
        self._wall0 = 0.0
        self._engine0 = clock.now()
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def started(self) -> bool:
        """Whether the driver follows wall time (between `start` and `stop`)."""
        return self._task is not None

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The loop the driver runs on; raises `RuntimeError` before `start`."""
        if self._loop is None:
            raise RuntimeError("the clock driver has not been started")
        return self._loop

    def engine_time(self) -> float:
        """The engine time that corresponds to now on the wall clock (the clock's own
        time before `start`)."""
        if self._loop is None:
            return self.clock.now()
        return self._engine0 + (self._loop.time() - self._wall0) * self._speed

    def catch_up(self) -> None:
        """Run every timer due up to the engine time of this moment.

        A timer may stop the run (`VirtualClock.stop`: a person's call starts and the
        speed is about to drop): engine time then stays where the run stopped, and the
        next speed is anchored there. Before `start` it does nothing.
        """
        if self._task is None:
            return
        target = self.engine_time()
        clock = self.clock
        clock.run(until=max(target, clock.now()))
        if clock.stopped:
            self._anchor()

    def set_speed(self, speed: float) -> None:
        """Change the speed from now on (re-anchored: engine time never jumps)."""
        if speed < 0:
            raise ValueError(f"speed must be 0 or more, not {speed!r}")
        if speed == self._speed:
            return
        if not self.clock.stopped:
            self.catch_up()
        self._anchor()
        self._speed = speed
        self._wakeup()

    def advance(self, seconds: float) -> None:
        """Move engine time forward by `seconds` now, running what falls due."""
        self.catch_up()
        self.clock.run(until=self.clock.now() + seconds)
        self._anchor()
        self._wakeup()

    def _wakeup(self) -> None:
        if self._wake is not None:
            self._wake.set()

    def _anchor(self) -> None:
        if self._loop is not None:
            self._wall0 = self._loop.time()
        self._engine0 = self.clock.now()

    def start(self) -> None:
        """Follow wall time from now on, on the running loop (engine time goes on from the
        clock's present)."""
        if self._task is None:
            self._loop = asyncio.get_running_loop()
            self._wake = asyncio.Event()
            self._anchor()
            self._task = self._loop.create_task(self._run(), name="hotline-clock")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        assert self._wake is not None
        while True:
            try:
                self.catch_up()
            except Exception:  # one failing timer must not stop the hotline's clock
                log.exception("a timer of the engine failed; the clock goes on")
            sleep = MAX_SLEEP
            due = self.clock.peek()
            if due is not None and self._speed > 0:
                sleep = min(sleep, max(0.0, (due - self.engine_time()) / self._speed))
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=sleep)
