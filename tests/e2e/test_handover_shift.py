"""交接班 by the roster's shift in the browser: the lead sees the shift (早班 07:00–16:00 in
the example's weekday roster; the demo's day starts at 08:00) and its figures, is stopped
from handing over an empty sheet until 无异常 is ticked, and the next shift's lead finds
the order the lead chased (督办) under 需督办 on the waiting sheet."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import VIEWPORT, DemoServer, Shot, log_in


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """The demo without a published week (--no-plan): the handover follows the scenario's
    roster (with a published week it follows that: tests/wfm/test_plan_api.py)."""
    server = DemoServer(tmp_path_factory.mktemp("demo"), speed=120, extra=["--no-plan"])
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


COMPLAINT = {
    "customer_name": "赵六",
    "phone": "13600136000",
    "customer_type": "resident",
    "cause": "attitude",
    "content": "营业员态度差",
}


def test_the_lead_hands_over_the_early_shift_and_the_next_takes_the_chased_order(
    demo: DemoServer, page: Page, browser: Browser, shot: Shot
) -> None:
    log_in(page, demo.url, "lead")
    created = page.request.post(
        f"{demo.url}/api/orders", data={"type": "complaint", "fields": COMPLAINT}
    )
    assert created.status == 201, created.text()
    order = created.json()["id"]
    assigned = page.request.post(
        f"{demo.url}/api/orders/{order}/assign", data={"department": "marketing"}
    )
    assert assigned.ok, assigned.text()
    chased = page.request.post(
        f"{demo.url}/api/orders/{order}/expedite", data={"note": "已催营销部"}
    )
    assert chased.ok, chased.text()

    page.click("#nav-handover")
    expect(page.locator("#handover-shift")).to_contain_text("早班 07:00–16:00")
    expect(page.locator('#handover-figures [data-figure="orders_taken"]')).to_have_text(
        re.compile(r"^[1-9]\d*$")
    )
    for key in ("offered", "answered", "abandoned", "orders_overdue"):
        expect(page.locator(f'#handover-figures [data-figure="{key}"]')).to_have_text(
            re.compile(r"^\d+$")
        )
    expect(page.locator("#handover-figures-panel")).to_contain_text("服务水平")
    row = page.locator(f'#handover-chase tr[data-order="{order}"]')
    expect(row).to_contain_text("已督办（lead")

    page.click("#handover-submit")  # nothing written, 无异常 not ticked
    expect(page.locator("#handover-message")).to_contain_text("勾选「无异常」")
    expect(page.locator("#handover-no-exceptions-row")).to_have_class(re.compile("attention"))
    expect(page.locator("#handover-history")).not_to_contain_text("早班")  # not handed over
    shot(page, "handover-shift", full_page=True)
    page.check("#handover-no-exceptions")
    page.click("#handover-submit")
    expect(page.locator("#handover-message")).to_contain_text(re.compile(r"已交班：交接单 \d+"))
    expect(page.locator("#handover-history tr").first).to_contain_text("早班 07:00–16:00")

    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(15_000)
    try:
        nxt = context.new_page()
        log_in(nxt, demo.url, "supervisor")
        nxt.click("#nav-handover")
        expect(nxt.locator("#handover-waiting-text")).to_contain_text("早班 07:00–16:00")
        waiting = nxt.locator(f'#handover-waiting-chase tr[data-order="{order}"]')
        expect(waiting).to_contain_text("已督办")
        expect(waiting).to_contain_text("投诉")
        # the early shift has its sheet: the next one on duty is 白班
        expect(nxt.locator("#handover-shift")).to_contain_text("白班 08:00–17:00")
        shot(nxt, "handover-next-shift", full_page=True)
    finally:
        context.close()
