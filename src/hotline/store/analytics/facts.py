"""The facts every figure is aggregated from, built as temporary tables from the flat
events relation (`hl_ev`), in the same SQL on SQLite, PostgreSQL and DuckDB:

- `hl_st`: agent state intervals — each `agent.state_changed` lasts until the agent's
  next one (the last one until the end of the query); `hl_on`: the spans an agent was
  logged in (consecutive states between log-outs);
- `hl_leg`: conversation legs — one per `contact.completed`, `contact.transferred` and
  `consult.ended` with outcome `transferred`: the agent's talk (hold included, from
  the event), its hold (the agent's `hold` state time on that call within the leg)
  and its after-call work (the `wrap_up` state that starts when the leg ends);
- `hl_cw` / `hl_contact`: queue contacts — one per `contact.queued`, with what happened
  to it up to the call's next `contact.queued` (a transfer, or a requeue after a
  declined callback offer, starts a new contact);
- `hl_call`: calls — one per `call.arrived`, with its outcome, whether the IVR took
  it, its queue experience folded over its contacts (answered at all, the first
  answer's wait, abandoned before any answer …) and the caller's next call.
"""

from __future__ import annotations

from hotline.store.analytics.runner import Runner, greatest

OUTBOUND = "'call.originated', 'call.outbound_answered', 'call.outbound_failed'"
WINDOW = "PARTITION BY call ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND"


def _first(kind: str, column: str) -> str:
    return f"MAX(CASE WHEN kind = '{kind}' THEN {column} END)"


def build(runner: Runner, events_sql: str, close: float, *, queues_only: bool = False) -> None:
    """Create the fact tables from `events_sql` (the flat relation); open intervals end at
    `close` (epoch seconds: the query's end). `queues_only`: only the calls and queue
    contacts (no agent states, no conversations)."""
    d = runner.dialect
    run = runner.execute
    # DuckDB reads the event files where they lie (only the columns each step needs);
    # the databases extract the JSON fields once into a temporary table
    relation = "VIEW" if d == "duckdb" else "TABLE"
    run(f"CREATE TEMP {relation} hl_ev AS {events_sql}")
    run(  # the rarer kinds the measures read again for every grouping
        "CREATE TEMP TABLE hl_misc AS SELECT ts, kind, call, agent, queue, tier, task, due, "
        "result, score, order_no, otype, department, reason FROM hl_ev WHERE kind IN ("
        "'survey.scored', 'callback.created', 'callback.closed', 'order.created', "
        "'order.assigned', 'order.answered', 'order.reopened', 'order.visit_scheduled', "
        f"'order.visited', {OUTBOUND})"
    )
    if not queues_only:
        _agent_facts(runner, close)
    _queue_facts(runner)


def _agent_facts(runner: Runner, close: float) -> None:
    """Agent state intervals, logged-in spans, conversation legs."""
    d = runner.dialect
    run = runner.execute
    last = greatest(d, "ts", repr(close))
    run(
        "CREATE TEMP TABLE hl_st AS SELECT agent, state, call, ts AS s, "
        f"COALESCE(LEAD(ts) OVER (PARTITION BY agent ORDER BY seq), {last}) AS e, "
        "SUM(CASE WHEN state = 'logged_out' THEN 1 ELSE 0 END) OVER (PARTITION BY agent "
        "ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS session "
        "FROM hl_ev WHERE kind = 'agent.state_changed'"
    )
    run(  # logged in from the first state after a log-out to the next log-out
        "CREATE TEMP TABLE hl_on AS SELECT agent, MIN(s) AS s, MAX(e) AS e FROM hl_st "
        "WHERE state <> 'logged_out' GROUP BY agent, session HAVING MAX(e) > MIN(s)"
    )
    if d != "duckdb":  # DuckDB joins by hashing; the others want an index for these lookups
        run("CREATE INDEX hl_st_call ON hl_st (call, agent)")
    run(
        "CREATE TEMP TABLE hl_end AS SELECT seq, call, agent, queue, ts - talk AS s, ts AS e, "
        "talk, CASE WHEN kind = 'contact.completed' THEN 0 ELSE 1 END AS transferred FROM hl_ev "
        "WHERE kind IN ('contact.completed', 'contact.transferred') "
        "OR (kind = 'consult.ended' AND outcome = 'transferred')"
    )
    run(
        "CREATE TEMP TABLE hl_leg AS "
        "SELECT l.seq, l.call, l.agent, l.queue, l.s, l.e, l.talk, l.transferred, "
        "COALESCE(h.hold, 0) AS hold, COALESCE(w.acw, 0) AS acw FROM hl_end l "
        "LEFT JOIN (SELECT x.seq, SUM(st.e - st.s) AS hold FROM hl_end x JOIN hl_st st"
        "  ON st.call = x.call AND st.agent = x.agent AND st.state = 'hold'"
        "  AND st.s >= x.s AND st.s < x.e GROUP BY x.seq) h ON h.seq = l.seq "
        "LEFT JOIN (SELECT x.seq, SUM(st.e - st.s) AS acw FROM hl_end x JOIN hl_st st"
        "  ON st.call = x.call AND st.agent = x.agent AND st.state = 'wrap_up' AND st.s = x.e"
        "  GROUP BY x.seq) w ON w.seq = l.seq"
    )


