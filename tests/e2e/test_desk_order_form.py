"""The desk's order form and wrap-up in a real browser (issue 14).

Agent 9001 takes simulated calls from `hotline demo` (its own server for this module):

- the form is filled from the caller's customer card, long text fields are multi-line with
  their configured limit counted, and a refusal names each field in Chinese next to it;
- an answer lost on the way back (the server saved, the browser saw a network error)
  followed by a double click on 提交工单 makes one order: the form sends the same
  idempotency key again, the button is disabled while it sends, the form clears after;
- wrap-up proposes 已建工单 on a call with an order and preselects nothing on a call
  without one: 完成 waits for the agent's choice.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, Route, expect

from tests.e2e.conftest import DemoServer, Shot, log_in


def _answer_next_call(page: Page) -> None:
    expect(page.locator("#popup")).to_be_visible(timeout=45_000)
    page.click("#popup-answer")
    expect(page.locator("#agent-state")).to_have_attribute("data-state", "talking")


def _card(page: Page) -> dict[str, str]:
    """The customer card on the desk (户名, 户号, 联系电话, 证件号码, 地址), by label."""
    expect(page.locator("#customer dt").first).to_have_text("户名")
    labels = page.locator("#customer dt").all_inner_texts()
    values = page.locator("#customer dd").all_inner_texts()
    return dict(zip(labels, values, strict=False))


def test_the_order_form_from_the_call_to_wrap_up(demo: DemoServer, page: Page, shot: Shot) -> None:
    log_in(page, demo.url, "9001")
    expect(page.locator("#conn")).to_have_class(re.compile(r"\blive\b"))
    page.click("#btn-login")
    expect(page.locator("#agent-state")).to_have_attribute("data-state", "not_ready")
    page.click("#btn-ready")
    _answer_next_call(page)
    card = _card(page)
    call_id = page.request.get(f"{demo.url}/api/desk").json()["call"]["id"]

    # 投诉: the caller's name and number come from the card; 投诉内容 is a textarea, 0/2000
    page.select_option("#order-new-type", "complaint")
    expect(page.locator("#order-field-customer_name")).to_have_value(card["户名"])
    expect(page.locator("#order-field-phone")).to_have_value(card["联系电话"])
    expect(page.locator("#order-new-prefilled")).to_be_visible()
    content = page.locator("#order-field-content")
    expect(content).to_have_js_property("tagName", "TEXTAREA")
    counter = page.locator("#order-count-content")
    expect(counter).to_have_text("0/2000")
    content.fill("字" * 2001)  # one over the configured 2,000: counted, then refused
    expect(counter).to_have_text("2001/2000")
    expect(counter).to_have_class(re.compile(r"\bover\b"))
    page.click("#order-new-submit")
    expect(page.locator("#order-problem-content")).to_have_text(
        "投诉内容：最多 2000 字，现有 2001 字"
    )
    expect(page.locator("#order-problem-cause")).to_have_text("投诉原因：必填")
    expect(page.locator("#order-problem-phone")).to_be_hidden()
    expect(page.locator("#order-new-message")).to_contain_text("工单未保存")
    shot(page, "desk-order-form")

    # 业务查询: 户号 from the card too; the answer to the first try is lost on the way back
    page.select_option("#order-new-type", "query")
    expect(page.locator("#order-field-account")).to_have_value(card["户号"])
    expect(page.locator("#order-count-content")).to_have_text("0/500")
    page.fill("#order-field-content", "查询上月电费明细")
    expect(page.locator("#order-count-content")).to_have_text("8/500")
    sent: list[dict[str, Any]] = []

    def lose_the_first_answer(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        sent.append(route.request.post_data_json)
        if len(sent) == 1:
            route.fetch()  # the server saves the order …
            route.abort()  # … and the browser never hears back
        else:
            route.continue_()

    page.route(re.compile(r"/api/orders$"), lose_the_first_answer)
    page.click("#order-new-submit")
    expect(page.locator("#order-new-message")).to_contain_text("工单未保存")
    page.dblclick("#order-new-submit")  # the agent tries again, with a double click
    message = page.locator("#order-new-message")
    expect(message).to_contain_text(re.compile(r"已创建工单 \d+"))
    order = message.get_attribute("data-order")
    assert order is not None
    assert len(sent) == 2  # the double click sent one request: the button was disabled
    assert sent[0]["idempotency_key"] == sent[1]["idempotency_key"]
    mine = page.request.get(f"{demo.url}/api/orders?call={call_id}").json()
    assert [str(o["id"]) for o in mine] == [order]  # one order, however many clicks
    expect(page.locator("#order-new-type")).to_have_value("")  # the form is clear
    expect(page.locator("#order-new-fields")).to_be_empty()
    expect(page.locator("#order-new-submit")).to_be_disabled()
    page.unroute(re.compile(r"/api/orders$"))

    # wrap-up proposes 已建工单 on this call and says why
    page.click("#btn-hangup")
    expect(page.locator("#acw-panel")).to_be_visible()
    disposition = page.locator("#disposition")
    expect(disposition).to_have_value("order_created")
    expect(page.locator("#disposition-proposed")).to_contain_text(f"本次通话已建工单 {order}")
    expect(page.locator("#btn-finish")).to_be_enabled()
    shot(page, "desk-acw-proposed")
    page.click("#btn-finish")  # then: 示闲 (the default) — the next call comes
    expect(page.locator("#acw-panel")).to_be_hidden()

    # a call without an order: nothing is chosen for the agent, 完成 waits for a choice
    _answer_next_call(page)
    page.click("#btn-hangup")
    expect(page.locator("#acw-panel")).to_be_visible()
    expect(disposition).to_have_value("")
    expect(disposition.locator("option:checked")).to_have_text("请选择处理结果")
    expect(page.locator("#disposition-proposed")).to_be_hidden()
    expect(page.locator("#btn-finish")).to_be_disabled()
    page.select_option("#disposition", "solved")
    expect(page.locator("#btn-finish")).to_be_enabled()
    expect(page.locator("#note-required")).to_be_visible()  # 已解答 needs a note
    page.click("#btn-finish")
    expect(page.locator("#desk-message")).to_contain_text("此处理结果须填写备注")
    expect(page.locator("#acw-panel")).to_be_visible()  # nothing was sent
    page.fill("#note", "客户咨询停电时间，已解答")
    page.select_option("#then", "not_ready")
    page.click("#btn-finish")
    expect(page.locator("#agent-state")).to_have_attribute("data-state", "not_ready")
    ledger = page.request.get(f"{demo.url}/api/orders?call={call_id}").json()
    assert len(ledger) == 1
