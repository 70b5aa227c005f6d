"""A hotline's configuration file: its numbers, IVR flows, and routing (skills, tiers, queues).

``hotline.yaml`` holds the routing part (see `routing.config`) plus the name,
time zone, the numbers callers dial and the IVR flow each one starts, the
directory of flow files, and the prompts of queue announcements. `load_hotline`
reads and cross-checks all of it and refuses a wrong file with every problem
located (file:line).
"""

from __future__ import annotations

import datetime
import os
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hotline.calls.announce import AnnouncementPlan, AnnouncementsModel, AnnounceSpec
from hotline.calls.lookups import LookupsModel
from hotline.calls.voicemail import VoicemailModel
from hotline.core.config import ConfigError, ConfigProblem, YamlDocument, load_model
from hotline.core.customer import Tier
from hotline.ivr.flow import Flow, LookupNode, Prompt
from hotline.ivr.loader import load_flows
from hotline.routing.config import RoutingModel
from hotline.routing.model import AgentProfile, QueueSpec, TierPolicy


class CallbackOfferModel(BaseModel):
    """The offer made when a queue's maximum wait is reached (``on_max_wait: callback``).

    `prompt` and `thanks_prompt` name prompts of any flow's catalogue; the
    caller presses `accept_key` to be called back, anything else (or nothing
    within `timeout`) keeps its place in the queue.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    prompt: str
    accept_key: str = Field(default="1", pattern=r"^[0-9*#]$")
    timeout: float = Field(default=5.0, gt=0)
    thanks_prompt: str | None = None


class IvrSettingsModel(BaseModel):
    """Where the flows are and which ones play after a call and at maximum wait."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    flows: str = "ivr"  # directory, relative to the hotline file
    survey: str | None = None
    callback_offer: CallbackOfferModel | None = None
    voicemail: VoicemailModel | None = None  # what ``on_max_wait: voicemail`` records


class TierGoalModel(BaseModel):
    """A service-level objective: `goal` of calls answered within `target` seconds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    target: float = Field(default=20.0, gt=0)
    goal: float = Field(default=0.85, gt=0, le=1)


def _tier_goals() -> dict[Tier, TierGoalModel]:
    # SPEC.md §2: VIP (high tier) 90% within 20 s, the other customers 85% within 20 s
    return {
        Tier.HIGH: TierGoalModel(target=20.0, goal=0.90),
        Tier.MIDDLE: TierGoalModel(target=20.0, goal=0.85),
        Tier.ORDINARY: TierGoalModel(target=20.0, goal=0.85),
    }


class AlertsModel(BaseModel):
    """When the wallboard flags a queue (告警)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    waiting: int = Field(default=10, ge=1)  # callers waiting now, at or above
    longest_wait: float = Field(default=60.0, gt=0)  # seconds the head has waited, at or above
    service_level: bool = True  # today's service level below the queue's goal


class WallboardModel(BaseModel):
    """What the supervisor's wallboard (实时监控) measures against."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    service_level: dict[Tier, TierGoalModel] = Field(default_factory=_tier_goals)
    short_abandon: float = Field(default=20.0, ge=0)  # abandons this short are not counted
    window: float = Field(default=1800.0, ge=0)  # the rolling window's seconds (0: none)
    refresh: float = Field(default=0.5, gt=0)  # wall seconds between two counts from the log
    alerts: AlertsModel = AlertsModel()


def _dispositions() -> dict[str, str]:
    return {
        "solved": "已解答",
        "order_created": "已建工单",
        "transferred": "已转接",
        "callback": "需回电",
        "complaint": "投诉受理",
        "invalid": "无效来电",
    }


class DeskModel(BaseModel):
    """The agent desk (坐席工作台): scripts (SPEC §3) and the dispositions of wrap-up.

    In `greeting`, ``{salutation}`` becomes 早上好 / 中午好 / 下午好 / 晚上好 by the
    local time and ``{agent}`` the agent's 工号.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    greeting: str = "{salutation}!我是{agent}号客服代表,请问需要什么帮助?"
    closing: str = "请问还需要什么帮助吗?感谢您的来电,再见!稍后请您为本次服务进行评价。"
    dispositions: dict[str, str] = Field(default_factory=_dispositions, min_length=1)
    note_optional: list[str] = Field(
        default_factory=lambda: ["order_created", "transferred", "invalid"]
    )
    """The dispositions whose wrap-up note may stay empty (the order, the next agent or
    nothing holds what was said); every other disposition needs a note."""

    @model_validator(mode="after")
    def _known_optional(self) -> DeskModel:
        unknown = [code for code in self.note_optional if code not in self.dispositions]
        if unknown:
            raise ValueError(
                f"note_optional names dispositions that are not configured: {', '.join(unknown)}"
            )
        return self


class HotlineModel(RoutingModel):
    name: str
    timezone: str = "Asia/Shanghai"
    numbers: dict[str, str]  # dialed number -> IVR flow
    ivr: IvrSettingsModel = IvrSettingsModel()
    wallboard: WallboardModel = WallboardModel()
    desk: DeskModel = DeskModel()
    announcements: AnnouncementsModel | None = None  # needed once a queue has `announce`
    lookups: LookupsModel = LookupsModel()  # how the IVR's look-ups answer on real calls
    prompts: dict[str, Prompt] = Field(default_factory=dict)  # outside a flow: outbound notices


