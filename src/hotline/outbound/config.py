"""The outbound file (``outbound.yaml`` beside hotline.yaml): the calling calendar, the
defaults every campaign starts from, the standing campaigns fed by the hotline's own lists,
the do-not-call numbers and the SMS gateway and templates — checked whole.

- **calendar** (外呼时段): time zone, working hours and named windows; `classes` maps a
  customer class (``resident`` 居民, ``business`` 企业) to the window it is called in
  (居民 after work, 企业 in office hours; nothing at or after the cut-off);
- **defaults**: pacing, tries, ring time, retry delays by result, the drop cap and its
  window, how long an answered customer may wait for an agent and the apology then;
- **sources**: the standing campaigns — ``callbacks`` (24小时回呼: the callback list),
  ``return_visits`` (回访: due return visits), and a notice per order type with
  ``attempts`` in orders.yaml (``bill_notice`` 电费通知, ``arrears_reminder`` 欠费催交), and
  ``outage_notice`` (停电告知: the customers in an open outage order's area, important ones
  first); each names its queue (to an agent) or prompt (an automatic call), and may send an
  SMS first (``sms: first``) or after the last failed call (``sms: after``);
- **do_not_call**: numbers never called (the black list of the CRM and SMS opt-outs too);
- **sms**: the gateway (``simulated`` or an HTTP URL), the signature and the templates.

A wrong file is refused whole: every problem as ``file:line:column: key: message``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from hotline.calls.ports import CustomerDirectory
from hotline.core.calendar import BusinessCalendar, CalendarModel, read_calendar
from hotline.core.config import ConfigError, ConfigProblem, YamlDocument, load_model, parse_yaml
from hotline.core.config import validate as validate_model
from hotline.core.customer import ListMark
from hotline.outbound.campaign import (
    DEFAULT_RETRY,
    After,
    CampaignError,
    CampaignSpec,
    Entry,
    Result,
)
from hotline.outbound.pacing import PacingName
from hotline.outbound.sms import SmsError, SmsTemplate

Name = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]
Seconds = Annotated[float, Field(ge=0, le=7 * 86400)]
Source = Literal["callbacks", "return_visits", "bill_notice", "arrears_reminder", "outage_notice"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DefaultsModel(_Model):
    pacing: PacingName = "progressive"
    max_tries: Annotated[int, Field(ge=1, le=20)] = 3
    ring_timeout: Annotated[float, Field(ge=15, le=120)] = 25.0
    retry: dict[Result, Seconds] = {Result(k): v for k, v in DEFAULT_RETRY.items()}
    drop_cap: Annotated[float, Field(ge=0, lt=0.5)] = 0.03
    drop_window: Annotated[float, Field(ge=300, le=86400)] = 1800.0
    drop_after: Annotated[float, Field(ge=0, le=10)] = 2.0
    drop_prompt: str | None = None


class SourceModel(_Model):
    name: Annotated[str, Field(min_length=1, max_length=64)]
    queue: str | None = None
    prompt: str | None = None
    pacing: PacingName | None = None
    then: After = ""
    sms: Literal["", "first", "after"] = ""
    template: Name | None = None
    classes: dict[Literal["resident", "business"], Name] = {}  # windows of this campaign


class GatewayModel(_Model):
    url: Annotated[str, Field(pattern=r"^https?://")]
    timeout: Annotated[float, Field(gt=0, le=60)] = 5.0
    token_env: str | None = None


class SmsModel(_Model):
    gateway: Literal["simulated"] | GatewayModel = "simulated"
    signature: Annotated[str, Field(min_length=3, max_length=20)]
    templates: dict[Name, Annotated[str, Field(min_length=1, max_length=500)]] = {}


class OutboundFile(_Model):
    caller_id: Annotated[str, Field(min_length=1, max_length=32)] = "95598"
    calendar: CalendarModel = CalendarModel()
    classes: dict[Literal["resident", "business"], Name] = {}
    defaults: DefaultsModel = DefaultsModel()
    sources: dict[Source, SourceModel] = {}
    do_not_call: list[Annotated[str, Field(min_length=3, max_length=32)]] = []
    sms: SmsModel | None = None


@dataclass(frozen=True)
class OutboundConfig:
    """A checked ``outbound.yaml``."""

    model: OutboundFile
    calendar: BusinessCalendar
    templates: tuple[SmsTemplate, ...]

    @property
    def do_not_call(self) -> frozenset[str]:
        return frozenset(self.model.do_not_call)

    def may_call(self, directory: CustomerDirectory | None) -> Callable[[Entry], str | None]:
        """The dialer's check before each call (`dialer.MayCall`): the do-not-call numbers,
        and the black list (黑名单) of `directory` (the CRM, as the call controller sees it)."""
        blocked = self.do_not_call

        def check(entry: Entry) -> str | None:
            if entry.number in blocked:
                return "do_not_call"
            info = directory.identify(entry.number) if directory is not None else None
            if info is not None and info.list_mark is ListMark.BLACK:
                return "black_list"
            return None

        return check

    def spec(
        self,
        campaign_id: str,
        name: str,
        *,
        queue: str | None = None,
        prompt: str | None = None,
        pacing: PacingName | None = None,
        then: After = "",
        kind: str = "imported",
        classes: dict[str, str] | None = None,
    ) -> CampaignSpec:
        """A campaign with this file's defaults and windows; raises `CampaignError`."""
        d = self.model.defaults
        return CampaignSpec(
            id=campaign_id,
            name=name,
            queue=queue,  # type: ignore[arg-type]
            prompt=prompt,
            pacing=pacing or d.pacing,
            max_tries=d.max_tries,
            retry={str(k): v for k, v in d.retry.items()},
            windows={str(k): v for k, v in self.model.classes.items()} | (classes or {}),
            then=then,
            caller_id=self.model.caller_id,
            ring_timeout=d.ring_timeout,
            drop_cap=d.drop_cap,
            drop_window=d.drop_window,
            drop_after=d.drop_after,
            drop_prompt=d.drop_prompt,
            kind=kind,
        )

    def source(self, kind: str) -> SourceModel | None:
        """The settings of the standing campaign `kind` (``callbacks``, ``bill_notice`` …)."""
        return next((m for k, m in self.model.sources.items() if k == kind), None)

    def source_spec(self, source: str) -> CampaignSpec | None:
        """The standing campaign of `source` (``callbacks``, ``bill_notice`` …), if configured."""
        found = self.source(source)
        if found is None:
            return None
        return self.spec(
            source,
            found.name,
            queue=found.queue,
            prompt=found.prompt,
            pacing=found.pacing,
            then=found.then,
            kind=source,
            classes={str(k): v for k, v in found.classes.items()},
        )


