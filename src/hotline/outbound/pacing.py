"""Pacing (外呼节奏): how many customers to dial now, for one campaign, from what the floor
looks like this second.

Three ways, chosen per campaign:

- **progressive** (渐进式): one call per free agent. A call never waits for an agent unless
  an inbound caller took the agent meanwhile (blended agents: inbound keeps priority).
- **adaptive** (the VICIdial way, kept for comparison): a *dial level* — lines per working
  agent — raised while agents wait for calls and lowered while answered customers wait for
  agents, judged over the last minute; cut to 1.0 once the day's drop rate passes the cap.
- **predictive** (预测式, Hotline's): from the measured answer rate, the time customers take
  to answer and each busy agent's handle time so far, the number of calls in flight that
  keeps the expected drops within the allowed share of the expected answers — agents who
  will be free by the time the customers answer are counted, not only the free ones.

Whatever the way, `DropGuard` holds the hard cap on abandoned-by-dialer calls (放弃率上限,
default 3 % of answered calls in each window of the day, 30 min by default): a call beyond the
free agents is *speculative* — it may be answered with nobody to take it — and the guard
allows only as many speculative calls in flight as drops the window can still absorb, and
none that could be answered after the window ends. With agents who only take this
campaign's calls and stay logged in, the cap cannot be passed; blended agents can still be
taken by an inbound call while a customer's phone rings, which `predictive` leaves room for
(`margin`).

Everything here is arithmetic on `Floor` and `Measured`: the dialer (`hotline.outbound.dialer`)
gathers them on the engine's clock, in the simulator exactly as live.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np

PacingName = Literal["preview", "progressive", "adaptive", "predictive"]


@dataclass(frozen=True, slots=True)
class Floor:
    """A campaign's floor at one moment.

    `ready`: agents of the campaign free now; `busy`: how long each agent in a call (or its
    wrap-up) for the campaign's queue has been at it; `dialing`: the campaign's calls
    ringing at customers; `waiting`: its answered customers waiting for an agent;
    `inbound_waiting`: callers of other queues the same agents serve, waiting (they go
    first)."""

    now: float
    ready: int
    busy: tuple[float, ...] = ()
    dialing: int = 0
    waiting: int = 0
    inbound_waiting: int = 0

    @property
    def free(self) -> int:
        """Agents free for this campaign's next answered customer."""
        return max(0, self.ready - self.inbound_waiting - self.waiting)

    @property
    def staffed(self) -> int:
        return self.ready + len(self.busy)


@dataclass(slots=True)
class Measured:
    """What the dialer has seen of a campaign's calls lately (the newest `keep` of each):
    whether each finished dial was answered, how long answered ones rang, and the handle
    time (talk and wrap-up) of each conversation. Before anything is seen, the priors
    (30 % answer, 8 s to answer, 4 min handle) stand in."""

    keep: int = 300
    answers: deque[bool] = field(default_factory=deque)
    rings: deque[float] = field(default_factory=deque)
    handles: deque[float] = field(default_factory=deque)
    prior_answer: float = 0.3
    prior_ring: float = 8.0
    prior_handle: float = 240.0

    def dial_ended(self, answered: bool, rang: float) -> None:
        _push(self.answers, answered, self.keep)
        if answered:
            _push(self.rings, rang, self.keep)

    def handled(self, seconds: float) -> None:
        _push(self.handles, seconds, self.keep)

    @property
    def answer_rate(self) -> float:
        """Answered share of finished dials; the prior weighs as 20 dials."""
        seen = len(self.answers)
        return (sum(self.answers) + 20 * self.prior_answer) / (seen + 20)

    @property
    def ring_time(self) -> float:
        return float(np.mean(self.rings)) if self.rings else self.prior_ring

    def handle_times(self) -> np.ndarray:
        """The handle times seen, sorted (the prior alone when none yet)."""
        if len(self.handles) < 5:
            return np.array(sorted([*self.handles, self.prior_handle]))
        return np.sort(np.fromiter(self.handles, float))


def _push(items: deque[float] | deque[bool], value: float | bool, keep: int) -> None:
    items.append(value)  # type: ignore[arg-type]
    while len(items) > keep:
        items.popleft()


