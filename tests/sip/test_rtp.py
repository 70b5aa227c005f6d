"""RTP and telephone-event parsing: round trips, and bad input never raises."""

import random

from hotline.sip import rtp


def test_round_trip() -> None:
    packet = rtp.RtpPacket(0, True, 65535, 2**32 - 1, 12345, b"\xff" * 160)
    assert rtp.parse(rtp.build(packet)) == packet


def test_csrc_extension_and_padding_are_skipped() -> None:
    header = bytes([0x80 | 0x20 | 0x10 | 1, 8]) + (7).to_bytes(2, "big") + bytes(8)
    data = header + bytes(4) + b"\x00\x00\x00\x01" + bytes(4) + b"abc" + b"\x00\x00\x03"
    packet = rtp.parse(data)
    assert packet is not None
    assert (packet.payload_type, packet.sequence, packet.payload) == (8, 7, b"abc")


def test_events() -> None:
    event = rtp.parse_event(rtp.build_event("#", end=True, duration=800))
    assert event == rtp.TelephoneEvent("#", True, 10, 800)
    assert rtp.parse_event(bytes([200, 0x80, 0, 1])) == rtp.TelephoneEvent(None, True, 0, 1)
    assert rtp.parse_event(b"\x01") is None


def test_garbage_never_raises() -> None:
    rng = random.Random(6)
    for size in range(40):
        for _ in range(200):
            data = rng.randbytes(size)
            packet = rtp.parse(data)
            if packet is not None:
                rtp.parse_event(packet.payload)
    assert rtp.parse(bytes([0x40] + [0] * 11)) is None  # version 1
    assert rtp.parse(bytes([0xA0] + [0] * 11)) is None  # padding with no payload
