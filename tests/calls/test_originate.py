"""Outbound calls (外呼) through the call controller on the simulated switch.

The engine is the example hotline's (ACD, IVR, controller) on a `VirtualClock`;
the called customer is scripted (`Customers`), agent 9001's phone answers after
one second. Each test follows one path of an outbound call and checks its
events: the ones a report would count, at the times they must happen.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Mapping
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hotline.calls.config import load_hotline
from hotline.calls.engine import build_engine
from hotline.calls.events import (
    CallEnded,
    CallOriginated,
    CallOutboundAnswered,
    CallOutboundFailed,
    Direction,
    Outcome,
    Phase,
)
from hotline.calls.outbound import OriginateError, PlayMessage, ToQueue
from hotline.calls.ports import CallerInfo
from hotline.core.clock import VirtualClock
from hotline.core.customer import ListMark, Tier
from hotline.core.errors import UnknownAgentError
from hotline.core.events import EventBus, EventRecorder
from hotline.core.ids import AgentId, CallId, QueueName
from hotline.ivr.context import CallContext
from hotline.routing.errors import UnknownQueueError
from hotline.routing.events import (
    AgentStateChanged,
    ContactAnswered,
    ContactCompleted,
    ContactLeft,
    ContactOffered,
    ContactQueued,
)
from hotline.routing.model import AgentState
from hotline.store.db.codec import decode
from hotline.telephony.customers import ChanceCustomers, Pickup
from hotline.telephony.sim import SimSwitch

EXAMPLE = Path(__file__).resolve().parents[2] / "examples/95598/hotline.yaml"
START = datetime.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp()
CUSTOMER = "13912345678"
AGENT = AgentId("9001")


class Agents:
    """The agents' phones and the inbound callers (`Parties`): 9001 answers after one second,
    a caller types nothing."""

    def __init__(self) -> None:
        self.silent: set[AgentId] = set()  # phones left ringing
        self.ended: list[tuple[CallId, AgentId]] = []
        self.calls_ended: list[CallId] = []  # inbound calls only

    def respond(
        self, call: CallId, prompt: str | None, max_digits: int
    ) -> tuple[str, float] | None:
        return None

    def waiting_started(self, call: CallId) -> None:
        pass

    def ring(self, call: CallId, agent: AgentId, timeout: float) -> float | None:
        return None if agent in self.silent else 1.0

    def bridged(self, call: CallId, agent: AgentId) -> tuple[float | None, bool]:
        raise AssertionError("an outbound call's conversation is the customer's to decide")

    def conversation_ended(self, call: CallId, agent: AgentId) -> None:
        self.ended.append((call, agent))

    def call_ended(self, call: CallId) -> None:
        self.calls_ended.append(call)


class Customer:
    """One scripted customer line (`Customers`): how it answers, then a conversation of
    `talk` seconds that the customer ends (`customer_ends`) or the agent ends."""

    def __init__(self, pickup: Pickup | None, talk: float = 40.0, customer_ends: bool = True):
        self.pickup = pickup
        self.talk = talk
        self.customer_ends = customer_ends
        self.dialled_with: list[tuple[CallId, str, float]] = []
        self.waiting: list[CallId] = []
        self.ended: list[CallId] = []

    def dialled(self, call: CallId, number: str, timeout: float) -> Pickup | None:
        self.dialled_with.append((call, number, timeout))
        return self.pickup

    def respond(
        self, call: CallId, prompt: str | None, max_digits: int
    ) -> tuple[str, float] | None:
        return None

    def waiting_started(self, call: CallId) -> None:
        self.waiting.append(call)

    def bridged(self, call: CallId, agent: AgentId) -> tuple[float | None, bool]:
        return self.talk, self.customer_ends

    def call_ended(self, call: CallId) -> None:
        self.ended.append(call)


class Directory:
    def __init__(self, known: dict[str, CallerInfo] | None = None) -> None:
        self.known = known or {}

    def identify(self, caller: str) -> CallerInfo | None:
        return self.known.get(caller)


class Engine:
    """The example hotline's engine on a simulated switch, agent 9001 logged in and ready."""

    def __init__(self, customers: Customer | ChanceCustomers | None, **known: CallerInfo) -> None:
        hotline = load_hotline(EXAMPLE)
        self.clock = clock = VirtualClock(START)
        self.bus = bus = EventBus()
        self.events = EventRecorder(bus)
        self.agents = Agents()
        self.switch = switch = SimSwitch(
            clock, self.agents, hotline.prompt_seconds(), customers=customers
        )
        engine = build_engine(
            hotline,
            clock=clock,
            bus=bus,
            switch=switch,
            agents=list(hotline.agents),
            directory=Directory(dict(known)),
            verifier=_NoVerifier(),
            lookups={"bill": _nothing, "outage": _nothing},
        )
        self.acd = acd = engine.acd
        self.controller = engine.controller
        acd.login(AGENT, ready=True)

    def run(self, seconds: float) -> None:
        self.clock.run(until=self.clock.now() + seconds)

    def at(self, event: object) -> float:
        return float(getattr(event, "at")) - START  # noqa: B009


