"""Agents needed per queue and half hour (人力需求): Erlang C or Erlang A, then shrinkage.

For each interval of a forecast (calls offered, talk and after-call seconds), the
smallest number of agents on the phones that meets the queue's service-level target
and keeps occupancy at or below a maximum, by Erlang C (callers never hang up) and,
where the callers' mean patience is known, by Erlang A (exponential patience). The
agents to schedule are the chosen count divided by the share of paid time that is
not lost to shrinkage (breaks, training, meetings, absence).

The service level is the one Hotline's reports count by default (docs/metrics.md,
variant "offered"): calls answered within the target over calls offered, leaving out
short abandons (hung up within 20 s) from both. Erlang C has no abandons, so there it
is simply the share answered within the target. Pure functions, no I/O.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Final, Literal

from hotline.wfm.erlang import (
    agents_for_service_level,
    average_speed_of_answer,
    erlang_a_reported,
    service_level,
)
from hotline.wfm.forecast import IntervalForecast

__all__ = [
    "DEFAULT_TARGET",
    "ERLANG_A",
    "ERLANG_C",
    "IntervalNeed",
    "Method",
    "Prediction",
    "Shrinkage",
    "Target",
    "agents_erlang_a",
    "agents_erlang_c",
    "chosen_method",
    "predict_erlang_a",
    "predict_erlang_c",
    "requirement",
]

Method = Literal["erlang_a", "erlang_c"]
ERLANG_A: Final = "erlang_a"
ERLANG_C: Final = "erlang_c"
HALF_HOUR: Final = 1800.0
SHORT_ABANDON: Final = 20.0  # seconds; the reports' `short_abandon`


def _check_fraction(value: float, name: str, *, upper_open: bool = True) -> None:
    ok = math.isfinite(value) and (0.0 <= value < 1.0 if upper_open else 0.0 < value <= 1.0)
    if not ok:
        bounds = "[0, 1)" if upper_open else "(0, 1]"
        raise ValueError(f"{name} must be in {bounds}, got {value!r}")


def _check_positive(value: float, name: str) -> None:
    if not math.isfinite(value) or value <= 0.0:
        raise ValueError(f"{name} must be finite and > 0, got {value!r}")


def _check_nonnegative(value: float, name: str) -> None:
    if not math.isfinite(value) or value < 0.0:
        raise ValueError(f"{name} must be finite and >= 0, got {value!r}")


@dataclass(frozen=True, slots=True)
class Target:
    """A service-level target: `level` of calls answered within `seconds`.

    `max_abandon`, when set, also caps the abandon rate as the reports count it
    (abandoned after the short-abandon threshold / calls offered less short
    abandons); only Erlang A predicts abandons, so Erlang C ignores it.
    """

    level: float
    seconds: float
    max_abandon: float | None = None

    def __post_init__(self) -> None:
        if not (math.isfinite(self.level) and 0.0 < self.level < 1.0):
            raise ValueError(f"level must be in (0, 1), got {self.level!r}")
        _check_nonnegative(self.seconds, "seconds")
        if self.max_abandon is not None and not (
            math.isfinite(self.max_abandon) and 0.0 < self.max_abandon < 1.0
        ):
            raise ValueError(f"max_abandon must be in (0, 1), got {self.max_abandon!r}")


DEFAULT_TARGET: Final = Target(0.85, 20.0)  # the ordinary tiers' 85 % in 20 s


@dataclass(frozen=True, slots=True)
class Shrinkage:
    """Shares of paid time an agent is not on the phones (人力缩水), each in [0, 1).

    `total` = 1 − (1 − breaks)(1 − training)(1 − meetings)(1 − absence): each share is
    taken of the time the others leave (breaks and meetings happen on days the agent
    is present, so they do not add to absence but multiply what remains). Summing
    them would count the overlap twice and overstate the agents to schedule.
    """

    breaks: float = 0.0
    training: float = 0.0
    meetings: float = 0.0
    absence: float = 0.0

    def __post_init__(self) -> None:
        for name in ("breaks", "training", "meetings", "absence"):
            _check_fraction(getattr(self, name), name)
        # Each share < 1 makes the product > 0, so total < 1 always holds; kept
        # explicit since `scheduled` divides by 1 − total.
        if not self.total < 1.0:
            raise ValueError(f"shrinkage total must be < 1, got {self.total!r}")

    @property
    def total(self) -> float:
        """Share of paid time lost: 1 − Π(1 − share)."""
        kept = (1.0 - self.breaks) * (1.0 - self.training) * (1.0 - self.meetings)
        return 1.0 - kept * (1.0 - self.absence)

    def scheduled(self, on_phones: int) -> int:
        """Agents to schedule so that `on_phones` remain after shrinkage."""
        if on_phones <= 0:
            return 0
        # Rounding guard: 10 / (1 − 0.5) must give 20, not 21.
        return math.ceil(on_phones / (1.0 - self.total) - 1e-9)


@dataclass(frozen=True, slots=True)
class Prediction:
    """What a model predicts for one interval at a given number of agents.

    `service_level` as the reports count it (see the module docstring); `asa` the
    mean wait of answered calls in seconds; `abandon_rate` as the reports count it
    (None for Erlang C, which has no abandons); `occupancy` of the agents.
    """

    agents: int
    service_level: float
    asa: float
    abandon_rate: float | None
    occupancy: float


def _check_interval(
    calls: float, aht: float, interval_seconds: float, max_occupancy: float
) -> None:
    _check_nonnegative(calls, "calls")
    _check_positive(aht, "aht")
    _check_positive(interval_seconds, "interval_seconds")
    _check_fraction(max_occupancy, "max_occupancy", upper_open=False)


def predict_erlang_c(
    agents: int, calls: float, aht: float, interval_seconds: float, target: Target
) -> Prediction:
    """Erlang C's service level, ASA (all calls are answered) and occupancy."""
    load = calls * aht / interval_seconds
    waiting_asa = average_speed_of_answer(agents, load, aht)
    return Prediction(
        agents=agents,
        service_level=service_level(agents, load, aht, target.seconds),
        asa=waiting_asa,
        abandon_rate=None,
        occupancy=min(load / agents, 1.0),
    )


