"""Outbound calls on real SIP: Hotline calls a customer through Kamailio's trunk route.

Kamailio sends a number no phone registered to its trunk, here a SIPp UAS playing
the customer (tests/sip/scenarios/uas_*.xml). Hotline (`SipService` on a
`VirtualClock` driven at 1x) originates through the call controller:

1. the customer answers and streams 400 Hz; Hotline queues it for 业务咨询, agent
   9001's baresip phone (1000 Hz) auto-answers and is bridged, the conversation is
   recorded, 9001 hangs up and Hotline sends the customer a BYE; the event kinds are
   those of the same path on `SimSwitch`;
2. the customer answers and hears a notice (a WAV prompt), then Hotline hangs up;
3. the customer lets it ring: Hotline's timeout CANCELs the INVITE (SIPp requires it);
4. the customer's line is busy: 486 Busy Here at once, and the call fails as busy;
5. no trunk configured: Kamailio answers 404 and the call fails as unreachable.
"""

from __future__ import annotations

import asyncio
import dataclasses
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from hotline.calls.config import load_hotline
from hotline.calls.events import (
    CallEnded,
    CallOutboundAnswered,
    CallOutboundFailed,
    Direction,
    Outcome,
    Phase,
)
from hotline.calls.outbound import OnAnswer, PlayMessage, ToQueue
from hotline.core.clock import VirtualClock
from hotline.core.events import EventRecorder
from hotline.core.ids import AgentId, CallId, QueueName
from hotline.live.driver import LiveDriver
from hotline.sip.dialout import failure_reason
from hotline.sip.kamailio import Kamailio, KamailioError, KamailioSettings, render
from hotline.sip.serve import SipHotline, SipService
from hotline.telephony.customers import Pickup
from hotline.telephony.sim import SimSwitch
from tests.sip.test_end_to_end import (
    WEDNESDAY_10AM,
    _ScriptedPath,
    hang_up_later,
    until_call_ended,
)
from tests.support.sip import (
    Baresip,
    assert_conversation_recorded,
    credentials,
    free_port,
    need,
    serve_settings,
    stop_process,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples/95598/hotline.yaml"
SCENARIOS = Path(__file__).parent / "scenarios"
CUSTOMER = "13912345678"


def tone(path: Path, hz: int, seconds: int, encoding: tuple[str, ...]) -> Path:
    subprocess.run(
        ["sox", "-n", "-r", "8000", "-c", "1", *encoding, str(path),
         "synth", str(seconds), "sine", str(hz), "vol", "0.5"],
        check=True,
    )  # fmt: skip
    return path


def customer_uas(scenario: str, workdir: Path) -> tuple[subprocess.Popen[bytes], int]:
    """A SIPp UAS for one call of `scenario` on a free port (the customer's line)."""
    port, media_port = free_port(), free_port()
    command = [
        "sipp", "-sf", str(SCENARIOS / scenario), "-m", "1", "-s", CUSTOMER,
        "-i", "127.0.0.1", "-p", str(port), "-mp", str(media_port),
        "-timeout", "90s", "-timeout_error", "-nostdin", "-trace_err", "-trace_msg",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    return process, port


@dataclass
class OutboundRun:
    kinds: list[str]
    recorder: EventRecorder
    sipp_rc: int | None
    sipp_errors: str
    phone_events: list[str]
    recordings: Path
    phone_heard: Path


def run_outbound(
    tmp_path: Path,
    on_answer: OnAnswer,
    *,
    scenario: str | None,
    timeout: float = 30.0,
    phone: bool = False,
) -> OutboundRun:
    """Originate one call to CUSTOMER; `scenario` is the customer's SIPp UAS behind the
    trunk (None: no trunk); `phone` registers agent 9001 (hanging up 4 s into the talk)."""
    need("kamailio", "kamcmd", "sipp", "baresip", "sox")
    tone(tmp_path / "customer_tone.wav", 400, 60, ("-e", "u-law"))
    agent_tone = tone(tmp_path / "agent_tone.wav", 1000, 60, ("-b", "16", "-e", "signed"))
    prompts = tmp_path / "prompts"
    prompts.mkdir()
    tone(prompts / "outage_notice.wav", 800, 2, ("-b", "16", "-e", "signed"))
    settings = serve_settings(tmp_path, prompts)
    hotline = load_hotline(EXAMPLE)
    (tmp_path / "baresip").mkdir()

    async def run() -> OutboundRun:
        clock = VirtualClock(WEDNESDAY_10AM)
        driver = LiveDriver(clock, 1.0)
        driver.start()
        service = SipService(
            hotline, settings, clock=clock, catch_up=driver.catch_up,
            credentials=lambda: credentials("9001", "9002", "9003"),
        )  # fmt: skip
        customer: subprocess.Popen[bytes] | None = None
        if scenario is not None:
            customer, port = customer_uas(scenario, tmp_path)
            # the carrier's gateway: Kamailio sends numbers nobody registered there
            trunk = dataclasses.replace(service.kamailio.settings, trunk=("127.0.0.1", port))
            service.kamailio = Kamailio(trunk)
        recorder = EventRecorder(service.engine.bus)
        agent: Baresip | None = None
        try:
            await service.start()
            hangup = None
            if phone:
                agent = Baresip(
                    tmp_path / "baresip",
                    user="9001",
                    registrar=(settings.host, settings.kamailio_port),
                    source=agent_tone,
                )
                await asyncio.to_thread(agent.start)
                assert await service.refresh_phones() == [("9001", "login")]
                hangup = asyncio.create_task(asyncio.to_thread(hang_up_later, agent, 4.0))
            driver.catch_up()
            service.engine.controller.originate(
                CUSTOMER, on_answer, caller_id="95598", timeout=timeout
            )
            deadline = time.monotonic() + 60.0
            while "call.ended" not in recorder.kinds() and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            if hangup is not None:
                await hangup
            rc, errors = None, ""
            if customer is not None:
                rc = await asyncio.to_thread(customer.wait, 20)
                assert customer.stderr is not None
                errors = customer.stderr.read().decode(errors="replace")
            seen = [str(e.get("type")) for e in agent.events] if agent is not None else []
            return OutboundRun(
                recorder.kinds(),
                recorder,
                rc,
                errors,
                seen,
                tmp_path / "recordings",
                tmp_path / "baresip" / "heard",
            )
        finally:
            if agent is not None:
                agent.stop()
            if customer is not None:
                stop_process(customer)
            await service.stop()
            await driver.stop()

    return asyncio.run(run())


class _AgentEndsTalk:
    """The simulated customer of the same path: answers after a second, the agent ends."""

    def dialled(self, call: CallId, number: str, timeout: float) -> Pickup | None:
        return Pickup(1.0)

    def respond(
        self, call: CallId, prompt: str | None, max_digits: int
    ) -> tuple[str, float] | None:
        return None

    def waiting_started(self, call: CallId) -> None:
        pass

    def bridged(self, call: CallId, agent: AgentId) -> tuple[float | None, bool]:
        return 4.0, False

    def call_ended(self, call: CallId) -> None:
        pass


def simulated_kinds() -> list[str]:
    hotline = load_hotline(EXAMPLE)
    clock = VirtualClock(WEDNESDAY_10AM)
    switch = SimSwitch(
        clock,
        _ScriptedPath(answers=True),
        hotline.prompt_seconds(),
        customers=_AgentEndsTalk(),
    )
    engine = SipHotline(hotline, clock=clock, switch=switch)
    recorder = EventRecorder(engine.bus)
    engine.follow_phones({"9001"})
    engine.controller.originate(CUSTOMER, ToQueue(QueueName("query")), caller_id="95598")
    clock.run(until=clock.now() + 60)
    return until_call_ended(recorder.kinds())


@pytest.mark.realtime
def test_an_answered_customer_talks_with_an_agent_and_is_recorded(tmp_path: Path) -> None:
    run = run_outbound(tmp_path, ToQueue(QueueName("query")), scenario="uas_answer.xml", phone=True)
    kinds = until_call_ended(run.kinds)
    assert kinds == simulated_kinds()
    assert run.sipp_rc == 0, run.sipp_errors  # answered, then Hotline's BYE came
    [answered] = run.recorder.of(CallOutboundAnswered)
    assert 0.9 < answered.rang < 10.0, answered.rang  # the customer's phone rang for 1 s
    [ended] = run.recorder.of(CallEnded)
    assert (ended.outcome, ended.phase, ended.direction) == (
        Outcome.ANSWERED,
        Phase.TALKING,
        Direction.OUTBOUND,
    )
    assert "CALL_ESTABLISHED" in run.phone_events

    [recording] = list(run.recordings.glob("*.wav"))
    assert recording.name == "o1-9001.wav"
    assert_conversation_recorded(recording, run.phone_heard)  # the customer's side left


@pytest.mark.realtime
def test_a_notice_is_played_then_the_hotline_hangs_up(tmp_path: Path) -> None:
    run = run_outbound(tmp_path, PlayMessage("outage_notice"), scenario="uas_answer.xml")
    kinds = until_call_ended(run.kinds)
    assert kinds == ["call.originated", "call.outbound_answered", "call.ended"], run.kinds
    assert run.sipp_rc == 0, run.sipp_errors
    [answered] = run.recorder.of(CallOutboundAnswered)
    [ended] = run.recorder.of(CallEnded)
    assert (ended.outcome, ended.phase, ended.by) == (Outcome.NOTIFIED, Phase.MESSAGE, "system")
    # the notice lasts 2 s (more when a loaded machine runs the media late)
    assert 1.9 < ended.at - answered.at < 6.0, ended.at - answered.at


@pytest.mark.realtime
def test_a_customer_who_does_not_answer_is_cancelled_after_the_timeout(tmp_path: Path) -> None:
    run = run_outbound(
        tmp_path, ToQueue(QueueName("query")), scenario="uas_no_answer.xml", timeout=4.0
    )
    assert until_call_ended(run.kinds) == ["call.originated", "call.outbound_failed", "call.ended"]
    [failed] = run.recorder.of(CallOutboundFailed)
    assert failed.reason == "no-answer"
    assert failed.rang == pytest.approx(4.0)  # the engine's timer, on its clock
    assert run.sipp_rc == 0, run.sipp_errors  # the customer's phone got our CANCEL


@pytest.mark.realtime
def test_a_busy_customer_fails_as_busy(tmp_path: Path) -> None:
    run = run_outbound(tmp_path, ToQueue(QueueName("query")), scenario="uas_busy.xml")
    assert until_call_ended(run.kinds) == ["call.originated", "call.outbound_failed", "call.ended"]
    [failed] = run.recorder.of(CallOutboundFailed)
    assert failed.reason == "busy"  # 486 Busy Here
    assert failed.rang < 5.0, failed.rang  # the 486 ends it, not the 30 s ring timeout
    [ended] = run.recorder.of(CallEnded)
    assert (ended.outcome, ended.by) == (Outcome.NOT_REACHED, "busy")
    assert run.sipp_rc == 0, run.sipp_errors  # the customer's line got the ACK for its 486


@pytest.mark.realtime
def test_a_number_without_a_route_is_unreachable(tmp_path: Path) -> None:
    run = run_outbound(tmp_path, ToQueue(QueueName("query")), scenario=None)
    assert until_call_ended(run.kinds) == ["call.originated", "call.outbound_failed", "call.ended"]
    [failed] = run.recorder.of(CallOutboundFailed)
    assert failed.reason == "unreachable"  # Kamailio: 404 No Trunk
    [ended] = run.recorder.of(CallEnded)
    assert (ended.outcome, ended.by) == (Outcome.NOT_REACHED, "unreachable")


def test_the_kamailio_config_sends_hotlines_calls_to_the_trunk(tmp_path: Path) -> None:
    settings = KamailioSettings(workdir=tmp_path, trunk=("10.0.0.7", 5070))
    config = render(settings, modules=tmp_path)
    from_hotline = config[config.index("    if (FROM_HOTLINE) {") :]
    assert from_hotline.split("    if (!FROM_TRUNK)")[0].count('$du = "sip:10.0.0.7:5070";') == 1
    without = render(dataclasses.replace(settings, trunk=None), modules=tmp_path)
    assert "10.0.0.7" not in without
    assert 'sl_send_reply("404", "No Trunk")' in without
    with pytest.raises(KamailioError, match="trunk"):
        render(dataclasses.replace(settings, trunk=('gw"; exit; "', 5070)), modules=tmp_path)
    with pytest.raises(KamailioError, match="trunk"):
        render(dataclasses.replace(settings, trunk=("10.0.0.7", 0)), modules=tmp_path)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (486, "busy"),
        (600, "busy"),
        (603, "rejected"),
        (403, "rejected"),
        (480, "no-answer"),
        (408, "no-answer"),
        (404, "unreachable"),
        (503, "unreachable"),
        (500, "unreachable"),
    ],
)
def test_sip_errors_become_the_ports_reasons(code: int, reason: str) -> None:
    assert failure_reason(code) == reason
