"""A WebRTC agent without a browser: SIP over websocket (`WsSip`) with real media by aiortc.

For the WebRTC load benchmark (benchmarks/webrtc_load.py): headless Chromium pages are
too heavy to run a hundred of on one machine, so each simulated agent is one `WsSip`
registered with the desk's session credential (`Softphones.issue`) and one aiortc
`RTCPeerConnection` per call: ICE, DTLS-SRTP, rtcp-mux and PCMU, like a browser. Rung by
Hotline through Kamailio (rtpengine has made the SDP a WebRTC offer), it answers 180 at
once and 200 OK with aiortc's answer, takes ACK, re-INVITE and BYE, sends a tone on its
outgoing track and notes when what it hears gets loud:

- ``onsets``: at the SRTP packet's arrival (decrypted by aiortc, before its jitter buffer):
  the network ear;
- ``played`` (only with ``decode=True``): when the decoded frame comes out of aiortc's
  audio jitter buffer (which waits for 4 frames, ~80 ms; a browser's adaptive buffer
  differs). Without it (the default) received packets stop at the ear: aiortc's jitter
  buffer and its decoder thread per call cost the load generator more than the rest of
  a call;

and, per call, the wall times of the INVITE's arrival, the 180, the 200 OK and the DTLS
connection. Needs the optional dependency aiortc (``pip install -e '.[bench]'``).

Everything stays on loopback: aiortc gathers host candidates on 127.0.0.1 only (aioice
skips loopback by default) and asks no STUN server.
"""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import math
import re
import struct
import time
from dataclasses import dataclass, field
from typing import Any

import aioice.ice
import av
from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCPeerConnection,
    RTCRtpReceiver,
    RTCSessionDescription,
)

from hotline.sip.g711 import ulaw_encode
from tests.support.wssip import Message, WsSip

aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]  # type: ignore[assignment]

RATE = 8000
FRAME = 160  # 20 ms
LOUD = 3000  # a linear level (of 32767) a click reaches and silence or a soft tone does not


def _ulaw_magnitude(byte: int) -> int:
    u = ~byte & 0xFF
    exponent, mantissa = (u >> 4) & 7, u & 0x0F
    return (((mantissa << 3) + 0x84) << exponent) - 0x84


_LOUD_ULAW = bytes(1 if _ulaw_magnitude(b) > LOUD else 0 for b in range(256))


def ulaw_loud(payload: bytes) -> bool:
    """Whether a PCMU payload has a sample louder than `LOUD`."""
    return b"\x01" in payload.translate(_LOUD_ULAW)


_original_handle = RTCRtpReceiver._handle_rtp_packet


async def _handle_and_hear(self: RTCRtpReceiver, packet: Any, arrival_time_ms: int) -> None:
    hear = getattr(self, "bench_hear", None)
    if hear is not None:
        hear(packet)
        if not getattr(self, "bench_decode", True):
            return  # heard at the packet: no jitter buffer, no decoder thread
    await _original_handle(self, packet, arrival_time_ms)


RTCRtpReceiver._handle_rtp_packet = _handle_and_hear  # type: ignore[method-assign]


class ToneTrack(MediaStreamTrack):
    """A soft 500 Hz tone (a whole number of periods per frame), 20 ms frames paced on the
    wall clock: what the agent says. The frames are PCMU already (`av.Packet`s), as a
    browser's encoder would hand them over: aiortc only packs them (no encoding in its
    thread pool for each frame), so the generator's CPU goes to the call, not to the tone."""

    kind = "audio"

    def __init__(self, level: int = 2000) -> None:
        super().__init__()
        pcm = b"".join(
            struct.pack("<h", int(level * math.sin(2 * math.pi * 500 * n / RATE)))
            for n in range(FRAME)
        )
        self._payload = ulaw_encode(pcm)
        self._start: float | None = None
        self._n = 0

    async def recv(self) -> av.Packet:
        if self._start is None:
            self._start = time.monotonic()
        due = self._start + self._n * FRAME / RATE
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        packet = av.Packet(self._payload)
        packet.pts = self._n * FRAME
        packet.time_base = fractions.Fraction(1, RATE)
        self._n += 1
        return packet


@dataclass
class CallRecord:
    """One call to this agent: wall times (time.time()) of its steps."""

    call_id: str
    invite: float
    caller: str = ""
    """The caller's number (the INVITE's From: Hotline shows the customer)."""
    ringing: float = 0.0
    answered: float = 0.0
    connected: float = 0.0
    ended: float = 0.0
    failed: str = ""


