"""`SipSwitch`: the engine's `Switch` port on real SIP calls and RTP media.

Callers reach `SipEndpoint` (through Kamailio); agents' phones are rung through
Kamailio's location service. Prompts, digit collection, hold music, ringing,
bridging with a two-channel recording, hold and hang-up map onto the dialogs of
`endpoint` and the legs of `media`; a call to a customer (`originate`) is an INVITE
through Kamailio, CANCELled when the engine's timeout comes first, and once
answered a call like the others. A supervisor's phone (`monitor`: 监听, 耳语, 强插,
`take_over`) and an outside party (`dial_out`: 外线咨询, 三方通话, 转外线) are INVITEs through
Kamailio too; joined to a call's bridge they are heard through its mixer
(`media.Bridge.join`). Everything runs on the asyncio loop that runs
the engine; before each report to the `SwitchListener` the switch calls
`catch_up` (the live runtime's clock driver: engine time is the time of the
report). It reports only from loop callbacks, never from inside a command, as
the port requires; `hangup` reports through a zero-delay timer of the engine's
clock, as the simulated switch does.

No media goes towards an address before the dialog is confirmed: an inbound call's
leg starts sending when the caller ACKs our 200 OK (a prompt played before waits
and starts then, its `on_done` comes at its real end); a 200 OK never ACKed ends
the call after 32 s (`no-ack`). Legs we call out start at the answer (we ACK).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable, Collection, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hotline.core.clock import Clock, TimerHandle
from hotline.core.ids import AgentId, CallId
from hotline.sip import sdp
from hotline.sip.dialout import DialAttempt, failure_reason
from hotline.sip.endpoint import Dialog, DialogState, SipEndpoint, SipError
from hotline.sip.media import (
    BARGE,
    LISTEN,
    PCMU,
    WHISPER,
    Bridge,
    Hearing,
    MediaError,
    MediaServer,
    Player,
    Recorder,
    RtpLeg,
    Sound,
)
from hotline.sip.prompts import PromptCatalogue, hold_music
from hotline.sip.voicemail import MessageRecorder, beep
from hotline.sip.webcall import WebcallTokens
from hotline.telephony.keys import Collector, KeyBuffer, feed_later
from hotline.telephony.port import RecordedMessage, SwitchListener

log = logging.getLogger(__name__)
EVENT_TYPE = 101


@dataclass(eq=False)
class _AgentLeg:
    agent: AgentId
    dialog: Dialog | None = None
    leg: RtpLeg | None = None
    answered: bool = False
    gone: bool = False


@dataclass(eq=False, kw_only=True)
class _PlacedLeg:
    """A phone Hotline calls into a call besides the agent's, with the engine's ring timer."""

    dialog: Dialog | None = None
    leg: RtpLeg | None = None
    answered: bool = False
    gone: bool = False
    timer: TimerHandle | None = None


@dataclass(eq=False)
class _MonitorLeg(_PlacedLeg):
    """A supervisor's phone on a call (`monitor`): rung, then joined to the bridge."""

    supervisor: str
    mode: str


@dataclass(eq=False)
class _OutsideLeg(_PlacedLeg):
    """An outside number called for the agent of a call (`dial_out`): a department's duty
    phone through the trunk; consulted, then in a three-way call or given the caller."""

    number: str


_HEARING = {"listen": LISTEN, "whisper": WHISPER, "barge": BARGE}


def _hearing(mode: str) -> Hearing:
    try:
        return _HEARING[mode]
    except KeyError:
        known = ", ".join(_HEARING)
        raise ValueError(f"monitor mode must be one of {known}, not {mode!r}") from None


@dataclass(eq=False)
class _Call:
    id: CallId
    dialog: Dialog
    leg: RtpLeg
    media_token: object = field(default_factory=object)
    collect: Collector | None = None
    keys: KeyBuffer = field(default_factory=KeyBuffer)  # typed ahead of the next collect
    message: MessageRecorder | None = None  # a voicemail being recorded
    on_message: Callable[[RecordedMessage], None] | None = None
    agent: _AgentLeg | None = None
    consult: _AgentLeg | None = None
    bridge: Bridge | None = None
    consult_bridge: Bridge | None = None
    held: bool = False
    monitor: _MonitorLeg | None = None
    outside: _OutsideLeg | None = None
    taken_over: bool = False  # the monitoring supervisor replaced the agent (`take_over`)


