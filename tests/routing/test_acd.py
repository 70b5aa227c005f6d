"""The ACD's rules, one behaviour per test, driven through its public commands."""

from __future__ import annotations

import pytest

from hotline.core.customer import ListMark, Tier
from hotline.core.errors import UnknownAgentError
from hotline.core.ids import AgentId, CallId, QueueName, SkillName
from hotline.routing.errors import InvalidAgentTransitionError
from hotline.routing.events import (
    AgentStateChanged,
    CallbackClosed,
    CallbackCreated,
    ContactAbandoned,
    ContactCompleted,
    ContactOverflowed,
    ContactQueued,
    ContactRingNoAnswer,
    ContactTransferred,
)
from hotline.routing.model import AgentState, MaxWaitAction, NotReadyReason, Selector, Strategy

from .conftest import agent, queue

A, C, Q = AgentId, CallId, QueueName


def enqueue(centre, call, q="fault", tier=Tier.ORDINARY, mark=ListMark.NONE, caller=None):
    return centre.acd.enqueue(
        C(call), Q(q), caller=caller or f"tel-{call}", tier=tier, list_mark=mark
    )


def test_waiting_order_is_vip_first_black_last_fifo_within_priority(build):
    centre = build([queue("fault", "fault")], [agent("1001", "fault")])
    enqueue(centre, "ord1")
    centre.clock.advance(1)
    enqueue(centre, "black", mark=ListMark.BLACK, tier=Tier.HIGH)
    centre.clock.advance(1)
    enqueue(centre, "ord2")
    centre.clock.advance(1)
    enqueue(centre, "red", mark=ListMark.RED)
    centre.clock.advance(1)
    enqueue(centre, "vip", tier=Tier.HIGH)
    order = [c.call for c in centre.acd.waiting(Q("fault"))]
    assert order == ["vip", "red", "ord1", "ord2", "black"]


def test_ready_agent_gets_the_head_and_rings(build):
    centre = build([queue("fault", "fault")], [agent("1001", "fault")])
    enqueue(centre, "c1")
    centre.clock.advance(2)
    enqueue(centre, "c2", tier=Tier.HIGH)
    centre.acd.login(A("1001"), ready=True)
    assert centre.control.rings == [("c2", "1001")]
    assert centre.agent_state("1001") == "ringing"


def test_contact_goes_to_longest_idle_agent(build):
    agents = [agent("1001", "fault"), agent("1002", "fault")]
    centre = build([queue("fault", "fault")], agents)
    centre.acd.login(A("1002"), ready=True)
    centre.clock.advance(5)
    centre.acd.login(A("1001"), ready=True)
    enqueue(centre, "c1")
    assert centre.control.rings == [("c1", "1002")]


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [
        (Strategy.FEWEST_CALLS, "1002"),
        (Strategy.LEAST_TALK, "1001"),
        (Strategy.TOP_SKILL, "1002"),
    ],
)
def test_strategies_choose_by_their_criterion(build, strategy, expected):
    agents = [agent("1001", "fault", fault=3), agent("1002", "fault", fault=8)]
    centre = build([queue("fault", "fault", strategy=strategy, wrap_up=0.0)], agents)
    acd = centre.acd
    # 1001: two short calls today; 1002: one long call
    acd.login(A("1001"), ready=True)
    for call, talk in (("a", 10), ("b", 10)):
        enqueue(centre, call)
        acd.answered(C(call))
        centre.clock.advance(talk)
        acd.end_call(C(call), ended_by="agent")
    acd.set_not_ready(A("1001"))
    acd.login(A("1002"), ready=True)
    enqueue(centre, "c")
    acd.answered(C("c"))
    centre.clock.advance(100)
    acd.end_call(C("c"), ended_by="agent")
    acd.set_ready(A("1001"))
    enqueue(centre, "probe")
    assert centre.control.rings[-1] == ("probe", expected)


def test_round_robin_continues_after_the_last_chosen(build):
    agents = [agent(str(1001 + i), "eng") for i in range(3)]
    centre = build([queue("english", "eng", strategy=Strategy.ROUND_ROBIN, wrap_up=0.0)], agents)
    for a in agents:
        centre.acd.login(a.id, ready=True)
    chosen = []
    for i in range(5):
        enqueue(centre, f"c{i}", q="english")
        call, who = centre.control.rings[-1]
        chosen.append(who)
        centre.acd.answered(C(call))
        centre.acd.end_call(C(call), ended_by="agent")
    assert chosen == ["1001", "1002", "1003", "1001", "1002"]


