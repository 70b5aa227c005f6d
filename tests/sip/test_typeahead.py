"""Type-ahead on a real call: a SIPp caller through Kamailio presses 3 (RFC 4733) one second
into the greeting of examples/95598, before the main menu asks; the menu takes the 3 at
once, without playing its prompt, and the caller is queued for 业务咨询."""

from __future__ import annotations

import asyncio
import subprocess
import wave
from pathlib import Path

import pytest

from hotline.calls.config import load_hotline
from hotline.core.clock import VirtualClock
from hotline.core.events import EventRecorder
from hotline.live.driver import LiveDriver
from hotline.sip.serve import SipService
from tests.sip.test_end_to_end import EXAMPLE, SCENARIOS, WEDNESDAY_10AM
from tests.support.sip import need, serve_settings, sipp

pytestmark = pytest.mark.realtime


def seconds(wav: Path) -> float:
    with wave.open(str(wav)) as w:
        return w.getnframes() / w.getframerate()


def test_3_pressed_during_the_greeting_is_the_menus_choice(tmp_path: Path, prompts: Path) -> None:
    need("kamailio", "sipp", "sox")
    settings = serve_settings(tmp_path, prompts, recordings=None)
    hotline = load_hotline(EXAMPLE)
    subprocess.run(
        ["sox", "-n", "-r", "8000", "-c", "1", "-e", "u-law", str(tmp_path / "caller_tone.wav"),
         "synth", "30", "sine", "400", "vol", "0.5"],
        check=True,
    )  # fmt: skip

    async def run() -> tuple[EventRecorder, int, str]:
        clock = VirtualClock(WEDNESDAY_10AM)
        driver = LiveDriver(clock, 1.0)
        driver.start()
        service = SipService(hotline, settings, clock=clock, catch_up=driver.catch_up)
        recorder = EventRecorder(service.engine.bus)
        await service.start()
        try:
            caller = sipp(
                SCENARIOS / "caller_types_3_ahead.xml",
                (settings.host, settings.kamailio_port),
                tmp_path,
                service="95598",
                extra=("-d", "16000"),  # hangs up 17 s in: queued by then,
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
    assert rc == 0, errors
    events = [e.to_record() for e in recorder]
    [entered] = [e for e in events if e["kind"] == "ivr.entered"]
    [chosen] = [e for e in events if e["kind"] == "ivr.menu_chosen"]
    assert (chosen["node"], chosen["choice"]) == ("main_menu", "3")
    # chosen when the greeting ended, not after the menu's prompt (or its timeout)
    greeting = seconds(prompts / "welcome.wav")
    assert seconds(prompts / "menu_main.wav") > 5.0
    took = float(chosen["at"]) - float(entered["at"])  # type: ignore[arg-type]
    assert greeting - 0.5 < took < greeting + 1.5
    exited = next(e for e in events if e["kind"] == "ivr.exited")
    assert (exited["node"], exited["queue"]) == ("to_query", "query")
    assert "ivr.input_failed" not in [e["kind"] for e in events]
