"""The phone network around a `Switch`, for the switch contract: one `Line` per adapter.

Each contract test drives a switch through a `Line`, whatever the adapter behind it:

- `switch`: the port's commands, run where the switch runs (the SIP switch's asyncio
  loop) and each watched by the `Referee`;
- the people at the far ends: `dial_in`, `caller_will_type`, `caller_hangs_up`, `phone`,
  `agent_hangs_up`, `customer` (a `Pickup`, as the simulator's customers answer);
- time: `wait` and `until`, in virtual seconds on the simulated switch and in wall
  seconds on SIP;
- `referee`: the listener. It keeps every report and media callback with the switch's
  time, and notes as a violation what no adapter may do: report from inside a command,
  or report anything about a call after its end (`call_hung_up`, `outbound_failed`).

`SimLine` scripts `SimSwitch`'s parties and customers. `SipLine` runs a real
`SipSwitch` on loopback; one UDP socket is its proxy and every party beyond it:
callers' INVITEs come from there (with the number in `P-Asserted-Identity`, as the
trunk asserts it), the switch's INVITEs to agents' phones and customers are answered
there by hand-written SIP, and keys are RFC 4733 packets from the caller's RTP socket.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
import uuid
import wave
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from hotline.core.clock import LiveClock, VirtualClock
from hotline.core.ids import AgentId, CallId
from hotline.sip import rtp, sdp
from hotline.sip.media import PCMU
from hotline.sip.prompts import PromptCatalogue
from hotline.sip.switch import SipSwitch
from hotline.telephony.customers import Pickup
from hotline.telephony.port import RecordedMessage, Switch
from hotline.telephony.sim import SimSwitch
from tests.support.sip import free_port
from tests.support.sipraw import Message, parse

T = TypeVar("T")

PROMPT = "welcome"
PROMPT_SECONDS = 0.5
START = 1_780_000_000.0  # the simulated switch's clock starts here
EVENT_TYPE = 101


@dataclass(frozen=True, slots=True)
class Report:
    """One thing the switch told: a listener call, or a media callback (``prompt-done``,
    ``digits``), at the switch's time."""

    kind: str
    call: CallId
    args: tuple[str, ...]
    at: float


class Referee:
    """The `SwitchListener` of the contract tests: records and checks every report."""

    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now
        self._lock = threading.Lock()
        self._ended: set[CallId] = set()
        self.reports: list[Report] = []
        self.violations: list[str] = []
        self.command: str | None = None  # the command running now, if any

    def note(self, kind: str, call: CallId, *args: str, ends: bool = False) -> None:
        with self._lock:
            if self.command is not None:
                self.violations.append(f"{kind} of {call} reported inside {self.command}()")
            if call in self._ended:
                self.violations.append(f"{kind} of {call} reported after the call ended")
            self.reports.append(Report(kind, call, args, self._now()))
            if ends:
                self._ended.add(call)

    def now(self) -> float:
        """The switch's time now."""
        return self._now()

    def of(self, call: CallId, kind: str | None = None) -> list[Report]:
        with self._lock:
            return [r for r in self.reports if r.call == call and (kind is None or r.kind == kind)]

    def kinds(self, call: CallId) -> list[str]:
        return [r.kind for r in self.of(call)]

    # ---- SwitchListener -----------------------------------------------------------------

    def call_arrived(self, call: CallId, caller: str, dialed: str) -> None:
        self.note("call_arrived", call, caller, dialed)

    def agent_answered(self, call: CallId, agent: AgentId) -> None:
        self.note("agent_answered", call, agent)

    def agent_ring_failed(self, call: CallId, agent: AgentId, reason: str) -> None:
        self.note("agent_ring_failed", call, agent, reason)

    def consult_answered(self, call: CallId, agent: AgentId) -> None:
        self.note("consult_answered", call, agent)

    def agent_hung_up(self, call: CallId, agent: AgentId) -> None:
        self.note("agent_hung_up", call, agent)

    def outbound_answered(self, call: CallId) -> None:
        self.note("outbound_answered", call)

    def outbound_failed(self, call: CallId, reason: str) -> None:
        self.note("outbound_failed", call, reason, ends=True)

    def call_hung_up(self, call: CallId, by: str) -> None:
        self.note("call_hung_up", call, by, ends=True)