class Pacing(Protocol):
    """One way of pacing: the calls to place now (before the guard)."""

    name: PacingName

    def calls_to_place(self, floor: Floor, measured: Measured) -> int: ...


class Progressive:
    """One call in flight per free agent."""

    name: PacingName = "progressive"

    def calls_to_place(self, floor: Floor, measured: Measured) -> int:
        return max(0, floor.free - floor.dialing)


class Preview(Progressive):
    """预览式: the agent sees the record first and dials it from the desk; the dialer
    places nothing by itself."""

    name: PacingName = "preview"

    def calls_to_place(self, floor: Floor, measured: Measured) -> int:
        return 0


@dataclass(slots=True)
class Adaptive:
    """VICIdial's adaptive dial level (``ADAPT_HARD_LIMIT``): lines in flight per working
    agent, raised by `step` while agents waited for calls more than customers waited for
    agents over the last `look_back` seconds, lowered otherwise, between 1 and `top`; the
    day's drop rate over `cap` sets it back to 1.0 (`cut`)."""

    name: PacingName = "adaptive"
    level: float = 1.0
    step: float = 0.1
    top: float = 4.0
    look_back: float = 60.0
    every: float = 15.0
    cut: bool = False
    _samples: deque[tuple[float, int, int]] = field(default_factory=deque)
    _judged_at: float = -math.inf

    def calls_to_place(self, floor: Floor, measured: Measured) -> int:
        self._samples.append((floor.now, floor.free, floor.waiting))
        while self._samples and self._samples[0][0] < floor.now - self.look_back:
            self._samples.popleft()
        if floor.now - self._judged_at >= self.every:
            self._judged_at = floor.now
            agents_waiting = sum(s[1] for s in self._samples)
            calls_waiting = sum(s[2] for s in self._samples)
            if self.cut:
                self.level = 1.0
            elif agents_waiting > calls_waiting:
                self.level = min(self.top, self.level + self.step)
            elif calls_waiting > agents_waiting:
                self.level = max(1.0, self.level - self.step)
        working = floor.ready - floor.inbound_waiting + len(floor.busy)
        lines = math.floor(self.level * working + 1e-9)
        return max(0, lines - len(floor.busy) - floor.dialing - floor.waiting)


@dataclass(slots=True)
class Predictive:
    """Hotline's predictive pacing. With `n` calls in flight after this tick, the answers
    A ~ Binomial(n, p) (p: the measured answer rate) arrive about `ring_time` from now; the
    agents free then are F = the free agents plus each busy agent who finishes within that
    time and the 2 s a customer may wait (chance from the handle times seen, given how
    long the agent has been busy). The dialer keeps the largest `n` whose expected drops
    E[max(0, A − F)] stay within `target` of the expected answers (`margin` below the cap,
    room for what the model does not see)."""

    name: PacingName = "predictive"
    cap: float = 0.03
    margin: float = 0.8
    wait: float = 2.0
    most: int = 4
    """At most `most` calls in flight per staffed agent."""

    def calls_to_place(self, floor: Floor, measured: Measured, limit: int | None = None) -> int:
        """The calls to place now; `limit` (the drop guard's room) bounds the search."""
        base = max(0, floor.free - floor.dialing)  # progressive: always safe to place
        staffed = floor.staffed
        if staffed == 0:
            return 0
        top = staffed * self.most - floor.dialing
        if limit is not None:
            top = min(top, limit)
        if top <= base:
            return base
        p = min(max(measured.answer_rate, 0.02), 1.0)
        free = _free_agents(floor, measured.handle_times(), measured.ring_time + self.wait)
        target = self.cap * self.margin

        def within(extra: int) -> bool:
            n = floor.dialing + extra
            return _expected_excess(_binomial(n, p), free) <= target * n * p

        low, high = base, top  # within(low) holds (or low is the progressive floor)
        if within(high):
            return high
        while high - low > 1:  # expected drops grow faster than expected answers with n
            middle = (low + high) // 2
            if within(middle):
                low = middle
            else:
                high = middle
        return low