def _nothing(ctx: CallContext, args: Mapping[str, str]) -> Mapping[str, str] | None:
    return None


class _NoVerifier:
    def is_bound_phone(self, account: str, phone: str) -> bool:
        return False

    def check_password(self, account: str, password: str) -> bool:
        return False


def outbound_kinds(engine: Engine) -> list[str]:
    return [k for k in engine.events.kinds() if k != "agent.state_changed"]


def test_an_answered_customer_is_queued_and_talks_with_an_agent() -> None:
    customer = Customer(Pickup(after=8.0), talk=40.0)
    engine = Engine(customer)
    call = engine.controller.originate(
        CUSTOMER, ToQueue(QueueName("query")), caller_id="95598", timeout=30.0
    )
    assert call == CallId("o1")
    assert customer.dialled_with == [(call, CUSTOMER, 30.0)]
    engine.run(120)

    assert outbound_kinds(engine) == [
        "call.originated",
        "call.outbound_answered",
        "contact.queued",
        "contact.offered",
        "contact.answered",
        "contact.completed",
        "call.ended",
    ]
    [originated] = engine.events.of(CallOriginated)
    assert (originated.number, originated.caller_id) == (CUSTOMER, "95598")
    assert (originated.action, originated.target) == ("queue", "query")
    [answered] = engine.events.of(CallOutboundAnswered)
    assert engine.at(answered) == 8.0
    assert answered.rang == 8.0
    [queued] = engine.events.of(ContactQueued)
    assert queued.caller == CUSTOMER
    assert queued.priority == 100
    assert customer.waiting == [call]  # heard the queue's music
    [talk] = engine.events.of(ContactAnswered)
    assert talk.agent == AGENT
    assert engine.at(talk) == 9.0
    [completed] = engine.events.of(ContactCompleted)
    assert completed.talk == 40.0
    assert completed.ended_by == "caller"
    [ended] = engine.events.of(CallEnded)
    assert ended.direction is Direction.OUTBOUND
    assert (ended.outcome, ended.phase, ended.by) == (Outcome.ANSWERED, Phase.TALKING, "caller")
    assert ended.duration == 49.0  # from the start of dialing
    assert customer.ended == [call]
    assert engine.agents.calls_ended == []  # the customer's side is the customer's
    states = [(engine.at(e), e.state) for e in engine.events.of(AgentStateChanged)]
    assert states[-3:] == [
        (9.0, AgentState.TALKING),
        (49.0, AgentState.WRAP_UP),
        (94.0, AgentState.READY),  # the query queue's 45 s of wrap-up, as after any call
    ]
    assert not engine.switch.live_calls()


def test_the_agent_ending_an_outbound_call_hangs_up_without_a_survey() -> None:
    engine = Engine(Customer(Pickup(after=3.0), talk=20.0, customer_ends=False))
    engine.controller.originate(
        CUSTOMER, ToQueue(QueueName("query")), caller_id="95598", timeout=30.0
    )
    engine.run(60)
    kinds = outbound_kinds(engine)
    assert "ivr.entered" not in kinds  # the survey is for callers, not for called customers
    [ended] = engine.events.of(CallEnded)
    assert (ended.outcome, ended.phase, ended.by) == (Outcome.ANSWERED, Phase.TALKING, "system")
    assert engine.agents.ended == [(CallId("o1"), AGENT)]


