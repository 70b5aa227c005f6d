"""Attendance points from the published schedule and the agents' log-ins, read as the
reports read 出勤: a shift counts once it has ended and only if its week was published
before it began; on time within the grace (+1), late (0), absent (−5)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hotline.incentives.service import IncentiveDesk
from hotline.planning.service import PlanningDesk
from hotline.routing.events import AgentStateChanged
from hotline.routing.model import AgentState
from hotline.store.db.eventlog import EventLog
from hotline.store.db.repositories import Agents
from tests.api.conftest import make_runtime

ZONE = ZoneInfo("Asia/Shanghai")
MONDAY = datetime.date(2026, 11, 2)


def local(day: datetime.date, hour: int, minute: int = 0) -> float:
    return datetime.datetime.combine(day, datetime.time(hour, minute), ZONE).timestamp()


def am4(day: int) -> dict[str, Any]:
    """The example's 上午班 (09:00–13:00) on day `day` of the week, in half-hour slots."""
    return {"shift": "am4", "start": 48 * day + 18, "end": 48 * day + 26, "meal": None}


def change(at: float, agent: str, state: AgentState, previous: AgentState) -> AgentStateChanged:
    return AgentStateChanged(at, agent, state, previous)


def test_on_time_late_and_absent_shifts_earn_their_points(tmp_path: Path) -> None:
    runtime = make_runtime(tmp_path)
    Agents(runtime.db).upsert("9001", "张敏", team="查询组", human=True)
    Agents(runtime.db).upsert("9002", "李强", team="故障组", human=True)
    planning = runtime.services.feature("wfm", PlanningDesk)
    assert planning is not None
    rest: list[Any] = [None] * 5
    body = {
        "week_start": MONDAY.isoformat(),
        "schedule": {
            "agents": [
                {"agent": "9001", "days": [am4(0), am4(1), *rest]},
                {"agent": "9002", "days": [am4(0), None, am4(2), None, None, None, None]},
            ]
        },
    }
    draft = planning.store.save_draft(body, by="planner", at=local(MONDAY, 8))
    # published at 08:00 on Monday: every shift of the week began after it
    planning.store.publish(draft.id, by="planner", at=local(MONDAY, 8))
    tuesday = MONDAY + datetime.timedelta(days=1)
    out, ready = AgentState.LOGGED_OUT, AgentState.READY
    with EventLog(runtime.db).writer() as w:
        w.append(change(local(MONDAY, 8, 59), "9001", ready, out))  # on time
        w.append(change(local(MONDAY, 13, 5), "9001", out, ready))
        w.append(change(local(tuesday, 9, 10), "9001", ready, out))  # 10 minutes late
        w.append(change(local(tuesday, 13), "9001", out, ready))
        # 9002 never logs in on Monday: absent
    desk = runtime.services.feature("incentives", IncentiveDesk)
    assert desk is not None
    # Wednesday 12:00: 9002's Wednesday shift has not ended, it does not count yet
    now = local(MONDAY + datetime.timedelta(days=2), 12)
    board = desk.board(desk.month("2026-11", now), now)
    assert board.attendance
    lines = {
        s.member.agent: [(i.why["status"], i.points, i.why["late_s"]) for i in s.lines]
        for t in board.teams
        for s in t.standings
    }
    # 9001's late shift earns 0 points: no line; 9002's absence −5
    assert lines == {"9001": [("on_time", 1, 0.0)], "9002": [("absent", -5, 0.0)]}
    first = board.standing("9001")
    assert first is not None
    assert first[1].lines[0].ref == {"kind": "wfm.schedule", "plan": draft.id, "shift": "am4"}
    assert first[1].lines[0].at == local(MONDAY, 9)
    assert desk.attendance is not None
    shifts = desk.attendance.shifts(MONDAY, MONDAY + datetime.timedelta(days=6), now)
    assert shifts is not None
    assert sorted((f.agent, f.status, f.late_s) for f in shifts) == [
        ("9001", "late", 600.0),
        ("9001", "on_time", 0.0),
        ("9002", "absent", 0.0),
    ]


def test_without_a_published_week_attendance_is_unknown_not_zero(tmp_path: Path) -> None:
    runtime = make_runtime(tmp_path)
    desk = runtime.services.feature("incentives", IncentiveDesk)
    assert desk is not None
    now = local(MONDAY, 12)
    assert not desk.board(desk.month(None, now), now).attendance
