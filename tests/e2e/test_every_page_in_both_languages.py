"""Every console page, with data, in Chinese and in English: no identifier leaks onto it.

Each role opens each page it may open (and one record of each list: an order, a call, a
customer, a handover sheet) after the demo has run a while, once with ``?lang=zh`` and once
with ``?lang=en``. A page's visible text must not show

- on a Chinese page, a lower-case code (``answered``, ``shift_lead``, ``fault``) or a word
  key (``orders.col_state``);
- on an English page, a word key or a snake_case code (``order_created``);
- on any page, 加载中 / Loading after it settled.

What a person reads as code on purpose is exempt: elements marked ``.mono`` (call ids, 工号,
usernames, configuration keys beside their titles), ``code``/``pre``/``textarea`` (the YAML
editor), form controls' option values, and the few terms in ALLOWED that a hotline's
people use as they are (ARPU, IVR, VIP in a queue's title …).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.conftest import PASSWORD, VIEWPORT, DemoServer

ALLOWED = frozenset({
    "English", "ARPU", "IVR", "VIP", "QA", "CSV", "Excel", "ID", "FAQ", "SIP", "ACD", "AHT",
    "ASA", "KPI", "P90", "P50", "YAML", "WAV", "HTTPS", "API", "CRM", "Hotline", "IP", "AI",
})  # fmt: skip
"""Terms shown as they are, in either language."""

PAGES = {
    "supervisor": [
        "/board", "/calls", "/orders", "/visits", "/kb", "/customers", "/complaints",
        "/reports", "/reports/daily", "/reports/monthly", "/reports/agent/9001",
        "/order-accuracy", "/handover", "/outbound",
    ],
    "lead": [
        "/board", "/orders", "/orders/new", "/handover", "/customers", "/callbacks", "/training",
        "/points", "/outbound",
    ],
    "qa": ["/qa", "/board", "/order-accuracy", "/calls", "/training"],
    "admin": ["/admin"],
    "9001": [
        "/desk", "/my-orders", "/orders", "/visits", "/kb", "/callbacks", "/my-evaluations",
        "/my-training", "/points",
    ],
    "qiangxiu": ["/orders/department"],
}  # fmt: skip
"""What each role opens (its navigation); the first record of a list is opened too."""

RECORDS = {"/orders": "/orders/", "/calls": "/calls/", "/customers": "/customers/"}

FILE_TYPES = (".yaml", ".csv", ".wav")
"""A file's name is shown as it is (hotline.yaml)."""
YAML_KEY = re.compile(r"\b[a-z_]+:(?=\s|[）)]|$)", re.ASCII)
"""A configuration key as written in its file (``costs:``), named where a figure needs it."""

TOKEN = re.compile(r"(?<![\w./@:-])[A-Za-z][A-Za-z0-9]*(?:[_.][A-Za-z0-9]+)*(?![\w@-])", re.ASCII)
VISIBLE_TEXT = """() => {
  const skip = "script, style, .mono, code, pre, textarea, option, [hidden], [data-raw]";
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(skip)) continue;
    if (!parent.getClientRects().length) continue;  // not displayed
    out.push(node.textContent);
  }
  for (const select of document.querySelectorAll("select")) {  // the chosen option shows
    if (select.closest(skip) || !select.getClientRects().length) continue;
    const chosen = select.selectedOptions[0];
    if (chosen) out.push(chosen.textContent);
  }
  return out.join("\\n");
}"""


def leaks(text: str, lang: str) -> list[str]:
    """The identifiers in `text` a reader of `lang` should not see."""
    found = set()
    for token in TOKEN.findall(YAML_KEY.sub("", text)):
        if token in ALLOWED or token.endswith(FILE_TYPES):
            continue
        if "." in token or "_" in token:
            found.add(token)  # a word key or a code, in either language
        elif lang == "zh" and token.islower() and len(token) >= 2:
            found.add(token)  # an English word or a code on a Chinese page
    return sorted(found)


def _settle(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => !/加载中|Loading…/.test(document.body.innerText)", timeout=15_000)


def _visit(page: Page, url: str, lang: str) -> list[str]:
    page.goto(f"{url}{'&' if '?' in url else '?'}lang={lang}")
    _settle(page)
    return leaks(page.evaluate(VISIBLE_TEXT), lang)


@pytest.mark.parametrize("user", sorted(PAGES))
def test_every_page_shows_words_not_codes(demo: DemoServer, browser: Browser, user: str) -> None:
    demo_has_run(demo)
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(f"{demo.url}/login")
        page.fill("#username", user)
        page.fill("#password", PASSWORD)
        page.click("#login-submit")
        page.wait_for_load_state("networkidle")
        found: dict[str, list[str]] = {}
        for path in PAGES[user]:
            for lang in ("zh", "en"):
                if bad := _visit(page, demo.url + path, lang):
                    found[f"{path} ({lang})"] = bad
                record = RECORDS.get(path)
                if record is None:
                    continue
                link = page.locator(f"a[href^='{record}']:not([href$='import'])").first
                if link.count():
                    href = link.get_attribute("href")
                    if bad := _visit(page, demo.url + str(href), lang):
                        found[f"{href} ({lang})"] = bad
        assert found == {}
    finally:
        context.close()


def demo_has_run(demo: DemoServer) -> None:
    """The simulated morning has produced calls, orders and visits to show."""
    import time

    import httpx

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        with httpx.Client(base_url=demo.url) as client:
            token = client.post(
                "/api/auth/login", json={"username": "supervisor", "password": PASSWORD}
            )
            if token.status_code == 200:
                headers = {"Authorization": f"Bearer {token.json()['token']}"}
                orders = client.get("/api/orders?limit=1", headers=headers)
                calls = client.get("/api/calls?limit=1", headers=headers)
                if orders.json() and calls.json():
                    return
        time.sleep(2)
