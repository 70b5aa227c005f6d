"""The shifts a handover sheet belongs to (班次), from the roster's named shifts.

A roster names its shifts with local start and end times (``early: {start: "07:00",
end: "16:00", label: 早班}``); shifts may overlap (a staggered roster) and one may run
past midnight. A handover sheet belongs to one shift of one day — its *window*, the
shift's own hours on that day — never to "since the last handover".

Which shift the lead hands over now: of the shifts on duty now, the one that ends
first and has no sheet yet (so a staggered roster is handed over shift by shift, each
at its end); when every shift on duty has its sheet, the one that ends first. Where no
shift is on duty (a gap in the roster), the shift that ended last. An agent's own
shift is their team's shift on duty (or last ended); an agent the roster does not
name (a seat of ``hotline.yaml``) works the shift the lead hands over. A roster
without shifts has one: the whole day (全天 00:00–24:00).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Collection, Iterable, Mapping
from typing import Protocol

from hotline.sim.population import agent_profiles
from hotline.sim.scenario import ScenarioModel

WHOLE_DAY = "all_day"
WHOLE_DAY_LABEL = "全天"


class ShiftTimes(Protocol):
    """A roster's shift as configured (`hotline.sim.scenario.ShiftModel`)."""

    @property
    def start(self) -> str: ...

    @property
    def end(self) -> str: ...

    @property
    def label(self) -> str | None: ...


@dataclasses.dataclass(frozen=True, slots=True)
class Shift:
    """A named shift of the roster: local start and end; `end <= start` runs past midnight."""

    name: str
    label: str
    start: datetime.time
    end: datetime.time

    @property
    def hours(self) -> str:
        """``07:00–16:00`` (``24:00`` for an end at midnight)."""
        end = "24:00" if self.end == datetime.time(0) else self.end.strftime("%H:%M")
        return f"{self.start.strftime('%H:%M')}–{end}"

    def on(self, day: datetime.date, tz: datetime.tzinfo) -> ShiftWindow:
        """This shift as it begins on `day` (local)."""
        begin = datetime.datetime.combine(day, self.start, tz)
        end_day = day if self.end > self.start else day + datetime.timedelta(days=1)
        finish = datetime.datetime.combine(end_day, self.end, tz)
        return ShiftWindow(
            self.name, self.label, self.hours, day, begin.timestamp(), finish.timestamp()
        )


@dataclasses.dataclass(frozen=True, slots=True)
class ShiftWindow:
    """One shift on one day: [start, end) in epoch seconds; `day` is the day it begins."""

    name: str
    label: str
    hours: str
    day: datetime.date
    start: float
    end: float

    @property
    def key(self) -> tuple[str, str]:
        return (self.day.isoformat(), self.name)

    def until(self, now: float) -> float:
        """The end of the window as far as it has run at `now`."""
        return max(self.start, min(self.end, now))


@dataclasses.dataclass(frozen=True, slots=True)
class ShiftPlan:
    """The roster's shifts in one time zone, and which agent (工号) works which shift."""

    shifts: tuple[Shift, ...]
    timezone: datetime.tzinfo
    agents: Mapping[str, str] = dataclasses.field(default_factory=dict)

    @classmethod
    def of(
        cls,
        shifts: Mapping[str, ShiftTimes],
        timezone: datetime.tzinfo,
        agents: Mapping[str, str] | None = None,
    ) -> ShiftPlan:
        """The plan of a roster's `shifts` (name → times); without any, the whole day."""
        found = tuple(
            Shift(
                name,
                times.label or name,
                datetime.time.fromisoformat(times.start),
                datetime.time.fromisoformat(times.end),
            )
            for name, times in shifts.items()
        )
        if not found:
            found = (Shift(WHOLE_DAY, WHOLE_DAY_LABEL, datetime.time(0), datetime.time(0)),)
        return cls(found, timezone, dict(agents or {}))

    def _windows(self, now: float) -> list[ShiftWindow]:
        """Each shift as it began yesterday, today and tomorrow (local days of `now`)."""
        today = datetime.datetime.fromtimestamp(now, self.timezone).date()
        days = [today + datetime.timedelta(days=d) for d in (-1, 0, 1)]
        return [s.on(day, self.timezone) for day in days for s in self.shifts]

    def on_duty(self, now: float, names: Collection[str] | None = None) -> list[ShiftWindow]:
        """The shifts under way at `now` (of `names` only, when given), ending first first."""
        found = [
            w
            for w in self._windows(now)
            if w.start <= now < w.end and (names is None or w.name in names)
        ]
        return sorted(found, key=lambda w: (w.end, w.start, w.name))

    def _last_ended(self, now: float, names: Collection[str] | None = None) -> ShiftWindow:
        ended = [
            w for w in self._windows(now) if w.end <= now and (names is None or w.name in names)
        ]
        return max(ended, key=lambda w: (w.end, w.start, w.name))

    def current(self, now: float, handed: Iterable[tuple[str, str]] = ()) -> ShiftWindow:
        """The shift the lead hands over at `now`, given the shifts that have a sheet
        (`ShiftWindow.key`s; see the module docstring)."""
        done = set(handed)
        duty = self.on_duty(now)
        if not duty:
            return self._last_ended(now)
        return next((w for w in duty if w.key not in done), duty[0])

    def of_agent(
        self, now: float, agent: str | None, handed: Iterable[tuple[str, str]] = ()
    ) -> ShiftWindow:
        """An agent's own shift at `now`: their team's shift in the roster, else the one
        the lead hands over."""
        name = self.agents.get(agent) if agent is not None else None
        if name is None or all(s.name != name for s in self.shifts):
            return self.current(now, handed)
        duty = self.on_duty(now, (name,))
        return duty[0] if duty else self._last_ended(now, (name,))

    def window(self, name: str, day: datetime.date) -> ShiftWindow:
        """Shift `name` as it begins on `day`; `KeyError` for a name the roster lacks."""
        for shift in self.shifts:
            if shift.name == name:
                return shift.on(day, self.timezone)
        raise KeyError(name)


def roster_plan(scenario: ScenarioModel | None, timezone: datetime.tzinfo) -> ShiftPlan:
    """The shifts of a scenario's roster, each agent (工号 1001 …) on their team's shift;
    without a scenario (real calls) or shifts in it, the whole day."""
    if scenario is None:
        return ShiftPlan.of({}, timezone)
    agents = {str(p.id): t.shift for p, t in agent_profiles(scenario) if t.shift is not None}
    return ShiftPlan.of(scenario.shifts, timezone, agents)


__all__ = [
    "WHOLE_DAY",
    "WHOLE_DAY_LABEL",
    "Shift",
    "ShiftPlan",
    "ShiftTimes",
    "ShiftWindow",
    "roster_plan",
]
