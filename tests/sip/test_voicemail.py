"""A voicemail on a real call: a SIPp caller through Kamailio waits out the queue's maximum
(nobody is logged in), hears the prompt and the beep, speaks (a 400 Hz tone) and falls
silent; the message ends by silence, is kept as a mono WAV next to the recordings, the
callback task names it, and the hotline thanks the caller and hangs up."""

from __future__ import annotations

import asyncio
import datetime
import subprocess
import wave
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hotline.calls.config import load_hotline
from hotline.core.clock import VirtualClock
from hotline.core.events import EventRecorder
from hotline.live.driver import LiveDriver
from hotline.sip.serve import SipService
from tests.calls.test_voicemail import MAX_WAIT, PROMPT, WELCOME, write_hotline
from tests.support.sip import need, serve_settings, sipp, sox_stat

pytestmark = pytest.mark.realtime

SCENARIO = Path(__file__).parent / "scenarios" / "caller_leaves_message.xml"
START = datetime.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp()
SPEAKS = 3.0  # seconds of tone the caller sends after the beep, then nothing


def test_a_callers_message_is_recorded_and_linked_to_the_callback_task(tmp_path: Path) -> None:
    need("kamailio", "sipp", "sox")
    hotline = load_hotline(
        write_hotline(
            tmp_path, "{prompt: leave_message, thanks_prompt: message_thanks, silence_timeout: 2}"
        )
    )
    prompts = tmp_path / "prompts"  # no WAVs: each prompt is its declared length of silence
    prompts.mkdir()
    recordings = tmp_path / "recordings"
    tone = WELCOME + MAX_WAIT + PROMPT + SPEAKS  # from the ACK: the message starts at the beep
    subprocess.run(
        ["sox", "-n", "-r", "8000", "-c", "1", "-e", "u-law", str(tmp_path / "caller_message.wav"),
         "synth", str(tone), "sine", "400", "vol", "0.5"],
        check=True,
    )  # fmt: skip
    settings = serve_settings(tmp_path, prompts, recordings=recordings)

    async def run() -> tuple[EventRecorder, int, str]:
        clock = VirtualClock(START)
        driver = LiveDriver(clock, 1.0)
        driver.start()
        service = SipService(hotline, settings, clock=clock, catch_up=driver.catch_up)
        recorder = EventRecorder(service.engine.bus)
        await service.start()
        try:
            caller = sipp(
                SCENARIO, (settings.host, settings.kamailio_port), tmp_path, service="95598"
            )
            rc = await asyncio.to_thread(caller.wait, 60)
            assert caller.stderr is not None
            errors = caller.stderr.read().decode(errors="replace")
            for _ in range(50):
                if "call.ended" in [e.kind for e in recorder]:
                    break
                await asyncio.sleep(0.1)
            return recorder, rc, errors
        finally:
            await service.stop()
            await driver.stop()

    recorder, rc, errors = asyncio.run(run())
    assert rc == 0, errors  # the hotline's BYE reached the caller
    events = {e.kind: e.to_record() for e in recorder}
    created, message, ended = (
        events["callback.created"],
        events["voicemail.recorded"],
        events["call.ended"],
    )
    call = str(message["call"])
    assert created["reason"] == "voicemail"
    assert message["task"] == created["task"]
    assert (message["file"], message["ended_by"], message["simulated"]) == (
        f"{call}-voicemail.wav",
        "silence",
        False,
    )
    assert SPEAKS - 0.6 <= float(message["seconds"]) <= SPEAKS + 0.6  # type: ignore[arg-type]
    assert (ended["outcome"], ended["by"]) == ("callback", "system")
    wav = recordings / f"{call}-voicemail.wav"
    with wave.open(str(wav)) as w:
        assert (w.getnchannels(), w.getframerate()) == (1, 8000)
        assert abs(w.getnframes() / 8000 - float(message["seconds"])) < 0.1  # type: ignore[arg-type]
    stats = sox_stat(wav)
    assert 360 <= stats["Rough   frequency"] <= 440
    assert stats["RMS     amplitude"] > 0.1
    assert [p.name for p in recordings.iterdir()] == [wav.name]  # no conversation recorded