def test_a_vip_customer_is_queued_with_the_vip_priority() -> None:
    vip = CallerInfo(Tier.HIGH, ListMark.NONE, "A0001")
    engine = Engine(Customer(Pickup(after=2.0)), **{CUSTOMER: vip})
    engine.controller.originate(CUSTOMER, ToQueue(QueueName("query")), caller_id="95598")
    engine.run(5)
    [originated] = engine.events.of(CallOriginated)
    assert originated.tier is Tier.HIGH
    [queued] = engine.events.of(ContactQueued)
    assert queued.priority == 300


def offered_to(engine: Engine) -> list[tuple[float, str]]:
    return [(engine.at(e), e.agent) for e in engine.events.of(ContactOffered)]


def test_a_named_agent_is_rung_first_and_the_queue_takes_over_when_it_rings_out() -> None:
    def engine_with_two_agents() -> Engine:
        engine = Engine(Customer(Pickup(after=2.0)))
        engine.acd.login(AgentId("9003"), ready=True)
        return engine

    by_queue = engine_with_two_agents()
    by_queue.controller.originate(CUSTOMER, ToQueue(QueueName("query")), caller_id="95598")
    by_queue.run(5)
    [(_, chosen)] = offered_to(by_queue)
    other = AgentId("9003" if chosen == "9001" else "9001")

    engine = engine_with_two_agents()
    engine.agents.silent.add(other)
    engine.controller.originate(
        CUSTOMER, ToQueue(QueueName("query"), agent=other), caller_id="95598"
    )
    engine.run(60)
    [originated] = engine.events.of(CallOriginated)
    assert originated.agent == other
    ring_timeout = engine.acd.queue(QueueName("query")).spec.ring_timeout
    assert offered_to(engine) == [(2.0, other), (2.0 + ring_timeout, chosen)]
    assert "contact.ring_no_answer" in outbound_kinds(engine)
    [talk] = engine.events.of(ContactAnswered)
    assert talk.agent == chosen


def test_a_named_agent_who_is_not_ready_leaves_the_customer_to_the_queue() -> None:
    engine = Engine(Customer(Pickup(after=2.0)))
    engine.controller.originate(
        CUSTOMER, ToQueue(QueueName("query"), agent=AgentId("9002")), caller_id="95598"
    )
    engine.run(10)
    assert offered_to(engine) == [(2.0, AGENT)]  # 9002 is logged out


def test_a_customer_who_does_not_answer_fails_after_the_timeout() -> None:
    customer = Customer(None)
    engine = Engine(customer)
    call = engine.controller.originate(
        CUSTOMER, ToQueue(QueueName("query")), caller_id="95598", timeout=25.0
    )
    engine.run(24.9)
    assert outbound_kinds(engine) == ["call.originated"]
    assert call in engine.switch.live_calls()
    engine.run(10)
    assert outbound_kinds(engine) == ["call.originated", "call.outbound_failed", "call.ended"]
    [failed] = engine.events.of(CallOutboundFailed)
    assert (failed.reason, failed.rang, engine.at(failed)) == ("no-answer", 25.0, 25.0)
    [ended] = engine.events.of(CallEnded)
    assert (ended.outcome, ended.phase, ended.by) == (
        Outcome.NOT_REACHED,
        Phase.DIALING,
        "no-answer",
    )
    assert ended.direction is Direction.OUTBOUND
    assert customer.ended == [call]
    assert not engine.switch.live_calls()
    assert engine.acd.state_of(AGENT) is AgentState.READY  # nobody was rung


def test_an_answer_after_the_timeout_comes_too_late() -> None:
    engine = Engine(Customer(Pickup(after=31.0)))
    engine.controller.originate(CUSTOMER, PlayMessage("goodbye"), caller_id="95598", timeout=30)
    engine.run(60)
    [failed] = engine.events.of(CallOutboundFailed)
    assert failed.reason == "no-answer"
    assert engine.at(failed) == 30.0
    assert not engine.events.of(CallOutboundAnswered)


@pytest.mark.parametrize("reason", ["busy", "rejected", "unreachable"])
def test_a_busy_or_refusing_line_fails_with_its_reason(reason: str) -> None:
    engine = Engine(Customer(Pickup(after=2.0, fails=reason)))
    engine.controller.originate(CUSTOMER, ToQueue(QueueName("query")), caller_id="95598")
    engine.run(60)
    [failed] = engine.events.of(CallOutboundFailed)
    assert (failed.reason, engine.at(failed)) == (reason, 2.0)
    [ended] = engine.events.of(CallEnded)
    assert (ended.outcome, ended.by) == (Outcome.NOT_REACHED, reason)


