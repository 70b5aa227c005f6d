"""The call pages (/calls, /calls/{call}): who gets the recordings' player, both languages."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from hotline.web import i18n_calls


@pytest.fixture(autouse=True)
def _fresh_cookies(client: TestClient) -> None:
    client.cookies.clear()


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_catalogues_name_every_word_in_both_languages() -> None:
    assert set(i18n_calls.ZH) == set(i18n_calls.EN)
    assert i18n_calls.ZH["calls.recordings"] == "录音"
    assert i18n_calls.ZH["desk.answer_on_phone"] == "请在话机上接听"


def test_without_a_session_the_pages_send_the_browser_to_login(client: TestClient) -> None:
    for path in ("/calls", "/calls/c1-1"):
        response = client.get(path)
        assert response.status_code == 303
        assert response.headers["location"] == "/login"


@pytest.mark.parametrize("user", ["9001", "lead", "supervisor", "qa", "admin"])
def test_everyone_has_the_call_list(client: TestClient, tokens: dict[str, str], user: str) -> None:
    page = client.get("/calls", headers=_auth(tokens[user]))
    assert page.status_code == 200
    assert "<h1>通话记录</h1>" in page.text
    assert 'id="nav-calls"' in page.text
    assert "/static/js/calls.js" in page.text
    english = client.get("/calls", headers=_auth(tokens[user]), params={"lang": "en"})
    assert "<h1>Calls</h1>" in english.text


@pytest.mark.parametrize(
    ("user", "player"),
    [("9001", True), ("lead", True), ("supervisor", True), ("qa", True), ("admin", False)],
)
def test_the_recordings_panel_is_there_only_for_roles_that_may_hear(
    client: TestClient, tokens: dict[str, str], user: str, player: bool
) -> None:
    page = client.get("/calls/c260715-1", headers=_auth(tokens[user]))
    assert page.status_code == 200
    assert 'data-call="c260715-1"' in page.text
    assert ('id="call-recordings"' in page.text) is player
    assert ("<h2>录音</h2>" in page.text) is player


def test_a_call_id_with_odd_characters_is_never_put_in_the_page(
    client: TestClient, tokens: dict[str, str]
) -> None:
    page = client.get("/calls/%3Cscript%3E", headers=_auth(tokens["supervisor"]))
    assert page.status_code == 200
    assert "<script>" not in page.text.split('<script id="i18n"')[0]
    assert 'data-call=""' in page.text


def test_the_script_builds_one_audio_player_per_recording() -> None:
    from hotline.web import STATIC_DIR

    script = (STATIC_DIR / "js" / "calls.js").read_text("utf-8")
    assert 'el("audio"' in script
    assert 'preload: "none"' in script
    assert "/recordings/" in script
