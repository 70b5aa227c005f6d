"""排班 in the demo: the planner finds this week's plan published within the first minutes
(forecast against the actual calls, the staffing, the roster, adherence), an agent sees
their week, the supervisor's wallboard counts who is out of adherence."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import DemoServer, Shot, log_in


def test_the_planner_the_agent_and_the_supervisor_see_the_published_week(
    demo: DemoServer, page: Page, shot: Shot
) -> None:
    log_in(page, demo.url, "planner")
    plans = page.locator("#wfm-plans tbody")
    for _ in range(20):  # the demo makes and publishes the plan in the background
        if plans.locator("tr[data-status=published]").count():
            break
        page.wait_for_timeout(10_000)
        page.reload()
    published = plans.locator("tr[data-status=published]")
    expect(published).to_have_count(1)
    expect(published).to_contain_text("已发布")
    expect(page.locator("#wfm-plan-title")).to_contain_text("已发布")
    accuracy = page.locator("#wfm-accuracy tbody")
    expect(accuracy).to_contain_text("故障报修")  # queues by their titles, not codes
    expect(accuracy).to_contain_text("（采用）")
    shot(page, "planning-forecast", full_page=True)

    page.click("#wfm-tabs button[data-tab=staffing]")
    expect(page.locator("#wfm-week-figures")).to_contain_text(re.compile(r"本周覆盖率 \d+(\.\d)?%"))
    expect(page.locator("#wfm-patience")).to_contain_text("Erlang A 的客户耐心时长")
    # the twin checks Monday of the roster with the callers' tiers the log saw
    page.click("#wfm-twin-run")
    summary = page.locator("#wfm-twin-summary")
    expect(summary).to_contain_text("来电客户等级", timeout=60_000)
    expect(summary).to_contain_text(re.compile(r"\d+ 轮"))
    page.click("#wfm-tabs button[data-tab=roster]")
    rows = page.locator("#wfm-roster tbody tr")
    expect(rows).to_have_count(87)  # wfm.yaml's 84 simulated agents and 3 seats
    expect(page.locator("#wfm-roster tbody tr[data-agent='1001']")).to_contain_text(
        re.compile(r"\d\d:\d\d–\d\d:\d\d")
    )
    shot(page, "planning-roster", full_page=True)
    page.click("#wfm-tabs button[data-tab=adherence]")
    kpis = page.locator("#wfm-adherence-kpis")
    expect(kpis.locator("[data-field=present]")).to_contain_text("班次出勤")
    shot(page, "planning-adherence", full_page=True)

    page.context.clear_cookies()
    log_in(page, demo.url, "9001")
    page.goto(f"{demo.url}/my-schedule")
    days = page.locator("#mine-days tbody tr")
    expect(days).to_have_count(7)
    expect(page.locator("#mine-days")).to_contain_text(re.compile(r"\d\d:\d\d–\d\d:\d\d"))

    page.context.clear_cookies()
    log_in(page, demo.url, "supervisor")
    # the daily report has the published week's adherence section (shifts count once
    # they began after publishing and ended: none yet in the demo's first minutes)
    page.goto(f"{demo.url}/reports/daily")
    expect(page.locator("h2", has_text="排班遵守与出勤")).to_be_visible()
    page.goto(f"{demo.url}/board")
    # 9001–9003 are people's seats, scheduled but not logged in: out of adherence when on shift
    expect(page.locator("#agents-summary")).to_contain_text("人在线")
