"""Speech analytics: talk, over-talk, silence, hold music, syllable rate and first words
measured on WAVs built here with known content, against hand computation.

The speech-like signal is what the demo's `Voices` makes: syllables as harmonic tone
bursts (150–200 ms, sin² envelope) with short pauses; webrtcvad accepts them as speech
(and, alone, also calls steady tones, melodies and hiss speech — the steady-sound
detector is what keeps those out of talk). A side "speaks from a to b" when its first
burst starts at a and its last ends at b, so its talk is ≈ b − a (the sin² edges under
the energy floor take a few milliseconds).
"""

from __future__ import annotations

import json
import random
import wave
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from pydantic import ValidationError

from hotline.quality.speech import (
    CallAnalysis,
    Moment,
    SpeechError,
    SpeechSettings,
    analyse,
    envelope,
)
from hotline.sim.voices import Voices, write_wav

RATE = 8000
EDGE = 0.06  # seconds a talk boundary may be off: sin² edges, 30 ms VAD frames, 10 ms grid


def silence(seconds: float, rate: int = RATE) -> NDArray[np.float64]:
    return np.zeros(round(seconds * rate))


def burst(seconds: float, pitch: float, rate: int = RATE) -> NDArray[np.float64]:
    """One syllable as the demo's voices make it: three harmonics under a sin² envelope."""
    t = np.arange(round(seconds * rate)) / rate
    tone = (
        np.sin(2 * np.pi * pitch * t)
        + 0.5 * np.sin(4 * np.pi * pitch * t)
        + 0.25 * np.sin(6 * np.pi * pitch * t)
    )
    return 0.45 * np.sin(np.pi * t / seconds) ** 2 * tone / 1.75


def speech(
    seconds: float, per_second: float = 4.0, pitch: float = 220.0, rate: int = RATE
) -> NDArray[np.float64]:
    """Syllables at `per_second`, each 75 % of its slot; the last ends at `seconds`."""
    slot = 1.0 / per_second
    count = max(1, round((seconds + 0.25 * slot) / slot))
    length = 0.75 * slot
    gap = (seconds - count * length) / (count - 1) if count > 1 else 0.0
    out = silence(seconds, rate)
    for k in range(count):
        start = round(k * (length + gap) * rate)
        piece = burst(length, pitch * (1.0 + 0.08 * (k % 3)), rate)
        out[start : start + piece.size] = piece[: out.size - start]
    return out


def melody(seconds: float, rate: int = RATE) -> NDArray[np.float64]:
    """Hold music: a legato tune of 0.4 s notes with harmonics and notes that decay a
    little, as a synthesizer's piano would."""
    notes = (262.0, 294.0, 330.0, 349.0, 392.0, 440.0, 494.0, 523.0)
    size = round(0.4 * rate)
    t = np.arange(size) / rate
    pieces = []
    for k in range(int(seconds / 0.4) + 1):
        f = notes[(k * 3) % len(notes)]
        tone = np.sin(2 * np.pi * f * t) + 0.4 * np.sin(4 * np.pi * f * t)
        pieces.append(0.3 * tone * (0.5 + 0.5 * np.exp(-t / 0.15)))
    return np.concatenate(pieces)[: round(seconds * rate)]


def piano(seconds: float, rate: int = RATE) -> NDArray[np.float64]:
    """Percussive hold music: four notes a second, each struck and decaying to 20 %."""
    notes = (262.0, 330.0, 392.0, 523.0, 440.0, 349.0)
    size = round(0.25 * rate)
    t = np.arange(size) / rate
    pieces = [
        0.3
        * (np.sin(2 * np.pi * f * t) + 0.4 * np.sin(4 * np.pi * f * t))
        * (0.2 + 0.8 * np.exp(-t / 0.08))
        for f in (notes[k % len(notes)] for k in range(int(seconds / 0.25) + 1))
    ]
    return np.concatenate(pieces)[: round(seconds * rate)]


