"""The customer pages in a real browser: the supervisor imports a file and opens a customer.

The file has one good row and one bad one: the report shows the bad row's number, column and
reason, and the good row is found in the list; its page shows the tier and the desk hints
(`hotline demo` reads the example crm.yaml, whose rule 欠费 > 0 says 提醒客户及时缴费).
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import DemoServer, Shot, log_in

CSV = (
    "户号,户名,联系电话,ARPU(元),在网月数,信用分,欠费\n"
    "E2E-0001,浏览器测试户,13912345678,400,60,80,35.5\n"
    "E2E-0002,坏数据户,12345,100,12,50,0\n"
)


def test_the_supervisor_imports_a_file_and_opens_the_customer(
    demo: DemoServer, page: Page, tmp_path: Path, shot: Shot
) -> None:
    upload = tmp_path / "customers.csv"
    upload.write_text(CSV, encoding="utf-8")
    log_in(page, demo.url, "supervisor")
    page.click("#nav-customers")
    page.wait_for_url(f"{demo.url}/customers")
    expect(page.locator("h1")).to_have_text("客户")
    page.click("#crm-import-link")
    page.wait_for_url(f"{demo.url}/customers/import")

    page.set_input_files("#crm-file", str(upload))
    page.click("#crm-import-submit")
    expect(page.locator("#crm-report")).to_be_visible()
    expect(page.locator("#crm-report-created")).to_have_text("1")
    expect(page.locator("#crm-report-rejected")).to_have_text("1")
    bad = page.locator("#crm-rejected tr")
    expect(bad).to_have_count(1)
    expect(bad.locator("td").nth(0)).to_have_text("3")
    expect(bad.locator("td").nth(1)).to_have_text("联系电话")
    expect(bad.locator("td").nth(2)).not_to_be_empty()

    page.goto(f"{demo.url}/customers")
    page.fill("#crm-q", "浏览器测试户")
    page.press("#crm-q", "Enter")
    rows = page.locator("#crm-rows tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("中端")  # 25 + 10 + 24 = 59 → middle
    page.fill("#crm-q", "坏数据户")
    page.press("#crm-q", "Enter")
    expect(page.locator("#crm-rows")).to_have_text("没有符合条件的客户")

    page.fill("#crm-q", "浏览器测试户")
    page.press("#crm-q", "Enter")
    page.locator("#crm-rows tr a").first.click()
    page.wait_for_url(re.compile(r"/customers/\d+$"))
    expect(page.locator("#crm-name")).to_have_text("浏览器测试户")
    expect(page.locator("#crm-tier-badge")).to_have_text("中端")
    expect(page.locator("#crm-scoring")).to_contain_text("59.0")
    expect(page.locator("#crm-hints li").first).to_contain_text("缴费")
    expect(page.locator("#crm-masked")).to_be_visible()  # the supervisor reads masked numbers
    expect(page.locator("#crm-phone")).not_to_have_text("13912345678")
    expect(page.locator("#crm-list-form")).to_be_visible()
    shot(page, "customer", full_page=True)

    # a black list needs a reason: the API says so; with one, the page shows who and why
    page.select_option("#crm-list-new", "black")
    page.click("#crm-list-save")
    expect(page.locator("#crm-list-message")).to_have_class(re.compile("error"))
    page.fill("#crm-list-new-reason", "多次恶意投诉")
    page.click("#crm-list-save")
    expect(page.locator("#crm-list-message")).to_have_text("名单已更新")
    expect(page.locator("#crm-list-mark")).to_have_text("黑名单")
    expect(page.locator("#crm-list-reason")).to_have_text("多次恶意投诉")
    expect(page.locator("#crm-list-by")).to_have_text("supervisor")
    expect(page.locator("#crm-mark-badge")).to_have_text("黑名单")
