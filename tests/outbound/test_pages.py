"""The outbound page (/outbound, 外呼管理): who gets it, with which parts, in both languages."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from hotline.outbound import words


@pytest.fixture(autouse=True)
def _fresh_cookies(client: TestClient) -> None:
    client.cookies.clear()


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_catalogues_name_every_word_in_both_languages() -> None:
    assert set(words.ZH) == set(words.EN)
    assert all(k.startswith("outbound.") for k in words.ZH)
    # the glossary's terms (SPEC.md): 外呼, 预测式外呼, 接通率, 放弃率
    assert words.ZH["outbound.nav"] == "外呼管理"
    assert words.ZH["outbound.pacing_of"].format(pacing=words.ZH["outbound.pacing.predictive"]) == (
        "预测式外呼"
    )
    assert (words.ZH["outbound.answer_rate"], words.ZH["outbound.drop_rate"]) == (
        "接通率",
        "放弃率",
    )


def test_without_a_session_the_page_sends_the_browser_to_login(client: TestClient) -> None:
    response = client.get("/outbound")
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


@pytest.mark.parametrize("user", ["lead", "supervisor"])
def test_the_lead_and_the_supervisor_get_the_campaigns_and_the_import_form(
    client: TestClient, tokens: dict[str, str], user: str
) -> None:
    page = client.get("/outbound", headers=_auth(tokens[user]))
    assert page.status_code == 200
    assert "<h1>外呼管理</h1>" in page.text
    assert 'id="nav-outbound" class="active"' in page.text
    assert 'id="outbound-campaigns"' in page.text
    for label in ("导入名单", "任务名称", "转坐席队列", "自动语音通知", "外呼方式", "名单文件"):
        assert label in page.text
    assert 'data-max-bytes="20971520"' in page.text
    assert '<script src="/static/outbound/outbound.js"></script>' in page.text
    assert client.get("/static/outbound/outbound.js").status_code == 200


def test_the_page_in_english(client: TestClient, tokens: dict[str, str]) -> None:
    page = client.get("/outbound", headers=_auth(tokens["lead"]), params={"lang": "en"})
    assert page.status_code == 200
    assert "<h1>Outbound campaigns</h1>" in page.text
    assert "Import a list" in page.text


@pytest.mark.parametrize("user", ["9001", "qa", "admin"])
def test_the_others_are_refused_and_have_no_menu_entry(
    client: TestClient, tokens: dict[str, str], user: str
) -> None:
    refused = client.get("/outbound", headers=_auth(tokens[user]))
    assert refused.status_code == 403
    assert 'id="nav-outbound"' not in refused.text