def phrases(count: int, flutter: float = 0.0) -> NDArray[np.float64]:
    """Connected speech: phrases of 6 syllables at 4 a second with no pause between them
    (the voice dips 8 dB from one to the next), a 0.4 s pause after each phrase;
    `flutter` adds a 25 Hz ripple of that relative depth (0.06 ≈ 1 dB)."""
    t = np.arange(round(1.5 * RATE)) / RATE
    out = []
    for k in range(count):
        level = (0.4 + 0.6 * np.sin(np.pi * 4.0 * t) ** 2) * (
            1 + flutter * np.sin(2 * np.pi * 25 * t)
        )
        phase = 2 * np.pi * np.cumsum(220.0 * (1 + 0.05 * np.sin(2 * np.pi * 0.7 * t + k))) / RATE
        out += [0.4 * level * (np.sin(phase) + 0.5 * np.sin(2 * phase)) / 1.5, silence(0.4)]
    return np.concatenate(out)


def drawn_out(count: int) -> NDArray[np.float64]:
    """Slow speech: `count` held syllables of 0.8 s (flat, 50 ms ramps, the pitch gliding
    up or down 20 % as Mandarin tones do), 0.15 s pauses between them — little 2–8 Hz
    modulation, but the pauses of speech."""
    t = np.arange(round(0.8 * RATE)) / RATE
    level = np.minimum(1.0, np.minimum(t, 0.8 - t) / 0.05)
    out = []
    for k in range(count):
        glide = 0.2 * (1 if k % 2 else -1) * (t / 0.8 - 0.5)
        phase = 2 * np.pi * np.cumsum(200.0 * (1 + 0.1 * (k % 3)) * (1 + glide)) / RATE
        voice = np.sin(phase) + 0.5 * np.sin(2 * phase) + 0.3 * np.sin(3 * phase)
        out += [0.4 * level * voice / 1.8, silence(0.15)]
    return np.concatenate(out)[: -round(0.15 * RATE)]


def place(total: float, parts: list[tuple[float, NDArray[np.float64]]]) -> NDArray[np.float64]:
    """`total` seconds of quiet with each part laid in at its start (seconds)."""
    out = silence(total)
    for start, part in parts:
        at = round(start * RATE)
        out[at : at + part.size] += part[: out.size - at]
    return out


def write(
    path: Path,
    *channels: NDArray[np.float64],
    width: int = 2,
    rate: int = RATE,
) -> Path:
    """A PCM WAV of the channels (−1…1): 16-bit signed or 8-bit unsigned."""
    data = np.stack(channels, axis=1)
    if width == 2:
        frames = np.clip(np.round(data * 32767), -32768, 32767).astype("<i2").tobytes()
    else:
        frames = np.clip(np.round(data * 127 + 128), 0, 255).astype(np.uint8).tobytes()
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(len(channels))
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(frames)
    return path


def by_kind(analysis: CallAnalysis, kind: str) -> list[Moment]:
    return [m for m in analysis.moments if m.kind == kind]


def test_overlapping_turns_give_their_overlap_as_overtalk(tmp_path: Path) -> None:
    caller = place(25, [(0.0, speech(10.0, pitch=140))])
    agent = place(25, [(8.0, speech(12.0))])
    result = analyse(write(tmp_path / "call.wav", caller, agent))

    assert result.channels == 2
    assert result.seconds == pytest.approx(25.0, abs=0.01)
    assert result.caller_talk_seconds == pytest.approx(10.0, abs=EDGE)
    assert result.agent_talk_seconds == pytest.approx(12.0, abs=EDGE)
    assert result.caller_talk_share == pytest.approx(10.0 / 25, abs=0.005)
    assert result.overtalk_seconds == pytest.approx(2.0, abs=EDGE)
    assert result.overtalk_count == 1
    [stretch] = by_kind(result, "overtalk")
    assert stretch.start == pytest.approx(8.0, abs=EDGE)
    assert stretch.end == pytest.approx(10.0, abs=EDGE)
    assert result.agent_first_words_seconds == pytest.approx(8.0, abs=EDGE)
    # 2 s of over-talk is under the 10 s flag; the agent's first words at 8 s are slow
    assert result.flags == ("slow_greeting",)
    assert result.silence_seconds == pytest.approx(5.0, abs=EDGE)  # 20–25 s