class Commands:
    """The port's commands as a test gives them: run by `run` (where the switch runs), with
    the referee told which command runs, and media callbacks reported to it."""

    def __init__(
        self,
        switch: Switch,
        referee: Referee,
        run: Callable[[Callable[[], Any]], Any],
        collecting: Callable[[CallId], None],
    ) -> None:
        self._switch = switch
        self._referee = referee
        self._run = run
        self._collecting = collecting

    def _do(self, name: str, command: Callable[[], T]) -> T:
        def watched() -> T:
            self._referee.command = name
            try:
                return command()
            finally:
                self._referee.command = None

        return cast(T, self._run(watched))

    def answer(self, call: CallId) -> None:
        self._do("answer", lambda: self._switch.answer(call))

    def play(self, call: CallId, prompt: str = PROMPT) -> None:
        def done() -> None:
            self._referee.note("prompt-done", call, prompt)

        self._do("play", lambda: self._switch.play(call, prompt, done))

    def collect(
        self, call: CallId, *, max_digits: int, timeout: float, prompt: str | None = None
    ) -> None:
        def digits(typed: str) -> None:
            self._referee.note("digits", call, typed)

        self._do(
            "collect",
            lambda: self._switch.collect(
                call,
                prompt,
                max_digits=max_digits,
                timeout=timeout,
                terminator=None,
                on_digits=digits,
            ),
        )
        self._collecting(call)

    def start_music(self, call: CallId) -> None:
        self._do("start_music", lambda: self._switch.start_music(call))

    def record(self, call: CallId, *, max_seconds: float, silence_timeout: float = 60.0) -> None:
        """Record a voicemail ended by ``#``; reported as ``recorded`` (file name or "",
        seconds, how it ended, "simulated" or "")."""

        def done(message: RecordedMessage) -> None:
            self._referee.note(
                "recorded",
                call,
                message.file or "",
                f"{message.seconds:.2f}",
                message.ended_by,
                "simulated" if message.simulated else "",
            )

        self._do(
            "record",
            lambda: self._switch.record(
                call,
                max_seconds=max_seconds,
                silence_timeout=silence_timeout,
                terminator="#",
                on_done=done,
            ),
        )

    def ring_agent(self, call: CallId, agent: AgentId, timeout: float = 20.0) -> None:
        self._do("ring_agent", lambda: self._switch.ring_agent(call, agent, timeout))

    def cancel_ring(self, call: CallId, agent: AgentId) -> None:
        self._do("cancel_ring", lambda: self._switch.cancel_ring(call, agent))

    def bridge(self, call: CallId, agent: AgentId) -> None:
        self._do("bridge", lambda: self._switch.bridge(call, agent))

    def unbridge(self, call: CallId) -> None:
        self._do("unbridge", lambda: self._switch.unbridge(call))

    def hangup(self, call: CallId, cause: str = "done") -> None:
        self._do("hangup", lambda: self._switch.hangup(call, cause))

    def live_calls(self) -> set[CallId]:
        return set(self._do("live_calls", lambda: list(self._switch.live_calls())))

    def originate(
        self, call: CallId, number: str, *, timeout: float, caller_id: str = "95598"
    ) -> None:
        self._do("originate", lambda: self._switch.originate(call, number, caller_id, timeout))


