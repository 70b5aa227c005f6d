"""Accounts in a real browser: the administrator creates a user in 用户管理, the user must
change the first password before any other page, and the administrator deactivates them.

`hotline demo` in a subprocess and Chromium, as in test_console.py; every page also runs
under the Content-Security-Policy (the `page` fixture fails the test on any refusal).
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import DemoServer, Shot, log_in

FIRST = "惊蛰 beetroot 11"
OWN = "清明 parsnip 22"


def test_a_new_user_changes_the_first_password_then_is_deactivated(
    demo: DemoServer, page: Page
) -> None:
    log_in(page, demo.url, "admin")
    page.goto(f"{demo.url}/admin")
    users = page.locator("#admin-users")
    expect(users.locator("tr[data-username='9001']")).to_be_visible()
    page.fill("#new-username", "qa7")
    page.fill("#new-display-name", "质检七")
    page.select_option("#new-role", "qa")
    page.fill("#new-password", "1234567")
    page.click("#user-create-submit")
    expect(page.locator("#users-message")).to_have_text("新密码太短：至少 8 个字符")
    page.fill("#new-password", FIRST)
    page.click("#user-create-submit")
    expect(page.locator("#users-message")).to_contain_text("已创建 qa7")
    row = users.locator("tr[data-username='qa7']")
    expect(row).to_contain_text("待改密码")
    page.click("#logout")
    page.wait_for_url(f"{demo.url}/login")

    page.fill("#username", "qa7")
    page.fill("#password", FIRST)
    page.click("#login-submit")
    page.wait_for_url(f"{demo.url}/password")
    expect(page.locator("#password-must-change")).to_be_visible()
    page.goto(f"{demo.url}/board")
    page.wait_for_url(f"{demo.url}/password")  # no way round it
    page.fill("#current-password", FIRST)
    page.fill("#new-password", "password")
    page.fill("#confirm-password", "password")
    page.click("#password-submit")
    expect(page.locator("#password-message")).to_contain_text("最常见的密码")
    page.fill("#new-password", OWN)
    page.fill("#confirm-password", OWN)
    page.click("#password-submit")
    page.wait_for_url(f"{demo.url}/board")
    expect(page.locator("h1")).to_have_text("实时监控")

    admin = page.context.browser.new_context(locale="zh-CN")  # type: ignore[union-attr]
    try:
        other = admin.new_page()
        log_in(other, demo.url, "admin")
        other.goto(f"{demo.url}/admin")
        other.locator("tr[data-username='qa7'] .user-toggle").click()
        expect(other.locator("#users-message")).to_contain_text("已停用 qa7")
    finally:
        admin.close()
    page.reload()
    page.wait_for_url(f"{demo.url}/login")  # the session ended at once


def test_the_admin_issues_and_revokes_an_agent_s_phone_password(
    demo: DemoServer, page: Page, shot: Shot
) -> None:
    log_in(page, demo.url, "admin")
    page.goto(f"{demo.url}/admin")
    row = page.locator("#admin-users tr[data-username='9002']")
    row.locator(".phone-issue").click()
    message = page.locator("#users-message")
    expect(message).to_contain_text("9002 的话机密码：")
    expect(message).to_contain_text("域 hotline")
    password = message.inner_text().split("：", 1)[1].split("（", 1)[0]
    assert len(password) == 16
    expect(row).to_contain_text("话机密码已设")
    expect(row.locator(".phone-issue")).to_have_text("更换话机密码")
    shot(page, "admin-phone-password")
    row.locator(".phone-revoke").click()
    expect(message).to_contain_text("已吊销 9002 的话机密码")
    expect(row.locator(".phone-issue")).to_have_text("生成话机密码")
    expect(row).not_to_contain_text("话机密码已设")