def test_without_simulated_customers_every_call_is_unreachable() -> None:
    engine = Engine(None)
    engine.controller.originate(CUSTOMER, PlayMessage("goodbye"), caller_id="95598")
    engine.run(1)
    [failed] = engine.events.of(CallOutboundFailed)
    assert failed.reason == "unreachable"


def test_a_notice_is_played_to_the_end_then_the_hotline_hangs_up() -> None:
    customer = Customer(Pickup(after=5.0))
    engine = Engine(customer)
    engine.controller.originate(
        CUSTOMER, PlayMessage("callback_thanks"), caller_id="95598", timeout=30
    )
    engine.run(60)
    assert outbound_kinds(engine) == ["call.originated", "call.outbound_answered", "call.ended"]
    [originated] = engine.events.of(CallOriginated)
    assert (originated.action, originated.target) == ("message", "callback_thanks")
    [ended] = engine.events.of(CallEnded)
    assert (ended.outcome, ended.phase, ended.by) == (Outcome.NOTIFIED, Phase.MESSAGE, "system")
    assert engine.at(ended) == 11.0  # answered at 5 s, the prompt lasts 6 s
    assert engine.acd.state_of(AGENT) is AgentState.READY


def test_a_dialers_customer_nobody_takes_in_2_s_hears_the_apology_and_is_dropped() -> None:
    """预测式外呼: the customer answered but no agent is free; 2 s later the call leaves the
    queue, the apology plays and the hotline hangs up — an abandoned-by-dialer call."""
    engine = Engine(Customer(Pickup(after=5.0)))
    engine.acd.set_not_ready(AGENT)
    dialer_call = ToQueue(QueueName("query"), drop_after=2.0, drop_prompt="callback_thanks")
    engine.controller.originate(CUSTOMER, dialer_call, caller_id="95598", timeout=30)
    engine.run(60)
    [left] = engine.events.of(ContactLeft)
    assert (engine.at(left), left.reason) == (7.0, "dropped")
    [ended] = engine.events.of(CallEnded)
    assert (ended.outcome, ended.phase) == (Outcome.DROPPED, Phase.MESSAGE)
    assert engine.at(ended) == 13.0  # the 6 s apology, then the hotline hangs up
    assert engine.events.of(ContactOffered) == []


def test_a_dialers_customer_with_a_free_agent_is_not_dropped() -> None:
    engine = Engine(Customer(Pickup(after=5.0), talk=30.0))
    dialer_call = ToQueue(QueueName("query"), drop_after=2.0, drop_prompt="callback_thanks")
    engine.controller.originate(CUSTOMER, dialer_call, caller_id="95598", timeout=30)
    engine.run(120)
    assert engine.events.of(ContactLeft) == []
    [ended] = engine.events.of(CallEnded)
    assert ended.outcome is Outcome.ANSWERED
    with pytest.raises(OriginateError, match="drop_after"):
        engine.controller.originate(
            CUSTOMER, ToQueue(QueueName("query"), drop_after=-1.0), caller_id="95598"
        )


def test_a_customer_hanging_up_during_the_notice_abandons_it() -> None:
    engine = Engine(Customer(Pickup(after=5.0)))
    call = engine.controller.originate(CUSTOMER, PlayMessage("callback_thanks"), caller_id="95598")
    engine.run(7)
    engine.switch.caller_hangs_up(call)
    [ended] = engine.events.of(CallEnded)
    assert (ended.outcome, ended.phase, ended.by) == (Outcome.ABANDONED, Phase.MESSAGE, "caller")
    engine.run(60)
    assert len(engine.events.of(CallEnded)) == 1


def test_a_customer_hanging_up_while_queued_abandons_the_queue() -> None:
    engine = Engine(Customer(Pickup(after=5.0)))
    engine.acd.set_not_ready(AGENT)  # nobody free: the customer waits
    call = engine.controller.originate(CUSTOMER, ToQueue(QueueName("query")), caller_id="95598")
    engine.run(20)
    engine.switch.caller_hangs_up(call)
    kinds = outbound_kinds(engine)
    assert kinds[-2:] == ["contact.abandoned", "call.ended"]
    [ended] = engine.events.of(CallEnded)
    assert (ended.outcome, ended.phase) == (Outcome.ABANDONED, Phase.QUEUE)


