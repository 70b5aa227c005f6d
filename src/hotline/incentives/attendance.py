"""Attendance (出勤) for points, from the planning feature's published schedule and the
agents' states in the log — the same reading as the reports' 出勤率 and 遵守率
(`hotline.planning.service.PlanningDesk.adherence_period`, `hotline.wfm.adherence`).

A shift counts once it has ended, and only when its week's schedule was published before
the shift began (an agent cannot keep a schedule they have not seen). On time: logged in
within the adherence grace (60 s) of the shift's start; late: logged in later; absent:
never logged in during the shift. A shift belongs to the month of its local start.
"""

from __future__ import annotations

import datetime
from typing import Literal

from hotline.incentives.points import ShiftFact
from hotline.planning.service import NoRulesError, PlanningDesk, agent_weeks
from hotline.store.db.eventlog import EventLog
from hotline.wfm.adherence import PlannedShift, adherence, planned_from_week, timelines

__all__ = ["ScheduleAttendance"]

STATE_LIMIT = 20_000_000
"""State changes read at most for a month (the reports read as many)."""


class ScheduleAttendance:
    """`AttendanceSource` over the planning desk's published weeks."""

    def __init__(self, desk: PlanningDesk) -> None:
        self.desk = desk

    def shifts(
        self, first: datetime.date, last: datetime.date, now: float, *, agent: str | None = None
    ) -> list[ShiftFact] | None:
        """Every counted shift starting on local days `first`..`last` that ended by `now`
        (one agent's, if `agent`); None when no week of them is published or the site has
        no shift rules (``wfm.yaml``): attendance is then unknown, not zero."""
        desk = self.desk
        plans = desk.store.published_weeks(first, last)
        if not plans:
            return None
        try:
            config = desk.rules()
        except NoRulesError:
            return None
        zone = desk.zone
        lo = datetime.datetime.combine(first, datetime.time(), zone).timestamp()
        hi = datetime.datetime.combine(
            last + datetime.timedelta(days=1), datetime.time(), zone
        ).timestamp()
        ended: dict[tuple[str, float, float], tuple[int, PlannedShift]] = {}
        for plan in plans:
            since = max(lo, plan.published_at or lo)
            for s in planned_from_week(plan.week_start, zone, agent_weeks(plan), config.shifts):
                if since <= s.start < hi and s.end <= now and (agent is None or s.agent == agent):
                    ended[(s.agent, s.start, s.end)] = (plan.id, s)
        if not ended:
            return []
        stored = EventLog(desk.db).read(
            kinds=["agent.state_changed"],
            agent=agent,
            start=lo - 86400.0,  # the state an agent was in when the first shift began
            end=max(s.end for _, s in ended.values()),
            limit=STATE_LIMIT,
        )
        report = adherence([s for _, s in ended.values()], timelines(e.event for e in stored))
        out = []
        for r in report.shifts:
            plan_id, _ = ended[(r.shift.agent, r.shift.start, r.shift.end)]
            status: Literal["on_time", "late", "absent"]
            if r.late_login is None:
                status, late = "absent", 0.0
            elif r.late_login > 0:
                status, late = "late", r.late_login
            else:
                status, late = "on_time", 0.0
            shift = r.shift
            out.append(
                ShiftFact(shift.agent, plan_id, shift.name, shift.start, shift.end, status, late)
            )
        return out
