"""Speech analytics of one call recording (语音分析): who talked when, from the audio alone.

A recording is one WAV, 8 kHz (16 kHz is decimated), left channel the caller, right the
agent plus what the caller heard (hold music); 16-bit signed PCM (the SIP recorder) and
8-bit unsigned PCM (the demo's voices) are both read. A mono file is the agent alone.

How the figures come about, on a 10 ms grid per channel:

1. *Voiced*: webrtcvad (30 ms frames) says speech and the step is louder than
   ``energy_floor_dbfs``.
2. *Steady sound*: 2 s windows (every 0.5 s) that sound throughout, without the short
   deep dips of speech (pauses between syllables) and without its 2–8 Hz syllabic
   modulation of the energy envelope, are steady sound, never talk — webrtcvad calls
   tones, music and hiss speech. On the right channel steady *tonal* sound (its power in
   narrow spectral peaks, unlike hiss) lasting ``hold_min_seconds`` is hold music.
3. *Talk*: voiced and not steady; pauses under ``pause_merge_seconds`` are bridged so a
   word is not split, and stretches under 0.1 s (clicks) dropped.
4. Over-talk is both sides' talk at once (stretches of ``overtalk_min_seconds`` or more;
   shorter collisions are turn-taking); silence is the rest with neither talk nor hold
   music. Per recording, to the step: caller + agent − over-talk (unfiltered) + silence +
   hold music not under caller talk = duration.
5. Syllables (≈ 字 in Mandarin) are peaks of the smoothed energy envelope in voiced talk,
   within 25 dB of the side's loud level, with dips of 2 dB or more between them (de Jong
   & Wempe 2009, without their pitch check: webrtcvad stands in for it).
"""

from __future__ import annotations

import math
import struct
import wave
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal, TypedDict, get_args

import numpy as np
import webrtcvad  # type: ignore[import-untyped]
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from hotline.core.errors import HotlineError

__all__ = [
    "ANALYSIS_VERSION",
    "CallAnalysis",
    "ChannelPeaks",
    "Moment",
    "MomentKind",
    "SpeechError",
    "SpeechSettings",
    "Waveform",
    "analyse",
    "envelope",
]

ANALYSIS_VERSION = 1  # stored with each result: bump when the figures' meaning changes
RATE = 8000
STEP = 80  # samples in one 10 ms step of the grid
STEP_SECONDS = STEP / RATE
VAD_STEPS = 3  # webrtcvad decides per 30 ms frame
WINDOW = 200  # steps in a steady-sound window (2 s)
HOP = 50  # steps between windows (0.5 s)
DIP_DB = 15.0  # a step this far under the window's loud level is a dip (a pause)
MAX_DIPS = 0.05  # share of dips a steady window may have; speech has many more
MAX_MODULATION = 0.5  # RMS of the 2–8 Hz band of the relative envelope; speech ≈ 0.55–1
MIN_TONALITY = 0.25  # share of power in spectral peaks of music; hiss ≈ 0.01, tones ≈ 1
MIN_TALK_STEPS = 10  # 0.1 s
SYLLABLE_RANGE_DB = 25.0
SYLLABLE_DIP_DB = 2.0
MIN_RATE_TALK_SECONDS = 3.0  # less talk than this gives no syllable rate
SILENT_DB = -120.0

MomentKind = Literal["overtalk", "silence", "hold_music"]
MOMENT_KINDS: tuple[MomentKind, ...] = get_args(MomentKind)
Mask = NDArray[np.bool_]
Floats = NDArray[np.float64]


class SpeechError(HotlineError):
    """A recording that cannot be analysed (or a stored analysis that cannot be read); the
    details name the file (``path=``)."""

    error_id = "bad-recording"