class Line(Protocol):
    """A switch with its far ends, as the contract tests drive it."""

    switch: Commands
    referee: Referee

    def dial_in(self, caller: str, dialed: str = "95598") -> CallId:
        """A caller dials in; returns the call once `call_arrived` is reported."""
        ...

    def caller_will_type(self, call: CallId, digits: str, after: float = 0.5) -> None:
        """At the next `collect` of `call`, the caller types `digits` `after` seconds in."""
        ...

    def caller_hangs_up(self, call: CallId) -> None:
        """The caller of an answered call hangs up now."""
        ...

    def caller_presses(self, call: CallId, digits: str) -> None:
        """The caller of an answered call presses `digits` now, whatever the switch does."""
        ...

    def phone(self, agent: AgentId, answers_after: float | None) -> None:
        """How `agent`'s phone takes a ring: picks up after so many seconds, or rings on."""
        ...

    def agent_hangs_up(self, call: CallId, agent: AgentId) -> None:
        """The agent bridged to `call` hangs up now."""
        ...

    def customer(self, number: str, pickup: Pickup | None) -> None:
        """How the customer at `number` takes the hotline's call (None: lets it ring)."""
        ...

    def wait(self, seconds: float) -> None: ...

    def until(self, condition: Callable[[], object], timeout: float) -> bool:
        """Let time pass until `condition` holds (True) or `timeout` seconds pass (False)."""
        ...

    def close(self) -> None: ...


# ---- the simulated switch ---------------------------------------------------------------


class _Scripts:
    """`Parties` and `Customers` of `SimSwitch`, as the test scripts them."""

    def __init__(self) -> None:
        self.keys: dict[CallId, tuple[str, float]] = {}
        self.phones: dict[AgentId, float | None] = {}
        self.customers: dict[str, Pickup | None] = {}

    def respond(
        self, call: CallId, prompt: str | None, max_digits: int
    ) -> tuple[str, float] | None:
        return self.keys.pop(call, None)

    def waiting_started(self, call: CallId) -> None:
        pass

    def ring(self, call: CallId, agent: AgentId, timeout: float) -> float | None:
        return self.phones.get(agent)

    def bridged(self, call: CallId, agent: AgentId) -> tuple[float | None, bool]:
        return None, False  # the conversation lasts until someone hangs up

    def conversation_ended(self, call: CallId, agent: AgentId) -> None:
        pass

    def call_ended(self, call: CallId) -> None:
        pass

    def dialled(self, call: CallId, number: str, timeout: float) -> Pickup | None:
        return self.customers.get(number)


class SimLine:
    """`SimSwitch` on a `VirtualClock`; its parties do what the test scripted."""

    def __init__(self) -> None:
        self.clock = VirtualClock(START)
        self.scripts = _Scripts()
        self.sim = SimSwitch(
            self.clock, self.scripts, {PROMPT: PROMPT_SECONDS}, customers=self.scripts
        )
        self.referee = Referee(self.clock.now)
        self.sim.attach(self.referee)
        self.switch = Commands(self.sim, self.referee, lambda command: command(), lambda _: None)
        self._ids = itertools.count(1)

    def dial_in(self, caller: str, dialed: str = "95598") -> CallId:
        call = CallId(f"in{next(self._ids)}")
        self.sim.place_call(call, caller, dialed)
        return call

    def caller_will_type(self, call: CallId, digits: str, after: float = 0.5) -> None:
        self.scripts.keys[call] = (digits, after)

    def caller_hangs_up(self, call: CallId) -> None:
        self.sim.caller_hangs_up(call)

    def caller_presses(self, call: CallId, digits: str) -> None:
        self.sim.press(call, digits)

    def phone(self, agent: AgentId, answers_after: float | None) -> None:
        self.scripts.phones[agent] = answers_after

    def agent_hangs_up(self, call: CallId, agent: AgentId) -> None:
        assert self.sim.agent_hangs_up(call, agent), f"{agent} is not talking on {call}"

    def customer(self, number: str, pickup: Pickup | None) -> None:
        self.scripts.customers[number] = pickup

    def wait(self, seconds: float) -> None:
        self.clock.advance(seconds)

    def until(self, condition: Callable[[], object], timeout: float) -> bool:
        deadline = self.clock.now() + timeout
        while not condition():
            due = self.clock.peek()
            if due is None or due > deadline:
                self.clock.run(until=deadline)
                return bool(condition())
            self.clock.run(until=due)
        return True

    def close(self) -> None:
        pass


# ---- the SIP switch ---------------------------------------------------------------------

