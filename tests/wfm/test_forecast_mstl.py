"""statsforecast's MSTL on a small series (three weeks): the library's import takes ~3 s."""

from __future__ import annotations

import datetime

import numpy as np

from hotline.wfm.calendar import WeekdayCalendar
from hotline.wfm.forecast import predict
from tests.wfm.test_forecast import MONDAY, PLAIN, history_of

D = datetime.date.fromisoformat


def rate(d: int, s: int) -> float:
    """Busy mid-day, quiet nights, weekends at 60 %."""
    daily = 5 + 40 * np.sin(np.pi * s / 48) ** 2
    return daily * (0.6 if d % 7 >= 5 else 1.0)


def test_mstl_learns_the_daily_and_weekly_shape():
    rng = np.random.default_rng(7)
    noisy = rng.poisson([[rate(d, s) for s in range(48)] for d in range(21)])
    history = history_of(lambda d, s: noisy[d, s], 21)
    result = predict(history, "elec", "mstl", D("2024-03-25"), 7, calendar=PLAIN)
    truth = np.array([[rate(d, s) for s in range(48)] for d in range(21, 28)])
    assert result.notes == ()
    assert (result.values >= 0).all()
    assert np.abs(result.values - truth).sum() / truth.sum() < 0.12


def test_mstl_falls_back_on_a_short_history_and_leaves_holidays_to_the_profile():
    history = history_of(rate, 13)
    short = predict(history, "elec", "mstl", MONDAY + datetime.timedelta(days=13), 1,
                    calendar=PLAIN)  # fmt: skip
    assert short.notes[0] == "mstl needs 14 days of history, has 13: used same_type_mean"
    holiday = D("2024-03-26")
    cal = WeekdayCalendar(holidays={holiday: "a holiday"})
    long = history_of(rate, 21)
    mstl = predict(long, "elec", "mstl", D("2024-03-25"), 2, calendar=cal)
    profile = predict(long, "elec", "same_type_mean", D("2024-03-25"), 2, calendar=cal)
    np.testing.assert_array_equal(mstl.values[1], profile.values[1])  # Sunday's, the fallback
    assert "no past day like holiday (a holiday): used weekday:6" in mstl.notes