def test_overtalk_over_the_threshold_in_all_is_flagged(tmp_path: Path) -> None:
    caller = place(40, [(2.0, speech(7.0, pitch=140)), (20.0, speech(8.0, pitch=140))])
    agent = place(40, [(1.0, speech(12.0)), (18.0, speech(12.0))])
    result = analyse(write(tmp_path / "call.wav", caller, agent))

    assert result.overtalk_seconds == pytest.approx(7.0 + 8.0, abs=2 * EDGE)
    assert result.overtalk_count == 2
    assert "overtalk" in result.flags
    relaxed = analyse(tmp_path / "call.wav", SpeechSettings(overtalk_seconds=20))
    assert "overtalk" not in relaxed.flags


def test_a_35_second_gap_is_a_long_silence_with_its_times(tmp_path: Path) -> None:
    caller = place(50, [(3.5, speech(4.5, pitch=140))])
    agent = place(50, [(0.5, speech(2.5)), (43.0, speech(5.0))])
    result = analyse(write(tmp_path / "call.wav", caller, agent))

    assert result.longest_silence_seconds == pytest.approx(35.0, abs=EDGE)
    [gap] = result.silences  # 0–0.5, 3–3.5 and 48–50 s are under the 5 s listing threshold
    assert gap.start == pytest.approx(8.0, abs=EDGE)
    assert gap.end == pytest.approx(43.0, abs=EDGE)
    assert by_kind(result, "silence") == [gap]
    assert result.silence_seconds == pytest.approx(0.5 + 0.5 + 35.0 + 2.0, abs=4 * EDGE)
    assert result.flags == ("long_silence",)
    assert result.agent_first_words_seconds == pytest.approx(0.5, abs=EDGE)

    shorter = analyse(tmp_path / "call.wav", SpeechSettings(silence_seconds=1.5))
    assert [round(s.start) for s in shorter.silences] == [8, 48]
    assert (
        "long_silence"
        not in analyse(tmp_path / "call.wav", SpeechSettings(long_silence_seconds=40)).flags
    )


def test_hold_music_is_measured_and_not_counted_as_talk(tmp_path: Path) -> None:
    caller = place(60, [(10.0, speech(6.0, pitch=140)), (45.0, speech(8.0, pitch=140))])
    agent = place(60, [(1.0, speech(8.0)), (20.0, melody(20.0)), (55.0, speech(4.0))])
    result = analyse(write(tmp_path / "call.wav", caller, agent))

    assert result.hold_music_seconds == pytest.approx(20.0, abs=0.6)
    assert result.hold_music_share == pytest.approx(1 / 3, abs=0.01)
    [hold] = by_kind(result, "hold_music")
    assert hold.start == pytest.approx(20.0, abs=0.6)
    assert hold.end == pytest.approx(40.0, abs=0.6)
    assert result.agent_talk_seconds == pytest.approx(8.0 + 4.0, abs=2 * EDGE)
    assert result.flags == ("long_hold",)
    # hold music is not dead air: the longest silence is the 40–45 s after it
    assert result.longest_silence_seconds == pytest.approx(5.0, abs=0.6)
    assert (
        "long_hold" not in analyse(tmp_path / "call.wav", SpeechSettings(long_hold_share=0.4)).flags
    )


def test_the_demo_voices_and_hiss_are_not_hold_music(tmp_path: Path) -> None:
    left, right = Voices().conversation(random.Random(11), 90.0)
    path = tmp_path / "voices.wav"
    write_wav(path, left, right)
    voices = analyse(path)
    assert voices.hold_music_seconds == 0.0
    assert voices.agent_talk_seconds > 25.0
    assert voices.overtalk_seconds == 0.0  # the demo's turns never overlap

    hiss = np.random.default_rng(3).normal(0.0, 0.05, 30 * RATE)
    noisy = analyse(write(tmp_path / "hiss.wav", silence(30), hiss))
    assert noisy.hold_music_seconds == 0.0
    assert noisy.agent_talk_seconds == pytest.approx(0.0, abs=0.5)  # webrtcvad says speech


def test_struck_notes_are_hold_music_too(tmp_path: Path) -> None:
    """Music whose notes decay (envelope modulated at 4 Hz, like syllables) but never
    pause is still music: it has none of speech's short deep dips."""
    result = analyse(write(tmp_path / "piano.wav", silence(30), place(30, [(5.0, piano(20))])))
    assert result.hold_music_seconds == pytest.approx(20.0, abs=0.6)
    assert result.agent_talk_seconds == 0.0