_COMPACT = {
    "v": "via",
    "f": "from",
    "t": "to",
    "i": "call-id",
    "m": "contact",
    "l": "content-length",
}
_FAILURE_CODES = {
    "busy": (486, "Busy Here"),
    "rejected": (603, "Decline"),
    "unreachable": (404, "Not Found"),
}  # the SIP answer of a customer's line for each reason `Pickup.fails` may give


def _header(message: Message, name: str) -> str:
    for key, values in message.headers.items():
        if values and _COMPACT.get(key, key) == name:
            return values[0]
    raise AssertionError(f"no {name} header in {message.first!r}")


def _headers(message: Message, name: str) -> list[str]:
    found = [values for key, values in message.headers.items() if _COMPACT.get(key, key) == name]
    return [value for values in found for value in values]


def _uri(header: str) -> str:
    """The URI of a From, To or Contact value (``<sip:...>;tag=x`` → ``sip:...``)."""
    return header[header.index("<") + 1 : header.index(">")] if "<" in header else header


def _user(uri: str) -> str:
    return uri.split(":", 1)[1].split("@", 1)[0]


def _tag(header: str) -> str | None:
    for part in header.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "tag":
            return value
    return None


class _Rtp(asyncio.DatagramProtocol):
    """A party's RTP socket: where its SDP says media goes (what arrives is not used)."""

    def __init__(self) -> None:
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    @property
    def port(self) -> int:
        assert self.transport is not None
        return int(self.transport.get_extra_info("sockname")[1])


@dataclass(eq=False)
class _Outgoing:
    """A caller's dialog: our INVITE to the switch."""

    caller: str
    dialed: str
    call_id: str
    media: _Rtp
    from_tag: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    branch: str = field(default_factory=lambda: f"z9hG4bK{uuid.uuid4().hex}")
    to: str = ""  # the switch's To header, with its tag, once it answered
    contact: str = ""  # the switch's Contact URI
    remote: tuple[str, int] | None = None  # the switch's RTP address for this call
    cseq: int = 1
    ended: bool = False


@dataclass(eq=False)
class _Incoming:
    """The switch's INVITE to an agent's phone or a customer, as that party answers it."""

    invite: Message
    user: str
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    timer: asyncio.TimerHandle | None = None
    final: int = 0
    media: _Rtp | None = None
    cseq: int = 0
    ended: bool = False


