"""Properties of the business calendar on random moments and random windows (hypothesis):
the next working moment, the next moment of a window, and adding working time."""

from __future__ import annotations

import datetime
import zoneinfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hotline.core.calendar import BusinessCalendar
from hotline.core.windows import DayKind, TimeSpan, Window

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
CAL = BusinessCalendar()
QUARTER = 15 * 60

# from mid-2025 into 2027, a year the calendar data does not cover (weekends only)
moments = st.integers(
    min_value=int(datetime.datetime(2025, 6, 1, tzinfo=SHANGHAI).timestamp()),
    max_value=int(datetime.datetime(2027, 3, 1, tzinfo=SHANGHAI).timestamp()),
)


def _time(minutes: int) -> datetime.time:
    return datetime.time.max if minutes == 24 * 60 else datetime.time(*divmod(minutes, 60))


quarters = st.integers(min_value=0, max_value=95).map(lambda q: q * 15)


@st.composite
def windows(draw: st.DrawFn) -> Window:
    """Any window: one to three spans (overlapping, to 24:00 or across midnight), on some
    kind of day and weekdays, with or without a cut-off."""
    spans: list[TimeSpan] = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        start = draw(quarters)
        end = draw(st.integers(min_value=0, max_value=96).map(lambda q: q * 15))
        assume(start != end)
        spans.append((_time(start), _time(end)))
    days: DayKind = draw(st.sampled_from(["every", "working", "off"]))
    weekdays = draw(st.none() | st.frozensets(st.integers(1, 7), min_size=1))
    # a window that may not open for years is not what these properties are about
    if days == "off" and weekdays is not None:
        assume(weekdays & {6, 7})
    if days == "working" and weekdays is not None:
        assume(weekdays & {1, 2, 3, 4, 5})
    cutoff = draw(st.none() | quarters.map(_time))
    assume(cutoff is None or any(start < cutoff for start, _ in spans))
    return Window("random", tuple(spans), days=days, weekdays=weekdays, cutoff=cutoff)


@settings(max_examples=300, deadline=None)
@given(t=moments)
def test_the_next_working_moment_is_the_first_working_moment_from_t(t: int) -> None:
    found = CAL.next_working_moment(t)
    assert found >= t
    assert CAL.is_working_time(found)
    assert CAL.working_seconds(t, found) == 0.0
    assert (found == t) is CAL.is_working_time(t)


@settings(max_examples=200, deadline=None)
@given(window=windows(), t=moments)
def test_the_next_moment_in_a_window_is_the_first_one_from_t(window: Window, t: int) -> None:
    found = CAL.next_in_window(window, t)
    assert found >= t
    assert CAL.in_window(window, found)
    assert (found == t) is CAL.in_window(window, t)
    if found > t:  # spans open on whole minutes, so the second before is still from t on
        assert not CAL.in_window(window, found - 1)
    probe = t
    while probe < min(found, t + 3 * 86400):  # and nothing in between, every quarter hour
        assert not CAL.in_window(window, probe)
        probe += QUARTER


@settings(max_examples=200, deadline=None)
@given(start=moments, hours=st.integers(min_value=0, max_value=200))
def test_adding_working_time_then_measuring_it_gives_it_back(start: int, hours: int) -> None:
    end = CAL.add_working_hours(start, hours)
    assert end >= start
    assert CAL.working_seconds(start, end) == hours * 3600.0
    if hours:
        assert end > CAL.next_working_moment(start)


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=datetime.date(2004, 1, 1), max_value=datetime.date(2030, 12, 31)))
def test_a_day_is_a_working_day_or_a_holiday(day: datetime.date) -> None:
    assert CAL.is_holiday(day) is not CAL.is_workday(day)
    assert bool(CAL.spans(day)) is CAL.is_workday(day)