def predict_erlang_a(
    agents: int,
    calls: float,
    aht: float,
    patience: float,
    interval_seconds: float,
    target: Target,
    short_abandon: float = SHORT_ABANDON,
) -> Prediction:
    """Erlang A's service level and abandon rate as the reports count them."""
    report = erlang_a_reported(
        agents, calls / interval_seconds, aht, patience, target.seconds, short_abandon
    )
    return Prediction(
        agents=agents,
        service_level=report.service_level,
        asa=report.model.asa,
        abandon_rate=report.abandon_rate,
        occupancy=report.model.occupancy,
    )


def agents_erlang_c(
    calls: float, aht: float, interval_seconds: float, target: Target, max_occupancy: float
) -> int:
    """Smallest N with Erlang C's service level >= target and load/N <= max_occupancy.

    `calls` offered in the interval of `interval_seconds`, `aht` the mean handle
    time (talk + after-call work) in seconds; 0 calls need 0 agents. Erlang B's
    recurrence from the first N above the load, O(answer) steps.

    Raises:
        ValueError: a parameter out of range (named in the message).
    """
    _check_interval(calls, aht, interval_seconds, max_occupancy)
    if calls == 0.0:
        return 0
    load = calls * aht / interval_seconds
    by_level = agents_for_service_level(load, aht, target.seconds, target.level)
    return max(by_level, _agents_for_occupancy(load, max_occupancy))


def _agents_for_occupancy(carried: float, max_occupancy: float) -> int:
    """Smallest N >= 1 with carried / N <= max_occupancy (with a rounding guard)."""
    return max(1, math.ceil(carried / max_occupancy - 1e-9))