def test_overflow_stage_admits_secondary_skill_agents_only_after_its_time(build):
    q = queue("fault", "fault", overflow=((30.0, Selector(SkillName("fault"), secondary=True)),))
    helper = agent("2001", "query", query=6, fault=3)
    centre = build([q, queue("query", "query")], [helper])
    centre.acd.login(A("2001"), ready=True)
    enqueue(centre, "c1")
    centre.clock.advance(29)
    assert centre.control.rings == []
    centre.clock.advance(1)
    assert centre.control.rings == [("c1", "2001")]


def test_ready_agent_takes_the_best_head_across_its_queues(build):
    multi = agent("1001", "fault", fault=5, query=5)
    qs = [
        queue("fault", "fault"),
        queue("query", "query", overflow=((0.001, Selector(SkillName("query"), secondary=True)),)),
    ]
    centre = build(qs, [multi])
    enqueue(centre, "old", q="query")
    centre.clock.advance(10)
    enqueue(centre, "new", q="fault")
    centre.acd.login(A("1001"), ready=True)
    assert centre.control.rings == [("old", "1001")]


def test_ring_no_answer_sets_agent_missed_and_contact_keeps_its_place(build):
    centre = build(
        [queue("fault", "fault", ring_timeout=12.0)],
        [agent("1001", "fault"), agent("1002", "fault")],
    )
    centre.acd.login(A("1001"), ready=True)
    enqueue(centre, "first")
    centre.clock.advance(5)
    enqueue(centre, "second")
    centre.clock.advance(7)  # 12 s of ringing
    assert centre.agent_state("1001") == "not_ready"
    assert centre.acd.agent(A("1001")).reason == NotReadyReason.MISSED.value
    assert ("first", "1001") in centre.control.cancelled
    assert [e.call for e in centre.events.of(ContactRingNoAnswer)] == ["first"]
    assert [c.call for c in centre.acd.waiting(Q("fault"))] == ["first", "second"]
    centre.acd.login(A("1002"), ready=True)
    assert centre.control.rings[-1] == ("first", "1002")


def test_caller_leaving_while_ringing_frees_the_agent(build):
    centre = build([queue("fault", "fault")], [agent("1001", "fault")])
    centre.acd.login(A("1001"), ready=True)
    enqueue(centre, "c1")
    centre.clock.advance(3)
    centre.acd.abandon(C("c1"))
    assert centre.agent_state("1001") == "ready"
    abandoned = centre.events.of(ContactAbandoned)[0]
    assert abandoned.ringing
    assert abandoned.agent == "1001"
    assert abandoned.waited == 3
    centre.clock.advance(20)  # the old ring timer must not fire
    assert centre.agent_state("1001") == "ready"


def test_wrap_up_uses_the_queue_time_then_ready(build):
    centre = build([queue("fault", "fault", wrap_up=45.0)], [agent("1001", "fault")])
    acd = centre.acd
    acd.login(A("1001"), ready=True)
    enqueue(centre, "c1")
    acd.answered(C("c1"))
    centre.clock.advance(100)
    acd.end_call(C("c1"), ended_by="caller")
    assert centre.agent_state("1001") == "wrap_up"
    centre.clock.advance(44.9)
    assert centre.agent_state("1001") == "wrap_up"
    centre.clock.advance(0.1)
    assert centre.agent_state("1001") == "ready"


def test_not_ready_during_a_call_applies_after_it(build):
    centre = build([queue("fault", "fault", wrap_up=10.0)], [agent("1001", "fault")])
    acd = centre.acd
    acd.login(A("1001"), ready=True)
    enqueue(centre, "c1")
    acd.answered(C("c1"))
    acd.set_not_ready(A("1001"), NotReadyReason.BREAK)
    assert centre.agent_state("1001") == "talking"
    acd.end_call(C("c1"), ended_by="agent")
    centre.clock.advance(10)
    assert centre.agent_state("1001") == "not_ready"
    assert acd.agent(A("1001")).reason == "break"
    enqueue(centre, "c2")
    assert centre.control.rings == [("c1", "1001")]


