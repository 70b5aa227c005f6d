"""The quality feature's events: an evaluation scored, an evaluation disputed.

Written by `hotline.quality.store.Evaluations` in the transaction that changes the
evaluation (the outbox), so 监听分值 and the agent's scorecard come from the log.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from hotline.core.events import Event, event


@event
@dataclasses.dataclass(slots=True)
class EvaluationScored(Event):
    """质检评分: `by` scored call `call` of agent `agent` on form `form` version `version`:
    `score` out of 100 (0 when a fatal item failed, `fatal`), `critical` critical items
    failed."""

    kind: ClassVar[str] = "qa.evaluation_scored"
    evaluation: int
    call: str
    agent: str
    form: str
    version: int
    score: float
    fatal: bool
    critical: int
    by: str


@event
@dataclasses.dataclass(slots=True)
class EvaluationDisputed(Event):
    """申诉: the agent disputes evaluation `evaluation`'s score, saying why (`reason`)."""

    kind: ClassVar[str] = "qa.evaluation_disputed"
    evaluation: int
    agent: str
    reason: str
