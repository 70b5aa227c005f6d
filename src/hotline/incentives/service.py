"""The incentives desk (激励积分): a month's leaderboard per team, an agent's item lines,
and a lead's grant of points by hand.

The rules are ``incentives.yaml`` beside hotline.yaml (`hotline.incentives.rules`), read
at each use, so an edited rule applies at once — to past months too: points are worked
out from the log each time, never stored. A month is the hotline's local month (the
site's time zone, ``hotline.yaml``'s ``timezone``): an event at 23:30 on the 30th of
November in Asia/Shanghai belongs to November, whatever UTC says.

Who may give points: a shift lead or the supervisor, never to their own 工号; a lead
whose own 工号 is in a team (班组) gives points only to that team's agents.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from hotline.core.errors import HotlineError
from hotline.core.events import Saved
from hotline.incentives.attendance import ScheduleAttendance
from hotline.incentives.points import (
    Facts,
    Member,
    ShiftFact,
    Standing,
    TeamBoard,
    items_of,
    leaderboard,
)
from hotline.incentives.rules import IncentiveRules, load_rules
from hotline.incentives.store import Grant, Grants, MonthLog, member, members
from hotline.planning.service import PlanningDesk
from hotline.site.config import Site
from hotline.store.db.database import Database

__all__ = [
    "AgentPoints",
    "BadMonthError",
    "Grant",
    "IncentiveDesk",
    "Month",
    "MonthBoard",
    "NoRulesError",
    "NotYourTeamError",
    "PointsOutOfRangeError",
    "SelfGrantError",
    "build_service",
]

RULES_FILE = "incentives.yaml"
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class NoRulesError(HotlineError):
    """The site has no ``incentives.yaml``: nothing earns points."""

    error_id = "no-incentive-rules"


class BadMonthError(HotlineError):
    error_id = "bad-month"


class NoSuchAgentError(HotlineError):
    error_id = "no-such-agent"


class SelfGrantError(HotlineError):
    """A lead tried to give points to their own 工号 (the API answers 403)."""

    error_id = "own-points"


class NotYourTeamError(HotlineError):
    """A team lead tried to give points outside their team (the API answers 403)."""

    error_id = "not-your-team"


class PointsOutOfRangeError(HotlineError):
    """A grant of 0 points, or of more than the rules' ``manual.limit`` (the API: 422)."""

    error_id = "points-out-of-range"


class AttendanceSource(Protocol):
    """Where attendance comes from (`hotline.incentives.attendance.ScheduleAttendance`)."""

    def shifts(
        self, first: datetime.date, last: datetime.date, now: float, *, agent: str | None = None
    ) -> list[ShiftFact] | None: ...


@dataclass(frozen=True, slots=True)
class Month:
    """A local month: ``2026-11``, its first and last day, and [start, end) in epoch
    seconds."""

    key: str
    first: datetime.date
    last: datetime.date
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class MonthBoard:
    """A month's leaderboard per team under the rules; `final` once the month is over (the
    awards are provisional until then); `attendance` whether attendance could be read."""

    month: Month
    rules: IncentiveRules
    teams: list[TeamBoard]
    final: bool
    attendance: bool

    def standing(self, agent: str) -> tuple[TeamBoard, Standing] | None:
        for team in self.teams:
            for s in team.standings:
                if s.member.agent == agent:
                    return team, s
        return None


@dataclass(frozen=True, slots=True)
class AgentPoints:
    """One agent's month: their standing (item lines included) and their team's board."""

    month: Month
    team: TeamBoard
    standing: Standing
    final: bool