def test_agent_in_several_queues_has_one_wrap_up(build):
    multi = agent("1001", "fault", fault=5, query=5)
    qs = [
        queue("fault", "fault", wrap_up=30.0),
        queue(
            "query",
            "query",
            wrap_up=30.0,
            overflow=((0.001, Selector(SkillName("query"), secondary=True)),),
        ),
    ]
    centre = build(qs, [multi])
    acd = centre.acd
    acd.login(A("1001"), ready=True)
    enqueue(centre, "c1")
    acd.answered(C("c1"))
    acd.end_call(C("c1"), ended_by="agent")
    centre.clock.advance(30)
    changes = [e for e in centre.events.of(AgentStateChanged) if e.state is AgentState.WRAP_UP]
    assert len(changes) == 1
    assert centre.agent_state("1001") == "ready"


def test_max_wait_overflows_to_another_queue_keeping_arrival(build):
    qs = [
        queue(
            "english",
            "eng",
            max_wait=60.0,
            on_max_wait=MaxWaitAction.OVERFLOW,
            overflow_to=Q("query"),
        ),
        queue("query", "query"),
    ]
    centre = build(qs, [agent("1001", "query")])
    enqueue(centre, "c1", q="english")
    centre.clock.advance(60)
    moved = centre.events.of(ContactOverflowed)
    assert [(e.call, e.to_queue) for e in moved] == [("c1", "query")]
    centre.acd.login(A("1001"), ready=True)
    assert centre.control.rings == [("c1", "1001")]
    centre.acd.answered(C("c1"))
    assert centre.events.events[-2].waited == 60.0  # ContactAnswered counts from first queueing


def test_max_wait_callback_is_handed_to_call_control(build):
    centre = build(
        [queue("fault", "fault", max_wait=300.0, on_max_wait=MaxWaitAction.CALLBACK)], []
    )
    enqueue(centre, "c1")
    centre.clock.advance(300)
    assert centre.control.max_waits == [("c1", "fault", MaxWaitAction.CALLBACK)]
    assert centre.acd.waiting(Q("fault")) == []  # set aside while the offer is made
    centre.acd.withdraw(C("c1"), "callback")
    assert not centre.acd.has_contact(C("c1"))


def test_declined_callback_offer_keeps_place_and_wait(build):
    q = queue("fault", "fault", max_wait=300.0, on_max_wait=MaxWaitAction.CALLBACK)
    centre = build([q], [agent("1001", "fault")])
    enqueue(centre, "first")
    centre.clock.advance(100)
    enqueue(centre, "second")
    centre.clock.advance(200)  # "first" reaches 300 s and hears the offer
    centre.clock.advance(5)
    centre.acd.requeue(C("first"))  # declined
    assert [c.call for c in centre.acd.waiting(Q("fault"))] == ["first", "second"]
    centre.acd.login(A("1001"), ready=True)
    centre.acd.answered(C("first"))
    answered = [e for e in centre.events.events if e.kind == "contact.answered"]
    assert answered[0].waited == 305.0


def test_caller_hanging_up_during_the_offer_is_an_abandon(build):
    q = queue("fault", "fault", max_wait=60.0, on_max_wait=MaxWaitAction.CALLBACK)
    centre = build([q], [])
    enqueue(centre, "c1", tier=Tier.MIDDLE)
    centre.clock.advance(62)
    centre.acd.abandon(C("c1"))
    assert [(e.call, e.waited) for e in centre.events.of(ContactAbandoned)] == [("c1", 62.0)]
    assert len(centre.events.of(CallbackCreated)) == 1


def test_caller_who_abandons_and_calls_back_in_time_gets_the_old_place(build):
    centre = build(
        [queue("fault", "fault", resume_abandoned_within=60.0)], [agent("1001", "fault")]
    )
    enqueue(centre, "first", caller="13800000001")
    centre.clock.advance(10)
    enqueue(centre, "second", caller="13800000002")
    centre.clock.advance(10)
    centre.acd.abandon(C("first"))
    centre.clock.advance(30)
    enqueue(centre, "again", caller="13800000001")
    assert [c.call for c in centre.acd.waiting(Q("fault"))] == ["again", "second"]
    assert centre.events.of(ContactQueued)[-1].resumed


