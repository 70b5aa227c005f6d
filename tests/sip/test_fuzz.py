"""Random and mutated input at every SIP-facing parser: SDP, RTP and RFC 4733 events,
an RTP leg's receive path, and SIP datagrams through sippy's parser into our endpoint.

Properties: nothing raises out of our code (parsers return None for what they cannot
read); what they return is well-formed; a SIP endpoint fed garbage logs at most one
WARNING line per datagram, never an error or a traceback, and still answers.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import random
import re
import socket
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotline.sip import rtp, sdp
from hotline.sip.endpoint import SipEndpoint
from hotline.sip.media import FRAME_SAMPLES, PCMA, PCMU, Bridge, MediaServer
from tests.support.sip import free_port

OFFER_LINES = [
    "v=0",
    "o=caller 1 1 IN IP4 127.0.0.1",
    "s=-",
    "c=IN IP4 127.0.0.1",
    "t=0 0",
    "m=audio 40000 RTP/AVP 0 8 101",
    "a=rtpmap:0 PCMU/8000",
    "a=rtpmap:8 PCMA/8000",
    "a=rtpmap:101 telephone-event/8000",
    "a=fmtp:101 0-15",
    "a=ptime:20",
    "a=sendrecv",
    "m=video 40002 RTP/AVP 96",
]
DIRECTIONS = {"sendrecv", "sendonly", "recvonly", "inactive"}
# odd but printable: digits of other scripts (str.isdigit is true for "²"), huge numbers
ODD = st.sampled_from(
    ["²", "١٢", "٣", "99999999999999999999", "-1", "0", "65536", "128", "", " ", "\x00", "/", "@"]
)
FIELD = st.one_of(ODD, st.text(max_size=20), st.integers(-(2**40), 2**40).map(str))

fast = settings(max_examples=300, deadline=None)


# ---- SDP ---------------------------------------------------------------------------------


@st.composite
def mutated_sdp(draw: st.DrawFn) -> str:
    lines = list(OFFER_LINES)
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(lines) - 1))
        how = draw(st.integers(0, 4))
        if how == 0:  # one field of a line replaced
            fields = lines[i].split(" ")
            fields[draw(st.integers(0, len(fields) - 1))] = draw(FIELD)
            lines[i] = " ".join(fields)
        elif how == 1:
            del lines[i]
            if not lines:
                lines = ["v=0"]
        elif how == 2:
            lines.insert(i, lines[i])
        elif how == 3:
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        else:
            lines[i] = draw(st.sampled_from("mcaovst")) + "=" + draw(FIELD)
    sep = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    return sep.join(lines)


NUMBER = st.one_of(st.integers(0, 200_000).map(str), ODD)


@st.composite
def structured_sdp(draw: st.DrawFn) -> str:
    """An offer whose every number may be odd: ports, payload types, rtpmap numbers."""
    formats = draw(st.lists(NUMBER, max_size=5))
    lines = [
        "v=0",
        f"c=IN IP4 {draw(st.sampled_from(['127.0.0.1', '', '::1', 'host.example']))}",
        f"m=audio {draw(NUMBER)} RTP/AVP {' '.join(formats)}",
    ]
    for number in draw(st.lists(NUMBER, max_size=3)):
        encoding = draw(st.sampled_from(["PCMU/8000", "telephone-event/8000", "", "x"]))
        lines.append(f"a=rtpmap:{number} {encoding}")
    lines.append("a=" + draw(st.sampled_from([*sorted(DIRECTIONS), "x"])))
    return "\r\n".join(lines) + "\r\n"


def check_offer(offer: sdp.AudioOffer | None) -> None:
    if offer is None:
        return
    assert offer.address
    assert str(ipaddress.ip_address(offer.address)) == offer.address  # a literal, never a name
    assert 0 <= offer.port <= 65535
    assert all(isinstance(pt, int) and 0 <= pt <= 127 for pt in offer.payload_types)
    assert offer.event_type is None or 0 <= offer.event_type <= 127
    assert offer.direction in DIRECTIONS
    assert offer.codec() in (PCMU, PCMA, None)


@fast
@given(text=st.one_of(st.text(max_size=400), mutated_sdp(), structured_sdp()))
def test_sdp_parse_returns_a_well_formed_offer_or_none(text: str) -> None:
    check_offer(sdp.parse(text))


@fast
@given(
    port=st.integers(0, 65535),
    codec=st.sampled_from([PCMU, PCMA]),
    event=st.one_of(st.none(), st.integers(96, 127)),
)
def test_sdp_we_write_reads_back(port: int, codec: int, event: int | None) -> None:
    offer = sdp.parse(sdp.build("127.0.0.1", port, codec, event))
    assert offer == sdp.AudioOffer(
        "127.0.0.1", port, (codec,) if event is None else (codec, event), event, "sendrecv"
    )


# ---- RTP and RFC 4733 --------------------------------------------------------------------

PACKETS = st.builds(
    rtp.RtpPacket,
    payload_type=st.integers(0, 127),
    marker=st.booleans(),
    sequence=st.integers(0, 2**16 - 1),
    timestamp=st.integers(0, 2**32 - 1),
    ssrc=st.integers(0, 2**32 - 1),
    payload=st.binary(max_size=400),
)


@st.composite
def mutated_rtp(draw: st.DrawFn) -> bytes:
    data = bytearray(rtp.build(draw(PACKETS)))
    for _ in range(draw(st.integers(0, 4))):  # CSRC count, extension, padding bits …
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data[: draw(st.integers(0, len(data)))])


@fast
@given(data=st.one_of(st.binary(max_size=300), mutated_rtp()))
def test_rtp_parse_returns_a_well_formed_packet_or_none(data: bytes) -> None:
    packet = rtp.parse(data)
    if packet is None:
        return
    assert data[0] >> 6 == 2
    assert 0 <= packet.payload_type <= 127
    assert 0 <= packet.sequence < 2**16
    assert 0 <= packet.timestamp < 2**32
    assert len(packet.payload) <= len(data) - rtp.HEADER.size
    assert packet.payload in data


@fast
@given(packet=PACKETS)
def test_rtp_we_build_parses_back(packet: rtp.RtpPacket) -> None:
    assert rtp.parse(rtp.build(packet)) == packet


@fast
@given(payload=st.binary(max_size=12))
def test_telephone_event_parse_is_well_formed_or_none(payload: bytes) -> None:
    event = rtp.parse_event(payload)
    if event is None:
        assert len(payload) < 4
        return
    assert event.digit is None or event.digit in rtp.DTMF_EVENTS
    assert 0 <= event.volume <= 63
    assert 0 <= event.duration < 2**16


@settings(max_examples=60, deadline=None)
@given(
    packets=st.lists(
        st.one_of(st.binary(max_size=200), mutated_rtp(), PACKETS.map(rtp.build)), max_size=40
    )
)
def test_rtp_leg_receives_anything_without_raising(packets: list[bytes]) -> None:
    """The receive path of a leg (asyncio's `datagram_received`): RTP of any type, DTMF
    events of any kind, garbage: nothing raises, what is kept lands in whole frames."""

    async def feed() -> None:
        media = MediaServer(rtp_timeout=3600)
        leg = await media.open_leg(PCMU, 101)
        Bridge(leg, await media.open_leg(PCMA, 101), None)  # audio is kept only when bridged
        leg.set_peer("127.0.0.1", 9)  # the packets come from the stream's source
        keys: list[str] = []
        leg.on_dtmf = keys.append
        for data in packets:
            leg.datagram_received(data, ("127.0.0.1", 9))
        await asyncio.sleep(0)
        assert all(len(frame) == FRAME_SAMPLES for frame in leg.inbox)  # 20 ms of µ-law
        assert all(key in rtp.DTMF_EVENTS for key in keys)
        await media.stop()

    asyncio.run(feed())


# ---- SIP datagrams through sippy into the endpoint ---------------------------------------


def sip_message(method: str, port: int, me: int, *, body: str = "", tag: str = "") -> str:
    branch = uuid.uuid4().hex
    lines = [
        f"{method} sip:95598@127.0.0.1:{port} SIP/2.0",
        f"Via: SIP/2.0/UDP 127.0.0.1:{me};branch=z9hG4bK{branch}",
        f"From: <sip:fuzz@127.0.0.1>;tag={branch[:8]}",
        f"To: <sip:95598@127.0.0.1:{port}>" + (f";tag={tag}" if tag else ""),
        f"Call-ID: {branch}@fuzz",
        f"CSeq: 1 {method}",
        f"Contact: <sip:fuzz@127.0.0.1:{me}>",
        "Max-Forwards: 70",
    ]
    if body:
        lines.append("Content-Type: application/sdp")
    lines.append(f"Content-Length: {len(body.encode())}")
    return "\r\n".join(lines) + "\r\n\r\n" + body


BASES = ["INVITE", "BYE", "OPTIONS", "REGISTER", "CANCEL", "ACK", "RESPONSE"]


@st.composite
def mutated_sip(draw: st.DrawFn) -> tuple[str, int]:
    """A recipe: the base message's name and a seed for `mutate`, so that the message is
    built with the live ports (hypothesis prints the recipe of a failing example)."""
    return draw(st.sampled_from(BASES)), draw(st.integers(0, 2**32 - 1))


def mutate(base: str, seed: int, port: int, me: int) -> bytes:
    """The datagram of a recipe: `base` addressed to `port` from `me`, then 1–4 of the
    mutations below chosen by `seed` (a seeded generator, so that hypothesis can replay
    an example; it cannot shrink inside one)."""
    rng = random.Random(seed)
    if base == "RESPONSE":
        code = rng.choice(["200", "0", "99", "1000", "abc", "180", "481"])
        text = sip_message("INVITE", port, me).replace(
            f"INVITE sip:95598@127.0.0.1:{port} SIP/2.0", f"SIP/2.0 {code} OK"
        )
    elif base == "INVITE":
        lines = list(OFFER_LINES)
        if rng.random() < 0.5:
            rng.shuffle(lines)
        text = sip_message("INVITE", port, me, body="\r\n".join(lines) + "\r\n")
    else:
        text = sip_message(base, port, me, tag="nosuch" if base == "BYE" else "")
    head, _, body = text.partition("\r\n\r\n")
    headers = head.split("\r\n")
    for _ in range(rng.randint(1, 4)):
        how = rng.randrange(9)
        i = rng.randrange(len(headers))
        if how == 0 and i > 0:  # a header's value replaced
            name = headers[i].split(":", 1)[0]
            headers[i] = f"{name}: " + rng.choice(
                ["", "<>", "<sip:>", "²", "\x00", ";;;", "<sip:a@b:99999999>", "x" * 3000]
            )
        elif how == 1 and i > 0:
            del headers[i]
        elif how == 2:
            headers.insert(i + 1, headers[i])
        elif how == 3:  # Content-Length that lies
            headers = [h for h in headers if not h.lower().startswith("content-length")]
            n = rng.choice([-1, 0, 1, len(body) + 1, len(body) + 2, len(body) - 3, 10**12])
            headers.append(f"Content-Length: {n}")
        elif how == 4:  # the body replaced by broken SDP
            body = "\r\n".join(
                rng.choice(OFFER_LINES)[: rng.randrange(1, 30)] for _ in range(rng.randrange(8))
            )
        elif how == 8:  # an offer whose numbers are odd (an INVITE's SDP reaches `sdp.parse`)
            odd = ["²", "١٢", "128", "99999", "-1", "0", "", "101"]
            body = (
                "v=0\r\nc=IN IP4 127.0.0.1\r\n"
                f"m=audio {rng.choice(odd)} RTP/AVP 0 {rng.choice(odd)}\r\n"
                f"a=rtpmap:{rng.choice(odd)} telephone-event/8000\r\n"
            )
            headers = [h for h in headers if not h.lower().startswith("content-length")]
            headers.append(f"Content-Length: {len(body.encode())}")
        elif how == 5:  # a huge header
            headers.append("X-Huge: " + "y" * rng.choice([1000, 7000, 9000]))
        elif how == 6:
            headers[i] = headers[i][: rng.randrange(len(headers[i]) + 1)]
        else:
            headers[0] = rng.choice(["", "INVITE", "INVITE sip: SIP/2.0", "FOO bar baz"])
    data = bytearray(("\r\n".join(headers) + "\r\n\r\n" + body).encode())
    if rng.random() < 0.3:  # flipped bytes (the result may not be UTF-8 any more)
        for _ in range(rng.randint(1, 5)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    if rng.random() < 0.2:
        del data[rng.randrange(len(data)) :]
    return bytes(data)


class Peer:
    """A UDP socket on loopback that talks to the endpoint under test."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.me = int(self.sock.getsockname()[1])

    def options_answered(self, timeout: float = 5.0) -> bool:
        """Send OPTIONS and wait for its 200 (every datagram sent before has been handled:
        sippy's thread takes them in order)."""
        probe = sip_message("OPTIONS", self.port, self.me)
        call_id = re.search(r"Call-ID: (\S+)", probe)
        assert call_id is not None
        self.sock.sendto(probe.encode(), ("127.0.0.1", self.port))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.sock.settimeout(deadline - time.monotonic())
            try:
                data, _ = self.sock.recvfrom(65536)
            except TimeoutError:
                return False
            if call_id.group(1).encode() in data and data.startswith(b"SIP/2.0 200"):
                return True
        return False


class Lines(logging.Handler):
    """The endpoint's log records, from whichever thread wrote them."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.peers: list[Peer] = []  # kept open to the end: no port serves two peers
        self._lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        with self._lock:
            self.records.append(record)

    def about(self, port: int) -> list[logging.LogRecord]:
        """The WARNING-or-worse records that name the peer 127.0.0.1:`port`."""
        with self._lock:
            return [
                r
                for r in self.records
                if r.levelno >= logging.WARNING and f"127.0.0.1:{port}" in r.getMessage()
            ]


@pytest.fixture(scope="module")
def endpoint() -> Iterator[tuple[SipEndpoint, Lines]]:
    """A `SipEndpoint` on a free port, its asyncio loop in a thread, and what it logs;
    INVITEs are refused with 486 by its owner (the handling up to there is fuzzed)."""
    lines = Lines()
    loggers = [logging.getLogger("hotline.sip"), logging.getLogger("asyncio")]
    for logger in loggers:  # asyncio's: a callback that raised on the loop (our `_incoming`)
        logger.addHandler(lines)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="fuzz-loop", daemon=True)
    thread.start()

    async def start() -> SipEndpoint:
        ep = SipEndpoint(
            host="127.0.0.1", port=free_port(), on_invite=lambda d: d.reject(486, "Busy Here")
        )
        ep.start()
        return ep

    ep = asyncio.run_coroutine_threadsafe(start(), loop).result(20)
    try:
        yield ep, lines
    finally:
        asyncio.run_coroutine_threadsafe(ep.stop(), loop).result(20)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()
        for logger in loggers:
            logger.removeHandler(lines)
        for peer in lines.peers:
            peer.sock.close()


@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(recipe=mutated_sip())
def test_sip_endpoint_takes_mutated_messages(
    endpoint: tuple[SipEndpoint, Lines],
    recipe: tuple[str, int],
    capfd: pytest.CaptureFixture[str],
) -> None:
    """Each mutated datagram from its own port: the endpoint still answers OPTIONS, logs
    at most one line naming that port, at WARNING, one line, no traceback; nothing of
    it reaches stdout or stderr. (sippy may take datagrams in more than one receiver
    thread, so a line can come after the probe's answer: every port seen so far is
    checked each time.)"""
    ep, lines = endpoint
    peer = Peer(ep.port)
    lines.peers.append(peer)
    data = mutate(*recipe, ep.port, peer.me)
    peer.sock.sendto(data, ("127.0.0.1", ep.port))
    assert peer.options_answered(), f"no answer after {data[:200]!r}"
    with lines._lock:
        records = list(lines.records)
    assert all(r.levelno <= logging.WARNING for r in records), records[-3:]
    assert all(r.exc_info is None and "\n" not in r.getMessage() for r in records)
    per_port: dict[str, list[str]] = {}
    for r in records:
        ports = re.findall(r"127\.0\.0\.1:(\d+)", r.getMessage())
        if r.levelno == logging.WARNING and ports:
            per_port.setdefault(ports[0], []).append(r.getMessage())
    assert [m for m in per_port.values() if len(m) > 1] == []
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err


def test_known_bad_messages_each_give_one_warning_naming_the_peer(
    endpoint: tuple[SipEndpoint, Lines],
) -> None:
    """Garbage sippy cannot parse, bytes that are not UTF-8, a status code out of range, a
    Content-Length past the body (sippy raises past its own guard there), a request
    without To: one WARNING line each, with the sender's address."""
    ep, lines = endpoint
    invite = sip_message("INVITE", ep.port, 9, body="v=0\r\n")
    bad = [
        b"\xff\xfe" + b"x" * 60,
        ("SIP/2.0 99 Odd\r\n" + invite.split("\r\n", 1)[1]).encode(),
        invite.replace("Content-Length: 5", "Content-Length: 50").encode(),
        invite.replace("\r\nTo: ", "\r\nXo: ").encode(),
        b"NOT SIP AT ALL, JUST A LONG ENOUGH LINE OF TEXT\r\n\r\n",
    ]
    for data in bad:
        peer = Peer(ep.port)  # one port per message: its line names it
        lines.peers.append(peer)
        peer.sock.sendto(data, ("127.0.0.1", ep.port))
        assert peer.options_answered()
        deadline = time.monotonic() + 2.0
        while not lines.about(peer.me) and time.monotonic() < deadline:
            time.sleep(0.01)  # sippy may take it in another receiver thread
        time.sleep(0.1)
        found = [r.getMessage() for r in lines.about(peer.me)]
        assert len(found) == 1, (data[:60], found)
        assert all(r.levelno == logging.WARNING for r in lines.about(peer.me))
