"""外呼管理 in the demo: the supervisor opens the page and finds the standing 24小时回呼
running with its calls counted, imports a small call list (one row refused and said why),
starts the new campaign and watches its calls count move.

The demo starts at 18:00: an imported list's residents are called after work
(outbound.yaml: 18:00–21:00), and the 外呼组's mid shift is still on. Running the simulated
day up to then takes the demo a minute or two before it answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import VIEWPORT, DemoServer, Shot, log_in

LIST = (
    "电话,姓名,客户类别,重要客户\n"
    "13912340001,张一,居民,是\n"
    "13912340002,张二,居民,否\n"
    "13912340003,张三,居民,否\n"
    "1391234,张四,居民,否\n"  # row 5: too short to call
    "13912340005,张五,居民,否\n"
)
NAME = "电费通知（晚间补呼）"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """`hotline demo` at 120× from 18:00, given long enough to run the day up to then."""
    server = DemoServer(tmp_path_factory.mktemp("demo"), speed=120, extra=["--start", "18:00"])
    try:
        server.wait_ready(timeout=420.0)
        yield server
    finally:
        server.stop()


def test_the_supervisor_runs_an_imported_list_beside_the_standing_campaigns(
    demo: DemoServer, page: Page, shot: Shot, tmp_path: Path
) -> None:
    log_in(page, demo.url, "supervisor")
    page.click("#nav-outbound")
    expect(page.locator("h1")).to_have_text("外呼管理")
    callbacks = page.locator('.ob-card[data-campaign="callbacks"]')
    expect(callbacks.locator("h3")).to_have_text("24小时回呼")
    expect(callbacks.locator(".ob-state")).to_have_text("进行中")
    expect(callbacks.locator(".ob-target")).to_contain_text("接通后转坐席：外呼组 · 预测式外呼")
    # the page reads the campaigns again every 5 s: the calls show up without a reload
    expect(callbacks.locator("[data-figure=calls] dd")).to_have_text(
        re.compile(r"^[1-9]\d*$"), timeout=90_000
    )
    expect(callbacks.locator("[data-figure=answer_rate] dd")).to_have_text(re.compile(r"%$"))
    expect(callbacks.locator("button[data-action=stop]")).to_be_disabled()  # standing
    shot(page, "outbound", full_page=True)

    listed = tmp_path / "晚间名单.csv"
    listed.write_text(LIST, encoding="utf-8")
    page.fill("#outbound-name", NAME)
    page.check("#outbound-to-prompt")
    page.select_option("#outbound-prompt", "notice_bill")
    page.select_option("#outbound-pacing", "progressive")
    page.set_input_files("#outbound-file", str(listed))
    page.click("#outbound-import-submit")
    expect(page.locator("#outbound-import-message")).to_contain_text(
        f"已导入「{NAME}」：接受 4 位客户。1 行有误未导入"
    )
    problem = page.locator('#outbound-problems tr[data-row="5"]')
    expect(problem).to_contain_text("电话")
    expect(problem).to_contain_text("不是电话号码")
    card = page.locator(".ob-card", has_text=NAME)
    expect(card.locator(".ob-state")).to_have_text("未开始")
    expect(card.locator(".ob-target")).to_contain_text("自动语音通知：您好！国网XX供电公司")
    expect(card.locator("[data-figure=pending] dd")).to_have_text("4")
    expect(card.locator("[data-figure=calls] dd")).to_have_text("0")
    expect(card.locator("button[data-action=pause]")).to_be_disabled()
    shot(page, "outbound-import", full_page=True)

    card.locator("button[data-action=start]").click()
    expect(page.locator("#outbound-message")).to_contain_text(f"「{NAME}」进行中")
    expect(card.locator(".ob-state")).to_have_text("进行中")
    expect(card.locator("button[data-action=start]")).to_be_disabled()
    expect(card.locator("[data-figure=calls] dd")).to_have_text(
        re.compile(r"^[1-9]\d*$"), timeout=60_000
    )
    expect(card.locator(".ob-progress span")).to_contain_text(re.compile(r"名单进度 [1-4] / 4"))
    card.locator("button.ob-list").click()
    rows = page.locator("#outbound-entries tr")
    expect(rows).to_have_count(4)
    expect(rows.first).to_contain_text("139****0001")
    expect(rows.first).to_contain_text("重要客户")
    shot(page, "outbound-calls", full_page=True)

    # 实时监控: the campaigns' progress beside the queues, the imported one among them
    page.goto(f"{demo.url}/board")
    panel = page.locator("#outbound-panel")
    expect(panel).to_be_visible(timeout=15_000)
    expect(panel.locator('tr[data-campaign="callbacks"]')).to_contain_text("24小时回呼")
    expect(panel.locator('tr[data-campaign="callbacks"]')).to_contain_text("进行中")
    expect(panel).to_contain_text(NAME)
    expect(panel.locator("td").last).to_contain_text("/ 3.0%")
    shot(page, "board-outbound", full_page=True)


PREVIEW = (
    "电话,姓名,客户类别,重要客户,户号\n"
    "13912350001,赵一,居民,否,0102030401\n"
    "13912350002,赵二,居民,是,0102030402\n"
    "13912350003,赵三,居民,否,0102030403\n"
    "13912350004,赵四,居民,否,0102030404\n"
    "13912350005,赵五,居民,否,0102030405\n"
)


def test_an_agent_dials_a_preview_list_from_the_desk_and_says_who_answered(
    demo: DemoServer, page: Page, browser: Browser, shot: Shot, tmp_path: Path
) -> None:
    """The lead imports a 预览式 list for 业务咨询's agents and starts it; agent 9003, 示忙 so
    that no inbound call comes first, is shown the important customer first (number masked,
    户号 shown), dials, answers the customer on the desk, marks 本人 and hangs up. A customer
    who does not answer gives the agent its 示忙 back; the agent takes the next record."""
    lead = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    lead.set_default_timeout(15_000)
    try:
        boss = lead.new_page()
        log_in(boss, demo.url, "lead")
        boss.goto(f"{demo.url}/outbound")
        listed = tmp_path / "预约回访.csv"
        listed.write_text(PREVIEW, encoding="utf-8")
        boss.fill("#outbound-name", "预约回访")
        boss.select_option("#outbound-queue", "query")
        boss.select_option("#outbound-pacing", "preview")
        boss.set_input_files("#outbound-file", str(listed))
        boss.click("#outbound-import-submit")
        expect(boss.locator("#outbound-import-message")).to_contain_text("接受 5 位客户")
        card = boss.locator(".ob-card", has_text="预约回访")
        card.locator("button[data-action=start]").click()
        expect(card.locator(".ob-state")).to_have_text("进行中")
    finally:
        lead.close()

    log_in(page, demo.url, "9003")
    state = page.locator("#agent-state")
    page.click("#btn-login")  # 签入: not ready, so no inbound call takes the seat first
    expect(state).to_have_attribute("data-state", "not_ready")
    panel = page.locator("#desk-outbound")
    expect(panel).to_be_visible()
    expect(page.locator("#ob-waiting")).to_have_text("待拨 5 条")
    page.click("#ob-next")
    record = page.locator("#ob-record")
    expect(record).to_contain_text("赵二")  # 重要客户 first
    expect(record).to_contain_text("139****0002")
    expect(record).to_contain_text("0102030402")
    expect(record).to_contain_text("居民")
    expect(record).not_to_contain_text("13912350002")
    shot(page, "desk-outbound-preview")

    # customers answer by chance: dial record after record until one answers
    popup = page.locator("#popup")
    for _ in range(5):
        page.click("#ob-dial")
        either = page.locator("#popup:not([hidden]), #ob-status:not([hidden]):has-text('再拨')")
        expect(either.first).to_be_visible(timeout=30_000)
        if popup.is_visible():
            expect(page.locator("#popup-title")).to_have_text("外呼接通")  # not 来电弹屏
            page.click("#popup-answer")
            break
        # no answer or busy: said on the panel, the seat 示忙 again, the next record
        expect(state).to_have_attribute("data-state", "not_ready")
        shot(page, "desk-outbound-not-reached")
        page.click("#ob-next")
        expect(page.locator("#ob-preview")).to_be_visible()
    expect(state).to_have_attribute("data-state", "talking")
    call = page.locator("#ob-call")
    expect(call).to_be_visible()
    expect(call).to_contain_text("预约回访")
    expect(page.locator("#call-title")).to_have_text("当前外呼")
    page.click('#ob-call [data-party="right"]')
    expect(page.locator('#ob-call [data-party="right"]')).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#ob-message")).to_contain_text("已记录：本人")
    shot(page, "desk-outbound-call")
    page.click("#btn-hangup")
    expect(call).to_be_hidden()
