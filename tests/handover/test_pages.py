"""The handover page (/handover, /handover/{id}): who gets which part, both languages."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from hotline.handover import words as i18n_handover


@pytest.fixture(autouse=True)
def _fresh_cookies(client: TestClient) -> None:
    client.cookies.clear()


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_catalogues_name_every_word_in_both_languages() -> None:
    assert set(i18n_handover.ZH) == set(i18n_handover.EN)
    assert all(k.startswith(("handover.", "orders.")) for k in i18n_handover.ZH)


def test_without_a_session_the_page_sends_the_browser_to_login(client: TestClient) -> None:
    response = client.get("/handover")
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


@pytest.mark.parametrize("user", ["lead", "supervisor"])
def test_the_leads_get_the_draft_the_form_and_the_history(
    client: TestClient, tokens: dict[str, str], user: str
) -> None:
    page = client.get("/handover", headers=_auth(tokens[user]))
    assert page.status_code == 200
    assert '<h1 id="handover-heading">交接班</h1>' in page.text
    for part in (
        "handover-unfinished",
        "handover-submit",
        "handover-history",
        "handover-acknowledge",
    ):
        assert f'id="{part}"' in page.text
    assert 'id="handover-give"' not in page.text
    english = client.get("/handover", headers=_auth(tokens[user]), params={"lang": "en"})
    assert "Shift handover" in english.text


def test_an_agent_gets_only_the_shift_summary(client: TestClient, tokens: dict[str, str]) -> None:
    page = client.get("/handover", headers=_auth(tokens["9001"]))
    assert page.status_code == 200
    assert 'id="handover-give"' in page.text
    assert 'id="handover-submit"' not in page.text
    assert 'id="handover-history"' not in page.text
    assert client.get("/handover/1", headers=_auth(tokens["9001"])).status_code == 403


def test_qa_reads_sheets_and_admin_is_refused(client: TestClient, tokens: dict[str, str]) -> None:
    qa = client.get("/handover", headers=_auth(tokens["qa"]))
    assert 'id="handover-history"' in qa.text
    assert 'id="handover-submit"' not in qa.text
    assert 'id="handover-acknowledge"' not in qa.text
    sheet = client.get("/handover/3", headers=_auth(tokens["qa"]))
    assert sheet.status_code == 200
    assert 'data-sheet="3"' in sheet.text
    admin = client.get("/handover", headers=_auth(tokens["admin"]))
    assert admin.status_code == 403
    assert 'id="nav-handover"' not in admin.text


def test_the_order_accuracy_page_for_qa_and_the_leads(
    client: TestClient, tokens: dict[str, str]
) -> None:
    from hotline.web import i18n_accuracy

    assert set(i18n_accuracy.ZH) == set(i18n_accuracy.EN)
    for user in ("qa", "lead", "supervisor"):
        page = client.get("/order-accuracy", headers=_auth(tokens[user]))
        assert page.status_code == 200
        assert "<h1>受理工单正确率</h1>" in page.text
        assert 'id="nav-accuracy"' in page.text
        assert "目标 ≥ 95%" in page.text
    for user in ("9001", "admin"):
        refused = client.get("/order-accuracy", headers=_auth(tokens[user]))
        assert refused.status_code == 403
        assert 'id="nav-accuracy"' not in refused.text
