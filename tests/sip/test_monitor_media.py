"""The bridge's mixer with real UDP sockets on loopback: a supervisor joined to a call
listens (监听), whispers to the agent (耳语) or barges in (强插); each party hears the
sum of the others it may hear, never itself, and the recording keeps what the caller
heard of the hotline's side. Who hears what is measured on the decoded samples: the
caller, the agent and the supervisor each send a tone of their own frequency."""

from __future__ import annotations

import asyncio
import math
import struct
import wave
from pathlib import Path

from hotline.sip import g711, rtp
from hotline.sip.media import (
    BARGE,
    LISTEN,
    PCMA,
    PCMU,
    WHISPER,
    Bridge,
    Hearing,
    MediaServer,
    Player,
    Recorder,
    mix,
)
from tests.sip.test_media import Peer, connect, peer, tone

CALLER_HZ, AGENT_HZ, SUPERVISOR_HZ = 400.0, 1000.0, 2200.0


def power(pcm: bytes, hz: float) -> float:
    """The amplitude of `hz` in 16-bit PCM (Goertzel), about the tone's own amplitude."""
    samples = struct.unpack(f"<{len(pcm) // 2}h", pcm)
    coeff = 2 * math.cos(2 * math.pi * hz / 8000)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + coeff * s1 - s2, s1
    magnitude = math.sqrt(max(0.0, s1 * s1 + s2 * s2 - coeff * s1 * s2))
    return 2 * magnitude / max(1, len(samples))


def decoded(packets: list[tuple[float, rtp.RtpPacket]], payload_type: int = PCMU) -> bytes:
    decode = g711.ulaw_decode if payload_type == PCMU else g711.alaw_decode
    return b"".join(decode(p.payload) for _, p in packets)


class Call:
    """A caller, an agent and a supervisor, each talking on its own frequency."""

    def __init__(self, media: MediaServer, codec: int = PCMU) -> None:
        self.media = media
        self.codec = codec
        self.seq = 0

    async def open(self, recording: Path | None) -> None:
        media = self.media
        self.caller, self.agent, self.supervisor = await peer(), await peer(), await peer()
        self.a = await media.open_leg(PCMU)
        self.b = await media.open_leg(PCMU)
        self.s = await media.open_leg(self.codec)
        for leg, far in ((self.a, self.caller), (self.b, self.agent), (self.s, self.supervisor)):
            connect(leg, far)
        self.bridge = Bridge(self.a, self.b, Recorder(recording) if recording else None)
        self.voices = {
            "caller": tone(CALLER_HZ, 1.0, 6000),
            "agent": tone(AGENT_HZ, 1.0, 6000),
            "supervisor": tone(SUPERVISOR_HZ, 1.0, 6000),
        }

    async def talk(self, seconds: float, *, supervisor: bool = True) -> dict[str, bytes]:
        """Everybody talks for `seconds`; what each one heard meanwhile (the first 60 ms
        skipped: frames in flight from before)."""
        marks = {name: len(far.packets) for name, far in self.parties().items()}
        loop = asyncio.get_running_loop()
        start = loop.time()
        encode = g711.ulaw_encode if self.codec == PCMU else g711.alaw_encode
        for i in range(int(seconds / 0.02)):
            await asyncio.sleep(max(0.0, start + i * 0.02 - loop.time()))
            at = slice((i % 50) * 320, (i % 50 + 1) * 320)
            self.seq += 1
            ts = self.seq * 160
            for name, far, leg, pt in (
                ("caller", self.caller, self.a, PCMU),
                ("agent", self.agent, self.b, PCMU),
                ("supervisor", self.supervisor, self.s, self.codec),
            ):
                if name == "supervisor" and not supervisor:
                    continue
                voice = self.voices[name][at]
                payload = encode(voice) if pt == self.codec and name == "supervisor" else None
                frame = payload if payload is not None else g711.ulaw_encode(voice)
                far.send(leg, rtp.RtpPacket(pt, False, self.seq, ts, 7, frame))
        await asyncio.sleep(0.08)
        heard = {}
        for name, far in self.parties().items():
            packets = far.packets[marks[name] + 3 :]
            pt = self.codec if name == "supervisor" else PCMU
            heard[name] = decoded(packets, pt)
        return heard

    def parties(self) -> dict[str, Peer]:
        return {"caller": self.caller, "agent": self.agent, "supervisor": self.supervisor}


def hears(pcm: bytes, hz: float) -> bool:
    return power(pcm, hz) > 1500  # the tones are sent at 6000


def silent_at(pcm: bytes, hz: float) -> bool:
    return power(pcm, hz) < 150


