"""The desk's outside party on `hotline demo`: agent 9001 answers a simulated caller, dials a
department's duty phone (外线咨询: the caller on hold), talks with it once it answers (the
simulated duty phone picks up after 5 s), joins all three (三方通话) and completes the
transfer (完成转接): the agent goes to wrap-up, the caller stays with the duty phone."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import DemoServer, Shot, log_in

DUTY = "02161234567"


def test_the_agent_dials_out_makes_a_three_way_call_and_transfers(
    demo: DemoServer, page: Page, shot: Shot
) -> None:
    log_in(page, demo.url, "9001")
    state = page.locator("#agent-state")
    expect(page.locator("#conn")).to_have_class(re.compile(r"\blive\b"))
    page.click("#btn-login")
    expect(state).to_have_attribute("data-state", "not_ready")
    page.click("#btn-ready")
    expect(page.locator("#popup")).to_be_visible(timeout=60_000)
    page.click("#popup-answer")
    expect(state).to_have_attribute("data-state", "talking")
    expect(page.locator("#btn-outside")).to_be_enabled()

    page.fill("#outside-number", "12")
    page.click("#btn-outside")
    expect(page.locator("#desk-message")).to_contain_text("number")  # 422 names the field
    page.fill("#outside-number", DUTY)
    page.click("#btn-outside")
    text = page.locator("#outside-text")
    expect(text).to_have_text(f"正在呼叫外线 {DUTY}…（来电人听等待音乐）")
    expect(page.locator("#btn-outside-transfer")).to_be_disabled()  # not answered yet
    expect(state).to_have_attribute("data-state", "hold")
    expect(text).to_have_text(f"正在与外线 {DUTY} 通话（来电人保持中）", timeout=20_000)
    page.click("#btn-outside-conference")
    expect(text).to_have_text(f"三方通话中：来电人、您与外线 {DUTY}")
    expect(state).to_have_attribute("data-state", "talking", timeout=10_000)
    expect(page.locator("#btn-outside")).to_be_disabled()
    shot(page, "desk-outside-conference")
    page.click("#btn-outside-transfer")
    expect(state).to_have_attribute("data-state", "wrap_up", timeout=10_000)
    expect(page.locator("#outside-info")).to_be_hidden()
