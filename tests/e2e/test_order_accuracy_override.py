"""质检改判 in the browser: the QA inspector opens 受理工单正确率, finds a fault report whose
故障现象 the automatic check read (and found right), overrules it with a reason — refused
first without one — and sees the figure drop by that order."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import VIEWPORT, DemoServer, Shot, log_in

FAULT = {
    "customer_name": "孙七",
    "phone": "13500135000",
    "address": "解放路8号3单元",
    "area": "解放路",
    "area_class": "urban",
    "symptom": "单户停电，邻居家有电",
}


def _paused_with_a_fault_report(demo: DemoServer, browser: Browser) -> int:
    """The supervisor pauses the demo (no simulated order moves the figure meanwhile) and
    records a fault report without a call; its number."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    try:
        boss = context.new_page()
        log_in(boss, demo.url, "supervisor")
        paused = boss.request.post(f"{demo.url}/api/demo/speed", data={"speed": 0})
        assert paused.status == 200, paused.text()
        created = boss.request.post(
            f"{demo.url}/api/orders", data={"type": "fault_report", "fields": FAULT}
        )
        assert created.status == 201, created.text()
        order: int = created.json()["id"]
        return order
    finally:
        context.close()


def _figure(page: Page) -> tuple[int, int]:
    """(correct, orders) as the 工单正确率 tile says it."""
    text = page.locator('#kpi-rate [data-field="rate_sub"]').inner_text()
    found = re.match(r"(\d+)/(\d+) ", text)
    assert found is not None, text
    return int(found[1]), int(found[2])


def test_qa_overrules_one_field_with_a_reason_and_the_figure_changes(
    demo: DemoServer, page: Page, browser: Browser, shot: Shot
) -> None:
    order = _paused_with_a_fault_report(demo, browser)
    log_in(page, demo.url, "qa")
    page.click("#nav-accuracy")
    expect(page.locator("h1")).to_have_text("受理工单正确率")
    rate = page.locator('#kpi-rate [data-field="rate_sub"]')
    expect(rate).to_contain_text(re.compile(r"\d+/[1-9]\d* 张工单关键字段全部正确"))
    correct, orders = _figure(page)

    # the order's items: 受理内容 read from 故障现象, right
    page.fill("#review-order", str(order))
    page.click("#review-open")
    expect(page.locator("#review-title")).to_contain_text(f"工单 {order} · 故障报修")
    content = page.locator('#review-items tr[data-field="content"]')
    expect(content).to_contain_text("受理内容")
    expect(content).to_contain_text("故障现象")
    expect(content.locator(".verdict")).to_have_text("正确")

    # 改判 without a reason is refused, naming the item
    content.locator("button.judge").click()
    expect(page.locator("#verdict-field")).to_have_value("content")
    expect(page.locator("#verdict-correct")).to_have_value("false")
    page.click("#verdict-submit")
    expect(page.locator("#review-message")).to_have_text(
        "改判理由（受理内容（故障现象））：必填，请写明为何改判"
    )

    page.fill("#verdict-reason", "未写明是否整栋停电，无法派单")
    page.click("#verdict-submit")
    expect(page.locator("#review-message")).to_have_text("已改判：受理内容 → 错误")
    expect(content.locator(".verdict")).to_have_text("错误")
    expect(content.locator('[data-role="verdict"]')).to_contain_text("qa 于 ")
    expect(content.locator('[data-role="verdict"]')).to_contain_text("未写明是否整栋停电")
    history = page.locator("#review-history tr")
    expect(history).to_have_count(1)
    expect(history).to_contain_text("正确 → 错误")

    # the figure counts the verdict: one correct order fewer, as many orders
    expect(rate).to_contain_text(f"{correct - 1}/{orders} ")
    expect(page.locator(f'#accuracy-orders tr[data-order="{order}"]')).to_contain_text(
        "受理内容：质检判为错误"
    )
    expect(page.locator(f'#accuracy-reviewed tr[data-order="{order}"]')).to_contain_text("故障报修")
    page.set_viewport_size({"width": 1440, "height": 1500})  # the figure and the verdict
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "order-accuracy-override")
