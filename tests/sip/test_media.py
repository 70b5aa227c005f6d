"""The media module with real UDP sockets on loopback: pacing, prompts, DTMF, relay,
recording, RTP timeouts, and the work it saves (shared frames, relay without decoding)."""

from __future__ import annotations

import asyncio
import itertools
import math
import random
import struct
import wave
from collections.abc import Callable
from pathlib import Path
from typing import cast

import pytest

from hotline.sip import g711, rtp
from hotline.sip.media import (
    FRAME_SAMPLES,
    INBOX_TARGET,
    PCMA,
    PCMU,
    QUIET,
    Bridge,
    MediaError,
    MediaServer,
    Player,
    Recorder,
    RtpLeg,
    Sound,
)
from hotline.sip.prompts import PromptCatalogue


class Peer(asyncio.DatagramProtocol):
    """The far end of a leg: records what arrives, sends what the test says."""

    def __init__(self) -> None:
        self.packets: list[tuple[float, rtp.RtpPacket]] = []
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        packet = rtp.parse(data)
        assert packet is not None
        self.packets.append((asyncio.get_running_loop().time(), packet))

    @property
    def address(self) -> tuple[str, int]:
        assert self.transport is not None
        return self.transport.get_extra_info("sockname")[:2]  # type: ignore[no-any-return]

    def send(self, leg: RtpLeg, packet: rtp.RtpPacket) -> None:
        assert self.transport is not None
        self.transport.sendto(rtp.build(packet), ("127.0.0.1", leg.port))


async def peer(host: str = "127.0.0.1") -> Peer:
    loop = asyncio.get_running_loop()
    _, protocol = await loop.create_datagram_endpoint(Peer, local_addr=(host, 0))
    return protocol


def connect(leg: RtpLeg, far: Peer) -> None:
    """`far` is the leg's peer (its SDP address) and the dialog is confirmed."""
    leg.set_peer(*far.address)
    leg.start()


def tone(hz: float, seconds: float, amplitude: int = 8000) -> bytes:
    n = int(8000 * seconds)
    return struct.pack(
        f"<{n}h", *(int(amplitude * math.sin(2 * math.pi * hz * i / 8000)) for i in range(n))
    )


def rms(pcm: bytes) -> float:
    samples = struct.unpack(f"<{len(pcm) // 2}h", pcm)
    return math.sqrt(sum(s * s for s in samples) / max(1, len(samples)))


def test_a_prompt_is_paced_at_20_ms_and_ends_once() -> None:
    async def scenario() -> None:
        media = MediaServer()
        media.start()
        far = await peer()
        leg = await media.open_leg(PCMU)
        connect(leg, far)
        done: list[float] = []
        sound = tone(440, 1.0)
        leg.play(Player(sound, on_done=lambda: done.append(media.now())))
        await asyncio.sleep(1.3)
        await media.stop()
        audio = [(t, p) for t, p in far.packets]
        payload = b"".join(p.payload for _, p in audio)
        assert g711.ulaw_encode(sound) in payload  # the prompt, whole, between silences
        assert len(done) == 1
        times = [t for t, _ in audio]
        span = times[-1] - times[0]
        assert abs(span - 0.02 * (len(times) - 1)) < 0.06  # no drift over the second
        seqs = [p.sequence for _, p in audio]
        assert all((b - a) % 65536 == 1 for a, b in itertools.pairwise(seqs))
        stamps = [p.timestamp for _, p in audio]
        assert all((b - a) % 2**32 == FRAME_SAMPLES for a, b in itertools.pairwise(stamps))

    asyncio.run(scenario())


def test_looped_music_goes_on_until_replaced() -> None:
    async def scenario() -> None:
        media = MediaServer()
        media.start()
        far = await peer()
        leg = await media.open_leg(PCMU)
        connect(leg, far)
        leg.play(Player(tone(300, 0.1), loop=True))
        await asyncio.sleep(0.5)
        leg.play(None)
        heard = len(far.packets)
        await asyncio.sleep(0.2)
        await media.stop()
        loud = [p for _, p in far.packets[:heard] if rms(g711.ulaw_decode(p.payload)) > 1000]
        quiet = [p for _, p in far.packets[heard + 2 :] if rms(g711.ulaw_decode(p.payload)) > 1000]
        assert len(loud) >= heard - 3
        assert not quiet

    asyncio.run(scenario())


