"""Attacks on a call's media, through real sockets on loopback (issue 12, finding 6).

Hotline's `SipSwitch` runs in the test's process with a small engine (`Engine`: it
answers each call and plays a prompt or collects keys). The test's UDP socket is the
proxy (the endpoint takes new INVITEs from it only) and speaks raw SIP; other sockets
are the caller's RTP, a third party and a sink where RTP must not go.

- A third party sending RFC 4733 keys to the call's RTP port is not heard (strict RTP).
- An answered INVITE that is never ACKed gets no RTP at its SDP address, and the call
  ends after 32 s (`no-ack`); a late ACK starts the prompt from its beginning.
- An SDP whose `c=` is a host name is refused (488), in an INVITE and in a re-INVITE,
  and nothing is resolved.
"""

from __future__ import annotations

import asyncio
import re
import socket
import struct
import uuid
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import pytest

from hotline.core.clock import LiveClock
from hotline.core.ids import AgentId, CallId
from hotline.sip import rtp
from hotline.sip.media import PCMU, QUIET, Sound, read_wav
from hotline.sip.prompts import PromptCatalogue
from hotline.sip.switch import SipSwitch
from tests.support.sip import free_port

pytestmark = pytest.mark.realtime  # wall-clock calls: -m "not realtime" skips them

CALLER_IP = "127.0.0.2"  # the caller's media host; Hotline and the third party use 127.0.0.1
PROMPT_SECONDS = 1.0


class Engine:
    """The switch's listener: answers every call at once, then `collect`s one key after
    another or plays the prompt ``welcome``; records what the switch reports."""

    def __init__(self, switch: SipSwitch, *, collect: bool) -> None:
        self.switch = switch
        self.collect = collect
        self.calls: list[CallId] = []
        self.digits: list[str] = []
        self.prompt_done: list[float] = []
        self.ended: list[tuple[CallId, str]] = []

    def call_arrived(self, call: CallId, caller: str, dialed: str) -> None:
        self.calls.append(call)
        self.switch.answer(call)
        if self.collect:
            self._collect(call)
        else:
            loop = asyncio.get_running_loop()
            self.switch.play(call, "welcome", lambda: self.prompt_done.append(loop.time()))

    def _collect(self, call: CallId) -> None:
        def heard(digits: str) -> None:
            self.digits.append(digits)
            self._collect(call)

        self.switch.collect(call, None, max_digits=1, timeout=60, terminator=None, on_digits=heard)

    def call_hung_up(self, call: CallId, by: str) -> None:
        self.ended.append((call, by))

    def agent_answered(self, call: CallId, agent: AgentId) -> None: ...
    def agent_ring_failed(self, call: CallId, agent: AgentId, reason: str) -> None: ...
    def consult_answered(self, call: CallId, agent: AgentId) -> None: ...
    def agent_hung_up(self, call: CallId, agent: AgentId) -> None: ...
    def outbound_answered(self, call: CallId) -> None: ...
    def outbound_failed(self, call: CallId, reason: str) -> None: ...


class Udp(asyncio.DatagramProtocol):
    """A UDP socket that keeps what arrives: (loop time, bytes, source)."""

    def __init__(self) -> None:
        self.received: list[tuple[float, bytes, tuple[str, int]]] = []
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.received.append((asyncio.get_running_loop().time(), data, addr))

    @property
    def address(self) -> tuple[str, int]:
        assert self.transport is not None
        return self.transport.get_extra_info("sockname")[:2]  # type: ignore[no-any-return]

    def send(self, data: bytes, to: tuple[str, int]) -> None:
        assert self.transport is not None
        self.transport.sendto(data, to)

    def rtp(self) -> list[rtp.RtpPacket]:
        return [p for _, data, _ in self.received if (p := rtp.parse(data)) is not None]


async def udp(host: str = "127.0.0.1") -> Udp:
    loop = asyncio.get_running_loop()
    _, protocol = await loop.create_datagram_endpoint(Udp, local_addr=(host, 0))
    return protocol


def offer(address: str, port: int) -> str:
    return (
        f"v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 {address}\r\nt=0 0\r\n"
        f"m=audio {port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
        "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=sendrecv\r\n"
    )