def _meets(prediction: Prediction, target: Target, max_occupancy: float) -> bool:
    if prediction.service_level < target.level or prediction.occupancy > max_occupancy:
        return False
    cap = target.max_abandon
    return cap is None or prediction.abandon_rate is None or prediction.abandon_rate <= cap


def _smallest(meets: Callable[[int], bool], start: int) -> int:
    """Smallest N >= 1 with meets(N), for `meets` false below some N and true above.

    Gallops from `start` (up while false, else down while true) with doubling steps,
    then bisects the last step: ~2 evaluations when `start` is the answer or next
    to it, O(log distance) otherwise.
    """
    if meets(start):
        good, step = start, 1
        while True:
            probe = good - step
            if probe < 1:
                bad = 0
                break
            if not meets(probe):
                bad = probe
                break
            good, step = probe, step * 2
    else:
        bad, step = start, 1
        while True:
            probe = bad + step
            if meets(probe):
                good = probe
                break
            bad, step = probe, step * 2
    while good - bad > 1:
        middle = (good + bad) // 2
        if meets(middle):
            good = middle
        else:
            bad = middle
    return good


def agents_erlang_a(
    calls: float,
    aht: float,
    patience: float,
    interval_seconds: float,
    target: Target,
    max_occupancy: float,
    short_abandon: float = SHORT_ABANDON,
) -> int:
    """Smallest N meeting the target by Erlang A (and the abandon cap, if any), with
    occupancy (carried load / N) <= max_occupancy.

    The service level is answered within the target over calls offered less those
    who hung up within `short_abandon` seconds (the reports' default). Callers who
    hang up leave the queue, so with short patience the target can be met by fewer
    agents than the offered load in Erlangs: the search starts at Erlang C's answer
    and gallops down (or up) to 1 agent if need be, then bisects. 0 calls need 0.

    Raises:
        ValueError: a parameter out of range (named in the message).
    """
    _check_interval(calls, aht, interval_seconds, max_occupancy)
    _check_positive(patience, "patience")
    _check_nonnegative(short_abandon, "short_abandon")
    if calls == 0.0:
        return 0
    start = agents_erlang_c(calls, aht, interval_seconds, target, max_occupancy)
    agents, _ = _search_erlang_a(
        calls, aht, patience, interval_seconds, target, max_occupancy, short_abandon, start
    )
    return agents


def _search_erlang_a(
    calls: float,
    aht: float,
    patience: float,
    interval_seconds: float,
    target: Target,
    max_occupancy: float,
    short_abandon: float,
    start: int,
) -> tuple[int, Prediction]:
    """`agents_erlang_a` from `start` (Erlang C's answer); the answer's prediction too."""
    seen: dict[int, Prediction] = {}

    def meets(agents: int) -> bool:
        seen[agents] = predict_erlang_a(
            agents, calls, aht, patience, interval_seconds, target, short_abandon
        )
        return _meets(seen[agents], target, max_occupancy)

    agents = _smallest(meets, start)
    return agents, seen[agents]


def chosen_method(patience: float | None) -> Method:
    """The model whose count is put on the phones: Erlang A when the callers' mean
    patience is known (it counts abandons, as the queue does), else Erlang C."""
    return ERLANG_A if patience is not None else ERLANG_C


@dataclass(frozen=True, slots=True)
class IntervalNeed:
    """Agents needed in one queue's half hour.

    Attributes:
        queue, start, offered: the forecast interval (calls offered).
        aht: handle seconds per call (talk + after-call work).
        erlang_c: agents on the phones by Erlang C.
        erlang_a: agents by Erlang A; None when no patience is known.
        method: the model chosen (`chosen_method`), `chosen` its count.
        service_level, asa, abandon_rate, occupancy: that model's prediction at
            `chosen` agents (None with no calls; abandon_rate None for Erlang C).
        scheduled: agents to schedule, ceil(chosen / (1 − shrinkage total)).
    """

    queue: str
    start: datetime.datetime
    offered: float
    aht: float
    erlang_c: int
    erlang_a: int | None
    method: Method
    chosen: int
    service_level: float | None
    asa: float | None
    abandon_rate: float | None
    occupancy: float | None
    scheduled: int


