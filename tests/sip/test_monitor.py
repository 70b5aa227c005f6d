"""监听 / 耳语 / 强插 over SIP with real phones: a SIPp caller (400 Hz) talks with agent 9001
(a baresip phone, 1000 Hz); the shift lead's phone ``lead`` (baresip, 2200 Hz) registers at
Kamailio like an agent's, is rung by the switch and joins the call: listening, then
whispering, then barging in, then the lead leaves from the console.

Measured on what the phones decoded (baresip's sndfile) and on the recording: the lead
heard the caller and the agent; the agent heard the lead (耳语 and 强插); the recording's
agent channel has the lead's voice (强插), the caller's channel never does.
"""

from __future__ import annotations

import asyncio
import math
import struct
import wave
from pathlib import Path

import pytest

from hotline.calls.config import load_hotline
from hotline.core.clock import VirtualClock
from hotline.core.events import EventRecorder
from hotline.live.driver import LiveDriver
from hotline.sip.serve import SipService
from tests.sip.test_end_to_end import EXAMPLE, SCENARIOS, WEDNESDAY_10AM
from tests.sip.test_transfer import tone
from tests.support.sip import Baresip, credentials, need, serve_settings, sipp

pytestmark = pytest.mark.realtime  # wall-clock calls: -m "not realtime" skips them

CALLER_HZ, AGENT_HZ, LEAD_HZ = 400, 1000, 2200


def amplitude(samples: list[int], hz: float) -> float:
    """The amplitude of `hz` in 8 kHz samples (Goertzel); a full-scale tone is ~32767."""
    coeff = 2 * math.cos(2 * math.pi * hz / 8000)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + coeff * s1 - s2, s1
    return 2 * math.sqrt(max(0.0, s1 * s1 + s2 * s2 - coeff * s1 * s2)) / max(1, len(samples))


def channel(path: Path, index: int = 0) -> list[int]:
    with wave.open(str(path), "rb") as w:
        n, width, frames = w.getnchannels(), w.getsampwidth(), w.readframes(w.getnframes())
    assert width == 2
    samples = struct.unpack(f"<{len(frames) // 2}h", frames)
    return list(samples[index::n])


def test_the_lead_listens_whispers_and_barges_into_a_real_call(
    tmp_path: Path, prompts: Path
) -> None:
    need("kamailio", "kamcmd", "sipp", "baresip", "sox")
    tone(tmp_path / "caller_tone.wav", CALLER_HZ, ulaw=True)
    settings = serve_settings(tmp_path, prompts)
    hotline = load_hotline(EXAMPLE)
    registrar = (settings.host, settings.kamailio_port)
    phones = {}
    for user, hz in (("9001", AGENT_HZ), ("lead", LEAD_HZ)):
        folder = tmp_path / f"phone-{user}"
        folder.mkdir()
        phones[user] = Baresip(
            folder, user=user, registrar=registrar, source=tone(folder / "tone.wav", hz)
        )
    agent, lead = phones["9001"], phones["lead"]

    async def run() -> tuple[list[str], list[str], int]:
        clock = VirtualClock(WEDNESDAY_10AM)
        driver = LiveDriver(clock, 1.0)
        driver.start()
        service = SipService(
            hotline, settings, clock=clock, catch_up=driver.catch_up,
            credentials=lambda: credentials("9001", "lead"),
        )  # fmt: skip
        recorder = EventRecorder(service.engine.bus)
        supervision = service.engine.controller.supervision
        await service.start()
        try:
            await asyncio.to_thread(agent.start)
            await asyncio.to_thread(lead.start)
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
            session = supervision.monitor(call, extension="lead", by="lead", mode="listen")
            await asyncio.to_thread(lead.wait_event, "CALL_ESTABLISHED", 20.0)
            await asyncio.sleep(0.5)
            driver.catch_up()
            assert session.state == "on"
            await asyncio.sleep(3.0)
            driver.catch_up()
            supervision.set_mode(call, "whisper", by="lead")
            await asyncio.sleep(3.0)
            driver.catch_up()
            supervision.set_mode(call, "barge", by="lead")
            await asyncio.sleep(3.0)
            driver.catch_up()
            supervision.end(call, by="lead")
            await asyncio.to_thread(lead.wait_event, "CALL_CLOSED", 10.0)
            await asyncio.to_thread(caller.wait, 60)
            await asyncio.to_thread(agent.wait_event, "CALL_CLOSED", 10.0)
            assert caller.stderr is not None
            errors = caller.stderr.read().decode(errors="replace")
            assert caller.wait() == 0, errors
            modes = [
                getattr(e, "mode", "") for e in recorder if e.kind == "call.monitor_mode_changed"
            ]
            return [e.kind for e in recorder], modes, caller.wait()
        finally:
            for phone in phones.values():
                phone.stop()
            await service.stop()
            await driver.stop()

    kinds, modes, _ = asyncio.run(run())
    monitor = [k for k in kinds if k.startswith("call.monitor")]
    assert monitor == [
        "call.monitor_started",
        "call.monitor_mode_changed",
        "call.monitor_mode_changed",
        "call.monitor_ended",
    ]
    assert modes == ["whisper", "barge"]
    assert kinds[-1] == "call.ended"  # the caller hung up: the call was never disturbed

    [lead_heard] = list(lead.heard.glob("*-dec.wav"))
    lead_samples = channel(lead_heard)
    assert len(lead_samples) > 8000 * 8  # about 9 s on the call
    assert amplitude(lead_samples, CALLER_HZ) > 1000  # the lead hears the caller …
    assert amplitude(lead_samples, AGENT_HZ) > 1000  # … and the agent
    assert amplitude(lead_samples, LEAD_HZ) < 300  # never itself

    [agent_heard] = list(agent.heard.glob("*-dec.wav"))
    assert amplitude(channel(agent_heard), LEAD_HZ) > 500  # whispered to, then barged in on

    assert settings.recordings is not None
    [recording] = list(settings.recordings.glob("*.wav"))
    left, right = channel(recording, 0), channel(recording, 1)
    assert amplitude(left, CALLER_HZ) > 1000
    assert amplitude(left, LEAD_HZ) < 300  # the caller's channel is the caller's voice
    assert amplitude(right, LEAD_HZ) > 200  # 强插: the lead's voice in the agent's channel
