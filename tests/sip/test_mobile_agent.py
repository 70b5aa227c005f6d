"""移动坐席 over SIP: agent 9001 has no phone at the center and takes calls on a mobile.
A SIPp caller (400 Hz) presses 3 and is queued; Hotline rings the agent's mobile through
Kamailio's trunk, a SIPp UAS playing the carrier (1800 Hz), showing the hotline's number.

- The mobile answers: the caller and the mobile talk, the conversation is recorded (the
  mobile in the agent's channel), and when the caller hangs up the mobile gets a BYE.
- The mobile lets it ring: at the queue's ring timeout Hotline CANCELs the mobile, the
  offer counts as not answered, and the caller is back in the queue.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from hotline.calls.config import load_hotline
from hotline.core.clock import VirtualClock
from hotline.core.events import EventRecorder
from hotline.core.ids import AgentId
from hotline.live.driver import LiveDriver
from hotline.routing.model import AgentState
from hotline.sip.serve import SipService
from tests.sip.test_end_to_end import EXAMPLE, SCENARIOS, WEDNESDAY_10AM
from tests.sip.test_monitor import amplitude, channel
from tests.sip.test_originate import CUSTOMER, customer_uas
from tests.sip.test_outside import until
from tests.sip.test_transfer import tone
from tests.support.sip import need, serve_settings, sipp, stop_process

pytestmark = pytest.mark.realtime  # wall-clock calls: -m "not realtime" skips them

CALLER_HZ, MOBILE_HZ = 400, 1800
AGENT = AgentId("9001")


def _call_the_mobile_agent(
    tmp_path: Path, prompts: Path, uas_scenario: str, talk_ms: int
) -> tuple[list[str], int | None, str, str, Path, AgentState]:
    """One caller for agent 9001 on the mobile `CUSTOMER` (the trunk runs `uas_scenario`):
    the events, the trunk's exit code, errors and messages, the recordings' folder and the
    seat's state when the caller hung up."""
    need("kamailio", "kamcmd", "sipp", "sox")
    tone(tmp_path / "caller_tone.wav", CALLER_HZ, ulaw=True)
    carrier = tmp_path / "carrier"
    carrier.mkdir()
    tone(carrier / "customer_tone.wav", MOBILE_HZ, ulaw=True)  # what uas_answer.xml streams
    uas, trunk_port = customer_uas(uas_scenario, carrier)
    settings = serve_settings(tmp_path, prompts, trunk=("127.0.0.1", trunk_port))
    hotline = load_hotline(EXAMPLE)
    registrar = (settings.host, settings.kamailio_port)

    async def run() -> tuple[list[str], int | None, str, AgentState]:
        clock = VirtualClock(WEDNESDAY_10AM)
        driver = LiveDriver(clock, 1.0)
        driver.start()
        service = SipService(hotline, settings, clock=clock, catch_up=driver.catch_up)
        recorder = EventRecorder(service.engine.bus)
        try:
            await service.start()
            service.set_mobile(AGENT, CUSTOMER)
            driver.catch_up()
            service.engine.acd.login(AGENT, ready=True, by="desk")  # no phone registers
            assert await service.refresh_phones() == []  # no registration logs it out
            caller = sipp(
                SCENARIOS / "caller_presses_3.xml",
                registrar,
                tmp_path,
                service="95598",
                extra=("-d", str(talk_ms)),
            )
            await until(recorder, "contact.offered", 30.0)
            await asyncio.to_thread(caller.wait, 90)
            assert caller.stderr is not None
            errors = caller.stderr.read().decode(errors="replace")
            assert caller.wait() == 0, errors
            driver.catch_up()
            state = service.engine.acd.state_of(AGENT)
            rc = await asyncio.to_thread(uas.wait, 30)
            assert uas.stderr is not None
            return recorder.kinds(), rc, uas.stderr.read().decode(errors="replace"), state
        finally:
            stop_process(uas)
            await service.stop()
            await driver.stop()

    kinds, rc, errors, state = asyncio.run(run())
    messages = "".join(p.read_text(errors="replace") for p in carrier.glob("*_messages.log"))
    assert settings.recordings is not None
    return kinds, rc, errors, messages, settings.recordings, state


def test_the_agent_answers_on_the_mobile_and_talks_with_the_caller(
    tmp_path: Path, prompts: Path
) -> None:
    kinds, rc, errors, messages, recordings, _ = _call_the_mobile_agent(
        tmp_path, prompts, "uas_answer.xml", talk_ms=14000
    )
    assert rc == 0, errors  # the mobile answered and got its BYE when the caller hung up
    # the carrier was asked for the mobile, with the hotline's number as the caller
    assert f"INVITE sip:{CUSTOMER}@" in messages
    invite = messages[messages.index(f"INVITE sip:{CUSTOMER}@") :]
    sent_from = next(line for line in invite.splitlines() if line.startswith("From:"))
    assert "sip:95598@" in sent_from, sent_from
    assert "contact.answered" in kinds, kinds
    assert "contact.completed" in kinds
    [recording] = list(recordings.glob("*-9001.wav"))
    assert amplitude(channel(recording, 1), MOBILE_HZ) > 1000  # the mobile, agent's side
    assert amplitude(channel(recording, 0), CALLER_HZ) > 1000  # the caller
    assert amplitude(channel(recording, 0), MOBILE_HZ) < 300


def test_a_mobile_that_is_not_answered_is_cancelled_and_the_caller_waits_on(
    tmp_path: Path, prompts: Path
) -> None:
    kinds, rc, errors, messages, _, state = _call_the_mobile_agent(
        tmp_path, prompts, "uas_no_answer.xml", talk_ms=20000
    )
    assert rc == 0, errors  # the mobile got the CANCEL at the ring timeout
    assert f"INVITE sip:{CUSTOMER}@" in messages
    assert "contact.ring_no_answer" in kinds, kinds
    assert "contact.answered" not in kinds
    assert kinds.index("contact.ring_no_answer") < kinds.index("contact.abandoned")
    assert state is AgentState.NOT_READY  # 未接: the seat stops being offered calls
