"""The baselines, the back-test and the per-queue choice, against hand computation."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from hotline.wfm.calendar import ChinaCalendar, SpecialDay, WeekdayCalendar
from hotline.wfm.forecast import ForecastSettings, backtest, forecast, predict
from hotline.wfm.history import ForecastError, History, IntervalCount, build_history

D = datetime.date.fromisoformat
MONDAY = D("2024-03-04")
PLAIN = WeekdayCalendar()
BASELINES = ForecastSettings(methods=("last_week", "same_type_mean"), same_type_days=2)


def history_of(
    level: Callable[[int, int], float], days: int, first: datetime.date = MONDAY, queue="elec"
) -> History:
    """A history whose half hour s of day d (from `first`) had `level(d, s)` calls."""
    rows = [
        IntervalCount(
            queue,
            datetime.datetime.combine(first + datetime.timedelta(days=d), datetime.time())
            + datetime.timedelta(minutes=30 * s),
            offered=int(level(d, s)),
        )
        for d in range(days)
        for s in range(48)
    ]
    return build_history(rows)


def distinct(d: int, s: int) -> float:
    return d * 10 + s % 3


def test_last_week_repeats_the_same_half_hour_a_week_earlier():
    history = history_of(distinct, 14)
    result = predict(history, "elec", "last_week", D("2024-03-18"), 10, calendar=PLAIN)
    expected = [history.queue("elec").offered[d] for d in [7, 8, 9, 10, 11, 12, 13, 7, 8, 9]]
    np.testing.assert_array_equal(result.values, expected)
    assert result.notes == ()


def test_same_type_mean_averages_the_last_n_days_of_the_type():
    history = history_of(distinct, 14)
    offered = history.queue("elec").offered
    result = predict(history, "elec", "same_type_mean", D("2024-03-18"), 2, calendar=PLAIN,
                     settings=BASELINES)  # fmt: skip
    np.testing.assert_array_equal(result.values[0], (offered[7] + offered[0]) / 2)
    np.testing.assert_array_equal(result.values[1], (offered[8] + offered[1]) / 2)
    short = predict(history, "elec", "same_type_mean", D("2024-03-18"), 1, calendar=PLAIN)
    assert short.notes == ("only 2 past day(s) of type weekday:0, fewer than 4",)


def test_a_forecast_after_a_pause_skips_the_days_in_between():
    history = history_of(distinct, 14)
    result = predict(history, "elec", "last_week", D("2024-03-20"), 1, calendar=PLAIN)
    np.testing.assert_array_equal(result.values[0], history.queue("elec").offered[9])


def test_tiaoxiu_saturday_takes_fridays_profile_and_holidays_their_own():
    """Each day's level is its type's: Mondays 100 … Sundays 106, holidays 10."""
    first = D("2024-09-02")
    china = ChinaCalendar()

    def level(d: int, s: int) -> float:
        key = china.day_type(first + datetime.timedelta(days=d)).key
        return 10 if key == "holiday" else 100 + int(key[-1])

    history = history_of(level, 40, first)  # to 2024-10-11
    same = predict(history, "elec", "same_type_mean", D("2024-10-12"), 2, calendar=china)
    assert same.values[0, 20] == 104  # 调休 Saturday 12 October: a Friday
    assert same.values[1, 20] == 106  # Sunday 13 October
    naive = predict(history, "elec", "last_week", D("2024-10-12"), 1, calendar=china)
    assert naive.values[0, 20] == 10  # a week before was National Day: the baseline is blind


def test_special_days_are_divided_out_of_the_history_and_into_the_forecast():
    def level(d: int, s: int) -> float:
        return 20 if d == 7 else 10  # the bill run of 11 March doubled the calls

    history = history_of(level, 14)
    specials = [
        SpecialDay(D("2024-03-11"), D("2024-03-11"), 2.0, "bill run"),
        SpecialDay(D("2024-03-19"), D("2024-03-19"), 1.5, "heat wave", queue="elec"),
        SpecialDay(D("2024-03-18"), D("2024-03-18"), 3.0, "other queue", queue="bill"),
    ]
    result = predict(history, "elec", "last_week", D("2024-03-18"), 2, calendar=PLAIN,
                     specials=specials)  # fmt: skip
    assert (result.values[0, 0], result.values[1, 0]) == (10, 15)


def test_closed_days_are_zero_and_not_gaps():
    weekdays = WeekdayCalendar(closed_weekdays=frozenset({5, 6}))
    rows = [r for r in _rows(history_of(lambda d, s: 5, 14)) if r.start.weekday() < 5]
    history = build_history(rows)
    result = predict(history, "elec", "same_type_mean", D("2024-03-16"), 3, calendar=weekdays)
    assert (result.values[0].sum(), result.values[1].sum(), result.values[2, 0]) == (0, 0, 5)


def _rows(history: History) -> list[IntervalCount]:
    out = []
    for name, q in history.queues.items():
        for d, s in zip(*np.nonzero(q.offered), strict=True):
            start = datetime.datetime.combine(history.day(int(d)), datetime.time())
            out.append(IntervalCount(name, start + datetime.timedelta(minutes=30 * int(s)),
                                     int(q.offered[d, s])))  # fmt: skip
    return out


def test_gaps_are_refused_unless_allowed_then_skipped():
    rows = [r for r in _rows(history_of(distinct, 14)) if r.start.date() != D("2024-03-13")]
    history = build_history(rows)
    with pytest.raises(ForecastError, match="no rows at all on 2024-03-13"):
        predict(history, "elec", "last_week", D("2024-03-18"), 3, calendar=PLAIN)
    allowed = ForecastSettings(allow_gaps=True)
    result = predict(history, "elec", "last_week", D("2024-03-20"), 1, calendar=PLAIN,
                     settings=allowed)  # fmt: skip
    np.testing.assert_array_equal(result.values[0], history.queue("elec").offered[2])


def test_a_queue_without_calls_is_refused_by_name_and_span():
    rows = [*_rows(history_of(distinct, 14)),
            IntervalCount("idle", datetime.datetime(2024, 3, 4, 8), offered=0)]  # fmt: skip
    history = build_history(rows)
    with pytest.raises(ForecastError) as caught:
        predict(history, "idle", "last_week", D("2024-03-18"), 1, calendar=PLAIN)
    assert str(caught.value) == (
        "no calls in the history of queue idle between 2024-03-04 and 2024-03-17"
    )
    with pytest.raises(ForecastError, match="no history for queue 'nope'"):
        predict(history, "nope", "last_week", D("2024-03-18"), 1, calendar=PLAIN)


def trend(d: int, s: int) -> float:
    return 10 * (d // 7 + 1)  # week w: 10 (w + 1) calls every half hour


def test_backtest_wape_and_bias_by_hand():
    """Last week of five held out: actual 50 per half hour; last week says 40 (WAPE and
    bias 10/50), the mean of four weeks (40 + 30 + 20 + 10) / 4 = 25 (25/50)."""
    history = history_of(trend, 35)
    held = ForecastSettings(methods=("last_week", "same_type_mean"), backtest_weeks=1)
    last, mean = backtest(history, "elec", calendar=PLAIN, settings=held)
    assert (last.method, last.wape, last.bias, last.origins) == ("last_week", 0.2, -0.2, 1)
    assert (mean.wape, mean.bias, mean.actual_calls) == (0.5, -0.5, 50 * 48 * 7)
    with pytest.raises(ForecastError, match="too short to back-test 5 week"):
        backtest(history, "elec", calendar=PLAIN, settings=ForecastSettings(backtest_weeks=5))


def test_forecast_picks_the_best_wape_per_queue_and_gives_intervals():
    history = history_of(trend, 35)
    held = ForecastSettings(methods=("last_week", "same_type_mean"), backtest_weeks=2)
    (plan,) = forecast(history, D("2024-04-08"), 2, calendar=PLAIN, settings=held)
    assert plan.method == "last_week"
    assert [a.method for a in plan.accuracy] == ["last_week", "same_type_mean"]
    assert plan.offered.shape == (2, 48)
    assert plan.offered[0, 0] == 50
    intervals = plan.intervals()
    assert len(intervals) == 96
    assert intervals[49].start == datetime.datetime(2024, 4, 9, 0, 30)


def test_too_short_a_history_to_backtest_falls_back_and_says_so():
    history = history_of(trend, 10)
    (plan,) = forecast(history, D("2024-03-14"), 1, calendar=PLAIN)
    assert plan.method == "same_type_mean"
    assert plan.accuracy == ()
    assert any("too short to back-test" in note for note in plan.notes)


def test_talk_and_wrap_up_per_call_are_answered_weighted_and_shrunk_to_the_days_mean():
    """Answered 10 at 08:00 (2000 s talk, 300 s wrap) and 30 at 10:00 (9000 s, 600 s): the
    day's means are 11000/40 = 275 s and 900/40 = 22.5 s; with 10 calls of prior weight,
    08:00 gets (2000 + 2750)/20 = 237.5 s and (300 + 225)/20 = 26.25 s."""
    start = datetime.datetime(2024, 3, 4)
    rows = [
        IntervalCount("elec", start.replace(hour=8), 12, 10, 2000, 300),
        IntervalCount("elec", start.replace(hour=10), 35, 30, 9000, 600),
    ]
    (plan,) = forecast(build_history(rows), D("2024-03-05"), 1, calendar=PLAIN)
    assert (plan.talk_seconds[16], plan.wrap_up_seconds[16]) == (237.5, 26.25)
    assert plan.talk_seconds[20] == pytest.approx((9000 + 2750) / 40)
    assert (plan.talk_seconds[0], plan.wrap_up_seconds[0]) == (275, 22.5)
    assert plan.intervals()[16].handle_seconds == 237.5 + 26.25


@settings(max_examples=20, deadline=None)
@given(
    hnp.arrays(np.int64, (14, 48), elements=st.integers(0, 50)),
    st.integers(1, 5),
    st.sampled_from(["last_week", "same_type_mean"]),
)
def test_baselines_are_non_negative_and_scale_with_the_history(calls, scale, method):
    calls[:, 0] += 1  # every day has a row
    base = history_of(lambda d, s: calls[d, s], 14)
    scaled = history_of(lambda d, s: scale * calls[d, s], 14)
    a = predict(base, "elec", method, D("2024-03-18"), 7, calendar=PLAIN)
    b = predict(scaled, "elec", method, D("2024-03-18"), 7, calendar=PLAIN)
    assert (a.values >= 0).all()
    np.testing.assert_allclose(b.values, scale * a.values)


def test_national_day_week_end_to_end_on_chinas_calendar():
    """A history whose every day is its type's level (Mondays 100 … Sundays 106, holidays
    10) up to 30 September 2024. Back-tested from 3 September: the same-type mean errs
    only on 15 and 16 September (Mid-Autumn, no holiday before: Sunday's 106 instead of
    10), last week errs more; it then forecasts National Day from Mid-Autumn, the 调休
    Saturday after it as a Friday and a heat wave entered by hand."""
    first = D("2024-08-05")
    china = ChinaCalendar()

    def level(d: int, s: int) -> float:
        key = china.day_type(first + datetime.timedelta(days=d)).key
        return 10 if key == "holiday" else 100 + int(key[-1])

    history = history_of(level, 57, first)  # to 30 September
    heat = SpecialDay(D("2024-10-08"), D("2024-10-08"), 1.5, "heat wave")
    (plan,) = forecast(history, D("2024-10-01"), 13, calendar=china, specials=[heat],
                       settings=BASELINES)  # fmt: skip
    assert plan.method == "same_type_mean"
    best, worst = sorted(plan.accuracy, key=lambda a: a.wape)
    assert best.method == "same_type_mean"
    assert best.wape == best.bias == pytest.approx(2 * 96 * 48 / best.actual_calls)
    assert worst.wape > best.wape
    assert list(plan.offered[:, 20]) == [10] * 7 + [151.5, 102, 103, 104, 104, 106]