class _FarEnd(asyncio.DatagramProtocol):
    """Everything beyond the switch's SIP port, on the one socket it takes for its proxy."""

    def __init__(self) -> None:
        self.transport: asyncio.DatagramTransport | None = None
        self.switch_address: tuple[str, int] = ("127.0.0.1", 0)
        self.outgoing: dict[str, _Outgoing] = {}
        self.incoming: dict[str, _Incoming] = {}
        self.answers: dict[str, tuple[float | None, int, str]] = {}  # user → (after, code, reason)
        self.sockets: list[_Rtp] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    @property
    def port(self) -> int:
        assert self.transport is not None
        return int(self.transport.get_extra_info("sockname")[1])

    def _send(self, lines: list[str], body: str = "") -> None:
        assert self.transport is not None
        if body:
            lines = [*lines, "Content-Type: application/sdp"]
        lines = [*lines, f"Content-Length: {len(body.encode())}"]
        text = "\r\n".join(lines) + "\r\n\r\n" + body
        self.transport.sendto(text.encode(), self.switch_address)

    def _via(self) -> str:
        return f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch=z9hG4bK{uuid.uuid4().hex}"

    async def rtp_socket(self) -> _Rtp:
        loop = asyncio.get_running_loop()
        _, media = await loop.create_datagram_endpoint(_Rtp, local_addr=("127.0.0.1", 0))
        self.sockets.append(media)
        return media

    # ---- a caller's side ----------------------------------------------------------------

    async def dial(self, caller: str, dialed: str) -> None:
        media = await self.rtp_socket()
        dialog = _Outgoing(caller, dialed, f"{uuid.uuid4().hex}@contract", media)
        self.outgoing[dialog.call_id] = dialog
        host, port = self.switch_address
        self._send(
            [
                f"INVITE sip:{dialed}@{host}:{port} SIP/2.0",
                f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch={dialog.branch}",
                f"From: <sip:{caller}@127.0.0.1>;tag={dialog.from_tag}",
                f"To: <sip:{dialed}@127.0.0.1>",
                f"Call-ID: {dialog.call_id}",
                "CSeq: 1 INVITE",
                f"Contact: <sip:{caller}@127.0.0.1:{self.port}>",
                f"P-Asserted-Identity: <sip:{caller}@127.0.0.1>",
                "Max-Forwards: 70",
            ],
            sdp.build("127.0.0.1", media.port, PCMU, EVENT_TYPE),
        )

    def _in_dialog(self, dialog: _Outgoing, method: str, cseq: int, *, branch: str = "") -> None:
        via = f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch={branch}" if branch else self._via()
        target = dialog.contact or f"sip:{dialog.dialed}@{self.switch_address[0]}"
        self._send(
            [
                f"{method} {target} SIP/2.0",
                via,
                f"From: <sip:{dialog.caller}@127.0.0.1>;tag={dialog.from_tag}",
                f"To: {dialog.to}",
                f"Call-ID: {dialog.call_id}",
                f"CSeq: {cseq} {method}",
                "Max-Forwards: 70",
            ]
        )

    def _answered(self, dialog: _Outgoing, response: Message) -> None:
        dialog.to = _header(response, "to")
        if response.status >= 300:  # the ACK of an error goes with the INVITE's branch
            dialog.ended = True
            self._in_dialog(dialog, "ACK", 1, branch=dialog.branch)
            return
        contact = _headers(response, "contact")
        dialog.contact = _uri(contact[0]) if contact else dialog.contact
        offer = sdp.parse(response.body)
        if offer is not None:
            dialog.remote = (offer.address, offer.port)
        self._in_dialog(dialog, "ACK", 1)

    def hang_up(self, call_id: str) -> None:
        dialog = self.outgoing[call_id]
        dialog.ended = True
        dialog.cseq += 1
        self._in_dialog(dialog, "BYE", dialog.cseq)

    def press(self, call_id: str, digits: str) -> None:
        """RFC 4733 keys from the caller's RTP socket, 100 ms apart."""
        dialog = self.outgoing[call_id]
        assert dialog.remote is not None, "the switch has not answered the call"
        assert dialog.media.transport is not None
        loop = asyncio.get_running_loop()
        for n, digit in enumerate(digits):
            for seq, (end, duration) in enumerate(
                [(False, 160), (False, 320), (False, 480)] + [(True, 640)] * 3
            ):
                packet = rtp.build(
                    rtp.RtpPacket(
                        EVENT_TYPE,
                        seq == 0,
                        10 * n + seq,
                        1000 * (n + 1),
                        0xCA11,
                        rtp.build_event(digit, end=end, duration=duration),
                    )
                )
                loop.call_later(
                    0.1 * n + 0.02 * seq, dialog.media.transport.sendto, packet, dialog.remote
                )

    # ---- agents' phones and customers ---------------------------------------------------

    def _respond(
        self, request: Message, code: int, reason: str, *, tag: str = "", body: str = ""
    ) -> None:
        to = _header(request, "to")
        if tag and _tag(to) is None:
            to = f"{to};tag={tag}"
        lines = [f"SIP/2.0 {code} {reason}"]
        lines += [f"Via: {via}" for via in _headers(request, "via")]
        lines += [
            f"From: {_header(request, 'from')}",
            f"To: {to}",
            f"Call-ID: {_header(request, 'call-id')}",
            f"CSeq: {request.header('cseq')}",
        ]
        if 200 <= code < 300 and request.method == "INVITE":
            lines.append(f"Contact: <sip:{_user(request.first.split()[1])}@127.0.0.1:{self.port}>")
        self._send(lines, body)

    def _ring(self, request: Message) -> None:
        call_id = _header(request, "call-id")
        known = self.incoming.get(call_id)
        if known is not None:  # a retransmission, or a re-INVITE: the same answer again
            if known.final == 200 and known.media is not None:
                body = sdp.build("127.0.0.1", known.media.port, PCMU, EVENT_TYPE)
                self._respond(request, 200, "OK", tag=known.tag, body=body)
            return
        user = _user(request.first.split()[1])
        dialog = self.incoming[call_id] = _Incoming(request, user)
        self._respond(request, 180, "Ringing", tag=dialog.tag)
        after, code, reason = self.answers.get(user, (None, 0, ""))
        if after is not None:
            loop = asyncio.get_running_loop()
            dialog.timer = loop.call_later(after, self._spawn_answer, dialog, code, reason)

    def _spawn_answer(self, dialog: _Incoming, code: int, reason: str) -> None:
        asyncio.get_running_loop().create_task(self._answer(dialog, code, reason))

    async def _answer(self, dialog: _Incoming, code: int, reason: str) -> None:
        if dialog.final or dialog.ended:
            return
        dialog.final = code
        body = ""
        if code == 200:
            dialog.media = await self.rtp_socket()
            body = sdp.build("127.0.0.1", dialog.media.port, PCMU, EVENT_TYPE)
        self._respond(dialog.invite, code, reason, tag=dialog.tag, body=body)

    def _cancelled(self, request: Message) -> None:
        self._respond(request, 200, "OK")
        dialog = self.incoming.get(_header(request, "call-id"))
        if dialog is None or dialog.final:
            return
        if dialog.timer is not None:
            dialog.timer.cancel()
        dialog.final = 487
        dialog.ended = True
        self._respond(dialog.invite, 487, "Request Terminated", tag=dialog.tag)

    def leave(self, call_id: str) -> None:
        """The answering party hangs up: our BYE in the switch's dialog."""
        dialog = self.incoming[call_id]
        dialog.ended = True
        dialog.cseq += 1
        invite = dialog.invite
        self._send(
            [
                f"BYE {_uri(_headers(invite, 'contact')[0])} SIP/2.0",
                self._via(),
                f"From: {_header(invite, 'to')};tag={dialog.tag}",
                f"To: {_header(invite, 'from')}",
                f"Call-ID: {_header(invite, 'call-id')}",
                f"CSeq: {dialog.cseq} BYE",
                "Max-Forwards: 70",
            ]
        )

    # ---- the socket ---------------------------------------------------------------------

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        message = parse(data)
        call_id = _header(message, "call-id")
        if message.status:
            method = (message.header("cseq") or "").split()[-1]
            dialog = self.outgoing.get(call_id)
            if dialog is not None and method == "INVITE" and message.status >= 200:
                self._answered(dialog, message)
            return
        if message.method == "INVITE":
            self._ring(message)
        elif message.method == "CANCEL":
            self._cancelled(message)
        elif message.method == "BYE":
            self._respond(message, 200, "OK")
            for dialogs in (self.outgoing, self.incoming):
                if call_id in dialogs:
                    dialogs[call_id].ended = True
        elif message.method != "ACK":
            self._respond(message, 200, "OK")