def test_dtmf_end_packets_are_reported_once() -> None:
    async def scenario() -> None:
        media = MediaServer()
        far = await peer()
        leg = await media.open_leg(PCMU)
        connect(leg, far)
        digits: list[str] = []
        leg.on_dtmf = digits.append
        seq = 0

        def press(digit: str, ts: int, *, end_copies: int = 3, start: bool = True) -> None:
            nonlocal seq
            if start:
                for duration in (160, 320, 480):
                    seq += 1
                    payload = rtp.build_event(digit, end=False, duration=duration)
                    far.send(leg, rtp.RtpPacket(101, duration == 160, seq, ts, 7, payload))
            for _ in range(end_copies):
                seq += 1
                payload = rtp.build_event(digit, end=True, duration=640)
                far.send(leg, rtp.RtpPacket(101, False, seq, ts, 7, payload))

        press("5", 1000)
        press("5", 3000)  # the same key again: a new event (new timestamp)
        press("#", 5000, end_copies=0)  # its end packets are lost …
        press("1", 7000)  # … so it is reported when the next key starts
        press("9", 9000, start=False)
        await asyncio.sleep(0.2)
        await media.stop()
        assert digits == ["5", "5", "#", "1", "9"]

    asyncio.run(scenario())


def test_bridge_relays_both_ways_and_records_two_channels(tmp_path: Path) -> None:
    async def scenario() -> None:
        media = MediaServer()
        media.start()
        caller, agent = await peer(), await peer()
        a, b = await media.open_leg(PCMU), await media.open_leg(PCMU)
        connect(a, caller)
        connect(b, agent)
        recording = tmp_path / "call.wav"
        Bridge(a, b, Recorder(recording))
        low, high = tone(400, 1.0), tone(1000, 1.0, 12000)
        loop = asyncio.get_running_loop()
        start = loop.time()
        for i in range(50):
            await asyncio.sleep(max(0.0, start + i * 0.02 - loop.time()))
            frame = slice(i * 320, (i + 1) * 320)
            caller.send(a, rtp.RtpPacket(0, False, i, i * 160, 1, g711.ulaw_encode(low[frame])))
            agent.send(b, rtp.RtpPacket(0, False, i, i * 160, 2, g711.ulaw_encode(high[frame])))
        await asyncio.sleep(0.2)
        assert a.bridge is not None
        a.bridge.close()
        await media.stop()
        to_agent = b"".join(g711.ulaw_decode(p.payload) for _, p in agent.packets)
        to_caller = b"".join(g711.ulaw_decode(p.payload) for _, p in caller.packets)
        assert rms(to_agent) > 4000
        assert rms(to_caller) > 6000
        with wave.open(str(recording), "rb") as w:
            assert (w.getnchannels(), w.getframerate()) == (2, 8000)
            frames = w.readframes(w.getnframes())
        left = b"".join(frames[i : i + 2] for i in range(0, len(frames), 4))
        right = b"".join(frames[i + 2 : i + 4] for i in range(0, len(frames), 4))
        assert 4000 < rms(left) < 7000
        assert 6500 < rms(right) < 10000

    asyncio.run(scenario())


def test_silence_on_the_wire_times_out_and_garbage_is_ignored() -> None:
    async def scenario() -> None:
        media = MediaServer(rtp_timeout=0.3)
        media.start()
        far = await peer()
        leg = await media.open_leg(PCMU)
        connect(leg, far)
        timeouts: list[float] = []
        leg.on_timeout = lambda: timeouts.append(media.now())
        assert far.transport is not None
        for junk in (b"", b"\x80", b"\xff" * 50, b"\x80\x65" + bytes(10) + b"\x99"):
            far.transport.sendto(junk, ("127.0.0.1", leg.port))
        await asyncio.sleep(1.0)
        await media.stop()
        assert len(timeouts) == 1

    asyncio.run(scenario())


