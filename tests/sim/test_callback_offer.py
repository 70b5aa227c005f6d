"""The callback offer at a queue's maximum wait, as simulated callers take or decline it."""

from __future__ import annotations

from typing import Any

import pytest

from hotline.calls.events import CallEnded, Outcome
from hotline.core.events import EventRecorder
from hotline.routing.events import CallbackCreated, ContactAnswered, ContactLeft, ContactTimedOut
from hotline.sim.run import Simulation

from .builders import hotline, scenario

LINE: dict[str, Any] = {
    "name": "offer",
    "numbers": {"100": "main"},
    "skills": {"fault": {}},
    "queues": {
        "fault": {"skill": "fault", "wrap_up": 0, "max_wait": 60, "on_max_wait": "callback"}
    },
    "ivr": {"callback_offer": {"prompt": "callback_offer", "thanks_prompt": "callback_thanks"}},
}


def run(accept: float) -> EventRecorder:
    plan = {
        "seed": 3,
        "hours": 2,
        "arrivals": {"rate": 0.014},  # 1.7 Erlangs on 2 agents: some callers wait past 60 s
        "tiers": {"high": 0, "middle": 0, "ordinary": 1},
        "intents": [
            {
                "name": "fault",
                "share": 1,
                "digits": ["1"],
                "talk": {"dist": "exponential", "mean": 120},
                "caller_hangs_up": 0,
            }
        ],
        "patience": {"dist": "never"},
        "callback_accept": accept,
        "roster": [{"team": "t", "count": 2, "skills": {"fault": 5}}],
    }
    sim = Simulation(scenario(plan), hotline(LINE, survey=False))
    recorder = EventRecorder(sim.bus)
    sim.run()
    return recorder


def test_accepted_offer_becomes_a_callback_task_and_the_call_ends():
    events = run(accept=1.0)
    timed_out = {e.call for e in events.of(ContactTimedOut)}
    assert timed_out
    left = {e.call for e in events.of(ContactLeft) if e.reason == "callback"}
    tasks = {e.call for e in events.of(CallbackCreated) if e.reason == "accepted_offer"}
    ended = {e.call: e.outcome for e in events.of(CallEnded)}
    assert left == tasks == timed_out
    assert all(ended[c] is Outcome.CALLBACK for c in timed_out)
    assert not timed_out & {e.call for e in events.of(ContactAnswered)}


def test_declined_offer_keeps_waiting_and_is_answered_with_its_whole_wait():
    events = run(accept=0.0)
    timed_out = events.of(ContactTimedOut)
    assert timed_out
    assert not events.of(CallbackCreated)
    answered = {e.call: e.waited for e in events.of(ContactAnswered)}
    for e in timed_out:
        assert answered[e.call] >= 60  # counted from the first queueing, not the requeue
    assert {e.outcome for e in events.of(CallEnded)} == {Outcome.ANSWERED}


@pytest.mark.parametrize("accept", [0.0, 1.0])
def test_every_call_ends_once(accept):
    events = run(accept)
    ends = [e.call for e in events.of(CallEnded)]
    assert len(ends) == len(set(ends)) > 0
