"""A new ACD rebuilt from the event log takes up every caller and agent where they were."""

from __future__ import annotations

from hotline.core.ids import AgentId, CallId, QueueName
from hotline.routing.acd import ACD
from hotline.routing.model import MaxWaitAction
from hotline.routing.replay import replay

from .conftest import agent, queue

A, C, Q = AgentId, CallId, QueueName


def test_restore_keeps_waiting_order_talking_agents_and_callers_hearing_an_offer(build):
    qs = [queue("fault", "fault", wrap_up=15.0, max_wait=60.0, on_max_wait=MaxWaitAction.CALLBACK)]
    agents = [agent("1001", "fault"), agent("1002", "fault")]
    centre = build(qs, agents)
    acd = centre.acd
    acd.login(A("1001"), ready=True)
    acd.enqueue(C("talk"), Q("fault"), caller="tel-talk")
    acd.answered(C("talk"))
    for call in ("aside", "w1", "w2"):
        acd.enqueue(C(call), Q("fault"), caller=f"tel-{call}")
        centre.clock.advance(10)
    centre.clock.advance(35)  # "aside" reaches 60 s and hears the callback offer
    assert centre.control.max_waits[-1][0] == "aside"

    restarted = ACD(
        clock=centre.clock,
        publish=centre.events.events.append,
        queues=qs,
        agents=agents,
        control=centre.control,
    )
    restarted.restore(replay(list(centre.events.events)), live_calls={"talk", "aside", "w1", "w2"})

    assert restarted.state_of(A("1001")).value == "talking"
    assert restarted.agent(A("1001")).contact is not None
    assert [c.call for c in restarted.waiting(Q("fault"))] == ["w1", "w2"]
    restarted.requeue(C("aside"))  # the caller declines the offer after the restart
    assert [c.call for c in restarted.waiting(Q("fault"))] == ["aside", "w1", "w2"]
    restarted.end_call(C("talk"), ended_by="agent")
    centre.clock.advance(15)
    assert centre.control.rings[-1] == ("aside", "1001")
