"""The management figures in SQL over the event log: SQLite, PostgreSQL, and DuckDB over
exported Parquet files, all running the same definitions (docs/metrics.md).

`figures(source, query)` builds the facts of the query's period once (temporary
tables), aggregates them by the query's grouping and for the whole period, adds what
comes from outside the log (`ExternalData`), and returns the `Table`.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy.exc import SQLAlchemyError

from hotline.metrics.buckets import Bucket, buckets
from hotline.metrics.external import ExternalData, Shift
from hotline.metrics.outside import Part, merge, outside
from hotline.metrics.query import TIME_GROUPINGS, Query, Table
from hotline.metrics.table import assemble
from hotline.store.analytics.events import KINDS, QUEUE_KINDS, database_events, parquet_events
from hotline.store.analytics.facts import build
from hotline.store.analytics.measures import aggregate
from hotline.store.analytics.parquet import ParquetSource, export_events
from hotline.store.analytics.runner import DuckRunner, Runner, sql_runner
from hotline.store.db import Agents, Database, StoreError

__all__ = [
    "ParquetSource",
    "export_events",
    "figure_tables",
    "figures",
    "live_figures",
    "measure_groups",
]

LOOKBACK = 86400.0
"""Events read before the period: calls and agent states that began before it."""
LOOKAHEAD = 86400.0
"""Events read after the period: how its calls, conversations and wrap-ups ended."""

NO_SCHEDULE = "no schedule (shifts: in the metrics file, or the scenario's roster)"


@contextmanager
def _runner(
    source: Database | ParquetSource, lo: float, hi: float, kinds: Sequence[str] = KINDS
) -> Iterator[tuple[Runner, str]]:
    if isinstance(source, ParquetSource):
        import duckdb

        duck = DuckRunner(source.threads)
        try:
            yield duck, parquet_events(source.columns(), lo, hi, kinds)
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0]
            raise StoreError(f"DuckDB could not read the event files: {first}") from None
        finally:
            duck.close()
    else:
        try:
            with sql_runner(source) as runner:
                yield runner, database_events(runner.dialect, lo, hi, kinds)
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise StoreError(f"{source.display_url}: the figures query failed: {reason}") from None


def _with_roster(source: Database | ParquetSource, extra: ExternalData) -> ExternalData:
    """Teams and names from the database's agents table where `extra` has none."""
    if extra.teams or not isinstance(source, Database):
        return extra
    agents = Agents(source).list()
    roster = ExternalData(
        teams={a.id: a.team for a in agents if a.team}, names={a.id: a.name for a in agents}
    )
    return extra.merged(roster)


def _part(
    runner: Runner, query: Query, extra: ExternalData, *, queues_only: bool = False
) -> tuple[Part, list[Bucket]]:
    found = buckets(query)
    bounds = [(b.index, b.start, b.end) for b in found]
    groups, defined = aggregate(
        runner, query, bounds, shifts=bool(extra.shifts), queues_only=queues_only
    )
    part = Part(defined=defined)
    if query.by in TIME_GROUPINGS:
        keys = {str(b.index): b.key for b in found}
        part.groups = {keys[g]: m for g, m in groups.items() if g in keys}
    else:
        part.groups = groups
    if not extra.shifts:
        part.reasons.update(work_rate=NO_SCHEDULE, attendance=NO_SCHEDULE)
    return merge([part, *outside(query, found, extra)]), found


def merged_shifts(shifts: Sequence[Shift]) -> list[tuple[str, float, float]]:
    """Each agent's shifts with overlapping or touching ones joined: an agent scheduled
    twice for the same minutes (two overlapping lines of a roster) is still one agent
    for those minutes, in the scheduled time and in the work counted against it."""
    joined: list[tuple[str, float, float]] = []
    for shift in sorted(shifts, key=lambda s: (s.agent, s.start, s.end)):
        if joined and joined[-1][0] == shift.agent and shift.start <= joined[-1][2]:
            agent, start, end = joined[-1]
            joined[-1] = (agent, start, max(end, shift.end))
        else:
            joined.append((shift.agent, shift.start, shift.end))
    return joined


