"""The core business calendar against China's 2026 calendar and hand computation: 调休
working weekends, the Spring Festival, working time, windows across midnight and the
22:00 cut-off, and the ``calendar:`` configuration section."""

from __future__ import annotations

import datetime
import zoneinfo

import chinese_calendar
import pytest

from hotline.core.calendar import (
    BusinessCalendar,
    CalendarError,
    CalendarModel,
    china_workday,
    read_calendar,
)
from hotline.core.config import ConfigError, parse_yaml, validate
from hotline.core.windows import DayKind, Window, check_spans, parse_span
from hotline.ivr.holidays import ChineseHolidayCalendar

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
HOUR = 3600.0
CAL = BusinessCalendar()

MAKE_UP_DAYS_2026 = [
    datetime.date(2026, 1, 4),  # Sunday, after New Year's Day
    datetime.date(2026, 2, 14),  # Saturday, before the Spring Festival
    datetime.date(2026, 2, 28),  # Saturday, after it
    datetime.date(2026, 5, 9),  # Saturday, after Labour Day
    datetime.date(2026, 9, 20),  # Sunday, before National Day
    datetime.date(2026, 10, 10),  # Saturday, after it
]


def ts(text: str) -> float:
    """``"2026-02-14 09:00"`` in Shanghai as epoch seconds."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).timestamp()


def local(t: float) -> str:
    return datetime.datetime.fromtimestamp(t, SHANGHAI).strftime("%Y-%m-%d %H:%M")


def window(
    spans: str,
    *,
    days: DayKind = "every",
    weekdays: frozenset[int] | None = None,
    cutoff: datetime.time | None = None,
) -> Window:
    """A window from ``"22:00-08:00, …"``."""
    parsed = tuple(parse_span(s.strip()) for s in spans.split(","))
    return Window("test", parsed, days=days, weekdays=weekdays, cutoff=cutoff)


# -- days ----------------------------------------------------------------------------------


@pytest.mark.parametrize("day", MAKE_UP_DAYS_2026)
def test_make_up_weekend_days_are_working_days(day: datetime.date) -> None:
    assert day.isoweekday() >= 6
    holiday, name = chinese_calendar.get_holiday_detail(day)
    assert holiday is False
    assert name is not None  # the package's own 调休 record: the holiday it makes up for
    assert CAL.is_workday(day)
    assert not CAL.is_holiday(day)
    assert CAL.is_working_time(CAL.at(day, datetime.time(9)))
    assert not CAL.is_working_time(CAL.at(day, datetime.time(12, 30)))  # lunch


def test_an_ordinary_weekend_is_off() -> None:
    assert CAL.is_holiday(datetime.date(2026, 11, 14))  # Saturday
    assert not CAL.is_working_time(ts("2026-11-14 09:00"))


def test_the_spring_festival_2026() -> None:
    festival = [datetime.date(2026, 2, 15) + datetime.timedelta(days=n) for n in range(9)]
    assert all(CAL.is_holiday(day) for day in festival)  # Sunday Feb 15 to Monday Feb 23
    assert CAL.is_workday(datetime.date(2026, 2, 24))
    # Saturday Feb 14 is worked (调休): its afternoon, then nothing until Tuesday Feb 24
    assert local(CAL.next_working_moment(ts("2026-02-13 18:00"))) == "2026-02-14 08:30"
    assert local(CAL.next_working_moment(ts("2026-02-14 17:30"))) == "2026-02-24 08:30"
    assert local(CAL.add_working_hours(ts("2026-02-14 17:00"), 1)) == "2026-02-24 09:00"
    # Feb 14 13:30–17:30 (4 h) and Feb 24 08:30–12:00 (3.5 h)
    assert CAL.working_seconds(ts("2026-02-14 12:00"), ts("2026-02-24 12:00")) == 7.5 * HOUR


def test_a_year_without_data_has_only_weekends_off() -> None:
    assert china_workday(datetime.date(2100, 1, 1))  # a Friday (New Year's Day unknown)
    assert not china_workday(datetime.date(2100, 1, 2))  # Saturday
    assert not china_workday(datetime.date(2100, 1, 3))  # Sunday


def test_the_ivr_holiday_calendar_is_the_core_calendar() -> None:
    assert ChineseHolidayCalendar is BusinessCalendar
    ivr = ChineseHolidayCalendar()
    assert ivr.is_holiday(datetime.date(2025, 10, 1))  # 国庆节
    assert not ivr.is_holiday(datetime.date(2025, 9, 28))  # Sunday, 调休


# -- working time --------------------------------------------------------------------------


def test_the_next_working_moment() -> None:
    assert CAL.next_working_moment(ts("2026-11-16 10:00")) == ts("2026-11-16 10:00")
    assert local(CAL.next_working_moment(ts("2026-11-16 12:00"))) == "2026-11-16 13:30"
    assert local(CAL.next_working_moment(ts("2026-11-16 07:00"))) == "2026-11-16 08:30"
    assert local(CAL.next_working_moment(ts("2026-11-13 17:30"))) == "2026-11-16 08:30"
    assert local(CAL.next_working_moment(ts("2026-09-30 18:00"))) == "2026-10-08 08:30"


def test_working_hours_to_midnight() -> None:
    late = BusinessCalendar(SHANGHAI, [parse_span("18:00-24:00")])
    assert late.day_length == 6 * HOUR
    assert late.is_working_time(ts("2026-11-16 23:59"))
    assert local(late.add_working_hours(ts("2026-11-16 23:00"), 2)) == "2026-11-17 19:00"


@pytest.mark.parametrize(
    "hours", [[], ["12:00-08:30"], ["08:30-12:00", "11:00-13:00"], ["22:00-08:00"]]
)
def test_working_hours_must_be_in_order_within_a_day(hours: list[str]) -> None:
    with pytest.raises(CalendarError):
        BusinessCalendar(SHANGHAI, [parse_span(h) for h in hours])


# -- windows -------------------------------------------------------------------------------


def test_business_customers_in_office_hours_on_working_days_including_make_up_days() -> None:
    office = window("08:30-12:00, 13:30-17:30", days="working", cutoff=datetime.time(22))
    assert CAL.in_window(office, ts("2026-02-14 09:00"))  # a 调休 Saturday
    assert not CAL.in_window(office, ts("2026-02-16 09:00"))  # Spring Festival Monday
    assert local(CAL.next_in_window(office, ts("2026-02-14 19:00"))) == "2026-02-24 08:30"


def test_days_off_window() -> None:
    duty = window("09:00-17:00", days="off")
    assert CAL.in_window(duty, ts("2026-10-01 10:00"))  # National Day, a Thursday
    assert not CAL.in_window(duty, ts("2026-10-10 10:00"))  # the 调休 Saturday is worked
    assert local(CAL.next_in_window(duty, ts("2026-10-09 10:00"))) == "2026-10-11 09:00"


@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        ("2026-11-16 21:59", False),
        ("2026-11-16 22:00", True),
        ("2026-11-16 23:30", True),
        ("2026-11-17 00:00", True),
        ("2026-11-17 07:59", True),
        ("2026-11-17 08:00", False),
    ],
)
def test_a_window_across_midnight(moment: str, inside: bool) -> None:
    assert CAL.in_window(window("22:00-08:00"), ts(moment)) is inside


def test_the_next_moment_of_a_window_across_midnight() -> None:
    night = window("22:00-08:00")
    assert local(CAL.next_in_window(night, ts("2026-11-16 12:00"))) == "2026-11-16 22:00"
    assert CAL.next_in_window(night, ts("2026-11-17 02:00")) == ts("2026-11-17 02:00")
    # a night belongs to the day it starts: Friday's night goes on into Saturday morning
    friday = window("22:00-08:00", weekdays=frozenset({5}))
    assert CAL.in_window(friday, ts("2026-11-14 02:00"))  # Saturday
    assert not CAL.in_window(friday, ts("2026-11-14 23:00"))
    assert local(CAL.next_in_window(friday, ts("2026-11-14 09:00"))) == "2026-11-20 22:00"


def test_nothing_at_or_after_the_22_00_cutoff() -> None:
    evening = window("18:00-23:00", cutoff=datetime.time(22))
    assert CAL.in_window(evening, ts("2026-11-16 21:59"))
    assert not CAL.in_window(evening, ts("2026-11-16 22:00"))
    assert not CAL.in_window(evening, ts("2026-11-16 22:30"))
    assert local(CAL.next_in_window(evening, ts("2026-11-16 22:00"))) == "2026-11-17 18:00"
    assert CAL.next_in_window(evening, ts("2026-11-16 21:59")) == ts("2026-11-16 21:59")


def test_the_cutoff_ends_a_span_across_midnight_on_its_first_day() -> None:
    late = window("20:00-02:00", cutoff=datetime.time(22))
    assert CAL.in_window(late, ts("2026-11-16 21:00"))
    assert not CAL.in_window(late, ts("2026-11-16 23:00"))
    assert not CAL.in_window(late, ts("2026-11-17 01:00"))
    assert local(CAL.next_in_window(late, ts("2026-11-16 22:00"))) == "2026-11-17 20:00"
    after_the_cutoff = window("22:30-23:00", cutoff=datetime.time(22))
    assert not CAL.in_window(after_the_cutoff, ts("2026-11-16 22:45"))


def test_windows_by_name() -> None:
    calendar = BusinessCalendar(windows=[Window("after_work", (parse_span("18:00-21:00"),))])
    assert calendar.in_window("after_work", ts("2026-11-16 18:30"))
    assert local(calendar.next_in_window("after_work", ts("2026-11-16 21:00"))) == (
        "2026-11-17 18:00"
    )
    with pytest.raises(CalendarError, match="no window 'evening'"):
        calendar.in_window("evening", ts("2026-11-16 18:30"))


def test_a_window_that_never_opens_is_an_error() -> None:
    never = window("09:00-10:00", cutoff=datetime.time(8))
    with pytest.raises(CalendarError, match="does not open"):
        CAL.next_in_window(never, ts("2026-11-16 12:00"))


# -- configuration -------------------------------------------------------------------------

SECTION = """\
timezone: Asia/Shanghai
working_hours: ["08:30-12:00", "13:30-17:30"]
windows:
  outbound_business: {hours: ["08:30-12:00", "13:30-17:30"], days: working, cutoff: "22:00"}
  outbound_resident: {hours: ["09:00-12:00", "14:00-21:00"], cutoff: "22:00"}
  night_shift: {hours: ["22:00-08:00"], weekdays: [1, 2, 3, 4, 5]}
