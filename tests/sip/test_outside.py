"""外线咨询, 三方通话 and 转外线 over SIP: a SIPp caller (400 Hz) talks with agent 9001 (a
baresip phone, 1000 Hz); the agent dials an outside number, which Kamailio sends to its
trunk, a SIPp UAS playing a department's duty phone (1800 Hz). The duty phone answers;
the agent talks with it (the caller hears music), then joins all three, then completes
the transfer: the agent's phone gets a BYE, the caller and the duty phone stay bridged
and recorded until the caller hangs up (the duty phone then gets a BYE).

Measured on the agent's phone (what it decoded), on the conversation's recording (the
outside party in the agent's channel during the three-way call) and on the transferred
call's recording (left the caller, right the duty phone).
"""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

import pytest

from hotline.calls.config import load_hotline
from hotline.core.clock import VirtualClock
from hotline.core.events import EventRecorder
from hotline.live.driver import LiveDriver
from hotline.sip.kamailio import Kamailio
from hotline.sip.serve import SipService
from tests.sip.test_end_to_end import EXAMPLE, SCENARIOS, WEDNESDAY_10AM
from tests.sip.test_monitor import amplitude, channel
from tests.sip.test_originate import CUSTOMER, customer_uas
from tests.sip.test_transfer import tone
from tests.support.sip import (
    Baresip,
    credentials,
    need,
    serve_settings,
    sipp,
    stop_process,
)

pytestmark = pytest.mark.realtime  # wall-clock calls: -m "not realtime" skips them

CALLER_HZ, AGENT_HZ, DUTY_HZ = 400, 1000, 1800


async def until(recorder: EventRecorder, kind: str, timeout: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while kind not in recorder.kinds():
        assert loop.time() < deadline, f"no {kind} within {timeout} s: {recorder.kinds()}"
        await asyncio.sleep(0.1)


def test_the_agent_calls_a_duty_phone_joins_all_three_and_transfers(
    tmp_path: Path, prompts: Path
) -> None:
    need("kamailio", "kamcmd", "sipp", "baresip", "sox")
    tone(tmp_path / "caller_tone.wav", CALLER_HZ, ulaw=True)
    duty = tmp_path / "duty"
    duty.mkdir()
    tone(duty / "customer_tone.wav", DUTY_HZ, ulaw=True)  # what uas_answer.xml streams
    settings = serve_settings(tmp_path, prompts)
    hotline = load_hotline(EXAMPLE)
    registrar = (settings.host, settings.kamailio_port)
    phone_dir = tmp_path / "phone"
    phone_dir.mkdir()
    agent = Baresip(
        phone_dir, user="9001", registrar=registrar, source=tone(phone_dir / "t.wav", AGENT_HZ)
    )

    async def run() -> tuple[list[str], int | None, str]:
        clock = VirtualClock(WEDNESDAY_10AM)
        driver = LiveDriver(clock, 1.0)
        driver.start()
        service = SipService(
            hotline, settings, clock=clock, catch_up=driver.catch_up,
            credentials=lambda: credentials("9001"),
        )  # fmt: skip
        uas, port = customer_uas("uas_answer.xml", duty)
        trunk = dataclasses.replace(service.kamailio.settings, trunk=("127.0.0.1", port))
        service.kamailio = Kamailio(trunk)
        recorder = EventRecorder(service.engine.bus)
        outside = service.engine.controller.outside
        try:
            await service.start()
            await asyncio.to_thread(agent.start)
            assert await service.refresh_phones() == [("9001", "login")]
            caller = sipp(
                SCENARIOS / "caller_presses_3.xml",
                registrar,
                tmp_path,
                service="95598",
                extra=("-d", "30000"),
            )
            await asyncio.to_thread(agent.wait_event, "CALL_ESTABLISHED", 40.0)
            await asyncio.sleep(1.0)
            [call] = list(service.switch.live_calls())
            driver.catch_up()
            outside.dial(call, CUSTOMER)
            await until(recorder, "call.outside_answered", 20.0)
            await asyncio.sleep(2.0)  # the agent talks with the duty phone
            driver.catch_up()
            outside.conference(call)
            await asyncio.sleep(3.0)  # all three
            driver.catch_up()
            outside.transfer(call)
            await asyncio.to_thread(agent.wait_event, "CALL_CLOSED", 10.0)
            await asyncio.to_thread(caller.wait, 60)
            assert caller.stderr is not None
            errors = caller.stderr.read().decode(errors="replace")
            assert caller.wait() == 0, errors
            rc = await asyncio.to_thread(uas.wait, 20)
            assert uas.stderr is not None
            return recorder.kinds(), rc, uas.stderr.read().decode(errors="replace")
        finally:
            agent.stop()
            stop_process(uas)
            await service.stop()
            await driver.stop()

    kinds, rc, errors = asyncio.run(run())
    assert rc == 0, errors  # the duty phone got its BYE when the caller hung up
    ours = [k for k in kinds if k.startswith(("call.outside", "call.conference", "call.ended"))]
    assert ours == [
        "call.outside_dialed",
        "call.outside_answered",
        "call.conference_started",
        "call.outside_transferred",
        "call.outside_ended",
        "call.ended",
    ]
    assert "contact.completed" in kinds

    [heard] = list(agent.heard.glob("*-dec.wav"))
    assert amplitude(channel(heard), DUTY_HZ) > 1000  # the agent talked with the duty phone
    assert settings.recordings is not None
    recordings = {p.stem.rsplit("-", 1)[1]: p for p in settings.recordings.glob("*.wav")}
    assert set(recordings) == {"9001", "outside"}
    conversation = channel(recordings["9001"], 1)
    assert amplitude(conversation, AGENT_HZ) > 1000
    assert amplitude(conversation, DUTY_HZ) > 200  # 三方通话: in the agent's channel
    assert amplitude(channel(recordings["9001"], 0), DUTY_HZ) < 300
    transferred = recordings["outside"]
    assert amplitude(channel(transferred, 0), CALLER_HZ) > 1000
    assert amplitude(channel(transferred, 1), DUTY_HZ) > 1000
    assert amplitude(channel(transferred, 1), AGENT_HZ) < 300  # the agent is gone
