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
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DemoServer, Shot, log_in

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
