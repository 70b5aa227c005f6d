"""The web call page (网页呼叫) in headless Chromium, and the caller tokens it carries.

A customer logged in on the center's website (a token the site signed with the shared
secret: phone 13800138000, a CRM customer) opens ``/webcall?token=…`` — a public page,
no console login — and presses 拨打热线: the browser calls 95598 over Kamailio's websocket
(media through rtpengine) and hears the IVR's greeting; the page's keypad sends 3 (RFC
4733 through rtpengine) and the caller is queued. Agent 9001's browser softphone (another
browser context, logged in at the desk) rings and the desk's pop-up shows the CRM's
customer by the token's number; the agent answers in the browser and the web caller
hears the agent. The caller's 挂断 ends the call (BYE from the browser through Kamailio's
Record-Route to Hotline), and the agent's softphone is hung up. About 60 s.

`WebcallTokens` without SIP: a token the site signed names the caller; a wrong signature,
an expired token, a forged payload, odd numbers are refused with the reason.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hotline.sip.webcall import WebcallTokenError, WebcallTokens, sign
from hotline.store.db import EventLog
from hotline.store.db.crm import import_file
from tests.sip.test_end_to_end import EXAMPLE
from tests.sip.test_live_sip import CALLER, CUSTOMER_ROW, CUSTOMERS_HEADER
from tests.support.webrtc import LISTEN, WebrtcHotline, chromium, log_in, need_webrtc, serving, tone

SECRET = b"site-secret-0123456789abcdef"


def test_a_logged_in_customer_calls_from_the_web_page(tmp_path: Path, prompts: Path) -> None:
    need_webrtc()
    microphone = tone(tmp_path / "mic.wav", 1000, rate=48000)
    hotline = WebrtcHotline(
        tmp_path,
        EXAMPLE,
        prompts=prompts,
        settings={"webcall_secret": SECRET, "webcall_origins": ("https://www.example.com",)},
    )
    customers = tmp_path / "customers.csv"
    customers.write_text(f"{CUSTOMERS_HEADER}\n{CUSTOMER_ROW}\n", encoding="utf-8")
    imported = import_file(hotline.runtime.db, customers, hotline.runtime.crm_config, by="test")
    assert imported.created == 1, imported.rejected
    token = sign(SECRET, phone=CALLER, account="1101000099", expires=time.time() + 600)

    with serving(hotline), chromium(microphone) as browser:
        agent = browser.new_context(locale="zh-CN").new_page()
        agent.set_default_timeout(20_000)
        log_in(agent, hotline.base, "9001")
        agent.wait_for_selector("#softphone[data-state=registered]")
        agent.wait_for_selector("#agent-state[data-state=ready]")

        customer = browser.new_context(locale="zh-CN").new_page()  # no console login
        customer.set_default_timeout(20_000)
        response = customer.goto(f"{hotline.base}/webcall?token={token}")
        assert response is not None
        assert response.status == 200
        policy = response.headers["content-security-policy"]
        assert "frame-ancestors https://www.example.com" in policy  # the site may embed it
        assert "x-frame-options" not in response.headers
        customer.click("#webcall-call")
        customer.wait_for_selector("#webcall-status[data-state=talking]")
        greeting = customer.evaluate(LISTEN, ["#webcall-audio", 3])
        assert greeting["rms"] > 0.01, greeting  # the IVR speaks to the browser

        time.sleep(9)  # the main menu asks after the greeting (the SIPp callers' 12 s)
        customer.click("#webcall-keys button[data-key='3']")

        # queued for 9001, whose browser rings: the pop-up shows the token's customer
        agent.wait_for_selector("#softphone[data-state=ringing]", timeout=40_000)
        agent.wait_for_selector("#popup:not([hidden])")
        agent.wait_for_function(
            "(caller) => document.getElementById('popup-caller').textContent === caller", arg=CALLER
        )
        assert "赵敏" in agent.inner_text("#popup-customer")
        agent.click("#popup-answer")
        agent.wait_for_selector("#agent-state[data-state=talking]")
        heard = customer.evaluate(LISTEN, ["#webcall-audio", 3])
        assert 900 < heard["hz"] < 1100, heard  # the agent's voice
        assert heard["rms"] > 0.02, heard

        customer.click("#webcall-hangup")
        customer.wait_for_selector("#webcall-status[data-state=ended]")
        agent.wait_for_selector("#agent-state[data-state=wrap_up]")
        agent.wait_for_selector("#softphone[data-state=registered]")

        # an expired token: the call goes on, from an anonymous caller
        stale = sign(SECRET, phone=CALLER, expires=time.time() - 5)
        customer.goto(f"{hotline.base}/webcall?token={stale}")
        customer.click("#webcall-call")
        customer.wait_for_selector("#webcall-status[data-state=talking]")
        customer.click("#webcall-hangup")
        customer.wait_for_selector("#webcall-status[data-state=ended]")

    log = EventLog(hotline.runtime.db)
    hotline.runtime.flush()
    [arrived] = [s.event for s in log.read(call="w-1", kinds=["call.arrived"])]
    assert arrived.caller == CALLER  # type: ignore[attr-defined]
    kinds = [s.event.kind for s in log.read(call="w-1")]
    assert "contact.answered" in kinds, kinds
    assert kinds[-1] == "call.ended", kinds
    [anonymous] = [s.event for s in log.read(call="w-2", kinds=["call.arrived"])]
    assert anonymous.caller == "anonymous"  # type: ignore[attr-defined]


def test_a_signed_token_names_the_caller_and_a_bad_one_is_refused() -> None:
    now = 1_767_225_600.0
    tokens = WebcallTokens(SECRET, clock=lambda: now)
    good = sign(SECRET, phone="13800138000", account="1101000099", expires=now + 60)
    caller = tokens.verify(good)
    assert (caller.phone, caller.account) == ("13800138000", "1101000099")

    refusals = {
        sign(b"another-secret-0123456789", phone="13800138000", expires=now + 60): "signature",
        sign(SECRET, phone="13800138000", expires=now - 1): "expired",
        sign(SECRET, phone="1380013800x", expires=now + 60): "phone",
        sign(SECRET, phone="13800138000", account="a b", expires=now + 60): "account",
        good.split(".")[0] + ".AAAA": "signature",
        "no-dot-at-all": "not a token",
        "x" * 3000 + ".y": "not a token",
    }
    forged = good.split(".")
    payload = forged[0][:-2] + ("AA" if forged[0][-2:] != "AA" else "BB")
    refusals[f"{payload}.{forged[1]}"] = "signature"
    for token, reason in refusals.items():
        with pytest.raises(WebcallTokenError, match=reason):
            tokens.verify(token)
    with pytest.raises(WebcallTokenError, match="16 bytes"):
        WebcallTokens(b"short")
