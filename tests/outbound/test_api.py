"""外呼 through the API on a real runtime (the example hotline, a quiet test day, a paused
clock, SQLite in tmp): the standing campaigns of outbound.yaml, importing a list (the good
rows kept, a bad row reported, a duplicate kept once; a bad file refused with nothing
stored), who may do what, start/pause/stop and what the state allows, the campaign's calls
once the engine reaches its customers' calling window, and a site without outbound."""

from __future__ import annotations

import datetime
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hotline.api import create_app
from hotline.live import LiveHotline
from hotline.outbound.campaign import Result
from hotline.outbound.service import OutboundDesk
from tests.api.conftest import SCENARIO, advance, login, make_runtime

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "95598"
STANDING = {
    "callbacks": "24小时回呼",
    "return_visits": "工单回访",
    "bill_notice": "电费通知",
    "arrears_reminder": "欠费催交",
}
GOOD = ["13912345678", "13912345679", "021-61234567"]
LIST = (
    "电话,姓名,客户类别,重要客户,金额\n"
    f"{GOOD[0]},张三,居民,否,88.50\n"
    f"{GOOD[1]},李四,居民,是,120\n"
    "12345,王五,居民,否,30\n"  # row 4: not a number anyone can call
    f"{GOOD[0]},张三,居民,否,88.50\n"  # row 5: the same customer again
    f"{GOOD[2]},上海某公司,居民,否,500\n"
).encode()


@pytest.fixture
def hotline(tmp_path: Path) -> Iterator[tuple[LiveHotline, TestClient]]:
    runtime = make_runtime(tmp_path)
    with TestClient(create_app(runtime, secret="test-secret")) as client:
        yield runtime, client


def desk(runtime: LiveHotline) -> OutboundDesk:
    found = runtime.services.feature("outbound", OutboundDesk)
    assert found is not None
    return found


def campaigns(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    """The campaigns by id, once the feed (a job started with the app) has put the
    standing ones on the dialer."""
    deadline = time.monotonic() + 20
    while True:
        response = client.get("/api/outbound/campaigns", headers=headers)
        assert response.status_code == 200, response.text
        found = {c["id"]: c for c in response.json()["campaigns"]}
        if set(STANDING) <= set(found) or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def upload(
    client: TestClient,
    headers: dict[str, str],
    data: bytes = LIST,
    *,
    file: str = "回访名单.csv",
    **form: str,
) -> Any:
    fields = {"name": "电费回访", "prompt": "notice_bill", "pacing": "progressive"} | form
    fields = {k: v for k, v in fields.items() if v != ""}
    return client.post(
        "/api/outbound/campaigns",
        headers=headers,
        data=fields,
        files={"file": (file, data, "text/csv")},
    )


def test_the_campaigns_list_shows_the_standing_ones(hotline) -> None:
    _, client = hotline
    lead = login(client, "lead")
    found = campaigns(client, lead)
    assert {k: found[k]["name"] for k in STANDING} == STANDING
    callbacks = found["callbacks"]
    assert callbacks["kind"] == "callbacks"
    assert callbacks["standing"] is True
    assert callbacks["state"] == "running"
    assert (callbacks["queue"], callbacks["queue_title"]) == ("outbound", "外呼组")
    assert callbacks["pacing"] == "predictive"
    assert callbacks["drop_cap"] == 0.03
    bill = found["bill_notice"]
    assert (bill["queue"], bill["prompt"]) == (None, "notice_bill")
    assert bill["prompt_text"].startswith("您好！国网XX供电公司95598服务热线为您提供电费通知服务")
    progress = callbacks["progress"]
    assert progress["calls"] == 0
    # nothing answered yet: no rate rather than 0 %
    assert (progress["answer_rate"], progress["drop_rate"], progress["window_drop_rate"]) == (
        None,
        None,
        None,
    )
    # the supervisor runs them too; the administrator reads the counts
    for user in ("supervisor", "admin"):
        response = client.get("/api/outbound/campaigns", headers=login(client, user))
        assert response.status_code == 200, response.text


def test_the_options_name_the_queues_prompts_and_pacings_in_both_languages(hotline) -> None:
    _, client = hotline
    options = client.get("/api/outbound/options", headers=login(client, "supervisor")).json()
    queues = {q["name"]: q for q in options["queues"]}
    assert queues["outbound"] == {"name": "outbound", "title": "外呼组", "outbound": True}
    assert queues["fault"]["outbound"] is False
    notices = [p["name"] for p in options["prompts"] if p["notice"]]
    assert {"notice_bill", "notice_arrears", "notice_outage"} <= set(notices)
    assert options["prompts"][0]["notice"]  # the hotline's own prompts first
    assert options["pacings"] == [
        {"name": "preview", "zh": "预览式", "en": "Preview"},
        {"name": "progressive", "zh": "渐进式", "en": "Progressive"},
        {"name": "adaptive", "zh": "自适应", "en": "Adaptive"},
        {"name": "predictive", "zh": "预测式", "en": "Predictive"},
    ]
    assert options["pacing"] == "progressive"


def test_an_import_keeps_the_good_rows_reports_the_bad_one_and_a_duplicate_once(
    hotline,
) -> None:
    runtime, client = hotline
    lead = login(client, "lead")
    before = len(campaigns(client, lead))
    response = upload(client, lead)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["accepted"], body["skipped_rows"], body["duplicates"]) == (3, 1, 1)
    assert body["file"] == "回访名单.csv"
    [problem] = body["problems"]
    assert (problem["file"], problem["row"], problem["column"]) == ("回访名单.csv", 4, "电话")
    assert "不是电话号码" in problem["reason"]
    campaign = body["campaign"]
    assert campaign["name"] == "电费回访"
    assert (campaign["kind"], campaign["standing"], campaign["state"]) == (
        "imported",
        False,
        "new",
    )
    assert campaign["progress"]["entries"] == campaign["progress"]["pending"] == 3
    # on the dialer and in the database
    listed = campaigns(client, lead)
    assert len(listed) == before + 1
    assert listed[campaign["id"]]["state"] == "new"
    stored = {s.spec.id: s for s in desk(runtime).stored()}
    assert [e.number for e in stored[campaign["id"]].entries] == [
        GOOD[0],
        GOOD[1],
        "02161234567",
    ]
    entries = client.get(f"/api/outbound/campaigns/{campaign['id']}/entries", headers=lead)
    assert entries.status_code == 200, entries.text
    rows = entries.json()["entries"]
    assert [(e["number"], e["name"], e["important"]) for e in rows] == [
        ("139****5678", "张三", False),
        ("139****5679", "李四", True),
        ("021****4567", "上海某公司", False),
    ]
    assert all(e["state"] == "pending" and e["tries"] == 0 for e in rows)
    [audited] = runtime.services.audit.list(action="outbound.campaign_created")
    assert audited.username == "lead"
    assert audited.detail["accepted"] == 3