def _free_agents(floor: Floor, handles: np.ndarray, horizon: float) -> np.ndarray:
    """The distribution of agents free `horizon` seconds from now (index: how many)."""
    pmf = np.zeros(floor.free + 1)
    pmf[floor.free] = 1.0
    if floor.busy:
        elapsed = np.fromiter(floor.busy, float)
        longer = handles.size - np.searchsorted(handles, elapsed, side="right")
        done = np.searchsorted(handles, elapsed + horizon, side="right") - (handles.size - longer)
        # P(handle <= elapsed + horizon | handle > elapsed); busier than anything seen: even odds
        chances = np.where(longer > 0, done / np.maximum(longer, 1), 0.5)
        for q in chances[chances > 0.0]:
            pmf = np.convolve(pmf, (1.0 - q, q))
    taken = max(0, floor.waiting + floor.inbound_waiting - floor.ready)
    if taken:  # those already waiting are served first
        head = pmf[: taken + 1].sum()
        pmf = np.concatenate(([head], pmf[taken + 1 :]))
    return pmf


def _binomial(n: int, p: float) -> np.ndarray:
    """Binomial(n, p) as a probability array (index: successes)."""
    if p >= 1.0:
        out = np.zeros(n + 1)
        out[n] = 1.0
        return out
    k = np.arange(n)
    log = np.concatenate(([0.0], np.cumsum(np.log((n - k) / (k + 1) * (p / (1.0 - p))))))
    weights: np.ndarray = np.exp(log - log.max())
    total = float(weights.sum())
    return weights / total


def _expected_excess(answers: np.ndarray, free: np.ndarray) -> float:
    """E[max(0, A − F)] for independent A and F given as probability arrays."""
    a = np.arange(answers.size)
    f = np.arange(free.size)
    excess = np.maximum(0, a[:, None] - f[None, :])
    return float(answers @ excess @ free)


@dataclass(slots=True)
class DropGuard:
    """The hard cap on abandoned-by-dialer calls: in each window of `window` seconds (from
    midnight, local time by `offset`), drops ≤ `cap` × answered (answered: every call a
    customer picked up, the dropped included).

    A speculative call (one beyond the free agents) is allowed only while the calls in
    flight that could drop, if every one did, would leave the window within the cap; and
    none that could be answered after the window ends (`ring` is the longest a call rings)."""

    cap: float = 0.03
    window: float = 1800.0
    ring: float = 30.0
    offset: float = 0.0
    answered: int = 0
    dropped: int = 0
    _start: float = -math.inf

    def roll(self, now: float) -> None:
        """Start the window `now` falls in, when it is a new one."""
        start = math.floor((now + self.offset) / self.window) * self.window - self.offset
        if start != self._start:
            self._start, self.answered, self.dropped = start, 0, 0

    def answer(self, now: float) -> None:
        """A customer picked up (counted when it happens, dropped later or not)."""
        self.roll(now)
        self.answered += 1

    def drop(self, now: float) -> None:
        """An answered customer was dropped (counted in `answer` already)."""
        self.roll(now)
        self.dropped += 1

    def allowed(self, floor: Floor, wanted: int) -> int:
        """Of `wanted` new calls, how many may be placed now."""
        self.roll(floor.now)
        covered = max(0, floor.free - floor.dialing)  # each has a free agent waiting for it
        if wanted <= covered:
            return wanted
        if floor.now + self.ring > self._start + self.window:
            return covered  # could be answered in the next window, whose count starts at 0
        # the calls that could drop now: those in flight or waiting beyond the free agents;
        # if they and k more all dropped: dropped + could + k <= cap * (answered + could + k)
        could = max(0, floor.dialing + floor.waiting + floor.inbound_waiting - floor.ready)
        room = (self.cap * self.answered - self.dropped) / (1.0 - self.cap) - could
        extra = max(0, math.floor(room + 1e-9))
        return covered + min(wanted - covered, extra)


def pacing(name: PacingName, *, cap: float = 0.03) -> Pacing:
    """A fresh pacing of kind `name` (an adaptive one keeps its dial level per campaign)."""
    if name == "preview":
        return Preview()
    if name == "progressive":
        return Progressive()
    if name == "adaptive":
        return Adaptive()
    return Predictive(cap=cap)


def drop_rate(answered: Sequence[bool]) -> float:
    """Dropped share of answered calls (`answered`: True for each dropped one)."""
    return sum(answered) / len(answered) if answered else 0.0
