"""录音质检 in the demo: the QA inspector lands on 录音质检 with the day's sample already
dealt (the simulated inspector draws it), opens a sampled call's sheet with its recording,
waveform and speech analysis, opens an evaluation of another answered call by hand, scores
it on the 95598 form (a conditional question appears when it applies), finds it among
every evaluation, and the QA report and the daily report's 监听分值 have figures."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import DemoServer, Shot, log_in


def test_the_inspector_scores_an_answered_call_on_the_form(
    demo: DemoServer, page: Page, shot: Shot
) -> None:
    log_in(page, demo.url, "qa")
    # the day's sample, dealt to this inspector, with why each call was picked
    mine = page.locator("#qa-mine tbody")
    for _ in range(30):
        page.reload()
        if mine.locator("button").count():
            break
        page.wait_for_timeout(2_000)
    expect(mine).to_contain_text(re.compile("每周定额|投诉|保持过长|新员工|语音标记"))
    shot(page, "qa-queue", full_page=True)
    mine.locator("button").first.click()
    expect(page.locator("#qa-player")).to_contain_text("录音")
    expect(page.locator("#qa-player canvas")).to_be_visible()
    expect(page.locator("#qa-player")).to_contain_text("语音分析")
    shot(page, "qa-player", full_page=True)

    call = None
    for _ in range(30):  # an answered call nobody has evaluated yet
        calls = page.evaluate("fetch('/api/calls?limit=200').then(r => r.json())")
        taken = page.evaluate(
            "fetch('/api/qa/evaluations').then(r => r.json())"
            ".then(d => d.evaluations.map(e => e.call))"
        )
        answered = [c["call"] for c in calls if c.get("answered_at") and c["call"] not in taken]
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
    page.click("#qa-tabs button[data-tab=all]")
    row = page.locator("#qa-evaluations tbody tr", has_text=call)
    expect(row).to_contain_text("已评分")
    expect(row).to_contain_text("80.00")
    page.click("#qa-tabs button[data-tab=report]")
    expect(page.locator("#qa-report table")).to_contain_text("合计")
    shot(page, "qa-report", full_page=True)

    page.goto(f"{demo.url}/reports/daily")
    expect(page.locator("tr[data-figure=qa_score]")).to_contain_text(re.compile(r"\d+\.\d\d"))
