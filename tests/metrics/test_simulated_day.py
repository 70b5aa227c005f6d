"""The figures of a simulated weekday agree with what the simulator itself counted
(`hotline.sim.summary.RunSummary`, folded from the same events as they were published)."""

from __future__ import annotations

import datetime

import pytest

from hotline.metrics import Query
from hotline.store.analytics import figures
from tests.metrics.conftest import write_parquet
from tests.metrics.handlog import SH
from tests.metrics.simday import weekday


@pytest.fixture(scope="module")
def day_source(tmp_path_factory):
    return write_parquet(tmp_path_factory.mktemp("sim") / "weekday.parquet", weekday().events)


def _query(by: str) -> Query:
    day = weekday()
    # the whole run: the simulator counts agents' time up to the end of the run
    return Query(
        start=datetime.datetime(2026, 7, 15, tzinfo=SH),
        end=datetime.datetime.fromtimestamp(day.end, SH),
        by=by,  # type: ignore[arg-type]
    )


def test_totals_agree_with_the_run_summary(day_source):
    s = weekday().summary
    v = figures(day_source, _query("total")).total.values
    assert v["total_calls"] == s["contacts"]
    assert v["calls_answered"] == v["answered"] == s["answered"]
    assert v["abandoned"] == s["abandoned"]
    assert v["abandoned_short"] == s["abandoned_short"]
    assert v["abandoned"] - v["abandoned_short"] == s["abandoned_excluding_short"]
    assert v["calls_abandoned"] == s["abandoned"] + s["ivr_abandoned"]
    assert v["calls_self_served"] == s["self_served"]
    assert v["calls_callback"] == s["callback"]
    assert v["calls_blocked"] == s["blocked"]
    assert v["abandon_rate"] == s["abandon_rate"]
    assert v["service_level"] == s["service_level"]
    assert v["asa"] == pytest.approx(s["asa_s"], rel=1e-12)
    assert v["occupancy"] == pytest.approx(s["occupancy"], rel=1e-12)
    assert v["survey_score"] == s["survey_mean"]
    assert v["callbacks_created"] == s["callbacks_created"]
    assert s["abandoned_short"]
    assert s["abandoned_excluding_short"]
    assert s["callback"]


def test_tiers_queues_and_hours_agree_with_the_run_summary(day_source):
    s = weekday().summary
    tiers = figures(day_source, _query("tier"))
    assert {r.key: r.values["service_level"] for r in tiers.rows} == s["service_level_by_tier"]
    queues = figures(day_source, _query("queue"))
    answered = {r.key: r.values["answered"] for r in queues.rows}
    for name, counted in s["service_level_by_queue"].items():
        assert answered.get(name, 0) == counted["answered"], name
    hours = figures(day_source, _query("hour"))
    calls = {
        r.key[-5:-3]: r.values["total_calls"] for r in hours.rows if r.key.startswith("2026-07-15")
    }
    for row in s["by_interval"]:
        assert calls[f"{int(row['start_s'] // 3600):02d}"] == row["contacts"]
