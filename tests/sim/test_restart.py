"""Restarts never leave an agent stuck: the engine rebuilds itself from the log, and a
restarted switch's lost calls release their agents."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from hotline.calls.events import CallArrived, CallEnded
from hotline.core.events import EventRecorder
from hotline.routing.events import ConsultEnded
from hotline.routing.model import CALL_STATES, AgentState
from hotline.routing.replay import replay
from hotline.sim.run import Simulation, load_scenario
from hotline.sim.scenario import ConsultModel

HEATWAVE = Path(__file__).parents[2] / "examples" / "95598" / "scenarios" / "heatwave.yaml"
BUSY_HOUR = 19.5 * 3600  # 19:30, the evening surge: agents talking, callers waiting


@pytest.fixture
def busy() -> tuple[Simulation, EventRecorder]:
    sim = Simulation(*load_scenario(HEATWAVE))
    recorder = EventRecorder(sim.bus)
    sim.clock.run(until=sim.start + BUSY_HOUR)
    assert any(a.state in CALL_STATES for a in sim.acd.agents.values())
    assert any(q.size for q in sim.acd.queues.values())
    return sim, recorder


def assert_day_ends_cleanly(sim: Simulation, recorder: EventRecorder) -> None:
    result = sim.run()
    assert result.unfinished_calls == 0
    arrived = {e.call for e in recorder.of(CallArrived)}
    ended = Counter(e.call for e in recorder.of(CallEnded))
    assert set(ended) == arrived
    assert set(ended.values()) == {1}
    picture = replay(recorder.events, strict=True)  # every state change follows the last one
    assert not [a for a, s in picture.agents.items() if s.state in CALL_STATES]
    assert not picture.contacts


def test_engine_restart_takes_up_every_agent_and_caller_where_the_log_left_them(busy):
    sim, recorder = busy
    before = {
        a.id: (a.state, a.contact.call if a.contact else None) for a in sim.acd.agents.values()
    }
    waiting = {name: [c.call for c in q.waiting()] for name, q in sim.acd.queues.items()}

    sim.restart_engine(list(recorder.events))

    after = {
        a.id: (a.state, a.contact.call if a.contact else None) for a in sim.acd.agents.values()
    }
    assert after == before
    assert {name: [c.call for c in q.waiting()] for name, q in sim.acd.queues.items()} == waiting
    assert_day_ends_cleanly(sim, recorder)


def test_switch_restart_ends_lost_calls_and_frees_their_agents(busy):
    sim, recorder = busy
    on_calls = {a.id for a in sim.acd.agents.values() if a.state in CALL_STATES}

    sim.switch.restart()
    lost = sim.controller.reconcile()

    assert lost > 0
    states = {a.id: a.state for a in sim.acd.agents.values()}
    assert not [a for a, s in states.items() if s in CALL_STATES]
    assert {states[a] for a in on_calls} <= {
        AgentState.WRAP_UP,
        AgentState.READY,
        AgentState.LOGGED_OUT,
        AgentState.NOT_READY,
    }
    assert all(q.size == 0 for q in sim.acd.queues.values())
    ends = [e for e in recorder.of(CallEnded) if e.by == "lost"]
    assert len(ends) == lost
    assert_day_ends_cleanly(sim, recorder)


def test_engine_restart_during_consultations_drops_them_and_the_day_ends_cleanly() -> None:
    scenario, hotline = load_scenario(HEATWAVE)
    consulting = [
        intent.model_copy(
            update={
                "consult": ConsultModel(share=0.5, to="query", complete=0.5),
                "transfer": None,
            }
        )
        for intent in scenario.intents
    ]
    sim = Simulation(scenario.model_copy(update={"intents": consulting}), hotline)
    recorder = EventRecorder(sim.bus)
    sim.clock.run(until=sim.start + BUSY_HOUR)
    while not sim.acd.consults:  # a moment with consultations in progress
        sim.clock.run(until=sim.clock.now() + 1.0)
    in_progress = set(sim.acd.consults)

    sim.restart_engine(list(recorder.events))

    assert not sim.acd.consults  # a consultation does not survive a restart
    for call in in_progress:  # the caller stays with the agent who asked
        assert sim.acd.has_contact(call)
    assert_day_ends_cleanly(sim, recorder)
    assert recorder.of(ConsultEnded)
