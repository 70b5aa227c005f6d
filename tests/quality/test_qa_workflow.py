"""录音质检's workflow through the API on a real runtime: dispute review (upheld and
overturned, the figures take the new score), claiming from the shared pool, a team lead
held to their own team, calibration (scores hidden until one's own is in, the spread
against hand computation, not the agent's score), the case library (shared per team, its
recording audited for an agent who did not take the call) and the QA report."""

from __future__ import annotations

import datetime
import statistics
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from hotline.api import create_app
from hotline.api.users import create_user
from hotline.live import LiveHotline
from hotline.live.recordings import Recordings
from hotline.quality.forms import load_forms
from hotline.quality.service import QualityDesk
from hotline.quality.store import Opening
from hotline.routing.events import ContactAnswered
from hotline.store.db.eventlog import EventLog
from hotline.store.db.repositories import Agents
from hotline.store.db.schema import CallRow
from tests.api.conftest import PASSWORD, advance, login, make_runtime

FORM = load_forms(Path(__file__).parents[2] / "examples" / "95598" / "qa.yaml").get("95598")


def best() -> dict[str, Any]:
    return {q.id: "yes" if q.kind == "yes_no" else q.steps for q in FORM.questions}


@pytest.fixture
def hotline(tmp_path: Path) -> Iterator[tuple[LiveHotline, TestClient]]:
    runtime = make_runtime(tmp_path)
    at = runtime.now() - 3600.0
    with EventLog(runtime.db).writer() as writer:
        writer.append(ContactAnswered(at, "c1", "query", "9001", 8.0, 3.0))
        writer.append(ContactAnswered(at + 60, "c2", "fault", "9002", 5.0, 2.0))
        writer.append(ContactAnswered(at + 120, "c3", "query", "9001", 5.0, 2.0))
    users = runtime.services.users
    create_user(users, "qa2", PASSWORD, "qa", display_name="质检二")
    create_user(users, "lead1", PASSWORD, "shift_lead", agent_id="9001", display_name="一班长")
    with TestClient(create_app(runtime, secret="test-secret")) as client:
        agents = Agents(runtime.db)  # after the start, which stores the roster's teams
        agents.upsert("9001", "张三", team="一班")
        agents.upsert("9002", "李四", team="二班")
        yield runtime, client


def desk(runtime: LiveHotline) -> QualityDesk:
    found = runtime.services.feature("qa", QualityDesk)
    assert found is not None
    return found


def scored(client: TestClient, call: str, answers: dict[str, Any], headers: Any) -> Any:
    opened = client.post("/api/qa/evaluations", json={"call": call}, headers=headers)
    assert opened.status_code == 201, opened.text
    done = client.post(
        f"/api/qa/evaluations/{opened.json()['id']}/score",
        json={"answers": answers},
        headers=headers,
    )
    assert done.status_code == 200, done.text
    return done.json()