def test_caller_who_calls_back_too_late_goes_to_the_back(build):
    centre = build([queue("fault", "fault", resume_abandoned_within=60.0)], [])
    enqueue(centre, "first", caller="13800000001")
    centre.clock.advance(10)
    enqueue(centre, "second", caller="13800000002")
    centre.acd.abandon(C("first"))
    centre.clock.advance(61)
    enqueue(centre, "again", caller="13800000001")
    assert [c.call for c in centre.acd.waiting(Q("fault"))] == ["second", "again"]


def test_middle_tier_abandon_creates_a_callback_closed_when_reached(build):
    centre = build([queue("fault", "fault")], [agent("1001", "fault")])
    enqueue(centre, "c1", tier=Tier.MIDDLE, caller="13900000000")
    enqueue(centre, "c2", tier=Tier.ORDINARY, caller="13900000001")
    centre.clock.advance(40)
    centre.acd.abandon(C("c1"))
    centre.acd.abandon(C("c2"))
    tasks = centre.events.of(CallbackCreated)
    assert [(t.caller, t.reason) for t in tasks] == [("13900000000", "abandoned")]
    assert tasks[0].due == pytest.approx(centre.clock.now() + 24 * 3600)
    enqueue(centre, "c3", tier=Tier.MIDDLE, caller="13900000000")
    centre.acd.login(A("1001"), ready=True)
    centre.acd.answered(C("c3"))
    assert [(e.task, e.result) for e in centre.events.of(CallbackClosed)] == [
        (tasks[0].task, "reached")
    ]
    assert centre.acd.callbacks.pending() == []


def test_supervisor_forces_states_but_not_call_states(build):
    centre = build([queue("fault", "fault")], [agent("1001", "fault")])
    acd = centre.acd
    acd.login(A("1001"))
    acd.force_state(A("1001"), AgentState.READY, supervisor="lead-1")
    assert centre.events.of(AgentStateChanged)[-1].by == "lead-1"
    with pytest.raises(InvalidAgentTransitionError, match="follows a call"):
        acd.force_state(A("1001"), AgentState.TALKING, supervisor="lead-1")
    acd.force_state(A("1001"), AgentState.LOGGED_OUT, supervisor="lead-1")
    assert centre.agent_state("1001") == "logged_out"


def test_agent_commands_name_the_problem(build):
    centre = build([queue("fault", "fault")], [agent("1001", "fault")])
    with pytest.raises(UnknownAgentError, match="9999"):
        centre.acd.login(A("9999"))
    with pytest.raises(InvalidAgentTransitionError, match="logged out"):
        centre.acd.set_ready(A("1001"))
    centre.acd.login(A("1001"))
    with pytest.raises(InvalidAgentTransitionError, match="set by the system"):
        centre.acd.set_not_ready(A("1001"), NotReadyReason.MISSED)


def test_reconcile_after_a_switch_restart_frees_every_agent(build):
    agents = [agent("1001", "fault"), agent("1002", "fault"), agent("1003", "fault")]
    centre = build([queue("fault", "fault", wrap_up=20.0)], agents)
    acd = centre.acd
    for a in agents:
        acd.login(a.id, ready=True)
    for call in ("talk", "ring", "hold", "wait1", "wait2"):
        enqueue(centre, call)
    acd.answered(C("talk"))
    acd.answered(C("hold"))
    acd.hold(C("hold"))
    acd.reconcile(live_calls=set())  # the switch came back empty
    states = {a.id: centre.agent_state(a.id) for a in agents}
    assert states == {"1001": "wrap_up", "1002": "ready", "1003": "wrap_up"}
    assert acd.waiting(Q("fault")) == []
    centre.clock.advance(20)
    assert {centre.agent_state(a.id) for a in agents} == {"ready"}


def test_next_head_is_offered_to_idle_overflow_agents_when_the_head_is_taken(build):
    """A VIP newer than an ordinary caller heads the queue; once a main agent takes the VIP,
    the ordinary caller (already in the overflow stage) goes to the idle secondary agent."""
    q = queue("fault", "fault", overflow=((30.0, Selector(SkillName("fault"), secondary=True)),))
    agents = [agent("main", "fault"), agent("x", "query", query=5, fault=3)]
    centre = build([q, queue("query", "query")], agents)
    centre.acd.login(A("x"), ready=True)
    enqueue(centre, "old")
    centre.clock.advance(20)
    enqueue(centre, "vip", tier=Tier.HIGH)
    centre.clock.advance(15)
    assert centre.control.rings == []  # the VIP heads the queue and is in stage 0
    centre.acd.login(A("main"), ready=True)
    assert centre.control.rings == [("vip", "main"), ("old", "x")]


