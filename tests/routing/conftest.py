"""A small call centre for ACD tests: a virtual clock, recorded events and a fake call control."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from hotline.core.clock import VirtualClock
from hotline.core.events import EventBus, EventRecorder
from hotline.core.ids import AgentId, CallId, QueueName, SkillName
from hotline.routing.acd import ACD
from hotline.routing.model import (
    AgentProfile,
    MaxWaitAction,
    QueueSpec,
    Selector,
    Stage,
    Strategy,
)


@dataclass
class FakeControl:
    """Records what the ACD asks of telephony; the test plays the phones."""

    rings: list[tuple[str, str]] = field(default_factory=list)
    cancelled: list[tuple[str, str]] = field(default_factory=list)
    max_waits: list[tuple[str, str, MaxWaitAction]] = field(default_factory=list)

    def ring(self, call: CallId, agent: AgentId, timeout: float) -> None:
        self.rings.append((call, agent))

    def cancel_ring(self, call: CallId, agent: AgentId) -> None:
        self.cancelled.append((call, agent))

    def max_wait_reached(self, call: CallId, queue: QueueName, action: MaxWaitAction) -> None:
        self.max_waits.append((call, queue, action))

    def ringing(self) -> dict[str, str]:
        """Agent by call for offers not yet withdrawn."""
        live = dict(self.rings)
        for call, agent in self.cancelled:
            if live.get(call) == agent:
                del live[call]
        return live


def queue(
    name: str,
    skill: str,
    *,
    strategy: Strategy = Strategy.LONGEST_IDLE,
    overflow: tuple[tuple[float, Selector], ...] = (),
    **kwargs: object,
) -> QueueSpec:
    stages = (Stage(0.0, Selector(SkillName(skill))), *(Stage(t, s) for t, s in overflow))
    return QueueSpec(name=QueueName(name), stages=stages, strategy=strategy, **kwargs)  # type: ignore[arg-type]


def agent(agent_id: str, main: str, **skills: int) -> AgentProfile:
    levels = {SkillName(k): v for k, v in skills.items()} or {SkillName(main): 5}
    return AgentProfile(AgentId(agent_id), agent_id, levels, SkillName(main))


@dataclass
class Centre:
    clock: VirtualClock
    acd: ACD
    control: FakeControl
    events: EventRecorder

    def agent_state(self, agent_id: str) -> str:
        return self.acd.state_of(AgentId(agent_id)).value


@pytest.fixture
def build():
    """build(queues, agents, **acd_kwargs) -> Centre"""

    def _build(queues: list[QueueSpec], agents: list[AgentProfile], **kwargs: object) -> Centre:
        clock = VirtualClock(1_780_000_000.0)
        bus = EventBus()
        recorder = EventRecorder(bus)
        control = FakeControl()
        acd = ACD(
            clock=clock,
            publish=bus.publish,
            queues=queues,
            agents=agents,
            control=control,
            **kwargs,
        )  # type: ignore[arg-type]
        return Centre(clock, acd, control, recorder)

    return _build
