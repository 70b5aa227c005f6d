"""Tier scoring (客户分级) and lifecycle stage: pure functions of an account's facts.

The score is 0–100: each input is turned into a part between 0 and 1 (ARPU and
tenure against their full marks, credit across its scale), the parts are
weighted (the weights add up to 1) and the sum is scaled to 100. A missing input
counts 0: an unknown customer earns no priority it has not shown. Cut-offs turn
the score into high / middle / ordinary.
"""

from __future__ import annotations

from dataclasses import dataclass

from hotline.core.customer import Tier
from hotline.crm.config import Lifecycle, Scoring
from hotline.crm.model import AccountFacts, LifecycleStage


@dataclass(frozen=True, slots=True)
class TierScore:
    """A score with its breakdown: each input's part (0–1) and its points (part × weight × 100)."""

    tier: Tier
    score: float
    arpu_part: float
    tenure_part: float
    credit_part: float
    arpu_points: float
    tenure_points: float
    credit_points: float


def _clamp(value: float) -> float:
    return min(max(value, 0.0), 1.0)


def score_tier(facts: AccountFacts, scoring: Scoring) -> TierScore:
    """The tier of an account from its ARPU, tenure and credit, with the breakdown."""
    full = scoring.full_marks
    credit = scoring.credit
    weights = scoring.weights
    arpu_part = _clamp((facts.arpu or 0.0) / full.arpu)
    tenure_part = _clamp((facts.tenure_months or 0) / full.tenure_months)
    if facts.credit_score is None:
        credit_part = 0.0
    else:
        credit_part = _clamp((facts.credit_score - credit.min) / (credit.max - credit.min))
    arpu_points = 100.0 * weights.arpu * arpu_part
    tenure_points = 100.0 * weights.tenure * tenure_part
    credit_points = 100.0 * weights.credit * credit_part
    # rounded so that a score printed as 70.0 is never 69.99999 below a cut-off of 70
    score = round(arpu_points + tenure_points + credit_points, 6)
    return TierScore(
        tier=tier_of(score, scoring),
        score=score,
        arpu_part=arpu_part,
        tenure_part=tenure_part,
        credit_part=credit_part,
        arpu_points=arpu_points,
        tenure_points=tenure_points,
        credit_points=credit_points,
    )


def tier_of(score: float, scoring: Scoring) -> Tier:
    """High from the high cut-off up, middle from the middle one, else ordinary."""
    if score >= scoring.cutoffs.high:
        return Tier.HIGH
    if score >= scoring.cutoffs.middle:
        return Tier.MIDDLE
    return Tier.ORDINARY


def lifecycle_stage(facts: AccountFacts, lifecycle: Lifecycle) -> LifecycleStage:
    """预警期 when the ARPU is known and under the warning line; otherwise by tenure."""
    if facts.arpu is not None and facts.arpu < lifecycle.warning_arpu_below:
        return LifecycleStage.WARNING
    tenure = facts.tenure_months or 0
    if tenure < lifecycle.identification_months:
        return LifecycleStage.IDENTIFICATION
    if tenure < lifecycle.growth_months:
        return LifecycleStage.GROWTH
    return LifecycleStage.STABLE
