"""The new-hire programme on the training desk: a stage is passed when its exam is passed
and its least days are over (whichever comes last), and the next stage begins then."""

from __future__ import annotations

import pytest

from hotline.store.db.eventlog import EventLog
from hotline.training.service import TrainingDesk, TrainingError
from hotline.training.targeting import DAY
from tests.training.conftest import RIGHT

T0 = 1_800_000_000.0


def statuses(desk: TrainingDesk, now: float) -> list[str]:
    return [s["status"] for s in desk.progress("9001", now)["stages"]]


def hand_in(desk: TrainingDesk, exam: str, answers: dict, *, at: float):
    attempt, new = desk.start("9001", exam, now=at)
    assert new
    return desk.submit(attempt.id, answers, now=at + 300)


def test_an_agent_never_enrolled_works_independently(desk: TrainingDesk) -> None:
    progress = desk.progress("9002", T0)
    assert progress["state"] == "independent"
    assert progress["stage"] == "three"  # the last stage
    assert statuses(desk, T0) == ["passed", "passed", "passed"]
    assert [o.exam.id for o in desk.open_exams("9002")] == ["open"]  # the monthly exam only


def test_a_new_hire_goes_through_the_stages(desk: TrainingDesk) -> None:
    desk.enrol("9001", by="lead", at=T0)
    assert statuses(desk, T0) == ["current", "upcoming", "upcoming"]
    assert [(o.exam.id, o.purpose) for o in desk.open_exams("9001")] == [
        ("e1", "stage"),
        ("open", "open"),
    ]
    with pytest.raises(TrainingError, match="already"):
        desk.enrol("9001", by="lead", at=T0)

    # day 1: the exam passed (100 ≥ 75), but stage one lasts at least 5 days
    saved = hand_in(desk, "e1", RIGHT, at=T0 + DAY)
    assert (saved.record.score, saved.record.passed) == (100.0, True)
    assert [e.kind for e in saved.events] == ["training.exam_submitted"]
    assert statuses(desk, T0 + DAY) == ["waiting", "upcoming", "upcoming"]
    assert [o.exam.id for o in desk.open_exams("9001")] == ["open"]
    assert desk.settle("9001", T0 + 4.9 * DAY) == ()
    # day 6: settled — passed when its days were over (day 5), stage two begun then
    events = desk.settle("9001", T0 + 6 * DAY)
    assert [e.kind for e in events] == ["training.stage_passed", "training.stage_started"]
    records = {r.stage: r for r in desk.store.stages("9001")}
    assert records["one"].passed_at == T0 + 5 * DAY
    assert records["two"].started_at == T0 + 5 * DAY
    assert desk.progress("9001", T0 + 6 * DAY)["days_in_stage"] == 1.0

    # stage two passes at 90 (its own), not at e2's 50: 3 of 4 right is 75, not enough
    three_right = RIGHT | {"b.q4": True}
    failed = hand_in(desk, "e2", three_right, at=T0 + 6 * DAY)
    assert (failed.record.score, failed.record.pass_score, failed.record.passed) == (
        75.0,
        90.0,
        False,
    )
    assert statuses(desk, T0 + 6 * DAY) == ["passed", "current", "upcoming"]
    # day 8: its 2 days are over: passing moves on at once, in the same transaction
    passed = hand_in(desk, "e2", RIGHT, at=T0 + 8 * DAY)
    assert [e.kind for e in passed.events] == [
        "training.exam_submitted",
        "training.stage_passed",
        "training.stage_started",
    ]
    assert statuses(desk, T0 + 8 * DAY) == ["passed", "passed", "current"]
    assert desk.store.stages("9001")[-1].started_at == T0 + 8 * DAY + 300

    # the last stage (no least days, e2's own 50): passing ends the programme
    last = hand_in(desk, "e2", three_right, at=T0 + 9 * DAY)
    assert last.record.passed
    assert last.events[-1].kind == "training.stage_passed"
    assert desk.progress("9001", T0 + 9 * DAY)["state"] == "done"
    logged = EventLog(desk.db).read(kinds=["training.stage_passed"])
    assert [(e.event.programme_stage, e.event.next_stage) for e in logged] == [  # type: ignore[attr-defined]
        ("one", "two"),
        ("two", "three"),
        ("three", ""),
    ]


def test_a_paper_is_the_same_on_reload_and_handed_in_once(desk: TrainingDesk) -> None:
    attempt, new = desk.start("9001", "open", now=T0)
    again, new_again = desk.start("9001", "open", now=T0 + 60)
    assert new
    assert not new_again
    assert again.id == attempt.id
    assert again.questions == attempt.questions
    assert len(attempt.questions) == 2
    assert attempt.deadline == T0 + 10 * 60
    desk.submit(attempt.id, {}, now=T0 + 120)
    with pytest.raises(TrainingError, match="handed in already"):
        desk.submit(attempt.id, {}, now=T0 + 121)
    # a new attempt draws with the next seed
    second, _ = desk.start("9001", "open", now=T0 + 200)
    assert (attempt.seed, second.seed) == ("open:9001:1", "open:9001:2")


def test_a_paper_past_its_time_is_expired(desk: TrainingDesk) -> None:
    attempt, _ = desk.start("9001", "open", now=T0)
    with pytest.raises(TrainingError, match="the time is up"):
        desk.submit(attempt.id, RIGHT, now=T0 + 10 * 60 + 61)  # past the minute's grace
    expired = desk.store.attempt(attempt.id)
    assert (expired.status, expired.score, expired.passed) == ("expired", 0.0, False)
    # on a demo clock running 60×, the 10 minutes are the person's: 600 engine minutes
    slow, _ = desk.start("9001", "open", now=T0 + 3600, pace=60.0)
    assert slow.deadline == T0 + 3600 + 10 * 60 * 60
    assert desk.submit(slow.id, {}, now=T0 + 3600 + 9 * 3600).record.status == "submitted"


def test_an_exam_not_open_to_the_agent_is_refused(desk: TrainingDesk) -> None:
    with pytest.raises(TrainingError, match="exam e1 is not open to agent 9001"):
        desk.start("9001", "e1", now=T0)