@contextmanager
def _session(
    source: Database | ParquetSource,
    queries: Sequence[Query],
    extra: ExternalData,
    *,
    queues_only: bool = False,
    lookback: float = LOOKBACK,
) -> Iterator[Runner]:
    """A runner with the facts built (temporary tables) for queries that end at the same
    time (the facts' "now"); their periods may start at different times."""
    first = queries[0]
    if any(q.end != first.end for q in queries):
        raise StoreError("every query must end at the same time")
    start, end = min(q.start for q in queries).timestamp(), first.end.timestamp()
    lookahead = max(LOOKAHEAD, *(q.repeat_window for q in queries))
    kinds = QUEUE_KINDS if queues_only else KINDS
    with _runner(source, start - lookback, end + lookahead, kinds) as (runner, events_sql):
        build(runner, events_sql, close=end, queues_only=queues_only)
        runner.execute(
            "CREATE TEMP TABLE hl_b (bi INTEGER, s DOUBLE PRECISION, e DOUBLE PRECISION)"
        )
        runner.execute("CREATE TEMP TABLE hl_team (agent TEXT, team TEXT)")
        runner.insert("hl_team", sorted(extra.teams.items()))
        if extra.shifts:
            runner.execute(
                "CREATE TEMP TABLE hl_shift (agent TEXT, s DOUBLE PRECISION, e DOUBLE PRECISION)"
            )
            runner.insert("hl_shift", merged_shifts(extra.shifts))
        yield runner


def figure_tables(
    source: Database | ParquetSource,
    queries: Sequence[Query],
    extra: ExternalData | None = None,
) -> list[Table]:
    """One table per query; the queries share one period (the facts are built once)."""
    if not queries:
        return []
    if any(q.start != queries[0].start for q in queries):
        raise StoreError("every query must cover the same period")
    extra = _with_roster(source, extra or ExternalData())
    tables = []
    with _session(source, queries, extra) as runner:
        totals: dict[Query, Part] = {}  # the whole period, once per set of thresholds
        for query in queries:
            whole = dataclasses.replace(query, by="total", figures=None)
            part, found = _part(runner, query, extra)
            if query.by == "total":
                totals[whole] = part
            elif whole not in totals:
                totals[whole] = _part(runner, whole, extra)[0]
            tables.append(assemble(query, found, part, totals[whole], extra.names))
    return tables


def measure_groups(
    source: Database | ParquetSource,
    queries: Sequence[Query],
    *,
    queues_only: bool = False,
    lookback: float = LOOKBACK,
) -> list[dict[str, dict[str, float]]]:
    """The raw measures (counts, sums of seconds) per group key of each query, the
    queries ending at the same time (the facts are built once): for callers that add up
    groups measured against different thresholds before dividing (the live wallboard:
    each tier's service level against its own target). A time grouping's keys are its
    buckets' keys. `queues_only`: only the call and queue measures, from only the events
    they need (much less work); `lookback`: seconds of events read before the earliest
    start (calls that began before it)."""
    if not queries:
        return []
    extra = ExternalData()
    with _session(source, queries, extra, queues_only=queues_only, lookback=lookback) as runner:
        return [_part(runner, q, extra, queues_only=queues_only)[0].groups for q in queries]


def figures(
    source: Database | ParquetSource, query: Query, extra: ExternalData | None = None
) -> Table:
    """The figures of `query` over `source` (see the module docstring)."""
    return figure_tables(source, [query], extra)[0]


def live_figures(
    db: Database,
    now: float,
    timezone: datetime.tzinfo,
    *,
    window: float | None = None,
    by: str = "total",
    extra: ExternalData | None = None,
    **options: object,
) -> Table:
    """The live wallboard's figures from the same SQL: today so far (local midnight to
    `now`), or the last `window` seconds. `options` are further `Query` fields."""
    end = datetime.datetime.fromtimestamp(now, timezone)
    if window is None:
        start = end.replace(hour=0, minute=0, second=0, microsecond=0)
    else:
        start = datetime.datetime.fromtimestamp(now - window, timezone)
    if end <= start:
        end = start + datetime.timedelta(microseconds=1)
    query = Query(start=start, end=end, by=by, **options)  # type: ignore[arg-type]
    return figures(db, query, extra)