def test_a_dispute_is_reviewed_by_another_and_the_figures_take_the_new_score(hotline) -> None:
    runtime, client = hotline
    qa, qa2, agent = login(client, "qa"), login(client, "qa2"), login(client, "9001")
    first = scored(client, "c1", best() | {"accuracy": "no"}, qa)  # 80 of 100
    assert first["score"] == 80.0
    url = f"/api/qa/evaluations/{first['id']}"
    review = {"verdict": "upheld", "note": "答复确有错误"}
    assert client.post(f"{url}/review", json=review, headers=qa2).status_code == 409  # not disputed
    client.post(
        f"{url}/dispute", json={"reason": "电价答复是对的"}, headers=agent
    ).raise_for_status()
    # the inspector who scored does not review their own; an agent never reviews
    assert client.post(f"{url}/review", json=review, headers=qa).status_code == 409
    assert client.post(f"{url}/review", json=review, headers=agent).status_code == 403
    # overturning needs the answers as they should have been, each question that applies
    bare = {"verdict": "overturned", "note": "复核：答复正确"}
    assert client.post(f"{url}/review", json=bare, headers=qa2).status_code == 409
    partial = {**bare, "answers": {"accuracy": "yes"}}
    refused = client.post(f"{url}/review", json=partial, headers=qa2)
    assert refused.status_code == 422
    overturned = client.post(f"{url}/review", json={**bare, "answers": best()}, headers=qa2)
    assert overturned.status_code == 200, overturned.text
    body = overturned.json()
    assert (body["status"], body["score"]) == ("reviewed", 100.0)
    assert body["review"] | {"at": None} == {
        "verdict": "overturned",
        "note": "复核：答复正确",
        "by": "qa2",
        "at": None,
        "score_before": 80.0,
    }
    assert client.post(f"{url}/review", json=review, headers=qa2).status_code == 409  # once

    # an upheld dispute keeps its score
    second = scored(client, "c3", best() | {"more_help": "no"}, qa)  # 96
    url2 = f"/api/qa/evaluations/{second['id']}"
    client.post(f"{url2}/dispute", json={"reason": "说了的"}, headers=agent).raise_for_status()
    upheld = client.post(f"{url2}/review", json=review, headers=login(client, "supervisor"))
    assert (upheld.json()["status"], upheld.json()["score"]) == ("reviewed", 96.0)

    logged = EventLog(runtime.db).read(kinds=["qa.dispute_reviewed"])
    assert [(e.event.verdict, e.event.score_before, e.event.score) for e in logged] == [
        ("overturned", 80.0, 100.0),
        ("upheld", 96.0, 96.0),
    ]
    advance(client, runtime, 60)
    final = desk(runtime).scores(0.0, runtime.now())
    assert sorted(s.score for s in final) == [96.0, 100.0]  # 80 was replaced


def test_sampled_work_is_claimed_once_and_scored_only_by_whom_it_is_dealt_to(hotline) -> None:
    runtime, client = hotline
    qa, qa2 = login(client, "qa"), login(client, "qa2")
    store = desk(runtime).store
    pooled = store.open("c1", "9001", "95598", 1, by="sampler", at=runtime.now())
    dealt = store.open(
        "c2", "9002", "95598", 1, by="sampler", at=runtime.now(), opening=Opening(inspector="qa2")
    )
    unassigned = client.get("/api/qa/evaluations?queue=unassigned", headers=qa).json()
    assert [e["id"] for e in unassigned["evaluations"]] == [pooled.id]
    mine = client.get("/api/qa/evaluations?queue=mine", headers=qa2).json()["evaluations"]
    assert [e["id"] for e in mine] == [dealt.id]
    # qa may not score qa2's
    url = f"/api/qa/evaluations/{dealt.id}/score"
    assert client.post(url, json={"answers": best()}, headers=qa).status_code == 409
    # the pool: the first claim wins
    claim = f"/api/qa/evaluations/{pooled.id}/claim"
    assert client.post(claim, headers=qa).json()["inspector"] == "qa"
    again = client.post(claim, headers=qa2)
    assert again.status_code == 409
    assert "is with qa" in again.json()["message"]


def test_a_team_lead_scores_only_their_own_team(hotline) -> None:
    _, client = hotline
    lead = login(client, "lead1")  # 工号 9001, team 一班
    other_team = client.post("/api/qa/evaluations", json={"call": "c2"}, headers=lead)
    assert other_team.status_code == 403
    assert "一班" in other_team.json()["message"]
    own = client.post("/api/qa/evaluations", json={"call": "c1"}, headers=lead)
    assert own.status_code == 201
    assert own.json()["team"] == "一班"
    # the list shows a lead only their team's evaluations
    login_qa = login(client, "qa")
    client.post("/api/qa/evaluations", json={"call": "c2"}, headers=login_qa).raise_for_status()
    listed = client.get("/api/qa/evaluations", headers=lead).json()["evaluations"]
    assert {e["agent"] for e in listed} == {"9001"}
    # the floor's shift lead (no 工号) scores any team
    floor = login(client, "lead")
    assert client.get("/api/qa/evaluations", headers=floor).json()["evaluations"]


