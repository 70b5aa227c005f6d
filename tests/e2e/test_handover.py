"""交接班 in the browser: an agent gives the shift summary, the shift lead hands over the
sheet, the incoming lead (the supervisor here) takes it over, and the sheet reads the same
afterwards on its own page."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import VIEWPORT, DemoServer, Shot, log_in


def test_three_failed_notice_calls_put_the_order_on_the_leads_task_list(
    demo: DemoServer, page: Page, shot: Shot
) -> None:
    log_in(page, demo.url, "lead")
    bill = {
        "account": "0102030405",
        "read_date": "2026-11-10",
        "reading": 4512,
        "usage": 230,
        "amount": "128.80",
        "amount_due": "128.80",
    }
    created = page.request.post(
        f"{demo.url}/api/orders", data={"type": "bill_notice", "fields": bill}
    )
    assert created.status == 201
    order = created.json()["id"]
    page.goto(f"{demo.url}/orders/{order}")
    expect(page.locator("#attempt-form")).to_be_visible()
    expect(page.locator("#attempt-state")).to_have_text("连续未接通 0/3 次，达到后转纸质通知")
    for failed in (1, 2, 3):
        page.click("#btn-attempt-failed")
        expect(page.locator("#attempt-state")).to_contain_text(f"{failed}/3")
    expect(page.locator('#order-steps tr[data-kind="contact_attempted"]')).to_have_count(3)
    page.goto(f"{demo.url}/orders")
    task = page.locator(f'#expedites-rows tr[data-order="{order}"]')
    expect(task).to_contain_text("转纸质通知")
    expect(task.locator(".expedite-do")).to_be_hidden()  # 受理: nothing to chase, a paper notice
    shot(page, "orders", full_page=True)


def test_a_shift_is_handed_over_and_taken_over(
    demo: DemoServer, page: Page, browser: Browser, shot: Shot
) -> None:
    # the agent: 本班小结 with their own counts
    log_in(page, demo.url, "9001")
    page.click("#nav-handover")
    expect(page.locator("h1")).to_have_text("交接班")
    expect(page.locator('#handover-my-counts dd[data-count="orders_created"]')).to_have_text("0")
    page.fill("#handover-my-note", "系统偶有卡顿，已报IT")
    page.click("#handover-give")
    expect(page.locator("#handover-message")).to_have_text("小结已提交给值班长")
    expect(page.locator("#handover-my-summaries")).to_contain_text("系统偶有卡顿")

    pages = []
    for _ in ("lead", "supervisor"):
        context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        context.set_default_timeout(15_000)
        pages.append((context, context.new_page()))
    try:
        lead, boss = pages[0][1], pages[1][1]
        log_in(lead, demo.url, "lead")
        lead.click("#nav-handover")
        expect(lead.locator("#handover-summaries")).to_contain_text("系统偶有卡顿")
        expect(lead.locator("#handover-summaries")).to_contain_text("9001")
        expect(lead.locator("#handover-unfinished")).to_be_visible()
        lead.fill("#handover-incidents", "10:20 解放路10kV线路跳闸，已发停电告知")
        lead.fill("#handover-system", "CTI 正常；IVR 正常")
        lead.fill("#handover-notes", "投诉回访请下一班跟进")
        shot(lead, "handover", full_page=True)
        lead.click("#handover-submit")
        expect(lead.locator("#handover-message")).to_contain_text(re.compile(r"已交班：交接单 \d+"))
        expect(lead.locator("#handover-waiting-panel")).to_be_visible()
        expect(lead.locator("#handover-acknowledge")).to_be_hidden()  # not one's own sheet
        first = lead.locator("#handover-history tr").first
        expect(first).to_have_attribute("data-status", "handed_over")
        sheet = first.get_attribute("data-sheet")
        assert sheet is not None
        assert sheet.isdigit()

        log_in(boss, demo.url, "supervisor")
        boss.click("#nav-handover")
        expect(boss.locator("#handover-waiting-text")).to_contain_text(f"交接单 {sheet}")
        boss.fill("#handover-remark", "已阅，接班")
        boss.click("#handover-acknowledge")
        expect(boss.locator("#handover-message")).to_have_text(f"已接班：交接单 {sheet}")
        expect(boss.locator("#handover-waiting-panel")).to_be_hidden()
        row = boss.locator(f'#handover-history tr[data-sheet="{sheet}"]')
        expect(row).to_contain_text("已接班")
        expect(row).to_contain_text("supervisor")

        row.locator("a").click()
        expect(boss.locator("h1")).to_have_text(f"交接单 {sheet}")
        expect(boss.locator("#sheet-incidents")).to_have_text(
            "10:20 解放路10kV线路跳闸，已发停电告知"
        )
        expect(boss.locator("#sheet-outgoing")).to_have_text("lead")
        expect(boss.locator("#sheet-incoming")).to_have_text("supervisor")
        expect(boss.locator("#sheet-remark")).to_have_text("已阅，接班")
    finally:
        for context, _ in pages:
            context.close()


def test_qa_reads_the_order_accuracy_against_its_goals(
    demo: DemoServer, page: Page, shot: Shot
) -> None:
    log_in(page, demo.url, "qa")
    page.click("#nav-accuracy")
    expect(page.locator("h1")).to_have_text("受理工单正确率")
    fields = page.locator("#accuracy-fields tr")
    expect(fields).to_have_count(5)
    expect(page.locator('#accuracy-fields tr[data-field="calling_number"]')).to_contain_text(
        "来电号码"
    )
    rate = page.locator('#kpi-rate [data-field="rate_sub"]')
    expect(rate).to_contain_text(re.compile(r"\d+/\d+ 张工单关键字段全部正确"))
    shot(page, "order-accuracy")
    page.click("#nav-complaints")
    expect(page.locator("h1")).to_have_text("投诉分析")
    expect(page.locator('#complaints-kpis [data-field="total"]')).to_have_text(re.compile(r"^\d+$"))
    shot(page, "complaints", full_page=True)