def test_hold_plays_music_to_the_caller_and_silence_to_the_agent() -> None:
    async def scenario() -> None:
        media = MediaServer()
        media.start()
        caller, agent = await peer(), await peer()
        a, b = await media.open_leg(PCMU), await media.open_leg(PCMU)
        connect(a, caller)
        connect(b, agent)
        bridge = Bridge(a, b, None)
        bridge.hold(Player(tone(500, 0.2), loop=True))
        loop = asyncio.get_running_loop()
        start = loop.time()
        voice = tone(1000, 0.5, 12000)
        for i in range(25):  # both keep talking while the caller is held
            await asyncio.sleep(max(0.0, start + i * 0.02 - loop.time()))
            frame = g711.ulaw_encode(voice[i * 320 : (i + 1) * 320])
            caller.send(a, rtp.RtpPacket(0, False, i, i * 160, 1, frame))
            agent.send(b, rtp.RtpPacket(0, False, i, i * 160, 2, frame))
        await asyncio.sleep(0.1)
        held_caller, held_agent = len(caller.packets), len(agent.packets)
        bridge.hold(None)
        for i in range(25, 50):
            await asyncio.sleep(max(0.0, start + i * 0.02 - loop.time()))
            frame = g711.ulaw_encode(voice[(i - 25) * 320 : (i - 24) * 320])
            agent.send(b, rtp.RtpPacket(0, False, i, i * 160, 2, frame))
        await asyncio.sleep(0.1)
        await media.stop()

        def level(packets: list[tuple[float, rtp.RtpPacket]]) -> float:
            return rms(b"".join(g711.ulaw_decode(p.payload) for _, p in packets))

        assert 4500 < level(caller.packets[2:held_caller]) < 7000  # the music (the agent: 8500)
        assert level(agent.packets[:held_agent]) < 100  # the agent hears nothing of the caller
        assert level(caller.packets[held_caller + 3 :]) > 6000  # retrieved: the agent again

    asyncio.run(scenario())


def test_a_peer_with_30_ms_packets_is_relayed_whole() -> None:
    async def scenario() -> None:
        media = MediaServer()
        media.start()
        caller, agent = await peer(), await peer()
        a, b = await media.open_leg(PCMU), await media.open_leg(PCMU)
        connect(a, caller)
        connect(b, agent)
        Bridge(a, b, None)
        voice = tone(400, 0.6)
        loop = asyncio.get_running_loop()
        start = loop.time()
        for i in range(20):  # 20 packets of 240 samples
            await asyncio.sleep(max(0.0, start + i * 0.03 - loop.time()))
            chunk = g711.ulaw_encode(voice[i * 480 : (i + 1) * 480])
            caller.send(a, rtp.RtpPacket(0, False, i, i * 240, 1, chunk))
        await asyncio.sleep(0.2)
        await media.stop()
        loud = [p for _, p in agent.packets if rms(g711.ulaw_decode(p.payload)) > 3000]
        assert len(loud) >= 28  # 0.6 s of voice is 30 frames of 20 ms; none cut off

    asyncio.run(scenario())


async def paced(send: Callable[[int], None], frames: int, start: float | None = None) -> None:
    """Call `send(i)` for i in 0…frames-1, one every 20 ms."""
    loop = asyncio.get_running_loop()
    start = loop.time() if start is None else start
    for i in range(frames):
        await asyncio.sleep(max(0.0, start + i * 0.02 - loop.time()))
        send(i)


def in_order(received: list[bytes], sent: list[bytes]) -> bool:
    """Each received frame is one that was sent, in the order sent (none altered)."""
    rest = iter(sent)
    return all(any(frame == s for s in rest) for frame in received)


