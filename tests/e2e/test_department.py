"""A letter becomes a fault order and the repair team follows it up, in the browser.

The shift lead records a 来信 on 新建工单 (no call), opens it and 交办s it: the drop-down
proposes the type's department (抢修班). The repair team's user (qiangxiu, one of the demo's
department users) lands on 我的部门工单, opens the order, sees the address and phone it
needs on site, records 到达现场 well within the 45 minutes, and the arrival deadline
reads 按时完成 (met), not 超时.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import PASSWORD, VIEWPORT, DemoServer, Shot, log_in


def _log_in_department(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{base}/orders/department")


def _record_a_letter(page: Page, base: str, shot: Shot) -> str:
    log_in(page, base, "lead")
    page.click("#nav-orders-new")
    expect(page.locator("h1")).to_have_text("新建工单")
    page.select_option("#order-new-source", "letter")
    page.select_option("#order-new-type", "fault_report")
    page.fill("#order-field-customer_name", "孙七")
    page.fill("#order-field-phone", "13500135000")
    page.fill("#order-field-address", "解放路8号3单元")
    page.fill("#order-field-area", "解放路")
    page.select_option("#order-field-area_class", "urban")
    page.fill("#order-field-symptom", "来信反映：单户停电")
    shot(page, "lead-new-order")
    page.click("#order-new-submit")
    message = page.locator("#order-new-message")
    expect(message).to_contain_text(re.compile(r"已创建工单 \d+"))
    order = message.get_attribute("data-order")
    assert order is not None
    assert order.isdigit()
    expect(page.locator("#order-field-symptom")).to_have_count(0)  # a clean form for the next
    return order


def test_the_repair_team_meets_the_arrival_deadline(
    demo: DemoServer, page: Page, browser: Browser, shot: Shot
) -> None:
    order = _record_a_letter(page, demo.url, shot)

    page.goto(f"{demo.url}/orders/{order}")
    expect(page.locator("#order-source")).to_have_text("来信")
    expect(page.locator("#order-caller")).to_have_text("—")  # no call behind a letter
    expect(page.locator("#assign-department")).to_have_value("repair")  # the type's department
    expect(page.locator("#assign-proposed")).to_be_visible()
    page.click("#btn-assign")
    expect(page.locator("#order-state")).to_have_text("已交办")
    expect(page.locator('#order-deadlines tr[data-deadline="arrival"]')).to_contain_text("正常")

    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(15_000)
    try:
        crew = context.new_page()
        _log_in_department(crew, demo.url, "qiangxiu")
        expect(crew.locator("h1")).to_have_text("我的部门工单")
        expect(crew.locator("#department-name")).to_contain_text("抢修班")
        row = crew.locator(f'#department-rows tr[data-order="{order}"]')
        expect(row).to_contain_text("故障报修")
        expect(row).to_contain_text(re.compile(r"到达现场 剩余 \d+:\d\d"))
        expect(row).to_contain_text("解放路")
        expect(crew.locator("#nav-calls")).to_have_count(0)
        shot(crew, "department-orders")

        row.locator("a").click()
        expect(crew.locator("h1")).to_have_text(f"工单 {order}")
        phone = crew.locator('#order-fields dd[data-field="phone"]')
        expect(phone).to_have_text("13500135000")  # the crew calls the customer from the site
        expect(crew.locator("#btn-assign")).to_have_count(0)  # 交办 is the lead's
        arrived = crew.locator("#btn-follow-arrived")
        expect(arrived).to_have_text("到达现场")
        expect(crew.locator("#btn-follow-restored")).to_have_text("已送电")
        crew.fill("#action-note", "抢修人员已到达，正在排查")
        arrived.click()
        expect(crew.locator("#order-message")).to_have_text("已到达现场")
        arrival = crew.locator('#order-deadlines tr[data-deadline="arrival"] .dl')
        expect(arrival).to_have_attribute("data-status", "met")
        expect(arrival).to_have_text("按时完成")
        expect(crew.locator('#order-steps tr[data-kind="followed_up"]')).to_contain_text(
            "跟进：到达现场"
        )
        feedback = crew.locator('#order-deadlines tr[data-deadline="site_feedback"] .dl')
        expect(feedback).to_have_attribute("data-status", re.compile(r"ok|near"))
        shot(crew, "department-follow-up", full_page=True)
    finally:
        context.close()
