"""Benchmark: speech analytics (语音分析) of one hour of two-channel 8 kHz audio.

The hour is the demo's `Voices` conversation (turns of syllable-like bursts, the agent
first), written as a 16-bit PCM WAV as the SIP recorder writes it. Times, best of three
after a first (cold) run:

1. `analyse` of the hour — the goal is under 10 s on the 2-core development machine;
2. the same hour with hold music on the agent's channel for 2 minutes in every 10
   (the steady-sound and tonality paths at work);
3. the hour as the demo's 8-bit file (`write_wav`);
4. `envelope` of the hour (2,000 points per channel, for the player).

Synthesizing and writing the files is not counted.

    python benchmarks/speech_analytics.py          # a table, under a minute
    python benchmarks/speech_analytics.py --json
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import random
import tempfile
import time
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hotline.quality.speech import CallAnalysis, analyse, envelope
from hotline.sim.voices import RATE, Voices, write_wav

SECONDS = 3600.0
GOAL_S = 10.0
REPEATS = 3


def _timed(run: Callable[[], object]) -> tuple[float, float, object]:
    """(first run, best of the next `REPEATS`, what the first returned)."""
    started = time.perf_counter()
    result = run()
    first = time.perf_counter() - started
    best = math.inf
    for _ in range(REPEATS):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return first, best, result


def _pcm16(channel: bytes) -> NDArray[np.int16]:
    return ((np.frombuffer(channel, np.uint8).astype(np.int16) - 128) << 8).astype(np.int16)


def _write16(path: Path, left: NDArray[np.int16], right: NDArray[np.int16]) -> None:
    frames = np.empty(2 * left.size, "<i2")
    frames[0::2], frames[1::2] = left, right
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(frames.tobytes())


def _with_hold(
    left: NDArray[np.int16], right: NDArray[np.int16]
) -> tuple[NDArray[np.int16], NDArray[np.int16]]:
    """Both channels with the caller on hold for 2 minutes in every 10: a tune on the
    agent's channel, the caller quiet."""
    caller, agent = left.copy(), right.copy()
    notes = (262.0, 294.0, 330.0, 392.0, 440.0, 523.0)
    t = np.arange(round(0.4 * RATE)) / RATE
    tune = np.concatenate(
        [np.sin(2 * np.pi * f * t) + 0.4 * np.sin(4 * np.pi * f * t) for f in notes]
    )
    tune = (6000 * np.tile(tune, 50) / 1.4).astype(np.int16)  # 300 notes: 120 s
    for start in range(240, int(SECONDS), 600):
        a = start * RATE
        b = min(a + tune.size, agent.size)
        agent[a:b] = tune[: b - a]
        caller[a:b] = 0
    return caller, agent


def _figures(result: CallAnalysis) -> dict[str, Any]:
    return {
        "caller_talk_s": result.caller_talk_seconds,
        "agent_talk_s": result.agent_talk_seconds,
        "overtalk_s": result.overtalk_seconds,
        "silence_s": result.silence_seconds,
        "hold_music_s": result.hold_music_seconds,
        "caller_syllables_per_minute": result.caller_syllables_per_minute,
        "agent_syllables_per_minute": result.agent_syllables_per_minute,
        "flags": list(result.flags),
    }


def run(folder: Path) -> dict[str, Any]:
    started = time.perf_counter()
    left, right = Voices().conversation(random.Random(2026), SECONDS)
    plain, held, eight = folder / "hour16.wav", folder / "hold16.wav", folder / "hour8.wav"
    caller, agent = _pcm16(left), _pcm16(right)
    _write16(plain, caller, agent)
    _write16(held, *_with_hold(caller, agent))
    write_wav(eight, left, right)
    synthesis = time.perf_counter() - started

    results: dict[str, Any] = {
        "audio_s": SECONDS,
        "file_mb": round(plain.stat().st_size / 1e6, 1),
        "synthesis_s": round(synthesis, 2),
        "goal_s": GOAL_S,
    }
    for name, path in (("hour16", plain), ("hold16", held), ("hour8", eight)):
        first, best, result = _timed(lambda p=path: analyse(p))  # type: ignore[misc]
        assert isinstance(result, CallAnalysis)
        results[name] = {"first_s": round(first, 3), "best_s": round(best, 3), **_figures(result)}
    first, best, waveform = _timed(lambda: envelope(plain, points=2000))
    results["envelope"] = {"first_s": round(first, 3), "best_s": round(best, 3), "points": 2000}
    assert isinstance(waveform, dict)
    assert len(waveform["channels"]) == 2
    results["met_goal"] = results["hour16"]["first_s"] < GOAL_S
    return results


def _machine() -> dict[str, Any]:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            names = [line.split(":", 1)[1].strip() for line in info if "model name" in line]
        model = names[0] if names else model
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "load_average": [round(x, 2) for x in load],
        "python": platform.python_version(),
        "numpy": np.__version__,
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print machine-readable results")
    args = parser.parse_args()
    machine = _machine()
    with tempfile.TemporaryDirectory(prefix="speech-bench-") as tmp:
        results = run(Path(tmp))
    if args.json:
        print(json.dumps({"machine": machine, **results}, indent=2, ensure_ascii=False))
        return
    print(
        f"machine: {machine['cpu']}, {machine['cores']} cores, load {machine['load_average']},"
        f" Python {machine['python']}, numpy {machine['numpy']}, {machine['date']}"
    )
    r = results
    print(
        f"\none hour of two-channel 8 kHz audio ({r['file_mb']} MB as 16-bit PCM; "
        f"synthesized in {r['synthesis_s']:.1f} s, not counted); first run / best of {REPEATS}"
    )
    labels = {
        "hour16": "analyse, 16-bit conversation",
        "hold16": "analyse, 16-bit with 20 % hold",
        "hour8": "analyse, 8-bit (demo) file",
    }
    for key, label in labels.items():
        row = r[key]
        print(
            f"  {label:32s} {row['first_s']:6.2f} s / {row['best_s']:6.2f} s   "
            f"talk {row['caller_talk_s']:.0f} + {row['agent_talk_s']:.0f} s, "
            f"hold {row['hold_music_s']:.0f} s, silence {row['silence_s']:.0f} s, "
            f"{row['caller_syllables_per_minute']} / {row['agent_syllables_per_minute']} 字/分钟"
        )
    env = r["envelope"]
    print(f"  {'envelope, 2,000 points':32s} {env['first_s']:6.2f} s / {env['best_s']:6.2f} s")
    verdict = "met" if r["met_goal"] else "MISSED"
    print(f"\ngoal: an hour analysed in under {GOAL_S:.0f} s (first run): {verdict}")


if __name__ == "__main__":
    main()
