"""Queries refuse what they cannot answer; buckets are local half hours, days, weeks, months;
every figure of the catalogue has a formula."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from hotline.metrics import FIGURES, SEED_FIGURES, MetricsError, Query
from hotline.metrics.buckets import buckets
from hotline.metrics.formulas import FORMULAS
from tests.metrics.handlog import SH

START = datetime.datetime(2026, 7, 15, tzinfo=SH)


def test_the_catalogue():
    assert [f.number for f in SEED_FIGURES] == list(range(1, 24))
    assert list(FIGURES)[:23] == [f.key for f in SEED_FIGURES]
    assert set(FORMULAS) == set(FIGURES)
    needs = {k: f.needs for k, f in FIGURES.items() if f.needs}
    assert needs == {
        "work_rate": "schedule", "cost_per_call": "cost", "qa_score": "qa",
        "attendance": "schedule", "attrition": "hr", "order_accuracy": "orders",
    }  # fmt: skip
    assert FIGURES["service_level"].target.value == 0.85
    assert FIGURES["transfer_rate"].target.better == "lower"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"start": datetime.datetime(2026, 7, 15)},
            "query start: needs a datetime with a time zone",
        ),
        ({"end": START}, "is not after start"),
        ({"by": "year"}, "query by: 'year' is not one of"),
        ({"sl_threshold": -1}, "query sl_threshold: must be 0 or more"),
        ({"sl_variant": "all"}, "query sl_variant: 'all' is not one of"),
        ({"figures": ("asa", "speed")}, "unknown figure speed"),
        ({"ring_seconds": 0}, "query ring_seconds"),
    ],
)
def test_bad_queries_name_the_parameter(options, message):
    values = {"start": START, "end": START + datetime.timedelta(days=1)}
    values.update(options)
    with pytest.raises(MetricsError, match=message):
        Query(**values)  # type: ignore[arg-type]


def test_half_hours_and_hours_are_local():
    found = buckets(Query(start=START, end=START + datetime.timedelta(days=1), by="interval"))
    assert len(found) == 48
    assert found[0].key == "2026-07-15 00:00"
    assert found[0].start == START.timestamp()
    assert found[19].key == "2026-07-15 09:30"
    hours = buckets(Query(start=START, end=START + datetime.timedelta(hours=5), by="hour"))
    assert [b.key[-5:] for b in hours] == ["00:00", "01:00", "02:00", "03:00", "04:00"]


def test_weeks_months_and_clipping():
    end = datetime.datetime(2026, 9, 2, tzinfo=SH)
    months = buckets(Query(start=START, end=end, by="month"))
    assert [b.key for b in months] == ["2026-07", "2026-08", "2026-09"]
    assert months[0].start == START.timestamp()  # clipped to the query
    assert months[1].start == datetime.datetime(2026, 8, 1, tzinfo=SH).timestamp()
    assert months[-1].end == end.timestamp()
    weeks = buckets(Query(start=START, end=end, by="week"))
    assert weeks[0].key == "2026-W29"
    assert weeks[1].key == "2026-W30"
    assert weeks[1].start == datetime.datetime(2026, 7, 20, tzinfo=SH).timestamp()  # a Monday


def test_days_follow_daylight_saving_time():
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    start = datetime.datetime(2026, 3, 28, tzinfo=berlin)
    days = buckets(Query(start=start, end=start + datetime.timedelta(days=3), by="day"))
    assert [b.end - b.start for b in days] == [86400, 82800, 86400]  # the 29th has 23 hours


def test_too_many_buckets_is_refused():
    with pytest.raises(MetricsError, match="coarser"):
        buckets(Query(start=START, end=START + datetime.timedelta(days=3000), by="interval"))


def test_the_metrics_file(tmp_path):
    from hotline.core.config import ConfigError
    from hotline.metrics import load_metrics_config

    good = tmp_path / "metrics.yaml"
    good.write_text(
        "timezone: Asia/Shanghai\n"
        "costs: [{from: 2026-07-01, to: 2026-07-31, yuan: 1200000}]\n"
        'shifts: [{agent: "1001", start: "2026-07-15 07:00", end: "2026-07-15 16:00"}]\n'
        'staff: [{agent: "1001", hired: 2024-03-01}]\n'
        'qa: [{agent: "1001", date: 2026-07-15, score: 92}]\n'
        'teams: {"1001": 故障组}\n',
        encoding="utf-8",
    )
    config = load_metrics_config(good)
    shift = config.data.shifts[0]
    assert shift.start == datetime.datetime(2026, 7, 15, 7, tzinfo=SH).timestamp()
    assert shift.end - shift.start == 9 * 3600
    assert config.data.costs[0].yuan == 1_200_000
    assert config.data.teams == {"1001": "故障组"}
    bad = tmp_path / "bad.yaml"
    bad.write_text("costs:\n  - {from: 2026-07-31, to: 2026-07-01, yuan: 5}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad.yaml:2:.*'to' is before 'from'"):
        load_metrics_config(bad)
