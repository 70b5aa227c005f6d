"""SIP capacity of one Hotline process: held calls, call set-up rate, bridged recorded calls.

One run, one Hotline (`SipService` on a `VirtualClock` driven at 1× by `LiveDriver`,
behind Kamailio, as `hotline serve` runs it), SIPp as callers and as agents' phones:

0. idle: the pacer with no call, the baseline of tick lateness on this machine;
1. held: `--held` callers (default 300) arrive at `--held-rate` a second, stream a
   tone, press 3 after 12 s (tests/sip/scenarios/caller_presses_3.xml) and wait in the
   query queue with hold music (no agent is logged in yet) until they hang up; the
   figures are taken while at least 95 % of them are up (some still in the IVR prompt,
   the others queued);
2. rate: `--rate` new calls a second (default 30) for `--rate-seconds` (default 60),
   each in the IVR for `--rate-hold` seconds (tests/sip/scenarios/load_caller.xml);
   SIPp's failed calls (timeouts, non-200 answers) are counted;
3. bridged: `--agents` seats (9001…) registered to Kamailio with one SIPp UAS as their
   phone (tests/sip/scenarios/load_agent.xml: auto-answers, streams 1000 Hz); as many
   callers press 3, are bridged and recorded (two-channel WAV each) and talk until they
   hang up; each second's tick lateness is put against the conversations up then.

Every second the benchmark reads the pacer's `TickStats` (how late each 20 ms tick
started), the calls up, the process CPU time and the machine's CPU use (/proc/stat).
A calibrating loop and the load average are printed with the results: the machine
is shared. The seats are written into a copy of examples/95598 in a temporary folder.

Usage: python benchmarks/sip_capacity.py [--phases idle,held,rate,bridged] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import datetime
import io
import json
import os
import pstats
import re
import resource
import shutil
import socket
import subprocess
import tempfile
import time
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hotline.calls.config import load_hotline
from hotline.core.clock import VirtualClock
from hotline.core.events import EventRecorder
from hotline.live.driver import LiveDriver
from hotline.sip import kamrpc
from hotline.sip.kamailio import KamailioSettings, ha1
from hotline.sip.media import MediaServer
from hotline.sip.prompts import synthesize
from hotline.sip.serve import ServeSettings, SipService, prompt_texts
from hotline.sip.tickstats import TickStats

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples/95598"
SCENARIOS = ROOT / "tests/sip/scenarios"
JITTER_LIMIT_MS = 5.0
WEDNESDAY_10AM = datetime.datetime(
    2026, 11, 25, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")
).timestamp()
"""Engine time at the start: a working day in office hours (no holiday greeting)."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all cores from /proc/stat."""
    fields = [float(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def calibrate() -> float:
    """Milliseconds for a fixed pure-Python loop (lower is a faster, quieter machine)."""
    start = time.perf_counter()
    total = 0
    for i in range(2_000_000):
        total += i % 7
    return round(1000 * (time.perf_counter() - start), 1)


def merge(stats: list[TickStats]) -> TickStats:
    out = TickStats()
    for s in stats:
        out.counts = [a + b for a, b in zip(out.counts, s.counts, strict=True)]
        out.ticks += s.ticks
        out.worst = max(out.worst, s.worst)
        out.frames_due += s.frames_due
        out.frames_sent += s.frames_sent
    return out


def by_level(windows: list[Window], level: str, step: int) -> list[dict[str, Any]]:
    """The seconds grouped by calls (or bridged calls) up, `step` wide: merged lateness."""
    groups: dict[int, list[Window]] = {}
    for w in windows:
        groups.setdefault(getattr(w, level) // step * step, []).append(w)
    return [
        {
            level: f"{low}-{low + step - 1}",
            "seconds": len(group),
            "skipped": sum(w.skipped for w in group),
            "cpu_share": round(sum(w.cpu_s for w in group) / len(group), 2),
            "machine_busy": round(sum(w.machine_busy for w in group) / len(group), 2),
            **summary(merge([w.stats for w in group])),
        }
        for low, group in sorted(groups.items())
    ]


def summary(stats: TickStats) -> dict[str, Any]:
    return {
        "ticks": stats.ticks,
        "late_p50_ms": round(1000 * stats.percentile(0.50), 2),
        "late_p99_ms": round(1000 * stats.percentile(0.99), 2),
        "late_max_ms": round(1000 * stats.worst, 1),
        "frames_sent_of_due": round(stats.frames_sent / stats.frames_due, 4)
        if stats.frames_due
        else None,
    }


@dataclass
class Window:
    """One second of a phase."""

    t: float
    calls: int
    bridged: int
    cpu_s: float
    machine_busy: float
    late: int
    skipped: int
    stats: TickStats


@dataclass
class Monitor:
    service: SipService
    windows: list[Window] = field(default_factory=list)

    @property
    def media(self) -> MediaServer:
        media = self.service.switch.media
        assert media is not None
        return media

    async def run(self) -> None:
        media = self.media
        media.stats.snapshot()
        cpu, (busy, total) = _cpu(), _machine_busy()
        late, skipped = media.late_ticks, media.skipped_ticks
        start = time.monotonic()
        while True:
            await asyncio.sleep(1.0)
            cpu2, (busy2, total2) = _cpu(), _machine_busy()
            legs = media.legs()
            self.windows.append(
                Window(
                    t=round(time.monotonic() - start, 1),
                    calls=len(self.service.switch.live_calls()),
                    bridged=sum(1 for leg in legs if leg.bridge is not None) // 2,
                    cpu_s=cpu2 - cpu,
                    machine_busy=(busy2 - busy) / max(1.0, total2 - total),
                    late=media.late_ticks - late,
                    skipped=media.skipped_ticks - skipped,
                    stats=media.stats.snapshot(),
                )
            )
            cpu, busy, total = cpu2, busy2, total2
            late, skipped = media.late_ticks, media.skipped_ticks


def sipp_stats(folder: Path) -> dict[str, int]:
    """The last line of SIPp's -trace_stat file: cumulative call counters."""
    files = sorted(folder.glob("*_.csv"))
    if not files:
        return {}
    lines = [x for x in files[0].read_text().splitlines() if x.strip()]
    if len(lines) < 2:
        return {}
    header, last = lines[0].split(";"), lines[-1].split(";")
    wanted = {}
    for name, value in zip(header, last, strict=False):
        if name.endswith("(C)") and (name.startswith(("Failed", "Successful", "Total"))):
            count = int(value) if value.isdigit() else 0
            if count or name in ("FailedCall(C)", "SuccessfulCall(C)"):
                wanted[name[:-3]] = count
    return wanted


async def sipp(
    folder: Path, scenario: str, target: int, *, calls: int, rate: float, hold_ms: int
) -> dict[str, Any]:
    """Run SIPp callers to completion; SIPp's exit code and counters."""
    folder.mkdir(parents=True, exist_ok=True)
    for tone in ("caller_tone.wav", "agent_tone.wav"):
        shutil.copy(folder.parent / tone, folder / tone)
    process = await asyncio.create_subprocess_exec(
        "sipp", "-sf", str(SCENARIOS / scenario), "-s", "95598",
        "-m", str(calls), "-r", str(rate), "-l", str(calls), "-d", str(hold_ms),
        "-i", "127.0.0.1", "-p", str(free_port()), "-mp", str(free_port()),
        "-trace_stat", "-fd", "5", "-trace_err", "-nostdin",
        "-timeout", f"{int(calls / rate + hold_ms / 1000 + 120)}s", "-timeout_error",
        f"127.0.0.1:{target}",
        cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        code = await process.wait()
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 5)
            except TimeoutError:
                process.kill()
    return {"sipp_exit": code, **sipp_stats(folder), **sipp_aborts(folder)}


def sipp_aborts(folder: Path) -> dict[str, Any]:
    """Why SIPp aborted calls, from its -trace_err log. A 180 Ringing that arrives after
    the 200 OK is counted apart: Kamailio's two UDP workers can relay Hotline's 180 and
    200 (sent back to back) in either order; a phone ignores the late 180 (RFC 3261
    17.1.1.2), the test suite's strict SIPp scenarios abort the call on it."""
    text = "".join(f.read_text(errors="replace") for f in folder.glob("*_errors.log"))
    aborts = re.findall(
        r"Aborting call on (?:an )?unexpected (\w+)[^\n]*?(?:received '([^\n]*))?\n", text
    )
    late = [what for _, what in aborts if "180 Ringing" in (what or "")]
    others = [f"{kind} {what}".strip() for kind, what in aborts if "180 Ringing" not in what]
    return {"aborted_on_late_180": len(late), "other_aborts": len(others), "why": others[:5]}


def register(settings: KamailioSettings, agents: list[str], contact_port: int) -> int:
    """Bind each seat at Kamailio to the SIPp UAS (over Kamailio's JSON-RPC: one SIPp plays
    every phone, so none of them answers a digest challenge); how many were bound."""
    ok = 0
    for user in agents:
        with contextlib.suppress(kamrpc.RpcError):
            kamrpc.call(
                settings.rpc_fifo, "ul.add", "location", user,
                f"sip:{user}@127.0.0.1:{contact_port}", 3600, 1.0, "", 0, 0, 0,
            )  # fmt: skip
            ok += 1
    return ok


def hotline_with_seats(folder: Path, seats: int) -> Path:
    """A copy of examples/95598 whose `agents` are seats 9001… (query and fault)."""
    copy = folder / "hotline"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns("prompts", "*.wav"))
    agents = "".join(
        f'  - {{id: "{9001 + i}", name: 坐席{9001 + i}, skills: {{query: 5, fault: 5}}, '
        "main: query}\n"
        for i in range(seats)
    )
    path = copy / "hotline.yaml"
    text = path.read_text()
    text, n = re.subn(r"(?m)^agents:\n(?:  - .*\n)+", "agents:\n" + agents, text)
    assert n == 1, "examples/95598/hotline.yaml: no agents block"
    path.write_text(text)
    return path


def machine() -> dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "calibration_ms": calibrate(),
    }


def phase_result(
    name: str, windows: list[Window], cpu: float, wall: float, extra: dict[str, Any]
) -> dict[str, Any]:
    return {
        "phase": name,
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "cpu_share": round(cpu / wall, 3) if wall else None,
        "late_ticks": sum(w.late for w in windows),
        "skipped_ticks": sum(w.skipped for w in windows),
        **summary(merge([w.stats for w in windows])),
        **extra,
    }


async def wait_quiet(service: SipService, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while service.switch.live_calls() and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
    await asyncio.sleep(1.0)


async def run(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    phases = args.phases.split(",")
    ivr_caller, queue_caller = "load_caller.xml", "caller_presses_3.xml"
    hotline = load_hotline(hotline_with_seats(folder, args.agents))
    prompts = folder / "prompts"
    synthesize(prompt_texts(hotline), prompts)
    longest = max(args.held_seconds, args.rate_hold, args.talk) + 30
    for name, hz in (("caller_tone.wav", 400), ("agent_tone.wav", 1000)):
        subprocess.run(
            ["sox", "-n", "-r", "8000", "-c", "1", "-e", "u-law", str(folder / name),
             "synth", str(longest), "sine", str(hz), "vol", "0.5"],
            check=True,
        )  # fmt: skip
    settings = ServeSettings(
        workdir=folder / "sip",
        kamailio_port=free_port(),
        sip_port=free_port(),
        prompts=prompts,
        recordings=folder / "recordings",
        poll_seconds=1.0,
        flood_limit=None,  # every SIPp caller comes from 127.0.0.1
    )
    clock = VirtualClock(WEDNESDAY_10AM)
    driver = LiveDriver(clock, 1.0)
    driver.start()
    seats = [agent.id for agent in hotline.agents]
    service = SipService(
        hotline, settings, clock=clock, catch_up=driver.catch_up,
        credentials=lambda: {seat: ha1(seat, settings.realm, "bench") for seat in seats},
    )  # fmt: skip
    recorder = EventRecorder(service.engine.bus)
    await service.start()
    results: dict[str, Any] = {"machine_before": machine(), "phases": []}
    agent_sipp: asyncio.subprocess.Process | None = None

    async def measured(name: str, work: Any) -> tuple[list[Window], dict[str, Any], float, float]:
        monitor = Monitor(service)
        task = asyncio.get_running_loop().create_task(monitor.run())
        profile = cProfile.Profile() if args.profile and name in args.profile else None
        if profile is not None:  # the loop's thread only: engine, media, not sippy's thread
            profile.enable()
        cpu0, wall0 = _cpu(), time.monotonic()
        extra: dict[str, Any] = await work
        cpu, wall = _cpu() - cpu0, time.monotonic() - wall0
        if profile is not None:
            profile.disable()
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(18)
            extra["profile"] = out.getvalue()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        extra["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        return monitor.windows, extra, cpu, wall

    try:
        if "idle" in phases:
            windows, extra, cpu, wall = await measured("idle", _sleep(args.idle_seconds))
            results["phases"].append(phase_result("idle", windows, cpu, wall, extra))

        if "held" in phases:
            before = len(recorder)
            hold_ms = int(1000 * (args.held_seconds - 12))
            windows, extra, cpu, wall = await measured(
                "held",
                sipp(folder / "held", queue_caller, settings.kamailio_port,
                     calls=args.held, rate=args.held_rate, hold_ms=hold_ms),
            )  # fmt: skip
            peak = max((w.calls for w in windows), default=0)
            plateau = [w for w in windows if w.calls >= 0.95 * args.held]
            events = recorder.events[before:]
            extra |= {
                "target": args.held,
                "peak_calls": peak,
                "queued": sum(1 for e in events if e.kind == "contact.queued"),
                "plateau_s": len(plateau),
                "plateau": summary(merge([w.stats for w in plateau])) if plateau else None,
                "plateau_cpu_share": round(sum(w.cpu_s for w in plateau) / len(plateau), 3)
                if plateau
                else None,
                "plateau_machine_busy": round(
                    sum(w.machine_busy for w in plateau) / len(plateau), 3
                )
                if plateau
                else None,
                "by_calls": by_level(windows, "calls", 50),
                "per_second": [(w.t, w.calls, round(1000 * w.stats.percentile(0.99), 1))
                               for w in windows],
            }  # fmt: skip
            result = phase_result("held", windows, cpu, wall, extra)
            result["cpu_ms_per_call_s"] = (
                round(1000 * sum(w.cpu_s for w in plateau) / sum(w.calls for w in plateau), 2)
                if plateau
                else None
            )
            results["phases"].append(result)
            await wait_quiet(service)

        if "rate" in phases:
            before = len(recorder)
            calls = int(args.rate * args.rate_seconds)
            windows, extra, cpu, wall = await measured(
                "rate",
                sipp(folder / "rate", ivr_caller, settings.kamailio_port,
                     calls=calls, rate=args.rate, hold_ms=int(1000 * args.rate_hold)),
            )  # fmt: skip
            events = recorder.events[before:]
            extra |= {
                "calls": calls,
                "rate_per_s": args.rate,
                "arrived": sum(1 for e in events if e.kind == "call.arrived"),
                "ended": sum(1 for e in events if e.kind == "call.ended"),
                "peak_calls": max((w.calls for w in windows), default=0),
                "cpu_ms_per_call": round(1000 * cpu / calls, 1),
                "machine_busy": round(sum(w.machine_busy for w in windows) / len(windows), 3)
                if windows
                else None,
            }
            results["phases"].append(phase_result("rate", windows, cpu, wall, extra))
            await wait_quiet(service)

        if "bridged" in phases:
            before = len(recorder)
            uas_port = free_port()
            (folder / "agents").mkdir(exist_ok=True)
            shutil.copy(folder / "agent_tone.wav", folder / "agents" / "agent_tone.wav")
            agent_sipp = await asyncio.create_subprocess_exec(
                "sipp", "-sf", str(SCENARIOS / "load_agent.xml"),
                "-i", "127.0.0.1", "-p", str(uas_port), "-mp", str(free_port()),
                "-trace_stat", "-fd", "5", "-nostdin",
                cwd=folder / "agents", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            seats = [str(9001 + i) for i in range(args.agents)]
            registered = await asyncio.to_thread(
                register, service.kamailio.settings, seats, uas_port
            )
            await asyncio.sleep(3 * settings.poll_seconds)  # the seats log in
            windows, extra, cpu, wall = await measured(
                "bridged",
                sipp(folder / "bridged", queue_caller, settings.kamailio_port,
                     calls=args.agents, rate=args.bridged_rate,
                     hold_ms=int(1000 * args.talk)),
            )  # fmt: skip
            events = recorder.events[before:]
            healthy = [
                w
                for w in windows
                if w.skipped == 0 and 1000 * w.stats.percentile(0.99) < JITTER_LIMIT_MS
            ]
            unhealthy = [w for w in windows if w not in healthy]
            extra |= {
                "agents_registered": registered,
                "answered": sum(1 for e in events if e.kind == "contact.answered"),
                "recordings": len(list((folder / "recordings").glob("*.wav"))),
                "peak_bridged": max((w.bridged for w in windows), default=0),
                "most_bridged_within_limit": max((w.bridged for w in healthy), default=0),
                "fewest_bridged_over_limit": min(
                    (w.bridged for w in unhealthy if w.bridged), default=None
                ),
                "by_bridged": by_level(windows, "bridged", 25),
                "per_second": [
                    (w.t, w.calls, w.bridged, round(1000 * w.stats.percentile(0.99), 1))
                    for w in windows
                ],
            }
            results["phases"].append(phase_result("bridged", windows, cpu, wall, extra))
            await wait_quiet(service)
    finally:
        if agent_sipp is not None and agent_sipp.returncode is None:
            agent_sipp.terminate()
            try:
                await asyncio.wait_for(agent_sipp.wait(), 5)
            except TimeoutError:
                agent_sipp.kill()
                await agent_sipp.wait()
        await service.stop()
        await driver.stop()
    results["machine_after"] = machine()
    return results


async def _sleep(seconds: float) -> dict[str, Any]:
    await asyncio.sleep(seconds)
    return {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phases", default="idle,held,rate,bridged")
    parser.add_argument("--idle-seconds", type=float, default=5.0)
    parser.add_argument("--held", type=int, default=300)
    parser.add_argument("--held-rate", type=float, default=10.0)
    parser.add_argument("--held-seconds", type=float, default=60.0, help="each held call")
    parser.add_argument("--rate", type=float, default=30.0)
    parser.add_argument("--rate-seconds", type=float, default=60.0)
    parser.add_argument("--rate-hold", type=float, default=5.0)
    parser.add_argument("--agents", type=int, default=100)
    parser.add_argument("--bridged-rate", type=float, default=5.0)
    parser.add_argument("--talk", type=float, default=40.0, help="seconds after pressing 3")
    parser.add_argument("--profile", default="", help="phases to run under cProfile")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--keep", type=Path, help="keep the work folder here (SIPp logs)")
    args = parser.parse_args()
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        result = asyncio.run(run(args, args.keep))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            result = asyncio.run(run(args, Path(tmp)))
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return
    print(json.dumps(result["machine_before"]))
    for phase in result["phases"]:
        series = phase.pop("per_second", None)
        levels = phase.pop("by_calls", None) or phase.pop("by_bridged", None)
        profile = phase.pop("profile", None)
        print(json.dumps(phase, ensure_ascii=False))
        for level in levels or []:
            print("  ", json.dumps(level))
        if series:
            print("  per second:", series)
        if profile:
            print(profile)
    print(json.dumps(result["machine_after"]))


if __name__ == "__main__":
    main()
