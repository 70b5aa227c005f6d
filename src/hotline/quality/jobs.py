"""The quality feature's jobs: speech analytics of each new conversation recording, and
in the demo a simulated inspector.

Every `ANALYSE_EVERY` wall seconds the job looks at the newest recordings (`Recordings.
newest`), and analyses those not analysed yet — a few per round, newest first, each in a
worker thread — so the sampling policy can take the flagged calls and the scoring page
shows the figures, the marked moments and the transcript. A file still being written (a
conversation in progress, modified in the last `SETTLE_S` seconds) waits for a later
round. Nothing is analysed on a site without ``qa.yaml``.

In the demo (a simulated hotline) `DemoInspector` draws the day's sample every five minutes
of the hotline's clock and scores the share dealt to the simulated inspector
(`DEMO_INSPECTOR`), so the reports' 监听分值, the QA report and the case library live from
the first minute; the share dealt to the demo's own ``qa`` user waits for a person.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
import random
import time
from collections.abc import Sequence
from typing import Any

from hotline.core.errors import HotlineError
from hotline.core.events import Event
from hotline.quality.forms import Answer, Form
from hotline.quality.service import Evaluation, EvaluationError, QualityDesk

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


DEMO_INSPECTOR = "zhijian2"
"""The demo's simulated QA inspector (a user of role ``qa``, seeded by `hotline.demo`)."""
DRAW_EVERY = 300.0
"""Hotline seconds between two draws of the day's sample in the demo (the demo keeps only
its newest recordings, and those of the calls sampled)."""
SCORE_PER_ROUND = 4
"""Evaluations the simulated inspector scores per round (calibration copies included)."""
DISPUTED_BELOW = 85.0
DISPUTE_SHARE = 0.3
"""A simulated agent disputes this share of their scores under `DISPUTED_BELOW`, so that
申诉复核 has work in the demo."""
DISPUTE_REASONS = (
    "答复内容与知识库一致，请复核",
    "客户当时情绪激动，已按规范安抚，请重新评定",
    "录音中已询问“请问还有什么可以帮您”，请复核",
)


class DemoInspector:
    """The demo's simulated inspector: draws the day's sample, scores what it is dealt as
    a person would — the suggestions of speech analytics and the phrase rules taken, the
    rest judged with some spread — and puts an excellent call into the case library now
    and then. The simulated agents dispute some low scores (the human seats' are left to
    the people at them)."""

    name = "qa-demo-inspector"
    every = 20.0

    def __init__(self, runtime: Any, desk: QualityDesk, seed: int) -> None:
        self.runtime = runtime
        self.desk = desk
        self.rng = random.Random(seed)
        self._drawn_at: float | None = None

    def _draw(self, now: float) -> list[Event]:
        if self._drawn_at is not None and now - self._drawn_at < DRAW_EVERY:
            return []
        self._drawn_at = now
        day = datetime.datetime.fromtimestamp(now, self.desk.site.hotline.timezone).date()
        try:
            recordings = self.runtime.recordings
            recorded = recordings.calls if recordings.folder is not None else None
            saved = self.desk.draw(day, by=DEMO_INSPECTOR, at=now, recorded=recorded)
            return list(saved.events)
        except EvaluationError:
            return []  # no answered calls yet today

    def _answers(self, form: Form, suggestions: dict[str, str]) -> dict[str, Answer]:
        rng = self.rng
        answers: dict[str, Answer] = {}
        for q in form.questions:
            if q.id in suggestions:
                answers[q.id] = suggestions[q.id]
            elif q.kind == "scale":
                answers[q.id] = rng.choices(range(1, q.steps + 1), [1, 2, 6, 14, 12][-q.steps :])[0]
            elif q.na and rng.random() < 0.3:
                answers[q.id] = "na"
            else:
                answers[q.id] = "no" if rng.random() < (0.002 if q.fatal else 0.08) else "yes"
        return answers

    def _score(self, evaluations: Sequence[Evaluation], now: float) -> list[Event]:
        events: list[Event] = []
        for evaluation in evaluations:
            form = self.desk.form(evaluation.form, evaluation.version)
            view = self.desk.analysis_view(evaluation.call, evaluation.agent)
            answers = self._answers(form, dict(view["suggestions"]))
            saved = self.desk.score(evaluation.id, answers, "", by=DEMO_INSPECTOR, at=now)
            events += saved.events
            score = saved.record.score or 0.0
            if evaluation.calibration is not None:
                continue  # a calibration copy: not the agent's score
            simulated = evaluation.agent not in self.runtime.human_seats
            if simulated and score < DISPUTED_BELOW and self.rng.random() < DISPUTE_SHARE:
                reason = self.rng.choice(DISPUTE_REASONS)  # the simulated agent disputes
                events += self.desk.dispute(evaluation.id, reason, at=now).events
                continue
            if score >= 98.0 and self.rng.random() < 0.15:
                case = self.desk.add_case(
                    evaluation.id,
                    "good",
                    "规范服务：开头语、首问负责、结束语完整",
                    "语气亲切，答复准确，主动询问是否还有其他需要。",
                    None,
                    (),
                    by=DEMO_INSPECTOR,
                    at=now,
                )
                events += case.events
        return events

    def _round(self) -> list[Event]:
        if self.runtime.services.users.get(DEMO_INSPECTOR) is None:
            return []  # a simulated hotline without the demo's users (tests, simulate)
        now = self.runtime.now()
        events = self._draw(now)
        todo = self.desk.store.list(
            statuses=("open",),
            inspector=DEMO_INSPECTOR,
            include_calibration=True,
            limit=SCORE_PER_ROUND,
        )
        try:
            events += self._score(todo, now)
        except HotlineError:
            log.exception("the demo inspector could not score")
        return events

    async def run_once(self) -> None:
        if not self.desk.forms_file.is_file():
            return
        events = await asyncio.to_thread(self._round)
        if events:
            self.runtime.publish_stored(events)


def build_jobs(runtime: Any) -> list[RecordingAnalyser | DemoInspector]:
    """The feature's jobs (`hotline.features.Feature.jobs`): speech analytics where calls
    are recorded; the simulated inspector in the demo."""
    desk = runtime.services.feature("qa", QualityDesk)
    if desk is None:
        return []
    jobs: list[RecordingAnalyser | DemoInspector] = []
    if runtime.recordings.folder is not None:
        jobs.append(RecordingAnalyser(runtime, desk))
    if runtime.sim is not None:
        jobs.append(DemoInspector(runtime, desk, seed=runtime.sim.scenario.seed))
    return jobs
