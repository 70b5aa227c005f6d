"""A week's plan (排班计划): forecast → agents needed → schedule, the loop a center runs
every week, as one value the CLI prints, the console shows and the database keeps.

- `forecast_week`: each queue's calls offered and handle time per half hour of the week
  (`hotline.wfm.forecast.forecast`, the method chosen per queue by back-testing);
- `staff_week`: agents needed per queue and half hour for the queue's own target (the
  hotline's ``service_level`` of that queue: VIP 90 %/20 s, others 85 %/20 s), by the
  formula `wfm.yaml`'s ``staffing`` names, raised by the shrinkage
  (`hotline.wfm.staffing`);
- `schedule_week`: who works which shift (`hotline.wfm.schedule`).

`WeekPlan.to_json` is the plan's one serial form: the ``--json`` of the commands, the
API's answer and the stored plan are the same object.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hotline.wfm.calendar import Calendar, SpecialDay
from hotline.wfm.forecast import ForecastSettings, QueueForecast, forecast
from hotline.wfm.history import SLOTS_PER_DAY, ForecastError, History
from hotline.wfm.patience import Patience
from hotline.wfm.schedule import Schedule
from hotline.wfm.shifts import WEEK, StaffingRules, WfmConfig
from hotline.wfm.staffing import Shrinkage, Target, requirement

__all__ = [
    "QueueStaffing",
    "QueueTarget",
    "WeekPlan",
    "forecast_week",
    "monday_of",
    "schedule_json",
    "staff_week",
]


@dataclass(frozen=True, slots=True)
class QueueTarget:
    """A queue's service-level target: `level` of calls answered within `seconds`."""

    queue: str
    level: float
    seconds: float


@dataclass(frozen=True, slots=True)
class QueueStaffing:
    """One queue's week: per half hour the calls, handle seconds, agents by Erlang C and
    (with patience) Erlang A, the chosen count on the phones, the predicted service level
    and the agents to schedule (the chosen count raised by the shrinkage)."""

    queue: str
    method: str
    target: QueueTarget
    offered: tuple[float, ...]
    handle_seconds: tuple[float, ...]
    erlang_c: tuple[int, ...]
    erlang_a: tuple[int | None, ...]
    on_phones: tuple[int, ...]
    service_level: tuple[float | None, ...]
    scheduled: tuple[int, ...]
    patience: float | None = None
    patience_measured: Patience | None = None


def clock(slot: int, *, end: bool = False) -> str:
    """``"08:30"``: the local time of day a slot of the week begins; an `end` at
    midnight is ``"24:00"`` (a shift 15:30–24:00)."""
    index = slot % SLOTS_PER_DAY
    if end and index == 0:
        return "24:00"
    return f"{index // 2:02d}:{30 * (index % 2):02d}"


def monday_of(day: datetime.date) -> datetime.date:
    """The Monday of `day`'s week (a plan's week starts on Monday 00:00)."""
    return day - datetime.timedelta(days=day.weekday())


def forecast_week(
    history: History,
    week_start: datetime.date,
    *,
    queues: Sequence[str] | None = None,
    calendar: Calendar | None = None,
    specials: Sequence[SpecialDay] = (),
    settings: ForecastSettings | None = None,
) -> list[QueueForecast]:
    """Each queue's forecast for the 7 days from `week_start` (a Monday)."""
    if week_start.weekday() != 0:
        raise ForecastError(
            f"a week starts on a Monday; {week_start} is not one", week=str(week_start)
        )
    known = [q for q in (queues if queues is not None else history.queues) if q in history.queues]
    if not known:
        raise ForecastError(
            "the history has no calls for any planned queue "
            f"(history: {', '.join(sorted(history.queues)) or 'empty'})"
        )
    return forecast(
        history,
        week_start,
        7,
        queues=known,
        calendar=calendar,
        specials=specials,
        settings=settings,
    )


def staff_week(
    forecasts: Sequence[QueueForecast],
    targets: Mapping[str, QueueTarget],
    rules: StaffingRules,
    measured: Mapping[str, Patience] | None = None,
) -> dict[str, QueueStaffing]:
    """Agents needed per queue and half hour (see the module docstring). With Erlang A,
    a queue's patience is the one `measured` from the log where it has enough abandons
    (`hotline.wfm.patience`), else `rules.patience`."""
    shrinkage = Shrinkage(**dict(rules.shrinkage))
    measured = measured or {}
    out: dict[str, QueueStaffing] = {}
    for f in forecasts:
        target = targets.get(f.queue) or QueueTarget(f.queue, 0.8, 20.0)
        found = measured.get(f.queue)
        patience = None
        if rules.method == "erlang_a":
            patience = found.mean if found is not None and found.mean else rules.patience
        intervals = f.intervals()
        needs = requirement(
            intervals,
            {f.queue: Target(target.level, target.seconds, rules.max_abandon)},
            shrinkage,
            rules.max_occupancy,
            patience=patience,
        )
        out[f.queue] = QueueStaffing(
            queue=f.queue,
            method=rules.method,
            target=target,
            offered=tuple(n.offered for n in needs),
            handle_seconds=tuple(n.aht for n in needs),
            erlang_c=tuple(n.erlang_c for n in needs),
            erlang_a=tuple(n.erlang_a for n in needs),
            on_phones=tuple(n.chosen for n in needs),
            service_level=tuple(n.service_level for n in needs),
            scheduled=tuple(n.scheduled for n in needs),
            patience=patience,
            patience_measured=found,
        )
    return out


