"""Hotline's media: RTP legs on asyncio UDP sockets, one shared 20 ms pacer, prompts,
hold music, RFC 4733 DTMF, two-leg relay with a two-channel recording, a mixer for legs
joined to a bridge (a supervisor listening in, a three-way call), RTP timeouts.

Everything here runs on the asyncio loop that runs the engine. Audio is G.711 (PCMU or
PCMA) on the wire and 16-bit 8 kHz mono PCM in files. What is played is encoded once
per codec (`Sound`) and its frames are shared by every leg playing it; what a leg
receives is kept only while it is bridged, relayed as it came when both legs share a
codec (converted byte by byte when not), and decoded only for a recording. The pacer ticks
on an absolute monotonic schedule (tick n is due at start + n × 20 ms), so a late
tick does not push the following ones; when the loop falls more than a few frames
behind, the schedule skips ahead instead of sending a burst.

A leg takes RTP from one source only (strict RTP, `RtpLeg.set_peer`): the first
packet from the IP address the peer's SDP names latches the leg to that source
(address and port), and from then on frames go back to it (symmetric RTP); packets
from any other source, audio and DTMF alike, are dropped and counted. A leg sends
nothing, and its player keeps its place, until `RtpLeg.start` (the dialog is
confirmed: no media towards an address nobody has acknowledged).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import random
import socket
import sys
import wave
from array import array
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from hotline.core.errors import HotlineError
from hotline.sip import g711, rtp
from hotline.sip.tickstats import TickStats

log = logging.getLogger(__name__)

RATE = 8000
PTIME = 0.02
FRAME_SAMPLES = 160
FRAME_BYTES = 2 * FRAME_SAMPLES
SILENCE = bytes(FRAME_BYTES)
PCMU, PCMA = 0, 8
MAX_LATE_FRAMES = 5
"""Ticks the pacer may fall behind before it skips ahead (sends no burst)."""
INBOX_FRAMES = 10
"""Received frames kept per bridged leg for the relay (200 ms); older ones are dropped."""
INBOX_TARGET = 3
"""Frames a bridged leg's inbox may hold steadily (60 ms of jitter). A stall of the pacer or
of the peer's sender leaves a backlog that would otherwise stay for the rest of the call
as a standing delay (measured: 8 of 10 frames, 160 ms, with 100 WebRTC calls)."""
CATCH_UP_TICKS = 25
"""Ticks (0.5 s) an inbox must stay deeper than `INBOX_TARGET` before one frame is skipped:
a burst of jitter drains by itself and costs nothing; a standing backlog loses 20 ms every
half second until the delay is back to the target (a 140 ms backlog is gone in 3.5 s)."""

_HEADER_BYTES = rtp.HEADER.size
_ENCODE = {PCMU: g711.ulaw_encode, PCMA: g711.alaw_encode}
_DECODE = {PCMU: g711.ulaw_decode, PCMA: g711.alaw_decode}
_CONVERT = {(PCMU, PCMA): g711.ulaw_to_alaw, (PCMA, PCMU): g711.alaw_to_ulaw}
QUIET = {
    PCMU: bytes([g711.ULAW_SILENCE]) * FRAME_SAMPLES,
    PCMA: bytes([g711.ALAW_SILENCE]) * FRAME_SAMPLES,
}
"""20 ms of silence on the wire, by codec."""
_SWAP = sys.byteorder != "little"


class MediaError(HotlineError):
    error_id = "media-error"


def read_wav(path: Path) -> bytes:
    """The PCM of a 16-bit 8 kHz mono WAV file; raises `MediaError` for anything else."""
    try:
        with wave.open(str(path), "rb") as w:
            if (w.getnchannels(), w.getsampwidth(), w.getframerate()) != (1, 2, RATE):
                raise MediaError(f"{path}: not 16-bit 8 kHz mono")
            return w.readframes(w.getnframes())
    except (OSError, EOFError, wave.Error) as e:
        raise MediaError(f"{path}: {e}") from e


class Sound:
    """One sound (a prompt, the hold music): its PCM and its 20 ms G.711 frames, encoded
    on first use once per codec and shared by every leg that plays it. The last frame
    is padded with silence."""

    def __init__(self, pcm: bytes) -> None:
        self.pcm = pcm
        self._frames: dict[int, tuple[bytes, ...]] = {}

    def frames(self, payload_type: int) -> tuple[bytes, ...]:
        """The frames in `payload_type` (PCMU or PCMA), each `FRAME_SAMPLES` bytes."""
        frames = self._frames.get(payload_type)
        if frames is None:
            pcm = self.pcm[: len(self.pcm) & ~1]
            code = _ENCODE[payload_type](pcm + SILENCE[: -len(pcm) % FRAME_BYTES])
            frames = tuple(code[i : i + FRAME_SAMPLES] for i in range(0, len(code), FRAME_SAMPLES))
            self._frames[payload_type] = frames
        return frames


class Player:
    """One leg's place in a `Sound`, played once (then `on_done`) or looped until
    replaced; PCM given as bytes becomes a `Sound` of this player's own."""

    def __init__(
        self,
        sound: Sound | bytes,
        *,
        loop: bool = False,
        on_done: Callable[[], None] | None = None,
    ) -> None:
        self.sound = sound if isinstance(sound, Sound) else Sound(sound)
        self._pos = 0
        self._loop = loop
        self.on_done = on_done

    def next_frame(self, payload_type: int) -> bytes | None:
        """The next 20 ms in `payload_type`, or None when a one-shot sound is over."""
        frames = self.sound.frames(payload_type)
        pos = self._pos
        if pos >= len(frames):
            if not self._loop or not frames:
                return None
            pos = 0
        self._pos = pos + 1
        return frames[pos]


