"""班长席 in the browser: the shift lead listens in from the wallboard with the wallboard's own
softphone (no desk phone). Agent 9001 takes a SIPp caller (400 Hz) in the desk's softphone;
the lead, logged in on the wallboard, has a softphone registered for the extension "lead"
(the username: the lead has no 工号). The lead clicks 9001's tile and 监听: Hotline rings the
lead's extension, the wallboard's softphone rings, the lead answers there and hears the
caller (a WebAudio analyser in the lead's page finds 400 Hz). 结束 takes the lead off the
call; the conversation goes on. About 70 s.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from hotline.store.db import Audit
from tests.sip.test_end_to_end import EXAMPLE, SCENARIOS
from tests.support.sip import free_port, sipp, stop_process
from tests.support.webrtc import (
    LISTEN,
    WebrtcHotline,
    chromium,
    log_in,
    need_webrtc,
    serving,
    tone,
)

pytestmark = pytest.mark.realtime


def test_the_lead_listens_in_with_the_wallboards_softphone(tmp_path: Path, prompts: Path) -> None:
    need_webrtc()
    tone(tmp_path / "caller_tone.wav", 400, ulaw=True)
    microphone = tone(tmp_path / "mic.wav", 1000, rate=48000)
    carrier = free_port()
    hotline = WebrtcHotline(
        tmp_path,
        EXAMPLE,
        prompts=prompts,
        users=(("9001", "agent"), ("lead", "shift_lead")),
        trunk=carrier,
    )
    caller: subprocess.Popen[bytes] | None = None
    try:
        with serving(hotline), chromium(microphone) as browser:
            agent = browser.new_context(locale="zh-CN").new_page()
            agent.set_default_timeout(20_000)
            log_in(agent, hotline.base, "9001")
            agent.wait_for_selector("#softphone[data-state=registered]")
            agent.wait_for_selector("#agent-state[data-state=ready]")

            lead = browser.new_context(locale="zh-CN").new_page()
            lead.set_default_timeout(20_000)
            log_in(lead, hotline.base, "lead")
            lead.wait_for_selector("#softphone-panel:not([hidden])")
            lead.wait_for_selector("#softphone[data-state=registered]")
            issued = Audit(hotline.runtime.db).list(action="desk.softphone", limit=5)
            assert ("lead", "lead") in [(e.username, e.subject_id) for e in issued]

            caller = sipp(
                SCENARIOS / "caller_waits_for_bye.xml",
                hotline.kamailio,
                tmp_path,
                service="95598",
                port=carrier,
                timeout=150,
            )
            agent.wait_for_selector("#softphone[data-state=ringing]", timeout=40_000)
            agent.wait_for_selector("#popup-answer:not([disabled])")
            agent.click("#popup-answer")
            agent.wait_for_selector("#agent-state[data-state=talking]")

            lead.wait_for_selector('#agents .agent[data-agent="9001"][data-state="talking"]')
            lead.click('#agents .agent[data-agent="9001"]')
            lead.click('#supervise-buttons button[data-mode="listen"]')
            # the lead's own click rang the lead's browser: it answers without another click
            lead.wait_for_selector("#softphone[data-state=talking]")
            lead.wait_for_selector("#supervise-state:not([hidden])")
            heard = lead.evaluate(LISTEN, ["#softphone audio", 3])
            assert heard["rms"] > 0.02, heard
            assert 350 < heard["hz"] < 450, heard  # the caller, through the mixer

            lead.click('#supervise-buttons button[data-supervise="end"]')
            lead.wait_for_selector("#softphone[data-state=registered]", timeout=10_000)
            assert agent.get_attribute("#agent-state", "data-state") == "talking"
            agent.click("#btn-hangup")
            agent.wait_for_selector("#agent-state[data-state=wrap_up]")
            assert caller.wait(60) == 0, caller.stderr.read().decode() if caller.stderr else ""
    finally:
        if caller is not None:
            stop_process(caller)