def _queue_facts(runner: Runner) -> None:
    """Queue contacts and calls."""
    run = runner.execute
    answer = "CASE WHEN kind = 'contact.answered' THEN 1 ELSE 0 END"
    run(  # one window: the contact an event belongs to, and whether the call was answered before
        "CREATE TEMP TABLE hl_cw AS SELECT seq, ts, kind, call, agent, queue, tier, waited, "
        "rang, reason, action, to_queue, "
        f"MAX(CASE WHEN kind = 'contact.queued' THEN seq END) OVER ({WINDOW} CURRENT ROW) "
        f"AS cseq, CASE WHEN SUM({answer}) OVER ({WINDOW} CURRENT ROW) - {answer} > 0 "
        "THEN 1 ELSE 0 END AS prior, "
        "MIN(CASE WHEN kind = 'contact.queued' THEN seq END) OVER (PARTITION BY call) AS c0 "
        "FROM hl_ev WHERE kind IN ('contact.queued', 'contact.answered', 'contact.abandoned',"
        " 'contact.left', 'contact.timed_out', 'contact.overflowed')"
        # the queue figures are the callers': an answered outbound call queued for an agent
        # is the agents' work (its legs count), not a caller waiting
        " AND call NOT IN (SELECT call FROM hl_misc WHERE kind = 'call.originated')"
    )
    exit_queue = (
        "MAX(CASE WHEN kind IN ('contact.answered', 'contact.abandoned', 'contact.left') "
        "THEN queue END)"
    )
    run(
        "CREATE TEMP TABLE hl_contact AS SELECT call, cseq, "
        "MAX(CASE WHEN cseq = c0 THEN 1 ELSE 0 END) AS first_contact, "
        f"{_first('contact.queued', 'ts')} AS t, "
        f"{_first('contact.queued', 'queue')} AS entry_queue, "
        f"{_first('contact.queued', 'tier')} AS tier, "
        "MAX(CASE WHEN kind = 'contact.answered' THEN 1 ELSE 0 END) AS answered, "
        "MAX(CASE WHEN kind = 'contact.answered' AND prior = 0 THEN 1 ELSE 0 END) AS first_answer, "
        f"{_first('contact.answered', 'waited')} AS ans_waited, "
        f"{_first('contact.answered', 'rang')} AS ans_rang, "
        f"{_first('contact.answered', 'agent')} AS ans_agent, "
        "MAX(CASE WHEN kind = 'contact.abandoned' THEN 1 ELSE 0 END) AS abandoned, "
        "MAX(CASE WHEN kind = 'contact.abandoned' AND prior = 0 THEN 1 ELSE 0 END) "
        "AS abandoned_first, "
        f"{_first('contact.abandoned', 'waited')} AS ab_waited, "
        "MAX(CASE WHEN kind = 'contact.left' AND reason IN ('callback', 'voicemail') "
        "THEN 1 ELSE 0 END) AS callback, "
        f"COALESCE({_first('contact.answered', 'waited')}, "
        f"{_first('contact.abandoned', 'waited')}, {_first('contact.left', 'waited')}, "
        "MAX(CASE WHEN kind = 'contact.timed_out' AND action <> 'overflow' THEN waited END)) "
        "AS exit_waited, "
        f"COALESCE({exit_queue}, {_first('contact.overflowed', 'to_queue')}, "
        f"{_first('contact.queued', 'queue')}) AS queue "
        "FROM hl_cw WHERE cseq IS NOT NULL GROUP BY call, cseq"
    )
    run(
        "CREATE TEMP TABLE hl_call AS SELECT a.call, a.ts AS arrived_at, a.tier, a.caller, "
        "a.outcome, a.ivr, "
        "c.t AS q_t, c.first_queue, CASE WHEN c.call IS NULL THEN 0 ELSE 1 END AS offered, "
        "COALESCE(c.answered, 0) AS answered, c.waited, c.rang, "
        "COALESCE(c.abandoned, 0) AS abandoned, c.ab_waited, "
        "CASE WHEN c.answered = 1 THEN 0 ELSE COALESCE(c.callback, 0) END AS callback, "
        "COALESCE(c.waited, c.ab_waited, c.exit_waited) AS exit_waited, "
        "a.has_callback, "
        "CASE WHEN a.caller IS NULL OR a.caller = '' THEN NULL "
        "ELSE LEAD(a.ts) OVER (PARTITION BY a.caller ORDER BY a.ts, a.seq) END AS next_at "
        "FROM (SELECT call, MIN(CASE WHEN kind = 'call.arrived' THEN seq END) AS seq,"
        " MIN(CASE WHEN kind = 'call.arrived' THEN ts END) AS ts,"
        " MAX(CASE WHEN kind = 'call.arrived' THEN tier END) AS tier,"
        " MAX(CASE WHEN kind = 'call.arrived' THEN caller END) AS caller,"
        " MAX(CASE WHEN kind = 'call.ended' THEN outcome END) AS outcome,"
        " MAX(CASE WHEN kind = 'ivr.entered' THEN 1 ELSE 0 END) AS ivr,"
        " MAX(CASE WHEN kind = 'callback.created' THEN 1 ELSE 0 END) AS has_callback"
        " FROM hl_ev WHERE kind IN ('call.arrived', 'call.ended', 'ivr.entered',"
        " 'callback.created') GROUP BY call"
        " HAVING MIN(CASE WHEN kind = 'call.arrived' THEN seq END) IS NOT NULL) a "
        "LEFT JOIN (SELECT call, MIN(t) AS t, MAX(answered) AS answered,"
        " MAX(CASE WHEN first_contact = 1 THEN entry_queue END) AS first_queue,"
        " MAX(CASE WHEN first_answer = 1 THEN ans_waited END) AS waited,"
        " MAX(CASE WHEN first_answer = 1 THEN ans_rang END) AS rang,"
        " MAX(abandoned_first) AS abandoned,"
        " MAX(CASE WHEN abandoned_first = 1 THEN ab_waited END) AS ab_waited,"
        " MAX(callback) AS callback, MAX(exit_waited) AS exit_waited"
        " FROM hl_contact GROUP BY call) c ON c.call = a.call"
    )
