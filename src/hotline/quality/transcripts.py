"""Transcripts of recorded conversations: the recognizer port, its adapters, and redaction.

A recording is one two-channel WAV (left the caller, right the agent; see
`hotline.live.recordings`). Hotline ships no speech model — the machines reach no model
hub and no package carries a Mandarin one — so the text comes from a center's own
recognizer, through one port (`Recognizer`) with two adapters:

- `SidecarRecognizer` reads what a center's ASR (cloud or vendor) wrote beside the
  recording as ``<recording-stem>.transcript.json``: a JSON list of
  ``{"start": s, "end": s, "channel": "caller" | "agent", "text": "…"}``, seconds from the
  start of the recording (other keys are ignored);
- `PluginRecognizer` loads a center's recognizer from ``package.module:factory``; the
  factory is called with the `RecognizerSettings` (its ``model`` directory among them) and
  returns an object with the port's ``transcribe``.

`redact` blanks personal numbers (phones, 身份证号, accounts) before a transcript is kept.
"""

from __future__ import annotations

import importlib
import json
import math
import re
import threading
import wave
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, get_args

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, model_validator

from hotline.core.errors import HotlineError

__all__ = [
    "REDACTED",
    "Channel",
    "NoTranscriptError",
    "PluginRecognizer",
    "Recognizer",
    "RecognizerError",
    "RecognizerSettings",
    "RecognizerTimeoutError",
    "Segment",
    "SidecarRecognizer",
    "TranscriptError",
    "build_recognizer",
    "read_channel",
    "redact",
    "redact_segments",
    "segments_from_json",
    "segments_to_json",
    "sidecar_path",
]

Channel = Literal["caller", "agent"]
CHANNELS: tuple[Channel, ...] = get_args(Channel)
SIDECAR_SUFFIX = ".transcript.json"


@dataclass(frozen=True, slots=True)
class Segment:
    """One stretch of speech on one channel: seconds from the start of the recording."""

    start: float
    end: float
    text: str
    channel: Channel


class Recognizer(Protocol):
    """Speech to text for one channel of a recording.

    `transcribe` returns that channel's segments in order of `start`, each with
    ``0 <= start <= end`` and ``channel`` the one asked for; silence is an empty list.
    Raises `RecognizerError` (or a subclass) when there is no text to be had.
    """

    def transcribe(self, path: Path, channel: Channel) -> list[Segment]: ...


class RecognizerError(HotlineError):
    """A recognizer could not be loaded or gave no usable text."""

    error_id = "recognizer-failed"


class TranscriptError(RecognizerError):
    """A transcript (sidecar file or plugin output) is malformed; the message names the
    source and each bad item by index."""

    error_id = "invalid-transcript"


class NoTranscriptError(RecognizerError):
    """The recording has no sidecar transcript (yet)."""

    error_id = "no-transcript"


class RecognizerTimeoutError(RecognizerError):
    """A plugin recognizer took longer than ``timeout_s``."""

    error_id = "recognizer-timeout"


