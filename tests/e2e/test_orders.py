"""A work order end to end in the browser: recorded on the agent desk from a live call,
assigned and answered by the supervisor, visited by the agent from the return-visit list.

`hotline demo` runs as a subprocess (its own server for this module); agent 9002 takes a
simulated call, so the order carries that call's id and number, as the API takes them
from the agent's own desk.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import VIEWPORT, DemoServer, Shot, log_in


def _take_a_call(page: Page, base: str) -> None:
    log_in(page, base, "9002")
    state = page.locator("#agent-state")
    expect(page.locator("#conn")).to_have_class(re.compile(r"\blive\b"))
    page.click("#btn-login")  # 签入
    expect(state).to_have_attribute("data-state", "not_ready")
    page.click("#btn-ready")  # 示闲
    expect(page.locator("#popup")).to_be_visible(timeout=45_000)
    expect(page.locator("#order-new-panel")).to_be_hidden()  # not while it only rings
    page.click("#popup-answer")  # 接听
    expect(state).to_have_attribute("data-state", "talking")


def test_an_order_goes_from_the_call_to_the_return_visit(
    demo: DemoServer, page: Page, browser: Browser, shot: Shot
) -> None:
    _take_a_call(page, demo.url)

    # 新建工单: the query type's fields, the required ones marked; empty ones are refused
    panel = page.locator("#order-new-panel")
    expect(panel).to_be_visible()
    page.select_option("#order-new-type", "query")
    expect(panel.locator('label[data-field="content"]')).to_contain_text("查询内容 *")
    expect(panel.locator('label[data-field="account"]')).not_to_contain_text("*")
    page.fill("#order-field-phone", "")  # the number the call filled in, cleared
    page.click("#order-new-submit")
    expect(page.locator("#order-problem-content")).to_have_text("查询内容：必填")
    expect(page.locator("#order-problem-phone")).to_have_text("联系电话：必填")
    expect(page.locator("#order-problem-customer_name")).to_be_hidden()
    expect(page.locator("#order-new-message")).to_contain_text("工单未保存")

    page.fill("#order-field-phone", "13800001111")
    page.fill("#order-field-customer_name", "张三")  # the card's name, corrected
    page.select_option("#order-field-customer_type", "resident")
    page.fill("#order-field-content", "查询上月电费明细")
    page.click("#order-new-submit")
    message = page.locator("#order-new-message")
    expect(message).to_contain_text(re.compile(r"已创建工单 \d+"))
    order = message.get_attribute("data-order")
    assert order is not None
    assert order.isdigit()

    page.click("#btn-hangup")  # the call ends; the seat goes not ready after wrap-up
    page.select_option("#then", "not_ready")
    page.click("#btn-finish")
    expect(page.locator("#agent-state")).to_have_attribute("data-state", "not_ready")

    # the supervisor: 交办 to the billing centre, then 答复
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(15_000)
    try:
        boss = context.new_page()
        log_in(boss, demo.url, "supervisor")
        boss.click("#nav-orders")
        row = boss.locator(f'#orders-rows tr[data-order="{order}"]')
        expect(row).to_contain_text("业务查询")
        expect(row).to_contain_text("受理")
        row.locator("a").click()
        expect(boss.locator("h1")).to_have_text(f"工单 {order}")
        expect(boss.locator("#order-state")).to_have_text("受理")
        expect(boss.locator('#order-fields dd[data-field="content"]')).to_have_text(
            "查询上月电费明细"
        )
        expect(boss.locator('#order-steps tr[data-kind="accepted"]')).to_contain_text("9002")
        boss.select_option("#assign-department", "billing")
        boss.fill("#action-note", "请核实电费")
        boss.click("#btn-assign")
        expect(boss.locator("#order-state")).to_have_text("已交办")
        assigned = boss.locator('#order-steps tr[data-kind="assigned"]')
        expect(assigned).to_contain_text("supervisor")
        expect(assigned).to_contain_text("电费管理中心")
        answer_clock = boss.locator('#order-deadlines tr[data-deadline="department_answer"]')
        expect(answer_clock.locator(".dl")).to_have_attribute("data-status", "ok")  # green
        expect(boss.locator("#btn-answer")).to_be_visible()
        boss.click("#btn-answer")
        expect(boss.locator("#order-state")).to_have_text("已答复")
        expect(answer_clock.locator(".dl")).to_have_text("按时完成")
        expect(boss.locator("#btn-assign")).to_be_hidden()
    finally:
        context.close()

    # the agent: 回访 from the work list, score 5, 满意
    page.click("#nav-visits")
    visit = page.locator(f'#visits-rows tr[data-order="{order}"]')
    expect(visit).to_contain_text("张三")
    visit.locator(".visit-score").select_option("5")
    visit.locator(".visit-opinion").fill("满意")
    shot(page, "visits")
    visit.locator(".visit-save").click()
    expect(page.locator("#visits-message")).to_contain_text(f"工单 {order} 已回访：已回访")
    expect(visit).to_have_count(0)

    page.goto(f"{demo.url}/orders/{order}")
    expect(page.locator("#order-state")).to_have_text("已回访")
    expect(page.locator("#order-visits")).to_contain_text("满意")
    shot(page, "order-detail", full_page=True)
    expect(page.locator('#order-steps tr[data-kind="visited"]')).to_contain_text("9002")