@dataclass(frozen=True)
class Hotline:
    """A loaded, cross-checked hotline configuration."""

    path: Path
    model: HotlineModel
    timezone: datetime.tzinfo
    queues: tuple[QueueSpec, ...]
    agents: tuple[AgentProfile, ...]
    tiers: TierPolicy
    flows: dict[str, Flow]

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def main_number(self) -> str:
        return next(iter(self.model.numbers))

    def prompts(self) -> dict[str, Prompt]:
        """Every prompt the hotline plays by name: its own (automatic outbound calls, the
        dialer's apology), the flows' and the announcements'."""
        prompts: dict[str, Prompt] = dict(self.model.prompts)
        for flow in self.flows.values():
            prompts.update(flow.prompts)
        if self.model.announcements is not None:
            prompts.update(self.model.announcements.prompts())
        return prompts

    def prompt_seconds(self) -> dict[str, float]:
        """Duration of every prompt of every flow and of the announcements (the simulated
        switch plays them for that long)."""
        return {name: prompt.duration for name, prompt in self.prompts().items()}

    def announcement_plan(self) -> AnnouncementPlan:
        """The queues that announce their waiting callers' place and wait, and how."""
        return AnnouncementPlan(
            {
                spec.name: AnnounceSpec.of(announce)
                for spec in self.queues
                if (announce := self.model.queues[spec.name].announce) is not None
            }
        )


def load_hotline(path: str | os.PathLike[str]) -> Hotline:
    """Read ``hotline.yaml`` and its flows; raises `ConfigError` naming every problem."""
    file = Path(path)
    model, document = load_model(file, HotlineModel)
    problems: list[ConfigProblem] = [document.problem(p, m) for p, m in model.problems()]
    try:
        timezone: datetime.tzinfo = zoneinfo.ZoneInfo(model.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        problems.append(document.problem(("timezone",), f"unknown time zone {model.timezone!r}"))
        timezone = datetime.UTC
    if not model.numbers:
        problems.append(document.problem(("numbers",), "at least one number is needed"))
    flows: dict[str, Flow] = {}
    flow_dir = file.parent / model.ivr.flows
    try:
        flows = load_flows(flow_dir, known_queues=set(model.queues), known_lookups=None)
    except ConfigError as error:
        problems.extend(error.problems)
    if flows:
        wanted = [(("numbers", n), f) for n, f in model.numbers.items()]
        if model.ivr.survey is not None:
            wanted.append((("ivr", "survey"), model.ivr.survey))
        for where, flow in wanted:
            if flow not in flows:
                problems.append(
                    document.problem(
                        where, f"unknown IVR flow {flow!r} (known: {', '.join(sorted(flows))})"
                    )
                )
        prompts = {name for f in flows.values() for name in f.prompts}
        played: set[str] = set()  # by the hotline itself, not by a flow's node
        for section in ("callback_offer", "voicemail"):
            settings = getattr(model.ivr, section)
            for key in ("prompt", "thanks_prompt") if settings is not None else ():
                name = getattr(settings, key)
                played.add(name)
                if name is not None and name not in prompts:
                    problems.append(
                        document.problem(("ivr", section, key), f"unknown prompt {name!r}")
                    )
        for f in flows.values():  # a prompt played at a queue's maximum wait is used
            f._warnings = tuple(
                w for w in f._warnings if w.path not in {f"prompts.{n}" for n in played}
            )
    problems += _announcement_problems(model, flows, document)
    for flow_name, own in flows.items():
        for clash in sorted(model.prompts.keys() & own.prompts.keys()):
            message = f"prompt name {clash!r} is used by flow {flow_name!r} too"
            problems.append(document.problem(("prompts", clash), message))
    if flows and model.lookups.http is not None:
        used = {
            n.lookup for f in flows.values() for n in f.nodes.values() if isinstance(n, LookupNode)
        }
        for index, name in enumerate(model.lookups.http.names):
            if name not in used:
                known = ", ".join(sorted(used)) or "none"
                problems.append(
                    document.problem(
                        ("lookups", "http", "names", index),
                        f"no flow uses lookup {name!r} (used: {known})",
                    )
                )
    if problems:
        raise ConfigError(problems)
    return Hotline(
        path=file,
        model=model,
        timezone=timezone,
        queues=tuple(model.queue_specs()),
        agents=tuple(a.profile() for a in model.agents),
        tiers=model.tiers.policy(),
        flows=flows,
    )


def _announcement_problems(
    model: HotlineModel, flows: dict[str, Flow], document: YamlDocument
) -> list[ConfigProblem]:
    """Queues that announce without the hotline's `announcements`; announcement prompt
    names a flow uses for a prompt of its own."""
    problems: list[ConfigProblem] = []
    if model.announcements is None:
        for name, queue in model.queues.items():
            if queue.announce is not None:
                problems.append(
                    document.problem(
                        ("queues", name, "announce"),
                        "announcements need the prompts of the top-level `announcements` key",
                    )
                )
        return problems
    own = model.announcements.prompts()
    for flow_name, flow in flows.items():
        for clash in sorted(own.keys() & flow.prompts.keys()):
            problems.append(
                document.problem(
                    ("announcements",),
                    f"prompt name {clash!r} is used by flow {flow_name!r} too "
                    "(announcement prompts are named announce_...)",
                )
            )
    return problems