class RawCall:
    """One caller's dialog, written by hand and sent from the proxy's socket."""

    def __init__(self, proxy: Udp, hotline: tuple[str, int]) -> None:
        self.proxy = proxy
        self.hotline = hotline
        self.call_id = f"{uuid.uuid4().hex}@attacker"
        self.from_tag = uuid.uuid4().hex[:10]
        self.to_tag = ""
        self.cseq = 0

    def _send(self, method: str, body: str = "", *, cseq: int | None = None) -> None:
        me = "{}:{}".format(*self.proxy.address)
        if cseq is None:
            self.cseq += 1
            cseq = self.cseq
        lines = [
            f"{method} sip:95598@{self.hotline[0]}:{self.hotline[1]} SIP/2.0",
            f"Via: SIP/2.0/UDP {me};branch=z9hG4bK{uuid.uuid4().hex}",
            f"From: <sip:13900000001@127.0.0.1>;tag={self.from_tag}",
            "To: <sip:95598@127.0.0.1>" + (f";tag={self.to_tag}" if self.to_tag else ""),
            f"Call-ID: {self.call_id}",
            f"CSeq: {cseq} {method}",
            f"Contact: <sip:13900000001@{me}>",
            "Max-Forwards: 70",
        ]
        if body:
            lines.append("Content-Type: application/sdp")
        lines.append(f"Content-Length: {len(body.encode())}")
        self.proxy.send(("\r\n".join(lines) + "\r\n\r\n" + body).encode(), self.hotline)

    def invite(self, body: str) -> None:
        self._send("INVITE", body)

    def ack(self) -> None:
        self._send("ACK", cseq=self.cseq)

    def bye(self) -> None:
        self._send("BYE")

    async def final_response(self, timeout: float = 5.0) -> int:
        """The status of the first final response to our latest INVITE (its To tag kept)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            for _, data, _ in self.proxy.received:
                text = data.decode(errors="replace")
                status = re.match(r"SIP/2\.0 ([2-6]\d\d) ", text)
                if (
                    status
                    and self.call_id in text
                    and re.search(rf"^CSeq: *{self.cseq} INVITE", text, re.M | re.I)
                ):
                    tag = re.search(r"^To:.*;tag=([^;\s]+)", text, re.M | re.I)
                    self.to_tag = tag.group(1) if tag else self.to_tag
                    return int(status.group(1))
            await asyncio.sleep(0.02)
        raise AssertionError(f"no final response to INVITE {self.cseq} in {timeout} s")

    def requests(self, method: str) -> list[str]:
        texts = (data.decode(errors="replace") for _, data, _ in self.proxy.received)
        return [t for t in texts if t.startswith(f"{method} ") and self.call_id in t]

    def answer_bye(self) -> None:
        """200 OK to Hotline's BYE (so that sippy does not retransmit it after the test)."""
        (bye, *_) = self.requests("BYE")
        kept = re.findall(r"^(?:Via|From|To|Call-ID|CSeq):.*$", bye, re.M | re.I)
        lines = ["SIP/2.0 200 OK", *kept, "Content-Length: 0"]
        self.proxy.send(("\r\n".join(lines) + "\r\n\r\n").encode(), self.hotline)


def key_packets(digit: str, timestamp: int, ssrc: int) -> Iterator[bytes]:
    """One key press, RFC 4733: three packets while it is held, three end packets."""
    for seq, (end, duration) in enumerate(
        [(False, 160), (False, 320), (False, 480)] + [(True, 640)] * 3
    ):
        payload = rtp.build_event(digit, end=end, duration=duration)
        yield rtp.build(rtp.RtpPacket(101, seq == 0, seq, timestamp, ssrc, payload))


