"""Random valid queue_logs of every Asterisk version import into consistent events (hypothesis).

Every arrived call ends exactly once; agents' states replay strictly; every
offer is closed; waits and talk times follow from the times; and the calls'
outcomes, waits, talk times, missed rings and transfers are the ones the
generator wrote.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings

from hotline.calls.events import CallEnded
from hotline.interop.queue_log import Settings
from hotline.routing.events import (
    CallbackCreated,
    ContactAnswered,
    ContactCompleted,
    ContactRingNoAnswer,
    ContactTransferred,
)
from tests.interop.generate import Day, days
from tests.interop.support import imported, only


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(day=days())
def test_imported_calls_are_the_generated_calls(day: Day):
    result = imported(day.text, Settings(default_wrap_up=30.0))  # checks the invariants
    events = result.events
    report = result.report
    assert report.problems == []
    assert report.unfinished == day.unfinished
    outcomes = {e.call: e.outcome.value for e in only(events, CallEnded)}
    assert outcomes == {t.call: t.outcome for t in day.calls}
    assert report.outcomes == Counter(t.outcome for t in day.calls)
    for truth in day.calls:
        answers = [e for e in only(events, ContactAnswered) if e.call == truth.call]
        talks = [
            e.talk
            for e in events
            if isinstance(e, (ContactCompleted, ContactTransferred)) and e.call == truth.call
        ]
        assert [(a.waited, t) for a, t in zip(answers, talks, strict=True)] == truth.answers
        missed = [e for e in only(events, ContactRingNoAnswer) if e.call == truth.call]
        assert len(missed) == truth.rnas
        moved = [e for e in only(events, ContactTransferred) if e.call == truth.call]
        assert len(moved) == truth.transfers
        tasks = [e for e in only(events, CallbackCreated) if e.call == truth.call]
        assert len(tasks) == truth.callback
