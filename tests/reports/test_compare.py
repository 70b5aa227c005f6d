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


def test_a_period_without_data_gives_no_change_but_says_so():
    """The day before a demo's first day has its roster (a schedule) but no events: its
    work rate reads 0%, which is no ground for "+101.6 个百分点"."""
    from hotline.metrics import FIGURES
    from hotline.reports.compare import changes
    from hotline.web.reports_pages import change_text

    now = Row("total", "合计", {"work_rate": 1.0, "total_calls": 40.0, "logged_in_hours": 8.0})
    empty = Row("total", "合计", {"work_rate": 0.0, "total_calls": 0.0, "logged_in_hours": 0.0})
    found = changes(now, empty, ("work_rate", "total_calls"))
    assert all(c.no_previous and c.delta is None and c.previous is None for c in found.values())
    assert change_text("work_rate", found["work_rate"], "zh") == "无上期数据"
    assert change_text("work_rate", found["work_rate"], "en") == "no data for the previous period"
    # agents logged in but no calls is data: the change is worked out
    quiet = Row("total", "合计", {"work_rate": 0.5, "total_calls": 0.0, "logged_in_hours": 2.0})
    worked = changes(now, quiet, ("work_rate",))["work_rate"]
    assert not worked.no_previous
    assert change_text("work_rate", worked, "zh") == "+50.0 个百分点"
    assert FIGURES["logged_in_hours"].unit == "count"  # what `has_data` relies on


def test_values_are_written_in_the_page_s_language_and_never_round_to_zero():
    from hotline.metrics import FIGURES
    from hotline.metrics.render import cell

    assert cell(FIGURES["acw"], 36.66, "zh") == "36.7 秒"
    assert cell(FIGURES["acw"], 36.66, "en") == "36.7 s"
    assert cell(FIGURES["calls_per_hour"], 4.2, "zh") == "4.20 次/小时"
    assert cell(FIGURES["complaint_rate"], 1 / 3000) == "0.033%"  # one complaint in 3,000
    assert cell(FIGURES["complaint_rate"], 0.0) == "0.0%"
    assert cell(FIGURES["work_rate"], 0.9234) == "92.3%"
