"""Who gets targeted training: the average of an agent's latest scores in the window,
under the threshold, with enough evaluations; a reviewed dispute replaces a score."""

from __future__ import annotations

from hotline.training.config import Targeted
from hotline.training.targeting import DAY, Scored, latest_scores, low_scorers

RULE = Targeted(
    threshold=80, lookback_days=30, min_evaluations=2, exam="e", kb=(), cases=(), due_days=7
)
NOW = 1_000 * DAY


def test_the_average_over_the_window_decides() -> None:
    scores = [
        Scored(1, "9001", NOW - 2 * DAY, 70.0),
        Scored(2, "9001", NOW - 1 * DAY, 85.0),  # 9001: (70 + 85) / 2 = 77.5 < 80
        Scored(3, "9002", NOW - 2 * DAY, 60.0),  # 9002: one score only (min 2)
        Scored(4, "9003", NOW - 40 * DAY, 10.0),  # 9003: before the window ...
        Scored(5, "9003", NOW - 3 * DAY, 90.0),
        Scored(6, "9003", NOW - 2 * DAY, 80.0),  # ... so (90 + 80) / 2 = 85
    ]
    found = low_scorers(scores, RULE, now=NOW, last_task={})
    assert [(f.agent, f.average, f.evaluations) for f in found] == [("9001", 77.5, 2)]


def test_scores_that_opened_a_task_are_not_counted_again() -> None:
    scores = [Scored(n, "9001", NOW - (10 - n) * DAY, 50.0) for n in range(4)]
    assert low_scorers(scores, RULE, now=NOW, last_task={"9001": NOW - 9.5 * DAY}) != []
    # a task opened after the third score: only the fourth is left, under min_evaluations
    assert low_scorers(scores, RULE, now=NOW, last_task={"9001": NOW - 7.5 * DAY}) == []


def test_an_overturned_dispute_replaces_the_score() -> None:
    scored = [Scored(1, "9001", NOW - DAY, 0.0), Scored(2, "9001", NOW - DAY, 90.0)]
    assert low_scorers(latest_scores(scored, []), RULE, now=NOW, last_task={})[0].average == 45.0
    latest = latest_scores(scored, [(1, 70.0), (1, 76.0)])  # reviewed twice: the last counts
    assert low_scorers(latest, RULE, now=NOW, last_task={}) == []  # (76 + 90) / 2 = 83