class SipSwitch:
    """The `Switch` port over SIP. `await start()` on the engine's loop, `attach` a listener."""

    def __init__(
        self,
        *,
        clock: Clock,
        prompts: PromptCatalogue,
        host: str = "127.0.0.1",
        sip_port: int = 5080,
        proxy: tuple[str, int] | None = None,
        recordings: Path | None = None,
        catch_up: Callable[[], None] = lambda: None,
        call_prefix: str = "s",
        rtp_timeout: float = 30.0,
        music: bytes | None = None,
        webcall: WebcallTokens | None = None,
    ) -> None:
        """`proxy` is where agents' phones are rung (Kamailio); `recordings` the folder
        for one ``<call>-<agent>.wav`` per conversation (none when None); `webcall` checks
        the web call page's caller tokens (`hotline.sip.webcall`)."""
        self._webcall = webcall
        self._clock = clock
        self._prompts = prompts
        self.host = host
        self.sip_port = sip_port
        self.proxy = proxy
        self.recordings = recordings
        self._catch_up = catch_up
        self._prefix = call_prefix
        self._rtp_timeout = rtp_timeout
        self._music = Sound(music if music is not None else hold_music())  # encoded once
        self._beep = Sound(beep())
        self._ids = itertools.count(1)
        self._calls: dict[CallId, _Call] = {}
        self._mobiles: dict[str, str] = {}  # agent → the mobile number their calls ring
        self._dialing: dict[CallId, DialAttempt] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.listener: SwitchListener | None = None
        self.media: MediaServer | None = None
        self.endpoint: SipEndpoint | None = None

    def attach(self, listener: SwitchListener) -> None:
        self.listener = listener

    def set_mobile(self, agent: AgentId, number: str | None) -> None:
        """Ring `agent` on `number` through the trunk from the next call on (移动坐席), or
        on their extension's phone again (None). A ring already under way is left alone."""
        if number is None:
            self._mobiles.pop(str(agent), None)
        else:
            self._mobiles[str(agent)] = number

    async def start(self) -> None:
        """Start the media pacer and the SIP endpoint; raises `SipError` if the port is taken."""
        self.media = MediaServer(self.host, rtp_timeout=self._rtp_timeout)
        self.media.start()
        self.endpoint = SipEndpoint(
            host=self.host,
            port=self.sip_port,
            on_invite=self._invite,
            next_hop=self.proxy,
            webcall=self._webcall,
        )
        self.endpoint.start()

    async def stop(self) -> None:
        for call in list(self._calls.values()):
            self._drop(call)
        self._calls.clear()
        for attempt in list(self._dialing.values()):
            self._end_attempt(attempt)
        for task in list(self._tasks):
            task.cancel()
        if self.endpoint is not None:
            await self.endpoint.stop()
            self.endpoint = None
        if self.media is not None:
            await self.media.stop()
            self.media = None

    # ---- reporting ----------------------------------------------------------------------

    def _listen(self) -> SwitchListener:
        assert self.listener is not None, "attach a listener before calls arrive"
        self._catch_up()
        return self.listener

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("a SIP switch task failed", exc_info=task.exception())

    # ---- inbound calls ------------------------------------------------------------------

    def _invite(self, dialog: Dialog) -> None:
        offer = dialog.remote
        codec = offer.codec() if offer is not None else None
        if offer is None or codec is None:
            dialog.reject(488, "Not Acceptable Here")
            return
        self._spawn(self._arrive(dialog, offer, codec))

    async def _arrive(self, dialog: Dialog, offer: sdp.AudioOffer, codec: int) -> None:
        assert self.media is not None
        leg = await self.media.open_leg(codec, offer.event_type)
        if dialog.state is DialogState.ENDED:  # cancelled while the port opened
            leg.close()
            return
        try:
            leg.set_peer(offer.address, offer.port)  # not sent to before the ACK
        except MediaError as e:
            log.warning("%r: %s; rejected", dialog, e)
            leg.close()
            dialog.reject(488, "Not Acceptable Here")
            return
        call_id = CallId(f"{self._prefix}{next(self._ids)}")
        self._take(call_id, dialog, leg)
        self._listen().call_arrived(call_id, dialog.caller, dialog.dialed)
        # 180 only when the engine did not answer (or refuse) at once: a 180 sent just
        # before the 200 may overtake it in the proxy's workers and confuse strict peers
        dialog.ring()

    def _take(self, call_id: CallId, dialog: Dialog, leg: RtpLeg) -> _Call:
        """The customer's leg of a call, in or out, as one of the switch's calls: keys,
        RTP timeout, hang-up and re-INVITEs followed."""
        call = self._calls[call_id] = _Call(call_id, dialog, leg)
        leg.on_dtmf = lambda digit: self._digit(call, digit)
        leg.on_timeout = lambda: self._caller_gone(call, "rtp-timeout")
        # a dialog that ends before the caller's ACK is our unacknowledged 200 OK timing out
        dialog.on_ended = lambda: self._caller_gone(
            call, "caller" if dialog.confirmed else "no-ack"
        )
        dialog.on_confirmed = leg.start
        dialog.on_updated = lambda: self._follow(dialog, leg)
        if dialog.confirmed:  # a call we placed: the customer answered, we ACKed
            leg.start()
        return call

    @staticmethod
    def _follow(dialog: Dialog, leg: RtpLeg) -> None:
        """A re-INVITE: the leg follows the peer's new address (a literal, or refused)."""
        if dialog.remote is not None:
            try:
                leg.set_peer(dialog.remote.address, dialog.remote.port)
            except MediaError as e:
                log.warning("%r: re-INVITE not followed: %s", dialog, e)

    def _caller_gone(self, call: _Call, by: str) -> None:
        if self._calls.pop(call.id, None) is None:
            return
        if call.message is not None:  # a voicemail ends with the hang-up and is kept
            self._listen()  # catch up first: the message's length is the engine's
            self._message_done(call, "hangup")
        self._drop(call)
        self._listen().call_hung_up(call.id, by)

    # ---- Switch port --------------------------------------------------------------------

    def answer(self, call: CallId) -> None:
        record = self._calls.get(call)
        if record is None:
            return
        leg = record.leg
        record.dialog.answer(sdp.build(self.host, leg.port, leg.payload_type, leg.event_type))

    def play(self, call: CallId, prompt: str, on_done: Callable[[], None]) -> None:
        record = self._calls.get(call)
        if record is None:
            return
        token = self._new_media(record)
        record.leg.play(
            Player(self._prompts.get(prompt), on_done=self._done(record, token, on_done))
        )

    def collect(
        self,
        call: CallId,
        prompt: str | None,
        *,
        max_digits: int,
        timeout: float,
        terminator: str | None,
        on_digits: Callable[[str], None],
    ) -> None:
        record = self._calls.get(call)
        if record is None:
            return
        token = self._new_media(record)
        collect = record.collect = Collector(
            self._clock,
            max_digits=max_digits,
            timeout=timeout,
            terminator=terminator,
            on_digits=on_digits,
            stop_prompt=lambda: record.leg.play(None),
            on_end=lambda ended: self._collect_ended(record, ended),
        )
        ahead = record.keys.take_for(collect.max_digits, terminator)
        if ahead:  # typed ahead: the prompt is not played, the keys count from now
            feed_later(self._clock, collect, ahead, record.keys)
            return
        if prompt is None:
            collect.prompt_ended()
            return
        player = Player(
            self._prompts.get(prompt), on_done=self._done(record, token, collect.prompt_ended)
        )
        record.leg.play(player)

    def start_music(self, call: CallId) -> None:
        record = self._calls.get(call)
        if record is None:
            return
        self._new_media(record)
        record.leg.play(Player(self._music, loop=True))

    def record(
        self,
        call: CallId,
        *,
        max_seconds: float,
        silence_timeout: float,
        terminator: str | None,
        on_done: Callable[[RecordedMessage], None],
    ) -> None:
        """A beep, then the caller's audio into ``<recordings>/<call>-voicemail.wav``
        (`sip.voicemail`; only its length without a recordings folder)."""
        record = self._calls.get(call)
        if record is None:
            return
        self._new_media(record)
        path = None if self.recordings is None else self.recordings / f"{call}-voicemail.wav"
        record.on_message = on_done
        record.message = MessageRecorder(
            self._clock,
            path,
            max_seconds=max_seconds,
            silence_timeout=silence_timeout,
            terminator=terminator,
            on_end=lambda ended_by: self._message_done(record, ended_by),
        )
        record.leg.on_audio = record.message.audio
        record.leg.play(Player(self._beep))

    def _message_done(self, record: _Call, ended_by: str) -> None:
        """The voicemail ended by itself (a timer of the engine's clock, the terminator
        key) or by the caller's hang-up: the file is kept and `on_done` told."""
        message, on_done = record.message, record.on_message
        if message is None or on_done is None:
            return
        record.message, record.on_message, record.leg.on_audio = None, None, None
        on_done(message.finish(ended_by))

    def ring_agent(self, call: CallId, agent: AgentId, timeout: float) -> None:
        record = self._calls.get(call)
        if record is None:
            return
        # the ring timeout is the engine's (the ACD cancels the ring); the phone only rings
        target = record.agent = _AgentLeg(agent)
        self._spawn(self._ring(record, target, consult=False))

    def cancel_ring(self, call: CallId, agent: AgentId) -> None:
        record = self._calls.get(call)
        if record is None or record.agent is None or record.agent.agent != agent:
            return
        if record.bridge is None:
            self._release(record.agent)
            record.agent = None

    def bridge(self, call: CallId, agent: AgentId) -> None:
        record = self._calls.get(call)
        if record is None:
            return
        consult = record.consult
        if (record.agent is None or record.agent.agent != agent) and (
            consult is not None and consult.agent == agent
        ):
            # a consultation handed over (`complete_consult`): its leg becomes the agent's
            self._release(record.agent)
            record.agent, record.consult = consult, None
        target = record.agent
        if target is None or target.leg is None or target.gone:
            log.warning("bridge %s to %s: the agent's leg is gone", call, agent)
            return
        self._new_media(record)
        self._close_bridges(record)
        record.keys.clear()  # keys typed for the IVR mean nothing after the conversation
        recorder = None
        if self.recordings is not None:  # one file per conversation: <call>-<agent>.wav
            recorder = Recorder(self.recordings / f"{call}-{agent}.wav")
        record.bridge = Bridge(record.leg, target.leg, recorder)
        record.held = False
        self._join_monitor(record)  # a supervisor listening in stays on (完成转接)

    def unbridge(self, call: CallId) -> None:
        record = self._calls.get(call)
        if record is None:
            return
        self._close_bridges(record)
        self._release(record.agent)
        record.agent = None

    def hold(self, call: CallId) -> None:
        record = self._calls.get(call)
        if record is None or record.bridge is None:
            return
        record.held = True
        record.bridge.hold(Player(self._music, loop=True))

    def retrieve(self, call: CallId) -> None:
        record = self._calls.get(call)
        if record is None or record.bridge is None:
            return
        record.held = False
        self._close_consult_bridge(record)
        record.bridge.hold(None)

    def hangup(self, call: CallId, cause: str) -> None:
        record = self._calls.pop(call, None)
        if record is not None:
            self._drop(record)
        else:
            attempt = self._dialing.get(call)
            if attempt is None:
                return
            self._end_attempt(attempt)  # CANCEL: the customer's phone stops ringing
        listener = self.listener
        assert listener is not None
        self._clock.call_later(0.0, listener.call_hung_up, call, "system")

    def live_calls(self) -> Collection[CallId]:
        if not self._dialing:
            return self._calls.keys()
        return self._calls.keys() | self._dialing.keys()

    def consult(self, call: CallId, agent: AgentId, timeout: float) -> None:
        record = self._calls.get(call)
        if record is None:
            return
        self._release(record.consult)
        target = record.consult = _AgentLeg(agent)
        self._spawn(self._ring(record, target, consult=True))

    def end_consult(self, call: CallId, agent: AgentId) -> None:
        record = self._calls.get(call)
        if record is None or record.consult is None or record.consult.agent != agent:
            return
        self._close_consult_bridge(record)
        consult = record.consult
        if consult.answered and not consult.gone:
            # `complete_consult` bridges the caller to this agent right after: release the
            # leg only if that does not happen within this turn of the loop
            asyncio.get_running_loop().call_soon(self._release_unclaimed, record, consult)
            return
        self._release(consult)
        record.consult = None

    # ---- supervisor's phone (监听 / 耳语 / 强插 / 拦截) ----------------------------------

    def monitor(self, call: CallId, supervisor: str, mode: str, timeout: float) -> None:
        record = self._calls.get(call)
        if record is None:
            return
        _hearing(mode)  # an unknown mode is refused before anything changes
        self._release_monitor(record)
        target = record.monitor = _MonitorLeg(supervisor, mode)
        target.timer = self._clock.call_later(timeout, self._monitor_timed_out, record, target)
        self._spawn(self._ring_monitor(record, target))

    def set_monitor_mode(self, call: CallId, mode: str) -> None:
        record = self._calls.get(call)
        hearing = _hearing(mode)
        if record is None or record.monitor is None:
            return
        target = record.monitor
        target.mode = mode
        if target.leg is not None and record.bridge is not None and not record.taken_over:
            record.bridge.set_hearing(target.leg, hearing)

    def end_monitor(self, call: CallId) -> None:
        record = self._calls.get(call)
        if record is not None:
            self._release_monitor(record)

    def take_over(self, call: CallId) -> None:
        record = self._calls.get(call)
        if record is None or record.monitor is None:
            return
        target = record.monitor
        if not target.answered or target.gone or target.leg is None:
            return
        self._new_media(record)  # the caller may have been hearing music (a ringing call)
        self._close_bridges(record)
        self._release(record.agent)
        self._release(record.consult)
        record.agent = record.consult = None
        record.taken_over = True
        recorder = None
        if self.recordings is not None:
            recorder = Recorder(self.recordings / f"{call}-{target.supervisor}.wav")
        record.bridge = Bridge(record.leg, target.leg, recorder)

    async def _ring_monitor(self, record: _Call, target: _MonitorLeg) -> None:
        # the supervisor's phone shows whose call it joins: the agent's 工号
        shown = str(record.agent.agent) if record.agent is not None else record.dialog.dialed
        await self._place(
            record,
            target,
            target.supervisor,
            shown,
            answered=lambda: self._monitor_answered(record, target),
            failed=lambda reason: self._monitor_failed(record, target, reason),
            gone=lambda: self._monitor_gone(record, target),
        )

    async def _place(
        self,
        record: _Call,
        target: _PlacedLeg,
        user: str,
        caller: str,
        *,
        answered: Callable[[], None],
        failed: Callable[[str], None],
        gone: Callable[[], None],
    ) -> None:
        """INVITE `user` through the proxy for `target` (showing `caller`) with a leg of its
        own; `failed` gets the reason (``unreachable`` without a proxy)."""
        assert self.media is not None
        assert self.endpoint is not None
        leg = await self.media.open_leg(PCMU, EVENT_TYPE)
        if target.gone or record.id not in self._calls:
            leg.close()
            return
        target.leg = leg
        offer = sdp.build(self.host, leg.port, PCMU, EVENT_TYPE)
        try:
            dialog = self.endpoint.originate(user, offer, caller=caller)
        except SipError:
            log.warning("%s: no proxy to call %s through", record.id, user)
            failed("unreachable")
            return
        target.dialog = dialog
        dialog.on_answered = answered
        dialog.on_failed = lambda code, reason: failed(failure_reason(code))
        dialog.on_ended = gone
        dialog.on_updated = lambda: self._follow(dialog, leg)

    def _monitor_answered(self, record: _Call, target: _MonitorLeg) -> None:
        self._catch_up()  # a ring timeout due meanwhile comes first
        if target.gone or record.id not in self._calls or target.leg is None:
            return
        if not self._take_answer(target.supervisor, record.id, target.dialog, target.leg):
            self._monitor_failed(record, target, "unreachable")
            return
        self._clock.cancel(target.timer)
        target.answered = True
        target.leg.start()
        target.leg.on_timeout = lambda: self._monitor_gone(record, target, hang_up=True)
        self._join_monitor(record)
        self._listen().monitor_answered(record.id, target.supervisor)

    def _join_monitor(self, record: _Call) -> None:
        target = record.monitor
        if target is None or not target.answered or target.gone or target.leg is None:
            return
        if record.bridge is not None and not record.taken_over:
            record.bridge.join(target.leg, _hearing(target.mode))

    def _monitor_failed(self, record: _Call, target: _MonitorLeg, reason: str) -> None:
        self._catch_up()
        if target.gone:
            return
        self._release_monitor(record)
        target.gone = True
        if record.id in self._calls:
            self._listen().monitor_failed(record.id, target.supervisor, reason)

    def _monitor_timed_out(self, record: _Call, target: _MonitorLeg) -> None:
        """The engine's timer (it runs inside the clock: report without catching up)."""
        if target.gone or target.answered or record.monitor is not target:
            return
        self._release_monitor(record)
        assert self.listener is not None
        self.listener.monitor_failed(record.id, target.supervisor, "no-answer")

    def _monitor_gone(self, record: _Call, target: _MonitorLeg, *, hang_up: bool = False) -> None:
        """The supervisor hung up (BYE), or its RTP stopped (then we hang up)."""
        self._catch_up()
        if target.gone:
            return
        answered = target.answered
        if hang_up:
            self._release_monitor(record)
        else:
            target.gone = True
            self._clock.cancel(target.timer)
            if target.leg is not None:
                target.leg.close()
            if record.monitor is target:
                record.monitor = None
        if record.id in self._calls and answered:
            self._listen().monitor_ended(record.id, target.supervisor)

    def _release_monitor(self, record: _Call) -> None:
        """Hang up the supervisor's phone of `record` (BYE or CANCEL); nothing is reported."""
        target, record.monitor = record.monitor, None
        if target is None or target.gone:
            return
        target.gone = True
        self._clock.cancel(target.timer)
        if target.dialog is not None:
            target.dialog.hangup()
        if target.leg is not None:
            target.leg.close()

    # ---- an outside party for the agent (外线咨询, 三方通话, 转外线) -----------------------

    def dial_out(self, call: CallId, number: str, caller_id: str, timeout: float) -> None:
        record = self._calls.get(call)
        if record is None:
            return
        self._release_outside(record)
        target = record.outside = _OutsideLeg(number)
        target.timer = self._clock.call_later(timeout, self._outside_timed_out, record, target)
        self._spawn(self._dial_outside(record, target, caller_id))

    def join_outside(self, call: CallId) -> None:
        record = self._calls.get(call)
        target = record.outside if record is not None else None
        if record is None or target is None or not target.answered or target.leg is None:
            return
        self._close_consult_bridge(record)  # the agent's leg goes back to the caller's bridge
        if record.bridge is not None:
            record.held = False
            record.bridge.hold(None)
            record.bridge.join(target.leg, BARGE)

    def transfer_outside(self, call: CallId) -> None:
        record = self._calls.get(call)
        target = record.outside if record is not None else None
        if record is None or target is None or not target.answered or target.leg is None:
            return
        self._new_media(record)
        self._close_bridges(record)
        self._release(record.agent)
        self._release(record.consult)
        record.agent = record.consult = None
        recorder = None
        if self.recordings is not None:  # the caller with the outside party: <call>-outside.wav
            recorder = Recorder(self.recordings / f"{call}-outside.wav")
        record.bridge = Bridge(record.leg, target.leg, recorder)

    def end_outside(self, call: CallId) -> None:
        record = self._calls.get(call)
        if record is not None:
            self._release_outside(record)

    async def _dial_outside(self, record: _Call, target: _OutsideLeg, caller_id: str) -> None:
        await self._place(
            record,
            target,
            target.number,
            caller_id,
            answered=lambda: self._outside_answered(record, target),
            failed=lambda reason: self._outside_failed(record, target, reason),
            gone=lambda: self._outside_gone(record, target),
        )

    def _outside_answered(self, record: _Call, target: _OutsideLeg) -> None:
        self._catch_up()  # a timeout due meanwhile comes first
        if target.gone or record.id not in self._calls or target.leg is None:
            return
        if not self._take_answer(target.number, record.id, target.dialog, target.leg):
            self._outside_failed(record, target, "unreachable")
            return
        self._clock.cancel(target.timer)
        target.answered = True
        target.leg.start()
        target.leg.on_timeout = lambda: self._outside_gone(record, target, hang_up=True)
        agent = record.agent
        if agent is not None and agent.leg is not None and not agent.gone:
            # the agent talks with the outside party; the caller keeps the music
            self._close_consult_bridge(record)
            record.consult_bridge = Bridge(agent.leg, target.leg, None)
        self._listen().outside_answered(record.id)

    def _outside_failed(self, record: _Call, target: _OutsideLeg, reason: str) -> None:
        self._catch_up()
        if target.gone:
            return
        if record.outside is target:
            self._release_outside(record)
        target.gone = True
        if record.id in self._calls:
            self._listen().outside_failed(record.id, reason)

    def _outside_timed_out(self, record: _Call, target: _OutsideLeg) -> None:
        """The engine's timer (it runs inside the clock: report without catching up)."""
        if target.gone or target.answered or record.outside is not target:
            return
        self._release_outside(record)
        assert self.listener is not None
        self.listener.outside_failed(record.id, "no-answer")

    def _outside_gone(self, record: _Call, target: _OutsideLeg, *, hang_up: bool = False) -> None:
        """The outside party hung up (BYE), or its RTP stopped (then we hang up)."""
        self._catch_up()
        if target.gone:
            return
        answered = target.answered
        if record.outside is target:
            self._release_outside(record, bye=hang_up)
        target.gone = True
        if record.id in self._calls and answered:
            self._listen().outside_hung_up(record.id)

    def _release_outside(self, record: _Call, *, bye: bool = True) -> None:
        """Hang up the outside party (BYE or CANCEL unless it hung up); nothing is reported.
        A consultation with it ends (the agent's leg goes back to the caller's bridge)."""
        target, record.outside = record.outside, None
        if target is None or target.gone:
            return
        target.gone = True
        self._clock.cancel(target.timer)
        consult = record.consult_bridge
        if consult is not None and target.leg is not None and consult.b is target.leg:
            self._close_consult_bridge(record)
        if bye and target.dialog is not None:
            target.dialog.hangup()
        if target.leg is not None:
            target.leg.close()

    def _release_unclaimed(self, record: _Call, consult: _AgentLeg) -> None:
        if record.consult is consult:
            self._release(consult)
            record.consult = None

    # ---- outbound calls -----------------------------------------------------------------

    def originate(self, call: CallId, number: str, caller_id: str, timeout: float) -> None:
        if call in self._calls or call in self._dialing:
            raise ValueError(f"call id {call!r} is in use")
        attempt = self._dialing[call] = DialAttempt(call, number, caller_id)
        # the timeout is the engine's: a CANCEL when it comes before the answer
        attempt.timer = self._clock.call_later(timeout, self._dial_timed_out, attempt)
        self._spawn(self._dial(attempt))

    async def _dial(self, attempt: DialAttempt) -> None:
        assert self.media is not None
        assert self.endpoint is not None
        leg = await self.media.open_leg(PCMU, EVENT_TYPE)
        if attempt.over:
            leg.close()
            return
        attempt.leg = leg
        offer = sdp.build(self.host, leg.port, PCMU, EVENT_TYPE)
        try:
            dialog = self.endpoint.originate(attempt.number, offer, caller=attempt.caller_id)
        except SipError:
            log.warning("%s: no proxy to call %s through", attempt.id, attempt.number)
            self._dial_failed(attempt, "unreachable")
            return
        attempt.dialog = dialog
        dialog.on_answered = lambda: self._customer_answered(attempt)
        dialog.on_failed = lambda code, reason: self._dial_failed(attempt, failure_reason(code))

    def _customer_answered(self, attempt: DialAttempt) -> None:
        self._catch_up()  # a timeout due meanwhile comes first
        dialog, leg = attempt.dialog, attempt.leg
        if attempt.over or dialog is None or leg is None:
            return
        if dialog.remote is None:
            log.warning("%s: %s answered without SDP: hanging up", attempt.id, attempt.number)
            self._dial_failed(attempt, "unreachable")
            return
        try:
            leg.set_peer(dialog.remote.address, dialog.remote.port)
        except MediaError as e:
            log.warning("%s: %s answered with %s: hanging up", attempt.id, attempt.number, e)
            self._dial_failed(attempt, "unreachable")
            return
        attempt.over = True
        del self._dialing[attempt.id]
        self._clock.cancel(attempt.timer)
        self._take(attempt.id, dialog, leg)
        self._listen().outbound_answered(attempt.id)

    def _dial_failed(self, attempt: DialAttempt, reason: str) -> None:
        self._catch_up()
        if attempt.over:
            return
        self._end_attempt(attempt)
        self._listen().outbound_failed(attempt.id, reason)

    def _dial_timed_out(self, attempt: DialAttempt) -> None:
        """The engine's timer (it runs inside the clock: report without catching up)."""
        if attempt.over:
            return
        self._end_attempt(attempt)
        assert self.listener is not None
        self.listener.outbound_failed(attempt.id, "no-answer")

    def _end_attempt(self, attempt: DialAttempt) -> None:
        """Stop calling the customer (CANCEL); nothing is reported."""
        if attempt.over:
            return
        attempt.over = True
        self._dialing.pop(attempt.id, None)
        self._clock.cancel(attempt.timer)
        if attempt.dialog is not None:
            attempt.dialog.hangup()
        if attempt.leg is not None:
            attempt.leg.close()

    # ---- media helpers ------------------------------------------------------------------

    def _new_media(self, record: _Call) -> object:
        """A new media command: the pending play, collect or recording ends without its
        callback (a recording's file is removed)."""
        if record.collect is not None:
            record.collect.cancel()
            record.collect = None
        self._discard_message(record)
        record.media_token = token = object()
        record.leg.play(None)
        return token

    @staticmethod
    def _discard_message(record: _Call) -> None:
        if record.message is not None:
            record.message.discard()
            record.message, record.on_message, record.leg.on_audio = None, None, None

    def _done(self, record: _Call, token: object, then: Callable[[], None]) -> Callable[[], None]:
        def current() -> bool:
            return record.media_token is token and record.id in self._calls

        def done() -> None:
            if current():
                self._catch_up()  # timers due meanwhile may end the call or the command
                if current():
                    then()

        return done

    def _digit(self, record: _Call, digit: str) -> None:
        if record.id not in self._calls:
            return
        self._catch_up()  # timers due meanwhile may end the call or the collect
        if record.id not in self._calls:
            return
        collect = record.collect
        if record.message is not None:  # recording a voicemail: only its terminator counts
            record.message.key(digit)
        elif collect is not None:
            log.debug("%s: key %s", record.id, digit)
            collect.key(digit)
        elif record.bridge is None:  # typed ahead of the next collect (`telephony.keys`)
            log.debug("%s: key %s kept for the next collect", record.id, digit)
            record.keys.add(digit)

    def _collect_ended(self, record: _Call, collect: Collector) -> None:
        if record.collect is collect:
            record.collect = None
            record.media_token = object()

    # ---- agent legs ---------------------------------------------------------------------

    async def _ring(self, record: _Call, target: _AgentLeg, *, consult: bool) -> None:
        assert self.media is not None
        assert self.endpoint is not None
        leg = await self.media.open_leg(PCMU, EVENT_TYPE)
        if target.gone or record.id not in self._calls:
            leg.close()
            return
        target.leg = leg
        offer = sdp.build(self.host, leg.port, PCMU, EVENT_TYPE)
        mobile = self._mobiles.get(str(target.agent))
        if mobile is None:
            # the agent's phone shows the customer's number, whichever way the call went
            customer = record.dialog.caller if record.dialog.inbound else record.dialog.dialed
            dialog = self.endpoint.originate(str(target.agent), offer, caller=customer)
        else:
            # 移动坐席: through the trunk, showing the hotline's number (a carrier passes only
            # the center's own numbers; the desk shows the customer)
            ours = record.dialog.dialed if record.dialog.inbound else record.dialog.caller
            try:
                dialog = self.endpoint.originate(mobile, offer, caller=ours)
            except SipError:
                log.warning("%s: no proxy to ring %s's mobile through", record.id, target.agent)
                self._agent_failed(record, target, 503, consult)
                return
        target.dialog = dialog
        dialog.on_answered = lambda: self._agent_answered(record, target, consult=consult)
        dialog.on_failed = lambda code, reason: self._agent_failed(record, target, code, consult)
        dialog.on_ended = lambda: self._agent_gone(record, target)
        dialog.on_updated = lambda: self._follow(dialog, leg)

    @staticmethod
    def _take_answer(who: str, call: CallId, dialog: Dialog | None, leg: RtpLeg) -> bool:
        """Point `leg` at the audio of the answer `who` gave on `dialog`; False (logged) when
        the answer has no SDP or an address the leg refuses, so the caller hangs that leg up."""
        remote = dialog.remote if dialog is not None else None
        try:
            if remote is None:
                raise MediaError("no SDP")
            leg.set_peer(remote.address, remote.port)
        except MediaError as e:
            log.warning("%s answered %s with %s: hanging up", who, call, e)
            return False
        return True

    def _agent_answered(self, record: _Call, target: _AgentLeg, *, consult: bool) -> None:
        self._catch_up()  # a ring timeout due meanwhile comes first
        if target.gone or record.id not in self._calls or target.leg is None:
            return
        if not self._take_answer(target.agent, record.id, target.dialog, target.leg):
            self._agent_gone(record, target, hang_up=True)
            return
        target.answered = True
        target.leg.start()  # the RTP timeout counts from the answer, not the ring
        target.leg.on_timeout = lambda: self._agent_gone(record, target, hang_up=True)
        if consult:
            if record.agent is not None and record.agent.leg is not None:
                record.consult_bridge = Bridge(record.agent.leg, target.leg, None)
            self._listen().consult_answered(record.id, target.agent)
        else:
            self._listen().agent_answered(record.id, target.agent)

    def _agent_failed(self, record: _Call, target: _AgentLeg, code: int, consult: bool) -> None:
        self._catch_up()
        if target.gone:
            return
        self._release(target)
        if record.agent is target:
            record.agent = None
        if consult:
            if record.consult is target:
                record.consult = None
            return  # the engine's consult timer gives up on it
        if record.id in self._calls:
            self._listen().agent_ring_failed(record.id, target.agent, f"sip-{code}")

    def _agent_gone(self, record: _Call, target: _AgentLeg, *, hang_up: bool = False) -> None:
        self._catch_up()
        if target.gone:
            return
        if hang_up:
            self._release(target)
        else:
            target.gone = True
            if target.leg is not None:
                target.leg.close()
        if record.consult is target:
            self._close_consult_bridge(record)
            record.consult = None
            return
        if record.agent is not target:
            return
        self._close_bridges(record)
        record.agent = None
        if record.id in self._calls and target.answered:
            self._listen().agent_hung_up(record.id, target.agent)

    def _release(self, target: _AgentLeg | None) -> None:
        """Hang up an agent's leg (BYE or CANCEL); nothing is reported."""
        if target is None or target.gone:
            return
        target.gone = True
        if target.dialog is not None:
            target.dialog.hangup()
        if target.leg is not None:
            target.leg.close()

    def _close_consult_bridge(self, record: _Call) -> None:
        if record.consult_bridge is not None:
            record.consult_bridge.close()
            record.consult_bridge = None
            if record.bridge is not None and record.agent is not None:
                # the first agent's leg goes back to the caller's bridge
                leg = record.agent.leg
                if leg is not None:
                    leg.bridge = record.bridge

    def _close_bridges(self, record: _Call) -> None:
        self._close_consult_bridge(record)
        if record.bridge is not None:
            record.bridge.close()
            record.bridge = None
        record.held = False

    def _drop(self, record: _Call) -> None:
        """Every leg of the call down, every timer off; nothing is reported."""
        if record.collect is not None:
            record.collect.cancel()
            record.collect = None
        self._discard_message(record)
        record.media_token = object()
        self._close_bridges(record)
        self._release(record.agent)
        self._release(record.consult)
        self._release_monitor(record)
        self._release_outside(record)
        record.dialog.hangup()
        record.leg.close()
