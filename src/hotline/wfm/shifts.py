"""Shift rules from YAML (``wfm.yaml``): shifts, work patterns, contracts and agents.

The week is 336 half hours, Monday 00:00 first; day 0 is Monday. Every time is on the
half-hour grid. A shift starts on a day and may run past midnight (a night shift
23:30-08:00 belongs to the day it starts on); the week wraps, so Sunday's night shift
covers Monday 00:00-08:00 of the same (repeating) week.

- A shift has a start and a length; a long one (`rules.meal_from_hours`, 8 h by default)
  has a meal break of 30 or 60 minutes placed anywhere in its window (the schedule
  picks the place); short breaks (e.g. 2 × 15 min) are below the grid's resolution and
  are left to the staffing shrinkage.
- A pattern is what an agent may work: the shifts (5d3s: three shifts), the weekdays
  they may start on, the number of working days per week (rest days = 7 − that), the
  most consecutive working days, and how shifts rotate (any shift each day, one shift
  per run of working days, or one shift all week).
- A contract bounds paid hours per week (full time: exactly N; part time: a range).
- An agent has skills (the queues they may serve), a pattern, a contract, preferred
  shifts (soft) and leave days (hard: no shift touches the day).

`load_wfm` reads the file with `hotline.core.config`, so every problem carries
``file:line:column: path: message``; cross-key checks (a pattern naming no shift, a
meal window outside its shift) are located the same way.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from hotline.core.config import (
    ConfigError,
    ConfigPath,
    ConfigProblem,
    YamlDocument,
    load_model,
    parse_yaml,
    validate,
)
from hotline.core.windows import CLOCK

__all__ = [
    "DAYS",
    "DAY_NAMES",
    "SLOTS_PER_DAY",
    "WEEK",
    "Agent",
    "Pattern",
    "Rules",
    "Shift",
    "StaffingRules",
    "Weights",
    "WfmConfig",
    "load_wfm",
    "parse_wfm",
    "slot_label",
]

SLOTS_PER_DAY = 48
DAYS = 7
WEEK = SLOTS_PER_DAY * DAYS
Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAY_NAMES: tuple[Day, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Name = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)]
HalfHour = Annotated[str, Field(pattern=CLOCK)]
Hours = Annotated[float, Field(gt=0, le=168)]


def slot_label(slot: int) -> str:
    """``"Tue 09:00"`` for a slot of the week."""
    day, index = divmod(slot % WEEK, SLOTS_PER_DAY)
    return f"{DAY_NAMES[day].title()} {index // 2:02d}:{30 * (index % 2):02d}"


# --- the file's models ------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MealModel(_Model):
    minutes: Literal[30, 60] = 30
    window: tuple[HalfHour, HalfHour]  # the meal lies inside, e.g. ["11:00", "13:30"]
    paid: bool = False


class BreaksModel(_Model):
    count: Annotated[int, Field(ge=0, le=8)] = 2
    minutes: Annotated[int, Field(gt=0, le=30)] = 15


class ShiftModel(_Model):
    title: str | None = None
    start: HalfHour
    hours: Annotated[float, Field(gt=0, le=16)]
    meal: MealModel | None = None
    breaks: BreaksModel | None = None


class PatternModel(_Model):
    title: str | None = None
    shifts: list[Name] = Field(min_length=1)
    days: list[Day] = Field(default_factory=lambda: list(DAY_NAMES), min_length=1)
    work_days: int | tuple[int, int]  # exactly, or [min, max] per week
    max_consecutive_days: Annotated[int, Field(ge=1, le=7)] | None = None
    # free: any shift each day; block: one shift through each run of working days;
    # week: one shift all week
    rotation: Literal["free", "block", "week"] = "free"


class ContractModel(_Model):
    hours: Hours | None = None  # full time: exactly this many paid hours a week
    min_hours: Annotated[float, Field(ge=0, le=168)] | None = None
    max_hours: Hours | None = None


class AgentModel(_Model):
    id: Name
    name: str | None = None
    skills: list[Name] = Field(min_length=1)
    pattern: Name
    contract: Name
    prefers: list[Name] = Field(default_factory=list)
    leave: list[Day] = Field(default_factory=list)


class TeamModel(_Model):
    """`count` identical agents with ids ``prefix + first``, ``prefix + (first + 1)``, …"""

    prefix: str = Field(default="", max_length=32)
    first: Annotated[int, Field(ge=0)] = 1
    count: Annotated[int, Field(ge=1, le=100_000)]
    skills: list[Name] = Field(min_length=1)
    pattern: Name
    contract: Name
    prefers: list[Name] = Field(default_factory=list)


class RulesModel(_Model):
    min_rest_hours: Annotated[float, Field(ge=0, le=48)] = 11
    max_consecutive_days: Annotated[int, Field(ge=1, le=7)] = 6
    meal_from_hours: Hours = 8


class WeightsModel(_Model):
    under: Annotated[int, Field(ge=1)] = 1000
    over: Annotated[int, Field(ge=0)] = 10
    preference: Annotated[int, Field(ge=0)] = 1


Fraction = Annotated[float, Field(ge=0, lt=1)]


class ShrinkageModel(_Model):
    """Shares of paid time an agent is not on the phones (人力缩水)."""

    breaks: Fraction = 0.0
    training: Fraction = 0.0
    meetings: Fraction = 0.0
    absence: Fraction = 0.0


class StaffingModel(_Model):
    method: Literal["erlang_a", "erlang_c"] = "erlang_a"
    max_occupancy: Annotated[float, Field(gt=0, le=1)] = 0.9
    patience: Annotated[float, Field(gt=0, le=86400)] = 180.0
    max_abandon: Annotated[float, Field(gt=0, lt=1)] | None = None
    shrinkage: ShrinkageModel = ShrinkageModel()


class WfmFile(_Model):
    rules: RulesModel = RulesModel()
    weights: WeightsModel = WeightsModel()
    staffing: StaffingModel = StaffingModel()
    shifts: dict[Name, ShiftModel] = Field(min_length=1)
    patterns: dict[Name, PatternModel] = Field(min_length=1)
    contracts: dict[Name, ContractModel] = Field(min_length=1)
    agents: list[AgentModel] = Field(default_factory=list)
    teams: list[TeamModel] = Field(default_factory=list)


# --- the checked configuration ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Shift:
    """A shift on the grid: `start` slot of its day, `length` slots, the meal's choices.

    `meal_starts` are the offsets (slots from the shift's start) where a meal of
    `meal_length` slots may begin; empty when the shift has no meal.
    """

    name: str
    start: int
    length: int
    meal_starts: tuple[int, ...] = ()
    meal_length: int = 0
    paid_hours: float = 0.0
    break_minutes: int = 0
    title: str = ""  # the name people use (早班); the key when the file gives none

    def duty(self, day: int, meal_at: int | None) -> list[int]:
        """Slots of the week on duty when started on `day` with the meal at offset `meal_at`."""
        begin = day * SLOTS_PER_DAY + self.start
        skip = range(0) if meal_at is None else range(meal_at, meal_at + self.meal_length)
        return [(begin + k) % WEEK for k in range(self.length) if k not in skip]

    def span(self, day: int) -> tuple[int, int]:
        """(start, end) of the shift in slots from Monday 00:00, not wrapped (end may pass 336)."""
        begin = day * SLOTS_PER_DAY + self.start
        return begin, begin + self.length


@dataclass(frozen=True, slots=True)
class Pattern:
    name: str
    shifts: tuple[str, ...]
    days: frozenset[int]
    min_work_days: int
    max_work_days: int
    max_consecutive_days: int
    rotation: Literal["free", "block", "week"] = "free"


@dataclass(frozen=True, slots=True)
class Agent:
    id: str
    skills: frozenset[str]
    pattern: str
    min_hours: float
    max_hours: float
    contract: str
    prefers: frozenset[str] = frozenset()
    leave: frozenset[int] = frozenset()
    main: str = ""  # the skill listed first: the queue the agent serves first (主技能)


@dataclass(frozen=True, slots=True)
class Rules:
    min_rest_slots: int = 22
    max_consecutive_days: int = 6


@dataclass(frozen=True, slots=True)
class Weights:
    under: int = 1000
    over: int = 10
    preference: int = 1


@dataclass(frozen=True, slots=True)
class StaffingRules:
    """How agents needed are computed (``staffing:``): the formula, the highest occupancy
    allowed, the callers' mean patience in seconds where none is measured, the
    shrinkage shares (breaks, training, meetings, absence) and, for Erlang A, the highest
    abandon rate allowed (short patience must not staff a queue by its abandons)."""

    method: Literal["erlang_a", "erlang_c"] = "erlang_a"
    max_occupancy: float = 0.9
    patience: float = 180.0
    shrinkage: tuple[tuple[str, float], ...] = ()
    max_abandon: float | None = None


@dataclass(frozen=True, slots=True)
class WfmConfig:
    """The checked rules: shifts and patterns by name, agents in file order."""

    shifts: dict[str, Shift]
    patterns: dict[str, Pattern]
    agents: tuple[Agent, ...]
    rules: Rules = Rules()
    weights: Weights = Weights()
    file: str = "<config>"
    staffing: StaffingRules = StaffingRules()


def _slot(text: str) -> tuple[int, bool]:
    """Slot of ``"HH:MM"`` and whether it lies on the half-hour grid."""
    hour, minute = (int(p) for p in text.split(":"))
    return hour * 2 + minute // 30, minute % 30 == 0


def _build_shift(
    document: YamlDocument, name: str, model: ShiftModel, rules: RulesModel
) -> tuple[Shift | None, list[ConfigProblem]]:
    at = ("shifts", name)
    problems: list[ConfigProblem] = []
    start, on_grid = _slot(model.start)
    if not on_grid:
        problems.append(document.problem((*at, "start"), "must be on the half hour (HH:00, HH:30)"))
    if (model.hours * 2) != int(model.hours * 2):
        problems.append(document.problem((*at, "hours"), "must be a multiple of 0.5"))
    length = int(model.hours * 2)
    meal = model.meal
    if meal is None:
        if model.hours >= rules.meal_from_hours:
            message = f"a shift of {rules.meal_from_hours:g} h or more needs a meal break"
            problems.append(document.problem(at, message))
        if problems:
            return None, problems
        paid = model.hours
        starts: tuple[int, ...] = ()
        meal_length = 0
    else:
        meal_length = meal.minutes // 30
        low, low_ok = _slot(meal.window[0])
        high, high_ok = _slot(meal.window[1])
        if not (low_ok and high_ok):
            problems.append(document.problem((*at, "meal", "window"), "must be on the half hour"))
        # the window as offsets from the shift's start (it may wrap midnight like the shift)
        first = (low - start) % SLOTS_PER_DAY
        last = (high - start) % SLOTS_PER_DAY or (SLOTS_PER_DAY if high == start else 0)
        starts = tuple(
            k for k in range(1, length - meal_length) if first <= k and k + meal_length <= last
        )
        if not starts and not problems:
            message = f"no {meal.minutes}-minute meal fits in the window and inside the shift"
            problems.append(document.problem((*at, "meal", "window"), message))
        if problems:
            return None, problems
        paid = model.hours if meal.paid else model.hours - meal.minutes / 60
    breaks = model.breaks.count * model.breaks.minutes if model.breaks else 0
    title = model.title or name
    return Shift(name, start, length, starts, meal_length, paid, breaks, title), problems


def _contract_hours(model: ContractModel) -> tuple[float, float] | None:
    if model.hours is not None:
        if model.min_hours is not None or model.max_hours is not None:
            return None
        return model.hours, model.hours
    if model.max_hours is None:
        return None
    low = model.min_hours or 0.0
    return (low, model.max_hours) if low <= model.max_hours else None


def build_wfm(
    document: YamlDocument, model: WfmFile, *, queues: Collection[str] | None = None
) -> WfmConfig:
    """The checked configuration of a validated file; `queues`, when given, are the only
    skills allowed. Raises `ConfigError` listing every cross-key problem."""
    problems: list[ConfigProblem] = []
    shifts: dict[str, Shift] = {}
    for name, shift_model in model.shifts.items():
        shift, found = _build_shift(document, name, shift_model, model.rules)
        problems += found
        if shift is not None:
            shifts[name] = shift
    patterns: dict[str, Pattern] = {}
    for name, p in model.patterns.items():
        at = ("patterns", name)
        for index, shift_name in enumerate(p.shifts):
            if shift_name not in model.shifts:
                message = f"unknown shift {shift_name!r}"
                problems.append(document.problem((*at, "shifts", index), message))
        low, high = p.work_days if isinstance(p.work_days, tuple) else (p.work_days,) * 2
        if not 0 <= low <= high <= len(set(p.days)):
            message = f"work days must be within 0..{len(set(p.days))} (the pattern's days)"
            problems.append(document.problem((*at, "work_days"), message))
        consecutive = p.max_consecutive_days or model.rules.max_consecutive_days
        days = frozenset(DAY_NAMES.index(d) for d in p.days)
        patterns[name] = Pattern(name, tuple(p.shifts), days, low, high, consecutive, p.rotation)
    contracts: dict[str, tuple[float, float]] = {}
    for name, c in model.contracts.items():
        hours = _contract_hours(c)
        if hours is None:
            message = "give either hours (full time) or max_hours with optional min_hours <= it"
            problems.append(document.problem(("contracts", name), message))
        else:
            contracts[name] = hours
    entries: list[tuple[ConfigPath, str, AgentModel | TeamModel]] = [
        (("agents", i), a.id, a) for i, a in enumerate(model.agents)
    ]
    for i, team in enumerate(model.teams):
        entries += [
            (("teams", i), f"{team.prefix}{team.first + k}", team) for k in range(team.count)
        ]
    agents: list[Agent] = []
    seen: set[str] = set()
    for where, agent_id, a in entries:
        if agent_id in seen:
            problems.append(document.problem(where, f"duplicate agent id {agent_id!r}"))
        seen.add(agent_id)
        if a.pattern not in model.patterns:
            problems.append(document.problem((*where, "pattern"), f"unknown pattern {a.pattern!r}"))
        if a.contract not in model.contracts:
            message = f"unknown contract {a.contract!r}"
            problems.append(document.problem((*where, "contract"), message))
        for index, shift_name in enumerate(a.prefers):
            if shift_name not in model.shifts:
                message = f"unknown shift {shift_name!r}"
                problems.append(document.problem((*where, "prefers", index), message))
        for index, skill in enumerate(a.skills):
            if queues is not None and skill not in queues:
                message = f"unknown queue {skill!r} (known: {', '.join(sorted(queues))})"
                problems.append(document.problem((*where, "skills", index), message))
        least, most = contracts.get(a.contract, (0.0, 0.0))
        leave = a.leave if isinstance(a, AgentModel) else []
        agents.append(
            Agent(
                id=agent_id,
                skills=frozenset(a.skills),
                pattern=a.pattern,
                min_hours=least,
                max_hours=most,
                contract=a.contract,
                prefers=frozenset(a.prefers),
                leave=frozenset(DAY_NAMES.index(d) for d in leave),
                main=a.skills[0] if a.skills else "",
            )
        )
    if problems:
        raise ConfigError(problems)
    r, w = model.rules, model.weights
    return WfmConfig(
        shifts=shifts,
        patterns=patterns,
        agents=tuple(agents),
        rules=Rules(round(r.min_rest_hours * 2), r.max_consecutive_days),
        weights=Weights(w.under, w.over, w.preference),
        file=document.file,
        staffing=StaffingRules(
            model.staffing.method,
            model.staffing.max_occupancy,
            model.staffing.patience,
            tuple(model.staffing.shrinkage.model_dump().items()),
            model.staffing.max_abandon,
        ),
    )


def load_wfm(path: str | os.PathLike[str], *, queues: Collection[str] | None = None) -> WfmConfig:
    """Read and check a ``wfm.yaml``; raises `ConfigError` listing every problem."""
    model, document = load_model(path, WfmFile)
    return build_wfm(document, model, queues=queues)


def parse_wfm(
    text: str, *, file: str = "<string>", queues: Collection[str] | None = None
) -> WfmConfig:
    """As `load_wfm`, from text (tests, the configuration editor)."""
    document = parse_yaml(text, file=file)
    return build_wfm(document, validate(document, WfmFile), queues=queues)
