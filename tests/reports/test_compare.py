"""A figure against its target and against the period before."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from hotline.metrics import Query, Row, Table
from hotline.reports import aligned, change, status

SH = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_status_against_the_catalogue_targets():
    assert status("service_level", 0.85) == "met"  # target ≥ 85%
    assert status("service_level", 0.849) == "missed"
    assert status("acw", 60.0) == "met"  # target ≤ 60 s
    assert status("acw", 61.0) == "missed"
    assert status("aht", 300.0) is None  # no target
    assert status("service_level", None) is None


def test_a_change_is_better_or_worse_by_the_figure_s_direction():
    up = change("service_level", 0.90, 0.80)
    assert (up.delta, up.trend) == (pytest.approx(0.10), "better")
    assert up.relative == pytest.approx(0.125)
    assert change("abandon_rate", 0.05, 0.04).trend == "worse"  # lower is better, no target
    assert change("asa", 8.0, 10.0).trend == "better"
    assert change("total_calls", 120.0, 100.0).trend is None  # neither way is better
    assert change("aht", 200.0, 200.0).trend == "same"
    missing = change("cost_per_call", None, 4.0)
    assert (missing.delta, missing.relative, missing.trend) == (None, None, None)
    assert change("offered", 5.0, 0.0).relative is None  # from nothing: no relative change


def _table(by: str, keys: list[str]) -> Table:
    start = datetime.datetime(2026, 7, 15, tzinfo=SH)
    query = Query(start=start, end=start + datetime.timedelta(days=1), by=by)  # type: ignore[arg-type]
    return Table(query, [Row(k, k, {}) for k in keys], Row("total", "total", {}))


def test_time_rows_pair_by_position_and_the_others_by_key():
    now = _table("interval", ["2026-07-15 00:00", "2026-07-15 00:30"])
    before = _table("interval", ["2026-07-14 00:00"])
    assert [(a.key, b.key if b else None) for a, b in aligned(now, before)] == [
        ("2026-07-15 00:00", "2026-07-14 00:00"),
        ("2026-07-15 00:30", None),
    ]
    now, before = _table("agent", ["1001", "1002"]), _table("agent", ["1002", "1003"])
    assert [(a.key, b.key if b else None) for a, b in aligned(now, before)] == [
        ("1001", None),
        ("1002", "1002"),
    ]
