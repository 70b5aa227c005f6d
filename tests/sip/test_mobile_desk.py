"""移动坐席 at the desk, in the browser: agent 9001 works from home. On the desk page they
choose 接听方式 手机, type a number the trunk may not call (refused, saying why), then
their mobile with spaces; they sign in and go ready at the desk (no phone registers). A
SIPp caller dials 95598 and is queued; the desk pops the call with 「请在手机上接听」 (the
desk cannot pick up a mobile) while Hotline rings the mobile through the trunk (a SIPp
carrier that answers after a second). The desk follows the call to 通话中 with the
customer; the agent ends it with the desk's 挂断: the caller and the mobile get their BYE.
About 40 s.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from hotline.store.db import Audit
from tests.sip.test_end_to_end import EXAMPLE, SCENARIOS
from tests.sip.test_originate import CUSTOMER, customer_uas
from tests.support.sip import sipp, stop_process
from tests.support.webrtc import WebrtcHotline, chromium, log_in, need_webrtc, serving, tone

pytestmark = pytest.mark.realtime


def test_an_agent_at_home_takes_a_call_on_the_mobile_from_the_desk(
    tmp_path: Path, prompts: Path
) -> None:
    need_webrtc()
    tone(tmp_path / "caller_tone.wav", 400, ulaw=True)
    carrier_dir = tmp_path / "carrier"
    carrier_dir.mkdir()
    tone(carrier_dir / "customer_tone.wav", 1800, ulaw=True)
    carrier, trunk = customer_uas("uas_answer.xml", carrier_dir)
    hotline = WebrtcHotline(
        tmp_path, EXAMPLE, prompts=prompts, trunk=trunk, settings={"ws_port": None}
    )
    caller: subprocess.Popen[bytes] | None = None
    try:
        with serving(hotline), chromium(tone(tmp_path / "mic.wav", 1000, rate=48000)) as browser:
            page = browser.new_context(locale="zh-CN").new_page()
            page.set_default_timeout(20_000)
            log_in(page, hotline.base, "9001")
            page.wait_for_selector("#reach-panel:not([hidden])")
            assert page.input_value("#reach-mode") == "phone"
            page.select_option("#reach-mode", "mobile")
            page.fill("#reach-number", "12345")
            page.click("#reach-save")
            page.wait_for_selector("#reach-message.error")
            assert "不能呼叫 12345" in page.inner_text("#reach-message")
            typed = f"{CUSTOMER[:3]} {CUSTOMER[3:7]} {CUSTOMER[7:]}"
            page.fill("#reach-number", typed)
            page.click("#reach-save")
            page.wait_for_selector("#reach-message.ok")
            assert CUSTOMER in page.inner_text("#reach-message")
            assert page.input_value("#reach-number") == CUSTOMER

            page.click("#btn-login")
            page.wait_for_selector("#agent-state[data-state=not_ready]")
            page.click("#btn-ready")
            page.wait_for_selector("#agent-state[data-state=ready]")

            caller = sipp(
                SCENARIOS / "caller_waits_for_bye.xml",
                hotline.kamailio,
                tmp_path,
                service="95598",
                timeout=150,
            )
            page.wait_for_selector("#agent-state[data-state=ringing]", timeout=40_000)
            assert page.inner_text("#btn-answer") == "请在手机上接听"
            assert page.is_disabled("#btn-answer")
            page.wait_for_selector("#agent-state[data-state=talking]")  # the mobile answered
            assert page.inner_text("#call-caller") == "未显示号码"  # no trusted caller ID
            page.screenshot(path=str(tmp_path / "mobile-desk.png"), full_page=True)
            page.click("#btn-hangup")
            page.wait_for_selector("#agent-state[data-state=wrap_up]")
            assert caller.wait(60) == 0, caller.stderr.read().decode() if caller.stderr else ""
            assert carrier.wait(30) == 0, carrier.stderr.read().decode() if carrier.stderr else ""
        changes = Audit(hotline.runtime.db).list(action="desk.reach", limit=5)
        assert [(e.username, e.detail["to"]) for e in changes] == [("9001", "139****5678")]
    finally:
        for process in (caller, carrier):
            if process is not None:
                stop_process(process)
