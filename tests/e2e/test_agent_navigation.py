"""The agent's own navigation in a real browser (issue 14): 客户查询 during a call on the desk,
我的工单 (the orders the agent took, the return visits they owe) and 回呼任务 (the callback
tasks the engine created in the demo's morning, an outcome recorded by the agent).

Agent 9001 takes a simulated call from `hotline demo` (its own server for this module).
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import VIEWPORT, DemoServer, Shot, log_in
from tests.orders.test_api import COMPLAINT, FAULT

MASKED_PHONE = re.compile(r"^\d{3}\*{4}\d{4}$")


def _answer_a_call(page: Page) -> None:
    page.click("#btn-login")
    expect(page.locator("#agent-state")).to_have_attribute("data-state", "not_ready")
    page.click("#btn-ready")
    expect(page.locator("#popup")).to_be_visible(timeout=45_000)
    page.click("#popup-answer")
    expect(page.locator("#agent-state")).to_have_attribute("data-state", "talking")


def test_an_agent_looks_a_customer_up_then_reads_their_orders(
    demo: DemoServer, page: Page, browser: Browser, shot: Shot
) -> None:
    log_in(page, demo.url, "9001")
    expect(page.locator("#lookup-query")).to_be_disabled()  # no call, no look-up
    _answer_a_call(page)

    # 客户查询: the caller asks about another account (王艳, on the red list): masked
    expect(page.locator("#lookup-query")).to_be_enabled()
    page.select_option("#lookup-by", "account")
    page.fill("#lookup-query", "4401000007")
    page.click("#lookup-submit")
    card = page.locator("#lookup-results .lookup-card")
    expect(card).to_have_count(1)
    expect(card).to_have_attribute("data-masked", "yes")
    expect(card).to_contain_text("王艳")
    expect(card).to_contain_text("红名单")
    expect(card).to_contain_text("非本次来电客户，信息已脱敏")
    expect(card.locator('dd[data-field="phone"]')).to_have_text("174****0776")
    expect(card.locator('dd[data-field="id_number"]')).to_have_text("**************3233")
    expect(page.locator("#lookup-message")).to_have_text("找到 1 位客户")
    shot(page, "desk-lookup", full_page=True)
    # the caller's own number: their record, in clear
    caller = page.locator("#call-caller").inner_text().strip()
    page.select_option("#lookup-by", "phone")
    page.fill("#lookup-query", caller)
    page.click("#lookup-submit")
    expect(card).to_have_attribute("data-masked", "no")
    expect(card.locator('dd[data-field="phone"]')).to_have_text(caller)
    expect(card).to_contain_text("本次来电客户")
    page.fill("#lookup-query", "13000000000")
    page.click("#lookup-submit")
    expect(page.locator("#lookup-message")).to_have_text("未找到电话为 13000000000 的客户")

    # two orders from this call; the lead assigns both and the complaint is answered
    fault = page.request.post(
        f"{demo.url}/api/orders", data={"type": "fault_report", "fields": FAULT}
    )
    assert fault.status == 201, fault.text()
    complaint = page.request.post(
        f"{demo.url}/api/orders", data={"type": "complaint", "fields": COMPLAINT}
    )
    assert complaint.status == 201, complaint.text()
    complaint_id = complaint.json()["id"]
    page.click("#btn-hangup")
    page.select_option("#disposition", "order_created")
    page.fill("#note", "停电报修与投诉各一张")
    page.select_option("#then", "not_ready")
    page.click("#btn-finish")
    expect(page.locator("#agent-state")).to_have_attribute("data-state", "not_ready")
    expect(page.locator("#lookup-query")).to_be_disabled()  # the call is over
    expect(page.locator("#lookup-results .lookup-card")).to_have_count(0)

    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    try:
        lead = context.new_page()
        log_in(lead, demo.url, "lead")
        url = f"{demo.url}/api/orders/{complaint_id}"
        assert lead.request.post(f"{url}/assign", data={"department": "marketing"}).ok
        repair = f"{demo.url}/api/orders/{fault.json()['id']}/assign"
        assert lead.request.post(repair, data={"department": "repair"}).ok
        assert lead.request.post(f"{url}/answer", data={"note": "已致歉"}).ok
    finally:
        context.close()

    # 我的工单: both orders with state and deadline; the complaint's return visit is owed
    page.click("#nav-my-orders")
    expect(page.locator("h1")).to_have_text("我的工单")
    rows = page.locator("#my-orders-rows tr[data-order]")
    expect(rows).to_have_count(2)
    fault_row = page.locator(f'#my-orders-rows tr[data-order="{fault.json()["id"]}"]')
    expect(fault_row).to_contain_text("故障报修")
    expect(fault_row).to_contain_text("已交办")
    expect(fault_row.locator(".my-next")).to_contain_text("剩余")
    expect(page.locator(f'#my-orders-rows tr[data-order="{complaint_id}"]')).to_contain_text(
        "已答复"
    )
    expect(page.locator('[data-count="open"]')).to_have_text("2")
    visit = page.locator(f'#my-visits-rows tr[data-order="{complaint_id}"]')
    expect(visit).to_be_visible()
    expect(page.locator("#my-visits-rows tr[data-order]")).to_have_count(1)
    shot(page, "agent-my-orders", full_page=True)
    page.click("#my-orders-tab-all")
    expect(page.locator("#my-orders-rows tr[data-order]")).to_have_count(2)


def test_the_callback_tasks_of_the_demo_morning_and_an_outcome(
    demo: DemoServer, page: Page, browser: Browser, shot: Shot
) -> None:
    log_in(page, demo.url, "9001")
    page.click("#nav-callbacks")
    expect(page.locator("h1")).to_have_text("回呼任务")
    expect(page.locator("#callbacks-scope")).to_contain_text("业务查询与咨询")
    rows = page.locator("#callbacks-rows tr[data-task]")
    expect(rows.first).to_be_visible(timeout=30_000)  # callers accepted callbacks overnight
    # the newest task: the 24小时回呼 campaign (outbound.yaml) dials the oldest first and
    # closes a task whose customer it reaches
    first = rows.last
    caller = first.locator(".cb-caller").inner_text()
    assert MASKED_PHONE.match(caller), caller  # an agent sees the number masked
    expect(first.locator(".cb-owner")).to_contain_text("坐席")
    queues = {rows.nth(i).get_attribute("data-queue") for i in range(rows.count())}
    assert "english" not in queues  # not a queue 9001 serves
    assert int(page.locator('[data-count="open"]').inner_text()) >= rows.count() > 0
    shot(page, "callbacks", full_page=True)

    task = first.get_attribute("data-task")
    first.locator(".cb-outcome").select_option("done")
    first.locator(".cb-save").click()
    expect(page.locator("#callbacks-message")).to_have_text(f"回呼任务 {task}：已回电")
    expect(page.locator(f'#callbacks-rows tr[data-task="{task}"]')).to_have_count(0)
    page.click("#callbacks-tab-closed")
    closed = page.locator(f'#callbacks-rows tr[data-task="{task}"]')
    expect(closed.locator(".cb-result")).to_contain_text("已回电 · 9001")

    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    try:
        lead = context.new_page()
        log_in(lead, demo.url, "lead")
        lead.goto(f"{demo.url}/callbacks?status=closed")
        row = lead.locator(f'#callbacks-rows tr[data-task="{task}"]')
        expect(row.locator(".cb-result")).to_contain_text("已回电 · 9001")
        assert re.fullmatch(r"\d{11}", row.locator(".cb-caller").inner_text())  # lead: clear
    finally:
        context.close()
