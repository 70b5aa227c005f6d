"""A simulation scenario: the day's callers and the agents who serve them.

A scenario file names the hotline it runs on (its routing and IVR
configuration) and describes the traffic: arrivals per half hour (or a
constant rate), weekday factors, the mix of tiers and intents, how patient
callers are, how long conversations and wrap-up last, and the roster of
agents with their shifts and skills. The same file and seed always give the
same events.
"""

from __future__ import annotations

import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hotline.core.ids import QueueName, SkillName
from hotline.sim.distributions import Distribution, Exponential, Fixed, NonNegative, Uniform

Share = Annotated[float, Field(ge=0, le=1)]
Weight = Annotated[float, Field(ge=0)]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ArrivalsModel(_Model):
    """How many calls arrive, and when.

    Give either ``rate`` (calls per second, constant all day) or ``per_day``
    (calls on an ordinary day) with an optional ``profile`` of 48 half-hourly
    weights (default: flat). ``weekdays`` scales a day by its weekday.
    """

    rate: Annotated[float, Field(gt=0)] | None = None
    per_day: Annotated[float, Field(gt=0)] | None = None
    profile: list[Weight] | None = None
    weekdays: dict[str, Weight] = {}

    @model_validator(mode="after")
    def _one_way(self) -> ArrivalsModel:
        if (self.rate is None) == (self.per_day is None):
            raise ValueError("give exactly one of 'rate' (calls per second) or 'per_day'")
        if self.profile is not None:
            if self.rate is not None:
                raise ValueError("'profile' goes with 'per_day', not with 'rate'")
            if len(self.profile) != 48:
                raise ValueError(f"'profile' needs 48 half-hourly weights, got {len(self.profile)}")
            if sum(self.profile) <= 0:
                raise ValueError("'profile' weights add up to zero")
        unknown = set(self.weekdays) - set(WEEKDAYS)
        if unknown:
            raise ValueError(f"unknown weekday {sorted(unknown)[0]!r} (use {', '.join(WEEKDAYS)})")
        return self

    def slot_rates(self, day: datetime.date) -> list[float]:
        """Arrival rate (calls per second) in each half hour of `day`."""
        factor = self.weekdays.get(WEEKDAYS[day.weekday()], 1.0)
        if self.rate is not None:
            return [self.rate * factor] * 48
        assert self.per_day is not None
        weights = self.profile or [1.0] * 48
        total = sum(weights)
        return [self.per_day * factor * w / total / 1800.0 for w in weights]


class TierMixModel(_Model):
    high: Share = 0.05
    middle: Share = 0.25
    ordinary: Share = 0.70
    red: Share = 0.0  # share of callers on the red list (any tier)
    black: Share = 0.0

    @model_validator(mode="after")
    def _sums(self) -> TierMixModel:
        total = self.high + self.middle + self.ordinary
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"high + middle + ordinary must be 1, got {total:g}")
        if self.red + self.black > 1:
            raise ValueError("red + black shares exceed 1")
        return self


class TransferModel(_Model):
    """A share of these conversations is transferred (blind) to another queue partway."""

    share: Share
    to: QueueName


class HoldModel(_Model):
    """A share of these conversations has the caller put on hold once (保持, to consult)."""

    share: Share
    length: Distribution = Exponential(dist="exponential", mean=30.0)


class ConsultModel(_Model):
    """A share of these conversations has the agent consult a colleague of queue `to`
    partway (咨询转接): the caller on hold, the two agents talk `length` seconds, then the
    agent hands the caller over (`complete` of the time) or takes the call back."""

    share: Share
    to: QueueName
    length: Distribution = Exponential(dist="exponential", mean=30.0)
    complete: Share = 0.7


class IntentModel(_Model):
    """Why people call: the keys they press in the IVR and how long they talk.

    `profile` (48 half-hourly weights from midnight, optional) multiplies `share`
    in each half hour, so the mix of intents can change over the day (the
    digital twin gives each queue its own curve); a half hour where every
    intent's weight is zero falls back to the plain shares. `patience` (optional)
    replaces the scenario's patience for this intent's callers.
    """

    name: str
    share: Weight
    profile: list[Weight] | None = None
    patience: Distribution | None = None
    digits: list[str] = []  # typed at successive IVR prompts
    talk: Distribution = Exponential(dist="exponential", mean=180.0)
    acw: Distribution = Fixed(dist="fixed", value=0.0)
    caller_hangs_up: Share = 0.5  # who ends the conversation
    transfer: TransferModel | None = None
    hold: HoldModel | None = None
    consult: ConsultModel | None = None

    @model_validator(mode="after")
    def _digits(self) -> IntentModel:
        if self.profile is not None and len(self.profile) != 48:
            raise ValueError(f"'profile' needs 48 half-hourly weights, got {len(self.profile)}")
        for d in self.digits:
            if not d or any(c not in "0123456789*#" for c in d):
                raise ValueError(f"digits {d!r} may hold only 0-9, * and #")
        return self


class RedialModel(_Model):
    """Callers who abandon and call again."""

    probability: Share = 0.0
    after: Distribution = Exponential(dist="exponential", mean=120.0)


class SurveyModel(_Model):
    """How callers answer the post-call survey: who answers and the scores 1–5."""

    answer: Share = 0.5
    scores: dict[int, Weight] = {5: 0.70, 4: 0.18, 3: 0.06, 2: 0.03, 1: 0.03}

    @model_validator(mode="after")
    def _scores(self) -> SurveyModel:
        bad = [s for s in self.scores if s not in (1, 2, 3, 4, 5)]
        if bad:
            raise ValueError(f"survey scores are 1 to 5, got {bad[0]}")
        return self


