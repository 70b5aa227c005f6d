"""排班 through the API on a real runtime: the planner imports history, makes and
publishes a plan; the shift lead swaps shifts (the rules checked); agents read their own
shifts; the other roles read only."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hotline.api.users import create_user
from hotline.app import build_app
from hotline.live import LiveHotline
from hotline.planning.service import PlanningDesk
from hotline.store.db.eventlog import EventLog
from hotline.wfm.history import read_interval_csv, write_interval_csv
from tests.api.conftest import PASSWORD, login, make_runtime

HISTORY = Path(__file__).parents[2] / "examples" / "95598" / "history.csv"


def days(runtime: LiveHotline) -> tuple[datetime.date, datetime.date]:
    """The runtime's today (the demo's day is the wall clock's) and next week's Monday."""
    today = datetime.datetime.fromtimestamp(runtime.now(), runtime.hotline.timezone).date()
    return today, today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(days=7)


def on(week: datetime.date, offset: int) -> str:
    return (week + datetime.timedelta(days=offset)).isoformat()


def recent_history(path: Path, weeks: int, today: datetime.date) -> Path:
    """The example's last `weeks` weeks, moved by whole weeks to end before `today`."""
    rows = read_interval_csv(HISTORY)
    last = max(r.start.date() for r in rows)
    shift = datetime.timedelta(days=7 * ((today - datetime.timedelta(days=1) - last).days // 7))
    first = last - datetime.timedelta(days=7 * weeks - 1)
    kept = [dataclasses.replace(r, start=r.start + shift) for r in rows if r.start.date() >= first]
    write_interval_csv(kept, path)
    return path


@pytest.fixture(scope="module")
def planned(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[LiveHotline, TestClient, dict[str, Any]]]:
    """A runtime with three weeks of history uploaded and next week's plan made, both by
    the planner through the API (a draft: the one test that publishes makes its own)."""
    folder = tmp_path_factory.mktemp("wfm")
    runtime = make_runtime(folder)
    create_user(runtime.services.users, "planner", PASSWORD, "planner", display_name="排班员")
    with TestClient(build_app(runtime, secret="test-secret")) as client:
        planner = login(client, "planner")
        csv = recent_history(folder / "history.csv", 3, days(runtime)[0]).read_bytes()
        upload = client.post(
            "/api/wfm/history", files={"file": ("history.csv", csv, "text/csv")}, headers=planner
        )
        assert upload.status_code == 201, upload.text
        made = client.post(
            "/api/wfm/plans",
            json={"week": days(runtime)[1].isoformat(), "time_limit": 20},
            headers=planner,
        )
        assert made.status_code == 201, made.text
        yield runtime, client, made.json()


def desk(runtime: LiveHotline) -> PlanningDesk:
    found = runtime.services.feature("wfm", PlanningDesk)
    assert found is not None
    return found


def test_the_plan_has_a_forecast_a_requirement_and_a_roster_for_the_week(planned) -> None:
    runtime, client, plan = planned
    assert plan["week_start"] == on(days(runtime)[1], 0)
    assert plan["status"] == "draft"
    whole = client.get(f"/api/wfm/plans/{plan['id']}", headers=login(client, "supervisor")).json()
    body = whole["body"]
    queues = {"query", "fault", "complaint", "vip", "english"}
    assert queues <= set(body["forecast"])
    for queue in queues:
        forecast = body["forecast"][queue]
        assert len(forecast["offered"]) == 336
        assert min(forecast["offered"]) >= 0
        assert forecast["method"] in {
            a["method"] for a in forecast["accuracy"]
        }  # chosen by back-test
        staffing = body["staffing"][queue]
        # agents to schedule: the agents on the phones raised by the shrinkage, never fewer
        assert all(
            s >= p for s, p in zip(staffing["scheduled"], staffing["on_phones"], strict=True)
        )
    # an ordinary Wednesday's 10:00 needs more query agents than its 04:00
    query = body["staffing"]["query"]["scheduled"]
    assert query[2 * 48 + 20] > query[2 * 48 + 8]
    schedule = body["schedule"]
    assert len(schedule["agents"]) == len(desk(runtime).rules().agents)  # wfm.yaml's 123
    week = schedule["week"]
    assert week["required"] == sum(sum(v["scheduled"]) for v in body["staffing"].values())
    assert week["coverage"] == pytest.approx(1 - week["under"] / week["required"], abs=1e-4)
    assert 0 <= week["efficiency"] <= week["coverage"] <= 1
    assert schedule["gap"] is not None
    assert schedule["gap"] >= 0


def test_only_the_planner_changes_plans_and_agents_read_only_their_own(planned) -> None:
    runtime, client, plan = planned
    week = days(runtime)[1]
    for user in ("lead", "supervisor", "qa", "admin"):
        headers = login(client, user)
        assert client.get("/api/wfm", headers=headers).status_code == 200
        assert (
            client.post("/api/wfm/plans", json={"week": on(week, 0)}, headers=headers).status_code
            == 403
        )
        assert (
            client.post(f"/api/wfm/plans/{plan['id']}/publish", headers=headers).status_code == 403
        )
        special = {"first": on(week, 1), "factor": 1.5}
        assert client.post("/api/wfm/specials", json=special, headers=headers).status_code == 403
    agent = login(client, "9001")
    assert client.get("/api/wfm", headers=agent).status_code == 403
    assert client.get(f"/api/wfm/plans/{plan['id']}", headers=agent).status_code == 403
    assert client.get("/api/wfm/mine", headers=agent).status_code == 200


def test_a_bad_history_file_is_refused_whole_naming_the_line(planned) -> None:
    _, client, _ = planned
    planner = login(client, "planner")
    before = client.get("/api/wfm", headers=planner).json()["history"]["rows"]
    bad = "queue,interval_start,offered\nquery,2026-07-06 08:00,12\nquery,2026-07-06 08:10,3\n"
    answer = client.post(
        "/api/wfm/history", files={"file": ("bad.csv", bad, "text/csv")}, headers=planner
    )
    assert answer.status_code == 422
    assert answer.json()["field"] == "body.file"
    assert "bad.csv:3" in answer.json()["message"]
    assert "interval_start" in answer.json()["message"]
    assert client.get("/api/wfm", headers=planner).json()["history"]["rows"] == before


def test_special_days_are_checked_and_listed(planned) -> None:
    runtime, client, _ = planned
    week = days(runtime)[1]
    planner = login(client, "planner")
    wrong = {"first": on(week, 8), "factor": 1.5, "queue": "nope"}
    answer = client.post("/api/wfm/specials", json=wrong, headers=planner)
    assert answer.status_code == 422
    assert answer.json()["field"] == "body.queue"
    backwards = {"first": on(week, 8), "last": on(week, 7), "factor": 1.5}
    assert client.post("/api/wfm/specials", json=backwards, headers=planner).status_code == 422
    heat = {"first": on(week, 8), "last": on(week, 10), "factor": 1.5, "label": "高温"}
    assert client.post("/api/wfm/specials", json=heat, headers=planner).status_code == 201
    listed = client.get("/api/wfm", headers=planner).json()["specials"]
    assert (on(week, 8), on(week, 10), 1.5, "高温") in [
        (s["first"], s["last"], s["factor"], s["label"]) for s in listed
    ]


def test_publishing_shows_agents_their_week_and_swaps_keep_the_rules(planned) -> None:
    runtime, client, plan = planned
    week = days(runtime)[1]
    planner, lead, agent = login(client, "planner"), login(client, "lead"), login(client, "9001")
    assert (
        client.get(f"/api/wfm/mine?week={on(week, 2)}", headers=agent).json()["published"] is False
    )
    published = client.post(f"/api/wfm/plans/{plan['id']}/publish", headers=planner)
    assert published.status_code == 200, published.text
    assert published.json()["status"] == "published"
    again = client.post(f"/api/wfm/plans/{plan['id']}/publish", headers=planner)
    assert again.status_code == 409
    logged = EventLog(runtime.db).read(kinds=["wfm.schedule_published"])
    assert [(e.event.plan, e.event.week, e.event.by) for e in logged] == [
        (plan["id"], on(week, 0), "planner")
    ]

    mine = client.get(f"/api/wfm/mine?week={on(week, 2)}", headers=agent).json()
    assert mine["published"]
    assert mine["week_start"] == on(week, 0)
    assert len(mine["days"]) == 7
    body = client.get(f"/api/wfm/plans/{plan['id']}", headers=lead).json()["body"]
    weeks = {w["agent"]: w["days"] for w in body["schedule"]["agents"]}
    assert mine["days"] == weeks["9001"]

    # two agents of one team (same skills, pattern and contract): a day one works and the
    # other rests cannot be swapped alone (the day counts and hours would break)
    team = [str(n) for n in range(1021, 1036)]  # 15 query agents on 6d5s (wfm.yaml)
    one, other, index = next(
        (a, b, i)
        for a in team
        for b in team
        for i in range(7)
        if weeks[a][i] is not None and weeks[b][i] is None
    )
    day = (week + datetime.timedelta(days=index)).isoformat()
    refused = client.post(
        f"/api/wfm/plans/{plan['id']}/swap",
        json={"day": day, "first": one, "second": other},
        headers=lead,
    )
    assert refused.status_code == 409
    assert "每周上班" in refused.json()["message"]
    # the same shift on both sides is always allowed, and is a logged change
    same = next(
        (a, b, i)
        for a in team
        for b in team
        for i in range(7)
        if a != b and weeks[a][i] and weeks[b][i] and weeks[a][i]["shift"] == weeks[b][i]["shift"]
    )
    day = (week + datetime.timedelta(days=same[2])).isoformat()
    done = client.post(
        f"/api/wfm/plans/{plan['id']}/swap",
        json={"day": day, "first": same[0], "second": same[1]},
        headers=lead,
    )
    assert done.status_code == 200, done.text
    swapped = EventLog(runtime.db).read(kinds=["wfm.shift_swapped"])
    assert [(e.event.first, e.event.second, e.event.by) for e in swapped] == [
        (same[0], same[1], "lead")
    ]
    outside = client.post(
        f"/api/wfm/plans/{plan['id']}/swap",
        json={"day": on(week, 12), "first": one, "second": other},
        headers=lead,
    )
    assert outside.status_code == 422
    assert outside.json()["field"] == "body.day"


def test_the_twin_checks_a_day_of_the_roster_on_the_routing_engine(planned) -> None:
    runtime, client, plan = planned
    week = days(runtime)[1]
    planner = login(client, "planner")
    outside = client.post(
        f"/api/wfm/plans/{plan['id']}/twin", json={"day": on(week, 14)}, headers=planner
    )
    assert outside.status_code == 422
    assert outside.json()["field"] == "body.day"
    lead = login(client, "lead")
    assert (
        client.post(
            f"/api/wfm/plans/{plan['id']}/twin", json={"day": on(week, 2)}, headers=lead
        ).status_code
        == 403
    )
    answer = client.post(
        f"/api/wfm/plans/{plan['id']}/twin",
        json={"day": on(week, 2), "replications": 2, "rounds": 1},
        headers=planner,
    )
    assert answer.status_code == 200, answer.text
    twin = answer.json()["body"]["twin"]["2"]  # Wednesday
    assert twin["date"] == on(week, 2)
    assert twin["rounds"] <= 1
    forecast = answer.json()["body"]["forecast"]
    for queue, q in twin["queues"].items():
        assert len(q["before"]) == len(q["after"]) == len(q["formula"]) == 48
        wednesday = forecast[queue]["offered"][2 * 48 : 3 * 48]
        assert q["calls"] == pytest.approx([round(v, 1) for v in wednesday], abs=0.051)
        assert all(v is None or 0 <= v <= 1 for v in q["before"] + q["after"])
    # a multi-skill agent is one pool member: the groups' agents on duty never exceed the
    # roster's agents working that day
    on_duty = max(sum(g["agents"][t] for g in twin["groups"]) for t in range(48))
    assert 0 < on_duty <= len(desk(runtime).rules().agents)
    for raise_ in twin["raises"]:
        assert raise_["total"] == sum(raise_["added"]) > 0


def test_adherence_names_who_is_scheduled_now_and_not_logged_in(planned) -> None:
    runtime, client, _ = planned
    found = desk(runtime)
    now = runtime.now()
    today, _ = days(runtime)
    this_week = today - datetime.timedelta(days=today.weekday())
    from hotline.wfm.forecast import ForecastSettings

    quick = ForecastSettings(methods=("last_week", "same_type_mean"), backtest_weeks=1)
    made = found.make_plan(this_week, by="planner", at=now, time_limit=10, settings=quick)
    found.publish(made.id, by="planner", at=now)
    answer = client.get(f"/api/wfm/adherence?day={today}", headers=login(client, "supervisor"))
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["published"]
    # the test hotline simulates no agents: everyone whose shift (meal aside) covers now is out
    expected = set()
    start = datetime.datetime.combine(
        this_week, datetime.time(), runtime.hotline.timezone
    ).timestamp()
    for week in found.store.get(made.id).body["schedule"]["agents"]:
        for entry in week["days"]:
            if entry is None:
                continue
            at = lambda slot: start + slot * 1800.0  # noqa: E731 (no DST in Asia/Shanghai)
            meal = entry["meal"] or (0, 0)
            if at(entry["start"]) <= now < at(entry["end"]) and not at(meal[0]) <= now < at(
                meal[1]
            ):
                expected.add(week["agent"])
    assert expected, "the check needs someone on shift now"
    # the handover's shifts are the published week's now (a 中班 ends at 24:00)
    sheet = client.get("/api/handover/draft", headers=login(client, "lead"))
    assert sheet.status_code == 200, sheet.text
    titles = {s.title for s in found.rules().shifts.values()}
    assert sheet.json()["shift"]["label"] in titles
    assert {o["agent"] for o in data["out_now"]} == expected
    assert data["attendance"]["present"] == 0


def test_the_reports_show_adherence_of_the_published_week(planned) -> None:
    """Last week published; one agent worked Monday's shift 10 minutes late with the meal
    taken on time, everyone else on Monday was absent: the daily report and the agent's
    scorecard show it, computed by hand."""
    from hotline.planning.service import slot_time
    from hotline.routing.events import AgentStateChanged
    from hotline.routing.model import AgentState as S
    from hotline.store.db.repositories import Agents
    from hotline.wfm.forecast import ForecastSettings

    runtime, client, _ = planned
    found = desk(runtime)
    today, _ = days(runtime)
    monday = today - datetime.timedelta(days=today.weekday() + 7)
    quick = ForecastSettings(methods=("last_week", "same_type_mean"), backtest_weeks=1)
    made = found.make_plan(monday, by="planner", at=runtime.now(), time_limit=10, settings=quick)
    zone = runtime.hotline.timezone
    # published the Friday before the week (shifts begun before publishing do not count)
    found.publish(made.id, by="planner", at=slot_time(monday, 0, zone) - 3 * 86400.0)
    worked = [
        (w["agent"], w["days"][0])
        for w in found.store.get(made.id).body["schedule"]["agents"]
        if w["days"][0] and w["days"][0]["meal"]
    ]
    agent, shift = worked[0]
    start, end = slot_time(monday, shift["start"], zone), slot_time(monday, shift["end"], zone)
    meal = [slot_time(monday, slot, zone) for slot in shift["meal"]]
    steps = [
        (start + 600, S.READY, S.LOGGED_OUT),
        (meal[0], S.LOGGED_OUT, S.READY),
        (meal[1], S.READY, S.LOGGED_OUT),
        (end, S.LOGGED_OUT, S.READY),
    ]

    async def log_in_and_out() -> None:  # on the app's loop, as the live engine writes
        for when, state, previous in steps:
            runtime.bus.publish(AgentStateChanged(when, agent, state, previous))
        await runtime.commit()

    client.portal.call(log_in_and_out)  # type: ignore[union-attr]
    Agents(runtime.db).upsert(agent, "排班测试")  # in the roster, as the demo's agents are
    mondays = sum(1 for w in found.store.get(made.id).body["schedule"]["agents"] if w["days"][0])
    expected = 1 - 600 / (end - start)

    period = found.adherence_period(monday, monday, runtime.now())
    assert period is not None
    assert period.total.shifts == mondays
    assert period.total.attendance.present == 1
    assert period.total.late == 1
    assert period.total.late_seconds == 600
    assert period.total.absent == mondays - 1
    mine = next(a for a in period.agents if a.agent == agent)
    assert mine.adherence == pytest.approx(expected)
    # the others were logged out all day: in adherence only in their meals (resting)
    others = [
        w["days"][0]
        for w in found.store.get(made.id).body["schedule"]["agents"]
        if w["days"][0] and w["agent"] != agent
    ]
    meals = sum(1800.0 * (d["meal"][1] - d["meal"][0]) for d in others if d["meal"])
    scheduled = sum(1800.0 * (d["end"] - d["start"]) for d in others) + end - start
    assert period.total.scheduled == pytest.approx(scheduled)
    assert period.total.adherence == pytest.approx((end - start - 600 + meals) / scheduled)

    page = client.get(f"/reports/daily?date={monday}", headers=login(client, "supervisor"))
    assert page.status_code == 200, page.text[:3000]
    assert "排班遵守与出勤" in page.text
    assert f"{100 / mondays:.1f}%" in page.text  # 出勤率: 1 of the day's shifts
    card = client.get(
        f"/reports/agent/{agent}?from={monday}&to={monday}", headers=login(client, "supervisor")
    )
    assert card.status_code == 200
    assert f"{100 * expected:.1f}%" in card.text
    # a day without a published week has no such section
    before = monday - datetime.timedelta(days=7)
    other = client.get(f"/reports/daily?date={before}", headers=login(client, "supervisor"))
    assert "排班遵守与出勤" not in other.text


def test_erlang_a_uses_the_patience_the_log_measured(tmp_path: Path) -> None:
    """40 complaint callers abandoned after 60 s and 40 were answered after 30 s in the
    last days: the complaint queue is staffed with patience (40×60 + 40×30) / 40 = 90 s;
    the queues without 30 abandons keep wfm.yaml's 150 s."""
    from hotline.routing.events import ContactAbandoned, ContactAnswered
    from hotline.wfm.forecast import ForecastSettings

    runtime = make_runtime(tmp_path)
    found = desk(runtime)
    today, next_monday = days(runtime)
    found.import_history(recent_history(tmp_path / "h.csv", 3, today), source="test")
    at = runtime.now() - 86400.0
    with EventLog(runtime.db).writer() as writer:
        for i in range(40):
            writer.append(ContactAbandoned(at + i, f"x{i}", "complaint", 60.0))
            writer.append(ContactAnswered(at + i, f"y{i}", "complaint", "1001", 30.0, 5.0))
    quick = ForecastSettings(methods=("last_week",), backtest_weeks=1)
    plan = found.make_plan(
        next_monday, by="planner", at=runtime.now(), schedule=False, settings=quick
    )
    staffing = plan.body["staffing"]
    assert staffing["complaint"]["patience"] == pytest.approx(90.0)
    assert staffing["complaint"]["patience_measured"] == {"waits": 80, "abandons": 40, "mean": 90.0}
    assert staffing["query"]["patience"] == 150.0
    assert staffing["query"]["patience_measured"] is None


def test_re_planning_adds_the_twins_raises_to_the_requirement(planned) -> None:
    """A twin check that added 3 complaint agents on the phones at Wednesday 10:00–11:00:
    the re-planned draft needs ⌈3 / (1 − shrinkage)⌉ more agents to schedule there,
    nothing more elsewhere, and has its own roster; only the planner re-plans."""
    import math

    from hotline.planning.service import shrinkage_total
    from hotline.wfm.forecast import ForecastSettings

    runtime, client, _ = planned
    found = desk(runtime)
    week = days(runtime)[1] + datetime.timedelta(days=14)
    quick = ForecastSettings(methods=("last_week",), backtest_weeks=1)
    plan = found.make_plan(week, by="planner", at=runtime.now(), time_limit=10, settings=quick)
    planner = login(client, "planner")
    nothing = client.post(f"/api/wfm/plans/{plan.id}/replan", json={}, headers=planner)
    assert nothing.status_code == 409
    added = [0] * 48
    added[20] = added[21] = 3
    found.store.save_twin(
        plan.id, 2, {"raises": [{"group": "complaint:complaint+query", "added": added, "total": 6}]}
    )
    lead = client.post(f"/api/wfm/plans/{plan.id}/replan", json={}, headers=login(client, "lead"))
    assert lead.status_code == 403
    answer = client.post(
        f"/api/wfm/plans/{plan.id}/replan", json={"time_limit": 10}, headers=planner
    )
    assert answer.status_code == 201, answer.text
    new = found.store.get(answer.json()["id"])
    assert new.status == "draft"
    assert new.week_start == week
    gross = math.ceil(3 / (1 - shrinkage_total(found.rules().staffing)))
    for queue, staffing in new.body["staffing"].items():
        before = plan.body["staffing"][queue]["scheduled"]
        expected = list(before)
        if queue == "complaint":
            expected[2 * 48 + 20] += gross
            expected[2 * 48 + 21] += gross
        assert staffing["scheduled"] == expected
    assert new.body["replanned_from"] == {"plan": plan.id, "days": [2], "added": 2 * gross}
    assert new.body["twin"] == {}
    assert new.body["schedule"]["week"]["required"] == (
        plan.body["schedule"]["week"]["required"] + 2 * gross
    )
