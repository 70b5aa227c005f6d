"""我的工单 (/my-orders): the agent's own orders and the visits they owe, agents only."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from hotline.mywork import words


@pytest.fixture(autouse=True)
def _fresh_cookies(client: TestClient) -> None:
    client.cookies.clear()


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_catalogues_name_every_word_in_both_languages() -> None:
    assert set(words.ZH) == set(words.EN)
    assert all(k.startswith("mywork.") for k in words.ZH)


def test_an_agent_has_the_page_in_the_top_bar(client: TestClient, tokens: dict[str, str]) -> None:
    desk = client.get("/desk", headers=_auth(tokens["9001"]))
    assert '<a href="/my-orders" id="nav-my-orders">我的工单</a>' in desk.text
    assert '<a href="/callbacks" id="nav-callbacks">回呼任务</a>' in desk.text
    page = client.get("/my-orders", headers=_auth(tokens["9001"]))
    assert page.status_code == 200
    assert "<h1>我的工单</h1>" in page.text
    assert 'id="nav-my-orders" class="active"' in page.text
    for part in ("my-orders-rows", "my-visits-rows", "my-orders-tab-open", "my-orders-tab-overdue"):
        assert f'id="{part}"' in page.text
    assert "待我回访" in page.text
    english = client.get("/my-orders", headers=_auth(tokens["9001"]), params={"lang": "en"})
    assert "Orders I took" in english.text


def test_a_filter_is_kept_and_an_unknown_one_falls_back(
    client: TestClient, tokens: dict[str, str]
) -> None:
    overdue = client.get("/my-orders?show=overdue", headers=_auth(tokens["9001"]))
    assert 'data-show="overdue" data-user="9001"' in overdue.text
    unknown = client.get("/my-orders?show=everything", headers=_auth(tokens["9001"]))
    assert 'data-show="open" data-user="9001"' in unknown.text


@pytest.mark.parametrize("user", ["lead", "supervisor", "qa", "admin"])
def test_only_agents_have_it(client: TestClient, tokens: dict[str, str], user: str) -> None:
    page = client.get("/my-orders", headers=_auth(tokens[user]))
    assert page.status_code == 403
    assert 'id="nav-my-orders"' not in page.text
