"""From sums to figures: each figure's formula over the measures the SQL returns.

The SQL (`hotline.store.analytics`) folds the event log into *measures* per group —
counts and sums of seconds, the same on every engine — and this module divides them.
Keeping the division here means the live wallboard, the reports and every database
compute a rate from the same integers in the same way, so they agree exactly.

A ratio with nothing to divide by (no calls in a half hour) has no value (None),
never 0. A figure whose measures the grouping does not define (an abandon has no
agent) has no value either, and `Table.missing` says why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from hotline.metrics.query import Query, SlVariant

Measures = Mapping[str, float]


def _div(top: float, bottom: float) -> float | None:
    return top / bottom if bottom else None


@dataclass(frozen=True, slots=True)
class Formula:
    measures: tuple[str, ...]
    compute: Callable[[Measures, Query], float | None]


def _ratio(top: str, bottom: str) -> Formula:
    return Formula((top, bottom), lambda m, q: _div(m[top], m[bottom]))


def _count(name: str) -> Formula:
    return Formula((name,), lambda m, q: m[name])


def _work_rate(m: Measures, q: Query) -> float | None:
    return _div(m["sched_work"], m["sched_seconds"])


def _occupancy(m: Measures, q: Query) -> float | None:
    busy = m["t_talking"] + m["t_hold"] + m["t_wrap_up"]
    return _div(busy, busy + m["t_ready"] + m["t_ringing"])


def _occupancy_seed(m: Measures, q: Query) -> float | None:
    busy = m["t_talking"] + m["t_hold"]
    return _div(busy, busy + m["t_ready"] + m["t_ringing"])


def _long_abandons(m: Measures) -> float:
    return m["q_abandoned"] - m["q_abandoned_short"]


def _abandon_rate(m: Measures, q: Query) -> float | None:
    return _div(_long_abandons(m), m["q_answered"] + _long_abandons(m))


def sl_base(m: Measures, variant: SlVariant) -> float:
    """The denominator of the service level for a variant (see `SlVariant`)."""
    if variant is SlVariant.ANSWERED:
        return m["q_answered"]
    base = m["q_answered"] + _long_abandons(m)
    return base + m["q_callback"] if variant is SlVariant.REMOVED else base


def _service_level(m: Measures, q: Query) -> float | None:
    return _div(m["q_in_sl"], sl_base(m, SlVariant(q.sl_variant)))


_Q_SL = ("q_in_sl", "q_answered", "q_abandoned", "q_abandoned_short", "q_callback")

FORMULAS: Mapping[str, Formula] = {
    "work_rate": Formula(("sched_work", "sched_seconds"), _work_rate),
    "acw": _ratio("leg_acw", "handled"),
    "abandon_time": _ratio("q_abandon_wait", "q_abandoned"),
    "cost_per_call": _ratio("cost", "calls"),
    "aht": Formula(
        ("leg_talk", "leg_acw", "handled"),
        lambda m, q: _div(m["leg_talk"] + m["leg_acw"], m["handled"]),
    ),
    "hold_time": _ratio("leg_hold", "handled"),
    "rings": Formula(
        ("q_rang", "q_answered"),
        lambda m, q: _div(m["q_rang"] / q.ring_seconds, m["q_answered"]),
    ),
    "queue_time": _ratio("q_exit_wait", "q_exits"),
    "asa": _ratio("q_wait_answered", "q_answered"),
    "talk_time": Formula(
        ("leg_talk", "leg_hold", "handled"),
        lambda m, q: _div(m["leg_talk"] - m["leg_hold"], m["handled"]),
    ),
    "calls_per_hour": Formula(
        ("handled", "t_logged_in"), lambda m, q: _div(m["handled"], m["t_logged_in"] / 3600.0)
    ),
    "qa_score": _ratio("qa_sum", "qa_count"),
    "occupancy": Formula(("t_talking", "t_hold", "t_wrap_up", "t_ready", "t_ringing"), _occupancy),
    "abandon_rate": Formula(("q_abandoned", "q_abandoned_short", "q_answered"), _abandon_rate),
    "attendance": _ratio("present_agents", "sched_agents"),
    "blocked_rate": _ratio("ended_blocked", "calls"),
    "fcr": _ratio("fcr_resolved", "fcr_base"),
    "queued_rate": _ratio("queued_calls", "calls"),
    "transfer_rate": _ratio("transferred", "handled"),
    "answered_rate": _ratio("q_answered", "q_offered"),
    "service_level": Formula(_Q_SL, _service_level),
    "total_calls": _count("calls"),
    "attrition": Formula(
        ("leavers", "headcount", "years"),
        lambda m, q: _div(m["leavers"], m["headcount"] * m["years"]),
    ),
    "calls_answered": _count("ended_answered"),
    "calls_abandoned": _count("ended_abandoned"),
    "calls_blocked": _count("ended_blocked"),
    "calls_self_served": _count("ended_self_served"),
    "calls_callback": _count("ended_callback"),
    "offered": _count("q_offered"),
    "answered": _count("q_answered"),
    "abandoned": _count("q_abandoned"),
    "abandoned_short": _count("q_abandoned_short"),
    "handled": _count("handled"),
    "connection_rate_auto": _ratio("ivr_calls", "calls"),
    "connection_rate_manual": _ratio("q_answered", "q_offered"),
    "connection_rate_outbound": _ratio("outbound_answered", "outbound_calls"),
    "occupancy_seed": Formula(("t_talking", "t_hold", "t_ready", "t_ringing"), _occupancy_seed),
    "ring_time": _ratio("q_rang", "q_answered"),
    "fcr_orders": _ratio("orders_fcr", "orders_created"),
    "satisfaction": _ratio("survey_satisfied", "survey_count"),
    "survey_score": _ratio("survey_sum", "survey_count"),
    # complaints are taken in conversations: calls that never reached an agent (the IVR's,
    # blocked, abandoned) cannot bring one, and would only thin the rate out
    "complaint_rate": _ratio("complaints", "ended_answered"),
    "order_accuracy": _ratio("orders_correct", "orders_checked"),
    "return_visit_rate": _ratio("visits_made", "visits_scheduled"),
    "callbacks_created": _count("cb_created"),
    "callback_in_time": _ratio("cb_in_time", "cb_base"),
    "agents_logged_in": _count("agents"),
    "logged_in_hours": Formula(("t_logged_in",), lambda m, q: m["t_logged_in"] / 3600.0),
}


def values(measures: Measures, query: Query) -> dict[str, float | None]:
    """Every figure the query asks for, from one group's measures (None where a measure
    is not defined for the group)."""
    out: dict[str, float | None] = {}
    for key in query.keys:
        formula = FORMULAS[key]
        if all(name in measures for name in formula.measures):
            out[key] = formula.compute(measures, query)
        else:
            out[key] = None
    return out
