"""The reports over the figures engine: the management report of the hand-made log and of
two simulated days, the schedule's hours per half hour, and the roster as outside data."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from hotline.core.errors import UnknownAgentError
from hotline.metrics import ExternalData, Query, Shift
from hotline.reports import (
    Cause,
    Move,
    Settings,
    Window,
    daily,
    day_of,
    describe,
    figures_report,
    monthly,
    scorecard,
)
from hotline.reports.schedule import hotline_data, log_days, roster_data, scheduled_hours
from hotline.sim.run import Simulation, load_scenario
from hotline.site import SiteConfig
from hotline.store.analytics import ParquetSource, figures
from hotline.store.db import Database
from hotline.store.eventfile import EventFileWriter
from tests.metrics.handlog import SH
from tests.reports.conftest import hand_events, load

WEEKDAY = Path(__file__).resolve().parents[2] / "examples" / "95598" / "scenarios" / "weekday.yaml"
JULY_15 = datetime.date(2026, 7, 15)


def at(day: int, hour: int, minute: int = 0) -> float:
    return datetime.datetime(2026, 7, day, hour, minute, tzinfo=SH).timestamp()


@pytest.fixture(scope="module")
def hand_db(tmp_path_factory: pytest.TempPathFactory):
    db = Database.open(f"sqlite:///{tmp_path_factory.mktemp('hand') / 'hand.db'}")
    load(db, hand_events())
    yield db
    db.close()


def test_scheduled_hours_are_split_at_the_rows_and_clipped_to_the_period():
    shifts = [
        Shift("1001", at(15, 8, 15), at(15, 9, 45)),
        Shift("1002", at(15, 23), at(16, 1)),  # past midnight
    ]
    day = datetime.datetime(2026, 7, 15, tzinfo=SH)
    halves = scheduled_hours(
        shifts, Query(start=day, end=day + datetime.timedelta(days=1), by="interval")
    )
    assert halves is not None
    assert len(halves) == 48
    assert halves[16:20] == [0.25, 0.5, 0.5, 0.25]  # 08:00 … 09:30
    assert halves[46:] == [0.5, 0.5]  # 23:00, 23:30; the rest of 1002's shift is the next day
    assert sum(halves) == 1.5 + 1.0
    days = scheduled_hours(shifts, Query(start=day, end=day + datetime.timedelta(days=2), by="day"))
    assert days == [2.5, 1.0]
    assert (
        scheduled_hours(shifts, Query(start=day, end=day + datetime.timedelta(days=1), by="agent"))
        is None
    )
    assert (
        scheduled_hours([], Query(start=day, end=day + datetime.timedelta(days=1), by="day"))
        is None
    )


def test_a_scenario_roster_gives_teams_names_and_shifts_on_its_days():
    scenario, hotline = load_scenario(WEEKDAY)
    data = roster_data(scenario, hotline.timezone, [JULY_15])
    assert data.teams["1001"] == "故障组"
    assert data.names["1001"] == "故障组1001"
    first = next(s for s in data.shifts if s.agent == "1001")  # the early shift, 07:00–16:00
    assert (first.start, first.end) == (at(15, 7), at(15, 16))
    # as a running hotline's schedule: every day the log holds, and the evening before
    site = SiteConfig.load(hotline.path, hotline=hotline)
    ran = hotline_data(site, scenario, (JULY_15 - datetime.timedelta(days=1), JULY_15))
    assert {datetime.datetime.fromtimestamp(s.start, SH).date() for s in ran.shifts} == {
        JULY_15 - datetime.timedelta(days=d) for d in (2, 1, 0)
    }
    idle = hotline_data(site, scenario, None)  # an empty log: no schedule, but the teams
    assert idle.shifts == ()
    assert idle.teams["1001"] == "故障组"


def test_the_days_the_log_holds(hand_db, tmp_path):
    assert log_days(hand_db, SH) == (JULY_15 - datetime.timedelta(days=1), JULY_15)
    empty = Database.open(f"sqlite:///{tmp_path / 'empty.db'}")
    assert log_days(empty, SH) is None
    empty.close()


def test_the_daily_report_explains_the_extra_abandon_of_the_hand_log(hand_db):
    settings = Settings()
    report = daily(hand_db, JULY_15, settings)
    assert report.kind == "day"
    assert (report.previous_period.first, report.previous_period.last) == (
        JULY_15 - datetime.timedelta(days=1),
    ) * 2
    start = datetime.datetime(2026, 7, 15, tzinfo=SH)
    query = Query(start=start, end=start + datetime.timedelta(days=1), by="interval")
    assert report.current.total.values == figures(hand_db, query).total.values
    [finding] = report.findings
    # 07-15 against 07-14 (the same day without c3, abandoned after 40 s): abandon rate
    # 0 → 1/3, service level 1/2 → 1/3, answered rate 2/4 → 2/5; ASA 19.5 s both days
    assert finding.kind == "worse"
    assert finding.moves == (
        Move("abandon_rate", 0.0, pytest.approx(1 / 3), pytest.approx(100 / 3)),
        Move("service_level", 0.5, pytest.approx(1 / 3), pytest.approx(50 / 3)),
        Move("answered_rate", 0.5, 0.4, pytest.approx(10.0)),
    )
    # every queued call of both days came in 09:00–09:30
    assert finding.window == Window("2026-07-15 09:00", "2026-07-15 09:00", "interval")
    assert finding.causes == (Cause("volume", 4, 5, pytest.approx(0.22314355), False),)
    assert describe(finding, "zh") == (
        "呼叫放弃率从 0.0% 升至 33.3%，服务水平从 50.0% 降至 33.3%，人工接通率从 50.0% 降至 40.0%："
        "09:00–09:30 来话量 +25%（4→5 通），平均处理时长、签入坐席工时基本未变"
        "（无排班数据，未判断实际工作率）。"
    )


def test_a_day_still_running_is_compared_with_the_day_before_as_far_into_it(hand_db):
    now = at(15, 9, 10)
    report = figures_report(hand_db, day_of(JULY_15, SH), "interval", Settings(), now=now)
    assert report.current.query.end.timestamp() == now
    assert report.previous.query.end.timestamp() == now - 86400
    assert len(report.current.rows) == len(report.previous.rows) == 19  # 00:00 … 09:00
    assert report.current.rows[-1].key == "2026-07-15 09:00"
    # by 09:10 c1, c2, c3 and c4 had arrived (c4 at 09:05); the day before c3 is missing
    assert report.current.total.values["total_calls"] == 4
    assert report.previous.total.values["total_calls"] == 3
    # a period over before `now` is not cut
    whole = figures_report(hand_db, day_of(JULY_15, SH), "day", Settings(), now=at(16, 12))
    assert whole.current.query.end == day_of(JULY_15, SH).end


def test_the_monthly_report_has_a_row_a_day_and_nothing_before(hand_db):
    report = monthly(hand_db, 2026, 7, Settings())
    assert report.kind == "month"
    assert len(report.current.rows) == 31
    assert report.current.rows[14].key == "2026-07-15"
    assert report.current.rows[14].values["total_calls"] == 9
    assert report.current.total.values["total_calls"] == 9 + 8
    assert (report.previous_period.first, report.previous_period.last) == (
        datetime.date(2026, 6, 1),
        datetime.date(2026, 6, 30),
    )
    # June holds no events at all: nothing to compare with, and no change worked out
    assert [f.kind for f in report.findings] == ["no_previous_data"]
    assert all(c.no_previous and c.delta is None for c in report.changes.values())


def test_a_scorecard_of_an_agent_no_one_knows_is_refused(hand_db):
    with pytest.raises(UnknownAgentError) as error:
        scorecard(hand_db, "7777", day_of(JULY_15, SH), Settings())
    assert error.value.error_id == "no-such-agent"
    assert error.value.details == {"agent": "7777"}
    # 1004 never logged in, but the roster knows them: a scorecard without values
    card = scorecard(
        hand_db, "1004", day_of(JULY_15, SH), Settings(), ExternalData(teams={"1004": "乙"})
    )
    assert card.team == "乙"
    assert all(line.agent is None for line in card.lines if line.key != "work_rate")


def test_a_simulated_busier_day_is_explained_by_its_calls(tmp_path):
    """Two simulated weekdays; the second has 25% more calls and the same roster, so the
    service is worse and the calls, not handle time, staffing or adherence, explain it."""
    scenario, hotline = load_scenario(WEEKDAY)
    writer = EventFileWriter(tmp_path / "two.parquet")  # DuckDB reads it: the fast engine
    days = (JULY_15 - datetime.timedelta(days=1), JULY_15)
    for day, factor in zip(days, (1.0, 1.25), strict=True):
        arrivals = scenario.arrivals.model_copy(
            update={"per_day": scenario.arrivals.per_day * factor}
        )
        one = scenario.model_copy(update={"start": day, "arrivals": arrivals})
        sim = Simulation(one, hotline, call_prefix=f"c{day.day}-")
        sim.subscribe(writer)
        sim.run()
    writer.close()
    extra = roster_data(scenario, hotline.timezone, [days[0] - datetime.timedelta(days=1), *days])
    report = daily(ParquetSource.at(tmp_path / "two.parquet"), JULY_15, Settings.of(hotline), extra)
    worse = next(f for f in report.findings if f.kind == "worse")
    assert worse.moves[0].key == "service_level"
    assert worse.causes[0].driver == "volume"
    assert worse.causes[0].current > 1.15 * worse.causes[0].previous
    assert {c.driver for c in worse.steady} >= {"staffing", "adherence"}
    assert worse.unknown == ()  # the roster's shifts: adherence is measured
    staffing = next(c for c in worse.steady if c.driver == "staffing")
    assert staffing.scheduled
    assert staffing.previous == staffing.current
    total = report.current.total.values
    assert report.scheduled is not None
    assert total["work_rate"] is not None
    assert "来话量 +" in describe(worse, "zh")
