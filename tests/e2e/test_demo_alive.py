"""`hotline demo` is a living center: the supervisor finds every page full from the start.

The demo's back office ran the night before 08:00 at start and goes on while the demo
runs: simulated agents' orders, the departments' answers, 催办 and 督办, return visits,
complaints, the earlier shifts' handover sheets, a synthesized recording for the latest
calls, and an outage whose customers the 停电告知 campaign calls. Nothing here is made by
the test: it only looks.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import DemoServer, Shot, log_in


def _rows(page: Page, table: str) -> int:
    """Rows of data in `table` once it has loaded (its placeholder row replaced)."""
    body = page.locator(table)
    expect(body.locator("td.muted")).to_have_count(0, timeout=20_000)
    return body.locator("tr").count()


def test_every_page_has_data_in_the_first_minute(demo: DemoServer, page: Page, shot: Shot) -> None:
    log_in(page, demo.url, "supervisor")

    page.goto(f"{demo.url}/orders")
    assert _rows(page, "#orders-rows") >= 20
    orders = page.locator("#orders-rows")
    expect(orders).to_contain_text("故障报修")
    expect(orders).to_contain_text("投诉")
    assert _rows(page, "#expedites-rows") >= 1  # 催办 raised by the deadline scan
    shot(page, "demo-orders")

    page.goto(f"{demo.url}/visits")
    assert _rows(page, "#visits-rows") >= 1

    page.goto(f"{demo.url}/complaints")
    causes = page.locator("#by-cause tbody tr[data-key]")  # 投诉 by cause, counted
    expect(causes.first).to_be_visible(timeout=20_000)
    expect(causes.first.locator("td.num").first).to_have_text(re.compile(r"^[1-9]\d*$"))

    # 外呼: dispatch reported an outage a minute in; its customers are called from 09:00,
    # the important ones first, beside the 24-hour callbacks
    page.goto(f"{demo.url}/outbound")
    for campaign in ("callbacks", "outage_notice"):
        card = page.locator(f'.ob-card[data-campaign="{campaign}"]')
        expect(card.locator("[data-figure=calls] dd")).to_have_text(
            re.compile(r"^[1-9]\d*$"), timeout=90_000
        )
    shot(page, "demo-outbound")

    page.goto(f"{demo.url}/handover")
    expect(page.locator("#handover-history")).to_contain_text("夜班", timeout=20_000)

    page.goto(f"{demo.url}/calls")
    assert _rows(page, "#calls-rows") >= 20
    shot(page, "demo-calls")
    links = page.locator("#calls-rows a")
    calls = [links.nth(i).inner_text() for i in range(min(links.count(), 40))]
    for call in calls:  # the latest calls answered by a simulated agent have a recording
        page.goto(f"{demo.url}/calls/{call}")
        recordings = page.locator("#call-recordings")
        expect(recordings.locator("li.muted:has-text('加载')")).to_have_count(0)
        if recordings.locator("audio").count():
            break
    else:
        raise AssertionError(f"none of the latest calls has a recording: {calls}")
    audio = recordings.locator("audio").first
    source = audio.get_attribute("src") or audio.locator("source").first.get_attribute("src")
    assert source is not None
    played = page.request.get(f"{demo.url}{source}" if source.startswith("/") else source)
    assert played.status == 200
    assert played.body()[:4] == b"RIFF"  # a WAV file the browser plays
    shot(page, "demo-call-recording")
