"""Report periods: local days, the period each is compared with, and bad dates named."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from hotline.reports import Period, ReportError, day_of, month_of, parse_day, parse_month

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
D = datetime.date


def test_a_day_is_local_midnight_to_midnight_and_is_compared_with_the_day_before():
    day = day_of(D(2026, 7, 15), SH)
    assert day.start.isoformat() == "2026-07-15T00:00:00+08:00"
    assert day.end.isoformat() == "2026-07-16T00:00:00+08:00"
    assert day.start.timestamp() == 1784044800.0  # 2026-07-14 16:00 UTC
    before = day.previous()
    assert (before.first, before.last, before.kind) == (D(2026, 7, 14), D(2026, 7, 14), "day")
    assert day.label() == "2026-07-15"


def test_a_run_of_days_is_compared_with_as_many_days_just_before():
    week = Period(D(2026, 7, 13), D(2026, 7, 19), SH)
    assert week.days == 7
    before = week.previous()
    assert (before.first, before.last) == (D(2026, 7, 6), D(2026, 7, 12))
    assert week.label() == "2026-07-13 – 2026-07-19"


@pytest.mark.parametrize(
    ("year", "month", "first", "last", "before"),
    [
        (2026, 3, D(2026, 3, 1), D(2026, 3, 31), (D(2026, 2, 1), D(2026, 2, 28))),
        (2026, 1, D(2026, 1, 1), D(2026, 1, 31), (D(2025, 12, 1), D(2025, 12, 31))),
        (2024, 3, D(2024, 3, 1), D(2024, 3, 31), (D(2024, 2, 1), D(2024, 2, 29))),
        (2026, 12, D(2026, 12, 1), D(2026, 12, 31), (D(2026, 11, 1), D(2026, 11, 30))),
    ],
)
def test_a_month_is_compared_with_the_calendar_month_before(year, month, first, last, before):
    period = month_of(year, month, SH)
    assert (period.first, period.last, period.kind) == (first, last, "month")
    previous = period.previous()
    assert (previous.first, previous.last, previous.kind) == (*before, "month")
    assert period.label() == f"{year}-{month:02d}"


def test_bad_periods_name_their_parameter():
    with pytest.raises(ReportError) as error:
        Period(D(2026, 7, 15), D(2026, 7, 1), SH)
    assert error.value.field == "to"
    assert error.value.message == "结束日期 2026-07-01 早于开始日期 2026-07-15：请交换两个日期"
    with pytest.raises(ReportError) as error:
        Period(D(2024, 1, 1), D(2026, 1, 1), SH)
    assert error.value.field == "to"
    assert "最多 400 天" in error.value.message
    with pytest.raises(ReportError) as error:
        Period(D(1, 1, 1), D(1, 1, 2), SH)
    assert error.value.field == "from"


@pytest.mark.parametrize("text", ["2026-13-01", "2026-7-15", "15/07/2026", "", "2026-07-15x"])
def test_a_bad_date_is_refused_naming_the_field(text):
    with pytest.raises(ReportError) as error:
        parse_day(text, "date")
    assert error.value.field == "date"
    assert repr(text) in error.value.message


def test_months_are_read_as_year_and_month():
    assert parse_month("2026-07", "month") == (2026, 7)
    for text in ("2026-7", "2026-13", "July", "2026/07"):
        with pytest.raises(ReportError) as error:
            parse_month(text, "--month")
        assert error.value.field == "--month"