def test_hold_time_is_counted_within_talk_and_agent_state_follows(build):
    centre = build([queue("fault", "fault", wrap_up=0.0)], [agent("1001", "fault")])
    acd = centre.acd
    acd.login(A("1001"), ready=True)
    enqueue(centre, "c1")
    acd.answered(C("c1"))
    centre.clock.advance(30)
    acd.hold(C("c1"))
    assert centre.agent_state("1001") == "hold"
    centre.clock.advance(20)
    acd.retrieve(C("c1"))
    assert centre.agent_state("1001") == "talking"
    centre.clock.advance(10)
    acd.end_call(C("c1"), ended_by="agent")
    completed = centre.events.of(ContactCompleted)[0]
    assert (completed.talk, completed.hold) == (60.0, 20.0)


def test_blind_transfer_sends_the_caller_to_another_queue_and_the_agent_to_wrap_up(build):
    qs = [queue("fault", "fault", wrap_up=10.0), queue("complaint", "complaint")]
    centre = build(qs, [agent("1001", "fault"), agent("2001", "complaint")])
    acd = centre.acd
    acd.login(A("1001"), ready=True)
    enqueue(centre, "c1", tier=Tier.HIGH)
    acd.answered(C("c1"))
    centre.clock.advance(40)
    assert acd.transfer(C("c1"), Q("complaint"))
    assert centre.agent_state("1001") == "wrap_up"
    transferred = centre.events.of(ContactTransferred)[0]
    assert (transferred.to_queue, transferred.talk) == ("complaint", 40.0)
    queued = centre.events.of(ContactQueued)[-1]
    assert (queued.queue, queued.tier, queued.priority) == ("complaint", Tier.HIGH, 300)
    acd.login(A("2001"), ready=True)
    assert centre.control.rings[-1] == ("c1", "2001")


def test_an_agent_added_at_run_time_serves_its_queues(build):
    centre = build([queue("fault", "fault")], [])
    enqueue(centre, "c1")
    centre.acd.add_agent(agent("3001", "fault"))
    with pytest.raises(InvalidAgentTransitionError, match="already exists"):
        centre.acd.add_agent(agent("3001", "fault"))
    centre.acd.login(A("3001"), ready=True)
    assert centre.control.rings == [("c1", "3001")]


def test_callback_tasks_fall_overdue_after_their_deadline(build):
    centre = build([queue("fault", "fault")], [])
    enqueue(centre, "c1", tier=Tier.MIDDLE)
    centre.acd.abandon(C("c1"))
    callbacks = centre.acd.callbacks
    assert callbacks.overdue(centre.clock.now() + 24 * 3600 - 1) == []
    assert [t.call for t in callbacks.overdue(centre.clock.now() + 24 * 3600 + 1)] == ["c1"]
    task = callbacks.pending()[0]
    callbacks.close(task.id, "done", now=centre.clock.now())
    assert callbacks.pending() == []
    assert centre.events.of(CallbackClosed)[-1].result == "done"


@pytest.mark.parametrize("leave", ["abandon", "withdraw"])
def test_when_the_head_leaves_the_next_head_goes_to_idle_overflow_agents(build, leave):
    q = queue("fault", "fault", overflow=((30.0, Selector(SkillName("fault"), secondary=True)),))
    centre = build([q, queue("query", "query")], [agent("x", "query", query=5, fault=3)])
    centre.acd.login(A("x"), ready=True)
    enqueue(centre, "old")
    centre.clock.advance(20)
    enqueue(centre, "vip", tier=Tier.HIGH)
    centre.clock.advance(15)  # "old" is in the overflow stage, behind the VIP
    assert centre.control.rings == []
    if leave == "abandon":
        centre.acd.abandon(C("vip"))
    else:
        centre.acd.withdraw(C("vip"), "lost")
    assert centre.control.rings == [("old", "x")]