def test_slow_held_syllables_are_talk_by_their_pauses(tmp_path: Path) -> None:
    """21 syllables in 19.8 s over hiss 25 dB down: too slow for the syllabic modulation
    test and never under the energy floor, so only the dips of the short pauses between
    them tell this speech from a melody (the hiss alone is neither talk nor music)."""
    voice = place(25, [(2.0, drawn_out(21))])
    level = float(np.sqrt(np.mean(drawn_out(21) ** 2))) / 10 ** (25 / 20)
    hiss = np.random.default_rng(9).normal(0.0, level, voice.size)
    result = analyse(write(tmp_path / "slow.wav", silence(25), voice + hiss))
    # in noise webrtcvad's hangover holds on past the last syllable, up to the next window
    assert result.agent_talk_seconds == pytest.approx(19.8, abs=0.15)
    assert result.agent_first_words_seconds == pytest.approx(2.0, abs=EDGE)
    assert result.hold_music_seconds == 0.0
    assert result.agent_syllables_per_minute == pytest.approx(21 / 19.8 * 60, rel=0.05)


def test_speech_in_line_noise_is_talk_and_the_noise_alone_is_not(tmp_path: Path) -> None:
    """White noise 8 dB under the speech fills its pauses (no deep dips are left), but the
    syllabic modulation still tells it from music; the noise before and after is hiss."""
    voice = speech(20.0)
    level = float(np.sqrt(np.mean(voice**2))) / 10 ** (8 / 20)
    noise = np.random.default_rng(4).normal(0.0, level, 30 * RATE)
    result = analyse(write(tmp_path / "noisy.wav", silence(30), place(30, [(5.0, voice)]) + noise))
    assert result.agent_talk_seconds == pytest.approx(20.0, abs=0.3)
    assert result.agent_first_words_seconds == pytest.approx(5.0, abs=0.3)
    assert result.hold_music_seconds == 0.0
    assert result.agent_syllables_per_minute == pytest.approx(240, rel=0.05)


@pytest.mark.parametrize("flutter", [0.0, 0.06])
def test_syllables_without_pauses_between_them_are_counted(tmp_path: Path, flutter: float) -> None:
    """8 phrases × 6 syllables, each phrase 1.5 s of talk: 48 in 12 s is 240 a minute; a
    1 dB ripple is not a syllable."""
    result = analyse(
        write(tmp_path / "call.wav", silence(25), place(25, [(1.0, phrases(8, flutter))]))
    )
    assert result.agent_talk_seconds == pytest.approx(12.0, abs=0.1)
    assert result.agent_syllables_per_minute == pytest.approx(240, rel=0.05)
    assert result.hold_music_seconds == 0.0


def test_first_words_are_the_agents_first_speech(tmp_path: Path) -> None:
    greeting = place(12, [(3.0, speech(4.0))])
    result = analyse(write(tmp_path / "call.wav", silence(12), greeting))
    assert result.agent_first_words_seconds == pytest.approx(3.0, abs=0.04)
    assert "slow_greeting" not in result.flags

    late = analyse(write(tmp_path / "late.wav", silence(12), place(12, [(6.0, speech(4.0))])))
    assert late.agent_first_words_seconds == pytest.approx(6.0, abs=0.04)
    assert "slow_greeting" in late.flags

    mute = analyse(write(tmp_path / "mute.wav", place(12, [(1.0, speech(5.0))]), silence(12)))
    assert mute.agent_first_words_seconds is None
    assert mute.agent_talk_seconds == 0.0
    assert mute.agent_syllables_per_minute is None
    assert "slow_greeting" in mute.flags


@pytest.mark.parametrize("per_second", [3.0, 4.5, 5.5])
def test_syllable_rate_counts_bursts(tmp_path: Path, per_second: float) -> None:
    seconds = 20.0
    bursts = round((seconds + 0.25 / per_second) * per_second)
    expected = bursts / seconds * 60  # the talk is first burst to last
    agent = place(22, [(1.0, speech(seconds, per_second=per_second))])
    caller = place(22, [(1.0, speech(10.0, per_second=3.0, pitch=140))])
    result = analyse(write(tmp_path / "call.wav", caller, agent))

    assert result.agent_syllables_per_minute == pytest.approx(expected, rel=0.05)
    assert result.caller_syllables_per_minute == pytest.approx(31 / 10 * 60, rel=0.05)
    assert ("fast_speech" in result.flags) == (expected > 280)


