"""Return visits: scheduling windows (business in office hours, residents after work, the
22:00 cut-off) and the ≥ 5 % fault sample spread over the outage area."""

from __future__ import annotations

import math

from hotline.orders import lifecycle as lc
from hotline.orders import visits
from hotline.orders.model import Order, OrderState, VisitWindow
from tests.orders.support import calendar, example, local, ts

CONFIG = example()
CAL = calendar(CONFIG)


def order(customer_type: str | None = None, **fields: object) -> Order:
    values: dict[str, object] = {"customer_name": "王五", "phone": "13700137000", "content": "x"}
    if customer_type is not None:
        values["customer_type"] = customer_type
    return lc.new_order(
        CONFIG.types["query"], "query", values, by="9001", at=ts("2026-11-16 09:00")
    )


def when(customer_type: str | None, answered: str) -> tuple[str, str]:
    plan = visits.plan_visit(
        order(customer_type), CONFIG, CAL, answered_at=ts(answered), at=ts(answered)
    )
    return local(plan.scheduled_at), local(plan.due_at)


def test_residents_are_called_after_work_within_one_working_day() -> None:
    assert when("resident", "2026-11-16 10:00") == ("2026-11-16 18:00", "2026-11-17 10:00")
    assert when(None, "2026-11-16 19:30") == ("2026-11-16 19:30", "2026-11-17 17:30")


def test_nothing_after_the_cutoff_moves_to_the_next_day() -> None:
    assert when("resident", "2026-11-16 21:30")[0] == "2026-11-17 18:00"
    assert when("resident", "2026-11-16 22:30")[0] == "2026-11-17 18:00"
    late = visits.schedule(ts("2026-11-16 22:00"), VisitWindow.RESIDENT, CONFIG, CAL)
    assert local(late) == "2026-11-17 18:00"


def test_business_customers_are_called_in_office_hours_on_working_days() -> None:
    # Friday evening → Monday 08:30; due one working day after Friday 19:00 = Monday 17:30
    assert when("business", "2026-11-13 19:00") == ("2026-11-16 08:30", "2026-11-16 17:30")
    assert when("business", "2026-11-16 12:15")[0] == "2026-11-16 13:30"
    # the National Day holiday: the first office hour is Thursday Oct 8
    assert when("business", "2026-09-30 18:00")[0] == "2026-10-08 08:30"


def test_who_needs_a_visit() -> None:
    query = order()
    assert visits.needs_visit(query, CONFIG.types["query"])
    assert not visits.needs_visit(query, CONFIG.types["fault_report"])  # sampled instead
    anonymous = lc.new_order(
        CONFIG.types["complaint"],
        "complaint",
        {"cause": "price", "content": "x"},
        by="9001",
        at=0.0,
        anonymous=True,
    )
    assert not visits.needs_visit(anonymous, CONFIG.types["complaint"])


def faults(count: int, areas: int) -> list[Order]:
    made = []
    for i in range(count):
        made.append(
            Order(
                id=i + 1,
                type="fault_report",
                state=OrderState.ANSWERED,
                fields={"area": f"street-{i % areas}", "outage": "o1"},
                created_by="9001",
                created_at=0.0,
            )
        )
    return made


def test_sample_is_at_least_five_percent_and_spread_over_the_areas() -> None:
    chosen = visits.sample(faults(100, 7), 0.05, "area", seed=1)
    assert len(chosen) == 5 == math.ceil(0.05 * 100)
    assert len({o.fields["area"] for o in chosen}) == 5  # five different streets
    chosen = visits.sample(faults(200, 7), 0.05, "area", seed=1)
    assert len(chosen) == 10
    streets = [o.fields["area"] for o in chosen]
    assert len(set(streets)) == 7
    assert max(streets.count(s) for s in set(streets)) == 2
    assert len(visits.sample(faults(10, 3), 0.05, "area", seed=1)) == 1  # at least one
    assert visits.sample([], 0.05, "area", seed=1) == []


def test_sample_is_reproducible_with_its_seed() -> None:
    ids = [o.id for o in visits.sample(faults(300, 11), 0.05, "area", seed=7)]
    assert ids == [o.id for o in visits.sample(faults(300, 11), 0.05, "area", seed=7)]
    assert len(set(ids)) == 15
