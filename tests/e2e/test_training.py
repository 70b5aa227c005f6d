"""培训与考核 in the demo: an agent takes the monthly exam in the browser (the paper, the
timer, handed in once, the result with the right answers and explanations), and the
shift lead ticks an item of the agent's KBI checklist, which the agent then sees."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DemoServer, Shot, log_in


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """`hotline demo` at 120× as in the other browser tests, given longer to start (the
    first start builds the database and seeds the demo on a possibly busy machine)."""
    server = DemoServer(tmp_path_factory.mktemp("demo"), speed=120, extra=[])
    try:
        server.wait_ready(timeout=240.0)
        yield server
    finally:
        server.stop()


def test_an_agent_takes_the_monthly_exam(demo: DemoServer, page: Page, shot: Shot) -> None:
    log_in(page, demo.url, "9001")
    page.goto(f"{demo.url}/my-training")
    expect(page.locator("#tr-state")).to_contain_text("独立上岗")
    exam = page.locator("#tr-exams tr[data-exam=monthly]")
    expect(exam).to_contain_text("月度业务考试")
    exam.locator(".tr-start").click()
    expect(page.locator("#tr-paper")).to_be_visible()
    expect(page.locator("#tr-timer")).to_contain_text(re.compile(r"剩余时间 (29|30):"))
    questions = page.locator("#tr-questions .tr-question")
    expect(questions).to_have_count(10)
    for n in range(10):  # the first choice of every question: some right, some wrong
        questions.nth(n).locator("input").first.check()
    shot(page, "training-exam", full_page=True)
    page.click("#tr-submit")
    expect(page.locator("#tr-message")).to_contain_text(
        re.compile(r"\d+\.\d\d 分（答对 \d+ / 10 题）")
    )
    expect(page.locator("#tr-submit")).to_be_hidden()  # handed in once
    expect(page.locator("#tr-result-score")).to_contain_text(re.compile("合格|不合格"))
    wrong = page.locator("#tr-questions [data-verdict=wrong]")
    if wrong.count():
        expect(wrong.first).to_contain_text("正确答案：")
    expect(page.locator("#tr-attempts tbody")).to_contain_text("已交卷")
    shot(page, "training-result", full_page=True)


def test_the_lead_ticks_an_agents_checklist_item(demo: DemoServer, page: Page, shot: Shot) -> None:
    log_in(page, demo.url, "lead")
    page.goto(f"{demo.url}/training")
    expect(page.locator("#tr-agents tr[data-agent='9001']")).to_contain_text("独立上岗")
    expect(page.locator("#tr-results tbody")).to_contain_text("月度业务考试")
    expect(page.locator("#tr-kbi-role option")).to_have_count(4)
    page.select_option("#tr-kbi-role", "agent")
    page.fill("#tr-kbi-person", "9001")
    page.click("#tr-kbi-load")
    item = page.locator("#tr-kbi-items tr[data-item=a11]")  # weekly: 学习本周重点业务
    expect(item).to_contain_text("学习本周下发的培训质检重点业务")
    item.locator(".tr-tick").click()
    expect(page.locator("#tr-message")).to_contain_text("已检查")
    expect(item).to_have_attribute("data-ticked", "yes")
    expect(item).to_contain_text("lead 于")
    expect(page.locator("#tr-checklist-count")).to_contain_text(
        re.compile(r"已检查 [1-9]\d* / 12 项")
    )
    shot(page, "training-kbi", full_page=True)

    log_in(page, demo.url, "9001")
    page.goto(f"{demo.url}/my-training")
    expect(page.locator("#tr-kbi-items tr[data-item=a11]")).to_have_attribute("data-ticked", "yes")
