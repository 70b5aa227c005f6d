"""Transfers over SIP with two real phones: consult (咨询转接) and blind (to a queue).

Agent 9001 talks with a SIPp caller; 9002's phone registers meanwhile.
- consult: 9001 consults the query queue: the caller hears hold music, 9002's phone is
  rung and answers, the two agents talk; 9001 completes the transfer;
- blind: 9001 transfers the caller to the query queue, whose ACD rings 9002.
Either way 9001's phone gets a BYE and the caller talks with 9002 (a second recording,
with 9002's 1500 Hz tone) until the caller hangs up.
"""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pytest

from hotline.calls.config import load_hotline
from hotline.core.clock import VirtualClock
from hotline.core.events import EventRecorder
from hotline.core.ids import AgentId, QueueName
from hotline.live.driver import LiveDriver
from hotline.sip.serve import SipService
from tests.sip.test_end_to_end import EXAMPLE, SCENARIOS, WEDNESDAY_10AM
from tests.support.sip import Baresip, credentials, need, serve_settings, sipp, sox_stat

pytestmark = pytest.mark.realtime  # wall-clock calls: -m "not realtime" skips them


def tone(path: Path, hz: int, *, ulaw: bool = False) -> Path:
    encoding = ["-e", "u-law"] if ulaw else ["-b", "16", "-e", "signed"]
    subprocess.run(
        ["sox", "-n", "-r", "8000", "-c", "1", *encoding, str(path),
         "synth", "60", "sine", str(hz), "vol", "0.5"],
        check=True,
    )  # fmt: skip
    return path


@pytest.mark.parametrize("how", ["consult", "blind"])
def test_a_transfer_hands_the_caller_to_the_colleague(
    tmp_path: Path, prompts: Path, how: str
) -> None:
    need("kamailio", "kamcmd", "sipp", "baresip", "sox")
    tone(tmp_path / "caller_tone.wav", 400, ulaw=True)
    settings = serve_settings(tmp_path, prompts)
    hotline = load_hotline(EXAMPLE)
    registrar = (settings.host, settings.kamailio_port)
    phones = {}
    for agent, hz in (("9001", 1000), ("9002", 1500)):
        folder = tmp_path / f"phone{agent}"
        folder.mkdir()
        phones[agent] = Baresip(
            folder, user=agent, registrar=registrar, source=tone(folder / "tone.wav", hz)
        )
    first, colleague = phones["9001"], phones["9002"]

    async def run() -> tuple[list[str], int, str, AgentId]:
        clock = VirtualClock(WEDNESDAY_10AM)
        driver = LiveDriver(clock, 1.0)
        driver.start()
        service = SipService(
            hotline, settings, clock=clock, catch_up=driver.catch_up,
            credentials=lambda: credentials("9001", "9002", "9003"),
        )  # fmt: skip
        recorder = EventRecorder(service.engine.bus)
        controller = service.engine.controller
        await service.start()
        try:
            await asyncio.to_thread(first.start)
            assert await service.refresh_phones() == [("9001", "login")]
            caller = sipp(
                SCENARIOS / "caller_presses_3.xml",
                registrar,
                tmp_path,
                service="95598",
                extra=("-d", "30000"),
            )
            await asyncio.to_thread(first.wait_event, "CALL_ESTABLISHED", 40.0)
            await asyncio.to_thread(colleague.start)
            assert await service.refresh_phones() == [("9002", "login")]
            await asyncio.sleep(1.0)
            [call] = list(service.switch.live_calls())
            driver.catch_up()
            if how == "consult":
                assert controller.consult(call, QueueName("query")) == AgentId("9002")
                await asyncio.to_thread(colleague.wait_event, "CALL_ESTABLISHED", 20.0)
                await asyncio.sleep(2.0)  # the agents talk; the caller hears music
                driver.catch_up()
                target = controller.complete_consult(call)
            else:
                controller.transfer(call, QueueName("query"))
                await asyncio.to_thread(colleague.wait_event, "CALL_ESTABLISHED", 20.0)
                driver.catch_up()
                target = controller.agent_of(call) or AgentId("")
            await asyncio.to_thread(first.wait_event, "CALL_CLOSED", 10.0)
            await asyncio.to_thread(caller.wait, 60)
            await asyncio.to_thread(colleague.wait_event, "CALL_CLOSED", 10.0)
            assert caller.stderr is not None
            errors = caller.stderr.read().decode(errors="replace")
            return [e.kind for e in recorder], caller.wait(), errors, target
        finally:
            for phone in phones.values():
                phone.stop()
            await service.stop()
            await driver.stop()

    kinds, rc, errors, target = asyncio.run(run())
    assert rc == 0, errors
    assert target == "9002"
    order = [k for k in kinds if k.startswith(("consult.", "contact.answered", "call.ended"))]
    if how == "consult":
        assert order == [
            "contact.answered",
            "consult.started",
            "consult.answered",
            "consult.ended",
            "call.ended",
        ]
    else:
        assert order == ["contact.answered", "contact.answered", "call.ended"]
    assert settings.recordings is not None
    recordings = {p.stem.rsplit("-", 1)[1]: p for p in settings.recordings.glob("*.wav")}
    assert set(recordings) == {"9001", "9002"}
    assert 850 < sox_stat(recordings["9001"], 2)["Rough   frequency"] < 1150
    with_colleague = sox_stat(recordings["9002"], 2)
    assert with_colleague["RMS     amplitude"] > 0.05
    assert 1300 < with_colleague["Rough   frequency"] < 1700
    assert 300 < sox_stat(recordings["9002"], 1)["Rough   frequency"] < 500