def _round(values: Sequence[float | None], digits: int = 2) -> list[float | None]:
    return [None if v is None or not math.isfinite(v) else round(v, digits) for v in values]


def schedule_json(schedule: Schedule, config: WfmConfig) -> dict[str, Any]:
    """A solved schedule as plain data: each agent's days, and coverage per queue, day and
    half hour (required, scheduled, under, over; never netted)."""
    shifts = config.shifts
    week = schedule.week()
    agents = []
    for w in schedule.weeks:
        days: list[dict[str, Any] | None] = []
        for d in w.days:
            if d is None:
                days.append(None)
                continue
            days.append(
                {
                    "shift": d.shift,
                    "start": d.start,
                    "end": d.end,
                    "from": clock(d.start),
                    "to": clock(d.end, end=True),
                    "meal": list(d.meal) if d.meal else None,
                    "minutes": (d.end - d.start) * 30,
                }
            )
        agents.append(
            {
                "agent": w.agent,
                "days": days,
                "paid_hours": w.paid_hours,
                "preference_misses": w.preference_misses,
            }
        )
    per_slot = [schedule.interval(t) for t in range(WEEK)]
    return {
        "status": schedule.status,
        "objective": schedule.objective,
        "bound": schedule.bound,
        "gap": None if math.isinf(schedule.gap) else round(schedule.gap, 5),
        "seconds": round(schedule.seconds, 2),
        "lp_seconds": round(schedule.lp_seconds, 2),
        "findings": [
            {
                "rule": f.rule,
                "message": f.message,
                "agents": list(f.agents),
                "queue": f.queue,
                "slots": list(f.slots),
            }
            for f in schedule.findings
        ],
        "shifts": {
            name: {
                "title": s.title or name,
                "start": s.start,
                "length": s.length,
                "paid_hours": s.paid_hours,
                "from": clock(s.start),
                "to": clock(s.start + s.length, end=True),
            }
            for name, s in shifts.items()
        },
        "agents": agents,
        "week": {
            "required": week.required,
            "scheduled": week.scheduled,
            "under": week.under,
            "over": week.over,
            "coverage": round(week.coverage, 4),
            "efficiency": None if week.efficiency is None else round(week.efficiency, 4),
        },
        "queues": {
            q: {
                "required": list(schedule.required[q]),
                "scheduled": list(schedule.scheduled[q]),
                "coverage": round(schedule.week(q).coverage, 4),
            }
            for q in schedule.required
        },
        "intervals": {
            "required": [c.required for c in per_slot],
            "scheduled": [c.scheduled for c in per_slot],
            "under": [c.under for c in per_slot],
            "over": [c.over for c in per_slot],
        },
    }


@dataclass(frozen=True, slots=True)
class WeekPlan:
    """A week's forecast, staffing and (when scheduled) schedule."""

    week_start: datetime.date
    forecasts: tuple[QueueForecast, ...]
    staffing: Mapping[str, QueueStaffing]
    schedule: dict[str, Any] | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def required(self) -> dict[str, list[int]]:
        """Agents to schedule per queue and half hour of the week (336 each)."""
        return {q: list(s.scheduled) for q, s in self.staffing.items()}

    def to_json(self) -> dict[str, Any]:
        forecasts = {}
        for f in self.forecasts:
            forecasts[f.queue] = {
                "method": f.method,
                "offered": _round([float(v) for v in f.offered.reshape(-1)]),
                "talk_seconds": _round([float(v) for v in f.talk_seconds], 1),
                "wrap_up_seconds": _round([float(v) for v in f.wrap_up_seconds], 1),
                "accuracy": [
                    {
                        "method": a.method,
                        "wape": _round([a.wape], 4)[0],
                        "bias": _round([a.bias], 4)[0],
                        "origins": a.origins,
                    }
                    for a in f.accuracy
                ],
                "notes": list(f.notes),
            }
        staffing = {
            q: {
                "method": s.method,
                "target": {"level": s.target.level, "seconds": s.target.seconds},
                "offered": _round(s.offered),
                "handle_seconds": _round(s.handle_seconds, 1),
                "erlang_c": list(s.erlang_c),
                "erlang_a": list(s.erlang_a),
                "on_phones": list(s.on_phones),
                "service_level": _round(s.service_level, 4),
                "scheduled": list(s.scheduled),
                "patience": None if s.patience is None else round(s.patience, 1),
                "patience_measured": None
                if s.patience_measured is None
                else {
                    "waits": s.patience_measured.waits,
                    "abandons": s.patience_measured.abandons,
                    "mean": None
                    if s.patience_measured.mean is None
                    else round(s.patience_measured.mean, 1),
                },
            }
            for q, s in self.staffing.items()
        }
        return {
            "week_start": self.week_start.isoformat(),
            "slots": WEEK,
            "forecast": forecasts,
            "staffing": staffing,
            "schedule": self.schedule,
            "notes": list(self.notes),
        }
