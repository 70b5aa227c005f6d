"""A straightforward pandas implementation of the figures' measures (the baseline of
`figures_duckdb.py`): the same facts and sums as `hotline.store.analytics`, with
DataFrame filters, merges and group-bys instead of SQL. Only the groupings the benchmark
times are implemented: by half hour (`interval`) and by `agent`."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from hotline.metrics import ExternalData, Query, Table
from hotline.metrics.buckets import Bucket, buckets
from hotline.metrics.outside import Part, merge, outside
from hotline.metrics.table import assemble
from hotline.store.analytics.events import KINDS

COLUMNS = [
    "at", "kind", "call", "agent", "queue", "caller", "tier", "waited", "rang", "talk",
    "state", "reason", "outcome", "to_queue", "action", "task", "due", "result", "score",
    "order", "type", "department",
]  # fmt: skip
MARGIN = 86400.0


def load(path: str) -> pd.DataFrame:
    ev = pd.read_parquet(path, columns=COLUMNS)
    ev["seq"] = np.arange(len(ev))
    return ev


def _max_by(frame: pd.DataFrame, keys: list[str], column: str, name: str) -> pd.Series:
    return frame.groupby(keys)[column].max().rename(name)


class Facts:
    """The fact tables of one period, as DataFrames."""

    def __init__(self, all_events: pd.DataFrame, start: float, end: float) -> None:
        ev = all_events[
            (all_events["at"] >= start - MARGIN)
            & (all_events["at"] < end + MARGIN)
            & all_events["kind"].isin(KINDS)
        ]
        self.ev = ev
        self.st = self._states(ev, end)
        self.legs = self._legs(ev, self.st)
        self.contacts = self._contacts(ev)
        self.calls = self._calls(ev, self.contacts)

    @staticmethod
    def _states(ev: pd.DataFrame, close: float) -> pd.DataFrame:
        st = ev.loc[ev["kind"] == "agent.state_changed", ["seq", "at", "agent", "state", "call"]]
        st = st.rename(columns={"at": "s"})
        st["e"] = st.groupby("agent")["s"].shift(-1)
        st["e"] = st["e"].fillna(np.maximum(st["s"], close))
        return st

    @staticmethod
    def _legs(ev: pd.DataFrame, st: pd.DataFrame) -> pd.DataFrame:
        kind = ev["kind"]
        ends = ev[
            kind.isin(["contact.completed", "contact.transferred"])
            | ((kind == "consult.ended") & (ev["outcome"] == "transferred"))
        ]
        legs = ends[["seq", "call", "agent", "queue", "at", "talk", "kind"]].copy()
        legs["s"] = legs["at"] - legs["talk"]
        legs["transferred"] = (legs["kind"] != "contact.completed").astype(int)
        held = st[st["state"] == "hold"].merge(
            legs[["seq", "call", "agent", "s", "at"]], on=["call", "agent"], suffixes=("_h", "")
        )
        held = held[(held["s_h"] >= held["s"]) & (held["s_h"] < held["at"])]
        hold = (held["e"] - held["s_h"]).groupby(held["seq"]).sum().rename("hold")
        wraps = st[st["state"] == "wrap_up"].merge(
            legs[["seq", "call", "agent", "at"]], on=["call", "agent"], suffixes=("_w", "")
        )
        wraps = wraps[wraps["s"] == wraps["at"]]
        acw = (wraps["e"] - wraps["s"]).groupby(wraps["seq"]).sum().rename("acw")
        legs = legs.join(hold, on="seq").join(acw, on="seq")
        legs[["hold", "acw"]] = legs[["hold", "acw"]].fillna(0.0)
        return legs

    @staticmethod
    def _contacts(ev: pd.DataFrame) -> pd.DataFrame:
        kinds = ["contact.queued", "contact.answered", "contact.abandoned", "contact.left",
                 "contact.timed_out", "contact.overflowed"]  # fmt: skip
        cw = ev[ev["kind"].isin(kinds)].copy()
        queued = cw["kind"] == "contact.queued"
        cw["cseq"] = cw["seq"].where(queued).groupby(cw["call"]).ffill()
        answer = (cw["kind"] == "contact.answered").astype(int)
        cw["prior"] = ((answer.groupby(cw["call"]).cumsum() - answer) > 0).astype(int)
        cw = cw[cw["cseq"].notna()]
        keys = ["call", "cseq"]
        base = cw[queued.loc[cw.index]].set_index(keys)
        contact = pd.DataFrame(
            {"t": base["at"], "entry_queue": base["queue"], "tier": base["tier"]}
        )
        ans = cw[cw["kind"] == "contact.answered"]
        ab = cw[cw["kind"] == "contact.abandoned"]
        left = cw[cw["kind"] == "contact.left"]
        timed = cw[(cw["kind"] == "contact.timed_out") & (cw["action"] != "overflow")]
        over = cw[cw["kind"] == "contact.overflowed"]
        out = cw[cw["kind"].isin(["contact.answered", "contact.abandoned", "contact.left"])]
        parts = [
            ans.groupby(keys).size().rename("answered"),
            (1 - ans["prior"]).groupby([ans["call"], ans["cseq"]]).max().rename("first_answer"),
            _max_by(ans, keys, "waited", "ans_waited"),
            _max_by(ans, keys, "rang", "ans_rang"),
            _max_by(ans, keys, "agent", "ans_agent"),
            ab.groupby(keys).size().rename("abandoned"),
            (1 - ab["prior"]).groupby([ab["call"], ab["cseq"]]).max().rename("abandoned_first"),
            _max_by(ab, keys, "waited", "ab_waited"),
            left["reason"].isin(["callback", "voicemail"]).astype(int)
            .groupby([left["call"], left["cseq"]]).max().rename("callback"),
            _max_by(left, keys, "waited", "left_waited"),
            _max_by(timed, keys, "waited", "timed_waited"),
            _max_by(over, keys, "to_queue", "over_queue"),
            _max_by(out, keys, "queue", "exit_queue"),
        ]  # fmt: skip
        contact = contact.join(parts)
        for flag in ("answered", "first_answer", "abandoned", "abandoned_first", "callback"):
            contact[flag] = contact[flag].fillna(0).astype(int).clip(upper=1)
        contact["exit_waited"] = (
            contact["ans_waited"]
            .fillna(contact["ab_waited"])
            .fillna(contact["left_waited"])
            .fillna(contact["timed_waited"])
        )
        contact["queue"] = (
            contact["exit_queue"].fillna(contact["over_queue"]).fillna(contact["entry_queue"])
        )
        return contact.reset_index()

    @staticmethod
    def _calls(ev: pd.DataFrame, contacts: pd.DataFrame) -> pd.DataFrame:
        arrived = ev.loc[ev["kind"] == "call.arrived", ["seq", "call", "at", "tier", "caller"]]
        calls = arrived.rename(columns={"at": "arrived_at"}).set_index("call")
        calls["outcome"] = ev[ev["kind"] == "call.ended"].groupby("call")["outcome"].max()
        calls["ivr"] = calls.index.isin(ev.loc[ev["kind"] == "ivr.entered", "call"]).astype(int)
        created = ev.loc[ev["kind"] == "callback.created", "call"]
        calls["has_callback"] = calls.index.isin(created).astype(int)
        ordered = contacts.sort_values(["call", "cseq"])
        by_call = ordered.groupby("call")
        first = ordered[ordered["first_answer"] == 1].groupby("call")
        abandon = ordered[ordered["abandoned_first"] == 1].groupby("call")
        folded = pd.DataFrame(
            {
                "q_t": by_call["t"].min(),
                "first_queue": by_call["entry_queue"].first(),
                "answered": by_call["answered"].max(),
                "waited": first["ans_waited"].max(),
                "rang": first["ans_rang"].max(),
                "abandoned": by_call["abandoned_first"].max(),
                "ab_waited": abandon["ab_waited"].max(),
                "callback": by_call["callback"].max(),
                "contact_exit": by_call["exit_waited"].max(),
            }
        )
        calls = calls.join(folded)
        calls["offered"] = calls["q_t"].notna().astype(int)
        calls["answered"] = calls["answered"].fillna(0).astype(int)
        calls["abandoned"] = calls["abandoned"].fillna(0).astype(int)
        calls["callback"] = np.where(calls["answered"] == 1, 0, calls["callback"].fillna(0))
        calls["exit_waited"] = (
            calls["waited"].fillna(calls["ab_waited"]).fillna(calls["contact_exit"])
        )
        calls = calls.reset_index().sort_values(["caller", "arrived_at", "seq"])
        calls["next_at"] = calls.groupby("caller")["arrived_at"].shift(-1)
        calls.loc[calls["caller"].isna() | (calls["caller"] == ""), "next_at"] = np.nan
        return calls


def _bucket_of(times: pd.Series, found: list[Bucket]) -> pd.Series:
    starts = np.array([b.start for b in found])
    index = np.searchsorted(starts, times.to_numpy(), side="right") - 1
    inside = (times.to_numpy() >= found[0].start) & (times.to_numpy() < found[-1].end)
    return pd.Series(np.where(inside, index, -1), index=times.index)


def _sums(frame: pd.DataFrame, key: pd.Series, measures: dict[str, pd.Series]) -> pd.DataFrame:
    keep = key != -1 if key.dtype.kind in "iu" else key.notna()
    table = pd.DataFrame({name: s[keep] for name, s in measures.items()})
    return table.groupby(key[keep]).sum()


def _group_key(frame: pd.DataFrame, time: pd.Series, by: str, found: list[Bucket],
               column: str | None) -> pd.Series:  # fmt: skip
    bucket = _bucket_of(time, found)
    if by == "interval":
        return bucket
    return frame[column].fillna("").where(bucket != -1)  # type: ignore[index]


def _interval_rows(st: pd.DataFrame, found: list[Bucket]) -> pd.DataFrame:
    """Each state interval repeated for every bucket it overlaps, with the overlap."""
    starts = np.array([b.start for b in found])
    ends = np.array([b.end for b in found])
    s, e = st["s"].to_numpy(), st["e"].to_numpy()
    first = np.clip(np.searchsorted(starts, s, side="right") - 1, 0, None)
    last = np.searchsorted(starts, e, side="left") - 1
    hit = (s < ends[-1]) & (e > starts[0]) & (last >= first)
    st, first, last = st[hit], first[hit], last[hit]
    count = last - first + 1
    rows = st.loc[st.index.repeat(count)].copy()
    offset = np.arange(len(rows)) - np.repeat(np.cumsum(count) - count, count)
    rows["bi"] = np.repeat(first, count) + offset
    b_s, b_e = starts[rows["bi"].to_numpy()], ends[rows["bi"].to_numpy()]
    keep = (rows["s"].to_numpy() < b_e) & (rows["e"].to_numpy() > b_s)
    rows = rows[keep]
    rows["ov"] = np.minimum(rows["e"], b_e[keep]) - np.maximum(rows["s"], b_s[keep])
    return rows


_STATES = ("ready", "ringing", "talking", "hold", "wrap_up", "not_ready", "away")


def _agent_time(facts: Facts, found: list[Bucket], by: str) -> pd.DataFrame:
    rows = _interval_rows(facts.st, found)
    key = rows["bi"] if by == "interval" else rows["agent"]
    on = rows["state"] != "logged_out"
    measures = {"t_logged_in": rows["ov"].where(on, 0.0)}
    for state in _STATES:
        measures[f"t_{state}"] = rows["ov"].where(rows["state"] == state, 0.0)
    table = pd.DataFrame(measures).groupby(key).sum()
    table["agents"] = rows[on].groupby(key[on])["agent"].nunique()
    return table.fillna(0)


def _schedule(facts: Facts, found: list[Bucket], by: str, extra: ExternalData) -> pd.DataFrame:
    shifts = pd.DataFrame([(s.agent, s.start, s.end) for s in extra.shifts],
                          columns=["agent", "s", "e"])  # fmt: skip
    pieces = _interval_rows(shifts, found).reset_index(drop=True)
    b_s = np.array([b.start for b in found])[pieces["bi"].to_numpy()]
    b_e = np.array([b.end for b in found])[pieces["bi"].to_numpy()]
    pieces["lo"] = np.maximum(pieces["s"], b_s)
    pieces["hi"] = np.minimum(pieces["e"], b_e)
    # logged-in seconds before each time, per agent: present when some fall in [lo, hi)
    st = facts.st[(facts.st["state"] != "logged_out") & (facts.st["e"] > facts.st["s"])]
    present = np.zeros(len(pieces), dtype=bool)
    for agent, mine in pieces.groupby("agent"):
        spans = st[st["agent"] == agent]
        if spans.empty:
            continue
        lo, hi = mine["lo"].to_numpy(), mine["hi"].to_numpy()
        s, e = spans["s"].to_numpy(), spans["e"].to_numpy()
        order = np.argsort(s)
        s, e = s[order], e[order]
        reach = np.maximum.accumulate(e)  # the latest end among intervals starting before
        before = np.searchsorted(s, hi, side="left") - 1
        ok = before >= 0
        ok[ok] = reach[before[ok]] > lo[ok]
        present[mine.index.to_numpy()] = ok
    pieces["present"] = present
    key = pieces["bi"] if by == "interval" else pieces["agent"]
    table = pd.DataFrame({"sched_seconds": pieces["ov"]}).groupby(key).sum()
    table["sched_agents"] = pieces.groupby(key)["agent"].nunique()
    table["present_agents"] = pieces[present].groupby(key[present])["agent"].nunique()
    # available time of the agents with a shift in the bucket
    rows = _interval_rows(facts.st, found)
    rows = rows[rows["state"].isin(_STATES[:5])]
    scheduled = pieces[["agent", "bi"]].drop_duplicates()
    worked = rows.merge(scheduled, on=["agent", "bi"])
    work_key = worked["bi"] if by == "interval" else worked["agent"]
    table["sched_work"] = worked.groupby(work_key)["ov"].sum()
    return table.fillna(0)


def measures(facts: Facts, query: Query, found: list[Bucket], extra: ExternalData) -> Part:
    """Measures by half hour, or by agent; `query.by == "total"` gives the whole period
    (one bucket, keyed as the bucket) like a half hour."""
    by = "interval" if query.by in ("interval", "total") else query.by
    thr, short = query.sl_threshold, query.short_abandon
    tables = []
    if by == "interval":
        c = facts.calls
        outcome = c["outcome"]
        resolved = (
            (outcome == "answered")
            & (c["has_callback"] == 0)
            & (c["next_at"].isna() | (c["next_at"] > c["arrived_at"] + query.repeat_window))
        )
        tables.append(_sums(c, _bucket_of(c["arrived_at"], found), {
            "calls": pd.Series(1, index=c.index),
            "ended_answered": (outcome == "answered").astype(int),
            "ended_abandoned": (outcome == "abandoned").astype(int),
            "ended_blocked": (outcome == "blocked").astype(int),
            "ended_self_served": (outcome == "self_served").astype(int),
            "ended_callback": (outcome == "callback").astype(int),
            "ivr_calls": c["ivr"], "queued_calls": c["offered"],
            "fcr_base": (outcome == "answered").astype(int), "fcr_resolved": resolved.astype(int),
        }))  # fmt: skip
        q = c[c["offered"] == 1]
        answered = q["answered"] == 1
        abandoned = q["abandoned"] == 1
        tables.append(_sums(q, _bucket_of(q["q_t"], found), {
            "q_offered": pd.Series(1, index=q.index), "q_answered": q["answered"],
            "q_wait_answered": q["waited"].where(answered, 0.0),
            "q_rang": q["rang"].where(answered, 0.0),
            "q_in_sl": (answered & (q["waited"] <= thr)).astype(int),
            "q_abandoned": q["abandoned"],
            "q_abandoned_short": (abandoned & (q["ab_waited"] <= short)).astype(int),
            "q_abandon_wait": q["ab_waited"].where(abandoned, 0.0),
            "q_callback": q["callback"],
            "q_exits": q["exit_waited"].notna().astype(int),
            "q_exit_wait": q["exit_waited"].fillna(0.0),
        }))  # fmt: skip
    else:
        q = facts.contacts[facts.contacts["answered"] == 1]
        tables.append(_sums(q, _group_key(q, q["t"], by, found, "ans_agent"), {
            "q_answered": q["answered"], "q_wait_answered": q["ans_waited"],
            "q_rang": q["ans_rang"],
        }))  # fmt: skip
    legs = facts.legs
    tables.append(_sums(legs, _group_key(legs, legs["s"], by, found, "agent"), {
        "handled": pd.Series(1, index=legs.index), "leg_talk": legs["talk"],
        "leg_hold": legs["hold"], "leg_acw": legs["acw"], "transferred": legs["transferred"],
    }))  # fmt: skip
    tables.append(_agent_time(facts, found, by))
    ev = facts.ev
    surveys = ev[ev["kind"] == "survey.scored"]
    tables.append(_sums(surveys, _group_key(surveys, surveys["at"], by, found, "agent"), {
        "survey_count": pd.Series(1, index=surveys.index), "survey_sum": surveys["score"],
        "survey_satisfied": (surveys["score"] >= 4).astype(int),
    }))  # fmt: skip
    if by == "interval":
        created = ev.loc[ev["kind"] == "callback.created", ["at", "task", "due"]]
        closed = (
            ev[ev["kind"] == "callback.closed"]
            .groupby("task")
            .agg(closed_at=("at", "min"), result=("result", "max"))
        )
        cb = created.join(closed, on="task")
        close = query.end.timestamp()
        done = cb["closed_at"].notna()
        tables.append(_sums(cb, _bucket_of(cb["at"], found), {
            "cb_created": pd.Series(1, index=cb.index),
            "cb_base": (done | (cb["due"] <= close)).astype(int),
            "cb_in_time": (done & (cb["closed_at"] <= cb["due"])
                           & cb["result"].isin(["reached", "done"])).astype(int),
        }))  # fmt: skip
        orders = ev.loc[ev["kind"] == "order.created", ["at", "order", "type"]]
        steps = ev[ev["kind"].isin(["order.assigned", "order.reopened", "order.answered"])]
        flags = pd.DataFrame({
            "assigned": (steps["kind"] == "order.assigned").astype(int),
            "reopened": (steps["kind"] == "order.reopened").astype(int),
            "at_once": ((steps["kind"] == "order.answered") & steps["department"].isna())
            .astype(int),
        }).groupby(steps["order"]).max()  # fmt: skip
        o = orders.join(flags, on="order")
        tables.append(_sums(o, _bucket_of(o["at"], found), {
            "orders_created": pd.Series(1, index=o.index),
            "complaints": o["type"].isin(query.complaint_types).astype(int),
            "orders_fcr": ((o["at_once"] == 1) & (o["assigned"] == 0) & (o["reopened"] == 0))
            .astype(int),
        }))  # fmt: skip
        visits = ev[ev["kind"].isin(["order.visit_scheduled", "order.visited"])]
        tables.append(_sums(visits, _bucket_of(visits["at"], found), {
            "visits_scheduled": (visits["kind"] == "order.visit_scheduled").astype(int),
            "visits_made": (visits["kind"] == "order.visited").astype(int),
        }))  # fmt: skip
    if extra.shifts:
        tables.append(_schedule(facts, found, by, extra))
    part = Part()
    for table in tables:
        part.defined |= set(table.columns)
        for key, row in table.iterrows():
            name = found[int(key)].key if by == "interval" else str(key)
            group = part.groups.setdefault(name, {})
            for measure, value in row.items():
                group[str(measure)] = float(value)
    return part


def pandas_tables(events: pd.DataFrame, queries: list[Query], extra: ExternalData) -> list[Table]:
    """The tables of `queries` (by interval or agent, one period) from the event file."""
    start, end = queries[0].start.timestamp(), queries[0].end.timestamp()
    facts = Facts(events, start, end)
    out = []
    for query in queries:
        found = buckets(query)
        part = merge([measures(facts, query, found, extra), *outside(query, found, extra)])
        whole = dataclasses.replace(query, by="total")
        total_found = [Bucket(0, "total", "", start, end)]
        total = merge([measures(facts, whole, total_found, extra),
                       *outside(whole, total_found, extra)])  # fmt: skip
        if not extra.shifts:
            no = "no schedule"
            for p in (part, total):
                p.reasons.update(work_rate=no, attendance=no)
        total.groups = {"total": total.groups.get("total", {})}
        out.append(assemble(query, found, part, total, extra.names))
    return out
