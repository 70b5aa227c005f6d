"""The planning feature's job: the simulated agents work the published schedule.

In the demo (a simulated hotline) the agents the published week names log in, take
their meals and breaks and log out as it says — with people's small slips, drawn per
shift (`hotline.sim.population.Population.follow_roster`) — so that adherence, attendance
and the reports' 实际工作率 measure something real. The job looks every few wall seconds
for a published plan of this week or the last (a Sunday night shift runs into Monday);
when the roster changes (a plan published, a swap) the simulation follows the new one.
On real calls there is no simulation: people log in themselves, and the job is not run.
"""

from __future__ import annotations

import asyncio
import datetime
import json
from typing import Any

from hotline.planning.service import PlanningDesk, slot_time
from hotline.planning.store import StoredPlan
from hotline.sim.population import RosterShift
from hotline.wfm.shifts import WfmConfig

FOLLOW_EVERY = 10.0
"""Wall seconds between two looks at the published schedule."""


def roster_shifts(
    plans: list[StoredPlan], config: WfmConfig, zone: datetime.tzinfo
) -> list[RosterShift]:
    """Every shift of the plans as the simulator follows it: epoch spans, the meal, and the
    shift's break minutes as two breaks, a quarter and three quarters into the shift."""
    out = []
    for plan in plans:
        for week in (plan.body.get("schedule") or {}).get("agents", ()):
            for entry in week["days"]:
                if entry is None:
                    continue

                def at(slot: float, plan: StoredPlan = plan) -> float:
                    whole = int(slot)
                    return slot_time(plan.week_start, whole, zone) + (slot - whole) * 1800.0

                start, end = entry["start"], entry["end"]
                meal = (at(entry["meal"][0]), at(entry["meal"][1])) if entry.get("meal") else None
                shift = config.shifts.get(entry["shift"])
                minutes = shift.break_minutes if shift is not None else 0
                breaks: tuple[tuple[float, float], ...] = ()
                if minutes:
                    half = minutes * 30.0  # seconds of each of the two breaks
                    breaks = tuple(
                        (at(start + (end - start) * q), at(start + (end - start) * q) + half)
                        for q in (0.25, 0.75)
                    )
                out.append(RosterShift(week["agent"], at(start), at(end), meal, breaks))
    return out


class RosterFollower:
    name = "published-roster"
    every = FOLLOW_EVERY

    def __init__(self, runtime: Any, desk: PlanningDesk) -> None:
        self.runtime = runtime
        self.desk = desk
        self._applied: str | None = None

    def _read(self, today: datetime.date) -> tuple[str, list[RosterShift] | None]:
        """The published weeks' key and, only when it differs from the one applied, their
        shifts (the rules file is read then, not every round)."""
        monday = today - datetime.timedelta(days=today.weekday())
        plans = [
            p
            for p in (
                self.desk.week_of(monday - datetime.timedelta(days=7)),
                self.desk.week_of(monday),
            )
            if p
        ]
        if not plans:
            return "", []
        key = json.dumps([[p.id, p.body["schedule"]["agents"]] for p in plans], sort_keys=True)
        if key == self._applied:
            return key, None
        return key, roster_shifts(plans, self.desk.rules(), self.desk.zone)

    async def run_once(self) -> None:
        sim = self.runtime.sim
        if sim is None:
            return
        now = self.runtime.now()
        key, shifts = await asyncio.to_thread(self._read, self.desk.today(now))
        if key == self._applied or shifts is None:
            return
        sim.population.follow_roster(shifts)  # on the engine's thread (this loop)
        self._applied = key


def build_jobs(runtime: Any) -> list[RosterFollower]:
    """The feature's jobs (`hotline.features.Feature.jobs`): only a simulated hotline has
    agents to move."""
    desk = runtime.services.feature("wfm", PlanningDesk)
    if desk is None or runtime.sim is None or not desk.rules_file.is_file():
        return []
    return [RosterFollower(runtime, desk)]
