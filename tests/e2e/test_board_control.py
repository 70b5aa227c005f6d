"""The wallboard as a control surface: the shift lead clicks an agent's tile to set its state.

A logged-out seat shows no time in state (not the time since midnight), and forcing a
state on it is not a silent sign-in: the dialog says the seat is logged out and offers
only 签入. A signed-in agent is set to 示忙 with a reason and the tile shows it.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import DemoServer, Shot, log_in


def test_the_lead_sets_an_agents_state_from_the_wallboard(
    demo: DemoServer, page: Page, shot: Shot
) -> None:
    log_in(page, demo.url, "lead")
    expect(page.locator("#conn")).to_have_class(re.compile(r"\blive\b"))
    seat = page.locator('#agents .agent[data-agent="9002"]')  # a person's seat, not signed in
    expect(seat).to_have_attribute("data-state", "logged_out")
    expect(seat.locator(".t")).to_have_text("")

    seat.click()
    dialog = page.locator("#force")
    expect(dialog).to_be_visible()
    expect(page.locator("#force-logged-out")).to_be_visible()
    expect(page.locator("#force-logged-out")).to_contain_text("未签入")
    visible = page.locator("#force-state option:not([hidden])")
    expect(visible).to_have_text(["签入"])
    page.click("#force-ok")
    expect(dialog).to_be_hidden()
    expect(seat).not_to_have_attribute("data-state", "logged_out", timeout=10_000)

    ready = page.locator('#agents .agent[data-state="ready"]:not(.human)').first
    expect(ready).to_be_visible(timeout=30_000)
    agent = ready.get_attribute("data-agent")
    ready.click()
    expect(dialog).to_be_visible()
    expect(page.locator("#force-logged-out")).to_be_hidden()
    page.select_option("#force-state", "not_ready")
    expect(page.locator("#force-reason-row")).to_be_visible()
    page.select_option("#force-reason", "meeting")
    shot(page, "board-force-state")
    page.click("#force-ok")
    expect(dialog).to_be_hidden()
    tile = page.locator(f'#agents .agent[data-agent="{agent}"]')
    expect(tile).to_contain_text("示忙 · 会议", timeout=10_000)
