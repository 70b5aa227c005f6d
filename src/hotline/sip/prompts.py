"""The sounds the SIP switch plays: prompt WAVs by name, synthesized with espeak-ng, and hold music.

A hotline's prompts live as ``<name>.wav`` (16-bit 8 kHz mono) in one folder.
`synthesize` makes the missing ones from the flows' prompt texts with espeak-ng
(Mandarin voice for Chinese text, English otherwise) and sox; a ``{field}`` of a
template is read as its name, since the switch plays a prompt by name only.
A prompt without a file plays as silence for its declared duration, so a flow's
timing stays what its author wrote.
"""

from __future__ import annotations

import logging
import math
import shutil
import struct
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from hotline.sip.media import RATE, MediaError, Sound, read_wav

log = logging.getLogger(__name__)


class PromptCatalogue:
    """Prompt name → `Sound`, read once from `directory` (so its frames are encoded once
    per codec and shared by every call); silence of the declared length (`seconds`,
    else `default_seconds`) for a name without a file."""

    def __init__(
        self,
        directory: Path | None,
        seconds: Mapping[str, float],
        default_seconds: float = 3.0,
    ) -> None:
        self.directory = directory
        self._seconds = dict(seconds)
        self._default = default_seconds
        self._cache: dict[str, Sound] = {}
        self.missing: set[str] = set()

    def get(self, name: str) -> Sound:
        sound = self._cache.get(name)
        if sound is not None:
            return sound
        file = self.directory / f"{name}.wav" if self.directory is not None else None
        if file is not None and file.is_file():
            pcm = read_wav(file)
        else:
            if name not in self.missing:
                log.warning("no recording for prompt %r: it plays as silence", name)
            self.missing.add(name)
            pcm = bytes(2 * int(RATE * self._seconds.get(name, self._default)))
        sound = self._cache[name] = Sound(pcm)
        return sound


def hold_music(seconds: float = 8.0) -> bytes:
    """A soft, looping arpeggio (C major, then A minor) as 16-bit 8 kHz PCM."""
    notes = (261.63, 329.63, 392.0, 523.25, 220.0, 261.63, 329.63, 440.0)
    per_note = seconds / len(notes)
    samples: list[int] = []
    n = int(RATE * per_note)
    for hz in notes:
        for i in range(n):
            envelope = min(1.0, i / 400, (n - i) / 400)
            samples.append(int(3000 * envelope * math.sin(2 * math.pi * hz * i / RATE)))
    return struct.pack(f"<{len(samples)}h", *samples)


def _speakable(text: str) -> str:
    return text.replace("{", "").replace("}", "")


def _voice(text: str) -> str:
    return "cmn" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"


def synthesize(texts: Mapping[str, str], directory: Path, *, overwrite: bool = False) -> list[str]:
    """Write ``<name>.wav`` for every prompt text missing from `directory` (all with
    `overwrite`); returns the names written. Raises `MediaError` without espeak-ng or sox."""
    espeak, sox = shutil.which("espeak-ng"), shutil.which("sox")
    if espeak is None or sox is None:
        raise MediaError("synthesizing prompts needs espeak-ng and sox (scripts/system-deps.sh)")
    directory.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in sorted(texts.items()):
            target = directory / f"{name}.wav"
            if target.exists() and not overwrite:
                continue
            raw = Path(tmp) / f"{name}.wav"
            speech = _speakable(text)
            try:
                subprocess.run(
                    [espeak, "-v", _voice(speech), "-s", "175", "-w", str(raw), speech],
                    check=True,
                    capture_output=True,
                    timeout=60,
                )
                subprocess.run(
                    [
                        sox,
                        str(raw),
                        "-r",
                        str(RATE),
                        "-c",
                        "1",
                        "-b",
                        "16",
                        "-e",
                        "signed",
                        str(target),
                    ],
                    check=True,
                    capture_output=True,
                    timeout=60,
                )
            except (OSError, subprocess.SubprocessError) as e:
                raise MediaError(f"cannot synthesize prompt {name!r}: {e}") from e
            written.append(name)
    return written