def test_eight_and_sixteen_bit_files_give_the_same_figures(tmp_path: Path) -> None:
    left, right = Voices().conversation(random.Random(5), 45.0)
    eight = tmp_path / "eight.wav"
    write_wav(eight, left, right)
    as_float = [(np.frombuffer(c, np.uint8).astype(np.float64) - 128) / 128 for c in (left, right)]
    sixteen = write(tmp_path / "sixteen.wav", *as_float)

    assert analyse(eight) == analyse(sixteen)
    assert analyse(eight).caller_talk_seconds > 10.0


def test_sixteen_kilohertz_is_decimated_to_the_same_figures(tmp_path: Path) -> None:
    fast = 16000

    def speaking(total: float, start: float, seconds: float) -> NDArray[np.float64]:
        out = silence(total, fast)
        part = speech(seconds, rate=fast)
        out[round(start * fast) : round(start * fast) + part.size] = part
        return out

    wide = write(tmp_path / "wide.wav", speaking(20, 0.0, 9.0), speaking(20, 7.0, 10.0), rate=fast)
    narrow = write(
        tmp_path / "narrow.wav",
        place(20, [(0.0, speech(9.0))]),
        place(20, [(7.0, speech(10.0))]),
    )
    a, b = analyse(wide), analyse(narrow)
    assert a.seconds == b.seconds == 20.0
    assert a.overtalk_seconds == pytest.approx(b.overtalk_seconds, abs=EDGE)
    assert a.agent_talk_seconds == pytest.approx(b.agent_talk_seconds, abs=EDGE)
    assert a.agent_syllables_per_minute == pytest.approx(b.agent_syllables_per_minute, rel=0.05)


def test_mono_is_the_agent_alone(tmp_path: Path) -> None:
    result = analyse(write(tmp_path / "mono.wav", place(15, [(2.0, speech(6.0))])))
    assert result.channels == 1
    assert result.caller_talk_seconds == 0.0
    assert result.caller_syllables_per_minute is None
    assert result.overtalk_seconds == 0.0
    assert result.agent_talk_seconds == pytest.approx(6.0, abs=EDGE)
    assert result.silence_seconds == pytest.approx(9.0, abs=EDGE)


def _wav(path: Path, channels: int, width: int, rate: int, frames: int) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(bytes(channels * width * frames))
    return path


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("notes.wav", lambda p: p.write_text("not audio at all"), "not a PCM WAV"),
        ("empty.wav", lambda p: p.write_bytes(b""), "not a PCM WAV"),
        ("cd.wav", lambda p: _wav(p, 2, 2, 44100, 4410), "44100 Hz"),
        ("three.wav", lambda p: _wav(p, 3, 2, 8000, 800), "3 channels"),
        ("deep.wav", lambda p: _wav(p, 2, 3, 8000, 800), "24-bit"),
        ("nothing.wav", lambda p: _wav(p, 2, 2, 8000, 0), "no audio"),
        ("missing.wav", lambda p: None, "no such file"),
    ],
)
def test_bad_files_are_refused_by_name(
    tmp_path: Path, name: str, make: object, reason: str
) -> None:
    path = tmp_path / name
    make(path)  # type: ignore[operator]
    with pytest.raises(SpeechError, match=reason) as raised:
        analyse(path)
    assert str(path) in str(raised.value)
    assert raised.value.details["path"] == str(path)
    assert raised.value.error_id == "bad-recording"
    with pytest.raises(SpeechError, match=reason):
        envelope(path)


def test_the_analysis_goes_through_json_and_back(tmp_path: Path) -> None:
    caller = place(50, [(3.5, speech(4.5, pitch=140))])
    agent = place(50, [(0.5, speech(2.5)), (20.0, melody(16.0)), (43.0, speech(5.0))])
    result = analyse(write(tmp_path / "call.wav", caller, agent))
    assert {m.kind for m in result.moments} == {"silence", "hold_music"}
    assert result.flags == ("long_hold",)

    stored = json.loads(json.dumps(result.to_json()))
    assert stored["version"] == 1
    assert CallAnalysis.from_json(stored) == result
    with pytest.raises(SpeechError, match="version"):
        CallAnalysis.from_json({**stored, "version": 0})
    with pytest.raises(SpeechError, match="malformed"):
        CallAnalysis.from_json({k: v for k, v in stored.items() if k != "moments"})
    broken = {**stored, "moments": [{"start": 1.0, "end": 2.0, "kind": "applause"}]}
    with pytest.raises(SpeechError, match="applause"):
        CallAnalysis.from_json(broken)


