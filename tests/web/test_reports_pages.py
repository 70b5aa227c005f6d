"""The report pages (/reports, /reports/daily, /reports/monthly, /reports/agent/{id}): who
may open them, both languages, and bad parameters named on the page."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from hotline.web import i18n_reports

ANALYSTS = ("lead", "supervisor", "qa", "admin")


@pytest.fixture(autouse=True)
def _fresh_cookies(client: TestClient) -> None:
    client.cookies.clear()


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_catalogues_name_every_word_in_both_languages() -> None:
    assert set(i18n_reports.ZH) == set(i18n_reports.EN)
    assert all(k.startswith("reports.") for k in i18n_reports.ZH)


@pytest.mark.parametrize(
    "path", ["/reports", "/reports/daily", "/reports/monthly", "/reports/agent/9001"]
)
def test_without_a_session_the_pages_send_the_browser_to_login(client: TestClient, path) -> None:
    response = client.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


@pytest.mark.parametrize("user", ANALYSTS)
def test_the_figures_page_renders_for_analysts_in_both_languages(
    client: TestClient, tokens: dict[str, str], user: str
) -> None:
    page = client.get("/reports", headers=_auth(tokens[user]))
    assert page.status_code == 200
    assert "<h1>运营报表</h1>" in page.text
    assert re.search(r'<a href="/reports" id="nav-reports" class="active">报表</a>', page.text)
    assert "/static/vendor/echarts.min.js" in page.text
    assert "/static/js/reports.js" in page.text
    options = re.findall(r'<option value="(\w+)"', page.text)
    assert options[:9] == [
        "day", "interval", "hour", "week", "month", "agent", "team", "queue", "tier",
    ]  # fmt: skip
    assert options[9:] == ["answered", "offered", "removed"]
    assert '<option value="offered" selected>' in page.text
    english = client.get("/reports", headers=_auth(tokens[user]), params={"lang": "en"})
    assert "<h1>Reports</h1>" in english.text
    assert ">Half hour</option>" in english.text


def test_the_page_keeps_the_chosen_period_and_grouping(
    client: TestClient, tokens: dict[str, str]
) -> None:
    params = {"from": "2026-07-01", "to": "2026-07-15", "by": "agent", "sl_variant": "removed"}
    page = client.get("/reports", headers=_auth(tokens["qa"]), params=params)
    assert 'id="reports-from" value="2026-07-01"' in page.text
    assert 'id="reports-to" value="2026-07-15"' in page.text
    assert '<option value="agent" selected>' in page.text
    assert '<option value="removed" selected>' in page.text


def test_an_agent_gets_their_scorecard_and_nothing_else(
    client: TestClient, tokens: dict[str, str]
) -> None:
    agent = _auth(tokens["9001"])
    for path in ("/reports", "/reports/daily", "/reports/monthly"):
        assert client.get(path, headers=agent).status_code == 403, path
    assert client.get("/reports/agent/1001", headers=agent).status_code == 403
    own = client.get("/reports/agent/9001", headers=agent)
    assert own.status_code == 200
    assert re.search(
        r'<a href="/reports/agent/9001" id="nav-reports" class="active">我的绩效</a>', own.text
    )
    assert '<h1 id="scorecard-title">坐席绩效' in own.text
    assert '<tr data-figure="aht">' in own.text
    assert '<tr data-figure="abandon_rate">' not in own.text  # no meaning per agent
    english = client.get("/reports/agent/9001", headers=agent, params={"lang": "en"})
    assert "Agent scorecard" in english.text
    assert "My scorecard" in english.text


def test_coaches_open_any_scorecard_and_the_administrator_none(
    client: TestClient, tokens: dict[str, str]
) -> None:
    for user in ("lead", "supervisor", "qa"):
        assert client.get("/reports/agent/9001", headers=_auth(tokens[user])).status_code == 200
    assert client.get("/reports/agent/9001", headers=_auth(tokens["admin"])).status_code == 403
    missing = client.get("/reports/agent/4242", headers=_auth(tokens["lead"]))
    assert missing.status_code == 404
    assert "坐席 4242 不在花名册或事件日志中" in missing.text


@pytest.mark.parametrize(
    ("path", "zh", "en"),
    [
        ("/reports/daily", "运营日报", "Daily management report"),
        ("/reports/monthly", "运营月报", "Monthly management report"),
    ],
)
def test_the_management_reports_render_in_both_languages(
    client: TestClient, tokens: dict[str, str], path: str, zh: str, en: str
) -> None:
    page = client.get(path, headers=_auth(tokens["supervisor"]))
    assert page.status_code == 200
    assert zh in page.text
    assert "@page { size: A4;" in page.text
    assert 'id="report-toolbar"' in page.text
    # the quiet test hotline has had no call today
    assert re.findall(r'<p class="finding">(.*?)</p>', page.text) == ["本期无来话。"]
    assert page.text.count("<svg") == 5
    english = client.get(path, headers=_auth(tokens["supervisor"]), params={"lang": "en"})
    assert en in english.text
    assert re.findall(r'<p class="finding">(.*?)</p>', english.text) == ["No calls in this period."]


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        (
            "/reports/daily",
            {"date": "2026-7-15"},
            "日期（date）：不是日期（格式 YYYY-MM-DD）：&#39;2026-7-15&#39;",
        ),
        (
            "/reports/monthly",
            {"month": "July"},
            "月份（month）：不是月份（格式 YYYY-MM）：&#39;July&#39;",
        ),
        (
            "/reports/agent/9001",
            {"from": "2026-07-15", "to": "2026-07-01"},
            "结束日期 2026-07-01 早于开始日期 2026-07-15",
        ),
    ],
)
def test_bad_parameters_are_422_pages_naming_the_parameter(
    client: TestClient, tokens: dict[str, str], path: str, params: dict[str, str], message: str
) -> None:
    page = client.get(path, headers=_auth(tokens["lead"]), params=params)
    assert page.status_code == 422
    assert message in page.text
