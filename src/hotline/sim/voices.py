"""Synthesized conversations for the demo's recordings: speech-like turns, no real voices.

The demo's simulated switch carries no audio, so the back office writes each answered
call a short two-channel WAV (left the caller, right the agent, as the SIP switch
records): turns of syllable-like tone bursts with pauses, 8 kHz 8-bit PCM (what a
G.711 line carries), built with the standard library from a few bursts synthesized
once, so a call's file costs a concatenation, not a synthesis.
"""

from __future__ import annotations

import math
import random
import wave
from pathlib import Path

RATE = 8000
SILENCE = 128  # 8-bit PCM is unsigned: 128 is zero


def _burst(pitch: float, seconds: float) -> bytes:
    """One syllable: a voiced tone with two harmonics under a smooth envelope."""
    n = int(RATE * seconds)
    out = bytearray(n)
    for i in range(n):
        t = i / RATE
        envelope = math.sin(math.pi * i / n) ** 2
        value = (
            math.sin(2 * math.pi * pitch * t)
            + 0.5 * math.sin(4 * math.pi * pitch * t)
            + 0.25 * math.sin(6 * math.pi * pitch * t)
        )
        out[i] = SILENCE + round(60 * envelope * value / 1.75)
    return bytes(out)


class Voices:
    """Two voices (the caller's lower, the agent's higher), a few syllables each."""

    def __init__(self) -> None:
        self._caller = [_burst(p, s) for p, s in ((140, 0.18), (155, 0.22), (125, 0.16))]
        self._agent = [_burst(p, s) for p, s in ((220, 0.17), (240, 0.2), (205, 0.15))]

    def conversation(
        self,
        rng: random.Random,
        seconds: float,
        turns: list[tuple[str, float, float]] | None = None,
    ) -> tuple[bytes, bytes]:
        """The caller's and the agent's channels, `seconds` long, turn by turn (the agent
        greets first); `turns`, when given, gets each turn as (``agent`` or ``caller``,
        start, end) in seconds (the draws from `rng` are the same either way)."""
        total = int(RATE * seconds)
        left, right = bytearray(), bytearray()
        speaker = 1  # the agent
        while len(left) < total:
            turn = bytearray()
            for _ in range(rng.randint(4, 12)):
                syllables = self._agent if speaker else self._caller
                turn += rng.choice(syllables)
                turn += bytes([SILENCE]) * int(RATE * rng.uniform(0.02, 0.08))
            quiet = bytes([SILENCE]) * len(turn)
            if turns is not None and len(left) < total:
                start = len(left) / RATE
                end = min(total, len(left) + len(turn)) / RATE
                turns.append(("agent" if speaker else "caller", start, end))
            left += quiet if speaker else turn
            right += turn if speaker else quiet
            pause = bytes([SILENCE]) * int(RATE * rng.uniform(0.3, 0.9))
            left += pause
            right += pause
            speaker = 1 - speaker
        return bytes(left[:total]), bytes(right[:total])


def write_wav(path: Path, left: bytes, right: bytes) -> None:
    """A two-channel 8 kHz 8-bit WAV file of the two channels (the same length)."""
    frames = bytearray(2 * len(left))
    frames[0::2] = left
    frames[1::2] = right
    tmp = path.with_name(path.name + ".part")
    with wave.open(str(tmp), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(1)
        wav.setframerate(RATE)
        wav.writeframes(bytes(frames))
    tmp.replace(path)  # the recordings page never sees half a file
