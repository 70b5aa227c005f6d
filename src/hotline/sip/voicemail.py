"""A caller's voicemail on a real call: the leg's audio into a mono WAV until it ends.

`MessageRecorder` is one `Switch.record` in progress on `SipSwitch`: it writes what the
caller's leg hears (16-bit 8 kHz mono PCM, as it arrives) into
``<recordings>/<call>-voicemail.wav`` and ends at the terminator key, after
`silence_timeout` seconds without voice (on the engine's clock, from the start and
from the last voiced frame), at `max_seconds`, or when the caller hangs up. Voice is a
20 ms frame whose RMS is above `VOICE_RMS` (about −36 dBFS: a line's hiss stays
below it, speech and tones are far above). A recording given up (`discard`) leaves no
file.
"""

from __future__ import annotations

import contextlib
import math
import struct
import wave
from array import array
from collections.abc import Callable
from pathlib import Path

from hotline.core.clock import Clock, TimerHandle
from hotline.sip.media import RATE
from hotline.telephony.port import RecordedMessage

VOICE_RMS = 500.0
"""A frame louder than this (RMS of 16-bit samples) is voice and restarts the silence."""


def beep(seconds: float = 0.4, frequency: float = 1000.0) -> bytes:
    """The tone after which the caller speaks: PCM, 16-bit 8 kHz mono."""
    count = int(seconds * RATE)
    samples = (int(8000 * math.sin(2 * math.pi * frequency * n / RATE)) for n in range(count))
    return struct.pack(f"<{count}h", *samples)


def rms(pcm: bytes) -> float:
    """The RMS of 16-bit little-endian samples (0 for none)."""
    samples = array("h")
    samples.frombytes(pcm[: len(pcm) - len(pcm) % 2])
    if not samples:
        return 0.0
    return math.sqrt(sum(x * x for x in samples) / len(samples))


class MessageRecorder:
    """One voicemail being recorded; `on_end(ended_by)` runs once when it ends by itself
    (terminator, silence, max), never after `finish` or `discard`."""

    def __init__(
        self,
        clock: Clock,
        path: Path | None,
        *,
        max_seconds: float,
        silence_timeout: float,
        terminator: str | None,
        on_end: Callable[[str], None],
    ) -> None:
        """`path` None: only the length is measured (no recordings folder)."""
        self._clock = clock
        self.path = path
        self.terminator = terminator
        self._silence = silence_timeout
        self._on_end = on_end
        self._samples = 0
        self._wav: wave.Wave_write | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._wav = wave.open(str(path), "wb")  # noqa: SIM115 (closed by finish/discard)
            self._wav.setnchannels(1)
            self._wav.setsampwidth(2)
            self._wav.setframerate(RATE)
        self.over = False
        self._last_voice = clock.now()
        self._max: TimerHandle | None = clock.call_later(max_seconds, self._ended, "max")
        self._quiet: TimerHandle | None = clock.call_later(silence_timeout, self._check_silence)

    @property
    def seconds(self) -> float:
        return round(self._samples / RATE, 2)

    def audio(self, pcm: bytes) -> None:
        """A frame of what the caller said (PCM)."""
        if self.over:
            return
        self._samples += len(pcm) // 2
        if self._wav is not None:
            self._wav.writeframes(pcm)
        if rms(pcm) > VOICE_RMS:
            self._last_voice = self._clock.now()

    def key(self, digit: str) -> None:
        if not self.over and digit == self.terminator:
            self._ended("terminator")

    def finish(self, ended_by: str) -> RecordedMessage:
        """End it now and keep the file: the `RecordedMessage` for `on_done`."""
        self._stop()
        name = self.path.name if self.path is not None else None
        return RecordedMessage(name, self.seconds, ended_by)

    def discard(self) -> None:
        """End it now without a message: the file is removed."""
        self._stop()
        if self.path is not None:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()

    def _stop(self) -> None:
        self.over = True
        self._clock.cancel(self._max)
        self._clock.cancel(self._quiet)
        self._max = self._quiet = None
        if self._wav is not None:
            self._wav.close()
            self._wav = None

    def _check_silence(self) -> None:
        if self.over:
            return
        quiet_for = self._clock.now() - self._last_voice
        if quiet_for >= self._silence:
            self._ended("silence")
        else:
            self._quiet = self._clock.call_later(self._silence - quiet_for, self._check_silence)

    def _ended(self, ended_by: str) -> None:
        if not self.over:
            self._on_end(ended_by)
