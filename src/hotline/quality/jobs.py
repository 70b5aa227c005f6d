"""The quality feature's job: speech analytics of each new conversation recording.

Every `ANALYSE_EVERY` wall seconds the job looks at the newest recordings (`Recordings.
newest`), and analyses those not analysed yet — a few per round, newest first, each in a
worker thread — so the sampling policy can take the flagged calls and the scoring page
shows the figures, the marked moments and the transcript. A file still being written (a
conversation in progress, modified in the last `SETTLE_S` seconds) waits for a later
round. Nothing is analysed on a site without ``qa.yaml``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from hotline.quality.service import QualityDesk

log = logging.getLogger(__name__)

ANALYSE_EVERY = 15.0
"""Wall seconds between two looks at the recordings."""
PER_ROUND = 8
"""Recordings analysed per round at most (an hour of audio takes about a second)."""
LOOK_AT = 200
"""The newest recordings looked at each round."""
SETTLE_S = 5.0
"""A recording modified this recently is still being written."""


class RecordingAnalyser:
    name = "qa-speech-analytics"
    every = ANALYSE_EVERY

    def __init__(self, runtime: Any, desk: QualityDesk) -> None:
        self.runtime = runtime
        self.desk = desk

    def _round(self) -> int:
        recordings = self.runtime.recordings.newest(LOOK_AT)
        if not recordings:
            return 0
        done = self.desk.store.analysed([r.name for r in recordings])
        settled = time.time() - SETTLE_S
        todo = []
        for r in recordings:
            if r.name in done:
                continue
            try:
                if r.path.stat().st_mtime > settled:
                    continue
            except OSError:
                continue  # removed meanwhile (the demo keeps only the newest files)
            todo.append(r)
        for r in todo[:PER_ROUND]:
            self.desk.analyse(r.name, r.call, r.agent, r.path, at=self.runtime.now())
        return min(len(todo), PER_ROUND)

    async def run_once(self) -> None:
        if not self.desk.forms_file.is_file():
            return
        analysed = await asyncio.to_thread(self._round)
        if analysed:
            log.debug("speech analytics: %d recordings analysed", analysed)


def build_jobs(runtime: Any) -> list[RecordingAnalyser]:
    """The feature's jobs (`hotline.features.Feature.jobs`): only where calls are recorded."""
    desk = runtime.services.feature("qa", QualityDesk)
    if desk is None or runtime.recordings.folder is None:
        return []
    return [RecordingAnalyser(runtime, desk)]
