"""The digital twin of an outbound floor: a hotline's engine on the simulated switch, with
an outbound queue (外呼组) staffed by simulated agents, customers who answer, are busy or let
it ring by chance, and the dialer — the same engine and dialer `hotline serve` runs on SIP.

Tests and `benchmarks/outbound_pacing.py` use it to run a campaign's day in seconds and
read what a supervisor would: occupancy, connects per agent hour, drops per window.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from hotline.calls.config import Hotline
from hotline.calls.engine import CallEngine, build_engine
from hotline.calls.ports import CallerInfo
from hotline.core.calendar import BusinessCalendar
from hotline.core.clock import VirtualClock
from hotline.core.events import EventBus, EventRecorder
from hotline.core.ids import AgentId, CallId, QueueName, SkillName
from hotline.ivr.context import CallContext
from hotline.outbound.dialer import Dialer, Leaves, MayCall, OnAttempt
from hotline.routing.config import AgentModel, QueueModel, SkillModel
from hotline.telephony.customers import ChanceCustomers
from hotline.telephony.sim import SimSwitch

OUTBOUND = QueueName("outbound")


def with_outbound_floor(
    hotline: Hotline, agents: int, *, wrap_up: float = 20.0, first_id: int = 7001
) -> Hotline:
    """`hotline` with an ``outbound`` queue (外呼组) and `agents` agents who only take it."""
    model = hotline.model
    queue = QueueModel.model_validate(
        {"title": "外呼组", "skill": "outbound", "ring_timeout": 12, "wrap_up": wrap_up}
    )
    roster = [
        AgentModel.model_validate(
            {
                "id": str(first_id + i),
                "name": f"外呼{i + 1:02d}",
                "skills": {"outbound": 5},
                "main": "outbound",
            }
        )
        for i in range(agents)
    ]
    model = model.model_copy(
        update={
            "skills": {**model.skills, SkillName("outbound"): SkillModel(title="外呼")},
            "queues": {**model.queues, OUTBOUND: queue},
            "agents": [*model.agents, *roster],
        }
    )
    return dataclasses.replace(
        hotline,
        model=model,
        queues=tuple(model.queue_specs()),
        agents=tuple(a.profile() for a in model.agents),
    )


def customers(
    rng: random.Random,
    *,
    answer: float = 0.6,
    busy: float = 0.1,
    answer_after: tuple[float, float] = (4.0, 14.0),
    talk: float = 240.0,
) -> ChanceCustomers:
    """Called customers: `answer` of them pick up after `answer_after` seconds, `busy` are
    busy, the rest let it ring; talk time is exponential with mean `talk` seconds (at least
    10 s); the customer hangs up at its end."""
    return ChanceCustomers(
        rng,
        answer=answer,
        busy=busy,
        answer_after=answer_after,
        talk=lambda r: max(10.0, r.expovariate(1.0 / talk)),
    )


class Phones:
    """The agents' phones (`Parties`): each answers after `answer_after` seconds; no inbound
    caller ever reaches them here."""

    def __init__(self, answer_after: float = 1.0) -> None:
        self.answer_after = answer_after

    def respond(
        self, call: CallId, prompt: str | None, max_digits: int
    ) -> tuple[str, float] | None:
        return None

    def waiting_started(self, call: CallId) -> None:
        pass

    def ring(self, call: CallId, agent: AgentId, timeout: float) -> float | None:
        return self.answer_after

    def bridged(self, call: CallId, agent: AgentId) -> tuple[float | None, bool]:
        return 60.0, True

    def conversation_ended(self, call: CallId, agent: AgentId) -> None:
        pass

    def call_ended(self, call: CallId) -> None:
        pass


@dataclass
class Twin:
    """A running twin: its clock, events, engine and dialer."""

    clock: VirtualClock
    bus: EventBus
    events: EventRecorder
    engine: CallEngine
    dialer: Dialer
    calendar: BusinessCalendar

    def run_until(self, t: float) -> None:
        self.clock.run(until=t)

    def log_in(self, agents: Iterable[AgentId]) -> None:
        for agent in agents:
            self.engine.acd.login(agent, ready=True)


class _Directory:
    def identify(self, caller: str) -> CallerInfo | None:
        return None


class _NoVerifier:
    def is_bound_phone(self, account: str, phone: str) -> bool:
        return False

    def check_password(self, account: str, password: str) -> bool:
        return False


def _nothing(ctx: CallContext, args: Mapping[str, str]) -> Mapping[str, str] | None:
    return None


def build_twin(
    hotline: Hotline,
    *,
    start: float,
    customers: ChanceCustomers,
    calendar: BusinessCalendar | None = None,
    may_call: MayCall | None = None,
    on_attempt: OnAttempt | None = None,
    leaves: Leaves | None = None,
    record: bool = True,
) -> Twin:
    """The engine of `hotline` on a simulated switch at `start`, with a dialer."""
    clock = VirtualClock(start)
    bus = EventBus()
    events = EventRecorder(bus) if record else EventRecorder(EventBus())
    switch = SimSwitch(clock, Phones(), hotline.prompt_seconds(), customers=customers)
    lookups = dict.fromkeys(("bill", "outage", "arrears"), _nothing)
    engine = build_engine(
        hotline,
        clock=clock,
        bus=bus,
        switch=switch,
        agents=list(hotline.agents),
        directory=_Directory(),
        verifier=_NoVerifier(),
        lookups=lookups,
    )
    calendar = calendar or BusinessCalendar(hotline.timezone)
    dialer = Dialer(
        clock=clock,
        bus=bus,
        controller=engine.controller,
        acd=engine.acd,
        calendar=calendar,
        may_call=may_call,
        on_attempt=on_attempt,
        leaves=leaves,
    )
    return Twin(clock, bus, events, engine, dialer, calendar)