_Key = tuple[float, float, float | None, Target]


def requirement(
    intervals: Iterable[IntervalForecast],
    targets: Mapping[str, Target],
    shrinkage: Shrinkage,
    max_occupancy: float,
    patience: float | Mapping[str, float] | None = None,
    *,
    default_target: Target = DEFAULT_TARGET,
    interval_seconds: float = HALF_HOUR,
    short_abandon: float = SHORT_ABANDON,
) -> list[IntervalNeed]:
    """Agents needed per interval, in the intervals' order.

    `targets` maps a queue to its target (VIP 90 %/20 s, others 85 %/20 s), other
    queues get `default_target`. `patience` is the callers' mean patience in seconds,
    one for all queues or per queue (a queue missing from the mapping has none):
    with it Erlang A is computed and chosen, without it Erlang C. Identical inputs
    (calls, handle time, patience, target) are solved once.

    Raises:
        ValueError: a parameter out of range (named in the message).
    """
    _check_fraction(max_occupancy, "max_occupancy", upper_open=False)
    _check_positive(interval_seconds, "interval_seconds")
    solved: dict[_Key, tuple[int, int | None, Prediction | None]] = {}
    # Erlang C minus Erlang A in the queue's previous interval: where the search for
    # the next one starts (neighbouring half hours differ little), so it usually
    # takes two evaluations. Only the speed depends on it, never the answer.
    saved: dict[str, int] = {}
    needs: list[IntervalNeed] = []
    for interval in intervals:
        target = targets.get(interval.queue, default_target)
        mean_patience = patience.get(interval.queue) if isinstance(patience, Mapping) else patience
        aht = interval.handle_seconds
        key = (interval.offered, aht, mean_patience, target)
        if key not in solved:
            solved[key] = _solve(
                interval.offered,
                aht,
                mean_patience,
                target,
                max_occupancy,
                interval_seconds,
                short_abandon,
                saved.get(interval.queue, 0),
            )
        by_c, by_a, prediction = solved[key]
        if by_a:
            saved[interval.queue] = by_c - by_a
        method = chosen_method(mean_patience)
        chosen = by_a if by_a is not None else by_c
        needs.append(
            IntervalNeed(
                queue=interval.queue,
                start=interval.start,
                offered=interval.offered,
                aht=aht,
                erlang_c=by_c,
                erlang_a=by_a,
                method=method,
                chosen=chosen,
                service_level=None if prediction is None else prediction.service_level,
                asa=None if prediction is None else prediction.asa,
                abandon_rate=None if prediction is None else prediction.abandon_rate,
                occupancy=None if prediction is None else prediction.occupancy,
                scheduled=shrinkage.scheduled(chosen),
            )
        )
    return needs


def _solve(
    calls: float,
    aht: float,
    patience: float | None,
    target: Target,
    max_occupancy: float,
    interval_seconds: float,
    short_abandon: float,
    saved: int,
) -> tuple[int, int | None, Prediction | None]:
    """(Erlang C agents, Erlang A agents or None, the chosen model's prediction); the
    Erlang A search starts `saved` agents below Erlang C's answer."""
    by_c = agents_erlang_c(calls, aht, interval_seconds, target, max_occupancy)
    if patience is None:
        if by_c == 0:
            return by_c, None, None
        return by_c, None, predict_erlang_c(by_c, calls, aht, interval_seconds, target)
    if by_c == 0:
        return by_c, 0, None
    by_a, prediction = _search_erlang_a(
        calls,
        aht,
        patience,
        interval_seconds,
        target,
        max_occupancy,
        short_abandon,
        max(1, by_c - saved),
    )
    return by_c, by_a, prediction