class RecognizerSettings(BaseModel):
    """Which recognizer a site uses (the lead embeds it in ``qa.yaml``'s ``speech:``).

    ``none``: no transcripts; ``sidecar``: read ``<stem>.transcript.json`` beside each
    recording; ``plugin``: call ``factory`` (``package.module:factory``) with these settings
    and use what it returns; ``model`` is the plugin's model directory, ``timeout_s`` the
    longest one channel may take.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["none", "sidecar", "plugin"] = "none"
    factory: str | None = Field(default=None, pattern=r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")
    model: str = ""
    timeout_s: float = Field(default=600.0, gt=0, le=86_400)

    @model_validator(mode="after")
    def _plugin_has_factory(self) -> RecognizerSettings:
        if self.kind == "plugin" and self.factory is None:
            raise ValueError("kind: plugin needs factory: package.module:factory")
        return self


def build_recognizer(settings: RecognizerSettings) -> Recognizer | None:
    """The recognizer `settings` describe, None for ``kind: none``; a plugin is loaded
    (and its factory called) now, so a wrong path fails at start-up, not at the first call."""
    if settings.kind == "sidecar":
        return SidecarRecognizer()
    if settings.kind == "plugin":
        return PluginRecognizer(settings)
    return None


# --- sidecar files ---------------------------------------------------------------------


def sidecar_path(recording: Path) -> Path:
    """Where the transcript of `recording` lies: ``c1-1001.wav`` → ``c1-1001.transcript.json``."""
    return recording.with_name(recording.stem + SIDECAR_SUFFIX)


def segments_from_json(data: Any, *, source: str) -> list[Segment]:
    """The segments in parsed JSON `data` (a list of ``{start, end, channel, text}``),
    ordered by start; raises `TranscriptError` naming `source` and every bad item."""
    if not isinstance(data, list):
        raise TranscriptError(
            f"{source}: a transcript is a JSON list of segments, not {type(data).__name__}",
            source=source,
        )
    problems: list[str] = []
    segments: list[Segment] = []
    for index, item in enumerate(data):
        problem, segment = _segment(item)
        if segment is None:
            problems.append(f"{source}: item {index}: {problem}")
        else:
            segments.append(segment)
    if problems:
        raise TranscriptError("\n".join(problems), source=source, problems=problems)
    segments.sort(key=lambda s: (s.start, s.end))
    return segments


def _segment(item: Any) -> tuple[str, Segment | None]:
    """One item as a segment, or why it is not one."""
    if isinstance(item, Segment):
        item = {"start": item.start, "end": item.end, "channel": item.channel, "text": item.text}
    if not isinstance(item, Mapping):
        return f"a segment is an object, not {type(item).__name__}", None
    missing = [key for key in ("start", "end", "channel", "text") if key not in item]
    if missing:
        return f"missing {', '.join(missing)}", None
    start, end, channel, text = item["start"], item["end"], item["channel"], item["text"]
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"{name} is {value!r}, not a number of seconds", None
        if not math.isfinite(value) or value < 0:
            return f"{name} is {value!r}, not a time from the start of the recording", None
    if end < start:
        return f"end {end} is before start {start}", None
    if channel not in CHANNELS:
        return f"channel is {channel!r}, not caller or agent", None
    if not isinstance(text, str):
        return f"text is {type(text).__name__}, not a string", None
    return "", Segment(float(start), float(end), text, channel)


def segments_to_json(segments: Iterable[Segment]) -> list[dict[str, Any]]:
    """The sidecar form of `segments` (``json.dumps(..., ensure_ascii=False)`` to write)."""
    return [
        {"start": s.start, "end": s.end, "channel": s.channel, "text": s.text} for s in segments
    ]


class SidecarRecognizer:
    """Reads the transcript a center's own ASR wrote beside the recording."""

    def transcribe(self, path: Path, channel: Channel) -> list[Segment]:
        """The `channel`'s segments of ``<stem>.transcript.json``; raises
        `NoTranscriptError` when there is none, `TranscriptError` when it is malformed."""
        sidecar = sidecar_path(path)
        try:
            raw = sidecar.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise NoTranscriptError(
                f"{sidecar}: no transcript beside the recording", path=str(sidecar)
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise TranscriptError(f"{sidecar}: unreadable: {exc}", source=str(sidecar)) from exc
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise TranscriptError(
                f"{sidecar}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}", source=str(sidecar)
            ) from exc
        return [s for s in segments_from_json(data, source=str(sidecar)) if s.channel == channel]


# --- plugins ---------------------------------------------------------------------------


def _load_factory(spec: str) -> Callable[[RecognizerSettings], object]:
    """The callable that ``package.module:name`` (``name`` may be dotted) names."""
    module_name, _, attribute = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise RecognizerError(
            f"recognizer factory {spec}: module {module_name} cannot be imported ({exc})",
            factory=spec,
        ) from exc
    target: object = module
    for part in attribute.split("."):
        if not hasattr(target, part):
            raise RecognizerError(
                f"recognizer factory {spec}: {module_name} has no {attribute}", factory=spec
            )
        target = getattr(target, part)
    if not callable(target):
        raise RecognizerError(f"recognizer factory {spec} is not callable", factory=spec)
    return target


class PluginRecognizer:
    """A center's own recognizer, from ``settings.factory`` called with `settings`.

    Each `transcribe` runs on its own daemon thread and is abandoned (not stopped: Python
    cannot stop a thread) after ``timeout_s``; what it returns is checked like a sidecar.
    """

    def __init__(self, settings: RecognizerSettings) -> None:
        if settings.factory is None:
            raise RecognizerError("a plugin recognizer needs factory: package.module:factory")
        self.settings = settings
        factory = _load_factory(settings.factory)
        try:
            engine = factory(settings)
        except Exception as exc:  # the plugin's own failure, reported as ours with its cause
            raise RecognizerError(
                f"recognizer factory {settings.factory} failed: {exc!r}", factory=settings.factory
            ) from exc
        transcribe = getattr(engine, "transcribe", None)
        if not callable(transcribe):
            raise RecognizerError(
                f"recognizer factory {settings.factory} returned "
                f"{type(engine).__name__}, which has no transcribe(path, "
                "channel)",
                factory=settings.factory,
            )
        self._transcribe: Callable[[Path, Channel], object] = transcribe

    def transcribe(self, path: Path, channel: Channel) -> list[Segment]:
        """The plugin's segments for `channel`, checked and ordered; raises
        `RecognizerTimeoutError`, `TranscriptError` for malformed output, `RecognizerError`
        for anything the plugin raised."""
        outcome: list[object] = []
        failure: list[BaseException] = []

        def work() -> None:
            try:
                outcome.append(self._transcribe(path, channel))
            except Exception as exc:  # handed to the waiting caller below
                failure.append(exc)

        worker = threading.Thread(target=work, name=f"recognizer {path.name}", daemon=True)
        worker.start()
        worker.join(self.settings.timeout_s)
        source = f"{self.settings.factory} on {path.name} ({channel})"
        if worker.is_alive():
            raise RecognizerTimeoutError(
                f"{source}: no result after {self.settings.timeout_s:g} s",
                path=str(path),
                channel=channel,
            )
        if failure:
            raise RecognizerError(f"{source}: {failure[0]!r}", path=str(path)) from failure[0]
        result = outcome[0]
        if isinstance(result, str | bytes) or not isinstance(result, Iterable):
            raise TranscriptError(
                f"{source}: returned {type(result).__name__}, not a list of segments", source=source
            )
        segments = segments_from_json(list(result), source=source)
        others = sorted({s.channel for s in segments if s.channel != channel})
        if others:
            raise TranscriptError(
                f"{source}: returned segments of the {', '.join(others)} channel", source=source
            )
        return segments


def read_channel(
    path: Path, channel: Channel, *, rate: int | None = None
) -> tuple[int, NDArray[np.float32]]:
    """One channel of a two-channel PCM WAV as float32 samples in [-1, 1], for plugins.

    With `rate`, the samples are resampled to it by linear interpolation (8 kHz to the
    16 kHz most models expect). Returns ``(rate, samples)``; raises `RecognizerError` for
    a file that is not two-channel 8/16/32-bit PCM.
    """
    try:
        with wave.open(str(path), "rb") as wav:
            channels, width, frames_per_s = (
                wav.getnchannels(),
                wav.getsampwidth(),
                wav.getframerate(),
            )
            raw = wav.readframes(wav.getnframes())
    except (OSError, EOFError, wave.Error) as exc:
        raise RecognizerError(f"{path}: not a readable WAV file ({exc})", path=str(path)) from exc
    if channels != 2 or width not in (1, 2, 4):
        raise RecognizerError(
            f"{path}: {channels} channel(s) of {8 * width}-bit samples; a "
            "recording is two channels of 8/16/32-bit PCM",
            path=str(path),
        )
    if width == 1:
        ints = np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0
    else:
        ints = np.frombuffer(raw, dtype=np.dtype(f"<i{width}")).astype(np.float32)
    full = float(2 ** (8 * width - 1))
    samples = (ints.reshape(-1, 2)[:, CHANNELS.index(channel)] / full).astype(np.float32)
    if rate is None or rate == frames_per_s or samples.size == 0:
        return (rate or frames_per_s), samples
    count = max(1, round(samples.size * rate / frames_per_s))
    at = np.arange(count, dtype=np.float64) * frames_per_s / rate
    resampled = np.interp(at, np.arange(samples.size), samples).astype(np.float32)
    return rate, resampled


# --- redaction -------------------------------------------------------------------------

_DIGIT = "0-9０-９零〇一二三四五六七八九幺"
_SEPARATOR = " \u3000\\-－—–"
_RUN = re.compile(f"[{_DIGIT}](?:[{_SEPARATOR}]*[{_DIGIT}])*(?:[Xx](?![A-Za-z]))?")
_GROUP = re.compile(f"[{_DIGIT}]+")
_VALUE = {c: i for i, c in enumerate("0123456789")} | {
    c: i for i, c in enumerate("０１２３４５６７８９")
}
_VALUE |= {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "幺": 1}
_UNIT_AFTER = re.compile(r"^[ \u3000]*(?:[元块角年月日度万亿千百个次%％]|[.．][0-9０-９])")
REDACTED = "＊"


def redact(text: str) -> str:
    """`text` with the digits of personal numbers replaced by ``＊`` one for one.

    A number is a run of digits — Arabic, full-width, or Chinese as an ASR writes them
    (一三八…, 幺 for 1, 零/〇 for 0) — possibly split by spaces or dashes. Redacted: runs
    of 10 or more digits (mobiles, landlines with their area code, 身份证号 with a final
    X, bank and account numbers) and local landlines (7–8 digits starting 2–9, unless a
    unit or decimal point follows: 12345678元 is an amount). A leading date written
    2026-12-06 stays. Only digits (and an ID's X) change; the length never does.
    """
    out = list(text)
    for run in _RUN.finditer(text):
        groups = list(_GROUP.finditer(run.group()))
        groups = _after_date(groups)
        count = sum(len(m.group()) for m in groups)
        tail_x = run.group()[-1] in "Xx"
        first = _VALUE[groups[0].group()[0]] if groups else 0
        local = count in (7, 8) and first >= 2 and not _UNIT_AFTER.match(text[run.end() :])
        if not (count >= 10 or local):
            continue
        for m in groups:
            for i in range(run.start() + m.start(), run.start() + m.end()):
                out[i] = REDACTED
        if tail_x and count == 17:  # 身份证号: 17 digits and the check character X
            out[run.end() - 1] = REDACTED
    return "".join(out)


def _after_date(groups: list[re.Match[str]]) -> list[re.Match[str]]:
    """The digit groups of a run without a leading date (year 1900–2099, month, day)."""
    if len(groups) >= 3:
        year, month, day = (m.group() for m in groups[:3])
        if (
            len(year) == 4
            and len(month) <= 2
            and len(day) <= 2
            and 1900 <= _number(year) <= 2099
            and 1 <= _number(month) <= 12
            and 1 <= _number(day) <= 31
        ):
            return groups[3:]
    return groups


def _number(digits: str) -> int:
    return int("".join(str(_VALUE[c]) for c in digits))


def redact_segments(segments: Sequence[Segment]) -> list[Segment]:
    """`segments` with `redact` applied to each text."""
    return [Segment(s.start, s.end, redact(s.text), s.channel) for s in segments]
