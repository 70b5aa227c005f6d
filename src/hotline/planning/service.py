"""The planning desk (排班): what the console's API and the jobs ask of the feature.

`PlanningDesk` joins the pieces: the history (imported rows and the event log, the log
winning where both have a half hour), the planner's special days, the hotline's queues
and targets, the shift rules of ``wfm.yaml`` beside ``hotline.yaml`` (read at each use,
so an edited file counts at once), and the stored plans. Making a plan runs the
forecast, the staffing and the solver: seconds to a minute, so the API calls it off the
event loop.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hotline.core.errors import HotlineError
from hotline.core.events import Saved
from hotline.metrics.external import Shift
from hotline.planning.store import (
    PlanError,
    PlanningStore,
    StoredPlan,
    StoredSpecial,
    history_rows,
    log_patience,
    log_tiers,
)
from hotline.planning.twin import AgentGroup, QueueDemand, TwinCheck, TwinOptions, check_plan
from hotline.site.config import Site
from hotline.store.db.database import Database
from hotline.store.db.eventlog import EventLog
from hotline.wfm.adherence import (
    AdherenceTotals,
    PlannedShift,
    Timeline,
    adherence,
    attendance,
    live,
    per_agent,
    planned_from_week,
    timelines,
    totals,
)
from hotline.wfm.calendar import ChinaCalendar, SpecialDay
from hotline.wfm.forecast import ForecastSettings
from hotline.wfm.history import (
    ForecastError,
    History,
    IntervalCount,
    build_history,
    read_interval_csv,
)
from hotline.wfm.plan import (
    QueueTarget,
    WeekPlan,
    forecast_week,
    monday_of,
    schedule_json,
    staff_week,
)
from hotline.wfm.schedule import AgentWeek, ShiftAssignment
from hotline.wfm.shifts import SLOTS_PER_DAY, StaffingRules, WfmConfig, load_wfm
from hotline.wfm.swaps import check_swap

WFM_FILE = "wfm.yaml"

__all__ = [
    "NoRulesError",
    "PlanInputError",
    "PlanningDesk",
    "StoredPlan",
    "build_service",
    "seed_demo",
]


@dataclasses.dataclass(frozen=True, slots=True)
class ShiftTimes:
    """A shift's local hours as the handover reads a roster's (``HH:MM``) and its title."""

    start: str
    end: str
    label: str


class NoRulesError(HotlineError):
    """The site has no ``wfm.yaml``: no schedule can be made (staffing still can)."""

    error_id = "no-shift-rules"


class PlanningDesk:
    def __init__(self, site: Site, db: Database) -> None:
        self.site = site
        self.store = PlanningStore(db)
        self.db = db

    # -- configuration -------------------------------------------------------------------

    @property
    def rules_file(self) -> Path:
        return self.site.config.folder / WFM_FILE

    def rules(self) -> WfmConfig:
        if not self.rules_file.is_file():
            raise NoRulesError(f"{self.rules_file}: no shift rules (wfm.yaml) on this site")
        return load_wfm(self.rules_file, queues=self.queues())

    def queues(self) -> list[str]:
        return [q.name for q in self.site.hotline.queues]

    def targets(self) -> dict[str, QueueTarget]:
        return {
            q.name: QueueTarget(q.name, q.service_level_goal, q.service_level_target)
            for q in self.site.hotline.queues
        }

    @property
    def zone(self) -> datetime.tzinfo:
        return self.site.hotline.timezone

    # -- history -------------------------------------------------------------------------

    def history_rows(self, since: float | None = None) -> list[IntervalCount]:
        """Imported rows, replaced by the event log's (from `since` on) where the log has
        the half hour."""
        return history_rows(self.db, self.zone, since=since)

    def history(self, before: datetime.date) -> History:
        """The history of the whole days before `before` (today's half day is no day)."""
        rows = [r for r in self.history_rows() if r.start.date() < before]
        if not rows:
            raise ForecastError("no call history yet: import an interval CSV (历史话务)")
        return build_history(rows)

    def today(self, at: float) -> datetime.date:
        return datetime.datetime.fromtimestamp(at, self.zone).date()

    def import_history(self, path: Path, *, source: str) -> int:
        """Import an interval CSV (all rows or none; bad lines named by file and line)."""
        return self.store.import_history(read_interval_csv(path), source)

    def actual(self, week_start: datetime.date, now: float) -> dict[str, list[int | None]]:
        """Calls offered per queue and half hour of the week as far as it is known: None
        for a day with no calls at all for any queue (no history: not a day of no
        calls) and from the half hour under way at `now` on."""
        end_day = week_start + datetime.timedelta(days=7)
        since = self._midnight(week_start)
        rows = [r for r in self.history_rows(since) if week_start <= r.start.date() < end_day]
        known = {(r.start.date() - week_start).days for r in rows}
        local = datetime.datetime.fromtimestamp(now, self.zone)
        current = (
            (local.date() - week_start).days * SLOTS_PER_DAY + local.hour * 2 + local.minute // 30
        )
        out: dict[str, list[int | None]] = {}
        for r in rows:
            series = out.setdefault(r.queue, [0] * (7 * SLOTS_PER_DAY))
            day = (r.start.date() - week_start).days
            series[day * SLOTS_PER_DAY + r.start.hour * 2 + r.start.minute // 30] = r.offered
        for series in out.values():
            for t in range(len(series)):
                if t // SLOTS_PER_DAY not in known or t >= current:
                    series[t] = None
        return out

    # -- special days --------------------------------------------------------------------

    def specials(self) -> list[StoredSpecial]:
        return self.store.specials()

    def add_special(self, day: SpecialDay, *, by: str, at: float) -> StoredSpecial:
        if day.queue is not None and day.queue not in self.queues():
            raise PlanInputError(f"queue {day.queue!r} is not one of {', '.join(self.queues())}")
        return self.store.add_special(day, by=by, at=at)

    # -- plans ---------------------------------------------------------------------------

    def make_plan(
        self,
        week_start: datetime.date,
        *,
        by: str,
        at: float,
        schedule: bool = True,
        time_limit: float = 60.0,
        settings: ForecastSettings | None = None,
    ) -> StoredPlan:
        """Forecast, staff and (with `schedule`) schedule the week; kept as a draft."""
        from hotline.wfm.schedule import schedule_week

        config = self.rules()
        forecasts = forecast_week(
            self.history(self.today(at)),
            week_start,
            queues=self.queues(),
            calendar=ChinaCalendar(),
            specials=[s.day for s in self.specials()],
            settings=settings,
        )
        staffing = staff_week(forecasts, self.targets(), config.staffing, log_patience(self.db, at))
        plan = WeekPlan(week_start, tuple(forecasts), staffing)
        solved = None
        if schedule:
            solved = schedule_json(
                schedule_week(config, plan.required, time_limit=time_limit), config
            )
        body = WeekPlan(week_start, plan.forecasts, staffing, solved).to_json()
        body["made"] = {"by": by, "at": at, "agents": len(config.agents)}
        return self.store.save_draft(body, by=by, at=at)

    def twin_check(
        self, plan_id: int, day: int, *, by: str, at: float, replications: int = 3, rounds: int = 3
    ) -> StoredPlan:
        """数字孪生校验 of one day of a scheduled plan: the agents on duty each half hour
        (by skill set, never one agent counted in two queues; net of the shrinkage) take
        the forecast calls on the production routing engine; where a queue misses its
        goal beyond the noise, its group is raised and the day simulated again. The
        formula's and the simulation's service level per queue and half hour, and the
        agents the twin added, are kept in the plan (``body.twin[day]``)."""
        plan = self.store.get(plan_id)
        schedule = plan.body.get("schedule")
        if not schedule:
            raise PlanError(f"plan {plan_id} has no schedule: the twin checks a roster")
        if not 0 <= day < 7:
            raise PlanInputError(f"day {day} is not 0 (Monday) … 6 (Sunday)")
        config = self.rules()
        groups = duty_groups(schedule, config, day, shrinkage_total(config.staffing))
        start = day * SLOTS_PER_DAY
        demand, formula = [], {}
        for queue, f in plan.body["forecast"].items():
            calls = [v or 0.0 for v in f["offered"][start : start + SLOTS_PER_DAY]]
            handle = [t + w for t, w in zip(f["talk_seconds"], f["wrap_up_seconds"], strict=True)]
            handle = [h if h and h > 0 else 240.0 for h in handle]
            staffed = plan.body["staffing"].get(queue, {})
            # the patience the plan was staffed with (measured from the log where it could)
            patience = staffed.get("patience") or config.staffing.patience
            demand.append(QueueDemand.of(queue, calls, handle, patience))
            levels = staffed.get("service_level")
            if levels:
                formula[queue] = levels[start : start + SLOTS_PER_DAY]
        date = plan.week_start + datetime.timedelta(days=day)
        # the callers' tiers as the log saw them lately (each tier's priority in the
        # queues, as live); a log without calls: all ordinary
        counted = log_tiers(self.db, at)
        tiers = {k: float(v) for k, v in counted.items() if v} or {"ordinary": 1.0}
        options = TwinOptions(
            replications=replications, max_rounds=rounds, tiers=tuple(tiers.items())
        )
        held = {q for g in groups for q in g.queues}
        demand = [d for d in demand if d.queue in held or sum(d.calls) > 0]
        checked = check_plan(
            self.site.hotline,
            date,
            demand,
            groups,
            formula={q: v for q, v in formula.items() if q in {d.queue for d in demand}},
            options=options,
        )
        checked_json = twin_json(checked, date, by=by, at=at)
        checked_json["tiers"] = {"counts": counted, "shares": options.tier_mix()}
        return self.store.save_twin(plan_id, day, checked_json)

    def replan(self, plan_id: int, *, by: str, at: float, time_limit: float = 60.0) -> StoredPlan:
        """按孪生结果重排: a new draft of the plan's week whose requirement is the plan's
        raised by what its twin checks added — each raised group's agents on the phones,
        grossed up by the shrinkage, on its main queue in the half hours it was raised —
        and the roster solved again against it. The new draft has no twin check yet
        (check it again before publishing)."""
        from hotline.wfm.schedule import schedule_week

        plan = self.store.get(plan_id)
        checks = plan.body.get("twin") or {}
        config = self.rules()
        required = {q: list(s["scheduled"]) for q, s in plan.body["staffing"].items()}
        added = {q: [0] * len(r) for q, r in required.items()}
        kept = 1.0 - shrinkage_total(config.staffing)
        for day, check in sorted(checks.items()):
            for raise_ in check.get("raises", ()):
                main = raise_["group"].split(":", 1)[0]
                if main not in required:
                    continue
                for i, n in enumerate(raise_["added"]):
                    if n > 0:
                        added[main][int(day) * SLOTS_PER_DAY + i] += math.ceil(n / kept)
        total = sum(sum(a) for a in added.values())
        if not total:
            raise PlanError(
                f"plan {plan_id} has no twin check that raised a group: nothing to re-plan"
            )
        raised = {q: [r + a for r, a in zip(required[q], added[q], strict=True)] for q in required}
        body = copy.deepcopy(plan.body)
        for queue, staffing in body["staffing"].items():
            staffing["scheduled"] = raised[queue]
            staffing["twin_added"] = added[queue]
        solved = schedule_week(config, raised, time_limit=time_limit)
        body["schedule"] = schedule_json(solved, config)
        body["twin"] = {}
        body["replanned_from"] = {
            "plan": plan_id,
            "days": sorted(int(d) for d, c in checks.items() if c.get("raises")),
            "added": total,
        }
        body["made"] = {"by": by, "at": at, "agents": len(config.agents)}
        return self.store.save_draft(body, by=by, at=at)

    def publish(self, plan_id: int, *, by: str, at: float) -> Saved[StoredPlan]:
        return self.store.publish(plan_id, by=by, at=at)

    def swap(
        self, plan_id: int, day: int, first: str, second: str, *, by: str, at: float
    ) -> Saved[StoredPlan]:
        config = self.rules()
        return self.store.swap(
            plan_id,
            day,
            first,
            second,
            by=by,
            at=at,
            check=lambda body: check_swap(config, first, second, body),
        )

    def week_of(self, day: datetime.date) -> StoredPlan | None:
        """The published plan of `day`'s week."""
        return self.store.published(day - datetime.timedelta(days=day.weekday()))

    def adherence_day(self, day: datetime.date, now: float) -> dict[str, Any]:
        """遵守率 of `day` from the published schedule and the agents' states: each shift
        that has ended (late log-in, early log-out, break overrun, absent), the day's
        adherence and attendance, and who is out of adherence now (today only)."""
        plan = self.week_of(day)
        if plan is None:
            return {"day": day.isoformat(), "published": False}
        lo = self._midnight(day)
        hi = lo + 86400.0
        planned = self._planned(plan, self.rules(), lo, hi)
        horizon = max([hi, *(s.end for s in planned)])
        lines = self._timelines(lo - 86400.0, min(horizon, now), limit=2_000_000)
        # a shift counts once the schedule was published before it began: the agents
        # could not follow a schedule they had not seen
        since = plan.published_at or lo
        ended = [s for s in planned if s.end <= now and s.start >= since]
        report = adherence(ended, lines)
        # attendance counts every shift begun (five minutes' grace), up to now
        begun = [
            _until(s, now)
            for s in planned
            if s.start + ATTENDANCE_GRACE <= now and s.start >= since
        ]
        present = attendance(adherence(begun, lines).shifts)
        out_now = live(now, planned, lines) if lo <= now < horizon else []
        return {
            "day": day.isoformat(),
            "published": True,
            "plan": plan.id,
            "scheduled_shifts": len(planned),
            "begun_shifts": len(begun),
            "ended_shifts": len(ended),
            "adherence": report.adherence,
            "attendance": {
                "scheduled": present.scheduled,
                "present": present.present,
                "rate": present.rate,
            },
            "shifts": [
                {
                    "agent": r.shift.agent,
                    "shift": r.shift.name,
                    "start": r.shift.start,
                    "end": r.shift.end,
                    "scheduled": r.scheduled,
                    "in": r.in_adherence,
                    "out": r.out,
                    "adherence": r.adherence,
                    "late_login": r.late_login,
                    "early_logout": r.early_logout,
                    "break_overrun": r.break_overrun,
                    "absent": r.absent,
                }
                for r in sorted(report.shifts, key=lambda r: (r.adherence, r.shift.agent))
            ],
            "out_now": [
                {
                    "agent": o.agent,
                    "since": o.since,
                    "scheduled": o.scheduled,
                    "state": o.state,
                    "reason": o.reason,
                }
                for o in out_now
            ],
        }

    def adherence_period(
        self, first: datetime.date, last: datetime.date, now: float, agent: str | None = None
    ) -> PeriodAdherence | None:
        """遵守率 and 出勤率 of local days `first`..`last` for the reports: every shift of
        the published weeks that starts in them and has ended by `now` (one agent's, if
        `agent`), summed and per agent — only shifts that began after their week was
        published. None when no week of the period is published."""
        plans = self.store.published_weeks(first, last)
        if not plans:
            return None
        config = self.rules()
        lo, hi = self._midnight(first), self._midnight(last + datetime.timedelta(days=1))
        ended = [
            s
            for plan in plans
            for s in self._planned(plan, config, max(lo, plan.published_at or lo), hi)
            if s.end <= now and (agent is None or s.agent == agent)
        ]
        if not ended:
            return PeriodAdherence(totals(()), ())
        lines = self._timelines(
            lo - 86400.0, max(s.end for s in ended), agent=agent, limit=20_000_000
        )
        report = adherence(ended, lines)
        return PeriodAdherence(totals(report.shifts), tuple(per_agent(report.shifts)))

    def _midnight(self, day: datetime.date) -> float:
        """Epoch seconds of `day`'s local midnight."""
        return datetime.datetime.combine(day, datetime.time(), self.zone).timestamp()

    def _planned(
        self, plan: StoredPlan, config: WfmConfig, lo: float, hi: float
    ) -> list[PlannedShift]:
        """The plan's shifts (meals and breaks placed) that begin in [lo, hi)."""
        weeks = agent_weeks(plan)
        shifts = planned_from_week(plan.week_start, self.zone, weeks, config.shifts)
        return [s for s in shifts if lo <= s.start < hi]

    def _timelines(
        self, start: float, end: float, *, agent: str | None = None, limit: int
    ) -> dict[str, Timeline]:
        """Each agent's states from the log's state changes in [start, end)."""
        stored = EventLog(self.db).read(
            kinds=["agent.state_changed"], agent=agent, start=start, end=end, limit=limit
        )
        return timelines(s.event for s in stored)

    def handover_shifts(self, now: float) -> tuple[dict[str, ShiftTimes], dict[str, str]] | None:
        """The published schedule's shifts for the handover (交接班): every shift the
        week uses, by name, with its local hours and title, and which shift each agent
        works today; None when no plan is published for this week."""
        today = self.today(now)
        plan = self.week_of(today)
        if plan is None:
            return None
        schedule = plan.body.get("schedule") or {}
        used = {d["shift"] for w in schedule.get("agents", ()) for d in w["days"] if d}
        shifts = {
            name: ShiftTimes(
                f["from"], "00:00" if f["to"] == "24:00" else f["to"], f.get("title") or name
            )
            for name, f in schedule.get("shifts", {}).items()
            if name in used and "from" in f
        }
        index = (today - plan.week_start).days
        agents = {
            w["agent"]: w["days"][index]["shift"]
            for w in schedule.get("agents", ())
            if w["days"][index]
        }
        return shifts, agents

    def published_spans(
        self, first: datetime.date, last: datetime.date
    ) -> list[tuple[float, float, list[Shift]]]:
        """For each published week touching local days `first`..`last`: its start and end
        (epoch seconds) and every agent's shifts in it, the meal left out (a shift with a
        meal is two spans): the reports' schedule, so that 实际工作率 sets the time logged
        in and working against the time meant for work."""
        out = []
        for plan in self.store.published_weeks(first, last):
            lo = slot_time(plan.week_start, 0, self.zone)
            hi = slot_time(plan.week_start, 7 * SLOTS_PER_DAY, self.zone)
            out.append((lo, hi, plan_shifts(plan, self.zone)))
        return out


@dataclasses.dataclass(frozen=True, slots=True)
class PeriodAdherence:
    """A report period's adherence: everyone's totals and each agent's, lowest first."""

    total: AdherenceTotals
    agents: tuple[AdherenceTotals, ...]


def shrinkage_total(rules: StaffingRules) -> float:
    """The share of paid time off the phones: 1 − Π(1 − s) over the shrinkage items."""
    kept = 1.0
    for _, share in rules.shrinkage:
        kept *= 1.0 - share
    return 1.0 - kept


def duty_groups(
    schedule: dict[str, Any], config: WfmConfig, day: int, shrinkage: float
) -> list[AgentGroup]:
    """Agents on duty in each half hour of `day` (0 = Monday) by skill set, meals out,
    the shrinkage taken off (rounded): the twin's plan. A shift of the day before that
    runs past midnight counts (the week wraps: Sunday night covers Monday morning)."""
    kinds = {
        a.id: (a.main or min(a.skills), tuple(sorted(a.skills))) for a in config.agents if a.skills
    }
    on: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    week = 7 * SLOTS_PER_DAY
    lo = day * SLOTS_PER_DAY
    for entry in schedule.get("agents", ()):
        key = kinds.get(entry["agent"])
        if key is None:
            continue
        counts = on.setdefault(key, [0] * SLOTS_PER_DAY)
        for d in (day, (day - 1) % 7):
            shift = entry["days"][d]
            if shift is None:
                continue
            offset = -week if d > day else 0  # Sunday's night shift seen from Monday
            meal = range(*shift["meal"]) if shift.get("meal") else range(0)
            for t in range(shift["start"], shift["end"]):
                local = t + offset - lo
                if 0 <= local < SLOTS_PER_DAY and t not in meal:
                    counts[local] += 1
    # a group per main skill and skill set (主技能 first: the routing offers it there first)
    return [
        AgentGroup.of(
            f"{main}:{'+'.join(skills)}",
            [main, *(q for q in skills if q != main)],
            [round(n * (1.0 - shrinkage)) for n in counts],
            main=main,
        )
        for (main, skills), counts in sorted(on.items())
    ]


def twin_json(checked: TwinCheck, date: datetime.date, *, by: str, at: float) -> dict[str, Any]:
    """A twin check as the plan keeps it: per queue the formula's, the first and the last
    simulation's service level per half hour, the agents added per group."""
    queues: dict[str, dict[str, list[Any]]] = {}
    for i in checked.intervals:
        q = queues.setdefault(
            i.queue,
            {
                "goal": [],
                "calls": [],
                "formula": [],
                "before": [],
                "after": [],
                "half_width": [],
                "optimistic": [],
                "met": [],
            },
        )
        q["goal"].append(i.goal)
        q["calls"].append(round(i.calls, 1))
        q["formula"].append(None if i.formula is None else round(i.formula, 4))
        q["before"].append(
            None if i.before.service_level is None else round(i.before.service_level, 4)
        )
        q["after"].append(
            None if i.after.service_level is None else round(i.after.service_level, 4)
        )
        q["half_width"].append(round(i.after.half_width, 4))
        q["optimistic"].append(i.optimistic)
        q["met"].append(i.met)
    return {
        "date": date.isoformat(),
        "by": by,
        "at": at,
        "met": checked.met,
        "rounds": checked.rounds,
        "seconds": round(checked.wall_s, 1),
        "calls": checked.runs[0].calls if checked.runs else 0,
        "groups": [
            {"group": g.name, "queues": list(g.queues), "agents": list(g.agents)}
            for g in checked.plan
        ],
        "raises": [
            {"group": r.group, "added": list(r.added), "total": r.total}
            for r in checked.raises
            if r.total
        ],
        "unfixable": [list(u) for u in checked.unfixable],
        "queues": queues,
    }


ATTENDANCE_GRACE = 300.0
"""Seconds into a shift before an agent not logged in counts as absent so far."""


def _until(shift: PlannedShift, now: float) -> PlannedShift:
    """The part of a shift that has run at `now` (its meal if the meal is over)."""
    if shift.end <= now:
        return shift
    meal = shift.meal if shift.meal is not None and shift.meal[1] <= now else None
    return dataclasses.replace(shift, end=now, meal=meal)


def agent_weeks(plan: StoredPlan) -> list[AgentWeek]:
    """A stored plan's roster as the schedule's values again."""
    schedule = plan.body.get("schedule") or {}
    out = []
    for week in schedule.get("agents", ()):
        days = tuple(
            None
            if d is None
            else ShiftAssignment(
                i, d["shift"], d["start"], d["end"], tuple(d["meal"]) if d.get("meal") else None
            )
            for i, d in enumerate(week["days"])
        )
        out.append(
            AgentWeek(
                week["agent"], days, week.get("paid_hours", 0.0), week.get("preference_misses", 0)
            )
        )
    return out


def slot_time(week_start: datetime.date, slot: int, zone: datetime.tzinfo) -> float:
    """Epoch seconds of half hour `slot` from `week_start` 00:00 local (slots may pass the
    week's end: a Sunday night shift ends on the next Monday)."""
    day = week_start + datetime.timedelta(days=slot // SLOTS_PER_DAY)
    minutes = (slot % SLOTS_PER_DAY) * 30
    local = datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60), zone)
    return local.timestamp()


def plan_shifts(plan: StoredPlan, zone: datetime.tzinfo) -> list[Shift]:
    """Every agent's shifts of a plan as epoch spans, the meal cut out."""
    schedule = plan.body.get("schedule") or {}
    out = []
    for week in schedule.get("agents", ()):
        for entry in week["days"]:
            if entry is None:
                continue
            cuts = [(entry["start"], entry["end"])]
            if entry.get("meal"):
                meal_start, meal_end = entry["meal"]
                cuts = [(entry["start"], meal_start), (meal_end, entry["end"])]
            for lo, hi in cuts:
                if hi > lo:
                    start = slot_time(plan.week_start, lo, zone)
                    out.append(Shift(week["agent"], start, slot_time(plan.week_start, hi, zone)))
    return out


class PlanInputError(HotlineError):
    error_id = "plan-bad-input"


def seed_demo(desk: PlanningDesk, *, at: float, by: str = "demo") -> StoredPlan | None:
    """The demo's planning, once: the example's ``history.csv`` imported, moved by whole
    weeks (weekdays kept) so that it ends before today on the hotline's clock, and this
    week's plan made and published — the planner, the agents' 我的排班 and adherence have
    a schedule from the first minute. Nothing when the site has no such file or already
    has history or plans."""
    source = desk.site.config.folder / "history.csv"
    if not source.is_file() or desk.store.history_summary()["rows"] or desk.store.plans(limit=1):
        return None
    rows = read_interval_csv(source)
    if not rows:
        return None
    today = desk.today(at)
    last = max(r.start.date() for r in rows)
    shift = datetime.timedelta(days=7 * ((today - datetime.timedelta(days=1) - last).days // 7))
    moved = [dataclasses.replace(r, start=r.start + shift) for r in rows]
    desk.store.import_history(moved, f"{source.name} (demo, moved {shift.days:+d} days)")
    quick = ForecastSettings(backtest_weeks=2)  # the demo's plan within its first minute
    plan = desk.make_plan(monday_of(today), by=by, at=at, time_limit=30.0, settings=quick)
    if not (plan.body.get("schedule") or {}).get("agents"):
        return plan
    return desk.publish(plan.id, by=by, at=at).record


def build_service(site: Site, db: Database, orders: Any) -> PlanningDesk:
    """The planning desk (the feature's service factory; every site has one — without
    ``wfm.yaml`` it forecasts and staffs, and says a schedule needs the rules)."""
    return PlanningDesk(site, db)


def trimmed(
    plan: StoredPlan, keep: Sequence[str] = ("week_start", "made", "notes")
) -> dict[str, Any]:
    """A plan's list entry: its header and week figures, not its arrays."""
    body = plan.body
    schedule = body.get("schedule") or {}
    return {
        "id": plan.id,
        "week_start": plan.week_start.isoformat(),
        "status": plan.status,
        "created_at": plan.created_at,
        "created_by": plan.created_by,
        "published_at": plan.published_at,
        "published_by": plan.published_by,
        "queues": sorted(body.get("forecast", {})),
        "calls": round(
            sum(sum(v or 0 for v in f["offered"]) for f in body.get("forecast", {}).values())
        ),
        "agents": len(schedule.get("agents", ())),
        "week": schedule.get("week"),
        "gap": schedule.get("gap"),
        **{k: body.get(k) for k in keep if k != "week_start"},
    }
