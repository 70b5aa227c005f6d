"""Our G.711 tables against CPython's `audioop` (present up to 3.12) on every 16-bit sample."""

import struct
import warnings

import pytest

from hotline.sip import g711

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    audioop = pytest.importorskip("audioop")

EVERY_SAMPLE = struct.pack("<65536h", *range(-32768, 32768))
EVERY_CODE = bytes(range(256))


def test_ulaw_matches_the_reference_on_every_sample() -> None:
    assert g711.ulaw_encode(EVERY_SAMPLE) == audioop.lin2ulaw(EVERY_SAMPLE, 2)
    assert g711.ulaw_decode(EVERY_CODE) == audioop.ulaw2lin(EVERY_CODE, 2)


def test_alaw_matches_the_reference_on_every_sample() -> None:
    assert g711.alaw_encode(EVERY_SAMPLE) == audioop.lin2alaw(EVERY_SAMPLE, 2)
    assert g711.alaw_decode(EVERY_CODE) == audioop.alaw2lin(EVERY_CODE, 2)


def test_a_round_trip_stays_close() -> None:
    pcm = struct.pack("<5h", 0, 1000, -1000, 20000, -32768)
    for encode, decode in (
        (g711.ulaw_encode, g711.ulaw_decode),
        (g711.alaw_encode, g711.alaw_decode),
    ):
        back = struct.unpack("<5h", decode(encode(pcm)))
        for a, b in zip(struct.unpack("<5h", pcm), back, strict=True):
            assert abs(a - b) <= max(16, abs(a) // 16)


def test_converting_between_the_laws_is_decoding_then_encoding() -> None:
    assert g711.ulaw_to_alaw(EVERY_CODE) == g711.alaw_encode(g711.ulaw_decode(EVERY_CODE))
    assert g711.alaw_to_ulaw(EVERY_CODE) == g711.ulaw_encode(g711.alaw_decode(EVERY_CODE))
    assert g711.ulaw_decode(bytes([g711.ULAW_SILENCE])) == bytes(2)
    assert g711.alaw_decode(bytes([g711.ALAW_SILENCE])) == struct.pack("<h", 8)  # A-law has no 0
