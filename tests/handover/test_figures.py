"""A sheet's figures against hand computation: the metrics tests' hand-made morning
(tests/metrics/handlog.py, 09:00 on 2026-07-15) with a few overdue orders added, counted
over a shift's hours on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime

import pytest

from hotline.handover.figures import ShiftCounter
from hotline.orders.events import OrderOverdue
from hotline.store.db import Database
from tests.metrics.conftest import load_database
from tests.metrics.handlog import SH, T, day_log


def at(hour: int, minute: int = 0) -> float:
    return datetime.datetime(2026, 7, 15, hour, minute, tzinfo=SH).timestamp()


@pytest.fixture
def db(database_url: str) -> Database:
    events = [
        *day_log().events,
        # order 2 ran out of two deadlines in the morning (one order), order 3 at 17:00
        OrderOverdue(T + 2000, 2, "fault_report", "system", "arrive", T + 1900, "供电所"),
        OrderOverdue(T + 2500, 2, "fault_report", "system", "repair", T + 2400, "供电所"),
        OrderOverdue(at(17), 3, "query", "system", "answer", at(16, 50)),
    ]
    return load_database(database_url, sorted(events, key=lambda e: e.at))


def test_the_early_shift_counts_the_morning_as_the_reports_do(db: Database) -> None:
    figures = ShiftCounter(db).figures(at(7), at(16))
    # queue: c1 answered in 5 s, c2 abandoned in 10 s (short), c3 abandoned after 40 s,
    # c4 answered after 34 s, c8 to a callback after 600 s
    assert (figures.offered, figures.answered, figures.abandoned) == (5, 2, 2)
    # within 20 s: c1; base: answered (c1, c4) + long abandons (c3)
    assert figures.service_level == pytest.approx(1 / 3)
    assert figures.orders_taken == 3  # orders 1, 2, 3 created at 09:04, 09:08, 09:10
    assert figures.orders_overdue == 1  # order 2, twice; order 3 after the shift
    assert (figures.start, figures.end) == (at(7), at(16))


def test_part_of_a_shift_counts_only_its_own_minutes(db: Database) -> None:
    figures = ShiftCounter(db).figures(T, T + 300)  # 09:00–09:05: c1, c2, c3; order 1
    assert (figures.offered, figures.answered, figures.abandoned) == (3, 1, 2)
    assert figures.service_level == pytest.approx(1 / 2)  # c1 / (c1 + c3)
    assert (figures.orders_taken, figures.orders_overdue) == (1, 0)
    later = ShiftCounter(db).figures(at(16), at(21))
    assert (later.offered, later.service_level, later.orders_overdue) == (0, None, 1)
