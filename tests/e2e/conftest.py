"""The real console in a real browser: `hotline demo` as a subprocess, Debian's Chromium headless.

One demo server and one browser per test module. The server is the command a newcomer runs
(`hotline demo`), on a free loopback port with its own SQLite file, stopped by its PID at the
end. Chromium is the system package (`/usr/bin/chromium`); browsers are never downloaded.
Screenshots go to docs/screenshots/ only when HOTLINE_SCREENSHOTS=1, otherwise to a temporary
folder, so an ordinary test run never rewrites files in the repository.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.support.demo import DemoServer

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "demo123"  # every demo user's password (printed by `hotline demo`)
VIEWPORT = {"width": 1440, "height": 900}


class Shot(Protocol):
    def __call__(self, page: Page, name: str, *, full_page: bool = False) -> Path: ...


if not CHROMIUM.exists():  # scripts/system-deps.sh installs it; say why instead of failing
    pytest.skip("Debian's chromium is not installed (/usr/bin/chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """`hotline demo` at 120×: a simulated morning flows fast enough to watch numbers move."""
    server = DemoServer(tmp_path_factory.mktemp("demo"), speed=120, extra=[])
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies from another test), Chinese, 1440×900.

    Every test also checks that the pages broke no rule of the Content-Security-Policy:
    Chromium reports each refused script, style or connection on the console.
    """
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(15_000)
    refused: list[str] = []
    try:
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        yield page
    finally:
        context.close()
    assert refused == [], refused


@pytest.fixture(scope="module")
def shot(tmp_path_factory: pytest.TempPathFactory) -> Shot:
    """Saves a PNG of the page: into docs/screenshots/ with HOTLINE_SCREENSHOTS=1, else tmp."""
    if os.environ.get("HOTLINE_SCREENSHOTS") == "1":
        folder = REPO / "docs" / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
    else:
        folder = tmp_path_factory.mktemp("screenshots")

    def save(page: Page, name: str, *, full_page: bool = False) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return save


def log_in(page: Page, base: str, username: str, *, shot: Shot | None = None) -> None:
    """Log in through the login form, as a person would; waits for the role's home page."""
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    if shot is not None:
        shot(page, "login")
    page.click("#login-submit")
    homes = {"planner": "/planning", "qa": "/qa"}
    home = "/desk" if username.isdigit() else homes.get(username, "/board")
    page.wait_for_url(f"{base}{home}")
