"""Complaint analysis (投诉分析) over complaints taken through the desk and stored in SQLite,
with every figure computed by hand in the comments."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hotline.orders import analysis
from hotline.orders.analysis import Count, DayCount, ParetoBar
from hotline.orders.model import Order
from hotline.orders.service import OrderDesk
from hotline.store.db import Database
from hotline.store.db.orders import OrderFilter, Orders
from tests.orders.support import Clock, calendar, example, ts

CONFIG = example()
CAL = calendar(CONFIG)


def complaint(cause: str, **more: str) -> dict[str, str]:
    base = {"customer_name": "赵六", "phone": "13900139000", "cause": cause, "content": "投诉"}
    return base | more


@pytest.fixture
def stored(tmp_path: Path) -> Iterator[list[Order]]:
    """Mon 2026-11-16 … Fri 11-20 (working hours 08:30–12:00, 13:30–17:30):

    c1 Mon 09:00 price, 电价, resident → marketing, answered Mon 11:00 (2 h, 2 h)
    c2 Mon 10:00 price, business → marketing, answered Tue 10:00 (2 + 4 + 1.5 = 7.5 h, 24 h)
    c3 Tue 09:00 attitude, 抄表, resident → discipline, answered 09:30 (0.5 h), visit 不满意 →
       reopened (round 2, back to discipline)
    c4 Wed 14:00 outage, anonymous, no group, never assigned
    a query Mon 16:00 (not a complaint), a complaint Fri 09:00 (after the period)
    """
    with Database.open(f"sqlite:///{tmp_path / 'analysis.db'}") as db:
        clock = Clock("2026-11-16 09:00")
        desk = OrderDesk(CONFIG, Orders(db), clock)

        c1 = desk.create(
            "complaint", complaint("price", product="电价", customer_type="resident"), by="9001"
        ).order.id
        desk.assign(c1, "marketing", by="lead")
        clock.set("2026-11-16 10:00")
        c2 = desk.create("complaint", complaint("price", customer_type="business"), by="9001")
        desk.assign(c2.order.id, "marketing", by="lead")
        clock.set("2026-11-16 11:00")
        desk.answer(c1, by="marketing")
        clock.set("2026-11-16 16:00")
        desk.create(
            "query",
            {"customer_name": "张三", "phone": "13800138000", "content": "电费"},
            by="9001",
        )
        clock.set("2026-11-17 09:00")
        c3 = desk.create(
            "complaint", complaint("attitude", product="抄表", customer_type="resident"), by="9002"
        ).order.id
        desk.assign(c3, "discipline", by="lead")
        clock.set("2026-11-17 09:30")
        desk.answer(c3, by="discipline")
        clock.set("2026-11-17 10:00")
        desk.answer(c2.order.id, by="marketing")
        clock.set("2026-11-17 19:00")
        reopened = desk.visit(c3, score=1, opinion="不满意", by="9001").order
        assert reopened.round == 2
        clock.set("2026-11-18 14:00")
        desk.create("complaint", {"cause": "outage", "content": "停电"}, by="9001", anonymous=True)
        clock.set("2026-11-20 09:00")
        desk.create("complaint", complaint("other"), by="9001")
        yield Orders(db).list(OrderFilter(limit=1000))


PERIOD = {"start": ts("2026-11-16 00:00"), "end": ts("2026-11-19 00:00")}


def test_counts_by_cause_product_department_and_group(stored: list[Order]) -> None:
    figures = analysis.analyse(stored, CAL, **PERIOD)
    assert figures.total == 4
    assert figures.by_cause == (Count("price", 2), Count("attitude", 1), Count("outage", 1))
    assert figures.by_product == (
        Count("unspecified", 2),
        Count("抄表", 1),
        Count("电价", 1),
    )
    assert figures.by_department == (
        Count("marketing", 2),
        Count("discipline", 1),
        Count("unspecified", 1),
    )
    assert figures.by_group == (
        Count("resident", 2),
        Count("business", 1),
        Count("unspecified", 1),
    )


def test_pareto_bars_carry_the_cumulative_share(stored: list[Order]) -> None:
    figures = analysis.analyse(stored, CAL, **PERIOD)
    assert figures.pareto == (
        ParetoBar("price", 2, 0.5, 0.5),
        ParetoBar("attitude", 1, 0.25, 0.75),
        ParetoBar("outage", 1, 0.25, 1.0),
    )


def test_trend_has_every_day_of_the_period(stored: list[Order]) -> None:
    figures = analysis.analyse(stored, CAL, **PERIOD)
    assert figures.trend == (
        DayCount("2026-11-16", 2),
        DayCount("2026-11-17", 1),
        DayCount("2026-11-18", 1),
    )
    # the whole week without bounds: first to last complaint, quiet Thursday included
    everything = analysis.analyse(stored, CAL)
    assert everything.total == 5
    assert [d.count for d in everything.trend] == [2, 1, 1, 0, 1]
    assert everything.trend[-1].day == "2026-11-20"


def test_time_to_resolve_in_working_and_calendar_hours(stored: list[Order]) -> None:
    resolve = analysis.analyse(stored, CAL, **PERIOD).resolve
    # answered: c1 (2 h, 2 h), c2 (7.5 h, 24 h), c3 (0.5 h, 0.5 h); c4 not yet
    assert resolve.resolved == 3
    assert resolve.median_working_h == pytest.approx(2.0)
    assert resolve.p90_working_h == pytest.approx(7.5)  # nearest rank: ceil(0.9 × 3) = 3rd
    assert resolve.median_calendar_h == pytest.approx(2.0)
    assert resolve.p90_calendar_h == pytest.approx(24.0)


def test_share_reopened(stored: list[Order]) -> None:
    figures = analysis.analyse(stored, CAL, **PERIOD)
    assert figures.reopened == 1
    assert figures.reopened_share == pytest.approx(0.25)


def test_no_complaints_gives_empty_figures() -> None:
    figures = analysis.analyse([], CAL)
    assert figures.total == 0
    assert figures.pareto == ()
    assert figures.trend == ()
    assert figures.reopened_share is None
    assert figures.resolve.median_working_h is None


def test_percentile_and_median_by_hand() -> None:
    assert analysis.median([4.0, 1.0, 3.0, 2.0]) == 2.5
    assert analysis.percentile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.0
    assert analysis.percentile([float(i) for i in range(1, 11)], 0.9) == 9.0
    assert analysis.percentile([], 0.9) is None
