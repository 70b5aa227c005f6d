"""The reports API: who may read it, parameters refused with the parameter named, and the
numbers — those of the figures engine over the hand-made log, worked out by hand."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from hotline.api.routers.reports import extra_data
from hotline.live import LiveHotline
from hotline.metrics import Query
from hotline.reports.periods import Period
from hotline.store.analytics import figures
from tests.metrics.handlog import SH
from tests.reports.conftest import auth

DAY = {"from": "2026-07-15", "to": "2026-07-15"}
ANALYSTS = ("supervisor", "lead", "qa", "admin")


def test_analysts_read_the_figures_and_agents_do_not(client: TestClient, tokens):
    for user in ANALYSTS:
        response = client.get("/api/reports/figures", params=DAY, headers=auth(tokens[user]))
        assert response.status_code == 200, (user, response.text)
    refused = client.get("/api/reports/figures", params=DAY, headers=auth(tokens["1001"]))
    assert refused.status_code == 403
    assert refused.json()["error"] == "forbidden"
    assert client.get("/api/reports/figures", params=DAY).status_code == 401


def test_the_day_against_the_day_before_worked_out_by_hand(client: TestClient, tokens):
    data = client.get(
        "/api/reports/figures", params={**DAY, "by": "day"}, headers=auth(tokens["supervisor"])
    ).json()
    assert data["period"]["first"] == data["period"]["last"] == "2026-07-15"
    assert data["period"]["start"] == datetime.datetime(2026, 7, 15, tzinfo=SH).timestamp()
    assert data["previous_period"]["first"] == data["previous_period"]["last"] == "2026-07-14"
    now, before = data["current"]["total"]["values"], data["previous"]["total"]["values"]
    # 07-15: c1 … c10 (9 calls; queue: c1, c2 short abandon, c3 abandon after 40 s, c4, c8)
    # 07-14: the same without c3
    assert (now["total_calls"], before["total_calls"]) == (9, 8)
    assert (now["offered"], before["offered"]) == (5, 4)
    assert now["service_level"] == pytest.approx(1 / 3)  # c1 within 20 s of c1, c4, c3
    assert before["service_level"] == pytest.approx(1 / 2)  # c1 of c1, c4
    assert (now["abandon_rate"], before["abandon_rate"]) == (pytest.approx(1 / 3), 0.0)
    change = data["changes"]["service_level"]
    assert change["delta"] == pytest.approx(1 / 3 - 1 / 2)
    assert change["trend"] == "worse"
    assert data["changes"]["total_calls"]["relative"] == pytest.approx(1 / 8)
    assert data["changes"]["total_calls"]["trend"] is None  # more calls: neither better nor worse
    status = data["current"]["total"]["status"]
    assert status["service_level"] == "missed"  # 33% < 85%
    assert status["acw"] == "met"  # (30 + 20 + 60) / 3 ≤ 60 s
    assert status["aht"] is None  # no target
    assert now["cost_per_call"] is None
    assert "未配置成本" in data["current"]["missing"]["cost_per_call"]
    targets = {f["key"]: f["target"] for f in data["figures"]}
    assert targets["service_level"] == {"value": 0.85, "better": "higher"}
    assert (data["by"], data["sl_variant"], data["sl_threshold"]) == ("day", "offered", 20.0)


def test_every_number_is_the_figures_engine_s(client: TestClient, tokens, runtime: LiveHotline):
    for by in ("interval", "agent", "team", "queue", "tier"):
        params = {**DAY, "by": by, "sl_variant": "answered"}
        data = client.get("/api/reports/figures", params=params, headers=auth(tokens["qa"])).json()
        start = datetime.datetime(2026, 7, 15, tzinfo=SH)
        query = Query(
            start=start, end=start + datetime.timedelta(days=1), by=by, sl_variant="answered"
        )  # type: ignore[arg-type]
        table = figures(
            runtime.db, query, extra_data(runtime, Period(start.date(), start.date(), SH))
        )
        assert [r["key"] for r in data["current"]["rows"]] == [r.key for r in table.rows], by
        for got, row in zip(data["current"]["rows"], table.rows, strict=True):
            assert got["values"] == dict(row.values), (by, row.key)
        assert data["current"]["total"]["values"] == dict(table.total.values)
        assert data["current"]["missing"] == dict(table.missing)


def test_rows_by_agent_and_team_and_their_pairs_in_the_day_before(client: TestClient, tokens):
    agents = client.get(
        "/api/reports/figures", params={**DAY, "by": "agent"}, headers=auth(tokens["lead"])
    ).json()
    rows = {r["key"]: r for r in agents["current"]["rows"]}
    assert rows["1001"]["values"]["aht"] == 185 + 30  # talk with hold, and ACW
    assert rows["1002"]["values"]["transfer_rate"] == 1.0
    assert rows["1002"]["status"]["transfer_rate"] == "missed"  # target ≤ 3%
    assert agents["previous_rows"] == [r["key"] for r in agents["current"]["rows"]]
    teams = client.get(
        "/api/reports/figures", params={**DAY, "by": "team"}, headers=auth(tokens["lead"])
    ).json()
    values = {r["key"]: r["values"] for r in teams["current"]["rows"]}
    assert values["甲"]["handled"] == 2  # the scenario's roster: 1001, 1002 in 甲
    assert values["乙"]["handled"] == 1
    halves = client.get(
        "/api/reports/figures", params={**DAY, "by": "interval"}, headers=auth(tokens["lead"])
    ).json()
    assert len(halves["current"]["rows"]) == 48
    keys = [r["key"] for r in halves["current"]["rows"]]
    pairs = dict(zip(keys, halves["previous_rows"], strict=True))
    assert pairs["2026-07-15 09:00"] == "2026-07-14 09:00"
    nine = next(r for r in halves["current"]["rows"] if r["key"] == "2026-07-15 09:00")
    assert nine["values"]["offered"] == 5


def test_csv_and_xlsx_are_the_same_table(client: TestClient, tokens):
    params = {**DAY, "by": "agent"}
    data = client.get("/api/reports/figures", params=params, headers=auth(tokens["qa"])).json()
    response = client.get(
        "/api/reports/figures", params={**params, "format": "csv"}, headers=auth(tokens["qa"])
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    lines = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert [line["key"] for line in lines] == [
        *(r["key"] for r in data["current"]["rows"]),
        "total",
    ]
    first = data["current"]["rows"][0]["values"]
    assert float(lines[0]["aht"]) == pytest.approx(first["aht"])
    assert lines[0]["cost_per_call"] == ""  # no value, not a zero
    response = client.get(
        "/api/reports/figures", params={**params, "format": "xlsx"}, headers=auth(tokens["qa"])
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    keys = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert keys == [line["key"] for line in lines]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-13-01"}, "query.from"),
        ({"from": "15/07/2026"}, "query.from"),
        ({"from": "2026-07-15", "to": "2026-07-01"}, "query.to"),
        ({"from": "2024-01-01", "to": "2026-01-01"}, "query.to"),
        ({"by": "year"}, "query.by"),
        ({"from": "2026-01-01", "to": "2026-03-01", "by": "interval"}, "query.by"),
        ({"sl_variant": "all"}, "query.sl_variant"),
        ({"format": "pdf"}, "query.format"),
    ],
)
def test_bad_parameters_are_422_naming_the_parameter(client: TestClient, tokens, params, field):
    response = client.get("/api/reports/figures", params=params, headers=auth(tokens["admin"]))
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field


def test_the_default_period_is_today_on_the_hotline_s_clock(
    client: TestClient, tokens, runtime: LiveHotline
):
    data = client.get("/api/reports/figures", headers=auth(tokens["admin"])).json()
    today = datetime.datetime.fromtimestamp(runtime.now(), runtime.hotline.timezone).date()
    assert data["period"]["first"] == data["period"]["last"] == today.isoformat()


# ---- the scorecard ------------------------------------------------------------------------


def test_an_agent_reads_their_own_scorecard_only(client: TestClient, tokens):
    own = client.get("/api/reports/scorecard/1001", params=DAY, headers=auth(tokens["1001"]))
    assert own.status_code == 200
    other = client.get("/api/reports/scorecard/1002", params=DAY, headers=auth(tokens["1001"]))
    assert other.status_code == 403
    for user in ("lead", "supervisor", "qa"):
        response = client.get("/api/reports/scorecard/1002", params=DAY, headers=auth(tokens[user]))
        assert response.status_code == 200, user
    admin = client.get("/api/reports/scorecard/1002", params=DAY, headers=auth(tokens["admin"]))
    assert admin.status_code == 403
    unknown = client.get("/api/reports/scorecard/7777", params=DAY, headers=auth(tokens["lead"]))
    assert unknown.status_code == 404
    bad = client.get(
        "/api/reports/scorecard/1001", params={"from": "yesterday"}, headers=auth(tokens["lead"])
    )
    assert (bad.status_code, bad.json()["field"]) == (422, "query.from")


def test_the_scorecard_against_the_team_and_the_center_by_hand(client: TestClient, tokens):
    card = client.get(
        "/api/reports/scorecard/1001", params=DAY, headers=auth(tokens["1001"])
    ).json()
    assert (card["agent"], card["team"], card["name"]) == ("1001", "甲", "甲1001")
    scores = {s["key"]: s for s in card["scores"]}
    # 1001: c1, talk 185 (30 on hold) and 30 s ACW; team 甲 adds 1002's c4: 56 s, 20 s ACW,
    # transferred; the center adds 1003's c4: 100 s, 60 s ACW
    assert scores["aht"]["agent"] == 215
    assert scores["aht"]["team"] == pytest.approx((215 + 76) / 2)
    assert scores["aht"]["center"] == pytest.approx((215 + 76 + 160) / 3)
    assert scores["acw"] == {
        "key": "acw", "agent": 30.0, "team": 25.0, "center": pytest.approx(110 / 3),
        "status": "met", "versus_team": "worse",
    }  # fmt: skip
    assert scores["transfer_rate"]["versus_team"] == "better"  # 0 against 1/2
    # counts per logged-in agent: 甲 handled 2 with 2 agents, the center 3 with 3
    assert (scores["handled"]["agent"], scores["handled"]["team"]) == (1, 1)
    assert scores["handled"]["center"] == 1
    assert scores["logged_in_hours"]["team"] == pytest.approx((3000 + 2700) / 3600 / 2)
    # no per-agent meaning: left out; no data: said why
    assert "abandon_rate" not in scores
    assert "service_level" not in scores
    assert "agents_logged_in" not in scores
    assert scores["qa_score"]["agent"] is None
    assert "未导入质检评分" in card["missing"]["qa_score"]
    assert not any(why.startswith("not defined") for why in card["missing"].values())
