"""Order types from YAML (``orders.yaml``): fields, department, deadlines, visits, calendar.

The ``calendar:`` section is the core business calendar's (`hotline.core.calendar`:
time zone, working hours, named windows); the return-visit windows are two more windows
of it, built from ``visits:`` (`VISIT_WINDOWS`).

The file is read with `hotline.core.config.load_model`, so every problem carries
``file:line:column: path: message``. Checks that need more than one key (a
deadline naming a step the type does not have, a ``by_field`` naming no choice
field, a department nobody configured) are made after parsing and located the
same way. A deadline that cannot be met — zero or negative duration, an unknown
step, a clock that starts and stops at the same step — is a configuration error,
never a silent default.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hotline.core.calendar import BusinessCalendar, CalendarModel, Unit, read_calendar
from hotline.core.config import (
    ConfigError,
    ConfigProblem,
    YamlDocument,
    load_model,
    parse_yaml,
    validate,
)
from hotline.core.windows import NAME as NAME  # re-exported: the API checks names with it
from hotline.core.windows import Clock, Span, TimeSpan, Window, check_spans, parse_time

Name = Annotated[str, Field(pattern=NAME, max_length=64)]

LIFECYCLE_STEPS = ("accepted", "assigned", "answered", "visited", "archived")
"""Steps every order type has; a deadline's `from` / `until` names one of these or a
milestone of its type (e.g. ``arrived`` for a fault report)."""

PAUSE_STATES = ("waiting_customer",)
"""States in which a deadline's clock may stop (listed per deadline in `pause_in`)."""

VISIT_WINDOWS = {"business": "visit_business", "resident": "visit_resident"}
"""The calendar windows of return visits, by customer (`hotline.orders.model.VisitWindow`):
built from ``visits.business_hours`` (working days) and ``visits.resident_hours`` (every
day), both ending at ``visits.cutoff``; ``calendar.windows`` may not use these names."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Duration(_Model):
    """Exactly one of: working days, working hours (on the business calendar), minutes or
    days (calendar time, clock always running)."""

    working_days: Annotated[int, Field(gt=0)] | None = None
    working_hours: Annotated[int, Field(gt=0)] | None = None
    minutes: Annotated[int, Field(gt=0)] | None = None
    days: Annotated[int, Field(gt=0)] | None = None

    @model_validator(mode="after")
    def _one(self) -> Duration:
        given = [
            u for u in ("working_days", "working_hours", "minutes", "days") if getattr(self, u)
        ]
        if len(given) != 1:
            raise ValueError(
                "a duration is exactly one of working_days, working_hours, minutes, days"
            )
        return self

    @property
    def unit(self) -> Unit:
        for unit in ("working_days", "working_hours", "minutes", "days"):
            if getattr(self, unit) is not None:
                return unit
        raise AssertionError("validated duration has a unit")

    @property
    def amount(self) -> int:
        value: int = getattr(self, self.unit)
        return value

    def __str__(self) -> str:
        return f"{self.amount} {self.unit.replace('_', ' ')}"


class FieldSpec(_Model):
    """One field of an order type; `personal` fields are the customer's identity (hidden
    on confidential types, not required when the customer stays anonymous)."""

    name: Name
    label: str = Field(min_length=1, max_length=64)
    type: Literal["str", "int", "date", "choice"] = "str"
    required: bool = False
    choices: list[Annotated[str, Field(min_length=1, max_length=64)]] | None = None
    max_length: Annotated[int, Field(gt=0, le=4000)] = 500
    personal: bool = False

    @model_validator(mode="after")
    def _choices(self) -> FieldSpec:
        if self.type == "choice" and not self.choices:
            raise ValueError("a choice field needs a non-empty 'choices' list")
        if self.type != "choice" and self.choices is not None:
            raise ValueError("'choices' is only for fields of type choice")
        return self


class ByField(_Model):
    field: Name
    durations: dict[str, Duration]


class DeadlineRule(_Model):
    """A clock that starts at step `from` and stops at step `until` of the same round."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    name: Name
    label: str = Field(min_length=1, max_length=64)
    start: Name = Field(alias="from")
    until: Name
    duration: Duration
    by_field: ByField | None = None
    by_department: dict[str, Duration] = {}
    pause_in: list[Literal["waiting_customer"]] = ["waiting_customer"]

    def duration_for(self, fields: Mapping[str, object], department: str | None) -> Duration:
        """The duration for one order: its department's, else its field value's, else the
        rule's own."""
        if department is not None and department in self.by_department:
            return self.by_department[department]
        if self.by_field is not None:
            value = fields.get(self.by_field.field)
            if isinstance(value, str) and value in self.by_field.durations:
                return self.by_field.durations[value]
        return self.duration


