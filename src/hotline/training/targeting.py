"""Who needs targeted training (针对性培训): agents whose average QA score is low.

The scores are the log's ``qa.evaluation_scored`` events (监听分值), an evaluation's
latest score counting (a ``qa.dispute_reviewed`` that overturned it replaces it). An
agent's average is over the evaluations scored in the last ``lookback_days`` — but
never over scores that opened a task before: the window starts no earlier than the
agent's last low-score task, so passing the retake is not followed at once by a new
task for the same old calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from hotline.training.config import Targeted

__all__ = ["LowScorer", "Scored", "latest_scores", "low_scorers"]

DAY = 86_400.0


@dataclass(frozen=True, slots=True)
class Scored:
    """One evaluation's score of `agent`, scored at `at`."""

    evaluation: int
    agent: str
    at: float
    score: float


@dataclass(frozen=True, slots=True)
class LowScorer:
    """An agent under the threshold: their `average` over `evaluations` scores."""

    agent: str
    average: float
    evaluations: int
    since: float


def latest_scores(scored: Iterable[Scored], reviewed: Iterable[tuple[int, float]]) -> list[Scored]:
    """Each evaluation once, with the score of its last review (`reviewed`: evaluation →
    score after review, in log order) where there is one."""
    latest = {s.evaluation: s for s in scored}
    for evaluation, score in reviewed:
        found = latest.get(evaluation)
        if found is not None:
            latest[evaluation] = Scored(found.evaluation, found.agent, found.at, score)
    return list(latest.values())


def low_scorers(
    scores: Iterable[Scored],
    rule: Targeted,
    *,
    now: float,
    last_task: Mapping[str, float],
) -> list[LowScorer]:
    """Agents whose average over their window is under `rule.threshold`, with at least
    `rule.min_evaluations` scores in it, by agent id. The window is
    [now − lookback, now), after the agent's last low-score task."""
    start = now - rule.lookback_days * DAY
    by_agent: dict[str, list[float]] = {}
    since: dict[str, float] = {}
    for s in scores:
        last = last_task.get(s.agent)
        if start <= s.at < now and (last is None or s.at > last):
            by_agent.setdefault(s.agent, []).append(s.score)
            since[s.agent] = start if last is None else max(start, last)
    found = []
    for agent in sorted(by_agent):
        values = by_agent[agent]
        average = sum(values) / len(values)
        if len(values) >= rule.min_evaluations and average < rule.threshold:
            found.append(LowScorer(agent, round(average, 2), len(values), since[agent]))
    return found
