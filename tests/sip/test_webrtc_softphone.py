"""The agent's browser softphone on a real call: SIPp caller → Kamailio → Hotline → rtpengine →
headless Chromium (JsSIP over Kamailio's websocket, WebRTC audio).

Agent 9001 logs in to the console once; the desk asks for a session SIP credential and the
softphone registers over websocket, which logs the seat in (ready). A SIPp caller (a 400 Hz
tone, a trunk's caller ID) dials 95598, presses 3 and is queued; the browser rings, and the
desk's 接听 answers it in the browser. Audio is measured both ways: a WebAudio analyser in
the page hears the caller's 400 Hz, and the conversation's recording holds the caller's
400 Hz on the left and the browser's fake microphone (1000 Hz) on the right. The desk's
保持 puts the caller on hold (the browser hears silence) and 取回 brings them back; 挂断
ends the browser's call (BYE through Kamailio's Record-Route over the websocket). The desk's
logout revokes the session's credential. About 60 s.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from hotline.store.db import Audit, EventLog
from tests.sip.test_end_to_end import EXAMPLE, SCENARIOS
from tests.support.sip import assert_tone, free_port, sipp, sox_stat, stop_process
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


def test_the_agent_answers_a_real_call_in_the_browser(tmp_path: Path, prompts: Path) -> None:
    need_webrtc()
    tone(tmp_path / "caller_tone.wav", 400, ulaw=True)
    microphone = tone(tmp_path / "mic.wav", 1000, rate=48000)
    carrier = free_port()
    hotline = WebrtcHotline(
        tmp_path,
        EXAMPLE,
        prompts=prompts,
        users=(("9001", "agent"), ("supervisor", "supervisor")),
        trunk=carrier,
    )
    caller: subprocess.Popen[bytes] | None = None
    try:
        with serving(hotline), chromium(microphone) as browser:
            context = browser.new_context(locale="zh-CN")
            context.set_default_timeout(20_000)
            page = context.new_page()
            log_in(page, hotline.base, "9001")
            page.wait_for_selector("#softphone[data-state=registered]")
            # the registration logs the seat in, ready (SipService follows Kamailio's table)
            page.wait_for_selector("#agent-state[data-state=ready]")
            issued = Audit(hotline.runtime.db).list(action="desk.softphone", limit=5)
            assert [(e.username, e.subject_id) for e in issued] == [("9001", "9001")]

            caller = sipp(
                SCENARIOS / "caller_waits_for_bye.xml",
                hotline.kamailio,
                tmp_path,
                service="95598",
                port=carrier,
                timeout=150,
            )
            page.wait_for_selector("#softphone[data-state=ringing]", timeout=40_000)
            # the incoming-call pop-up's 接听 answers in the browser
            page.wait_for_selector("#popup-answer:not([disabled])")
            assert page.inner_text("#popup-answer") == "接听"
            page.click("#popup-answer")
            page.wait_for_selector("#softphone[data-state=talking]")
            page.wait_for_selector("#agent-state[data-state=talking]")
            assert page.inner_text("#call-caller") == "13800138000"

            heard = page.evaluate(LISTEN, ["#softphone audio", 3])
            assert heard["rms"] > 0.02, heard
            assert 350 < heard["hz"] < 450, heard  # the caller's 400 Hz, through rtpengine

            page.click("#btn-hold")
            page.wait_for_selector("#agent-state[data-state=hold]")
            time.sleep(1.0)
            on_hold = page.evaluate(LISTEN, ["#softphone audio", 1.5])
            assert on_hold["rms"] < 0.01, on_hold  # held: the agent hears silence
            page.click("#btn-retrieve")
            page.wait_for_selector("#agent-state[data-state=talking]")
            back = page.evaluate(LISTEN, ["#softphone audio", 1.5])
            assert 350 < back["hz"] < 450, back
            assert back["rms"] > 0.02, back

            page.click("#btn-hangup")
            page.wait_for_selector("#agent-state[data-state=wrap_up]")
            # the desk's hang-up sent the browser a BYE (Record-Route, over the websocket)
            page.wait_for_selector("#softphone[data-state=registered]", timeout=10_000)

            assert caller.wait(90) == 0, caller.stderr.read().decode() if caller.stderr else ""
            call = "w-1"
            log = EventLog(hotline.runtime.db)

            def ended() -> list[str]:
                hotline.runtime.flush()
                kinds = [s.event.kind for s in log.read(call=call)]
                return kinds if "call.ended" in kinds else []

            kinds = hotline.until(ended, 15)
            for kind in ("contact.queued", "contact.answered", "call.held", "call.retrieved"):
                assert kind in kinds, kinds

            recording = hotline.settings.recordings / f"{call}-9001.wav"  # type: ignore[operator]
            channels = subprocess.run(
                ["sox", "--i", "-c", str(recording)], capture_output=True, text=True, check=True
            )
            assert channels.stdout.strip() == "2"
            assert_tone(sox_stat(recording, 1), 300, 500)  # the caller
            assert_tone(sox_stat(recording, 2), 850, 1150)  # the browser's microphone

            # logging out revokes the session's SIP credential: the browser is unregistered
            page.click("#logout")
            page.wait_for_url(f"{hotline.base}/login")
            assert hotline.runtime.softphones is not None
            assert hotline.runtime.softphones.active() == {}
    finally:
        if caller is not None:
            stop_process(caller)


def test_without_webrtc_the_desk_keeps_the_desk_phone(tmp_path: Path, prompts: Path) -> None:
    """No websocket port: `POST /api/desk/softphone` is 409 ``webrtc-off`` and no rtpengine
    runs (SIP phones work as before)."""
    need_webrtc()
    hotline = WebrtcHotline(tmp_path, EXAMPLE, prompts=prompts, settings={"ws_port": None})
    with serving(hotline):
        import httpx

        with httpx.Client(base_url=hotline.base) as client:
            token = client.post(
                "/api/auth/login", json={"username": "9001", "password": "secret123"}
            ).json()["token"]
            refused = client.post(
                "/api/desk/softphone", headers={"Authorization": f"Bearer {token}"}
            )
        assert refused.status_code == 409, refused.text
        assert refused.json()["error"] == "webrtc-off"
        service = hotline.runtime.service
        assert getattr(service, "rtpengine", "absent") is None