def test_calibration_hides_the_others_until_ones_own_is_in_and_reports_the_spread(
    hotline,
) -> None:
    runtime, client = hotline
    qa, qa2, boss = login(client, "qa"), login(client, "qa2"), login(client, "supervisor")
    refused = client.post(
        "/api/qa/calibrations", json={"call": "c1", "inspectors": ["qa", "nobody"]}, headers=boss
    )
    assert refused.status_code == 409
    assert "nobody" in refused.json()["message"]
    made = client.post(
        "/api/qa/calibrations",
        json={"call": "c1", "inspectors": ["qa", "qa2", "supervisor"]},
        headers=boss,
    )
    assert made.status_code == 201, made.text
    session = made.json()
    copy = {e["inspector"]: e["id"] for e in session["evaluations"]}
    url = f"/api/qa/calibrations/{session['id']}"

    def score(who: str, answers: dict[str, Any], headers: Any) -> None:
        client.post(
            f"/api/qa/evaluations/{copy[who]}/score", json={"answers": answers}, headers=headers
        ).raise_for_status()

    score("qa", best(), qa)  # 100
    seen = client.get(url, headers=qa2).json()  # qa2 has not scored: sees nobody's
    assert seen["spread"] is None
    assert all(e["score"] is None for e in seen["evaluations"])
    score("qa2", best() | {"accuracy": "no"}, qa2)  # 80
    score("supervisor", best() | {"more_help": "no"}, boss)  # 96
    spread = client.get(url, headers=qa2).json()["spread"]
    assert spread["scores"] == {"qa": 100.0, "qa2": 80.0, "supervisor": 96.0}
    assert spread["range"] == 20.0
    assert spread["stdev"] == pytest.approx(round(statistics.pstdev([100, 80, 96]), 2))
    assert spread["disagreements"] == ["accuracy", "more_help"]
    assert spread["agreement"]["accuracy"] == pytest.approx(0.6667)
    # calibration is not the agent's score, nor a second evaluation of the call
    assert not EventLog(runtime.db).read(kinds=["qa.evaluation_scored"])
    assert len(EventLog(runtime.db).read(kinds=["qa.calibration_scored"])) == 3
    assert client.post("/api/qa/evaluations", json={"call": "c1"}, headers=qa).status_code == 201
    report = client.get("/api/qa/report?by=agent", headers=boss).json()
    assert [c["range"] for c in report["calibrations"]] == [20.0]


