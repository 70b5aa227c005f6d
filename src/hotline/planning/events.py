"""The planning feature's events: a schedule published, a shift swapped.

Both are written by `hotline.planning.store.Plans` in the transaction that changes the plan
(the outbox), so the log says when each agent's schedule changed and who changed it.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from hotline.core.events import Event, event


@event
@dataclasses.dataclass(slots=True)
class SchedulePublished(Event):
    """排班发布: `by` published plan `plan` for the week from `week` (a Monday); it replaces
    `replaced` (0: none) as the week's schedule."""

    kind: ClassVar[str] = "wfm.schedule_published"
    plan: int
    week: str
    by: str
    agents: int
    replaced: int = 0


@event
@dataclasses.dataclass(slots=True)
class ShiftSwapped(Event):
    """换班: on `day` (YYYY-MM-DD) agents `first` and `second` exchanged their shifts in
    plan `plan` (``-`` is a rest day), the rules checked; `by` the lead who did it."""

    kind: ClassVar[str] = "wfm.shift_swapped"
    plan: int
    day: str
    first: str
    second: str
    first_shift: str
    second_shift: str
    by: str