class SpeechSettings(BaseModel):
    """The ``speech:`` section of ``qa.yaml``: what speech analytics flags, and how hard
    it listens."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    vad_aggressiveness: int = Field(
        2, ge=0, le=3, description="webrtcvad 的严格程度 0–3 / how strictly webrtcvad rejects"
    )
    energy_floor_dbfs: float = Field(
        -50.0, le=0, description="低于此电平不算说话 / quieter than this (dBFS) is not talk"
    )
    pause_merge_seconds: float = Field(
        0.3, ge=0, le=2, description="短于此的停顿算作说话中 / shorter pauses count as talk"
    )
    overtalk_min_seconds: float = Field(
        0.3, ge=0, description="抢话最短时长 / shortest stretch counted as over-talk"
    )
    silence_seconds: float = Field(
        5.0, gt=0, description="列出超过此时长的静默 / silences listed from this long (s)"
    )
    hold_min_seconds: float = Field(
        5.0, ge=2, description="等待音乐最短时长 / shortest stretch counted as hold music (s)"
    )
    long_silence_seconds: float = Field(
        30.0, gt=0, description="长静默标记 / flag long_silence: a silence over this (s)"
    )
    overtalk_seconds: float = Field(
        10.0, ge=0, description="抢话标记 / flag overtalk: over-talk over this in all (s)"
    )
    slow_greeting_seconds: float = Field(
        5.0, ge=0, description="应答慢标记 / flag slow_greeting: agent's first words after (s)"
    )
    fast_speech_syllables_per_minute: float = Field(
        280.0, gt=0, description="语速过快标记 / flag fast_speech: agent over this 字/分钟"
    )
    long_hold_share: float = Field(
        0.30, ge=0, le=1, description="等待过长标记 / flag long_hold: hold music over this share"
    )


@dataclass(frozen=True, slots=True)
class Moment:
    """A stretch a player can jump to: seconds from the start of the recording."""

    start: float
    end: float
    kind: MomentKind

    @property
    def seconds(self) -> float:
        return round(self.end - self.start, 2)


@dataclass(frozen=True, slots=True)
class CallAnalysis:
    """The figures of one recording. Seconds are rounded to the 10 ms grid; shares are of
    `seconds`; a syllable rate is None with under 3 s of that side's talk, the first-words
    delay None when the agent never speaks; ``channels == 1`` means agent only."""

    channels: int
    seconds: float
    caller_talk_seconds: float
    agent_talk_seconds: float
    caller_talk_share: float
    agent_talk_share: float
    overtalk_seconds: float
    overtalk_count: int
    silence_seconds: float
    longest_silence_seconds: float
    silences: tuple[Moment, ...]
    hold_music_seconds: float
    hold_music_share: float
    caller_syllables_per_minute: float | None
    agent_syllables_per_minute: float | None
    agent_first_words_seconds: float | None
    moments: tuple[Moment, ...]
    flags: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """Plain dicts and lists, for a JSON column; `from_json` reads it back."""
        out: dict[str, Any] = {"version": ANALYSIS_VERSION}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if name in ("silences", "moments"):
                value = [{"start": m.start, "end": m.end, "kind": m.kind} for m in value]
            elif name == "flags":
                value = list(value)
            out[name] = value
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CallAnalysis:
        """Raises `SpeechError` for another version or a missing or malformed field."""
        if data.get("version") != ANALYSIS_VERSION:
            raise SpeechError(
                f"语音分析结果版本不符 / stored analysis has version {data.get('version')!r},"
                f" this code reads {ANALYSIS_VERSION}: analyse the recording again",
                version=data.get("version"),
            )
        try:
            fields = {name: data[name] for name in cls.__dataclass_fields__}
            for name in ("silences", "moments"):
                fields[name] = tuple(_moment(m) for m in fields[name])
            fields["flags"] = tuple(str(f) for f in fields["flags"])
        except (KeyError, TypeError, ValueError) as error:
            raise SpeechError(
                f"语音分析结果无法读取 / stored analysis is malformed: {error!r}"
            ) from error
        return cls(**fields)


def _moment(item: dict[str, Any]) -> Moment:
    if item["kind"] not in MOMENT_KINDS:
        raise ValueError(f"unknown moment kind {item['kind']!r}")
    return Moment(float(item["start"]), float(item["end"]), item["kind"])


class ChannelPeaks(TypedDict):
    min: list[float]
    max: list[float]


class Waveform(TypedDict):
    """What a player draws: per channel (left first) the lowest and highest sample of each
    of ``points`` equal slices, in −1…1."""

    seconds: float
    points: int
    channels: list[ChannelPeaks]


def envelope(path: Path, points: int = 2000) -> Waveform:
    """The waveform of a recording for the page's player; raises `SpeechError` as
    `analyse` does, and `ValueError` for fewer than 1 point."""
    if points < 1:
        raise ValueError(f"points must be at least 1, not {points}")
    audio = _read(path)
    n = audio.shape[1]
    count = min(points, n)
    edges = np.linspace(0, n, count + 1).astype(np.int64)[:-1]
    channels: list[ChannelPeaks] = []
    for samples in audio:
        lows = np.minimum.reduceat(samples, edges) / 32768.0
        highs = np.maximum.reduceat(samples, edges) / 32768.0
        channels.append({"min": np.round(lows, 4).tolist(), "max": np.round(highs, 4).tolist()})
    return {"seconds": round(n / RATE, 3), "points": count, "channels": channels}


def analyse(path: Path, settings: SpeechSettings | None = None) -> CallAnalysis:
    """Analyse one recording; raises `SpeechError` naming the file when it is not a
    readable 8 kHz or 16 kHz, 8- or 16-bit PCM WAV of one or two channels with audio."""
    settings = settings or SpeechSettings()
    audio = _read(path)
    steps = audio.shape[1] // STEP
    if steps < 1:
        raise SpeechError(
            f"录音无法分析 / cannot analyse recording {path}: under 10 ms of audio",
            path=str(path),
            samples=audio.shape[1],
        )
    sides = [_Channel(samples[: steps * STEP], settings) for samples in audio]
    agent = sides[-1]
    caller_talk = sides[0].talk if len(sides) == 2 else np.zeros(steps, np.bool_)
    hold = agent.hold_music()
    speaking = caller_talk | agent.talk
    silence = ~(speaking | hold)
    overtalk = _runs(caller_talk & agent.talk, _steps(settings.overtalk_min_seconds))
    silences = _runs(silence, 1)
    listed = [(a, b) for a, b in silences if (b - a) * STEP_SECONDS >= settings.silence_seconds]
    seconds = steps * STEP_SECONDS

    def spm(side: _Channel) -> float | None:
        talk = int(side.talk.sum()) * STEP_SECONDS
        if talk < MIN_RATE_TALK_SECONDS:
            return None
        return round(side.syllables() * 60.0 / talk, 1)

    moments = sorted(
        [_span(a, b, "overtalk") for a, b in overtalk]
        + [_span(a, b, "silence") for a, b in listed]
        + [_span(a, b, "hold_music") for a, b in _runs(hold, 1)],
        key=lambda m: (m.start, m.kind),
    )
    first = np.flatnonzero(agent.talk)
    result = CallAnalysis(
        channels=len(sides),
        seconds=round(seconds, 2),
        caller_talk_seconds=_secs(caller_talk.sum()),
        agent_talk_seconds=_secs(agent.talk.sum()),
        caller_talk_share=round(float(caller_talk.mean()), 4),
        agent_talk_share=round(float(agent.talk.mean()), 4),
        overtalk_seconds=_secs(sum(b - a for a, b in overtalk)),
        overtalk_count=len(overtalk),
        silence_seconds=_secs(silence.sum()),
        longest_silence_seconds=_secs(max((b - a for a, b in silences), default=0)),
        silences=tuple(_span(a, b, "silence") for a, b in listed),
        hold_music_seconds=_secs(hold.sum()),
        hold_music_share=round(float(hold.mean()), 4),
        caller_syllables_per_minute=spm(sides[0]) if len(sides) == 2 else None,
        agent_syllables_per_minute=spm(agent),
        agent_first_words_seconds=_secs(first[0]) if first.size else None,
        moments=tuple(moments),
        flags=(),
    )
    return _flagged(result, settings)


def _flagged(result: CallAnalysis, settings: SpeechSettings) -> CallAnalysis:
    """The same figures with the flags their thresholds raise (never-speaking agents
    included in ``slow_greeting``)."""
    first = result.agent_first_words_seconds
    rate = result.agent_syllables_per_minute
    raised = {
        "long_silence": result.longest_silence_seconds > settings.long_silence_seconds,
        "overtalk": result.overtalk_seconds > settings.overtalk_seconds,
        "slow_greeting": first is None or first > settings.slow_greeting_seconds,
        "fast_speech": rate is not None and rate > settings.fast_speech_syllables_per_minute,
        "long_hold": result.hold_music_share > settings.long_hold_share,
    }
    return replace(result, flags=tuple(name for name, on in raised.items() if on))


class _Channel:
    """One channel on the 10 ms grid: loudness, voicing, steady sound and talk."""

    def __init__(self, samples: NDArray[np.int16], settings: SpeechSettings) -> None:
        self.samples = samples
        self.settings = settings
        steps = samples.size // STEP
        grid = samples.reshape(steps, STEP).astype(np.float32)
        self.power: Floats = (np.square(grid).mean(axis=1) / 32768.0**2).astype(np.float64)
        self.db: Floats = 10.0 * np.log10(np.maximum(self.power, 10 ** (SILENT_DB / 10)))
        self.voiced: Mask = _vad(samples, settings.vad_aggressiveness, steps) & (
            self.db > settings.energy_floor_dbfs
        )
        self.steady: Mask = self._steady()
        talk = _close(self.voiced & ~self.steady, _steps(settings.pause_merge_seconds))
        self.talk: Mask = _drop_short(talk, MIN_TALK_STEPS)

    def _steady(self) -> Mask:
        """Steps inside a 2 s window that sounds throughout, without speech's dips and
        syllabic modulation."""
        steps = self.db.size
        out = np.zeros(steps, np.bool_)
        if steps < WINDOW:
            return out
        db = np.lib.stride_tricks.sliding_window_view(self.db, WINDOW)[::HOP]
        amp = np.lib.stride_tricks.sliding_window_view(np.sqrt(self.power), WINDOW)[::HOP]
        loud = np.percentile(db, 90, axis=1)
        dips = (db < (loud - DIP_DB)[:, None]).mean(axis=1)
        sounding = (db > self.settings.energy_floor_dbfs).mean(axis=1)
        mean = amp.mean(axis=1, keepdims=True)
        rel = amp / np.maximum(mean, 1e-12) - 1.0
        spectrum = np.abs(np.fft.rfft(rel, axis=1)) ** 2
        freqs = np.fft.rfftfreq(WINDOW, STEP_SECONDS)
        band = (freqs >= 2.0) & (freqs <= 8.0)
        modulation = np.sqrt(2.0 * spectrum[:, band].sum(axis=1)) / WINDOW
        steady = (sounding >= 0.95) & (dips <= MAX_DIPS) & (modulation <= MAX_MODULATION)
        for start in np.flatnonzero(steady) * HOP:
            out[start : start + WINDOW] = True
        return out

    def hold_music(self) -> Mask:
        """Steady tonal stretches of ``hold_min_seconds`` or more (hiss is not music)."""
        out = np.zeros(self.db.size, np.bool_)
        for a, b in _runs(self.steady, _steps(self.settings.hold_min_seconds)):
            if _tonality(self.samples[a * STEP : b * STEP]) >= MIN_TONALITY:
                out[a:b] = True
        return out

    def syllables(self) -> int:
        """Syllable nuclei: envelope peaks in voiced talk near the side's loud level,
        separated by dips of `SYLLABLE_DIP_DB` (the walk merges lesser bumps)."""
        smooth = np.convolve(self.power, np.ones(5) / 5, mode="same")
        db = 10.0 * np.log10(np.maximum(smooth, 10 ** (SILENT_DB / 10)))
        inside = self.talk & self.voiced
        if not inside.any():
            return 0
        floor = float(np.percentile(db[inside], 99)) - SYLLABLE_RANGE_DB
        rising = np.flatnonzero((db[1:-1] > db[:-2]) & (db[1:-1] >= db[2:])) + 1
        candidates = rising[inside[rising] & (db[rising] > floor)]
        if candidates.size == 0:
            return 0
        # the lowest point between each candidate and the next
        lows = np.minimum.reduceat(db, candidates)[:-1].tolist() if candidates.size > 1 else []
        heights = db[candidates].tolist()
        count, peak, low = 1, heights[0], math.inf
        for height, between in zip(heights[1:], lows, strict=True):
            low = min(low, between)
            if peak - low >= SYLLABLE_DIP_DB and height - low >= SYLLABLE_DIP_DB:
                count, peak, low = count + 1, height, math.inf
            elif height > peak:
                peak, low = height, math.inf  # the same syllable, its higher top
        return count


def _vad(samples: NDArray[np.int16], mode: int, steps: int) -> Mask:
    """webrtcvad's decision per 30 ms frame, spread over the frame's three steps."""
    vad = webrtcvad.Vad(mode)
    frame = VAD_STEPS * STEP * 2  # bytes of 16-bit samples
    data = memoryview(samples.astype("<i2").tobytes())
    frames = len(data) // frame
    decisions = [vad.is_speech(data[i * frame : (i + 1) * frame], RATE) for i in range(frames)]
    out = np.zeros(steps, np.bool_)
    out[: frames * VAD_STEPS] = np.repeat(np.array(decisions, np.bool_), VAD_STEPS)
    if frames * VAD_STEPS < steps and frames:  # the last partial frame: as the one before
        out[frames * VAD_STEPS :] = decisions[-1]
    return out


def _tonality(samples: NDArray[np.int16]) -> float:
    """How much of the sound is in narrow spectral peaks (partials): the median over up to
    200 frames of 64 ms of the share of power in bins over 10 times the median of their
    21 neighbours — near 1 for tones and music, near 0.01 for hiss, white or coloured."""
    size, width = 512, 21
    count = samples.size // size
    if count == 0:
        return 0.0
    frames = samples[: count * size].reshape(count, size)
    frames = frames[np.linspace(0, count - 1, min(200, count)).astype(np.int64)]
    power = np.abs(np.fft.rfft(frames.astype(np.float64) * np.hanning(size), axis=1)) ** 2
    power += 1e-9
    padded = np.pad(power, ((0, 0), (width // 2, width // 2)), mode="edge")
    local = np.median(np.lib.stride_tricks.sliding_window_view(padded, width, axis=1), axis=2)
    share = (power * (power > 10.0 * local)).sum(axis=1) / power.sum(axis=1)
    return float(np.median(share))


def _runs(mask: Mask, minimum: int) -> list[tuple[int, int]]:
    """The [start, end) step ranges where `mask` holds, of `minimum` steps or more."""
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    keep = (ends - starts) >= max(minimum, 1)
    return list(zip(starts[keep].tolist(), ends[keep].tolist(), strict=True))


def _close(mask: Mask, gap: int) -> Mask:
    """`mask` with inner gaps shorter than `gap` steps filled (not the leading or trailing
    quiet: nobody talks before the first sound)."""
    out = mask.copy()
    runs = _runs(mask, 1)
    for (_, end), (start, _) in pairwise(runs):
        if start - end < gap:
            out[end:start] = True
    return out


def _drop_short(mask: Mask, minimum: int) -> Mask:
    out = np.zeros_like(mask)
    for a, b in _runs(mask, minimum):
        out[a:b] = True
    return out


def _steps(seconds: float) -> int:
    return round(seconds / STEP_SECONDS)


def _secs(steps: Any) -> float:
    return round(int(steps) * STEP_SECONDS, 2)


def _span(a: int, b: int, kind: MomentKind) -> Moment:
    return Moment(_secs(a), _secs(b), kind)


def _read(path: Path) -> NDArray[np.int16]:
    """The channels of a WAV as 16-bit samples at 8 kHz, shape (channels, samples)."""

    def bad(reason: str, **details: Any) -> SpeechError:
        return SpeechError(
            f"录音无法分析 / cannot analyse recording {path}: {reason}", path=str(path), **details
        )

    try:
        with wave.open(str(path), "rb") as wav:
            channels, width, rate = wav.getnchannels(), wav.getsampwidth(), wav.getframerate()
            if rate not in (RATE, 2 * RATE):
                raise bad(f"{rate} Hz, not 8000 or 16000 Hz", rate=rate)
            if channels not in (1, 2):
                raise bad(f"{channels} channels, not 1 or 2", channels=channels)
            if width not in (1, 2):
                raise bad(f"{8 * width}-bit samples, not 8- or 16-bit PCM", bits=8 * width)
            raw = wav.readframes(wav.getnframes())
    except FileNotFoundError as error:
        raise bad("no such file") from error
    except (wave.Error, EOFError, struct.error) as error:
        raise bad(f"not a PCM WAV file ({error or 'empty'})") from error
    except OSError as error:
        raise bad(f"unreadable ({error.strerror or error})") from error
    usable = len(raw) // (channels * width) * channels * width
    if width == 1:
        pcm = (np.frombuffer(raw, np.uint8, usable).astype(np.int16) - 128) << 8
    else:
        pcm = np.frombuffer(raw, "<i2", usable // 2).astype(np.int16)
    audio = pcm.reshape(-1, channels).T
    if audio.shape[1] == 0:
        raise bad("no audio (0 frames)")
    if rate == 2 * RATE:
        audio = np.stack([_decimate(channel) for channel in audio])
    return np.ascontiguousarray(audio)


def _decimate(samples: NDArray[np.int16]) -> NDArray[np.int16]:
    """16 kHz to 8 kHz: a 31-tap windowed-sinc low-pass at 3.6 kHz, then every other one."""
    taps = np.arange(31) - 15
    kernel = np.sinc(taps * 3600 / 8000) * 3600 / 8000 * np.hamming(31)
    kernel /= kernel.sum()
    low = np.convolve(samples.astype(np.float32), kernel.astype(np.float32), mode="same")
    return np.clip(np.round(low[::2]), -32768, 32767).astype(np.int16)