@pytest.mark.parametrize(
    ("data", "file", "form", "field", "says"),
    [
        (b"", "empty.csv", {}, "body.file", "empty.csv"),
        ("姓名,金额\n张三,1\n".encode(), "no_phone.csv", {}, "body.file", "没有电话列"),
        ("电话\n12345\n1\n".encode(), "all_bad.csv", {}, "body.file", "没有可拨打的号码"),
        (LIST, "a.csv", {"prompt": "", "queue": "nope"}, "body.queue", "nope"),
        (LIST, "a.csv", {"prompt": "no_such_prompt"}, "body.prompt", "no_such_prompt"),
        (LIST, "a.csv", {"queue": "outbound"}, "body.queue", "二者选一"),
        (LIST, "a.csv", {"prompt": ""}, "body.queue", "二者选一"),
        (LIST, "a.csv", {"pacing": "fastest"}, "body.pacing", "pacing"),
        (LIST, "a.csv", {"name": "   "}, "body.name", "名称"),
    ],
)
def test_a_bad_import_is_refused_naming_the_field_and_nothing_is_stored(
    hotline, data: bytes, file: str, form: dict[str, str], field: str, says: str
) -> None:
    runtime, client = hotline
    lead = login(client, "lead")
    before = campaigns(client, lead)
    stored = len(desk(runtime).stored())
    response = upload(client, lead, data, file=file, **form)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert says in response.json()["message"]
    assert campaigns(client, lead).keys() == before.keys()
    assert len(desk(runtime).stored()) == stored
    assert runtime.services.audit.list(action="outbound.campaign_created") == []


def test_an_agent_and_qa_are_refused_and_the_administrator_only_reads(hotline) -> None:
    _, client = hotline
    for user in ("9001", "qa"):
        headers = login(client, user)
        assert client.get("/api/outbound/campaigns", headers=headers).status_code == 403
        assert client.get("/api/outbound/options", headers=headers).status_code == 403
        assert upload(client, headers).status_code == 403
        assert (
            client.post("/api/outbound/campaigns/callbacks/pause", headers=headers).status_code
            == 403
        )
    admin = login(client, "admin")
    assert upload(client, admin).status_code == 403
    assert client.post("/api/outbound/campaigns/callbacks/pause", headers=admin).status_code == 403
    assert client.get("/api/outbound/campaigns/callbacks/entries", headers=admin).status_code == 403


