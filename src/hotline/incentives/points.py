"""A month's points, worked out: the facts read from the log become item lines (明细), the
lines become each agent's standing, the standings a leaderboard per team with its awards.

Pure: no I/O and no clock. An agent's points are the sum of their item lines, by
construction (`Standing.points` is computed from `lines`, never kept apart), and every
line names the log record it comes from, so an agent can see why they have what they
have. An average over no evaluations is None (the page shows "—").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from hotline.incentives.rules import Award, IncentiveRules

__all__ = [
    "CaseFact",
    "Facts",
    "GrantFact",
    "Item",
    "Member",
    "ScoredFact",
    "ShiftFact",
    "Standing",
    "SurveyFact",
    "TeamBoard",
    "items_of",
    "leaderboard",
    "members_of",
]

Source = Literal["qa", "satisfaction", "attendance", "case", "manual"]


@dataclass(frozen=True, slots=True)
class ScoredFact:
    """An evaluation scored (``qa.evaluation_scored``, log id `log_id`) with its latest
    score: a dispute overturned (``qa.dispute_reviewed``, log id `revised_by`) replaces
    the first score, `first_score`."""

    log_id: int
    at: float
    evaluation: int
    call: str
    agent: str
    score: float
    fatal: bool
    revised_by: int | None = None
    first_score: float | None = None


@dataclass(frozen=True, slots=True)
class SurveyFact:
    """A caller's survey score (``survey.scored``) of a call the agent answered."""

    log_id: int
    at: float
    call: str
    agent: str
    score: int


@dataclass(frozen=True, slots=True)
class CaseFact:
    """A call of the agent put into the case library (``qa.case_added``)."""

    log_id: int
    at: float
    case: int
    call: str
    agent: str
    verdict: str
    title: str


@dataclass(frozen=True, slots=True)
class GrantFact:
    """Points a lead gave by hand (``incentives.points_given``)."""

    log_id: int
    at: float
    grant: int
    agent: str
    points: int
    reason: str
    by: str


@dataclass(frozen=True, slots=True)
class ShiftFact:
    """A shift of the published schedule that has ended, and how the agent kept it:
    ``on_time``, ``late`` (`late_s` seconds past the grace) or ``absent``."""

    agent: str
    plan: int
    shift: str
    start: float
    end: float
    status: Literal["on_time", "late", "absent"]
    late_s: float = 0.0


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything of one month that can earn points."""

    scored: Sequence[ScoredFact] = ()
    surveys: Sequence[SurveyFact] = ()
    cases: Sequence[CaseFact] = ()
    grants: Sequence[GrantFact] = ()
    shifts: Sequence[ShiftFact] | None = None
    """None: attendance could not be read (no published schedule, no wfm.yaml)."""


@dataclass(frozen=True, slots=True)
class Item:
    """One line of an agent's points: when, from what (`source`), why (`why`: the facts
    the rule looked at), how many points, and the record it comes from (`ref`: the log
    record's kind and id, or the schedule's plan and shift)."""

    at: float
    agent: str
    source: Source
    points: int
    why: dict[str, Any]
    ref: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Member:
    """An agent of the agents table: 工号, name and team (None: 未分组)."""

    agent: str
    name: str
    team: str | None


@dataclass(frozen=True, slots=True)
class Standing:
    """An agent's month: their item lines, the evaluations' count and average score, the
    rank in their team (ties share a rank) and the awards won."""

    member: Member
    lines: tuple[Item, ...]
    evaluations: int
    qa_average: float | None
    rank: int = 0
    awards: tuple[str, ...] = ()

    @property
    def points(self) -> int:
        return sum(line.points for line in self.lines)


@dataclass(frozen=True, slots=True)
class TeamBoard:
    """One team's leaderboard, best first; `team` None is 未分组."""

    team: str | None
    standings: tuple[Standing, ...] = field(default=())