def test_cancelling_a_ringing_call_ends_it_and_a_late_answer_is_ignored() -> None:
    customer = Customer(Pickup(after=10.0))
    engine = Engine(customer)
    call = engine.controller.originate(CUSTOMER, ToQueue(QueueName("query")), caller_id="95598")
    engine.run(4)
    assert engine.controller.cancel_outbound(call)
    engine.run(60)
    assert outbound_kinds(engine) == ["call.originated", "call.outbound_failed", "call.ended"]
    [failed] = engine.events.of(CallOutboundFailed)
    assert (failed.reason, failed.rang) == ("cancelled", 4.0)
    assert customer.ended == [call]
    assert not engine.controller.cancel_outbound(call)


def test_a_switch_restart_while_dialing_loses_the_call() -> None:
    engine = Engine(Customer(Pickup(after=10.0)))
    call = engine.controller.originate(CUSTOMER, ToQueue(QueueName("query")), caller_id="95598")
    engine.run(3)
    engine.switch.restart()
    assert engine.controller.reconcile() == 1
    engine.run(30)
    [failed] = engine.events.of(CallOutboundFailed)
    assert failed.reason == "lost"
    assert failed.call == call
    assert not engine.events.of(CallOutboundAnswered)


def test_inbound_calls_keep_the_inbound_direction() -> None:
    engine = Engine(None)
    engine.switch.place_call(CallId("c1"), CUSTOMER, "95598")
    engine.run(3)
    engine.switch.caller_hangs_up(CallId("c1"))
    [ended] = engine.events.of(CallEnded)
    assert ended.direction is Direction.INBOUND
    assert engine.agents.calls_ended == [CallId("c1")]


def test_a_call_end_stored_before_outbound_calls_reads_as_inbound() -> None:
    row = {"outcome": "answered", "phase": "talking", "by": "caller", "duration": 3.0}
    ended = decode(START, "call.ended", "c1", None, None, row)
    assert isinstance(ended, CallEnded)
    assert ended.direction is Direction.INBOUND


def test_bad_requests_are_refused_before_dialing() -> None:
    customer = Customer(Pickup(after=1.0))
    engine = Engine(customer)
    originate = engine.controller.originate
    with pytest.raises(UnknownAgentError, match="7777"):
        originate(CUSTOMER, ToQueue(QueueName("query"), agent=AgentId("7777")), caller_id="1")
    with pytest.raises(UnknownQueueError, match="nowhere"):
        originate(CUSTOMER, ToQueue(QueueName("nowhere")), caller_id="95598")
    with pytest.raises(OriginateError, match="number '139 1234' is not a dialable number"):
        originate("139 1234", PlayMessage("goodbye"), caller_id="95598")
    with pytest.raises(OriginateError, match="caller_id"):
        originate(CUSTOMER, PlayMessage("goodbye"), caller_id="")
    with pytest.raises(OriginateError, match="timeout"):
        originate(CUSTOMER, PlayMessage("goodbye"), caller_id="95598", timeout=0)
    first = originate(CUSTOMER, PlayMessage("goodbye"), caller_id="95598", call=CallId("x1"))
    with pytest.raises(OriginateError, match="in use"):
        originate(CUSTOMER, PlayMessage("goodbye"), caller_id="95598", call=first)
    assert outbound_kinds(engine) == ["call.originated"]
    assert [c for c, _, _ in customer.dialled_with] == [first]


def test_chance_customers_answer_in_the_given_shares_and_repeat_with_a_seed() -> None:
    def outcomes(seed: int) -> list[str]:
        engine = Engine(ChanceCustomers(random.Random(seed), answer=0.6, busy=0.1, talk=5.0))
        for i in range(400):
            engine.controller.originate(
                f"1390000{i:04d}", PlayMessage("goodbye"), caller_id="95598", timeout=20
            )
        engine.run(120)
        failed = {e.call: e.reason for e in engine.events.of(CallOutboundFailed)}
        return [failed.get(e.call, "answered") for e in engine.events.of(CallOriginated)]

    first = outcomes(7)
    assert first == outcomes(7)
    assert 0.52 < first.count("answered") / 400 < 0.68
    assert 0.06 < first.count("busy") / 400 < 0.15
    assert first.count("answered") + first.count("busy") + first.count("no-answer") == 400
    with pytest.raises(ValueError, match=r"busy 0\.5"):
        ChanceCustomers(random.Random(1), answer=0.6, busy=0.5)
