"""Callers' patience measured from the event log, for Erlang A (耐心时长).

Erlang A assumes each caller would wait an exponential time of mean `patience` before
hanging up. The waits the log records are censored: a caller who is answered (or leaves
by overflow, time-out or callback) shows only that their patience was longer than
their wait. For exponential patience the maximum-likelihood estimate is then

    patience = Σ time every caller spent waiting in the queue / number of abandons

(Mandelbaum & Zeltyn, "Staffing many-server queues with impatient customers", 2009:
the estimator a call center uses when the distribution is exponential). A call that
overflows counts its wait in each queue it passed through separately; `waited` in the
log runs from the call's arrival, so the time in a later queue is the difference.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

__all__ = ["KINDS", "MIN_ABANDONS", "Patience", "WaitRecord", "measure_patience"]

KINDS = (
    "contact.answered",
    "contact.abandoned",
    "contact.timed_out",
    "contact.overflowed",
    "contact.left",
)
"""The events whose `waited` ends a wait in a queue."""

MIN_ABANDONS = 30
"""Fewer abandons than this measure nothing a planner should trust (the estimate's
relative standard error is about 1 / √abandons: 18 % at 30)."""


class WaitRecord(Protocol):
    kind: str
    call: str
    queue: str
    waited: float


@dataclass(frozen=True, slots=True)
class Patience:
    """One queue's measurement: its waits and abandons, and the mean patience they give
    (None with fewer than `MIN_ABANDONS` abandons)."""

    queue: str
    waits: int
    abandons: int
    waiting_seconds: float

    @property
    def mean(self) -> float | None:
        if self.abandons < MIN_ABANDONS or self.waiting_seconds <= 0:
            return None
        return self.waiting_seconds / self.abandons

    @property
    def relative_error(self) -> float | None:
        """The estimate's approximate relative standard error, 1 / √abandons."""
        return 1.0 / math.sqrt(self.abandons) if self.abandons else None


def measure_patience(events: Iterable[WaitRecord]) -> dict[str, Patience]:
    """Each queue's waits and abandons from the ends of waits in the log (`KINDS`, in log
    order; other kinds are skipped)."""
    mark: dict[str, float] = {}  # call → its `waited` when it entered its current queue
    waits: dict[str, int] = {}
    abandons: dict[str, int] = {}
    seconds: dict[str, float] = {}
    for e in events:
        if e.kind not in KINDS:
            continue
        queue, waited = e.queue, float(e.waited)
        spent = max(0.0, waited - mark.pop(e.call, 0.0))
        waits[queue] = waits.get(queue, 0) + 1
        seconds[queue] = seconds.get(queue, 0.0) + spent
        if e.kind == "contact.abandoned":
            abandons[queue] = abandons.get(queue, 0) + 1
        elif e.kind == "contact.overflowed":
            mark[e.call] = waited
    return {q: Patience(q, waits[q], abandons.get(q, 0), seconds[q]) for q in sorted(waits)}