class ShiftModel(_Model):
    start: str
    end: str  # may be past midnight (earlier than start)
    label: str | None = None  # the name people use (早班); the key when left out

    @model_validator(mode="after")
    def _times(self) -> ShiftModel:
        for value in (self.start, self.end):
            try:
                datetime.time.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{value!r} is not a time of day HH:MM") from None
        return self


class TeamModel(_Model):
    """A group of identical agents in the roster."""

    team: str
    count: Annotated[int, Field(ge=0)]
    skills: dict[SkillName, Annotated[int, Field(ge=1, le=10)]]
    main: SkillName | None = None
    groups: list[str] = []
    shift: str | None = None  # name of a shift; None: on duty all the time
    # works only the shifts a published schedule (排班) gives them, never a scenario shift:
    # the staff a center has beyond the seats in use on one day (days off, leave)
    reserve: bool = False

    @model_validator(mode="after")
    def _main(self) -> TeamModel:
        if self.main is not None and self.main not in self.skills:
            raise ValueError(f"main skill {self.main!r} is not among the team's skills")
        if self.reserve and self.shift is not None:
            raise ValueError("a reserve team works the published schedule: give it no shift")
        return self


class AgentBehaviourModel(_Model):
    answer_after: Distribution = Uniform(dist="uniform", low=2.0, high=6.0)
    miss: Share = 0.0  # chance an agent lets an offered call ring out
    back_after_miss: Distribution = Fixed(dist="fixed", value=30.0)


class CalledModel(_Model):
    """Customers the hotline calls (外呼): `answer` of them pick up after `answer_after`
    seconds, `busy` are busy, the rest let it ring; an answered one talks for `talk`."""

    answer: Share = 0.6
    busy: Share = 0.1
    answer_after: tuple[NonNegative, NonNegative] = (4.0, 14.0)  # uniform, seconds
    talk: Distribution = Exponential(dist="exponential", mean=150.0)

    @model_validator(mode="after")
    def _shares(self) -> CalledModel:
        if self.answer + self.busy > 1.0:
            raise ValueError("answer and busy add up to more than 1")
        if self.answer_after[1] < self.answer_after[0]:
            raise ValueError("answer_after: [low, high], low first")
        return self


class ScenarioModel(_Model):
    """One simulation scenario (see the module docstring)."""

    name: str
    hotline: str  # path of the hotline configuration, relative to the scenario file
    start: datetime.date
    days: Annotated[int, Field(ge=1, le=366)] = 1
    hours: Annotated[float, Field(gt=0, le=24)] | None = (
        None  # arrivals stop after this, rounded up to the half hour
    )
    seed: int = 1
    dialed: str | None = None  # number the callers dial (default: the hotline's first number)
    arrivals: ArrivalsModel
    tiers: TierMixModel = TierMixModel()
    intents: list[IntentModel]
    patience: Distribution = Exponential(dist="exponential", mean=120.0)
    redial: RedialModel = RedialModel()
    callback_accept: Share = 0.0  # share of callers who take a callback when one is offered
    ivr_hangup: Share = 0.0  # share of callers who hang up while still in the IVR menus
    ivr_hangup_after: Distribution = Uniform(dist="uniform", low=3.0, high=30.0)
    survey: SurveyModel = SurveyModel()
    agents: AgentBehaviourModel = AgentBehaviourModel()
    called: CalledModel = CalledModel()  # customers the hotline calls (outbound campaigns)
    shifts: dict[str, ShiftModel] = {}
    roster: list[TeamModel]

    @model_validator(mode="after")
    def _refs(self) -> ScenarioModel:
        if not self.intents:
            raise ValueError("at least one intent is needed")
        if sum(i.share for i in self.intents) <= 0:
            raise ValueError("intent shares add up to zero")
        if self.hours is not None and self.days != 1:
            raise ValueError(
                "'hours' shortens a one-day run; leave it out when 'days' is more than 1"
            )
        return self

    def problems(
        self, skills: set[SkillName], queues: set[QueueName]
    ) -> list[tuple[tuple[str | int, ...], str]]:
        """Cross-references against the hotline: unknown skills and shifts."""
        found: list[tuple[tuple[str | int, ...], str]] = []
        known = ", ".join(sorted(skills))
        for i, team in enumerate(self.roster):
            for skill in team.skills:
                if skill not in skills:
                    found.append(
                        (
                            ("roster", i, "skills", skill),
                            f"unknown skill {skill!r} (known: {known})",
                        )
                    )
            if team.shift is not None and team.shift not in self.shifts:
                found.append(
                    (
                        ("roster", i, "shift"),
                        f"unknown shift {team.shift!r} "
                        f"(known: {', '.join(sorted(self.shifts)) or 'none'})",
                    )
                )
        known_queues = ", ".join(sorted(queues))
        for i, intent in enumerate(self.intents):
            for key, target in (("transfer", intent.transfer), ("consult", intent.consult)):
                if target is not None and target.to not in queues:
                    where = ("intents", i, key, "to")
                    found.append((where, f"unknown queue {target.to!r} (known: {known_queues})"))
        names = [i.name for i in self.intents]
        for i, name in enumerate(names):
            if names.index(name) != i:
                found.append((("intents", i, "name"), f"intent {name!r} appears twice"))
        return found