class Onsets:
    """Wall times at which a stream gets loud after at least `quiet` quiet frames."""

    def __init__(self, times: list[float], quiet: int = 5) -> None:
        self.times = times
        self._quiet = quiet
        self._run = quiet

    def frame(self, loud: bool) -> None:
        if loud:
            if self._run >= self._quiet:
                self.times.append(time.time())
            self._run = 0
        else:
            self._run += 1


@dataclass
class WebrtcAgent:
    """One agent's softphone: `register` with a desk credential, then calls are answered."""

    url: str
    domain: str
    extension: str
    auth_user: str
    password: str
    realm: str
    decode: bool = False
    calls: list[CallRecord] = field(default_factory=list)
    onsets: list[float] = field(default_factory=list)
    played: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.sip = WsSip(self.url, self.domain, handler=self._request)
        self._pcs: dict[str, RTCPeerConnection] = {}
        self._answers: dict[str, str] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def register(self, expires: int = 3600, timeout: float = 20.0) -> int:
        await self.sip.open()
        answer = await self.sip.register(
            self.extension, self.auth_user, self.password, self.realm,
            expires=expires, timeout=timeout,
        )  # fmt: skip
        return answer.status or 0

    async def close(self) -> None:
        for pc in list(self._pcs.values()):
            await pc.close()
        with contextlib.suppress(Exception):
            await self.sip.close()

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _request(self, request: Message) -> None:
        method, call_id = request.method, request.header("call-id")
        if method == "INVITE":
            if ";tag=" in request.header("to"):  # a re-INVITE: the same answer again
                await self.sip.reply(
                    request, 200, "OK", body=self._answers.get(call_id, ""), dialog=True
                )
                return
            record = CallRecord(call_id, invite=time.time())
            caller = re.search(r"sip:([^@>;]+)@", request.header("from"))
            record.caller = caller.group(1) if caller else ""
            self.calls.append(record)
            await self.sip.reply(request, 180, "Ringing", dialog=True)
            record.ringing = time.time()
            self._spawn(self._answer(request, record))
        elif method in ("BYE", "CANCEL"):
            await self.sip.reply(request, 200, "OK")
            for record in self.calls:
                if record.call_id == call_id and not record.ended:
                    record.ended = time.time()
            pc = self._pcs.pop(call_id, None)
            if pc is not None:
                self._spawn(pc.close())
        elif method == "OPTIONS":
            await self.sip.reply(request, 200, "OK")
        # ACK: nothing to answer

    async def _answer(self, invite: Message, record: CallRecord) -> None:
        pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self._pcs[record.call_id] = pc
        heard = Onsets(self.onsets)
        played = Onsets(self.played)

        def hear(packet: Any) -> None:
            if packet.payload_type == 0:
                heard.frame(ulaw_loud(packet.payload))

        @pc.on("connectionstatechange")
        async def changed() -> None:
            if pc.connectionState == "connected" and not record.connected:
                record.connected = time.time()
            elif pc.connectionState == "failed":
                record.failed = record.failed or "ICE/DTLS failed"

        @pc.on("track")
        def track(incoming: MediaStreamTrack) -> None:
            if self.decode:
                self._spawn(self._listen(incoming, played))

        try:
            await pc.setRemoteDescription(RTCSessionDescription(invite.body, "offer"))
            for receiver in pc.getReceivers():
                receiver.bench_hear = hear  # type: ignore[attr-defined]
                receiver.bench_decode = self.decode  # type: ignore[attr-defined]
            pc.addTrack(ToneTrack())
            await pc.setLocalDescription(await pc.createAnswer())
            sdp = pc.localDescription.sdp
            self._answers[record.call_id] = sdp
            await self.sip.reply(invite, 200, "OK", body=sdp, dialog=True)
            record.answered = time.time()
        except Exception as e:  # an offer aiortc cannot take: a failed call, counted
            record.failed = f"{type(e).__name__}: {e}"
            await self.sip.reply(invite, 488, "Not Acceptable Here", dialog=True)
            await pc.close()
            return

    async def _listen(self, track: MediaStreamTrack, played: Onsets) -> None:
        while True:
            try:
                frame = await track.recv()
            except Exception:  # the track ended (BYE)
                return
            data = bytes(frame.planes[0])[: frame.samples * 2]
            samples = struct.unpack(f"<{len(data) // 2}h", data)
            played.frame(max(map(abs, samples), default=0) > LOUD)

    def results(self) -> dict[str, Any]:
        """Everything noted so far (JSON-ready)."""
        return {
            "extension": self.extension,
            "calls": [vars(c) for c in self.calls],
            "onsets": list(self.onsets),
            "played": list(self.played),
        }
