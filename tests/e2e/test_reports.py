"""报表 in the browser: the supervisor opens the report page, groups it by half hour, sees
the figures coloured against their targets, and opens the daily report with its
explanation. The demo's database already holds yesterday (a simulated weekday), so today
is compared with a real day."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hotline.sim.run import Simulation, load_scenario
from hotline.store.db import Database, EventLog
from tests.e2e.conftest import DemoServer, Shot, log_in

WEEKDAY = Path(__file__).resolve().parents[2] / "examples" / "95598" / "scenarios" / "weekday.yaml"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """`hotline demo` at 120× over a database holding yesterday's simulated weekday."""
    folder = tmp_path_factory.mktemp("demo")
    scenario, hotline = load_scenario(WEEKDAY)
    yesterday = datetime.datetime.now(hotline.timezone).date() - datetime.timedelta(days=1)
    midnight = datetime.datetime.combine(
        yesterday + datetime.timedelta(days=1), datetime.time(0), hotline.timezone
    ).timestamp()
    db = Database.open(f"sqlite:///{folder / 'demo.db'}")
    writer = EventLog(db).writer()
    day = Simulation(scenario.model_copy(update={"start": yesterday}), hotline, call_prefix="y-")
    # up to midnight: the demo's day then starts today (it follows the last stored day)
    day.subscribe(lambda event: writer.append(event) if event.at < midnight else None)
    day.run()
    writer.close()
    db.close()
    server = DemoServer(folder, speed=120, extra=[])
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def test_the_supervisor_reads_the_figures_and_the_daily_report(
    demo: DemoServer, page: Page, shot: Shot
) -> None:
    log_in(page, demo.url, "supervisor")
    page.click("#nav-reports")
    expect(page.locator("h1")).to_have_text("运营报表")
    expect(page.locator("body")).to_have_attribute("data-loaded", "day")
    summary = page.locator("#reports-summary")
    expect(
        summary.locator('tr[data-figure="total_calls"] td[data-field="current"]')
    ).not_to_have_text("—")
    expect(
        summary.locator('tr[data-figure="total_calls"] td[data-field="previous"]')
    ).not_to_have_text("—")

    page.select_option("#reports-by", "interval")
    expect(page.locator("body")).to_have_attribute("data-loaded", "interval")
    rows = page.locator("#reports-detail tbody tr")
    expect(rows.first.locator("th")).to_contain_text("00:00")
    # today so far: the demo's day began at 08:00, so from 00:00 to now, and the total
    assert rows.count() >= 16 + 1 + 1
    expect(rows.last).to_have_attribute("data-row", "total")
    expect(page.locator("#reports-detail thead th").first).to_have_text("按半小时")
    assert "by=interval" in page.url
    # a figure with a target, coloured green (met) or red (missed)
    level = summary.locator('tr[data-figure="service_level"] td[data-field="current"]')
    expect(level).to_have_class(re.compile(r"\b(good|bad)\b"))
    expect(page.locator("#reports-detail td.good, #reports-detail td.bad").first).to_be_visible()
    expect(page.locator("#reports-missing")).to_contain_text("未配置成本")
    if page.locator("#reports-chart-missing").is_visible():
        expect(page.locator("#reports-charts")).to_be_hidden()
    else:
        expect(page.locator("#chart-sl canvas")).to_have_count(1)
    shot(page, "reports", full_page=True)

    page.click("#reports-daily")
    expect(page.locator("h1")).to_contain_text("运营日报")
    finding = page.locator("#explanation p.finding").first
    expect(finding).to_be_visible()
    expect(finding).to_contain_text(re.compile(r"服务水平|呼叫放弃率|平均应答速度|人工接通率|来话"))
    expect(page.locator("#report-period")).to_contain_text("对比")
    expect(page.locator("#report-charts svg")).to_have_count(5)
    shot(page, "daily-report", full_page=True)
