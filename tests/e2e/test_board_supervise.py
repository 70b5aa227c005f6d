"""The wallboard's 班长席 buttons on `hotline demo`: the shift lead clicks a talking agent's
tile and listens in (监听), whispers (耳语), barges in (强插), leaves, then ends the call
(强拆). The demo runs the simulated switch, where the console is the lead's phone (it
answers at once); the tile shows the mode while the lead is on the call.

Agent 9001 is a person's seat: it signs in and answers a simulated caller over the REST
API (as its desk page would), and stays in the conversation until someone ends it."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Dialog, Page, expect

from tests.e2e.conftest import PASSWORD, DemoServer, Shot, log_in


@pytest.fixture
def agent_api(demo: DemoServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo.url, timeout=10.0) as client:
        token = client.post("/api/auth/login", json={"username": "9001", "password": PASSWORD})
        assert token.status_code == 200, token.text
        client.headers["Authorization"] = f"Bearer {token.json()['token']}"
        yield client


def answer_a_call(api: httpx.Client) -> str:
    for state in ("logged_in", "ready"):
        response = api.post("/api/agents/9001/state", json={"state": state})
        assert response.status_code in (200, 409), response.text  # 409: already signed in
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        call = api.get("/api/desk").json()["call"]
        if call is not None and call["phase"] == "ringing":
            answered = api.post("/api/desk/answer")
            assert answered.status_code == 200, answered.text
            return str(call["id"])
        time.sleep(0.3)
    raise AssertionError("no caller rang agent 9001 within 90 s")


def test_the_lead_listens_whispers_barges_and_force_releases_from_the_tile(
    demo: DemoServer, page: Page, agent_api: httpx.Client, shot: Shot
) -> None:
    answer_a_call(agent_api)
    log_in(page, demo.url, "lead")
    expect(page.locator("#conn")).to_have_class(re.compile(r"\blive\b"))
    tile = page.locator('#agents .agent[data-agent="9001"]')
    expect(tile).to_have_attribute("data-state", "talking", timeout=10_000)
    tile.click()
    box = page.locator("#supervise")
    expect(box).to_be_visible()
    expect(box.locator("legend")).to_have_text("班长席")
    for word, shown in (
        ("监听", "监听中（lead）"),
        ("耳语", "耳语中（lead）"),
        ("强插", "强插中（lead）"),
    ):
        box.get_by_role("button", name=word, exact=True).click()
        expect(page.locator("#supervise-state")).to_have_text(shown)
        expect(tile.locator(".sv")).to_have_text(shown, timeout=10_000)
        pressed = box.get_by_role("button", name=word, exact=True)
        expect(pressed).to_have_attribute("aria-pressed", "true")
    shot(page, "board-supervise")
    box.get_by_role("button", name="结束", exact=True).click()
    expect(tile.locator(".sv")).to_have_count(0, timeout=10_000)
    expect(page.locator("#force-error")).to_be_hidden()

    asked: list[str] = []

    def accept(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    box.get_by_role("button", name="强拆", exact=True).click()
    expect(tile).to_have_attribute("data-state", "wrap_up", timeout=10_000)
    assert asked == ["确定强拆坐席 9001 的通话？来电人将被挂断。"]
    expect(box.get_by_role("button", name="监听", exact=True)).to_be_disabled()
    desk = agent_api.get("/api/desk").json()
    assert desk["agent"]["state"] == "wrap_up"
