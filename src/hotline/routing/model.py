"""Routing's vocabulary: agent states, strategies, and the specs of queues, tiers and agents.

Specs are frozen and built once from configuration (see `routing.config`);
the mutable runtime objects (`Agent`, `Contact`) live in `routing.agent` and
`routing.queue`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from hotline.core.customer import ListMark, Tier
from hotline.core.ids import AgentId, QueueName, SkillName


class AgentState(enum.StrEnum):
    """Where an agent is. The call-bound states follow their call's lifecycle."""

    LOGGED_OUT = "logged_out"  # 签出
    READY = "ready"  # 示闲
    NOT_READY = "not_ready"  # 示忙, with a reason
    AWAY = "away"  # 离开: short absence, no calls offered
    RINGING = "ringing"  # reserved: a contact is offered, the phone rings
    TALKING = "talking"
    HOLD = "hold"  # 保持
    WRAP_UP = "wrap_up"  # 事后处理 (ACW)


CALL_STATES = frozenset({AgentState.RINGING, AgentState.TALKING, AgentState.HOLD})
"""States that exist only while the agent has a call; they cannot outlive it."""


class NotReadyReason(enum.StrEnum):
    """Reasons an agent is not ready. Agents pick the first five; the engine sets the rest."""

    BUSY = "busy"  # 示忙
    BREAK = "break"  # 小休
    MEAL = "meal"  # 用餐
    MEETING = "meeting"  # 会议
    TRAINING = "training"  # 培训
    LOGIN = "login"  # just logged in, not yet ready
    MISSED = "missed"  # ring-no-answer: the offered call was not picked up
    UNREACHABLE = "unreachable"  # the phone could not be rung
    SUPERVISOR = "supervisor"  # forced by a supervisor
    OUTBOUND = "outbound"  # 外呼拨号: the agent dials a previewed customer (预览式外呼)


AGENT_REASONS = frozenset(
    {
        NotReadyReason.BUSY,
        NotReadyReason.BREAK,
        NotReadyReason.MEAL,
        NotReadyReason.MEETING,
        NotReadyReason.TRAINING,
    }
)


class Strategy(enum.StrEnum):
    """How an idle agent is chosen among the eligible ones."""

    LONGEST_IDLE = "longest_idle"
    FEWEST_CALLS = "fewest_calls"  # fewest calls answered today
    LEAST_TALK = "least_talk"  # least talk time today
    TOP_SKILL = "top_skill"  # highest level in the asked skill, then longest idle
    ROUND_ROBIN = "round_robin"  # in roster order, continuing after the last chosen


class MaxWaitAction(enum.StrEnum):
    """What happens to a contact that has waited the queue's maximum."""

    CALLBACK = "callback"  # offer a callback (accepted: a task; declined: back in place)
    VOICEMAIL = "voicemail"  # a callback task at once (recording a message needs real telephony)
    OVERFLOW = "overflow"  # move to another queue, keeping the place in line
    HANGUP = "hangup"  # end the call (counts as blocked)


@dataclass(frozen=True, slots=True)
class Selector:
    """Which agents a stage admits: a skill at a minimum level, and/or groups.

    With ``secondary=False`` only agents whose *main* skill is ``skill`` match;
    with ``secondary=True`` agents holding it as a secondary skill match too
    (技能复用).
    """

    skill: SkillName | None
    min_level: int = 1
    secondary: bool = False
    groups: frozenset[str] = frozenset()

    def admits(self, agent: AgentProfile) -> bool:
        if self.groups and not self.groups.isdisjoint(agent.groups):
            return True
        if self.skill is None:
            return False
        level = agent.skills.get(self.skill)
        if level is None or level < self.min_level:
            return False
        return self.secondary or agent.main_skill == self.skill


@dataclass(frozen=True, slots=True)
class Stage:
    """From ``after`` seconds in queue on, the agents `selector` admits may take the contact."""

    after: float
    selector: Selector


@dataclass(frozen=True, slots=True)
class QueueSpec:
    """A queue: its skill, stages, strategy and the limits on waiting.

    Stage 0 starts at 0 s; later stages widen the eligible agents. An idle
    agent of the earliest open stage is preferred over one of a later stage.
    """

    name: QueueName
    stages: tuple[Stage, ...]
    strategy: Strategy = Strategy.LONGEST_IDLE
    ring_timeout: float = 12.0
    wrap_up: float = 30.0
    fixed_priority: int | None = None
    max_wait: float | None = None
    on_max_wait: MaxWaitAction = MaxWaitAction.CALLBACK
    overflow_to: QueueName | None = None
    max_waiting: int | None = None
    resume_abandoned_within: float = 0.0
    service_level_target: float = 20.0  # seconds
    service_level_goal: float = 0.85  # share answered within the target
    title: str = ""

    @property
    def skill(self) -> SkillName | None:
        return self.stages[0].selector.skill


@dataclass(frozen=True, slots=True)
class TierPolicy:
    """Queue priority by tier and list; larger is served first.

    Rules applied in order: a black-listed contact gets ``black`` (always last,
    whatever its tier); a high-tier contact gets ``high`` (the green channel,
    always at the head); a red-listed one ``red``; the others by tier.
    """

    high: int = 300
    red: int = 200
    middle: int = 100
    ordinary: int = 100
    black: int = 0
    callback_tiers: frozenset[Tier] = frozenset({Tier.MIDDLE})
    callback_within: float = 24 * 3600.0

    def priority(self, tier: Tier, mark: ListMark) -> int:
        if mark is ListMark.BLACK:
            return self.black
        if tier is Tier.HIGH:
            return self.high
        if mark is ListMark.RED:
            return self.red
        return self.middle if tier is Tier.MIDDLE else self.ordinary


@dataclass(frozen=True, slots=True)
class AgentProfile:
    """An agent of the roster: 工号, name, skills with levels (1–10), main skill, groups."""

    id: AgentId
    name: str
    skills: dict[SkillName, int] = field(default_factory=dict)
    main_skill: SkillName | None = None
    groups: frozenset[str] = frozenset()
    extension: str | None = None
