"""Checklist periods: the day, ISO week, month or day-and-shift an item's tick counts for."""

from __future__ import annotations

import datetime

import pytest

from hotline.training.periods import PeriodError, check_period, period_key

SUNDAY = datetime.date(2026, 12, 6)


@pytest.mark.parametrize(
    ("limit", "day", "key"),
    [
        ("daily", SUNDAY, "2026-12-06"),
        ("weekly", SUNDAY, "2026-W49"),  # Monday 30 Nov – Sunday 6 Dec
        ("weekly", SUNDAY + datetime.timedelta(days=1), "2026-W50"),
        ("weekly", datetime.date(2027, 1, 1), "2026-W53"),  # ISO: the week of 31 Dec 2026
        ("monthly", SUNDAY, "2026-12"),
    ],
)
def test_the_period_a_day_falls_in(limit, day, key) -> None:
    assert period_key(limit, day) == key
    assert check_period(limit, key, ["白班"]) == key


def test_a_per_shift_period_is_the_day_and_a_named_shift() -> None:
    assert period_key("per_shift", SUNDAY, "夜班") == "2026-12-06/夜班"
    assert check_period("per_shift", "2026-12-06/夜班", ["白班", "夜班"]) == "2026-12-06/夜班"
    with pytest.raises(PeriodError, match="a day and a shift such as 2026-12-06/白班"):
        check_period("per_shift", "2026-12-06/中班", ["白班", "夜班"])


@pytest.mark.parametrize(
    ("limit", "key"),
    [
        ("daily", "2026-02-30"),
        ("daily", "2026-W49"),
        ("weekly", "2026-W54"),
        ("weekly", "2026-12-06"),
        ("monthly", "2026-13"),
    ],
)
def test_a_period_that_does_not_fit_the_limit_is_refused(limit, key) -> None:
    with pytest.raises(PeriodError, match=f"'{key}' is not"):
        check_period(limit, key, ["白班"])