def test_a_bridge_with_one_codec_relays_the_bytes_unchanged() -> None:
    async def scenario() -> None:
        media = MediaServer()
        media.start()
        caller, agent = await peer(), await peer()
        a, b = await media.open_leg(PCMU), await media.open_leg(PCMU)
        connect(a, caller)
        connect(b, agent)
        Bridge(a, b, None)
        rng = random.Random(6)
        sent = [bytes(range(160)), bytes(range(96, 256))]  # every code, 0x7F too (a
        sent += [rng.randbytes(160) for _ in range(23)]  # decode-encode makes it 0xFF)
        await paced(lambda i: caller.send(a, rtp.RtpPacket(0, False, i, i * 160, 1, sent[i])), 25)
        await asyncio.sleep(0.2)
        await media.stop()
        received = [p.payload for _, p in agent.packets if p.payload != QUIET[PCMU]]
        assert len(received) >= 20
        assert in_order(received, sent)

    asyncio.run(scenario())


def test_a_standing_backlog_drains_to_the_target_and_a_burst_of_jitter_costs_nothing() -> None:
    """A sender that stalled and then sent its backlog at once leaves 8 frames (160 ms)
    waiting; without catching up they would delay the rest of the call. The bridge
    skips one frame every half second until the backlog is down to `INBOX_TARGET`;
    frames arriving in pairs (20 ms of jitter) lose nothing."""

    async def scenario() -> None:
        media = MediaServer()
        media.start()
        caller, agent = await peer(), await peer()
        a, b = await media.open_leg(PCMU), await media.open_leg(PCMU)
        connect(a, caller)
        connect(b, agent)
        Bridge(a, b, None)
        sent = [i.to_bytes(2, "big") * 80 for i in range(400)]  # every frame different

        def send(i: int) -> None:
            caller.send(a, rtp.RtpPacket(0, False, i, i * 160, 1, sent[i]))

        for i in range(8):  # the backlog, at once
            send(i)
        depths: list[int] = []

        def steady(i: int) -> None:
            send(8 + i)
            depths.append(len(a.inbox))

        await paced(steady, 200)  # 4 s, one frame per 20 ms
        await asyncio.sleep(0.2)
        await media.stop()
        assert max(depths[:5]) >= 6  # the backlog stood at first …
        assert max(depths[-50:]) <= INBOX_TARGET + 1  # … and is gone after 3 s
        assert 3 <= a.skipped <= 6  # 20 ms at a time, no more than the backlog
        received = [p.payload for _, p in agent.packets if p.payload != QUIET[PCMU]]
        assert in_order(received, sent)

        # jitter: frames in pairs every 40 ms on a fresh bridge: nothing is skipped
        c, d = await media.open_leg(PCMU), await media.open_leg(PCMU)
        media.start()
        connect(c, caller)
        connect(d, agent)
        Bridge(c, d, None)

        def pairs(i: int) -> None:
            if i % 2 == 0:
                for k in (i, i + 1):
                    caller.send(c, rtp.RtpPacket(0, False, k, k * 160, 1, sent[k]))

        await paced(pairs, 150)
        await media.stop()
        assert c.skipped == 0

    asyncio.run(scenario())


def test_a_bridge_between_pcmu_and_pcma_converts_each_byte() -> None:
    async def scenario() -> None:
        media = MediaServer()
        media.start()
        caller, agent = await peer(), await peer()
        a, b = await media.open_leg(PCMU), await media.open_leg(PCMA)
        connect(a, caller)
        connect(b, agent)
        Bridge(a, b, None)
        low, high = tone(400, 0.5), tone(1000, 0.5, 12000)
        said = [g711.ulaw_encode(low[i * 320 : (i + 1) * 320]) for i in range(25)]
        answered = [g711.alaw_encode(high[i * 320 : (i + 1) * 320]) for i in range(25)]

        def both(i: int) -> None:
            caller.send(a, rtp.RtpPacket(PCMU, False, i, i * 160, 1, said[i]))
            agent.send(b, rtp.RtpPacket(PCMA, False, i, i * 160, 2, answered[i]))

        await paced(both, 25)
        await asyncio.sleep(0.2)
        await media.stop()
        assert {p.payload_type for _, p in agent.packets} == {PCMA}
        assert {p.payload_type for _, p in caller.packets} == {PCMU}
        to_agent = [p.payload for _, p in agent.packets if p.payload != QUIET[PCMA]]
        to_caller = [p.payload for _, p in caller.packets if p.payload != QUIET[PCMU]]
        assert len(to_agent) >= 20
        assert len(to_caller) >= 20
        assert in_order(to_agent, [g711.alaw_encode(g711.ulaw_decode(f)) for f in said])
        assert in_order(to_caller, [g711.ulaw_encode(g711.alaw_decode(f)) for f in answered])

    asyncio.run(scenario())