def tone_wav(path: Path, seconds: float) -> None:
    n = int(8000 * seconds)
    pcm = struct.pack(f"<{n}h", *(int(8000 * ((i // 9) % 2 * 2 - 1)) for i in range(n)))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(pcm)


async def hotline(
    tmp_path: Path, proxy: Udp, *, collect: bool
) -> tuple[SipSwitch, Engine, tuple[str, int]]:
    tone_wav(tmp_path / "welcome.wav", PROMPT_SECONDS)
    switch = SipSwitch(
        clock=LiveClock(),
        prompts=PromptCatalogue(tmp_path, {}),
        host="127.0.0.1",
        sip_port=free_port(),
        proxy=proxy.address,
    )
    engine = Engine(switch, collect=collect)
    switch.attach(engine)
    await switch.start()
    return switch, engine, ("127.0.0.1", switch.sip_port)


async def until(condition: Callable[[], Any], timeout: float) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


def test_a_third_party_sending_keys_to_the_call_is_not_heard(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """RFC 4733 key 4 (the complaint queue in the example) from another host, then from
    another port of the caller's own host once the stream is latched: never reported."""

    async def scenario() -> None:
        proxy = await udp()
        switch, engine, address = await hotline(tmp_path, proxy, collect=True)
        caller = await udp(CALLER_IP)
        intruder, neighbour = await udp("127.0.0.1"), await udp(CALLER_IP)
        try:
            call = RawCall(proxy, address)
            call.invite(offer(CALLER_IP, caller.address[1]))
            assert await call.final_response() == 200
            call.ack()
            assert await until(caller.rtp, 3)  # Hotline sends once the ACK is in
            assert switch.media is not None
            (leg,) = switch.media.legs()
            target = ("127.0.0.1", leg.port)

            for data in key_packets("4", 1000, 0xBAD):  # before the caller has sent anything
                intruder.send(data, target)
            await asyncio.sleep(0.3)
            assert engine.digits == []
            for data in key_packets("1", 2000, 0xCA11):
                caller.send(data, target)
            assert await until(lambda: engine.digits == ["1"], 2)
            for data in key_packets("4", 3000, 0xBAD):  # the caller's IP, another port
                neighbour.send(data, target)
            for data in key_packets("4", 4000, 0xBAD):
                intruder.send(data, target)
            await asyncio.sleep(0.3)
            assert engine.digits == ["1"]
            for data in key_packets("2", 5000, 0xCA11):
                caller.send(data, target)
            assert await until(lambda: engine.digits == ["1", "2"], 2)
            assert leg.dropped == 18  # three keys of six packets
            assert switch.media.dropped_packets == 18
            assert caller.rtp()  # and the caller hears Hotline (the ACK came)
            assert not intruder.rtp()
            assert not neighbour.rtp()
            warnings = [r for r in caplog.records if r.name == "hotline.sip.media"]
            assert len(warnings) == 1  # once per leg, not per packet
            assert "127.0.0.1" in warnings[0].getMessage()
            call.bye()
            assert await until(lambda: engine.ended, 2)
        finally:
            await switch.stop()
            for sock in (proxy, caller, intruder, neighbour):
                assert sock.transport is not None
                sock.transport.close()

    asyncio.run(scenario())


def test_no_rtp_before_the_ack_and_an_unacknowledged_answer_ends_the_call(tmp_path: Path) -> None:
    """Two INVITEs answered at once: one is never ACKed (its SDP names a sink, the
    reflection attack), one is ACKed 1.5 s late. The sink gets nothing, and that call
    ends after sippy's 32 s (64×T1) as `no-ack` with a BYE; the late one's prompt starts
    at its ACK from its first frame and its `on_done` comes a prompt's length later."""

    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        proxy = await udp()
        switch, engine, address = await hotline(tmp_path, proxy, collect=False)
        sink, late = await udp(), await udp()
        try:
            victim, slow = RawCall(proxy, address), RawCall(proxy, address)
            victim.invite(offer("127.0.0.1", sink.address[1]))
            slow.invite(offer("127.0.0.1", late.address[1]))
            assert await victim.final_response() == 200
            assert await slow.final_response() == 200
            await asyncio.sleep(1.5)
            assert not sink.received
            assert not late.received
            assert engine.prompt_done == []
            acked = loop.time()
            slow.ack()
            assert await until(lambda: engine.prompt_done, 3 * PROMPT_SECONDS)
            assert engine.prompt_done[0] - acked >= 0.9 * PROMPT_SECONDS
            frames = Sound(read_wav(tmp_path / "welcome.wav")).frames(PCMU)
            played = [p.payload for p in late.rtp() if p.payload != QUIET[PCMU]]
            assert played == list(frames)  # the whole prompt, from its first frame
            slow.bye()
            assert await until(lambda: engine.ended, 2)

            assert await until(lambda: victim.requests("BYE"), 40)
            assert await until(lambda: len(engine.ended) == 2, 2)
            assert [by for _, by in engine.ended] == ["caller", "no-ack"]
            assert not sink.received  # not one packet in 32 s
            victim.answer_bye()
        finally:
            await switch.stop()
            for sock in (proxy, sink, late):
                assert sock.transport is not None
                sock.transport.close()

    asyncio.run(scenario())


@pytest.fixture
def resolver_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    """Every name lookup through Python's socket module, recorded (and still done)."""
    calls: list[tuple[str, Any]] = []
    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr"):
        real = getattr(socket, name)

        def spy(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            calls.append((_name, args[0] if args else None))
            return _real(*args, **kwargs)

        monkeypatch.setattr(socket, name, spy)
    return calls


def test_host_names_in_sdp_are_refused_and_never_resolved(
    tmp_path: Path, resolver_calls: list[tuple[str, Any]]
) -> None:
    """`c=IN IP4 example.com` in an INVITE: 488. `c=IN IP4 localhost` (which the system
    would resolve to the sink's address) in a re-INVITE: 488, the call keeps its stream,
    and the sink gets nothing."""

    async def scenario() -> None:
        proxy = await udp()
        switch, engine, address = await hotline(tmp_path, proxy, collect=False)
        caller, sink = await udp(), await udp()
        try:
            named = RawCall(proxy, address)
            named.invite(offer("example.com", sink.address[1]))
            assert await named.final_response() == 488
            named.ack()
            assert engine.calls == []

            call = RawCall(proxy, address)
            call.invite(offer("127.0.0.1", caller.address[1]))
            assert await call.final_response() == 200
            call.ack()
            assert await until(caller.rtp, 2)
            call.invite(offer("localhost", sink.address[1]))
            assert await call.final_response() == 488
            call.ack()  # the ACK of a non-2xx final response
            heard = len(caller.received)
            await asyncio.sleep(1.0)
            assert not sink.received
            assert len(caller.received) > heard + 30  # the stream goes on where it was
            assert engine.ended == []
            names = {host for _, host in resolver_calls}
            assert not names & {"example.com", "localhost", b"example.com", b"localhost"}
            call.bye()
            assert await until(lambda: engine.ended, 2)
        finally:
            await switch.stop()
            for sock in (proxy, caller, sink):
                assert sock.transport is not None
                sock.transport.close()

    asyncio.run(scenario())
