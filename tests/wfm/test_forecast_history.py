"""The forecast's history: interval rows, the interval CSV, the event log and a queue_log."""

from __future__ import annotations

import datetime
import re
import zoneinfo
from pathlib import Path

import pytest

from hotline.interop.queue_log import Settings, convert, read_file
from hotline.wfm.history import (
    ForecastError,
    HistoryInputError,
    IntervalCount,
    build_history,
    read_interval_csv,
    rows_from_events,
)

DATA = Path(__file__).parent / "data"
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


def test_rows_land_on_their_day_and_half_hour():
    history = build_history(
        [
            IntervalCount("elec", at("2024-03-04 08:30"), offered=7, answered=6, talk_seconds=60),
            IntervalCount("elec", at("2024-03-06 23:30"), offered=2),
            IntervalCount("bill", at("2024-03-04 00:00"), offered=1),
        ]
    )
    assert (history.first_day, history.last_day, history.days) == (
        datetime.date(2024, 3, 4), datetime.date(2024, 3, 6), 3,
    )  # fmt: skip
    elec = history.queue("elec")
    assert elec.offered.shape == (3, 48)
    assert (elec.offered[0, 17], elec.answered[0, 17], elec.talk_seconds[0, 17]) == (7, 6, 60)
    assert elec.offered[2, 47] == 2
    assert elec.offered.sum() == 9  # every other half hour had no calls
    assert history.queue("bill").offered[0, 0] == 1
    assert history.missing == frozenset({datetime.date(2024, 3, 5)})


def test_span_given_keeps_only_its_rows_and_marks_empty_days_missing():
    rows = [IntervalCount("elec", at("2024-03-04 08:00"), offered=3)]
    history = build_history(
        rows, first_day=datetime.date(2024, 3, 3), last_day=datetime.date(2024, 3, 5)
    )
    assert history.days == 3
    assert history.missing == {datetime.date(2024, 3, 3), datetime.date(2024, 3, 5)}
    with pytest.raises(ForecastError, match="between 2024-03-10 and 2024-03-11"):
        build_history(
            rows, first_day=datetime.date(2024, 3, 10), last_day=datetime.date(2024, 3, 11)
        )


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (IntervalCount("elec", at("2024-03-04 08:10"), offered=3), "not on :00 or :30"),
        (IntervalCount("elec", at("2024-03-04 08:00"), offered=3, answered=4), "answered 4"),
        (IntervalCount("elec", at("2024-03-04 08:00"), offered=-1), ">= 0"),
        (IntervalCount("", at("2024-03-04 08:00"), offered=1), "queue is empty"),
        (
            IntervalCount("elec", at("2024-03-04 08:00"), offered=1, talk_seconds=float("nan")),
            "talk_seconds",
        ),
    ],
)
def test_bad_rows_are_refused_with_the_reason(row, reason):
    with pytest.raises(HistoryInputError, match=reason):
        build_history([row])


def test_a_half_hour_given_twice_is_refused():
    row = IntervalCount("elec", at("2024-03-04 08:00"), offered=3)
    with pytest.raises(HistoryInputError, match="given twice"):
        build_history([row, row])


def test_interval_csv_reads_every_column_and_defaults_the_optional_ones():
    rows = read_interval_csv(DATA / "intervals.csv")
    assert rows == [
        IntervalCount("elec", at("2024-03-04 08:00"), 12, 11, 2640.0, 330.0),
        IntervalCount("elec", at("2024-03-04 08:30"), 15, 15, 3300.0, 450.0),
        IntervalCount("billing", at("2024-03-04 08:00"), 4, 0, 0.0, 0.0),
    ]


def test_interval_csv_error_names_file_line_and_column():
    path = DATA / "intervals_bad.csv"
    with pytest.raises(HistoryInputError) as caught:
        read_interval_csv(path)
    assert str(caught.value) == f"{path}:3: column offered: 'fifteen' is not a number"
    assert caught.value.details == {"file": str(path), "line": 3, "column": "offered"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("queue,offered\nelec,3\n", ":1: missing column(s) interval_start"),
        ("queue,interval_start,offered\nelec,monday,3\n", ":2: column interval_start: 'monday'"),
        ("queue,interval_start,offered\nelec,2024-03-04 08:00,2.5\n", "whole number"),
        (
            "queue,interval_start,offered,answered\nelec,2024-03-04 08:00,2,3\n",
            ":2: column answered: answered 3 > offered 2",
        ),
        ("queue,interval_start,offered\nelec,2024-03-04 08:15,2\n", "column interval_start"),
    ],
)
def test_interval_csv_errors(tmp_path, text, message):
    path = tmp_path / "counts.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(HistoryInputError, match="counts.csv.*" + re.escape(message)):
        read_interval_csv(path)


def test_queue_log_through_the_importer_gives_the_same_rows_as_the_reports():
    """Two calls at 08:01 and 08:03 (one answered: 300 s talk), one at 08:31 (100 s); the
    queue's wrap-up is 20 s (Asterisk's wrapuptime, which the log never mentions)."""
    records = read_file(DATA / "queue_log.txt", SHANGHAI)
    events = convert(records, Settings(wrap_up={"elec": 20.0}, zone=SHANGHAI)).events
    assert rows_from_events(events, SHANGHAI) == [
        IntervalCount("elec", at("2024-03-04 08:00"), 2, 1, 300.0, 20.0),
        IntervalCount("elec", at("2024-03-04 08:30"), 1, 1, 100.0, 20.0),
    ]
