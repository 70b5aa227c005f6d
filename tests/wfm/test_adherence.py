"""Adherence and attendance against hand-computed days, and a brute-force twin second by
second (hypothesis)."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.core.customer import ListMark, Tier
from hotline.core.ids import AgentId, CallId, QueueName
from hotline.metrics.external import Shift as ReportShift
from hotline.routing.events import AgentStateChanged, ContactQueued
from hotline.routing.model import AgentState
from hotline.wfm.adherence import (
    Planned,
    PlannedShift,
    Rules,
    Timeline,
    adherence,
    attendance,
    live,
    planned_from_week,
    timelines,
    work_spans,
)
from hotline.wfm.schedule import AgentWeek, ShiftAssignment
from hotline.wfm.shifts import SLOTS_PER_DAY, Shift

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MONDAY = datetime.date(2026, 7, 13)
S = AgentState


def at(hour: int, minute: int = 0, second: int = 0, *, day: int = 0) -> float:
    """Epoch seconds of a local Shanghai time in the week of MONDAY."""
    date = MONDAY + datetime.timedelta(days=day)
    return datetime.datetime(
        date.year, date.month, date.day, hour, minute, second, tzinfo=SHANGHAI
    ).timestamp()


def change(when: float, agent: str, state: S, previous: S, reason: str = "") -> AgentStateChanged:
    return AgentStateChanged(when, AgentId(agent), state, previous, reason)


def day_shift(agent: str, day: int = 0) -> PlannedShift:
    """08:00-16:30 with the meal 12:00-12:30 and 30 minutes of breaks."""
    meal = (at(12, day=day), at(12, 30, day=day))
    return PlannedShift(agent, at(8, day=day), at(16, 30, day=day), meal, 1800.0, "early")


def agent_a_day() -> list[AgentStateChanged]:
    """Late by 3 min; breaks of 15 + 20 min; meal 11:55-12:35; 6 min busy; out at 16:20."""
    rows = [
        (at(8, 3), S.READY, S.LOGGED_OUT, ""),
        (at(9, 10), S.RINGING, S.READY, ""),
        (at(9, 10, 10), S.TALKING, S.RINGING, ""),
        (at(9, 15), S.WRAP_UP, S.TALKING, ""),
        (at(9, 16), S.READY, S.WRAP_UP, ""),
        (at(10), S.NOT_READY, S.READY, "break"),
        (at(10, 15), S.READY, S.NOT_READY, ""),
        (at(11, 55), S.NOT_READY, S.READY, "meal"),
        (at(12, 35), S.READY, S.NOT_READY, ""),
        (at(14), S.NOT_READY, S.READY, "break"),
        (at(14, 20), S.READY, S.NOT_READY, ""),
        (at(15), S.NOT_READY, S.READY, "busy"),
        (at(15, 6), S.READY, S.NOT_READY, ""),
        (at(16, 20), S.LOGGED_OUT, S.READY, ""),
    ]
    return [change(t, "A", s, p, r) for t, s, p, r in rows]


# --- the hand-computed day ----------------------------------------------------------------


def test_a_late_agent_with_a_break_overrun_who_leaves_early():
    report = adherence([day_shift("A")], timelines(agent_a_day()))
    (shift,) = report.shifts
    # out: 08:00-08:03, 11:55-12:00 (meal before its time), 12:30-12:35 (back late),
    # 14:15-14:20 (breaks 15 + 20 min against 30 allowed), 15:00-15:06 busy, 16:20-16:30
    out = 180 + 300 + 300 + 300 + 360 + 600
    assert shift.scheduled == 8.5 * 3600
    assert shift.out == out
    assert shift.in_adherence == 8.5 * 3600 - out
    assert shift.adherence == pytest.approx(28560 / 30600)
    assert shift.late_login == 180
    assert shift.early_logout == 600
    assert shift.break_taken == 35 * 60
    assert shift.break_overrun == 300
    assert not shift.absent
    outs = {(i.start, i.out) for i in report.intervals if i.out}
    assert outs == {
        (at(8), 180),
        (at(11, 30), 300),
        (at(12, 30), 300),
        (at(14), 300),
        (at(15), 360),
        (at(16), 600),
    }
    assert len(report.intervals) == 17
    assert all(i.scheduled == 1800 and i.agent == "A" for i in report.intervals)
    assert sum(i.in_adherence for i in report.intervals) == shift.in_adherence
    assert report.adherence == shift.adherence


def test_an_absent_agent_is_in_adherence_only_through_the_meal():
    report = adherence([day_shift("B")], {})
    (shift,) = report.shifts
    assert shift.absent
    assert shift.late_login is None
    assert shift.early_logout is None
    # logged out is what the meal asks for; all the planned work is out
    assert shift.in_adherence == 1800
    assert shift.out == 8 * 3600
    meal = [i for i in report.intervals if i.in_adherence]
    assert [(i.start, i.in_adherence, i.out) for i in meal] == [(at(12), 1800, 0)]


def test_the_grace_forgives_a_minute_and_the_log_in_before_the_shift_is_on_time():
    events = [
        change(at(7, 50), "C", S.NOT_READY, S.LOGGED_OUT, "login"),
        change(at(8, 0, 40), "C", S.READY, S.NOT_READY),
        change(at(16, 29, 30), "C", S.LOGGED_OUT, S.READY),
    ]
    (shift,) = adherence([day_shift("C")], timelines(events)).shifts
    assert shift.late_login == 0
    assert shift.early_logout == 0
    # not ready/login for 40 s, working through the meal (30 min), 30 s logged out
    assert shift.out == 40 + 1800 + 30


def test_a_break_in_the_meal_is_out_and_a_meal_in_the_work_is_out():
    events = [
        change(at(8), "M", S.READY, S.LOGGED_OUT),
        change(at(11, 30), "M", S.NOT_READY, S.READY, "meal"),  # meal 30 min early
        change(at(12), "M", S.NOT_READY, S.NOT_READY, "break"),  # 小休 instead of 用餐
        change(at(12, 30), "M", S.READY, S.NOT_READY),
        change(at(16, 30), "M", S.LOGGED_OUT, S.READY),
    ]
    (shift,) = adherence([day_shift("M")], timelines(events)).shifts
    assert shift.out == 3600
    assert shift.break_taken == 0
    assert shift.break_overrun == 0


def test_a_night_shift_across_midnight_from_the_published_week():
    # Sunday 22:00 to Monday 06:30 of the next week, meal 02:00-02:30, 2 x 15 min breaks
    start = 6 * SLOTS_PER_DAY + 44
    night = ShiftAssignment(6, "night", start, start + 17, (start + 8, start + 9))
    week = AgentWeek("N", (None,) * 6 + (night,), 8.0, 0)
    shifts = {"night": Shift("night", 44, 17, (8,), 1, 8.0, 30)}
    (planned,) = planned_from_week(MONDAY, SHANGHAI, [week], shifts)
    assert planned == PlannedShift(
        "N", at(22, day=6), at(6, 30, day=7), (at(2, day=7), at(2, 30, day=7)), 1800.0, "night"
    )
    events = [
        change(at(21, 58, day=6), "N", S.READY, S.LOGGED_OUT),
        change(at(1, 0, day=7), "N", S.NOT_READY, S.READY, "break"),  # 45 min: 15 over
        change(at(1, 45, day=7), "N", S.AWAY, S.NOT_READY),  # away till the meal's end
        change(at(2, 30, day=7), "N", S.READY, S.AWAY),
        change(at(6, 30, day=7), "N", S.LOGGED_OUT, S.READY),
    ]
    report = adherence([planned], timelines(events))
    (shift,) = report.shifts
    # out: 01:30-01:45 break past its 30 min, 01:45-02:00 away before the meal
    assert shift.out == 1800
    assert shift.break_overrun == 900
    assert shift.break_taken == 2700
    assert shift.late_login == 0
    assert shift.early_logout == 0
    assert [i.start for i in report.intervals][:5] == [
        at(22, day=6),
        at(22, 30, day=6),
        at(23, day=6),
        at(23, 30, day=6),
        at(0, day=7),
    ]
    assert {i.start: i.out for i in report.intervals if i.out} == {at(1, 30, day=7): 1800}


def test_a_shift_across_a_dst_change_lasts_its_real_length():
    new_york = zoneinfo.ZoneInfo("America/New_York")  # clocks go forward Sun 2026-03-08 02:00
    start = 5 * SLOTS_PER_DAY + 44  # Saturday 22:00 to Sunday 06:30 local
    week = AgentWeek("D", (None,) * 5 + (ShiftAssignment(5, "n", start, start + 17, None),), 8, 0)
    (planned,) = planned_from_week(datetime.date(2026, 3, 2), new_york, [week])
    assert planned.end - planned.start == 7.5 * 3600
    assert planned.start == datetime.datetime(2026, 3, 7, 22, tzinfo=new_york).timestamp()
    assert planned.break_seconds == 0


def test_planned_from_week_checks_its_arguments():
    week = AgentWeek("X", (ShiftAssignment(0, "early", 16, 33, None),), 8, 0)
    with pytest.raises(ValueError, match="week_start must be a Monday"):
        planned_from_week(MONDAY + datetime.timedelta(days=1), SHANGHAI, [week])
    with pytest.raises(ValueError, match="shifts has no shift 'early'"):
        planned_from_week(MONDAY, SHANGHAI, [week], {})
    with pytest.raises(ValueError, match="meal"):
        PlannedShift("X", 0.0, 100.0, (50.0, 150.0))
    with pytest.raises(ValueError, match="end must be after start"):
        PlannedShift("X", 10.0, 10.0)
    with pytest.raises(ValueError, match="grace"):
        Rules(grace=-1)


def test_work_spans_leave_the_meal_out_for_the_reports_schedule():
    spans = work_spans([day_shift("A")])
    assert spans == [
        Planned("A", at(8), at(12), "work"),
        Planned("A", at(12, 30), at(16, 30), "work"),
    ]
    shifts = [ReportShift(s.agent, s.start, s.end) for s in spans]
    assert sum(s.end - s.start for s in shifts) == 8 * 3600


# --- attendance and live ------------------------------------------------------------------


def test_attendance_counts_agent_shifts_with_a_log_in_during_the_shift():
    plan = [day_shift(agent, day) for agent in ("A", "B") for day in range(3)]
    events = [
        # A: days 0 and 1 present; day 2 logged in only after the shift (not present)
        change(at(8, day=0), "A", S.READY, S.LOGGED_OUT),
        change(at(17, day=0), "A", S.LOGGED_OUT, S.READY),
        change(at(16, 29, day=1), "A", S.READY, S.LOGGED_OUT),
        change(at(17, day=1), "A", S.LOGGED_OUT, S.READY),
        change(at(16, 30, day=2), "A", S.READY, S.LOGGED_OUT),
        # B: logged in since the night before day 1, so present on day 1 only
        change(at(23, day=0), "B", S.AWAY, S.LOGGED_OUT),
        change(at(9, day=1), "B", S.LOGGED_OUT, S.AWAY),
    ]
    report = adherence(plan, timelines(events))
    total = attendance(report.shifts)
    assert (total.scheduled, total.present) == (6, 3)
    assert total.rate == 0.5
    day1 = attendance(report.shifts, start=at(0, day=1), end=at(0, day=2))
    assert (day1.scheduled, day1.present, day1.rate) == (2, 2, 1.0)
    assert attendance(report.shifts, start=at(0, day=5)).rate is None


def test_live_lists_who_is_out_of_adherence_now_and_since_when():
    plan = [day_shift("A"), day_shift("B"), day_shift("Z", day=1)]
    lines = timelines(agent_a_day())

    def now(t: float) -> list[tuple[str, float, str, str, str]]:
        return [(o.agent, o.since, o.scheduled, o.state, o.reason) for o in live(t, plan, lines)]

    assert now(at(8, 1)) == [
        ("A", at(8), "work", "logged_out", ""),
        ("B", at(8), "work", "logged_out", ""),
    ]
    # A's second break passes the allowance at 14:15
    assert now(at(14, 10)) == [("B", at(12, 30), "work", "logged_out", "")]
    assert now(at(14, 18))[1] == ("A", at(14, 15), "work", "not_ready", "break")
    # in the meal B (logged out) is in adherence; A is back from it late
    assert now(at(12, 10)) == []
    assert now(at(12, 32))[0] == ("A", at(12, 30), "work", "not_ready", "meal")
    # a change made at now counts; the first break (15 min) is within the allowance
    assert [o.agent for o in live(at(10), plan, lines)] == ["B"]
    assert now(at(15))[1] == ("A", at(15), "work", "not_ready", "busy")
    assert now(at(16, 30)) == []  # every shift has ended


# --- the timeline ---------------------------------------------------------------------------


def test_timelines_fold_the_log_in_time_order_from_the_first_previous():
    events = [
        ContactQueued(5.0, CallId("c1"), QueueName("q"), "caller", Tier.MIDDLE, ListMark.NONE, 0),
        change(20.0, "E", S.READY, S.NOT_READY, "login"),
        change(10.0, "E", S.NOT_READY, S.AWAY, "login"),  # out of order: sorted
        change(20.0, "E", S.TALKING, S.READY),  # same time: the log's order is kept
    ]
    (line,) = timelines(events).values()
    assert line.initial == ("away", "")
    assert line.times == (10.0, 20.0, 20.0)
    assert line.at(9.0) == ("away", "")
    assert line.at(10.0) == ("not_ready", "login")
    assert line.at(20.0) == ("talking", "")
    assert Timeline("nobody").at(0.0) == ("logged_out", "")


@dataclass(frozen=True, slots=True)
class Row:
    """A state change as a plain record (states as their strings), as the store reads it."""

    at: float
    agent: str
    state: str
    previous: str
    reason: str | None = None
    kind: str = "agent.state_changed"


def test_timelines_read_plain_records_with_string_states():
    rows = [Row(1.0, "F", "not_ready", "logged_out", "break"), Row(2.0, "F", "ready", "not_ready")]
    line = timelines(rows)["F"]
    assert line.initial == ("logged_out", "")
    assert line.states == (("not_ready", "break"), ("ready", ""))
    shift = PlannedShift("F", 0.0, 4.0, break_seconds=0.5)
    (result,) = adherence([shift], {"F": line}).shifts
    # logged out 0-1, break 1-2 (0.5 allowed), ready 2-4
    assert (result.in_adherence, result.out, result.break_overrun) == (2.5, 1.5, 0.5)


# --- against a brute-force twin -------------------------------------------------------------

STATES = [
    ("logged_out", ""),
    ("ready", ""),
    ("talking", ""),
    ("away", ""),
    ("not_ready", "break"),
    ("not_ready", "meal"),
    ("not_ready", "busy"),
    ("not_ready", "login"),
]


def brute(shift: PlannedShift, line: Timeline, width: int) -> dict[float, tuple[int, int]]:
    """In and out seconds per interval, judging each second by itself."""
    cells: dict[float, list[int]] = {}
    used = 0
    for s in range(int(shift.start), int(shift.end)):
        state, reason = line.at(s)
        meal = shift.meal is not None and shift.meal[0] <= s < shift.meal[1]
        if meal:
            ok = state in ("logged_out", "away") or reason == "meal"
        elif state == "not_ready" and reason == "break":
            ok = used < shift.break_seconds
            used += 1
        else:
            ok = state in ("ready", "talking")
        cell = cells.setdefault(float(s // width * width), [0, 0])
        cell[0 if ok else 1] += 1
    return {k: (v[0], v[1]) for k, v in cells.items()}


@settings(max_examples=300, deadline=None)
@given(
    bounds=st.tuples(st.integers(0, 400), st.integers(1, 600)),
    meal=st.one_of(st.none(), st.tuples(st.integers(0, 600), st.integers(1, 200))),
    allowance=st.integers(0, 200),
    changes=st.lists(st.tuples(st.integers(-50, 1100), st.sampled_from(STATES)), max_size=30),
    before=st.sampled_from(STATES),
    width=st.sampled_from([60, 90, 1800]),
)
def test_adherence_matches_a_second_by_second_count(
    bounds, meal, allowance, changes, before, width
):
    start, length = bounds
    end = start + length
    shift_meal = None
    if meal is not None and start + meal[0] < end:
        shift_meal = (float(start + meal[0]), float(min(end, start + meal[0] + meal[1])))
    shift = PlannedShift("P", float(start), float(end), shift_meal, float(allowance))
    changes = sorted(changes, key=lambda c: c[0])
    line = Timeline("P", before, tuple(float(t) for t, _ in changes), tuple(s for _, s in changes))
    report = adherence([shift], {"P": line}, rules=Rules(interval=width))
    expected = brute(shift, line, width)
    got = {i.start: (i.in_adherence, i.out) for i in report.intervals}
    assert got == expected
    for i in report.intervals:
        overlap = min(end, i.start + width) - max(start, i.start)
        assert i.in_adherence + i.out == i.scheduled == overlap
        assert 0 <= i.adherence <= 1
    (result,) = report.shifts
    assert result.scheduled == length
    assert 0 <= result.adherence <= 1
    assert result.break_overrun == max(0.0, result.break_taken - allowance)
