"""The callback tasks page (/callbacks): who gets it, with which parts, in both languages."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from hotline.callbacks import words


@pytest.fixture(autouse=True)
def _fresh_cookies(client: TestClient) -> None:
    client.cookies.clear()


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_catalogues_name_every_word_in_both_languages() -> None:
    assert set(words.ZH) == set(words.EN)
    assert all(k.startswith("callbacks.") for k in words.ZH)


def test_without_a_session_the_page_sends_the_browser_to_login(client: TestClient) -> None:
    response = client.get("/callbacks")
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


@pytest.mark.parametrize("user", ["9001", "lead"])
def test_agents_and_the_lead_get_the_list_with_the_outcome_column(
    client: TestClient, tokens: dict[str, str], user: str
) -> None:
    page = client.get("/callbacks", headers=_auth(tokens[user]))
    assert page.status_code == 200
    assert "<h1>回呼任务</h1>" in page.text
    assert 'id="nav-callbacks" class="active"' in page.text
    assert 'data-close="yes"' in page.text
    assert "记录结果" in page.text
    for status, label in (("open", "待回呼"), ("overdue", "已超时"), ("closed", "已关闭")):
        assert f'id="callbacks-tab-{status}"' in page.text
        assert label in page.text
    assert "外呼功能上线后" in page.text  # dialling comes with outbound


def test_the_supervisor_reads_only_and_the_others_are_refused(
    client: TestClient, tokens: dict[str, str]
) -> None:
    page = client.get("/callbacks", headers=_auth(tokens["supervisor"]), params={"lang": "en"})
    assert page.status_code == 200
    assert "Callback tasks" in page.text
    assert 'data-close="no"' in page.text
    for user in ("qa", "admin"):
        refused = client.get("/callbacks", headers=_auth(tokens[user]))
        assert refused.status_code == 403
        assert 'id="nav-callbacks"' not in refused.text


def test_an_unknown_filter_shows_the_open_tasks(client: TestClient, tokens: dict[str, str]) -> None:
    page = client.get("/callbacks?status=later", headers=_auth(tokens["lead"]))
    assert 'data-status="open" data-close="yes"' in page.text