def test_a_leg_nobody_listens_to_keeps_no_audio_but_hears_keys_and_stays_alive() -> None:
    async def scenario() -> None:
        media = MediaServer(rtp_timeout=0.3)
        media.start()
        far = await peer()
        leg = await media.open_leg(PCMU)
        connect(leg, far)
        digits: list[str] = []
        timeouts: list[float] = []
        leg.on_dtmf = digits.append
        leg.on_timeout = lambda: timeouts.append(media.now())
        voice = g711.ulaw_encode(tone(400, 0.02))
        kept: list[int] = []

        def talk(i: int) -> None:
            if i == 20:
                payload = rtp.build_event("7", end=True, duration=640)
                far.send(leg, rtp.RtpPacket(101, False, 1000 + i, 5000, 1, payload))
            far.send(leg, rtp.RtpPacket(PCMU, False, i, i * 160, 1, voice))
            kept.append(len(leg.inbox))

        await paced(talk, 40)  # 0.8 s of voice, longer than the RTP timeout
        await asyncio.sleep(0.05)
        heard, alive = leg.received, not timeouts
        await asyncio.sleep(1.0)  # then nothing: the timeout comes
        await media.stop()
        assert heard == 41  # every packet counted as arrived …
        assert not any(kept)
        assert not leg.inbox
        assert digits == ["7"]
        assert alive
        assert len(timeouts) == 1

    asyncio.run(scenario())


def test_music_is_encoded_once_and_each_leg_keeps_its_own_place() -> None:
    async def scenario() -> None:
        rng = random.Random(7)
        pcm = struct.pack("<1600h", *(rng.randrange(-8000, 8000) for _ in range(1600)))
        music = Sound(pcm)  # 10 frames, all different
        frames = music.frames(PCMU)
        assert len(frames) == 10
        assert len(set(frames)) == 10
        assert music.frames(PCMU) is frames  # encoded once, the same frames for every leg
        assert music.frames(PCMA)[3] == g711.alaw_encode(pcm[3 * 320 : 4 * 320])
        media = MediaServer()
        media.start()
        peers = [await peer() for _ in range(3)]
        legs = [await media.open_leg(PCMU), await media.open_leg(PCMU), await media.open_leg(PCMA)]
        for leg, far in zip(legs, peers, strict=True):
            connect(leg, far)
        players = [Player(music, loop=True) for _ in legs]
        assert all(player.sound is music for player in players)
        legs[0].play(players[0])
        await asyncio.sleep(0.25)
        legs[1].play(players[1])
        legs[2].play(players[2])
        await asyncio.sleep(0.5)
        await media.stop()

        def places(far: Peer, codec: int) -> list[int]:
            own = music.frames(codec)
            return [own.index(p.payload) for _, p in far.packets if p.payload != QUIET[codec]]

        first, second, third = (
            places(peers[0], PCMU),
            places(peers[1], PCMU),
            places(peers[2], PCMA),
        )
        for heard in (first, second, third):  # from the start, in order, looped
            assert heard[0] == 0
            assert all((b - a) % 10 == 1 for a, b in itertools.pairwise(heard))
        assert len(first) >= len(second) + 8  # the first leg was 0.25 s ahead

    asyncio.run(scenario())


