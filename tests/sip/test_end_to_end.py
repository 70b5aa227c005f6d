"""One real call end to end on loopback: Kamailio, Hotline on `SipSwitch`, a baresip agent
phone and a SIPp caller.

The caller dials 95598 through Kamailio, hears the IVR, presses 3 (RFC 2833) at the
main menu, is queued for 业务咨询, agent 9001's phone (registered at Kamailio, which
logs the seat in) is rung and auto-answers; caller and agent stream tones (400 Hz and
1000 Hz) both ways through Hotline's relay, which records them; the caller hangs up.
The engine's events have the same kinds, in the same order, as the simulated switch
produces for the same path.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hotline.calls.config import load_hotline
from hotline.core.clock import VirtualClock
from hotline.core.events import EventRecorder
from hotline.core.ids import AgentId, CallId
from hotline.live.driver import LiveDriver
from hotline.sip.serve import SipHotline, SipService
from hotline.telephony.sim import SimSwitch
from tests.support.sip import (
    Baresip,
    assert_conversation_recorded,
    credentials,
    need,
    serve_settings,
    sipp,
    sox_stat,
)

pytestmark = pytest.mark.realtime  # wall-clock calls: -m "not realtime" skips them

EXAMPLE = Path(__file__).resolve().parents[2] / "examples/95598/hotline.yaml"
SCENARIOS = Path(__file__).parent / "scenarios"
WEDNESDAY_10AM = datetime.datetime(
    2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")
).timestamp()
"""Engine time at the start (a working day, office hours: no holiday greeting), both runs."""


class _ScriptedPath:
    """The simulator's parties for the same path: 3 at the menu, the agent answers (or
    lets it ring), the caller hangs up."""

    def __init__(self, answers: bool, *, rates: bool = False) -> None:
        self.answers = answers
        self.rates = rates

    def respond(
        self, call: CallId, prompt: str | None, max_digits: int
    ) -> tuple[str, float] | None:
        keys = {"menu_main": ("3", 2.0), "survey_ask": ("5", 3.0)}
        return keys.get(prompt or "")

    def waiting_started(self, call: CallId) -> None:
        pass

    def ring(self, call: CallId, agent: AgentId, timeout: float) -> float | None:
        return 0.5 if self.answers else None

    def bridged(self, call: CallId, agent: AgentId) -> tuple[float | None, bool]:
        return (5.0, False) if self.rates else (15.0, True)

    def conversation_ended(self, call: CallId, agent: AgentId) -> None:
        pass

    def call_ended(self, call: CallId) -> None:
        pass


def simulated_kinds(*, answers: bool, rates: bool = False) -> list[str]:
    hotline = load_hotline(EXAMPLE)
    clock = VirtualClock(WEDNESDAY_10AM)
    switch = SimSwitch(clock, _ScriptedPath(answers, rates=rates), hotline.prompt_seconds())
    engine = SipHotline(hotline, clock=clock, switch=switch)
    recorder = EventRecorder(engine.bus)
    engine.follow_phones({"9001"})
    switch.place_call(CallId("c1"), "13800138000", "95598")
    if not answers:
        clock.call_later(30.0, switch.caller_hangs_up, CallId("c1"))
    clock.run(until=clock.now() + 60)
    return until_call_ended([e.kind for e in recorder])


def until_call_ended(kinds: Sequence[str]) -> list[str]:
    return list(kinds[: kinds.index("call.ended") + 1]) if "call.ended" in kinds else list(kinds)


@dataclass
class CallRun:
    kinds: list[str]
    sipp_rc: int
    sipp_errors: str
    phone_events: list[str]
    recordings: Path | None
    phone_heard: Path


def hang_up_later(phone: Baresip, seconds: float) -> None:
    phone.wait_event("CALL_ESTABLISHED", timeout=60.0)
    time.sleep(seconds)
    phone.command("hangup")


def run_call(
    tmp_path: Path,
    prompts: Path,
    *,
    answermode: str,
    talk_ms: int,
    scenario: str = "caller_presses_3.xml",
    agent_hangs_up_after: float | None = None,
) -> CallRun:
    """One SIPp call through Kamailio to Hotline, with agent 9001's baresip phone registered
    (hanging up `agent_hangs_up_after` seconds into the conversation, when given)."""
    need("kamailio", "kamcmd", "sipp", "baresip", "sox")
    caller_tone = tmp_path / "caller_tone.wav"
    agent_tone = tmp_path / "agent_tone.wav"
    subprocess.run(
        ["sox", "-n", "-r", "8000", "-c", "1", "-e", "u-law", str(caller_tone),
         "synth", "60", "sine", "400", "vol", "0.5"],
        check=True,
    )  # fmt: skip
    subprocess.run(
        ["sox", "-n", "-r", "8000", "-c", "1", "-b", "16", "-e", "signed", str(agent_tone),
         "synth", "60", "sine", "1000", "vol", "0.5"],
        check=True,
    )  # fmt: skip
    settings = serve_settings(tmp_path, prompts)
    hotline = load_hotline(EXAMPLE)
    phone_dir = tmp_path / "baresip"
    phone_dir.mkdir()

    async def run() -> CallRun:
        clock = VirtualClock(WEDNESDAY_10AM)
        driver = LiveDriver(clock, 1.0)
        driver.start()
        service = SipService(
            hotline, settings, clock=clock, catch_up=driver.catch_up,
            credentials=lambda: credentials("9001", "9002", "9003"),
        )  # fmt: skip
        recorder = EventRecorder(service.engine.bus)
        await service.start()
        phone = Baresip(
            phone_dir,
            user="9001",
            registrar=(settings.host, settings.kamailio_port),
            source=agent_tone,
            answermode=answermode,
        )
        try:
            await asyncio.to_thread(phone.start)
            assert await service.refresh_phones() == [("9001", "login")]
            hangup = None
            if agent_hangs_up_after is not None:
                hangup = asyncio.create_task(
                    asyncio.to_thread(hang_up_later, phone, agent_hangs_up_after)
                )
            caller = sipp(
                SCENARIOS / scenario,
                (settings.host, settings.kamailio_port),
                tmp_path,
                service="95598",
                extra=("-d", str(talk_ms)),
            )
            try:
                await asyncio.to_thread(caller.wait, 90)
            finally:
                if caller.poll() is None:
                    caller.kill()
            if hangup is not None:
                await hangup
            assert caller.stderr is not None
            errors = caller.stderr.read().decode(errors="replace")
            for _ in range(50):  # the BYE's report reaches the engine on the next turn
                if "call.ended" in [e.kind for e in recorder]:
                    break
                await asyncio.sleep(0.1)
            with contextlib.suppress(TimeoutError):
                await asyncio.to_thread(phone.wait_event, "CALL_CLOSED", 5.0)
            seen = [str(e.get("type")) for e in phone.events]
            kinds = [e.kind for e in recorder]
            return CallRun(kinds, caller.wait(), errors, seen, settings.recordings, phone.heard)
        finally:
            phone.stop()
            await service.stop()
            await driver.stop()

    return asyncio.run(run())


def test_a_caller_reaches_an_agent_through_kamailio(tmp_path: Path, prompts: Path) -> None:
    call = run_call(tmp_path, prompts, answermode="auto", talk_ms=20000)
    assert until_call_ended(call.kinds) == simulated_kinds(answers=True)
    assert call.sipp_rc == 0, call.sipp_errors
    assert "CALL_ESTABLISHED" in call.phone_events
    assert "CALL_CLOSED" in call.phone_events

    assert call.recordings is not None
    [recording] = list(call.recordings.glob("*.wav"))
    assert_conversation_recorded(recording, call.phone_heard)


def test_a_phone_left_ringing_is_cancelled_by_the_engine_after_12_s(
    tmp_path: Path, prompts: Path
) -> None:
    call = run_call(tmp_path, prompts, answermode="manual", talk_ms=27000)
    kinds = until_call_ended(call.kinds)
    assert kinds == simulated_kinds(answers=False)
    assert "contact.ring_no_answer" in kinds
    assert call.sipp_rc == 0, call.sipp_errors
    assert "CALL_INCOMING" in call.phone_events
    assert "CALL_ESTABLISHED" not in call.phone_events
    assert "CALL_CLOSED" in call.phone_events  # our CANCEL reached the phone
    assert call.recordings is not None
    assert not list(call.recordings.glob("*.wav"))


def test_the_agent_hangs_up_and_the_caller_rates_the_call(tmp_path: Path, prompts: Path) -> None:
    call = run_call(
        tmp_path,
        prompts,
        answermode="auto",
        talk_ms=14000,
        scenario="caller_rates_5.xml",
        agent_hangs_up_after=3.0,
    )
    kinds = until_call_ended(call.kinds)
    assert kinds == simulated_kinds(answers=True, rates=True)
    assert "survey.scored" in kinds
    assert call.sipp_rc == 0, call.sipp_errors  # Hotline's BYE reached the caller
    assert "CALL_ESTABLISHED" in call.phone_events
    assert call.recordings is not None
    [recording] = list(call.recordings.glob("*.wav"))
    assert sox_stat(recording, 2)["RMS     amplitude"] > 0.05
