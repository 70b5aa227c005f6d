"""The training feature's job: stages whose days are over are passed, and low QA scores
open training tasks, without anyone having to press a button.

Every `CHECK_EVERY` wall seconds it settles every agent's stage (an exam passed before
the stage's least days were over passes the stage when they are) and runs the
targeted-training check over the log's QA scores. A site without ``training.yaml``
runs no job.
"""

from __future__ import annotations

import asyncio
from typing import Any

from hotline.core.events import Event
from hotline.training.service import TrainingDesk

CHECK_EVERY = 60.0
"""Wall seconds between two rounds."""


class TrainingRounds:
    name = "training-rounds"
    every = CHECK_EVERY

    def __init__(self, runtime: Any, desk: TrainingDesk) -> None:
        self.runtime = runtime
        self.desk = desk

    def _round(self, now: float) -> list[Event]:
        if not self.desk.training_file.is_file():
            return []  # removed while running: nothing to do until it is back
        events = list(self.desk.settle_all(now))
        for saved in self.desk.check_low_scorers(now):
            events += saved.events
        return events

    async def run_once(self) -> None:
        now = self.runtime.now()  # on the engine's thread (this loop)
        events = await asyncio.to_thread(self._round, now)
        self.runtime.publish_stored(events)


def build_jobs(runtime: Any) -> list[TrainingRounds]:
    """The feature's jobs (`hotline.features.Feature.jobs`)."""
    desk = runtime.services.feature("training", TrainingDesk)
    if desk is None or not desk.training_file.is_file():
        return []
    return [TrainingRounds(runtime, desk)]
