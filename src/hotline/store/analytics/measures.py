"""Aggregate the fact tables into measures (counts, sums of seconds) per group.

A grouping is a set of buckets in `hl_b` (`bi`, `s`, `e` epoch seconds): the local half
hours, hours, days, weeks or months of the period, or the whole period once for the
other groupings, which then group by a column (agent, team, queue, tier, call type).
A point fact counts in the bucket its time falls in; an interval (an agent's state)
is cut at bucket edges and counts in each bucket it overlaps. Each fact defines its
measures only for the groupings that make sense for it (an abandon has no agent).

Where a fact's time is taken:
- calls: when they arrived (`call.arrived`);
- queue figures: each call when it first entered a queue, each contact (by queue) when
  it entered that queue;
- conversations: when the agent answered (or took over a consult transfer);
- surveys, callback tasks, orders, return visits: when the event happened.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hotline.metrics.query import TIME_GROUPINGS, Query
from hotline.store.analytics.runner import Runner, greatest, least


def _sum(condition: str, value: str = "1") -> str:
    return f"SUM(CASE WHEN {condition} THEN {value} ELSE 0 END)"


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass(frozen=True, slots=True)
class Fact:
    """One aggregation: `source` (a SELECT or table with a time column `t`), the group
    column per grouping it supports, and its measures."""

    name: str
    source: str
    dims: Mapping[str, str]
    measures: Mapping[str, str]
    grouped: bool = False
    """The source has its bucket in column `g` already (no join with the buckets)."""


def _calls(q: Query) -> Fact:
    rw = repr(float(q.repeat_window))
    return Fact(
        "calls",
        "SELECT f.*, f.arrived_at AS t, COALESCE(f.first_queue, 'ivr') AS call_type FROM hl_call f",
        {"tier": "f.tier", "call_type": "f.call_type"},
        {
            "calls": "COUNT(*)",
            "ended_answered": _sum("f.outcome = 'answered'"),
            "ended_abandoned": _sum("f.outcome = 'abandoned'"),
            "ended_blocked": _sum("f.outcome = 'blocked'"),
            "ended_self_served": _sum("f.outcome = 'self_served'"),
            "ended_callback": _sum("f.outcome = 'callback'"),
            "ivr_calls": "SUM(f.ivr)",
            "queued_calls": "SUM(f.offered)",
            "fcr_base": _sum("f.outcome = 'answered'"),
            "fcr_resolved": _sum(
                f"f.outcome = 'answered' AND f.has_callback = 0 "
                f"AND (f.next_at IS NULL OR f.next_at > f.arrived_at + {rw})"
            ),
        },
    )


_CALL_Q = (
    "SELECT q_t AS t, tier, COALESCE(first_queue, 'ivr') AS call_type, answered, waited, rang, "
    "abandoned, ab_waited, callback, exit_waited FROM hl_call WHERE offered = 1"
)
_CONTACT_Q = (
    "SELECT t, queue, tier, ans_agent AS agent, answered, ans_waited AS waited, ans_rang AS rang, "
    "abandoned, ab_waited, callback, exit_waited FROM hl_contact"
)


def _queue(q: Query, by: str) -> Fact:
    """Each call once; by queue, each contact in its queue; by agent or team, the contacts
    the agent answered (only what an answer says)."""
    answered = {
        "q_answered": "SUM(f.answered)",
        "q_wait_answered": _sum("f.answered = 1", "f.waited"),
        "q_rang": _sum("f.answered = 1", "f.rang"),
    }
    if by in ("agent", "team"):
        source = f"SELECT * FROM ({_CONTACT_Q}) x WHERE answered = 1"
        return Fact("queue", source, {"agent": "f.agent", "team": "tm.team"}, answered)
    thr, short = repr(float(q.sl_threshold)), repr(float(q.short_abandon))
    measures = {
        "q_offered": "COUNT(*)",
        **answered,
        "q_in_sl": _sum(f"f.answered = 1 AND f.waited <= {thr}"),
        "q_abandoned": "SUM(f.abandoned)",
        "q_abandoned_short": _sum(f"f.abandoned = 1 AND f.ab_waited <= {short}"),
        "q_abandon_wait": _sum("f.abandoned = 1", "f.ab_waited"),
        "q_callback": "SUM(f.callback)",
        "q_exits": _sum("f.exit_waited IS NOT NULL"),
        "q_exit_wait": _sum("f.exit_waited IS NOT NULL", "f.exit_waited"),
    }
    source = _CONTACT_Q if by in ("queue", "queue_tier") else _CALL_Q
    dims = {"queue": "f.queue", "queue_tier": "f.queue || '/' || f.tier", "tier": "f.tier",
            "call_type": "f.call_type"}  # fmt: skip
    return Fact("queue", source, dims, measures)


_CALL_DIMS = {"tier": "c.tier", "call_type": "COALESCE(c.first_queue, 'ivr')"}


def _legs() -> Fact:
    return Fact(
        "legs",
        "SELECT l.*, l.s AS t, c.tier, c.first_queue FROM hl_leg l "
        "LEFT JOIN hl_call c ON c.call = l.call",
        {"agent": "f.agent", "team": "tm.team", "queue": "f.queue", "tier": "f.tier",
         "call_type": "COALESCE(f.first_queue, 'ivr')"},
        {
            "handled": "COUNT(*)",
            "leg_talk": "SUM(f.talk)",
            "leg_hold": "SUM(f.hold)",
            "leg_acw": "SUM(f.acw)",
            "transferred": "SUM(f.transferred)",
        },
    )  # fmt: skip


_STATES = ("ready", "ringing", "talking", "hold", "wrap_up", "not_ready", "away")


def _floor(dialect: str, x: str) -> str:
    """The integer part of a non-negative number (SQLite may lack FLOOR)."""
    return f"CAST({x} AS INTEGER)" if dialect == "sqlite" else f"CAST(FLOOR({x}) AS BIGINT)"


def split_agent_time(
    runner: Runner, q: Query, bounds: Sequence[tuple[int, float, float]], time: bool
) -> None:
    """`hl_split`: each agent's seconds per state in each bucket (intervals cut at bucket
    edges), or in the whole period (bucket 0) for the other groupings."""
    d = runner.dialect
    runner.execute("DROP TABLE IF EXISTS hl_split")
    start, end = repr(q.start.timestamp()), repr(q.end.timestamp())
    overlap = f"{least(d, 'f.e', 'b.e')} - {greatest(d, 'f.s', 'b.s')}"
    if not time:
        whole = f"{least(d, 'f.e', end)} - {greatest(d, 'f.s', start)}"
        runner.execute(
            f"CREATE TEMP TABLE hl_split AS SELECT 0 AS g, f.agent, f.state, SUM({whole}) AS ov "
            f"FROM hl_st f WHERE f.s < {end} AND f.e > {start} GROUP BY f.agent, f.state"
        )
        return
    widths = {round(e - s, 6) for _, s, e in bounds}
    uniform = len(widths) == 1 and all(
        bounds[k][2] == bounds[k + 1][1] for k in range(len(bounds) - 1)
    )
    if not uniform:  # e.g. months, or days across a daylight-saving change
        source = "hl_st f JOIN hl_b b ON f.s < b.e AND f.e > b.s"
        runner.execute(
            f"CREATE TEMP TABLE hl_split AS SELECT b.bi AS g, f.agent, f.state, SUM({overlap}) "
            f"AS ov FROM {source} GROUP BY b.bi, f.agent, f.state"
        )
        return
    # equal buckets: most intervals lie in one, found by division (a hash join); the few
    # longer ones join the buckets after it by range
    s0, width, last = repr(bounds[0][1]), repr(widths.pop()), len(bounds) - 1
    first = _floor(d, f"({greatest(d, 's', s0)} - {s0}) / {width}")
    final = least(d, _floor(d, f"({least(d, 'e', end)} - {s0}) / {width}"), str(last))
    f = (
        f"(SELECT agent, state, s, e, {first} AS i0, {final} AS i1 FROM hl_st "
        f"WHERE s < {end} AND e > {start})"
    )
    overlaps = "f.s < b.e AND f.e > b.s"
    runner.execute(
        "CREATE TEMP TABLE hl_split AS SELECT g, agent, state, SUM(ov) AS ov FROM ("
        f"SELECT b.bi AS g, f.agent, f.state, {overlap} AS ov FROM {f} f "
        f"JOIN hl_b b ON b.bi = f.i0 WHERE {overlaps} UNION ALL "
        f"SELECT b.bi AS g, f.agent, f.state, {overlap} AS ov FROM {f} f "
        f"JOIN hl_b b ON b.bi > f.i0 AND b.bi <= f.i1 WHERE f.i1 > f.i0 AND {overlaps}"
        ") x GROUP BY g, agent, state"
    )


def _agent_time() -> Fact:
    measures = {"t_logged_in": _sum("f.state <> 'logged_out'", "f.ov")}
    for state in _STATES:
        measures[f"t_{state}"] = _sum(f"f.state = '{state}'", "f.ov")
    measures["agents"] = "COUNT(DISTINCT CASE WHEN f.state <> 'logged_out' THEN f.agent END)"
    return Fact(
        "agent_time", "hl_split", {"agent": "f.agent", "team": "tm.team"}, measures, grouped=True
    )


def _schedule(dialect: str) -> Fact:
    lo, hi = greatest(dialect, "sh.s", "b.s"), least(dialect, "sh.e", "b.e")
    source = (
        f"SELECT b.bi AS g, sh.agent, {hi} - {lo} AS sec, CASE WHEN EXISTS (SELECT 1 FROM hl_on o "
        f"WHERE o.agent = sh.agent AND o.s < {hi} AND o.e > {lo}) THEN 1 ELSE 0 END AS present "
        "FROM hl_shift sh JOIN hl_b b ON sh.s < b.e AND sh.e > b.s"
    )
    return Fact(
        "schedule",
        f"({source})",
        {"agent": "f.agent", "team": "tm.team"},
        {
            "sched_seconds": "SUM(f.sec)",
            "sched_agents": "COUNT(DISTINCT f.agent)",
            "present_agents": "COUNT(DISTINCT CASE WHEN f.present = 1 THEN f.agent END)",
        },
        grouped=True,
    )


def _scheduled_work(dialect: str) -> Fact:
    """Available time (ready, ringing, talking, hold, wrap-up) inside the agent's own
    shifts, cut at the bucket's edges: each state interval is intersected with each of
    the agent's shifts and with the bucket. Time logged in before a shift began or after
    it ended (an agent who logs in early, or stays on to finish a call) is not scheduled
    time, so it is not counted against the schedule either, and the rate cannot pass
    100%. An agent without a shift (a trainee, a supervisor taking calls) has none."""
    available = ", ".join(f"'{s}'" for s in _STATES[:5])
    hi = least(dialect, least(dialect, "st.e", "sh.e"), "b.e")
    lo = greatest(dialect, greatest(dialect, "st.s", "sh.s"), "b.s")
    source = (
        f"(SELECT b.bi AS g, st.agent, {hi} - {lo} AS ov FROM hl_st st "
        "JOIN hl_shift sh ON sh.agent = st.agent AND st.s < sh.e AND st.e > sh.s "
        "JOIN hl_b b ON sh.s < b.e AND sh.e > b.s AND st.s < b.e AND st.e > b.s "
        f"WHERE st.state IN ({available}) AND {hi} > {lo})"
    )
    return Fact(
        "scheduled_work",
        source,
        {"agent": "f.agent", "team": "tm.team"},
        {"sched_work": "SUM(f.ov)"},
        grouped=True,
    )


def _surveys() -> Fact:
    return Fact(
        "surveys",
        "SELECT e.ts AS t, e.agent, e.score, c.tier, c.first_queue FROM hl_misc e "
        "LEFT JOIN hl_call c ON c.call = e.call WHERE e.kind = 'survey.scored'",
        {"agent": "f.agent", "team": "tm.team", "tier": "f.tier",
         "call_type": "COALESCE(f.first_queue, 'ivr')"},
        {
            "survey_count": "COUNT(*)",
            "survey_sum": "SUM(f.score)",
            "survey_satisfied": _sum("f.score >= 4"),
        },
    )  # fmt: skip


def _callbacks(close: float) -> Fact:
    return Fact(
        "callbacks",
        "SELECT e.ts AS t, e.queue, e.tier, e.due, x.closed_at, x.result, c.first_queue "
        "FROM hl_misc e LEFT JOIN (SELECT task, MIN(ts) AS closed_at, MAX(result) AS result "
        "FROM hl_misc WHERE kind = 'callback.closed' GROUP BY task) x ON x.task = e.task "
        "LEFT JOIN hl_call c ON c.call = e.call WHERE e.kind = 'callback.created'",
        {"queue": "f.queue", "tier": "f.tier", "call_type": "COALESCE(f.first_queue, 'ivr')"},
        {
            "cb_created": "COUNT(*)",
            "cb_base": _sum(f"f.closed_at IS NOT NULL OR f.due <= {close!r}"),
            "cb_in_time": _sum(
                "f.closed_at IS NOT NULL AND f.closed_at <= f.due "
                "AND f.result IN ('reached', 'done')"
            ),
        },
    )


def _orders(q: Query) -> Fact:
    types = ", ".join(_text(t) for t in q.complaint_types) or "''"
    return Fact(
        "orders",
        "SELECT e.ts AS t, e.otype, x.assigned, x.reopened, x.at_once FROM hl_misc e LEFT JOIN ("
        "SELECT order_no, MAX(CASE WHEN kind = 'order.assigned' THEN 1 ELSE 0 END) AS assigned,"
        " MAX(CASE WHEN kind = 'order.reopened' THEN 1 ELSE 0 END) AS reopened,"
        " MAX(CASE WHEN kind = 'order.answered' AND department IS NULL THEN 1 ELSE 0 END)"
        " AS at_once FROM hl_misc WHERE kind IN ('order.assigned', 'order.reopened',"
        " 'order.answered') GROUP BY order_no) x ON x.order_no = e.order_no "
        "WHERE e.kind = 'order.created'",
        {},
        {
            "orders_created": "COUNT(*)",
            "complaints": _sum(f"f.otype IN ({types})"),  # 投诉 work orders taken
            "orders_fcr": _sum("f.at_once = 1 AND f.assigned = 0 AND f.reopened = 0"),
        },
    )  # fmt: skip


def _outbound() -> Fact:
    """Outbound calls (外呼), each by when it was placed, with whether it was answered."""
    return Fact(
        "outbound",
        "SELECT o.ts AS t, CASE WHEN a.call IS NULL THEN 0 ELSE 1 END AS answered, "
        "CASE WHEN x.call IS NULL THEN 0 ELSE 1 END AS failed FROM hl_misc o "
        "LEFT JOIN (SELECT DISTINCT call FROM hl_misc WHERE kind = 'call.outbound_answered') a "
        "ON a.call = o.call "
        "LEFT JOIN (SELECT DISTINCT call FROM hl_misc WHERE kind = 'call.outbound_failed') x "
        "ON x.call = o.call WHERE o.kind = 'call.originated'",
        {},
        {
            "outbound_calls": "COUNT(*)",
            "outbound_answered": "SUM(f.answered)",
            "outbound_failed": "SUM(f.failed)",
        },
    )


def _visits() -> Fact:
    return Fact(
        "visits",
        "SELECT ts AS t, kind FROM hl_misc "
        "WHERE kind IN ('order.visit_scheduled', 'order.visited')",
        {},
        {
            "visits_scheduled": _sum("f.kind = 'order.visit_scheduled'"),
            "visits_made": _sum("f.kind = 'order.visited'"),
        },
    )


def facts(q: Query, dialect: str, *, shifts: bool) -> list[Fact]:
    close = q.end.timestamp()
    found = [
        _calls(q),
        _queue(q, q.by),
        _legs(),
        _agent_time(),
        _surveys(),
        _callbacks(close),
        _orders(q),
        _visits(),
        _outbound(),
    ]
    if shifts:
        found += [_schedule(dialect), _scheduled_work(dialect)]
    return found


def _select(fact: Fact, q: Query) -> str | None:
    """The aggregation of one fact for the query's grouping (None: not defined for it)."""
    by = q.by
    if by not in TIME_GROUPINGS and by not in fact.dims:
        return None
    single = by not in TIME_GROUPINGS or by == "total"  # one bucket: the whole period
    group = "0" if by in TIME_GROUPINGS else f"COALESCE({fact.dims[by]}, '')"
    where = ""
    if fact.grouped:  # its rows carry their bucket already
        source = f"{fact.source} f"
        group = group if single else "f.g"
    elif single:
        source = f"({fact.source}) f"
        where = f" WHERE f.t >= {q.start.timestamp()!r} AND f.t < {q.end.timestamp()!r}"
    else:
        source = f"({fact.source}) f JOIN hl_b b ON f.t >= b.s AND f.t < b.e"
        group = "b.bi"
    if by == "team":
        source += " LEFT JOIN hl_team tm ON tm.agent = f.agent"
    measures = ", ".join(f"{sql} AS {name}" for name, sql in fact.measures.items())
    grouping = "" if group == "0" else f" GROUP BY {group}"  # a constant: one row
    return f"SELECT {group} AS g, {measures} FROM {source}{where}{grouping}"


