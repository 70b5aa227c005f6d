"""Transcripts: sidecar files read and their bad items named, plugins loaded by dotted path
(and their failures named), a channel read from the two-channel WAV, and personal numbers
redacted without changing anything else."""

from __future__ import annotations

import json
import re
import threading
import time
import wave
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from hotline.core.config import ConfigError, parse_yaml, validate
from hotline.quality.transcripts import (
    REDACTED,
    Channel,
    NoTranscriptError,
    PluginRecognizer,
    RecognizerError,
    RecognizerSettings,
    RecognizerTimeoutError,
    Segment,
    SidecarRecognizer,
    TranscriptError,
    build_recognizer,
    read_channel,
    redact,
    redact_segments,
    segments_from_json,
    segments_to_json,
    sidecar_path,
)

RATE = 8000


def write_wav(path: Path, caller: np.ndarray, agent: np.ndarray, *, rate: int = RATE) -> Path:
    """A two-channel 16-bit recording as the switch writes it (left caller, right agent)."""
    frames = np.stack([caller, agent], axis=1)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes((frames * 32767).astype("<i2").tobytes())
    return path


def tones(seconds: float, bursts: list[tuple[float, float]]) -> np.ndarray:
    """Silence with a 440 Hz tone over each ``(start, end)``."""
    t = np.arange(round(seconds * RATE)) / RATE
    out = np.zeros_like(t)
    for start, end in bursts:
        inside = (t >= start) & (t < end)
        out[inside] = 0.5 * np.sin(2 * np.pi * 440 * t[inside])
    return out


# --- sidecar ---------------------------------------------------------------------------


def test_the_sidecar_gives_each_channel_its_segments_in_time_order(tmp_path: Path) -> None:
    recording = tmp_path / "c42-1001.wav"
    assert sidecar_path(recording) == tmp_path / "c42-1001.transcript.json"
    items = [
        {"start": 4.5, "end": 6.0, "channel": "agent", "text": "请问还有什么可以帮您", "conf": 0.9},
        {"start": 0.0, "end": 2.5, "channel": "agent", "text": "您好，请问有什么可以帮您"},
        {"start": 2.6, "end": 4.0, "channel": "caller", "text": "我家停电了"},
    ]
    sidecar_path(recording).write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    sidecar = SidecarRecognizer()
    assert sidecar.transcribe(recording, "agent") == [
        Segment(0.0, 2.5, "您好，请问有什么可以帮您", "agent"),
        Segment(4.5, 6.0, "请问还有什么可以帮您", "agent"),
    ]
    assert sidecar.transcribe(recording, "caller") == [Segment(2.6, 4.0, "我家停电了", "caller")]


def test_every_bad_item_of_a_sidecar_is_named_with_the_file_and_its_index(tmp_path: Path) -> None:
    recording = tmp_path / "c1-1001.wav"
    items = [
        {"start": 0, "end": 1, "channel": "agent", "text": "您好"},
        {"start": 1, "end": 2, "channel": "agent"},
        {"start": 3, "end": 2.5, "channel": "agent", "text": "x"},
        {"start": 3, "end": 4, "channel": "customer", "text": "x"},
        {"start": True, "end": 4, "channel": "agent", "text": "x"},
        {"start": -1, "end": 4, "channel": "agent", "text": "x"},
        {"start": 5, "end": 6, "channel": "agent", "text": 7},
        "您好",
    ]
    sidecar_path(recording).write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(TranscriptError) as caught:
        SidecarRecognizer().transcribe(recording, "agent")
    lines = str(caught.value).splitlines()
    where = str(sidecar_path(recording))
    assert lines == [
        f"{where}: item 1: missing text",
        f"{where}: item 2: end 2.5 is before start 3",
        f"{where}: item 3: channel is 'customer', not caller or agent",
        f"{where}: item 4: start is True, not a number of seconds",
        f"{where}: item 5: start is -1, not a time from the start of the recording",
        f"{where}: item 6: text is int, not a string",
        f"{where}: item 7: a segment is an object, not str",
    ]
    assert caught.value.error_id == "invalid-transcript"


