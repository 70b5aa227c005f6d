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


@event
@dataclasses.dataclass(slots=True)
class CaseAdded(Event):
    """案例库: `by` put call `call` of agent `agent` (scored in evaluation `evaluation`)
    into the case library as a `kind` case (``good`` 优秀案例 or ``bad`` 警示案例)."""

    kind: ClassVar[str] = "qa.case_added"
    case: int
    evaluation: int
    call: str
    agent: str
    verdict: str
    title: str
    by: str


@event
@dataclasses.dataclass(slots=True)
class DisputeReviewed(Event):
    """申诉复核: `by` reviewed the agent's dispute of evaluation `evaluation`: ``upheld``
    (the score `score_before` stands) or ``overturned`` (re-scored: `score` replaces it,
    `fatal` as re-scored). Figures take an evaluation's latest score: this one."""

    kind: ClassVar[str] = "qa.dispute_reviewed"
    evaluation: int
    agent: str
    verdict: str
    score_before: float
    score: float
    fatal: bool
    by: str


@event
@dataclasses.dataclass(slots=True)
class CalibrationScored(Event):
    """校准评分: inspector `by` scored call `call` in calibration session `calibration`
    (several inspectors score the same call; the spread of their scores is reported). Not
    the agent's score: 监听分值 and points leave it out."""

    kind: ClassVar[str] = "qa.calibration_scored"
    calibration: int
    evaluation: int
    call: str
    agent: str
    form: str
    version: int
    score: float
    by: str


@event
@dataclasses.dataclass(slots=True)
class SamplesDrawn(Event):
    """质检抽样: the sampling policy drew `samples` calls answered on `day` (the hotline's
    local date) and dealt them to inspectors (`assigned`: inspector → evaluations);
    `over_capacity` calls did not fit under the inspectors' daily caps."""

    kind: ClassVar[str] = "qa.samples_drawn"
    day: str
    samples: int
    assigned: dict[str, int]
    over_capacity: int
    by: str
