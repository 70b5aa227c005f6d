"""激励积分 in the demo: the shift lead opens the month's leaderboard per team, gives agent
9001 points for a letter of praise (表扬信) and sees it on the board; agent 9001 sees their
own team's board and, line by line, why they have their points — the lines adding up to
the total."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import DemoServer, Shot, log_in


def test_a_lead_gives_points_and_the_agent_sees_why(
    demo: DemoServer, page: Page, shot: Shot
) -> None:
    log_in(page, demo.url, "lead")
    page.click("#nav-points")
    page.wait_for_url(f"{demo.url}/points")
    board = page.locator("#pts-board")
    expect(board.locator(".pts-team").first).to_be_visible()
    expect(page.locator("#pts-state")).to_contain_text("本月进行中")
    expect(page.locator("#pts-rules")).to_contain_text("服务之星")
    teams = board.locator(".pts-team h3").all_inner_texts()
    assert any("未分组" in name for name in teams), teams
    assert len(teams) >= 2, teams  # the simulated agents' teams and the human seats
    row = board.locator("tr[data-agent='9001']")
    before = int(row.get_attribute("data-points") or "0")

    page.fill("#pts-agent", "9001")
    page.fill("#pts-points", "5")
    page.fill("#pts-reason", "客户来信表扬")
    page.click("#pts-give-button")
    expect(page.locator("#pts-message")).to_contain_text("已给 9001 +5 分")
    expect(page.locator("#pts-grants tbody")).to_contain_text("客户来信表扬")
    expect(row).to_have_attribute("data-points", str(before + 5))
    detail = page.locator("#pts-detail")
    expect(detail).to_be_visible()
    expect(detail.locator("#pts-items")).to_contain_text("手工积分")
    shot(page, "points-lead", full_page=True)
    page.goto(f"{demo.url}/points?lang=en")  # the same page in English: words, no keys
    expect(page.locator("#pts-rules")).to_contain_text("Service star")
    expect(page.locator("#pts-board .pts-team").first).to_contain_text("Avg. QA score")
    english = page.locator("main").inner_text()
    assert re.search(r"\bincentives\.(?!yaml)\w", english) is None, english

    page.context.clear_cookies()
    log_in(page, demo.url, "9001")
    page.goto(f"{demo.url}/points")
    expect(page.locator("#pts-detail-title")).to_have_text("我的积分")
    items = page.locator("#pts-items tbody tr[data-source]")
    expect(items.filter(has_text="客户来信表扬")).to_have_count(1)
    expect(page.locator("#pts-give")).to_have_count(0)  # an agent gives no points
    # the agent's board is their own team's only, with themselves marked
    expect(page.locator("#pts-board .pts-team")).to_have_count(1)
    expect(page.locator("tr.pts-me")).to_contain_text("（我）")
    total = int(page.locator("#pts-total").inner_text().lstrip("+"))
    lines = [int(v) for v in items.evaluate_all("rows => rows.map(r => r.dataset.points)")]
    assert total == sum(lines)
    expect(page.locator("tr.pts-me")).to_have_attribute("data-points", str(total))
    expect(page.locator("#pts-summary")).to_contain_text(re.compile(r"班组第 \d+ 名"))
    shot(page, "points-agent", full_page=True)
