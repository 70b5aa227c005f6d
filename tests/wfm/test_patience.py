"""Callers' patience from the log: the censored-wait estimator against hand computation
and against callers drawn with a known exponential patience."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from hotline.wfm.patience import MIN_ABANDONS, measure_patience


@dataclass
class Wait:
    kind: str
    call: str
    queue: str
    waited: float


def test_patience_is_all_waiting_over_the_abandons_by_hand() -> None:
    events = [
        Wait("contact.answered", "a", "q", 10.0),
        Wait("contact.abandoned", "b", "q", 50.0),
        Wait("contact.overflowed", "c", "q", 30.0),  # 30 s in q, then on to r
        Wait("contact.abandoned", "c", "r", 45.0),  # 15 s in r
        Wait("contact.offered", "d", "q", 99.0),  # not the end of a wait: skipped
        Wait("contact.timed_out", "e", "r", 60.0),
    ]
    found = measure_patience(events)
    assert (found["q"].waits, found["q"].abandons, found["q"].waiting_seconds) == (3, 1, 90.0)
    assert (found["r"].waits, found["r"].abandons, found["r"].waiting_seconds) == (2, 1, 75.0)
    # one abandon is not enough to trust
    assert found["q"].mean is None


@pytest.mark.parametrize("patience", [60.0, 180.0, 600.0])
def test_a_known_exponential_patience_is_found_within_its_error(patience: float) -> None:
    """Callers with exponential patience face an offered wait (answered when their
    patience outlasts it): the estimate lands within 3 standard errors."""
    rng = random.Random(int(patience))
    events = []
    for i in range(20_000):
        offered = rng.expovariate(1 / 90.0)  # the wait the queue would impose
        limit = rng.expovariate(1 / patience)
        if limit < offered:
            events.append(Wait("contact.abandoned", f"c{i}", "q", limit))
        else:
            events.append(Wait("contact.answered", f"c{i}", "q", offered))
    found = measure_patience(events)["q"]
    assert found.abandons >= MIN_ABANDONS
    assert found.mean is not None
    assert found.relative_error is not None
    assert abs(found.mean / patience - 1) < 3 * found.relative_error
