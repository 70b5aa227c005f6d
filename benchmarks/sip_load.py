"""SIPp load on Hotline's SIP edge: concurrent callers through Kamailio into the IVR.

Starts Kamailio and Hotline (`SipService`, the example 95598 hotline, engine time
driven at 1×) in this process, then SIPp places `--calls` calls at `--rate` calls
a second; each caller streams a tone for `--hold` seconds while the IVR plays to
it, then hangs up (tests/sip/scenarios/load_caller.xml). Reported: calls SIPp
completed and failed, INVITE→200 OK times (SIPp's rtd, through Kamailio), the
most calls up at once, the CPU this process used, and the media pacer's late and
skipped ticks. Prompts are synthesized with espeak-ng into a temporary folder.

Usage: python benchmarks/sip_load.py [--calls 100] [--rate 10] [--hold 20] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import resource
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from hotline.calls.config import load_hotline
from hotline.core.clock import VirtualClock
from hotline.core.events import EventRecorder
from hotline.live.driver import LiveDriver
from hotline.sip.prompts import synthesize
from hotline.sip.serve import ServeSettings, SipService, prompt_texts

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples/95598/hotline.yaml"
SCENARIO = ROOT / "tests/sip/scenarios/load_caller.xml"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rtd_ms(folder: Path) -> list[float]:
    """Per-call response times from SIPp's -trace_rtt file(s): date_ms;response_time;rtd_no."""
    times: list[float] = []
    for file in folder.glob("*_rtt.csv"):
        for line in file.read_text().splitlines()[1:]:
            fields = line.split(";")
            if len(fields) >= 2:
                try:
                    times.append(float(fields[1]))
                except ValueError:
                    continue
    return times


async def run(calls: int, rate: float, hold: float, folder: Path) -> dict[str, Any]:
    hotline = load_hotline(EXAMPLE)
    prompts = folder / "prompts"
    synthesize(prompt_texts(hotline), prompts)
    subprocess.run(
        ["sox", "-n", "-r", "8000", "-c", "1", "-e", "u-law", str(folder / "caller_tone.wav"),
         "synth", str(hold + 5), "sine", "400", "vol", "0.5"],
        check=True,
    )  # fmt: skip
    settings = ServeSettings(
        workdir=folder / "hotline",
        kamailio_port=free_port(),
        sip_port=free_port(),
        prompts=prompts,
        flood_limit=None,  # every SIPp caller comes from 127.0.0.1
    )
    clock = VirtualClock(time.time())
    driver = LiveDriver(clock, 1.0)
    driver.start()
    service = SipService(hotline, settings, clock=clock, catch_up=driver.catch_up)
    recorder = EventRecorder(service.engine.bus)
    await service.start()
    peak = 0
    try:
        cpu0, wall0 = _cpu(), time.monotonic()
        sipp = await asyncio.create_subprocess_exec(
            "sipp", "-sf", str(SCENARIO), "-s", "95598",
            "-m", str(calls), "-r", str(rate), "-l", str(calls),
            "-d", str(int(hold * 1000)), "-i", "127.0.0.1",
            "-p", str(free_port()), "-mp", str(free_port()),
            "-trace_rtt", "-rtt_freq", "1", "-nostdin", "-timeout", f"{int(hold * 3 + 60)}s",
            f"127.0.0.1:{settings.kamailio_port}",
            cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        while sipp.returncode is None:
            peak = max(peak, len(service.switch.live_calls()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(sipp.wait(), timeout=0.5)
        cpu, wall = _cpu() - cpu0, time.monotonic() - wall0
        media = service.switch.media
        late = media.late_ticks if media is not None else 0
        skipped = media.skipped_ticks if media is not None else 0
    finally:
        await service.stop()
        await driver.stop()
    ended = [e for e in recorder if e.kind == "call.ended"]
    rtd = sorted(_rtd_ms(folder))
    return {
        "calls": calls,
        "rate_per_s": rate,
        "hold_s": hold,
        "sipp_exit": sipp.returncode,
        "calls_arrived": sum(1 for e in recorder if e.kind == "call.arrived"),
        "calls_ended": len(ended),
        "peak_concurrent": peak,
        "answer_ms_p50": round(statistics.median(rtd), 1) if rtd else None,
        "answer_ms_p95": round(rtd[int(0.95 * (len(rtd) - 1))], 1) if rtd else None,
        "cpu_share": round(cpu / wall, 3),
        "late_ticks": late,
        "skipped_ticks": skipped,
        "wall_s": round(wall, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--hold", type=float, default=20.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = asyncio.run(run(args.calls, args.rate, args.hold, Path(tmp)))
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:>16}: {value}")


if __name__ == "__main__":
    main()