def test_start_pause_and_stop_as_the_state_allows(hotline) -> None:
    runtime, client = hotline
    lead = login(client, "lead")
    campaigns(client, lead)
    created = upload(client, lead).json()["campaign"]["id"]

    def post(action: str, campaign: str = created) -> Any:
        return client.post(f"/api/outbound/campaigns/{campaign}/{action}", headers=lead)

    refused = post("pause")  # not started yet
    assert refused.status_code == 409, refused.text
    assert "未开始" in refused.json()["message"]
    assert post("start").json()["state"] == "running"
    assert post("start").json()["state"] == "running"  # asked twice: nothing changes
    assert post("pause").json()["state"] == "paused"
    assert post("start").json()["state"] == "running"
    assert post("stop").json()["state"] == "stopped"
    for action in ("start", "pause"):
        refused = post(action)
        assert refused.status_code == 409, refused.text
        assert "已停止" in refused.json()["message"]
    # a standing campaign is paused and started again, never stopped
    assert post("pause", "callbacks").json()["state"] == "paused"
    refused = post("stop", "callbacks")
    assert refused.status_code == 409
    assert "常设任务" in refused.json()["message"]
    assert post("start", "callbacks").json()["state"] == "running"
    assert post("start", "no_such_campaign").status_code == 404
    actions = [row.action for row in runtime.services.audit.list(username="lead")]
    assert actions.count("outbound.campaign_started") == 3  # twice the new one, once callbacks
    assert actions.count("outbound.campaign_paused") == 2
    assert actions.count("outbound.campaign_stopped") == 1


def _until(client: TestClient, runtime: LiveHotline, clock: str) -> float:
    """Engine seconds from now to `clock` (HH:MM local) on the engine's day."""
    epoch = client.get("/api/outbound/campaigns", headers=login(client, "lead")).json()["now"]
    now = datetime.datetime.fromtimestamp(epoch, runtime.hotline.timezone)
    at = datetime.datetime.combine(now.date(), datetime.time.fromisoformat(clock), now.tzinfo)
    return (at - now).total_seconds()


def test_a_started_campaign_calls_its_customers_in_their_window(hotline) -> None:
    runtime, client = hotline
    lead = login(client, "lead")
    campaigns(client, lead)
    created = upload(client, lead).json()["campaign"]["id"]
    client.post(f"/api/outbound/campaigns/{created}/start", headers=lead)
    # residents are called after work (outbound.yaml: 18:00–21:00); the test day starts 08:00
    advance(client, runtime, _until(client, runtime, "17:59"))
    assert campaigns(client, lead)[created]["progress"]["calls"] == 0
    advance(client, runtime, 10 * 60)
    campaign = campaigns(client, lead)[created]
    progress = campaign["progress"]
    assert progress["calls"] >= 3
    assert progress["answered"] >= 1
    assert 0.0 <= progress["answer_rate"] <= 1.0
    assert progress["drop_rate"] == 0.0  # a notice has no agent to wait for
    entries = client.get(
        f"/api/outbound/campaigns/{created}/entries?state=closed", headers=lead
    ).json()
    assert entries["total"] >= 1
    assert {e["result"] for e in entries["entries"]} <= {r.value for r in Result}
    assert all(e["tries"] >= 1 and e["next_due"] is None for e in entries["entries"])


def test_a_site_without_outbound_answers_409_not_500(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("outbound.yaml", "scenarios"))
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(
        SCENARIO.read_text("utf-8").replace(
            "../../examples/95598/hotline.yaml", "site/hotline.yaml"
        ),
        "utf-8",
    )
    runtime = make_runtime(tmp_path, scenario=scenario)
    with TestClient(create_app(runtime, secret="test-secret")) as client:
        lead = login(client, "lead")
        for response in (
            client.get("/api/outbound/campaigns", headers=lead),
            client.get("/api/outbound/options", headers=lead),
            upload(client, lead),
            client.post("/api/outbound/campaigns/callbacks/start", headers=lead),
            client.get("/api/outbound/campaigns/callbacks/entries", headers=lead),
        ):
            assert response.status_code == 409, response.text
            assert response.json()["error"] == "no-outbound"
            assert "outbound.yaml" in response.json()["message"]
