"""The console end to end: a supervisor watches the wallboard move, an agent takes a call.

Everything is real: `hotline demo` (engine, simulated callers and agents, SQLite, API) in a
subprocess, and Chromium driving the pages a person uses. The supervisor test runs first:
while the agent's call rings, talks or wraps up the demo clock drops to 1×.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import DemoServer, Shot, log_in


def _number(text: str) -> int:
    digits = re.sub(r"\D", "", text)
    return int(digits) if digits else -1


def test_login_says_why_it_failed(demo: DemoServer, page: Page) -> None:
    page.goto(f"{demo.url}/login")
    error = page.locator("#login-error")
    page.fill("#username", "qa")
    page.fill("#password", "wrong-password")
    page.click("#login-submit")
    expect(error).to_have_text("用户名或密码错误")
    for _ in range(5):  # the API refuses a sixth try within 5 minutes (429)
        page.click("#login-submit")
        page.wait_for_function("() => !document.getElementById('login-submit').disabled")
    expect(error).to_have_text("登录失败次数过多，请 5 分钟后再试")
    expect(page).to_have_url(f"{demo.url}/login")


def test_the_supervisor_sees_the_wallboard_numbers_move(
    demo: DemoServer, page: Page, shot: Shot
) -> None:
    log_in(page, demo.url, "supervisor", shot=shot)
    expect(page.locator("h1")).to_have_text("实时监控")
    expect(page.locator("#conn")).to_have_class(re.compile(r"\blive\b"))
    expect(page.locator("#queues .qcard")).to_have_count(7)
    expect(page.locator('#queues .qcard[data-queue="shift_lead"] h3')).to_contain_text("值班长")
    expect(page.locator("#agents .agent").first).to_be_visible()

    answered = page.locator("#total-answered")
    first = _number(answered.inner_text())
    # simulated calls keep flowing at 120×: the count moves without a reload
    page.wait_for_function(
        "([id, n]) => Number(document.getElementById(id).textContent.replace(/\\D/g, '')) > n",
        arg=["total-answered", first],
        timeout=30_000,
    )
    assert _number(answered.inner_text()) > first
    tier_cells = page.locator('#queues .qcard[data-queue="vip"] .tiers div')
    expect(tier_cells).to_have_count(3)
    expect(tier_cells.first).to_contain_text("高端")  # one name per tier
    # the chart when ECharts is vendored, else the notice; the numbers work either way
    if page.locator("#chart-missing").is_visible():
        expect(page.locator("#chart-missing")).to_contain_text("scripts/vendor-js.sh")
    else:
        expect(page.locator("#chart canvas")).to_have_count(1)
    page.wait_for_timeout(600)  # let one more snapshot land before the picture
    shot(page, "board", full_page=True)

    page.click("text=English")
    expect(page.locator("h1")).to_have_text("Wallboard")
    expect(page.locator("#kpi-waiting .label")).to_have_text("Waiting")


def test_an_agent_takes_a_call_from_pop_up_to_wrap_up(
    demo: DemoServer, page: Page, shot: Shot
) -> None:
    log_in(page, demo.url, "9001")
    state = page.locator("#agent-state")
    expect(page.locator("#conn")).to_have_class(re.compile(r"\blive\b"))
    expect(state).to_have_attribute("data-state", "logged_out")
    expect(page.locator("#script-greeting")).to_contain_text("我是9001号客服代表")

    page.click("#btn-login")  # 签入: logged in, not yet ready
    expect(state).to_have_attribute("data-state", "not_ready")
    page.click("#btn-ready")  # 示闲: the ACD may offer calls now
    expect(state).to_have_attribute("data-state", re.compile(r"ready|ringing"))

    # 来电弹屏: the morning's traffic reaches the seat. A simulated caller whose patience
    # runs out while the seat rings hangs up (the seat is ready again, the next call rings),
    # or the ring times out (the seat is 示忙 after a missed call): on a loaded machine that
    # can happen before 接听 lands, so the agent takes the next one, as a person would.
    popup = page.locator("#popup")
    for attempt in range(3):
        try:
            expect(popup).to_be_visible(timeout=45_000)
            expect(state).to_have_attribute("data-state", "ringing")
            badge = page.locator("#popup-badges .badge").first
            expect(badge).to_have_text(re.compile(r"^(VIP|中端|普通)$"))
            expect(page.locator("#popup-caller")).to_have_text(re.compile(r"\d{3}.*\d{4}"))
            expect(page.locator("#popup-orders")).to_have_text("暂无工单")
            if attempt == 0:
                shot(page, "desk-popup")
            page.click("#popup-answer")  # 接听
            expect(state).to_have_attribute("data-state", "talking")
            break
        except AssertionError:
            now = state.get_attribute("data-state")
            if attempt == 2 or now not in ("ready", "ringing", "not_ready"):
                raise
            if now == "not_ready":  # it rang out (4 rings) before 接听 landed: 示闲 again
                page.click("#btn-ready")
    expect(popup).to_be_hidden()
    expect(page.locator("#call-caller")).to_have_text(re.compile(r"\d"))
    expect(page.locator("#customer dt").first).to_have_text("户名")

    page.click("#btn-hold")  # 保持, then 取回
    expect(state).to_have_attribute("data-state", "hold")
    page.click("#btn-retrieve")
    expect(state).to_have_attribute("data-state", "talking")

    page.click("#btn-hangup")  # 挂断 → 事后处理 with its countdown
    expect(state).to_have_attribute("data-state", "wrap_up")
    acw = page.locator("#acw-panel")
    expect(acw).to_be_visible()
    clock = page.locator("#acw-clock")
    expect(clock).to_have_text(re.compile(r"^\d+:\d\d$"))
    before = clock.inner_text()
    page.wait_for_timeout(1600)
    assert clock.inner_text() != before  # it counts down, client-side, between snapshots
    page.select_option("#disposition", "solved")
    page.fill("#note", "客户咨询电费,已解答")
    shot(page, "desk-acw")

    page.click("#btn-finish")  # 完成 → ready again
    expect(acw).to_be_hidden()
    expect(state).to_have_attribute("data-state", re.compile(r"^(ready|ringing)$"))


def test_the_administrator_edits_configuration_and_sees_why_it_is_refused(
    demo: DemoServer, page: Page, shot: Shot, tmp_path: Path
) -> None:
    log_in(page, demo.url, "admin")
    page.goto(f"{demo.url}/admin")
    expect(page.locator("#doc-message")).to_contain_text("已加载")
    expect(page.locator("#doc-text")).to_have_value(re.compile(r"95598 供电服务热线"))
    expect(page.locator("#admin-queues")).to_contain_text("值班长 (升级与转接)")
    shot(page, "admin")

    text = page.locator("#doc-text").input_value()
    page.fill("#doc-text", text.replace("strategy: longest_idle", "strategy: fastest", 1))
    page.click("#doc-save")
    problems = page.locator("#doc-problems li")
    expect(problems.first).to_contain_text(re.compile(r"hotline\.yaml:\d+:\d+: .*strategy"))
    expect(page.locator("#doc-message")).to_contain_text("校验未通过")

    page.fill("#doc-text", text)  # the shipped text is valid: saved as a new version
    page.click("#doc-save")
    expect(page.locator("#doc-message")).to_contain_text(re.compile(r"已保存，版本 \d+"))
    expect(page.locator("#doc-problems")).to_be_hidden()

    # upload: a local file with a mistake fills the editor; saving shows where it is wrong
    broken = tmp_path / "hotline.yaml"
    broken.write_text(text.replace("ring_timeout: 12", "ring_timeout: -3", 1), encoding="utf-8")
    page.set_input_files("#doc-file", str(broken))
    expect(page.locator("#doc-message")).to_contain_text("已读入 hotline.yaml")
    expect(page.locator("#doc-text")).to_have_value(re.compile(r"ring_timeout: -3"))
    page.click("#doc-save")
    expect(problems.first).to_contain_text(re.compile(r"hotline\.yaml:\d+:\d+: .*ring_timeout"))