"""


def read(text: str) -> BusinessCalendar:
    document = parse_yaml(text, file="calendar.yaml")
    calendar, problems = read_calendar(document, validate(document, CalendarModel), at=())
    if problems:
        raise ConfigError(problems)
    assert calendar is not None
    return calendar


def test_windows_are_configuration() -> None:
    calendar = read(SECTION)
    assert set(calendar.windows) == {"outbound_business", "outbound_resident", "night_shift"}
    assert calendar.in_window("outbound_business", ts("2026-10-10 09:00"))  # 调休 Saturday
    assert not calendar.in_window("outbound_resident", ts("2026-10-10 12:30"))
    assert calendar.in_window("night_shift", ts("2026-11-14 07:00"))  # Friday's night


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("timezone: Mars/Olympus", "calendar.yaml:1:1: timezone: unknown time zone"),
        ('working_hours: ["13:30-17:30", "08:30-12:00"]', "working_hours.1: '08:30-12:00'"),
        ('working_hours: ["22:00-08:00"]', "ends before it starts"),
        ("working_hours: []", "no working hours"),
        ('windows: {x: {hours: ["22:00-08:00", "09:00-10:00"]}}', "windows.x.hours.1"),
        ('windows: {x: {hours: ["06:00-09:00", "22:00-07:00"]}}', "next day's first span"),
        ('windows: {x: {hours: ["10:00-10:00"]}}', "ends before it starts"),
        ('windows: {x: {hours: ["18:00-24:30"]}}', "windows.x.hours.0"),
        ("windows: {x: {hours: []}}", "windows.x.hours"),
        ('windows: {x: {hours: ["18:00-21:00"], days: weekends}}', "windows.x.days"),
    ],
)
def test_a_wrong_section_is_refused_located(text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        read(text + "\n")
    assert expected in str(caught.value)


def test_check_spans_in_order_and_wrapping_only_when_allowed() -> None:
    assert check_spans(["08:30-12:00", "13:30-17:30"])[1] == []
    assert check_spans(["18:00-21:00", "22:00-08:00"], wrap=True)[1] == []
    assert check_spans(["22:00-08:00"])[1] == [(0, "'22:00-08:00' ends before it starts")]