class Recorder:
    """Both legs of a conversation into one two-channel WAV (left: caller, right: agent)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._wav = wave.open(str(path), "wb")  # noqa: SIM115 (closed by `close`)
        self._wav.setnchannels(2)
        self._wav.setsampwidth(2)
        self._wav.setframerate(RATE)

    def write(self, left: bytes, right: bytes) -> None:
        out = bytearray(2 * FRAME_BYTES)
        for i in range(2):  # interleave 16-bit samples: L R L R …
            out[i::4] = left[i::2]
            out[2 + i :: 4] = right[i::2]
        self._wav.writeframes(bytes(out))

    def close(self) -> None:
        self._wav.close()


class RtpLeg(asyncio.DatagramProtocol):
    """One RTP stream: a local UDP port, the peer's address, what it plays, what it hears.

    Nothing is taken in before `set_peer` names the peer, nothing goes out before
    `start`. Packets from a source other than the latched one are dropped (`dropped`
    counts them; the first is logged, once per leg). Callbacks (`on_dtmf`,
    `on_timeout`, a player's `on_done`) run on the loop, never from inside a method
    called by the owner.
    """

    def __init__(self, media: MediaServer, payload_type: int, event_type: int | None) -> None:
        self._media = media
        self.payload_type = payload_type
        self.event_type = event_type
        self.remote: tuple[str, int] | None = None  # where frames go (None: nowhere)
        self.transport: asyncio.DatagramTransport | None = None
        self.player: Player | None = None
        self.bridge: Bridge | None = None
        self.inbox: deque[bytes] = deque(maxlen=INBOX_FRAMES)
        self.deep_ticks = 0  # consecutive ticks the inbox held more than INBOX_TARGET
        self.skipped = 0  # frames skipped to catch up a standing backlog
        self.on_dtmf: Callable[[str], None] | None = None
        self.on_timeout: Callable[[], None] | None = None
        self.on_audio: Callable[[bytes], None] | None = None  # PCM heard while unbridged
        self.received = 0
        self.sent = 0
        self.dropped = 0  # packets from a source that is not the stream's
        self.started = False  # frames go out (the dialog is confirmed)
        self.last_heard = media.now()
        self._offer: tuple[str, int] | None = None  # the SDP's address (normalized) and port
        self._source: tuple[str, int] | None = None  # the latched source, as recvfrom gives it
        self._warned = False
        self._ssrc = random.getrandbits(32)
        self._seq = random.getrandbits(16)
        self._ts = random.getrandbits(32)
        self._pressed: tuple[int, str] | None = None  # the key held now: (timestamp, digit)
        self._event_done: set[int] = set()  # events already reported (end sent 3 times)
        self._closed = False

    @property
    def port(self) -> int:
        assert self.transport is not None
        return int(self.transport.get_extra_info("sockname")[1])

    # ---- asyncio protocol ---------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        if self._closed:
            return
        if addr != self._source and not self._latch(addr):
            return
        if len(data) >= _HEADER_BYTES and data[0] == 0x80 and data[1] & 0x7F != self.event_type:
            # the usual audio packet (no CSRC, extension or padding): no full parse
            payload_type, payload = data[1] & 0x7F, data[_HEADER_BYTES:]
        else:
            packet = rtp.parse(data)
            if packet is None:
                return
            payload_type, payload = packet.payload_type, packet.payload
            if payload_type == self.event_type:  # DTMF is heard on every leg
                self._arrived()
                self._event(packet)
                return
        self._arrived()
        if self.bridge is not None and payload_type in _DECODE:  # unbridged: nobody listens
            self._keep(payload_type, payload[: 8 * FRAME_SAMPLES])
        elif self.on_audio is not None and payload_type in _DECODE:  # a voicemail records
            self.on_audio(_DECODE[payload_type](payload[: 8 * FRAME_SAMPLES]))

    def _latch(self, addr: tuple[str, int]) -> bool:
        """Whether a packet from `addr`, not the latched source, is the stream's: the
        first from the SDP's IP address latches the leg to it (any port: a NAT may map
        it), and frames go back there from then on (symmetric RTP)."""
        offer = self._offer
        if self._source is None and offer is not None and addr[0] == offer[0]:
            self._source = addr
            if self.remote is not None:  # not while the peer holds with c=0.0.0.0
                self.remote = (addr[0], addr[1])
            log.debug("RTP port %s: latched to %s:%s", self.port, addr[0], addr[1])
            return True
        self.dropped += 1
        self._media.dropped_packets += 1
        if not self._warned and offer is not None:  # before the answer: early packets
            self._warned = True
            stream = self._source or offer
            log.warning(
                "RTP port %s: packets from %s:%s dropped (the stream is %s:%s); only counted now",
                self.port,
                addr[0],
                addr[1],
                stream[0],
                stream[1],
            )
        return False

    def _arrived(self) -> None:
        self.last_heard = self._media.now()
        self.received += 1

    def _keep(self, payload_type: int, payload: bytes) -> None:
        """Queue `payload` for the bridge in this leg's own codec, cut into 20 ms frames
        (a peer's ptime may be 10–160 ms)."""
        if payload_type != self.payload_type:
            payload = _CONVERT[payload_type, self.payload_type](payload)
        if len(payload) == FRAME_SAMPLES:
            self.inbox.append(payload)
            return
        quiet = QUIET[self.payload_type]
        for start in range(0, len(payload), FRAME_SAMPLES):
            frame = payload[start : start + FRAME_SAMPLES]
            self.inbox.append(frame + quiet[len(frame) :])

    def error_received(self, exc: Exception) -> None:
        log.debug("RTP port %s: %s", self.port, exc)

    # ---- owner's commands ---------------------------------------------------------------

    def play(self, player: Player | None) -> None:
        """Play `player` from the next tick (None: silence); the one before stops quietly.
        Before `start` the player waits at its first frame."""
        self.player = player

    def set_peer(self, address: str, port: int) -> None:
        """The peer's SDP address and port (an offer, an answer, a re-INVITE): frames go
        there, and RTP is taken only from that IP address: the first packet from it
        latches the leg to its source. A new address or port unlatches the leg; the
        unspecified address (``c=0.0.0.0``, the old way to hold) stops sending and
        keeps the latch. Raises `MediaError` when `address` is not an IP literal of
        the leg's family (so that nothing is ever resolved by DNS)."""
        ip = self._literal(address)
        if ip.is_unspecified:
            self.remote = None
            return
        offer = (str(ip), port)
        if offer != self._offer:
            self._offer, self._source = offer, None
        source = self._source
        self.remote = (source[0], source[1]) if source is not None else offer

    def _literal(self, address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            raise MediaError(f"{address!r} is not an IP address") from None
        sock = self.transport.get_extra_info("socket") if self.transport is not None else None
        family = sock.family if sock is not None else socket.AF_INET
        if "%" in address or ip.version != (6 if family == socket.AF_INET6 else 4):
            raise MediaError(f"{address!r} is not an IPv{ip.version} address this leg can reach")
        return ip

    def start(self) -> None:
        """Send from the next tick on (the dialog is confirmed): a player that waited
        starts from its first frame; the RTP timeout counts from now."""
        if not self.started:
            self.started = True
            self.last_heard = self._media.now()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.player = None
        if self.bridge is not None:
            self.bridge.detach(self)
        if self.transport is not None:
            self.transport.close()
        self._media._legs.discard(self)

    # ---- pacer --------------------------------------------------------------------------

    def tick(self) -> None:
        if self.bridge is not None or not self.started:
            return  # the bridge sends for both legs; before `start` the player waits
        player = self.player
        if player is None:
            self.send(QUIET[self.payload_type])
            return
        frame = player.next_frame(self.payload_type)
        if frame is None:
            self.player = None
            if player.on_done is not None:
                self._media.loop.call_soon(player.on_done)
            frame = QUIET[self.payload_type]
        self.send(frame)

    def send(self, payload: bytes) -> None:
        """Send one 20 ms frame, G.711 in this leg's codec, to the peer (dropped while
        the peer is unknown or before `start`)."""
        if self.remote is None or self.transport is None or self._closed or not self.started:
            self._ts += FRAME_SAMPLES
            return
        header = rtp.HEADER.pack(
            0x80, self.payload_type, self._seq & 0xFFFF, self._ts & 0xFFFFFFFF, self._ssrc
        )
        self.transport.sendto(header + payload, self.remote)
        self._seq += 1
        self._ts += FRAME_SAMPLES
        self.sent += 1
        self._media.stats.frames_sent += 1

    def check_timeout(self, now: float, limit: float) -> None:
        if self.on_timeout is not None and self.started and now - self.last_heard > limit:
            callback, self.on_timeout = self.on_timeout, None
            self._media.loop.call_soon(callback)

    def _event(self, packet: rtp.RtpPacket) -> None:
        event = rtp.parse_event(packet.payload)
        if event is None or event.digit is None:
            return
        ts = packet.timestamp
        log.debug(
            "port %s: event %s end=%s ts=%d seq=%d",
            self.port,
            event.digit,
            event.end,
            ts,
            packet.sequence,
        )
        if ts in self._event_done:
            return  # the retransmitted end packets of a key already reported
        pressed = self._pressed
        if pressed is not None and pressed[0] != ts:
            self._report(*pressed)  # the previous key's end packets were lost
        if event.end:
            self._report(ts, event.digit)
        else:
            self._pressed = (ts, event.digit)

    def _report(self, ts: int, digit: str) -> None:
        self._pressed = None
        self._event_done.add(ts)
        if len(self._event_done) > 64:
            self._event_done = {ts}
        if self.on_dtmf is not None:
            self._media.loop.call_soon(self.on_dtmf, digit)


@dataclass(frozen=True, slots=True)
class Hearing:
    """Who hears a leg joined to a bridge (a supervisor's phone, an outside party): the
    bridge's second leg (the agent) and/or its first (the caller). A joined leg hears
    the caller, the agent and every other joined leg the agent hears."""

    agent: bool
    caller: bool


LISTEN = Hearing(agent=False, caller=False)
"""监听: the joined leg hears the conversation and nobody hears it."""
WHISPER = Hearing(agent=True, caller=False)
"""耳语: the agent hears the joined leg, the caller does not."""
BARGE = Hearing(agent=True, caller=True)
"""强插 / a three-way conference: everybody hears everybody."""


class Bridge:
    """Two legs relayed to each other, frame by frame, optionally recorded; more legs may
    join it (`join`: a supervisor listening in, an outside party in a conference).

    A leg belongs to the bridge it was last put in: an agent consulting a colleague
    is taken into a second bridge while the caller's stays (the caller then hears
    silence, or the hold music), and is given back when that one closes.

    With only its two legs the bridge relays each one's bytes to the other. Once a leg
    has joined, it mixes: each leg hears the sum of the others it may hear (decoded,
    summed with clipping, encoded in its own codec; one source alone is relayed as it
    came), never itself. The recording keeps the caller in the left channel and, in the
    right, the agent and every joined leg the caller hears (what the caller heard of
    the hotline's side); a leg only the agent hears (耳语) is not recorded.
    """

    def __init__(self, a: RtpLeg, b: RtpLeg, recorder: Recorder | None) -> None:
        self.a, self.b = a, b
        self.recorder = recorder
        self.music: Player | None = None
        self.joined: dict[RtpLeg, Hearing] = {}
        for leg in (a, b):
            leg.bridge = self
            leg.player = None
            leg.inbox.clear()

    def hold(self, music: Player | None) -> None:
        """Play `music` to the first leg instead of the second's voice (None: relay again)."""
        self.music = music

    def join(self, leg: RtpLeg, hearing: Hearing) -> None:
        """Add `leg` to the conversation, heard as `hearing` says (see `set_hearing`)."""
        leg.bridge = self
        leg.player = None
        leg.inbox.clear()
        self.joined[leg] = hearing

    def set_hearing(self, leg: RtpLeg, hearing: Hearing) -> None:
        """Change who hears a joined leg (监听 → 耳语 → 强插), from the next tick."""
        if leg in self.joined:
            self.joined[leg] = hearing

    def leave(self, leg: RtpLeg) -> None:
        """Take a joined leg out (it plays silence again); the conversation goes on."""
        if self.joined.pop(leg, None) is not None and leg.bridge is self:
            leg.bridge = None
            leg.inbox.clear()

    def detach(self, leg: RtpLeg) -> None:
        """`leg` is closing: a joined leg leaves, the caller's or the agent's ends the bridge."""
        if leg in self.joined:
            self.leave(leg)
        else:
            self.close()

    def _heard(self, leg: RtpLeg) -> bytes | None:
        """The leg's next frame, skipping one when a backlog has stood for
        `CATCH_UP_TICKS` (see `INBOX_TARGET`)."""
        inbox = leg.inbox
        if leg.bridge is not self or not inbox:
            leg.deep_ticks = 0
            return None
        if len(inbox) <= INBOX_TARGET:
            leg.deep_ticks = 0
        else:
            leg.deep_ticks += 1
            if leg.deep_ticks >= CATCH_UP_TICKS:
                inbox.popleft()
                leg.skipped += 1
                leg.deep_ticks = 0
        return inbox.popleft()

    def tick(self) -> None:
        if self.joined:
            self._mix()
            return
        a, b = self.a, self.b
        heard_a, heard_b = self._heard(a), self._heard(b)
        if a.bridge is self:
            music = self.music.next_frame(a.payload_type) if self.music is not None else None
            a.send(music if music is not None else _relay(heard_b, b, a))
        if b.bridge is self:
            b.send(QUIET[b.payload_type] if self.music is not None else _relay(heard_a, a, b))
        if self.recorder is not None:
            self.recorder.write(_pcm(heard_a, a), _pcm(heard_b, b))

    def _mix(self) -> None:
        a, b, joined = self.a, self.b, self.joined
        heard = {leg: self._heard(leg) for leg in (a, b, *joined)}
        pcm: dict[RtpLeg, bytes] = {}

        def decoded(leg: RtpLeg) -> bytes:
            if leg not in pcm:
                pcm[leg] = _pcm(heard[leg], leg)
            return pcm[leg]

        held = self.music is not None
        caller = [] if held else [a]  # on hold the caller hears music and nobody hears it
        to_agent = [leg for leg, hearing in joined.items() if hearing.agent]
        to_caller = [leg for leg, hearing in joined.items() if hearing.caller]
        if a.bridge is self:
            music = self.music.next_frame(a.payload_type) if self.music is not None else None
            a.send(music if music is not None else self._out(a, [b, *to_caller], heard, decoded))
        if b.bridge is self:
            b.send(self._out(b, caller + to_agent, heard, decoded))
        for leg in joined:
            if leg.bridge is self:
                others = [other for other in to_agent if other is not leg]
                leg.send(self._out(leg, [*caller, b, *others], heard, decoded))
        if self.recorder is not None:
            right = [decoded(leg) for leg in (b, *to_caller) if heard[leg] is not None]
            self.recorder.write(decoded(a), mix(right) if right else SILENCE)

    @staticmethod
    def _out(
        target: RtpLeg,
        sources: list[RtpLeg],
        heard: dict[RtpLeg, bytes | None],
        decoded: Callable[[RtpLeg], bytes],
    ) -> bytes:
        """What `target` hears of `sources` this tick, in its codec."""
        speaking = [leg for leg in sources if heard[leg] is not None]
        if not speaking:
            return QUIET[target.payload_type]
        if len(speaking) == 1:
            return _relay(heard[speaking[0]], speaking[0], target)
        return _ENCODE[target.payload_type](mix([decoded(leg) for leg in speaking]))

    def close(self) -> None:
        """Stop relaying (each leg plays silence again) and finish the recording."""
        for leg in (self.a, self.b, *self.joined):
            if leg.bridge is self:
                leg.bridge = None
        self.joined.clear()
        if self.recorder is not None:
            self.recorder.close()
            self.recorder = None


def mix(frames: list[bytes]) -> bytes:
    """The sum of 16-bit little-endian PCM frames of one length, clipped to 16 bits."""
    if len(frames) == 1:
        return frames[0]
    columns = [_samples(frame) for frame in frames]
    total = array("h", [min(32767, max(-32768, sum(s))) for s in zip(*columns, strict=True)])
    if _SWAP:
        total.byteswap()
    return total.tobytes()


def _samples(frame: bytes) -> array[int]:
    samples = array("h", frame)
    if _SWAP:
        samples.byteswap()
    return samples


def _relay(frame: bytes | None, source: RtpLeg, target: RtpLeg) -> bytes:
    """What `source` said, for `target`: the same bytes when both legs share a codec."""
    if frame is None:
        return QUIET[target.payload_type]
    if source.payload_type == target.payload_type:
        return frame
    return _CONVERT[source.payload_type, target.payload_type](frame)


def _pcm(frame: bytes | None, leg: RtpLeg) -> bytes:
    return SILENCE if frame is None else _DECODE[leg.payload_type](frame)


class MediaServer:
    """The RTP legs of one process and the pacer that sends for all of them.

    `late_ticks` counts ticks that started after their due time, `skipped_ticks` those
    given up when the pacer fell too far behind, `dropped_packets` RTP packets the
    legs refused (from a source that is not their stream's); `stats` (a `TickStats`)
    how late ticks start and how many frames went out."""

    def __init__(self, host: str = "127.0.0.1", *, rtp_timeout: float = 30.0) -> None:
        self.host = host
        self.rtp_timeout = rtp_timeout
        self.loop = asyncio.get_running_loop()
        self._legs: set[RtpLeg] = set()
        self._task: asyncio.Task[None] | None = None
        self.late_ticks = 0
        self.skipped_ticks = 0
        self.dropped_packets = 0
        self.stats = TickStats()

    def now(self) -> float:
        return self.loop.time()

    async def open_leg(self, payload_type: int = PCMU, event_type: int | None = 101) -> RtpLeg:
        """A new leg on a free UDP port of `host`; raises `MediaError` for an unknown codec."""
        if payload_type not in _ENCODE:
            raise MediaError(f"payload type {payload_type} is not G.711")
        _, leg = await self.loop.create_datagram_endpoint(
            lambda: RtpLeg(self, payload_type, event_type), local_addr=(self.host, 0)
        )
        self._legs.add(leg)
        return leg

    def legs(self) -> frozenset[RtpLeg]:
        return frozenset(self._legs)

    def start(self) -> None:
        if self._task is None:
            self._task = self.loop.create_task(self._pace(), name="hotline-rtp-pacer")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for leg in list(self._legs):
            leg.close()

    async def _pace(self) -> None:
        start = self.loop.time()
        n = 0
        while True:
            n += 1
            due = start + n * PTIME
            delay = due - self.loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            elif -delay > MAX_LATE_FRAMES * PTIME:
                skip = int(-delay / PTIME)
                self.skipped_ticks += skip
                n += skip
            else:
                self.late_ticks += 1
            self.stats.record(self.loop.time() - due)
            try:
                self._tick(n)
            except Exception:  # one bad leg must not silence every call
                log.exception("the RTP pacer failed on a tick; it goes on")

    def _tick(self, n: int) -> None:
        self.stats.frames_due += len(self._legs)
        bridges: set[Bridge] = set()
        for leg in list(self._legs):
            if leg.bridge is not None:
                bridges.add(leg.bridge)
            else:
                leg.tick()
        for bridge in bridges:
            bridge.tick()
        if n % 25 == 0:  # twice a second is often enough for timeouts
            now = self.now()
            for leg in list(self._legs):
                leg.check_timeout(now, self.rtp_timeout)