def test_listen_whisper_barge_each_party_hears_whom_it_may_and_never_itself(
    tmp_path: Path,
) -> None:
    recording = tmp_path / "call.wav"

    async def scenario() -> dict[str, dict[str, bytes]]:
        media = MediaServer()
        media.start()
        call = Call(media)
        await call.open(recording)
        phases: dict[str, dict[str, bytes]] = {}
        phases["before"] = await call.talk(0.4)
        call.bridge.join(call.s, LISTEN)
        for name, hearing in (("listen", LISTEN), ("whisper", WHISPER), ("barge", BARGE)):
            call.bridge.set_hearing(call.s, hearing)
            phases[name] = await call.talk(0.6)
        call.s.close()  # the supervisor hangs up: the conversation goes on
        phases["after"] = await call.talk(0.4, supervisor=False)
        assert call.a.bridge is call.bridge
        assert call.b.bridge is call.bridge
        call.bridge.close()
        await media.stop()
        return phases

    phases = asyncio.run(scenario())
    for name in ("before", "listen", "whisper", "barge", "after"):
        heard = phases[name]
        assert hears(heard["caller"], AGENT_HZ), name
        assert hears(heard["agent"], CALLER_HZ), name
        assert silent_at(heard["caller"], CALLER_HZ), name  # nobody hears themselves
        assert silent_at(heard["agent"], AGENT_HZ), name
    assert silent_at(phases["before"]["supervisor"], CALLER_HZ)  # not joined yet
    for name in ("listen", "whisper", "barge"):
        supervisor = phases[name]["supervisor"]
        assert hears(supervisor, CALLER_HZ), name
        assert hears(supervisor, AGENT_HZ), name
        assert silent_at(supervisor, SUPERVISOR_HZ), name
    # 监听: nobody hears the supervisor
    assert silent_at(phases["listen"]["caller"], SUPERVISOR_HZ)
    assert silent_at(phases["listen"]["agent"], SUPERVISOR_HZ)
    # 耳语: the agent hears the supervisor, the caller does not
    assert hears(phases["whisper"]["agent"], SUPERVISOR_HZ)
    assert silent_at(phases["whisper"]["caller"], SUPERVISOR_HZ)
    # 强插: both do
    assert hears(phases["barge"]["agent"], SUPERVISOR_HZ)
    assert hears(phases["barge"]["caller"], SUPERVISOR_HZ)
    assert silent_at(phases["after"]["caller"], SUPERVISOR_HZ)

    with wave.open(str(recording), "rb") as w:
        frames = w.readframes(w.getnframes())
    left = b"".join(frames[i : i + 2] for i in range(0, len(frames), 4))
    right = b"".join(frames[i + 2 : i + 4] for i in range(0, len(frames), 4))
    second = 8000 * 2
    # the phases in the file: before 0.4 s, listen, whisper, barge 0.6 s each (+ gaps)
    whisper = right[int(1.25 * second) : int(1.55 * second)]
    barge = right[int(2.0 * second) : int(2.25 * second)]
    assert hears(barge, SUPERVISOR_HZ)
    assert hears(barge, AGENT_HZ)
    assert silent_at(whisper, SUPERVISOR_HZ)
    assert hears(whisper, AGENT_HZ)
    assert silent_at(left, SUPERVISOR_HZ)
    assert hears(left, CALLER_HZ)


def test_a_supervisor_on_pcma_hears_and_is_heard_in_its_own_codec() -> None:
    async def scenario() -> dict[str, bytes]:
        media = MediaServer()
        media.start()
        call = Call(media, codec=PCMA)
        await call.open(None)
        call.bridge.join(call.s, BARGE)
        heard = await call.talk(0.6)
        await media.stop()
        return heard

    heard = asyncio.run(scenario())
    assert hears(heard["supervisor"], CALLER_HZ)
    assert hears(heard["supervisor"], AGENT_HZ)
    assert hears(heard["caller"], SUPERVISOR_HZ)
    assert hears(heard["agent"], SUPERVISOR_HZ)


def test_on_hold_the_caller_hears_only_music_and_the_agent_still_hears_a_whisper() -> None:
    async def scenario() -> dict[str, bytes]:
        media = MediaServer()
        media.start()
        call = Call(media)
        await call.open(None)
        call.bridge.join(call.s, WHISPER)
        call.bridge.hold(Player(tone(300, 0.2, 6000), loop=True))
        heard = await call.talk(0.6)
        await media.stop()
        return heard

    heard = asyncio.run(scenario())
    assert hears(heard["caller"], 300)
    assert silent_at(heard["caller"], AGENT_HZ)
    assert hears(heard["agent"], SUPERVISOR_HZ)
    assert silent_at(heard["agent"], CALLER_HZ)
    assert silent_at(heard["supervisor"], CALLER_HZ)
    assert hears(heard["supervisor"], AGENT_HZ)


def test_closing_the_callers_leg_ends_the_bridge_for_the_joined_leg_too() -> None:
    async def scenario() -> None:
        media = MediaServer()
        call = Call(media)
        await call.open(None)
        call.bridge.join(call.s, Hearing(agent=True, caller=False))
        call.a.close()
        assert call.b.bridge is None
        assert call.s.bridge is None
        assert not call.bridge.joined
        await media.stop()

    asyncio.run(scenario())


def test_mix_sums_and_clips_to_16_bits() -> None:
    def pcm(*samples: int) -> bytes:
        return struct.pack(f"<{len(samples)}h", *samples)

    assert mix([pcm(1, -2, 30000, -30000)]) == pcm(1, -2, 30000, -30000)
    assert mix([pcm(1, -2, 30000, -30000), pcm(5, 5, 30000, -30000), pcm(0, 0, 1, -1)]) == pcm(
        6, 3, 32767, -32768
    )