class SipLine:
    """A real `SipSwitch` on loopback, its asyncio loop in a thread of its own."""

    def __init__(self, workdir: Path) -> None:
        _write_tone(workdir / f"{PROMPT}.wav", PROMPT_SECONDS)
        self._workdir = workdir
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="contract-sip", daemon=True
        )
        self._thread.start()
        self._calls: dict[CallId, str] = {}  # switch call → SIP Call-ID of the caller's dialog
        self._typing: dict[CallId, tuple[str, float]] = {}
        self.far: _FarEnd  # the proxy's socket and every party beyond it (`_start`)
        self.referee: Referee
        self.sip: SipSwitch | None = None
        self._on_loop(self._start())
        assert self.sip is not None
        self.switch = Commands(self.sip, self.referee, self._on_loop_now, self._collecting)

    def _on_loop(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(30)

    def _on_loop_now(self, command: Callable[[], T]) -> T:
        async def run() -> T:
            return command()

        return self._on_loop(run())

    async def _start(self) -> None:
        loop = asyncio.get_running_loop()
        _, self.far = await loop.create_datagram_endpoint(_FarEnd, local_addr=("127.0.0.1", 0))
        clock = LiveClock()
        self.sip = SipSwitch(
            clock=clock,
            prompts=PromptCatalogue(self._workdir, {}),
            host="127.0.0.1",
            sip_port=free_port(),
            proxy=("127.0.0.1", self.far.port),
        )
        self.referee = Referee(clock.now)
        self.sip.attach(self.referee)
        await self.sip.start()
        self.far.switch_address = ("127.0.0.1", self.sip.sip_port)

    def dial_in(self, caller: str, dialed: str = "95598") -> CallId:
        known = set(self._calls)
        self._on_loop(self.far.dial(caller, dialed))

        def arrived() -> list[Report]:
            return [
                r
                for r in self.referee.reports
                if r.kind == "call_arrived" and r.args[0] == caller and r.call not in known
            ]

        assert self.until(arrived, 5.0), f"no call_arrived for {caller}"
        call = arrived()[0].call
        (self._calls[call],) = [
            d.call_id for d in self.far.outgoing.values() if d.caller == caller and not d.ended
        ]
        return call

    def caller_will_type(self, call: CallId, digits: str, after: float = 0.5) -> None:
        self._typing[call] = (digits, after)

    def _answered(self, call: CallId) -> str:
        """The SIP Call-ID of the caller's dialog, once the switch's answer is in (ACKed)."""
        dialog = self.far.outgoing[self._calls[call]]
        assert self.until(lambda: dialog.remote is not None, 5.0), f"{call} was not answered"
        return dialog.call_id

    def _collecting(self, call: CallId) -> None:
        script = self._typing.pop(call, None)
        if script is None:
            return
        digits, after = script
        dialog = self._answered(call)
        self._loop.call_soon_threadsafe(
            self._loop.call_later, after, self.far.press, dialog, digits
        )

    def caller_hangs_up(self, call: CallId) -> None:
        dialog = self._answered(call)
        self._on_loop_now(lambda: self.far.hang_up(dialog))

    def caller_presses(self, call: CallId, digits: str) -> None:
        dialog = self._answered(call)
        self._on_loop_now(lambda: self.far.press(dialog, digits))
        time.sleep(0.1 * len(digits) + 0.1)  # the keys' RFC 4733 packets are sent and heard

    def phone(self, agent: AgentId, answers_after: float | None) -> None:
        self.far.answers[str(agent)] = (answers_after, 200, "OK")

    def agent_hangs_up(self, call: CallId, agent: AgentId) -> None:
        (dialog,) = [
            d.invite
            for d in self.far.incoming.values()
            if d.user == agent and d.final == 200 and not d.ended
        ]
        self._on_loop_now(lambda: self.far.leave(_header(dialog, "call-id")))

    def customer(self, number: str, pickup: Pickup | None) -> None:
        if pickup is None:
            self.far.answers[number] = (None, 0, "")
        elif pickup.fails is None:
            self.far.answers[number] = (pickup.after, 200, "OK")
        else:
            self.far.answers[number] = (pickup.after, *_FAILURE_CODES[pickup.fails])

    def wait(self, seconds: float) -> None:
        time.sleep(seconds)

    def until(self, condition: Callable[[], object], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def close(self) -> None:
        async def stop() -> None:
            if self.sip is not None:
                await self.sip.stop()
            for media in self.far.sockets:
                if media.transport is not None:
                    media.transport.close()
            if self.far.transport is not None:
                self.far.transport.close()

        try:
            self._on_loop(stop())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop.close()


def _write_tone(path: Path, seconds: float) -> None:
    """A square wave of `seconds`, 16-bit 8 kHz mono (a prompt's recording)."""
    frames = int(8000 * seconds)
    pcm = b"".join(
        (8000 if (i // 9) % 2 else -8000).to_bytes(2, "little", signed=True) for i in range(frames)
    )
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(pcm)