def _build(document: YamlDocument, model: OutboundFile) -> OutboundConfig:
    problems: list[ConfigProblem] = []
    calendar, found = read_calendar(document, model.calendar)
    problems += found
    if calendar is not None:
        named: list[tuple[tuple[str, ...], str]] = [
            (("classes", c), w) for c, w in model.classes.items()
        ]
        for kind, source in model.sources.items():
            named += [(("sources", kind, "classes", c), w) for c, w in source.classes.items()]
        for where, window in named:
            if window not in calendar.windows:
                known = ", ".join(sorted(calendar.windows)) or "none"
                message = f"no window {window!r} in calendar.windows (known: {known})"
                problems.append(document.problem(where, message))
    for kind, source in model.sources.items():
        if (source.queue is None) == (source.prompt is None):
            problems.append(
                document.problem(("sources", kind), "either a queue (to agents) or a prompt")
            )
        if source.sms and (model.sms is None or source.template not in model.sms.templates):
            problems.append(
                document.problem(
                    ("sources", kind, "template"),
                    "an SMS needs a template named in sms.templates",
                )
            )
    templates: list[SmsTemplate] = []
    if model.sms is not None:
        for name, text in model.sms.templates.items():
            try:
                templates.append(SmsTemplate(name, text, model.sms.signature))
            except SmsError as e:
                problems.append(document.problem(("sms", "templates", name), e.message))
    if calendar is not None:
        config = OutboundConfig(model, calendar, tuple(templates))
        try:
            config.spec("check", "check", queue="check")
        except CampaignError as e:
            problems.append(document.problem(("defaults",), e.message))
    if problems or calendar is None:
        raise ConfigError(problems)
    return OutboundConfig(model, calendar, tuple(templates))


def load_outbound(path: str | os.PathLike[str]) -> OutboundConfig:
    """Read and check an ``outbound.yaml``; raises `ConfigError` listing every problem."""
    model, document = load_model(path, OutboundFile)
    return _build(document, model)


def parse_outbound(text: str, *, file: str = "<string>") -> OutboundConfig:
    """As `load_outbound`, from text."""
    document = parse_yaml(text, file=file)
    return _build(document, validate_model(document, OutboundFile))