QUEUE_FACTS = frozenset({"calls", "queue", "callbacks", "outbound"})
"""The facts that need only the calls and queue contacts (`build(queues_only=True)`)."""


def aggregate(
    runner: Runner,
    q: Query,
    bounds: Sequence[tuple[int, float, float]],
    *,
    shifts: bool,
    queues_only: bool = False,
) -> tuple[dict[str, dict[str, float]], set[str]]:
    """Measures per group key (a bucket index as text for time groupings) and the names of
    the measures this grouping defines (`queues_only`: those of `QUEUE_FACTS`)."""
    runner.execute("DELETE FROM hl_b")
    runner.insert("hl_b", list(bounds))
    if not queues_only:
        split_agent_time(runner, q, bounds, time=q.by in TIME_GROUPINGS and q.by != "total")
    groups: dict[str, dict[str, float]] = {}
    defined: set[str] = set()
    for fact in facts(q, runner.dialect, shifts=shifts):
        if queues_only and fact.name not in QUEUE_FACTS:
            continue
        sql = _select(fact, q)
        if sql is None:
            continue
        defined.update(fact.measures)
        names = list(fact.measures)
        for row in runner.fetch(sql):
            group = groups.setdefault(str(row[0]), {})
            for name, value in zip(names, row[1:], strict=True):
                group[name] = float(value) if value is not None else 0.0
    return groups, defined
