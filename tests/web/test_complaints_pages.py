"""The complaint analysis page (/complaints) and its API (/api/complaints/analysis): who may
read them, both languages, and that only aggregates — never a complainant — come out."""

from __future__ import annotations

import datetime

import pytest
from fastapi.testclient import TestClient

from hotline.web import i18n_complaints

ANALYSTS = ("lead", "supervisor", "qa", "admin")
NAME, PHONE = "钱投诉人", "13512345678"


@pytest.fixture(autouse=True)
def _fresh_cookies(client: TestClient) -> None:
    client.cookies.clear()


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_catalogues_name_every_word_in_both_languages() -> None:
    assert set(i18n_complaints.ZH) == set(i18n_complaints.EN)
    assert all(k.startswith("complaints.") for k in i18n_complaints.ZH)


def test_without_a_session_the_page_sends_the_browser_to_login(client: TestClient) -> None:
    response = client.get("/complaints")
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


@pytest.mark.parametrize("user", ANALYSTS)
def test_the_page_renders_for_analysts_in_both_languages(
    client: TestClient, tokens: dict[str, str], user: str
) -> None:
    page = client.get("/complaints", headers=_auth(tokens[user]))
    assert page.status_code == 200
    assert "<h1>投诉分析</h1>" in page.text
    assert 'id="nav-complaints"' in page.text
    assert "/static/vendor/echarts.min.js" in page.text
    assert "/static/js/complaints.js" in page.text
    assert 'id="by-department"' in page.text
    english = client.get("/complaints", headers=_auth(tokens[user]), params={"lang": "en"})
    assert "<h1>Complaint analysis</h1>" in english.text


def test_an_agent_is_refused_the_page_and_the_figures(
    client: TestClient, tokens: dict[str, str]
) -> None:
    page = client.get("/complaints", headers=_auth(tokens["9001"]))
    assert page.status_code == 403
    assert 'id="nav-complaints"' not in page.text
    assert client.get("/api/complaints/analysis", headers=_auth(tokens["9001"])).status_code == 403
    assert client.get("/api/complaints/analysis").status_code == 401


def test_the_figures_count_complaints_and_never_name_the_complainant(
    client: TestClient, tokens: dict[str, str]
) -> None:
    lead = _auth(tokens["lead"])
    before = client.get("/api/complaints/analysis", headers=lead).json()
    fields = {
        "customer_name": NAME,
        "phone": PHONE,
        "cause": "attitude",
        "customer_type": "business",
        "content": "营业厅服务态度差",
    }
    created = client.post("/api/orders", headers=lead, json={"type": "complaint", "fields": fields})
    assert created.status_code in (200, 201), created.text
    order = created.json()["id"]
    assigned = client.post(
        f"/api/orders/{order}/assign", headers=lead, json={"department": "marketing"}
    )
    assert assigned.status_code == 200, assigned.text

    for user in ANALYSTS:
        response = client.get("/api/complaints/analysis", headers=_auth(tokens[user]))
        assert response.status_code == 200, response.text
        assert NAME not in response.text
        assert PHONE not in response.text
        assert "营业厅" not in response.text
    data = response.json()
    assert data["total"] == before["total"] + 1
    causes = {c["key"]: c["count"] for c in data["by_cause"]}
    assert causes["attitude"] >= 1
    assert {c["key"] for c in data["by_department"]} >= {"marketing"}
    assert data["pareto"][-1]["cumulative"] == pytest.approx(1.0)
    assert sum(d["count"] for d in data["trend"]) == data["total"]
    assert data["departments"]["marketing"]

    # the default period is the last 30 days up to the hotline's today; a period that ends
    # before anything was created holds nothing
    last = datetime.date.fromisoformat(data["to"])
    assert data["from"] == (last - datetime.timedelta(days=29)).isoformat()
    days = {"from": "2020-01-01", "to": "2020-01-31"}
    empty = client.get("/api/complaints/analysis", headers=lead, params=days)
    assert empty.status_code == 200
    assert empty.json()["total"] == 0
    assert empty.json()["reopened_share"] is None