class AttemptRule(_Model):
    """Notices the center delivers by phone (电费通知, 欠费催交): after `limit` failed calls in
    a row the order is handed back to the shift lead for `then` — a paper notice
    (``paper_notice``, 转纸质通知) or an escalation (``escalate``, 升级处理)."""

    limit: Annotated[int, Field(ge=1, le=20)] = 3
    then: Literal["paper_notice", "escalate"] = "paper_notice"
    channels: list[Annotated[str, Field(min_length=1, max_length=32)]] = ["outbound"]


class OrderType(_Model):
    label: str = Field(min_length=1, max_length=64)
    department: Name | None = None
    fields: list[FieldSpec] = []
    milestones: list[Name] = []
    deadlines: list[DeadlineRule] = []
    anonymous: bool = False
    confidential: bool = False
    return_visit: Literal["all", "sample", "none"] = "none"
    attempts: AttemptRule | None = None
    content_field: Name | None = None
    """The text field that says what the order is about (故障现象 of a fault report), read
    by the order-accuracy check (`hotline.orders.accuracy`); by default ``content``."""

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def content(self) -> FieldSpec | None:
        """The type's content field: `content_field`, else the field named ``content``
        (None: the type has no free text, e.g. a bill notice)."""
        return self.field(self.content_field or "content")

    @property
    def steps(self) -> tuple[str, ...]:
        return (*LIFECYCLE_STEPS, *self.milestones)


class VisitsModel(_Model):
    """When return visits are made: business customers in `business_hours` (default: the
    calendar's working hours on working days), residents in `resident_hours` every day,
    nothing at or after `cutoff`."""

    business_hours: list[Span] | None = None
    resident_hours: list[Span] = ["18:00-21:00"]
    cutoff: Clock = "22:00"
    sample_share: Annotated[float, Field(gt=0, le=1)] = 0.05
    sample_by: Name = "area"
    sample_group: Name = "outage"
    customer_type_field: Name = "customer_type"
    within: Duration = Duration(working_days=1)


class HandoverModel(_Model):
    """交接班: the order types whose open orders the sheet lists as outages under way."""

    outage_types: list[Name] | None = None  # default: outage_notice, when that type exists


class OrdersFile(_Model):
    calendar: CalendarModel = CalendarModel()
    near_share: Annotated[float, Field(gt=0, lt=1)] = 0.2
    confidential_to: Name = "supervisor"
    departments: dict[Name, str] = {}
    visits: VisitsModel = VisitsModel()
    handover: HandoverModel = HandoverModel()
    types: dict[Name, OrderType]


@dataclass(frozen=True, slots=True)
class OrderConfig:
    """A loaded, checked ``orders.yaml``: the types and the settings around them."""

    types: Mapping[str, OrderType]
    departments: Mapping[str, str]
    timezone: datetime.tzinfo
    working_hours: tuple[TimeSpan, ...]
    near_share: float
    confidential_to: str
    visits: VisitsModel
    business_hours: tuple[TimeSpan, ...]
    resident_hours: tuple[TimeSpan, ...]
    cutoff: datetime.time
    file: str = "<memory>"
    handover_outage_types: frozenset[str] = frozenset({"outage_notice"})
    windows: Mapping[str, Window] = field(default_factory=dict)
    """Every named window: ``calendar.windows`` and the two of `VISIT_WINDOWS`."""

    def calendar(self) -> BusinessCalendar:
        """The business calendar of this file: its time zone, working hours and windows."""
        return BusinessCalendar(self.timezone, self.working_hours, windows=self.windows.values())


def _spans(
    document: YamlDocument, path: tuple[str | int, ...], texts: list[str]
) -> tuple[list[TimeSpan], list[ConfigProblem]]:
    spans, found = check_spans(texts)
    return spans, [document.problem((*path, index), message) for index, message in found]