def test_a_sidecar_that_is_no_json_list_or_is_missing_is_refused_by_name(tmp_path: Path) -> None:
    recording = tmp_path / "c1-1001.wav"
    with pytest.raises(NoTranscriptError, match=r"c1-1001\.transcript\.json: no transcript"):
        SidecarRecognizer().transcribe(recording, "agent")
    sidecar_path(recording).write_text('[\n  {"start": 0,\n  }\n]', encoding="utf-8")
    with pytest.raises(TranscriptError, match=r"c1-1001\.transcript\.json:3:3: not JSON"):
        SidecarRecognizer().transcribe(recording, "agent")
    sidecar_path(recording).write_text('{"segments": []}', encoding="utf-8")
    with pytest.raises(TranscriptError, match="a JSON list of segments, not dict"):
        SidecarRecognizer().transcribe(recording, "agent")


def test_segments_survive_the_round_trip_through_the_sidecar_form() -> None:
    segments = [Segment(0.0, 1.25, "您好", "agent"), Segment(1.5, 3.0, "停电了", "caller")]
    assert segments_from_json(segments_to_json(segments), source="x") == segments


# --- settings ----------------------------------------------------------------------------


def test_settings_default_to_no_recognizer_and_name_the_sidecar_and_plugin_kinds() -> None:
    assert RecognizerSettings().kind == "none"
    assert build_recognizer(RecognizerSettings()) is None
    assert isinstance(build_recognizer(RecognizerSettings(kind="sidecar")), SidecarRecognizer)
    with pytest.raises(ValidationError, match="kind: plugin needs factory"):
        RecognizerSettings(kind="plugin")
    with pytest.raises(ValidationError, match="factory"):
        RecognizerSettings(kind="plugin", factory="faster_whisper.WhisperModel")  # no colon
    with pytest.raises(ValidationError, match="timeout_s"):
        RecognizerSettings(timeout_s=0)


def test_a_wrong_speech_section_is_named_by_line_in_the_yaml() -> None:
    text = "kind: plugin\nmodel: /opt/asr/model\ntimout_s: 30\n"
    with pytest.raises(ConfigError) as caught:
        validate(parse_yaml(text, file="qa.yaml"), RecognizerSettings)
    assert "qa.yaml:3:1: timout_s" in str(caught.value)


# --- plugins -------------------------------------------------------------------------------


