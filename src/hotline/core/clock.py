"""Time for the whole engine: one `Clock` protocol, a virtual and a live implementation.

Routing, IVR, outbound pacing and order timers never read wall time; they ask a
`Clock`. Live runs use `LiveClock` (the asyncio loop, wall time); simulations use
`VirtualClock`, which jumps from timer to timer. The two differ only in how time
advances, as SimPy's `Environment` and `RealtimeEnvironment` do.

Time is a float of seconds since the Unix epoch (UTC). Local time of day, for
business hours and holidays, is derived from it with the hotline's time zone.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Callable
from typing import Any, Protocol

from hotline.core.errors import HotlineError


class TimerHandle:
    """A scheduled callback; `Clock.cancel` makes it a no-op.

    Cancelling is lazy: the entry stays in the heap and is skipped when due,
    which keeps both scheduling and cancelling O(log n) / O(1).
    """

    __slots__ = ("_native", "args", "callback", "when")

    def __init__(self, when: float, callback: Callable[..., Any] | None, args: tuple[Any, ...]):
        self.when = when
        self.callback = callback
        self.args = args
        self._native: asyncio.TimerHandle | None = None

    @property
    def cancelled(self) -> bool:
        return self.callback is None

    def __repr__(self) -> str:
        name = getattr(self.callback, "__qualname__", "cancelled")
        return f"<TimerHandle at={self.when:.3f} {name}>"


class Clock(Protocol):
    """What the engine needs from time: read it and be called back later."""

    def now(self) -> float:
        """Seconds since the Unix epoch."""
        ...

    def call_later(self, delay: float, callback: Callable[..., Any], *args: Any) -> TimerHandle:
        """Run ``callback(*args)`` after ``delay`` seconds (0 or more)."""
        ...

    def call_at(self, when: float, callback: Callable[..., Any], *args: Any) -> TimerHandle:
        """Run ``callback(*args)`` at time ``when`` (now, if ``when`` is past)."""
        ...

    def cancel(self, handle: TimerHandle | None) -> None:
        """Make a pending timer a no-op; cancelling twice or after it ran is harmless."""
        ...


class ClockError(HotlineError, RuntimeError):
    """Misuse of a clock: negative delays, running a clock backwards.

    A bug in the caller, never a refusal to show someone: the API answers it as it answers
    any bug (a bare 500, logged with its traceback), and the CLI and a simulation let it
    through instead of turning it into a message. Still a `RuntimeError`, as it was before
    it joined the hierarchy, so handlers of those treat it as they always did.
    """

    error_id = "clock-error"


class VirtualClock:
    """Simulated time that jumps from one due timer to the next.

    Timers due at the same instant run in the order they were scheduled (a
    sequence number breaks ties), so a run is fully determined by its inputs.
    A callback that raises stops `run` loudly: a simulation never hides a failure.
    """

    __slots__ = ("_heap", "_now", "_seq", "executed", "stopped")

    def __init__(self, start: float = 0.0) -> None:
        self.stopped = False  # the last run ended early, by `stop`
        self._now = start
        self._heap: list[tuple[float, int, TimerHandle]] = []
        self._seq = itertools.count()
        self.executed = 0

    def now(self) -> float:
        return self._now

    def call_later(self, delay: float, callback: Callable[..., Any], *args: Any) -> TimerHandle:
        if delay < 0:
            raise ClockError(f"negative delay {delay!r} for {callback!r}")
        when = self._now + delay
        handle = TimerHandle(when, callback, args)
        heapq.heappush(self._heap, (when, next(self._seq), handle))
        return handle

    def call_at(self, when: float, callback: Callable[..., Any], *args: Any) -> TimerHandle:
        when = max(when, self._now)
        handle = TimerHandle(when, callback, args)
        heapq.heappush(self._heap, (when, next(self._seq), handle))
        return handle

    def cancel(self, handle: TimerHandle | None) -> None:
        if handle is not None:
            handle.callback = None
            handle.args = ()

    def peek(self) -> float | None:
        """When the next live timer is due, or None when none is."""
        heap = self._heap
        while heap and heap[0][2].callback is None:
            heapq.heappop(heap)
        return heap[0][0] if heap else None

    def run(self, until: float | None = None) -> None:
        """Run timers in time order until none is left or the next is past ``until``.

        When ``until`` is given the clock ends exactly at ``until`` — unless a timer
        called `stop`: then the run ends at once, at that timer's time.
        """
        if until is not None and until < self._now:
            raise ClockError(f"cannot run back to {until} from {self._now}")
        heap = self._heap
        pop = heapq.heappop
        executed = 0
        self.stopped = False
        try:
            while heap:
                entry = heap[0]
                if until is not None and entry[0] > until:
                    break
                pop(heap)
                handle = entry[2]
                callback = handle.callback
                if callback is None:
                    continue
                self._now = entry[0]
                handle.callback = None
                executed += 1
                callback(*handle.args)
                if self.stopped:
                    return
        finally:
            self.executed += executed
        if until is not None:
            self._now = until

    def stop(self) -> None:
        """End the run in progress after the current timer, at that timer's time (a live
        driver slowing down must not let the rest of a fast batch run at the old speed)."""
        self.stopped = True

    def advance(self, seconds: float) -> None:
        """Run everything due in the next ``seconds`` and end there."""
        self.run(until=self._now + seconds)


class LiveClock:
    """Wall time on an asyncio event loop.

    `now` is monotonic (loop time) anchored once to the wall clock, so a
    system clock step does not reorder the engine's timers.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self._loop = loop or asyncio.get_running_loop()
        self._offset = time.time() - self._loop.time()

    def now(self) -> float:
        return self._loop.time() + self._offset

    def call_later(self, delay: float, callback: Callable[..., Any], *args: Any) -> TimerHandle:
        if delay < 0:
            raise ClockError(f"negative delay {delay!r} for {callback!r}")
        handle = TimerHandle(self.now() + delay, callback, args)
        handle._native = self._loop.call_later(delay, self._fire, handle)
        return handle

    def call_at(self, when: float, callback: Callable[..., Any], *args: Any) -> TimerHandle:
        return self.call_later(max(0.0, when - self.now()), callback, *args)

    def cancel(self, handle: TimerHandle | None) -> None:
        if handle is None:
            return
        handle.callback = None
        handle.args = ()
        if handle._native is not None:
            handle._native.cancel()
            handle._native = None

    @staticmethod
    def _fire(handle: TimerHandle) -> None:
        callback = handle.callback
        if callback is None:
            return
        handle.callback = None
        handle._native = None
        callback(*handle.args)
