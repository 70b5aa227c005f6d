"""The incentives feature's event: a lead gave an agent points by hand.

Written by `hotline.incentives.store.Grants` in the transaction that keeps the grant (the
outbox), so the month's points — read from the log — include it.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from hotline.core.events import Event, event


@event
@dataclasses.dataclass(slots=True)
class PointsGiven(Event):
    """手工积分: `by` gave agent `agent` `points` points (negative: took them) for `reason`
    (a 表扬信, a 锦旗, a complaint upheld …), as grant `grant`."""

    kind: ClassVar[str] = "incentives.points_given"
    grant: int
    agent: str
    points: int
    reason: str
    by: str