def items_of(rules: IncentiveRules, facts: Facts) -> list[Item]:
    """Every item line the month's facts earn under `rules`, oldest first; a fact that
    earns nothing (a score in no band, a survey score not listed, 0 points) makes no
    line."""
    out: list[Item] = []
    for s in facts.scored:
        found = rules.qa_points(s.score, s.fatal)
        if found is not None and found[0] != 0:
            why: dict[str, Any] = {"score": s.score, "band": found[1], "call": s.call}
            ref: dict[str, Any] = {
                "kind": "qa.evaluation_scored",
                "id": s.log_id,
                "evaluation": s.evaluation,
            }
            if s.revised_by is not None:
                why["first_score"] = s.first_score
                ref["revised_by"] = s.revised_by
            out.append(Item(s.at, s.agent, "qa", found[0], why, ref))
    for v in facts.surveys:
        points = rules.survey_points(v.score)
        if points:
            out.append(
                Item(
                    v.at,
                    v.agent,
                    "satisfaction",
                    points,
                    {"score": v.score, "call": v.call},
                    {"kind": "survey.scored", "id": v.log_id},
                )
            )
    if rules.attendance is not None and facts.shifts is not None:
        on_time, late, absent = rules.attendance
        by_status = {"on_time": on_time, "late": late, "absent": absent}
        for f in facts.shifts:
            points = by_status[f.status]
            if points:
                out.append(
                    Item(
                        f.start,
                        f.agent,
                        "attendance",
                        points,
                        {"status": f.status, "shift": f.shift, "late_s": f.late_s, "end": f.end},
                        {"kind": "wfm.schedule", "plan": f.plan, "shift": f.shift},
                    )
                )
    if rules.cases is not None:
        for c in facts.cases:
            points = rules.cases.get(c.verdict, 0)
            if points:
                out.append(
                    Item(
                        c.at,
                        c.agent,
                        "case",
                        points,
                        {"verdict": c.verdict, "title": c.title, "call": c.call},
                        {"kind": "qa.case_added", "id": c.log_id, "case": c.case},
                    )
                )
    for g in facts.grants:
        out.append(
            Item(
                g.at,
                g.agent,
                "manual",
                g.points,
                {"reason": g.reason, "by": g.by},
                {"kind": "incentives.points_given", "id": g.log_id, "grant": g.grant},
            )
        )
    out.sort(key=lambda i: (i.at, i.agent, i.source))
    return out


def _ranks(values: Sequence[tuple[str, float]]) -> dict[str, int]:
    """Competition ranks (1, 1, 3) of agents by value, highest first."""
    ordered = sorted(values, key=lambda v: (-v[1], v[0]))
    ranks: dict[str, int] = {}
    for place, (agent, value) in enumerate(ordered, start=1):
        if place > 1 and value == ordered[place - 2][1]:
            ranks[agent] = ranks[ordered[place - 2][0]]
        else:
            ranks[agent] = place
    return ranks


def _winners(award: Award, standings: Iterable[Standing]) -> set[str]:
    """Who in one team wins `award`: the first `top` places among those it allows (ties
    at the last place all win)."""
    measure: list[tuple[str, float]] = []
    for s in standings:
        if s.evaluations < award.min_evaluations:
            continue
        if award.by == "points":
            if s.points >= award.min_points:
                measure.append((s.member.agent, float(s.points)))
        elif s.qa_average is not None:
            measure.append((s.member.agent, s.qa_average))
    return {agent for agent, rank in _ranks(measure).items() if rank <= award.top}


def leaderboard(
    rules: IncentiveRules,
    members: Iterable[Member],
    items: Iterable[Item],
    scored: Iterable[ScoredFact],
) -> list[TeamBoard]:
    """Each team's leaderboard of the month: every member of the agents table (0 points
    when nothing happened) and anyone else with item lines or evaluations (未分组), ranked
    by points within the team; teams by name, 未分组 last."""
    known = {m.agent: m for m in members}
    lines: dict[str, list[Item]] = {}
    for item in items:
        lines.setdefault(item.agent, []).append(item)
    scores: dict[str, list[float]] = {}
    for s in scored:
        scores.setdefault(s.agent, []).append(s.score)
    for agent in (*lines, *scores):
        if agent not in known:
            known[agent] = Member(agent, agent, None)
    teams: dict[str | None, list[Standing]] = {}
    for agent, member in known.items():
        mine = scores.get(agent, [])
        teams.setdefault(member.team or None, []).append(
            Standing(
                member,
                tuple(lines.get(agent, ())),
                len(mine),
                sum(mine) / len(mine) if mine else None,
            )
        )
    boards = []
    for team in sorted(teams, key=lambda t: (t is None, t or "")):
        standings = teams[team]
        ranks = _ranks([(s.member.agent, float(s.points)) for s in standings])
        won = {a.id: _winners(a, standings) for a in rules.awards}
        ranked = [
            Standing(
                s.member,
                s.lines,
                s.evaluations,
                s.qa_average,
                ranks[s.member.agent],
                tuple(a.id for a in rules.awards if s.member.agent in won[a.id]),
            )
            for s in standings
        ]
        ranked.sort(key=lambda s: (s.rank, s.member.agent))
        boards.append(TeamBoard(team, tuple(ranked)))
    return boards


def members_of(rows: Iterable[tuple[str, str, str | None]]) -> list[Member]:
    """Members from (工号, name, team) rows; an empty team is 未分组."""
    return [Member(agent, name or agent, team or None) for agent, name, team in rows]