def test_the_envelope_follows_the_waveform(tmp_path: Path) -> None:
    loud = 0.5 * np.sin(2 * np.pi * 400 * np.arange(RATE) / RATE)
    left = np.concatenate([silence(1.0), loud])
    path = write(tmp_path / "env.wav", left, silence(2.0), width=1)
    waveform = envelope(path, points=100)

    assert waveform["seconds"] == 2.0
    assert waveform["points"] == 100
    caller, agent = waveform["channels"]
    assert caller["max"][:50] == [0.0] * 50
    assert all(v == pytest.approx(0.5, abs=0.01) for v in caller["max"][50:])
    assert all(v == pytest.approx(-0.5, abs=0.01) for v in caller["min"][50:])
    assert agent["min"] == agent["max"] == [0.0] * 100
    assert envelope(path, points=10**9)["points"] == 2 * RATE
    with pytest.raises(ValueError, match="points"):
        envelope(path, points=0)


def test_settings_are_checked_and_described() -> None:
    with pytest.raises(ValidationError):
        SpeechSettings(vad_aggressiveness=4)
    with pytest.raises(ValidationError):
        SpeechSettings.model_validate({"long_silence": 30})
    for name, field in SpeechSettings.model_fields.items():
        assert field.description, name
        assert field.default is not None, name


# one voice per channel: phrases one after another, (pause before, length, syllables/s)
voice = st.lists(
    st.tuples(st.floats(0.0, 4.0), st.floats(0.3, 6.0), st.sampled_from([3.0, 4.0, 5.0])),
    max_size=4,
)


def lay(
    total: float, phrases: list[tuple[float, float, float]], pitch: float
) -> NDArray[np.float64]:
    parts, at = [], 0.0
    for pause, seconds, per_second in phrases:
        start = at + pause
        if start + 0.3 > total:
            break
        length = min(seconds, total - start)
        parts.append((start, speech(length, per_second, pitch)))
        at = start + length
    return place(total, parts)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(caller=voice, agent=voice, min_overtalk=st.sampled_from([0.0, 0.3]))
def test_talk_overtalk_and_silence_add_up_to_the_call(
    tmp_path_factory: pytest.TempPathFactory,
    caller: list[tuple[float, float, float]],
    agent: list[tuple[float, float, float]],
    min_overtalk: float,
) -> None:
    """Without hold music every step is caller talk, agent talk or silence, and over-talk
    is counted in both talks: the books balance to the 10 ms grid."""
    total = 20.0
    path = tmp_path_factory.mktemp("prop") / "call.wav"
    write(path, lay(total, caller, 140.0), lay(total, agent, 220.0))
    result = analyse(path, SpeechSettings(overtalk_min_seconds=min_overtalk))

    covered = result.caller_talk_seconds + result.agent_talk_seconds + result.silence_seconds
    if min_overtalk == 0.0:  # every overlap counted: the books balance to the grid
        assert covered - result.overtalk_seconds == pytest.approx(total, abs=0.011)
    else:  # brief collisions are not over-talk, so they are counted twice here
        assert covered - result.overtalk_seconds >= total - 0.011
    assert result.hold_music_seconds == 0.0
    assert result.overtalk_count == len(by_kind(result, "overtalk"))
    assert all(m.end - m.start >= min_overtalk - 1e-9 for m in by_kind(result, "overtalk"))
    assert all(0.0 <= m.start < m.end <= result.seconds for m in result.moments)
    assert all(s.seconds <= result.longest_silence_seconds for s in result.silences)
    assert result.overtalk_seconds <= min(result.caller_talk_seconds, result.agent_talk_seconds)
    assert 0.0 <= result.caller_talk_share <= 1.0
    assert (result.agent_first_words_seconds is None) == (result.agent_talk_seconds == 0.0)