class ToneRecognizer:
    """A stand-in for a center's recognizer: each burst of sound on the channel becomes a
    segment, labelled in turn with the lines of ``words.txt`` in the model directory."""

    def __init__(self, model: Path) -> None:
        self.words = (model / "words.txt").read_text(encoding="utf-8").split()

    def transcribe(self, path: Path, channel: Channel) -> list[Segment]:
        rate, samples = read_channel(path, channel)
        loud = np.abs(samples) > 0.05
        frames = loud[: loud.size // 80 * 80].reshape(-1, 80).any(axis=1)  # 10 ms frames
        segments: list[Segment] = []
        start: int | None = None
        for i, on in enumerate([*frames.tolist(), False]):
            if on and start is None:
                start = i
            elif not on and start is not None:
                text = self.words[len(segments) % len(self.words)]
                segments.append(Segment(start * 80 / rate, i * 80 / rate, text, channel))
                start = None
        return segments


def tone_recognizer(settings: RecognizerSettings) -> ToneRecognizer:
    return ToneRecognizer(Path(settings.model))


def slow_recognizer(settings: RecognizerSettings) -> object:
    class Slow:
        def transcribe(self, path: Path, channel: Channel) -> list[Segment]:
            time.sleep(3)
            return []

    return Slow()


def malformed_recognizer(settings: RecognizerSettings) -> object:
    class Malformed:
        def transcribe(self, path: Path, channel: Channel) -> object:
            if settings.model == "other-channel":
                return [Segment(0, 1, "您好", "caller")]
            return [{"start": 0, "end": 1, "channel": channel, "text": "您好"}, {"start": 2}]

    return Malformed()


def no_transcribe(settings: RecognizerSettings) -> object:
    return object()


def broken_factory(settings: RecognizerSettings) -> object:
    raise FileNotFoundError(f"{settings.model}/model.onnx")


NOT_CALLABLE = 42


def plugin(factory: str, model: str = "", timeout_s: float = 30) -> PluginRecognizer:
    spec = RecognizerSettings(kind="plugin", factory=factory, model=model, timeout_s=timeout_s)
    recognizer = build_recognizer(spec)
    assert isinstance(recognizer, PluginRecognizer)
    return recognizer


def test_a_plugin_is_loaded_by_dotted_path_with_its_model_directory(tmp_path: Path) -> None:
    (tmp_path / "words.txt").write_text("您好 请问有什么可以帮您 再见", encoding="utf-8")
    recording = write_wav(
        tmp_path / "c7-1001.wav",
        caller=tones(4.0, [(2.0, 2.5)]),
        agent=tones(4.0, [(0.2, 1.0), (1.2, 1.8), (3.0, 3.5)]),
    )
    recognizer = plugin(f"{__name__}:tone_recognizer", model=str(tmp_path))
    agent = recognizer.transcribe(recording, "agent")
    assert [s.text for s in agent] == ["您好", "请问有什么可以帮您", "再见"]
    assert [(s.start, s.end) for s in agent] == [(0.2, 1.0), (1.2, 1.8), (3.0, 3.5)]
    assert recognizer.transcribe(recording, "caller") == [Segment(2.0, 2.5, "您好", "caller")]


def test_a_missing_module_or_factory_is_named(tmp_path: Path) -> None:
    with pytest.raises(RecognizerError, match=r"module no_such_asr\.engine cannot be imported"):
        plugin("no_such_asr.engine:make")
    with pytest.raises(RecognizerError, match=f"{re.escape(__name__)} has no no_such_factory"):
        plugin(f"{__name__}:no_such_factory")
    with pytest.raises(RecognizerError, match="is not callable"):
        plugin(f"{__name__}:NOT_CALLABLE")
    with pytest.raises(RecognizerError, match="returned object, which has no transcribe"):
        plugin(f"{__name__}:no_transcribe")
    with pytest.raises(RecognizerError, match=r"broken_factory failed: .*/opt/m/model\.onnx"):
        plugin(f"{__name__}:broken_factory", model="/opt/m")


def test_a_plugin_slower_than_its_timeout_is_abandoned(tmp_path: Path) -> None:
    recognizer = plugin(f"{__name__}:slow_recognizer", timeout_s=0.2)
    began = time.monotonic()
    with pytest.raises(RecognizerTimeoutError, match=r"no result after 0\.2 s"):
        recognizer.transcribe(tmp_path / "c1-1001.wav", "agent")
    assert time.monotonic() - began < 1.5
    assert any(t.name == "recognizer c1-1001.wav" and t.daemon for t in threading.enumerate())


def test_what_a_plugin_returns_is_checked_like_a_sidecar(tmp_path: Path) -> None:
    with pytest.raises(TranscriptError, match=r"on c1-1001\.wav \(agent\): item 1: missing end"):
        plugin(f"{__name__}:malformed_recognizer").transcribe(tmp_path / "c1-1001.wav", "agent")
    other = plugin(f"{__name__}:malformed_recognizer", model="other-channel")
    with pytest.raises(TranscriptError, match="returned segments of the caller channel"):
        other.transcribe(tmp_path / "c1-1001.wav", "agent")


def test_a_channel_is_read_and_resampled_for_a_model(tmp_path: Path) -> None:
    caller = np.linspace(-0.5, 0.5, 800)
    recording = write_wav(tmp_path / "c1-1001.wav", caller=caller, agent=np.zeros(800))
    rate, samples = read_channel(recording, "caller")
    assert rate == RATE
    np.testing.assert_allclose(samples, caller, atol=3 / 32768)  # 16-bit steps
    assert not read_channel(recording, "agent")[1].any()
    rate, upsampled = read_channel(recording, "caller", rate=16000)
    assert (rate, upsampled.size) == (16000, 1600)
    np.testing.assert_allclose(upsampled[::2], samples, atol=1e-6)  # the originals kept
    np.testing.assert_allclose(upsampled[1:-1:2], (samples[:-1] + samples[1:]) / 2, atol=1e-6)
    with wave.open(str(tmp_path / "mono.wav"), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(b"\0\0" * 10)
    with pytest.raises(RecognizerError, match=r"mono\.wav: 1 channel\(s\) of 16-bit"):
        read_channel(tmp_path / "mono.wav", "agent")


# --- redaction -------------------------------------------------------------------------------

REDACTION = [
    # (said, kept)
    ("我的手机是13812345678。", "我的手机是＊＊＊＊＊＊＊＊＊＊＊。"),
    ("号码138 1234 5678对吧", "号码＊＊＊ ＊＊＊＊ ＊＊＊＊对吧"),
    ("138-1234-5678", "＊＊＊-＊＊＊＊-＊＊＊＊"),
    ("一三八幺二三四五六七八", "＊＊＊＊＊＊＊＊＊＊＊"),
    ("幺三九 零零幺幺 二二三三", "＊＊＊ ＊＊＊＊ ＊＊＊＊"),
    ("座机010-62345678", "座机＊＊＊-＊＊＊＊＊＊＊＊"),
    ("座机〇三七一 六六六八 八八八八", "座机＊＊＊＊ ＊＊＊＊ ＊＊＊＊"),
    ("打六六六八八八八八找我", "打＊＊＊＊＊＊＊＊找我"),
    ("身份证号11010519491231002X，", "身份证号＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊，"),
    ("身份证号110105194912310021", "身份证号＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊"),
    ("卡号6222 0212 3456 7890 123", "卡号＊＊＊＊ ＊＊＊＊ ＊＊＊＊ ＊＊＊＊ ＊＊＊"),
    ("户号０１２３４５６７８９", "户号＊＊＊＊＊＊＊＊＊＊"),
    ("+86 138 1234 5678", "+＊＊ ＊＊＊ ＊＊＊＊ ＊＊＊＊"),
    ("2026-12-06 13912345678", "2026-12-06 ＊＊＊＊＊＊＊＊＊＊＊"),
    # stays as it was
    ("2026年12月6日停电", "2026年12月6日停电"),
    ("二零二六年十二月六日", "二零二六年十二月六日"),
    ("电费125.6元", "电费125.6元"),
    ("欠费12345678元", "欠费12345678元"),
    ("读数12345678.5度", "读数12345678.5度"),
    ("请拨打95598", "请拨打95598"),
    ("工号1001", "工号1001"),
    ("2026-12-06", "2026-12-06"),
    ("一二三四五六", "一二三四五六"),  # six digits: no phone, no ID
    ("1234567", "1234567"),  # seven digits from 1: no local number starts with 1
    ("XX供电", "XX供电"),
]


@pytest.mark.parametrize(("said", "kept"), REDACTION)
def test_personal_numbers_are_blanked_and_nothing_else(said: str, kept: str) -> None:
    assert redact(said) == kept


def test_redacted_segments_keep_their_times_and_channel() -> None:
    segments = [Segment(1.0, 4.0, "电话13812345678", "caller")]
    assert redact_segments(segments) == [Segment(1.0, 4.0, "电话＊＊＊＊＊＊＊＊＊＊＊", "caller")]


DIGITS = "0123456789０１２３４５６７８９零〇一二三四五六七八九幺"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=DIGITS + "Xx -－—\u3000年月日元.号码是电话停a，。", max_size=60))
def test_redaction_never_changes_the_length_or_a_character_other_than_a_digit(text: str) -> None:
    out = redact(text)
    assert len(out) == len(text)
    for before, after in zip(text, out, strict=True):
        if before != after:
            assert before in DIGITS + "Xx"
            assert after == REDACTED
    assert redact(out) == out