def test_a_case_is_shared_with_its_team_and_its_recording_is_audited(
    hotline, tmp_path: Path
) -> None:
    runtime, client = hotline
    qa = login(client, "qa")
    good = scored(client, "c1", best(), qa)
    refused = client.post(
        "/api/qa/cases",
        json={"evaluation": good["id"], "verdict": "best", "title": "好"},
        headers=qa,
    )
    assert refused.status_code == 422
    made = client.post(
        "/api/qa/cases",
        json={
            "evaluation": good["id"],
            "verdict": "good",
            "title": "停电咨询：主动告知复电时间",
            "comment": "开头语、核实身份、首问负责都到位",
            "teams": ["二班"],
        },
        headers=qa,
    )
    assert made.status_code == 201, made.text
    case = made.json()
    twice = client.post(
        "/api/qa/cases",
        json={"evaluation": good["id"], "verdict": "good", "title": "再来"},
        headers=qa,
    )
    assert twice.status_code == 409
    added = EventLog(runtime.db).read(kinds=["qa.case_added"])
    assert [(e.event.agent, e.event.verdict) for e in added] == [("9001", "good")]

    colleague, stranger = login(client, "9002"), login(client, "9001")  # 二班, 一班
    assert [c["id"] for c in client.get("/api/qa/cases", headers=colleague).json()["cases"]] == [
        case["id"]
    ]
    assert client.get("/api/qa/cases", headers=stranger).json()["cases"] == []
    url = f"/api/qa/cases/{case['id']}/recording"
    assert client.get(url, headers=stranger).status_code == 404  # not shared with 一班
    assert client.get(url, headers=colleague).status_code == 404  # no recording yet
    folder = tmp_path / "recordings"
    folder.mkdir()
    with wave.open(str(folder / "c1-9001.wav"), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(bytes(4 * 8000))
    runtime.recordings = Recordings(folder, lambda: {"9001", "9002"})
    played = client.get(url, headers=colleague)
    assert played.status_code == 200
    assert played.headers["content-type"] == "audio/wav"
    audit = runtime.services.audit.list(action="recording.play")
    assert [(a.username, a.subject_id, a.detail["case"]) for a in audit] == [
        ("9002", "c1", case["id"])
    ]


def test_the_report_averages_rates_and_trend_by_hand(hotline) -> None:
    runtime, client = hotline
    qa, agent = login(client, "qa"), login(client, "9001")
    a = scored(client, "c1", best(), qa)  # 9001: 100
    scored(client, "c3", best() | {"forbidden": "no"}, qa)  # 9001: fatal, 0
    scored(client, "c2", best() | {"accuracy": "no"}, qa)  # 9002: 80
    client.post(
        f"/api/qa/evaluations/{a['id']}/dispute", json={"reason": "复议"}, headers=agent
    ).raise_for_status()
    advance(client, runtime, 60)
    boss = login(client, "supervisor")
    by_agent = client.get("/api/qa/report?by=agent", headers=boss).json()
    rows = {r["key"]: r for r in by_agent["rows"]}
    assert rows["9001"]["evaluations"] == 2
    assert rows["9001"]["average"] == 50.0
    assert rows["9001"]["fatal_rate"] == 0.5
    assert rows["9001"]["dispute_rate"] == 0.5
    assert rows["9001"]["previous_average"] is None
    assert rows["9001"]["trend"] is None
    assert rows["9002"]["average"] == 80.0
    assert by_agent["total"]["evaluations"] == 3
    assert by_agent["total"]["average"] == pytest.approx(60.0)
    by_team = {
        r["key"]: r["average"]
        for r in client.get("/api/qa/report?by=team", headers=boss).json()["rows"]
    }
    assert by_team == {"一班": 50.0, "二班": 80.0}
    sections = client.get("/api/qa/report?by=section", headers=boss).json()["rows"]
    handling = next(r for r in sections if r["key"] == "handling")
    # 业务处理: 9002's accuracy no (20 of 59 lost) → 66.1; the others full
    assert handling["evaluations"] == 3
    assert handling["average"] == pytest.approx(round((100 + 100 + round(3900 / 59, 2)) / 3, 2))
    bad = client.get("/api/qa/report?from=2026-13-01", headers=boss)
    assert bad.status_code == 422
    assert client.get("/api/qa/report", headers=agent).status_code == 403


def yesterdays_calls(runtime: LiveHotline) -> datetime.date:
    """Yesterday's calls (hotline time) in the calls table: 9001 took s0–s5, 9002 s6–s10;
    s7 is a complaint, s2 had a 90 s hold."""
    zone = desk(runtime).site.hotline.timezone
    today = datetime.datetime.fromtimestamp(runtime.now(), zone).date()
    day = today - datetime.timedelta(days=1)
    noon = datetime.datetime.combine(day, datetime.time(12), zone).timestamp()
    rows = []
    for i in range(11):
        agent = "9001" if i < 6 else "9002"
        rows.append(
            {
                "call": f"s{i}",
                "agent": agent,
                "queue": "complaint" if i == 7 else "query",
                "answered_at": noon + 60 * i,
                "talk_s": 120.0,
                "hold_s": 90.0 if i == 2 else 0.0,
            }
        )
    with runtime.db.engine.begin() as c:
        c.execute(sa.insert(CallRow.__table__), rows)
    return day


def test_the_days_sample_is_dealt_to_inspectors_and_a_second_draw_adds_nothing(hotline) -> None:
    """Yesterday's calls (hotline time): 9001 took 6 calls, 9002 took 5, one of them a
    complaint and one with a 90 s hold. The policy (4 a week, complaints and holds over
    60 s always) picks at least the complaint and the hold; both inspectors get work,
    nobody over the cap; drawing the day again opens nothing new."""
    runtime, client = hotline
    day = yesterdays_calls(runtime)
    today = day + datetime.timedelta(days=1)
    boss, agent = login(client, "supervisor"), login(client, "9001")
    assert client.post("/api/qa/samples", json={}, headers=agent).status_code == 403
    future = (today + datetime.timedelta(days=1)).isoformat()
    assert client.post("/api/qa/samples", json={"day": future}, headers=boss).status_code == 422
    drawn = client.post("/api/qa/samples", json={"day": day.isoformat()}, headers=boss)
    assert drawn.status_code == 201, drawn.text
    result = drawn.json()
    assert result["opened"] == result["samples"] >= 2
    assert set(result["assigned"]) == {"qa", "qa2"}
    assert sum(result["assigned"].values()) + result["over_capacity"] == result["samples"]
    opened = desk(runtime).store.list(day=day.isoformat())
    by_call = {e.call: e for e in opened}
    assert "complaint" in by_call["s7"].reasons
    assert "long_hold" in by_call["s2"].reasons
    assert {e.team for e in opened} <= {"一班", "二班"}
    again = client.post("/api/qa/samples", json={"day": day.isoformat()}, headers=boss).json()
    assert again["opened"] == 0
    logged = EventLog(runtime.db).read(kinds=["qa.samples_drawn"])
    assert [e.event.samples for e in logged] == [result["samples"], 0]
    # an empty day is said so, not an error page
    empty = client.post("/api/qa/samples", json={"day": "2020-01-01"}, headers=boss)
    assert empty.status_code == 409
    assert "no answered calls" in empty.json()["message"]


def test_a_recording_deleted_while_the_day_is_drawn_is_not_sampled_and_the_rest_are_kept(
    hotline,
) -> None:
    """The demo keeps only the newest recordings, deleting older ones while calls go on;
    a draw lists the recordings, picks, and saves. A recording deleted between the listing
    and the save must not be sampled (the inspector would open a call with nothing to
    hear), and from the moment a call is picked its recording is kept."""
    runtime, _ = hotline
    day = yesterdays_calls(runtime)
    qa = desk(runtime)
    listings: list[set[str]] = []
    kept_while_drawing: dict[str, bool] = {}

    def recorded() -> set[str]:
        present = {f"s{i}" for i in range(11)}
        if listings:  # the second listing: s7 (the complaint) was deleted meanwhile
            present.discard("s7")
            kept_while_drawing.update({c: qa.needs_recording(c) for c in ("s2", "s7")})
        listings.append(present)
        return present

    saved = qa.draw(day, by="supervisor", at=runtime.now(), recorded=recorded)
    assert len(listings) == 2
    assert kept_while_drawing == {"s2": True, "s7": True}  # both picked: held while saved
    sampled = {e.call for e in saved.record}
    assert "s2" in sampled  # the long hold, still recorded
    assert "s7" not in sampled  # the complaint's recording went: nothing to listen to
    assert qa.needs_recording("s2")
    assert not qa.needs_recording("s7")


def test_a_recording_is_analysed_and_the_sheet_gets_figures_transcript_and_suggestions(
    hotline, tmp_path: Path
) -> None:
    """A 95 s conversation with 35 s of nobody talking in the middle, and the center's
    transcript beside it: the agent said 不知到 (a recognizer's homophone of 不知道) and
    the caller read out a mobile number. The analysis flags the silence, the number is
    redacted, the rules suggest 服务忌语 failed and the silence suggests the hold
    question was not kept; the day's sample takes the flagged call."""
    import json
    import random

    from hotline.sim.voices import RATE, SILENCE, Voices, write_wav

    runtime, client = hotline
    folder = tmp_path / "recordings"
    folder.mkdir()
    voices, rng = Voices(), random.Random(3)
    left1, right1 = voices.conversation(rng, 30.0)
    gap = bytes([SILENCE]) * (35 * RATE)
    left2, right2 = voices.conversation(rng, 30.0)
    path = folder / "c1-9001.wav"
    write_wav(path, left1 + gap + left2, right1 + gap + right2)
    transcript = [
        {
            "start": 0.2,
            "end": 3.0,
            "channel": "agent",
            "text": "您好，国家电网，请问有什么可以帮您？",
        },
        {
            "start": 3.5,
            "end": 8.0,
            "channel": "caller",
            "text": "我家停电了，电话一三八一二三四五六七八",
        },
        {"start": 8.5, "end": 12.0, "channel": "agent", "text": "这个我也不知到，您等等"},
    ]
    (folder / "c1-9001.transcript.json").write_text(json.dumps(transcript, ensure_ascii=False))
    runtime.recordings = Recordings(folder, lambda: {"9001", "9002"})
    qa = login(client, "qa")
    opened = client.post("/api/qa/evaluations", json={"call": "c1"}, headers=qa).json()
    url = f"/api/qa/evaluations/{opened['id']}/analysis"
    pending = client.get(url, headers=qa).json()
    assert pending["analysis"] is None
    assert [r["name"] for r in pending["recordings"]] == ["c1-9001.wav"]
    assert pending["envelope"]["seconds"] == pytest.approx(95.0, abs=0.1)

    done = desk(runtime).analyse("c1-9001.wav", "c1", "9001", path, at=runtime.now())
    assert done.error is None
    assert "long_silence" in done.flags
    view = client.get(url, headers=qa).json()
    figures = view["analysis"]
    assert figures["longest_silence_seconds"] == pytest.approx(35.0, abs=1.5)
    assert any(m["kind"] == "silence" and m["end"] - m["start"] > 30 for m in figures["moments"])
    said = " ".join(line["text"] for line in view["transcript"])
    assert "一三八" not in said
    assert "＊＊＊＊＊＊＊＊＊＊＊" in said
    assert [h["rule"] for h in view["hits"]["hits"] if h["kind"] == "forbidden"] == ["forbidden"]
    assert view["suggestions"]["forbidden"] == "no"
    assert view["suggestions"]["greeting"] == "yes"
    assert view["suggestions"]["hold"] == "no"  # speech.flag_answers: long_silence
    # an agent reads their own evaluation's analysis, not another's
    assert client.get(url, headers=login(client, "9002")).status_code == 403
    assert desk(runtime).store.flags_of(["c1", "c2"]) == {"c1": done.flags}


def test_the_demos_simulated_inspector_draws_scores_and_its_agents_dispute(hotline) -> None:
    """The demo's inspector (zhijian2) draws today's sample, scores what it was dealt
    (calibration copies too, as calibration), and simulated agents dispute some low
    scores; the human seats' scores are never disputed for them."""
    import datetime

    import sqlalchemy as sa

    from hotline.quality.jobs import DEMO_INSPECTOR, DemoInspector
    from hotline.store.db.schema import CallRow

    runtime, _ = hotline
    create_user(runtime.services.users, DEMO_INSPECTOR, PASSWORD, "qa", display_name="模拟")
    zone = desk(runtime).site.hotline.timezone
    today = datetime.datetime.fromtimestamp(runtime.now(), zone).date()
    start = datetime.datetime.combine(today, datetime.time(), zone).timestamp()
    rows = [
        {
            "call": f"d{i}",
            "agent": ("1001", "1002", "9001")[i % 3],
            "queue": "query",
            "answered_at": start + 60 * i,
            "talk_s": 100.0,
            "hold_s": 0.0,
        }
        for i in range(24)
    ]
    with runtime.db.engine.begin() as c:
        c.execute(sa.insert(CallRow.__table__), rows)
    session, _ = desk(runtime).calibrate(
        "c1", None, ["qa", DEMO_INSPECTOR], by="supervisor", at=runtime.now()
    )
    for call, agent in (("d0", "1001"), ("d1", "1002")):  # dealt to it by hand as well
        desk(runtime).store.open(
            call, agent, "95598", 1, by="test", at=runtime.now(),
            opening=Opening(inspector=DEMO_INSPECTOR),
        )  # fmt: skip
    job = DemoInspector(runtime, desk(runtime), seed=7)
    job.rng.random = lambda: 0.0  # type: ignore[method-assign]  # every chance taken
    events = []
    for _ in range(10):
        events += job._round()
    kinds = {e.kind for e in events}
    assert {"qa.samples_drawn", "qa.evaluation_scored", "qa.calibration_scored"} <= kinds
    mine = desk(runtime).store.list(inspector=DEMO_INSPECTOR, include_calibration=True)
    assert mine
    assert all(e.status != "open" for e in mine)
    disputed = [e for e in mine if e.status == "disputed"]
    assert disputed
    assert "9001" in runtime.human_seats
    assert all(e.agent != "9001" for e in disputed)
    assert all((e.score or 0.0) < 85.0 for e in disputed)
    assert [e.calibration for e in mine if e.calibration is not None] == [session.id]
