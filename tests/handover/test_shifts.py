"""Which shift of the roster a sheet belongs to: the example's staggered weekday roster,
a night shift past midnight, an agent's own shift, and a roster without shifts."""

from __future__ import annotations

import datetime
import zoneinfo
from pathlib import Path

from hotline.handover.shifts import ShiftPlan, roster_plan
from hotline.sim.run import load_scenario

REPO = Path(__file__).resolve().parents[2]
SH = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = datetime.date(2026, 7, 15)


def at(hour: int, minute: int = 0, day: datetime.date = DAY) -> float:
    return datetime.datetime.combine(day, datetime.time(hour, minute), SH).timestamp()


def plan() -> ShiftPlan:
    scenario, _ = load_scenario(REPO / "examples/95598/scenarios/weekday.yaml")
    return roster_plan(scenario, SH)


def test_the_lead_hands_over_the_shift_on_duty_that_ends_first() -> None:
    shifts = plan()
    early = shifts.current(at(8, 30))
    assert (early.label, early.hours, early.day) == ("早班", "07:00–16:00", DAY)
    assert (early.start, early.end) == (at(7), at(16))
    # once 早班 has its sheet, 白班 (08:00–17:00) is next
    day = shifts.current(at(15, 50), handed=[early.key])
    assert (day.label, day.hours) == ("白班", "08:00–17:00")
    assert shifts.current(at(16, 30)).label == "白班"
    assert shifts.current(at(17, 30)).label == "中班"
    assert shifts.current(at(22)).label == "晚班"


def test_a_night_shift_runs_past_midnight_and_belongs_to_the_day_it_began() -> None:
    night = plan().current(at(3))
    assert (night.label, night.hours) == ("夜班", "21:00–08:00")
    assert night.day == DAY - datetime.timedelta(days=1)
    assert (night.start, night.end) == (at(21, day=night.day), at(8))
    assert night.until(at(3)) == at(3)


def test_an_agent_counts_over_their_own_team_shift() -> None:
    shifts = plan()
    # 1001–1004 are 故障组 on 早班; 1005 the first of 故障组 on 白班 (08:00–17:00)
    mine = shifts.of_agent(at(16, 30), "1001")
    assert (mine.label, mine.start, mine.end) == ("早班", at(7), at(16))  # ended: last one
    theirs = shifts.of_agent(at(16, 30), "1005")
    assert (theirs.label, theirs.start) == ("白班", at(8))
    # a seat the roster does not name works the shift the lead hands over
    assert shifts.of_agent(at(16, 30), "9001").label == "白班"


def test_a_roster_without_shifts_has_the_whole_day() -> None:
    whole = ShiftPlan.of({}, SH).current(at(10))
    assert (whole.label, whole.hours, whole.start, whole.end) == (
        "全天",
        "00:00–24:00",
        at(0),
        at(0, day=DAY + datetime.timedelta(days=1)),
    )
