"""SQLite, PostgreSQL and DuckDB (over a Parquet event file) run the same definitions: the
tables of a simulated weekday agree on every engine, for every grouping."""

from __future__ import annotations

import dataclasses
import datetime
import math

from hotline.cli import scenario_data
from hotline.metrics import Query, Table
from hotline.store.analytics import figure_tables
from tests.metrics.handlog import SH
from tests.metrics.simday import WEEKDAY, weekday

GROUPINGS = ("total", "interval", "hour", "agent", "team", "queue", "tier", "call_type")


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9)  # sums in another order


def _assert_same(left: Table, right: Table) -> None:
    assert [(r.key, r.label) for r in left.rows] == [(r.key, r.label) for r in right.rows]
    assert left.missing == right.missing
    for a, b in zip([*left.rows, left.total], [*right.rows, right.total], strict=True):
        assert a.values.keys() == b.values.keys()
        different = {k: (a.values[k], b.values[k]) for k in a.values
                     if not _same(a.values[k], b.values[k])}  # fmt: skip
        assert not different, (left.query.by, a.key, different)


def test_every_engine_gives_the_same_tables(load_on):
    day = weekday()
    extra = scenario_data(WEEKDAY)
    base = Query(
        start=datetime.datetime(2026, 7, 15, tzinfo=SH),
        end=datetime.datetime(2026, 7, 16, tzinfo=SH),
    )
    queries = [dataclasses.replace(base, by=by) for by in GROUPINGS]  # type: ignore[arg-type]
    tables = {
        engine: figure_tables(load_on(engine)(day.events), queries, extra)
        for engine in ("sqlite", "postgresql", "duckdb")
    }
    for engine in ("postgresql", "duckdb"):
        for left, right in zip(tables["sqlite"], tables[engine], strict=True):
            _assert_same(left, right)
    total = tables["sqlite"][0].total.values
    assert total["total_calls"] == day.summary["contacts"]  # the day is not empty
    agents = tables["sqlite"][GROUPINGS.index("agent")]
    assert len(agents.rows) > 40
    assert all(r.values["work_rate"] is not None for r in agents.rows)