def _check_type(
    document: YamlDocument, name: str, kind: OrderType, departments: Mapping[str, str]
) -> list[ConfigProblem]:
    problems: list[ConfigProblem] = []
    at = ("types", name)
    if kind.department is not None and kind.department not in departments:
        problems.append(
            document.problem((*at, "department"), f"unknown department {kind.department!r}")
        )
    seen: set[str] = set()
    for index, spec in enumerate(kind.fields):
        if spec.name in seen:
            problems.append(
                document.problem((*at, "fields", index, "name"), f"duplicate field {spec.name!r}")
            )
        seen.add(spec.name)
    if kind.content_field is not None:
        content = kind.field(kind.content_field)
        if content is None:
            known = ", ".join(f.name for f in kind.fields) or "none"
            message = f"unknown field {kind.content_field!r} (fields of this type: {known})"
            problems.append(document.problem((*at, "content_field"), message))
        elif content.type != "str":
            message = f"{content.name!r} is a {content.type} field: the content is a text field"
            problems.append(document.problem((*at, "content_field"), message))
    for index, milestone in enumerate(kind.milestones):
        if milestone in LIFECYCLE_STEPS:
            message = f"milestone {milestone!r} is already a lifecycle step"
            problems.append(document.problem((*at, "milestones", index), message))
    names: set[str] = set()
    steps = ", ".join(kind.steps)
    for index, rule in enumerate(kind.deadlines):
        where = (*at, "deadlines", index)
        if rule.name in names:
            problems.append(document.problem((*where, "name"), f"duplicate deadline {rule.name!r}"))
        names.add(rule.name)
        for key, step in (("from", rule.start), ("until", rule.until)):
            if step not in kind.steps:
                message = f"unknown step {step!r}: this deadline can never be met (steps: {steps})"
                problems.append(document.problem((*where, key), message))
        if rule.start == rule.until:
            message = f"the clock starts and stops at {rule.start!r}: it can never run"
            problems.append(document.problem((*where, "until"), message))
        elif (
            rule.start in LIFECYCLE_STEPS
            and rule.until in LIFECYCLE_STEPS
            and LIFECYCLE_STEPS.index(rule.until) < LIFECYCLE_STEPS.index(rule.start)
        ):
            message = f"{rule.until!r} comes before {rule.start!r}: the clock never stops"
            problems.append(document.problem((*where, "until"), message))
        if rule.by_field is not None:
            choice = kind.field(rule.by_field.field)
            if choice is None or choice.choices is None:
                message = f"{rule.by_field.field!r} is not a choice field of this type"
                problems.append(document.problem((*where, "by_field", "field"), message))
            else:
                for value in rule.by_field.durations:
                    if value not in choice.choices:
                        message = f"{value!r} is not a choice of {choice.name!r}"
                        problems.append(
                            document.problem((*where, "by_field", "durations", value), message)
                        )
        for department in rule.by_department:
            if department not in departments:
                problems.append(
                    document.problem(
                        (*where, "by_department", department),
                        f"unknown department {department!r}",
                    )
                )
    return problems


def build_config(document: YamlDocument, model: OrdersFile) -> OrderConfig:
    """The checked configuration of a validated file; raises `ConfigError` for every
    cross-key problem found."""
    calendar, problems = read_calendar(document, model.calendar)
    for customer, reserved in VISIT_WINDOWS.items():
        if reserved in model.calendar.windows:
            message = f"{reserved!r} is the name of the window made from visits.{customer}_hours"
            problems.append(document.problem(("calendar", "windows", reserved), message))
    visits = model.visits
    business_texts = visits.business_hours or model.calendar.working_hours
    business, found = _spans(document, ("visits", "business_hours"), business_texts)
    problems += found
    resident, found = _spans(document, ("visits", "resident_hours"), visits.resident_hours)
    problems += found
    cutoff = parse_time(visits.cutoff)
    for key, spans in (("business_hours", business), ("resident_hours", resident)):
        if any(end > cutoff for _, end in spans):
            message = f"a visit window ends after the {visits.cutoff} cut-off"
            problems.append(document.problem(("visits", key), message))
    for name, kind in model.types.items():
        problems += _check_type(document, name, kind, model.departments)
    outage_types = model.handover.outage_types
    for index, name in enumerate(outage_types or ()):
        if name not in model.types:
            message = f"unknown order type {name!r}"
            problems.append(document.problem(("handover", "outage_types", index), message))
    if problems:
        raise ConfigError(problems)
    assert calendar is not None  # read_calendar gives one when it finds no problem
    office, after_work = VISIT_WINDOWS["business"], VISIT_WINDOWS["resident"]
    windows = {
        **calendar.windows,
        office: Window(office, tuple(business), days="working", cutoff=cutoff),
        after_work: Window(after_work, tuple(resident), days="every", cutoff=cutoff),
    }
    return OrderConfig(
        types=dict(model.types),
        departments=dict(model.departments),
        timezone=calendar.timezone,
        working_hours=calendar.working_hours,
        near_share=model.near_share,
        confidential_to=model.confidential_to,
        visits=visits,
        business_hours=tuple(business),
        resident_hours=tuple(resident),
        cutoff=cutoff,
        file=document.file,
        handover_outage_types=frozenset(
            outage_types if outage_types is not None else {"outage_notice"} & set(model.types)
        ),
        windows=windows,
    )


def load_order_types(path: str | os.PathLike[str]) -> OrderConfig:
    """Read and check an ``orders.yaml``; raises `ConfigError` listing every problem."""
    model, document = load_model(path, OrdersFile)
    return build_config(document, model)


def parse_order_types(text: str, *, file: str = "<string>") -> OrderConfig:
    """As `load_order_types`, from text (tests, the configuration editor)."""
    document = parse_yaml(text, file=file)
    return build_config(document, validate(document, OrdersFile))
