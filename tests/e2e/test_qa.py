"""录音质检 in the demo: the QA inspector lands on 录音质检, opens an evaluation of an
answered call, scores it on the 95598 form (a question left unanswered is pointed out,
then the score), and the daily report's 监听分值 shows it."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import DemoServer, Shot, log_in


def test_the_inspector_scores_an_answered_call_on_the_form(
    demo: DemoServer, page: Page, shot: Shot
) -> None:
    log_in(page, demo.url, "qa")
    call = None
    for _ in range(30):  # the demo's first calls are answered within seconds
        calls = page.evaluate("fetch('/api/calls?limit=200').then(r => r.json())")
        answered = [c["call"] for c in calls if c.get("answered_at")]
        if answered:
            call = answered[-1]
            break
        page.wait_for_timeout(2_000)
    assert call is not None, "no answered call in the demo"
    page.fill("#qa-call", call)
    page.click("#qa-open-button")
    expect(page.locator("#qa-message")).to_contain_text("已新建质检")
    sheet = page.locator("#qa-questions")
    expect(sheet).to_contain_text("使用标准开头语")
    expect(sheet.locator("[data-question=forbidden]")).to_contain_text("致命项")
    # the order question applies only when an order was needed
    order = sheet.locator("[data-question=order_correct]")
    expect(order).to_be_hidden()
    sheet.locator("[data-question=order_needed] input[value=yes]").check()
    expect(order).to_be_visible()
    for question in sheet.locator(".qa-question:visible").all():
        choices = question.locator("input[type=radio]")
        values = [choices.nth(i).get_attribute("value") for i in range(choices.count())]
        pick = "yes" if "yes" in values else [v for v in values if v != "na"][-1]
        question.locator(f"input[value='{pick}']").check()
    sheet.locator("[data-question=accuracy] input[value=no]").check()  # 20 points, critical
    shot(page, "qa-sheet", full_page=True)
    page.click("#qa-submit")
    expect(page.locator("#qa-message")).to_contain_text("已评分：80.00 分")
    expect(page.locator("#qa-result-detail")).to_contain_text("关键项不合格")
    expect(page.locator("#qa-evaluations tbody")).to_contain_text("已评分")

    page.goto(f"{demo.url}/reports/daily")
    expect(page.locator("tr[data-figure=qa_score]")).to_contain_text(re.compile(r"80\.00"))
