"""Return visits (回访): which orders get one, when it is scheduled, and the fault sample.

Rules (95598 规范 第二十一条): complaints, tip-offs, queries, consultations and service
applications are all visited (types with ``return_visit: all``) within one working
day of the answer; of the fault reports of one outage at least 5 % are sampled by the
shift lead, spread over the outage area (``return_visit: sample``). Business customers
are called in office hours on working days, residents after work; nothing at or after
22:00 — a visit that would fall later moves to the next day. An anonymous customer
cannot be called back and gets no visit. The two windows are the business calendar's
(``visit_business`` and ``visit_resident``, `hotline.orders.config.VISIT_WINDOWS`).
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence

from hotline.core.calendar import BusinessCalendar
from hotline.orders.config import VISIT_WINDOWS, OrderConfig, OrderType
from hotline.orders.model import Order, ReturnVisit, VisitWindow

BUSINESS_VALUES = frozenset({"business", "单位", "company"})


def window_of(order: Order, config: OrderConfig) -> VisitWindow:
    """Business customers (field ``customer_type: business``) in office hours, others
    after work."""
    value = order.fields.get(config.visits.customer_type_field)
    return VisitWindow.BUSINESS if value in BUSINESS_VALUES else VisitWindow.RESIDENT


def needs_visit(order: Order, kind: OrderType) -> bool:
    """Whether answering this order creates a return visit at once (``all``; sampled
    types get theirs from `sample`)."""
    return kind.return_visit == "all" and not order.anonymous


def schedule(
    t: float, window: VisitWindow, config: OrderConfig, calendar: BusinessCalendar
) -> float:
    """The earliest moment at or after `t` inside the customer's visit window, never at or
    after the cut-off (a later moment moves to the next day's first window). Raises
    `CalendarError` when the window does not open within `hotline.core.calendar.MAX_DAYS`
    days."""
    return calendar.next_in_window(config.windows[VISIT_WINDOWS[window.value]], t)


def plan_visit(
    order: Order,
    config: OrderConfig,
    calendar: BusinessCalendar,
    *,
    answered_at: float,
    at: float,
    sampled: bool = False,
) -> ReturnVisit:
    """The visit an answered order gets: due one working day (`visits.within`) after the
    answer, scheduled in the customer's window."""
    window = window_of(order, config)
    return ReturnVisit(
        id=0,
        order=order.id,
        round=order.round,
        window=window,
        scheduled_at=schedule(max(answered_at, at), window, config, calendar),
        due_at=calendar.add(answered_at, config.visits.within),
        created_at=at,
        sampled=sampled,
    )


def sample(orders: Sequence[Order], share: float, by_field: str, seed: int) -> list[Order]:
    """At least `share` of `orders` (at least one), spread over the values of `by_field`.

    Stratified round robin: the areas are shuffled (seeded), then one order is drawn
    from each area in turn, so every area is covered before any area gets a second
    visit. Orders without the field form one area of their own. The same seed and
    orders give the same sample.
    """
    if not orders:
        return []
    rng = random.Random(seed)
    wanted = max(1, math.ceil(share * len(orders) - 1e-9))
    areas: dict[str, list[Order]] = defaultdict(list)
    for order in sorted(orders, key=lambda o: o.id):
        areas[str(order.fields.get(by_field, ""))].append(order)
    pools = [areas[name] for name in sorted(areas)]
    rng.shuffle(pools)
    for pool in pools:
        rng.shuffle(pool)
    chosen: list[Order] = []
    while len(chosen) < wanted:
        for pool in pools:
            if pool and len(chosen) < wanted:
                chosen.append(pool.pop())
    return chosen
