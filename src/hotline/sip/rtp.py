"""RTP packets (RFC 3550) and telephone-events (RFC 4733); parsing never raises on bad input."""

from __future__ import annotations

import struct
from dataclasses import dataclass

HEADER = struct.Struct("!BBHII")
EVENT = struct.Struct("!BBH")
DTMF_EVENTS = "0123456789*#ABCD"
"""RFC 4733 event codes 0–15, in order."""


@dataclass(frozen=True, slots=True)
class RtpPacket:
    payload_type: int
    marker: bool
    sequence: int
    timestamp: int
    ssrc: int
    payload: bytes


@dataclass(frozen=True, slots=True)
class TelephoneEvent:
    """One RFC 4733 payload: `digit` is None for events that are not DTMF keys."""

    digit: str | None
    end: bool
    volume: int
    duration: int


def parse(data: bytes) -> RtpPacket | None:
    """The packet in `data`, or None when it is not a well-formed RTP version 2 packet."""
    if len(data) < HEADER.size:
        return None
    first, second, sequence, timestamp, ssrc = HEADER.unpack_from(data)
    if first >> 6 != 2:
        return None
    start = HEADER.size + 4 * (first & 0x0F)
    if first & 0x10:  # header extension: 4 bytes, then `length` words
        if len(data) < start + 4:
            return None
        (words,) = struct.unpack_from("!H", data, start + 2)
        start += 4 + 4 * words
    end = len(data)
    if first & 0x20:  # padding: the last byte counts the padding bytes
        if end <= start:
            return None
        end -= data[-1]
    if end < start:
        return None
    return RtpPacket(second & 0x7F, bool(second & 0x80), sequence, timestamp, ssrc, data[start:end])


def build(packet: RtpPacket) -> bytes:
    """The wire form of `packet` (no CSRC, extension or padding)."""
    second = (0x80 if packet.marker else 0) | (packet.payload_type & 0x7F)
    header = HEADER.pack(
        0x80,
        second,
        packet.sequence & 0xFFFF,
        packet.timestamp & 0xFFFFFFFF,
        packet.ssrc & 0xFFFFFFFF,
    )
    return header + packet.payload


def parse_event(payload: bytes) -> TelephoneEvent | None:
    """The telephone-event in an RTP payload, or None when it is too short."""
    if len(payload) < EVENT.size:
        return None
    code, flags, duration = EVENT.unpack_from(payload)
    digit = DTMF_EVENTS[code] if code < len(DTMF_EVENTS) else None
    return TelephoneEvent(digit, bool(flags & 0x80), flags & 0x3F, duration)


def build_event(digit: str, *, end: bool, duration: int, volume: int = 10) -> bytes:
    """An RFC 4733 payload for a DTMF key."""
    return EVENT.pack(DTMF_EVENTS.index(digit), (0x80 if end else 0) | (volume & 0x3F), duration)