class IncentiveDesk:
    """The hotline's points (blocking: call off the event loop)."""

    def __init__(self, site: Site, db: Database, attendance: AttendanceSource | None) -> None:
        self.site = site
        self.db = db
        self.grants = Grants(db)
        self.log = MonthLog(db)
        self.attendance = attendance

    @property
    def rules_file(self) -> Path:
        return self.site.config.folder / RULES_FILE

    def rules(self) -> IncentiveRules:
        """The site's rules; raises `NoRulesError` without the file, `ConfigError` for a
        wrong one (every problem with its line)."""
        if not self.rules_file.is_file():
            raise NoRulesError(f"{self.rules_file}: no point rules (incentives.yaml) on this site")
        return load_rules(self.rules_file)

    @property
    def zone(self) -> datetime.tzinfo:
        return self.site.hotline.timezone

    def month(self, key: str | None, now: float) -> Month:
        """The local month `key` (``YYYY-MM``), or the one `now` is in."""
        if key is None:
            today = datetime.datetime.fromtimestamp(now, self.zone).date()
            year, number = today.year, today.month
        else:
            found = MONTH.match(key)
            if found is None or not 1 <= int(found.group(2)) <= 12:
                raise BadMonthError(f"month {key!r} is not YYYY-MM", month=key)
            year, number = int(found.group(1)), int(found.group(2))
        first = datetime.date(year, number, 1)
        following = datetime.date(year + number // 12, number % 12 + 1, 1)
        return Month(
            f"{year:04d}-{number:02d}",
            first,
            following - datetime.timedelta(days=1),
            self._midnight(first),
            self._midnight(following),
        )

    def _midnight(self, day: datetime.date) -> float:
        return datetime.datetime.combine(day, datetime.time(), self.zone).timestamp()

    def facts(self, month: Month, now: float) -> tuple[Facts, bool]:
        """The month's facts up to `now`, and whether attendance could be read."""
        # up to `now` included: a grant made at this very instant counts
        read = self.log.facts(month.start, month.end, until=now)
        shifts = None
        if self.attendance is not None and month.start < now:
            shifts = self.attendance.shifts(month.first, month.last, now)
        return Facts(read.scored, read.surveys, read.cases, read.grants, shifts), shifts is not None

    def board(self, month: Month, now: float) -> MonthBoard:
        """Every team's leaderboard of `month` as of `now`."""
        rules = self.rules()
        facts, attendance = self.facts(month, now)
        teams = leaderboard(rules, members(self.db), items_of(rules, facts), facts.scored)
        return MonthBoard(month, rules, teams, month.end <= now, attendance)

    def of_agent(self, agent: str, month: Month, now: float) -> AgentPoints:
        """One agent's month: their item lines, rank and awards, and their team's board."""
        board = self.board(month, now)
        found = board.standing(agent)
        if found is None:
            raise NoSuchAgentError(f"no agent {agent}", agent=agent)
        team, standing = found
        return AgentPoints(month, team, standing, board.final)

    def team_of(self, agent: str | None) -> str | None:
        """The agent's team (班组) in the agents table, or None."""
        if not agent:
            return None
        found = member(self.db, agent)
        return found.team if found is not None else None

    def give(
        self,
        agent: str,
        points: int,
        reason: str,
        *,
        by: str,
        by_agent: str | None,
        own_team: str | None,
        at: float,
    ) -> Saved[Grant]:
        """手工积分: `by` (whose own 工号 is `by_agent`, held to team `own_team` when a
        team lead) gives `agent` `points` for `reason`. Refused: to oneself
        (`SelfGrantError`), outside the lead's team (`NotYourTeamError`), 0 or more than
        the rules' limit (`PointsOutOfRangeError`), an agent not in the agents table."""
        if by_agent is not None and agent == by_agent:
            raise SelfGrantError("nobody gives points to themselves", agent=agent)
        target: Member | None = member(self.db, agent)
        if target is None:
            raise NoSuchAgentError(f"no agent {agent}", agent=agent)
        if own_team is not None and target.team != own_team:
            raise NotYourTeamError(
                f"agent {agent} is not in your team {own_team}", agent=agent, team=own_team
            )
        limit = self.rules().manual_limit
        if points == 0 or abs(points) > limit:
            raise PointsOutOfRangeError(
                f"points must be between -{limit} and {limit}, not 0 (got {points})",
                points=points,
                limit=limit,
            )
        return self.grants.give(agent, points, reason, by=by, at=at)

    def given(self, month: Month, limit: int = 200) -> list[Grant]:
        """The month's grants, newest first."""
        return self.grants.recent(since=month.start, until=month.end, limit=limit)


def build_service(site: Site, db: Database, orders: object) -> IncentiveDesk:
    """The incentives desk on `db` (the feature's service factory; attendance from the
    planning feature's published schedule)."""
    return IncentiveDesk(site, db, ScheduleAttendance(PlanningDesk(site, db)))