def test_the_catalogue_gives_every_call_the_same_sound(tmp_path: Path) -> None:
    with wave.open(str(tmp_path / "welcome.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(tone(440, 0.5))
    prompts = PromptCatalogue(tmp_path, {"menu": 0.4})
    welcome = prompts.get("welcome")
    assert prompts.get("welcome") is welcome
    assert welcome.frames(PCMU) is prompts.get("welcome").frames(PCMU)
    assert welcome.frames(PCMU)[0] == g711.ulaw_encode(tone(440, 0.02))
    menu = prompts.get("menu")  # no file: silence of the declared length
    assert prompts.get("menu") is menu
    assert menu.frames(PCMA) == (QUIET[PCMA],) * 20


def test_a_leg_latches_to_its_peer_and_drops_every_other_source(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Strict RTP. The SDP names 127.0.0.2:P; a host at 127.0.0.3 sends a key first (not
    heard), the peer sends from 127.0.0.2 but another port (a NAT's mapping): the leg
    latches to it and sends there from then on (symmetric RTP), and a second socket
    on the peer's host is not heard either. One warning line for all the drops."""

    async def scenario() -> None:
        media = MediaServer()
        media.start()
        offered, peer_socket = await peer("127.0.0.2"), await peer("127.0.0.2")
        stranger = await peer("127.0.0.3")
        leg = await media.open_leg(PCMU)
        leg.set_peer(*offered.address)
        leg.start()
        digits: list[str] = []
        leg.on_dtmf = digits.append

        def key(far: Peer, digit: str, ts: int) -> None:
            payload = rtp.build_event(digit, end=True, duration=640)
            for seq in range(3):
                far.send(leg, rtp.RtpPacket(101, False, ts + seq, ts, 9, payload))

        key(stranger, "4", 1000)
        await asyncio.sleep(0.1)
        assert leg.remote == offered.address  # not latched: frames go to the SDP's address
        key(peer_socket, "1", 2000)
        await asyncio.sleep(0.1)
        assert leg.remote == peer_socket.address
        key(stranger, "4", 3000)
        key(offered, "4", 4000)  # the peer's host, not the latched port
        await asyncio.sleep(0.2)
        sent_to_offer = len(offered.packets)
        await asyncio.sleep(0.2)
        await media.stop()
        assert digits == ["1"]
        assert leg.dropped == media.dropped_packets == 9
        assert len(offered.packets) == sent_to_offer  # nothing more since the latch
        assert len(peer_socket.packets) > 10
        assert not stranger.packets
        lines = [r for r in caplog.records if r.name == "hotline.sip.media"]
        assert len(lines) == 1
        assert "127.0.0.3" in lines[0].getMessage()

    asyncio.run(scenario())


def test_a_leg_sends_nothing_before_start_and_its_prompt_waits() -> None:
    """A confirmed dialog first: before `start` nothing is sent, the RTP timeout does not
    run and the prompt keeps its place; at `start` it plays from its first frame."""

    async def scenario() -> None:
        media = MediaServer(rtp_timeout=0.2)
        media.start()
        far = await peer()
        leg = await media.open_leg(PCMU)
        leg.set_peer(*far.address)
        sound = Sound(tone(440, 0.4))
        done: list[float] = []
        timeouts: list[float] = []
        leg.on_timeout = lambda: timeouts.append(media.now())
        leg.play(Player(sound, on_done=lambda: done.append(media.now())))
        await asyncio.sleep(0.6)
        assert not far.packets
        assert not done
        assert not timeouts
        started = media.now()
        leg.start()
        await asyncio.sleep(0.6)
        await media.stop()
        played = [p.payload for _, p in far.packets if p.payload != QUIET[PCMU]]
        assert played == list(sound.frames(PCMU))
        assert len(done) == 1
        assert done[0] - started >= 0.35
        assert timeouts  # once started, silence on the wire times out as before

    asyncio.run(scenario())


def test_a_peer_must_be_an_ip_literal_of_the_legs_family() -> None:
    async def scenario() -> None:
        media = MediaServer()
        leg = await media.open_leg(PCMU)
        for address in ("localhost", "example.com", "::1", "fe80::1%lo", "1.2.3"):
            with pytest.raises(MediaError):
                leg.set_peer(address, 4000)
        leg.set_peer("127.0.0.1", 4000)
        assert leg.remote == ("127.0.0.1", 4000)
        leg.set_peer("0.0.0.0", 4000)  # the old way to hold: send nothing
        assert leg.remote is None
        await media.stop()

    asyncio.run(scenario())
