"""The hotline's routing configuration as a file: skills, tiers, queues, agents.

A YAML file validated by these pydantic models (unknown keys refused), then
turned into the frozen specs the ACD runs on. Durations are seconds.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hotline.core.customer import Tier
from hotline.core.ids import AgentId, QueueName, SkillName
from hotline.routing.model import (
    AgentProfile,
    MaxWaitAction,
    QueueSpec,
    Selector,
    Stage,
    Strategy,
    TierPolicy,
)

Seconds = Annotated[float, Field(ge=0)]
Level = Annotated[int, Field(ge=1, le=10)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SkillModel(_Model):
    title: str = ""


class PrioritiesModel(_Model):
    high: int = 300
    red: int = 200
    middle: int = 100
    ordinary: int = 100
    black: int = 0

    @model_validator(mode="after")
    def _ordered(self) -> PrioritiesModel:
        if not self.black < min(self.middle, self.ordinary) <= self.red <= self.high:
            raise ValueError(
                "priorities must keep black < middle/ordinary <= red <= high "
                "(black list last, VIP at the head)"
            )
        return self


class CallbackModel(_Model):
    tiers: list[Tier] = [Tier.MIDDLE]
    within: Seconds = 24 * 3600.0


class TiersModel(_Model):
    priorities: PrioritiesModel = PrioritiesModel()
    callback: CallbackModel = CallbackModel()

    def policy(self) -> TierPolicy:
        p = self.priorities
        return TierPolicy(
            high=p.high,
            red=p.red,
            middle=p.middle,
            ordinary=p.ordinary,
            black=p.black,
            callback_tiers=frozenset(self.callback.tiers),
            callback_within=self.callback.within,
        )


class StageModel(_Model):
    """An overflow stage: from `after` seconds, these agents may take the contact too."""

    after: Seconds
    skill: SkillName | None = None  # defaults to the queue's skill
    min_level: Level = 1
    secondary: bool = True
    groups: list[str] = []


class ServiceLevelModel(_Model):
    target: Seconds = 20.0
    goal: Annotated[float, Field(gt=0, le=1)] = 0.85


class AnnounceModel(_Model):
    """Announcements to callers waiting in a queue (排队播报), read over the hold music.

    The first at `first_after` seconds in the queue, then one every `every` seconds:
    the callers ahead (`position`) and/or the estimated wait in minutes (`wait`).
    `handle_time` is the handle time (talk and wrap-up, seconds) assumed for the
    estimate until the queue has had conversations of its own.
    """

    first_after: Seconds = 30.0
    every: Annotated[float, Field(gt=0)] = 60.0
    position: bool = True
    wait: bool = True
    handle_time: Annotated[float, Field(gt=0)] = 300.0

    @model_validator(mode="after")
    def _says_something(self) -> AnnounceModel:
        if not (self.position or self.wait):
            raise ValueError("an announcement needs position: true or wait: true")
        return self


class QueueModel(_Model):
    title: str = ""
    skill: SkillName | None = None
    min_level: Level = 1
    groups: list[str] = []
    strategy: Strategy = Strategy.LONGEST_IDLE
    ring_timeout: Annotated[float, Field(gt=0)] = 12.0
    wrap_up: Seconds = 30.0
    fixed_priority: int | None = None
    max_wait: Annotated[float, Field(gt=0)] | None = None
    on_max_wait: MaxWaitAction = MaxWaitAction.CALLBACK
    overflow_to: QueueName | None = None
    max_waiting: Annotated[int, Field(ge=1)] | None = None
    resume_abandoned_within: Seconds = 0.0
    overflow: list[StageModel] = []
    service_level: ServiceLevelModel = ServiceLevelModel()
    announce: AnnounceModel | None = None  # off unless set

    @model_validator(mode="after")
    def _consistent(self) -> QueueModel:
        if self.skill is None and not self.groups:
            raise ValueError("a queue needs a skill or groups of agents")
        if self.on_max_wait is MaxWaitAction.OVERFLOW and self.overflow_to is None:
            raise ValueError("on_max_wait: overflow needs overflow_to")
        afters = [s.after for s in self.overflow]
        if afters != sorted(afters) or (afters and afters[0] <= 0):
            raise ValueError("overflow stages must have increasing 'after' times above 0")
        return self


class AgentModel(_Model):
    id: AgentId
    name: str = ""
    skills: dict[SkillName, Level]
    main: SkillName | None = None
    groups: list[str] = []
    extension: str | None = None

    @model_validator(mode="after")
    def _main_is_held(self) -> AgentModel:
        if self.main is not None and self.main not in self.skills:
            raise ValueError(f"main skill {self.main!r} is not among the agent's skills")
        return self

    def profile(self) -> AgentProfile:
        main = self.main or (next(iter(self.skills)) if self.skills else None)
        return AgentProfile(
            self.id,
            self.name or self.id,
            dict(self.skills),
            main,
            frozenset(self.groups),
            self.extension,
        )


class RoutingModel(_Model):
    """The routing part of a hotline's configuration."""

    skills: dict[SkillName, SkillModel]
    tiers: TiersModel = TiersModel()
    queues: dict[QueueName, QueueModel]
    agents: list[AgentModel] = []

    def problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Cross-reference errors as (path, message): unknown skills and queues, duplicates."""
        found: list[tuple[tuple[str | int, ...], str]] = []
        known = ", ".join(sorted(self.skills))
        for name, queue in self.queues.items():
            if queue.skill is not None and queue.skill not in self.skills:
                found.append(
                    (("queues", name, "skill"), f"unknown skill {queue.skill!r} (known: {known})")
                )
            for i, stage in enumerate(queue.overflow):
                if stage.skill is not None and stage.skill not in self.skills:
                    found.append(
                        (
                            ("queues", name, "overflow", i, "skill"),
                            f"unknown skill {stage.skill!r} (known: {known})",
                        )
                    )
            if queue.overflow_to is not None and queue.overflow_to not in self.queues:
                found.append(
                    (
                        ("queues", name, "overflow_to"),
                        f"unknown queue {queue.overflow_to!r} "
                        f"(known: {', '.join(sorted(self.queues))})",
                    )
                )
        seen: set[str] = set()
        for i, agent in enumerate(self.agents):
            if agent.id in seen:
                found.append((("agents", i, "id"), f"agent 工号 {agent.id!r} appears twice"))
            seen.add(agent.id)
            for skill in agent.skills:
                if skill not in self.skills:
                    found.append(
                        (
                            ("agents", i, "skills", skill),
                            f"unknown skill {skill!r} (known: {known})",
                        )
                    )
        return found

    def queue_specs(self) -> list[QueueSpec]:
        return [queue_spec(name, q) for name, q in self.queues.items()]


def queue_spec(name: QueueName, q: QueueModel) -> QueueSpec:
    stages = [Stage(0.0, Selector(q.skill, q.min_level, False, frozenset(q.groups)))]
    for s in q.overflow:
        skill = s.skill or q.skill
        stages.append(
            Stage(s.after, Selector(skill, s.min_level, s.secondary, frozenset(s.groups)))
        )
    return QueueSpec(
        name=name,
        stages=tuple(stages),
        strategy=q.strategy,
        ring_timeout=q.ring_timeout,
        wrap_up=q.wrap_up,
        fixed_priority=q.fixed_priority,
        max_wait=q.max_wait,
        on_max_wait=q.on_max_wait,
        overflow_to=q.overflow_to,
        max_waiting=q.max_waiting,
        resume_abandoned_within=q.resume_abandoned_within,
        service_level_target=q.service_level.target,
        service_level_goal=q.service_level.goal,
        title=q.title,
    )
