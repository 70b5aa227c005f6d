"""WebRTC agents taking calls on one node: set-up, mouth-to-ear and CPU per call at C calls.

    python benchmarks/webrtc_load.py [--agents 100] [--calls 10,25,50,100] [--clicks 8]
                                     [--workers 1] [--json]

Needs the optional dependency aiortc (``make bench-webrtc`` installs ``.[bench]``), and
rtpengine-daemon, kamailio-websocket-modules, sox and espeak-ng (scripts/system-deps.sh).

The whole product with WebRTC (`WebrtcHotline`: rtpengine, Kamailio's websocket, the SIP
endpoint, the console over HTTP) in this process, on a copy of examples/95598 whose seats
are 9001 … 9000+N (wrap-up shortened to 5 s so the levels follow each other). Desk
session credentials are issued as ``POST /api/desk/softphone`` issues them
(`Softphones.issue`); then, **in separate processes** (`--workers`, so their CPU is theirs):

- the agents' load generator (tests/support/wsagent.py): one SIP-over-websocket client
  per seat, registered with its credential (which logs the seat in ready), answering each
  call 180 then 200 OK with aiortc (ICE, DTLS-SRTP, rtcp-mux, PCMU), sending a soft tone
  and noting when what it hears gets loud;
- the callers: C UDP SIP callers through Kamailio, one RTP stream each (PCMU, 20 ms, one
  sending thread for all), that press 3 after the greeting and, once every call is
  bridged, send a "click" (200 ms of 1000 Hz) every 1.5 s, all at the same 20 ms tick.

Per level C (each with every seat ready again first):

- **set-up**: Hotline's `ring_agent` (the engine rings the seat) → the INVITE's arrival at
  the agent's websocket (what a browser shows as ringing); also → 200 OK sent (aiortc's
  answer: ICE candidates gathered) and → DTLS connected;
- **mouth-to-ear** caller → agent (one clock): a click's first packet sent → the first loud
  SRTP packet decrypted by the agent (the network ear: Hotline's bridge and recording,
  rtpengine's SRTP and ICE), and → the first loud frame out of aiortc's jitter buffer
  (which holds 4 frames, ~80 ms; a browser's is adaptive, see webrtc_calls.py for Chrome);
- **CPU per call-second** over the talking window: rtpengine, Kamailio (all its processes),
  this process (Hotline: engine, media pacer, console; the orchestration only polls), the
  agents' generator and the callers;
- Hotline's pacer (`MediaServer.stats`, a `TickStats`): tick lateness p50/p99/max, late and
  skipped ticks, frames sent of due, over the talking window.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import re
import resource
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.sip import free_port
from tests.support.sipraw import Peer
from tests.support.wsagent import Onsets, ulaw_loud

from hotline.calls.config import load_hotline
from hotline.sip.g711 import ulaw_encode
from hotline.sip.prompts import synthesize
from hotline.sip.rtp import build_event
from hotline.sip.serve import prompt_texts

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples/95598"
FRAME = 160  # 20 ms of 8 kHz
SILENCE = b"\xff" * FRAME
CLICK_EVERY = 1.5
GREETING = 12.0  # the main menu asks after the greeting


def _tone_frames(hz: float, frames: int) -> list[bytes]:
    pcm = b"".join(
        struct.pack("<h", int(12000 * math.sin(2 * math.pi * hz * n / 8000)))
        for n in range(FRAME * frames)
    )
    encoded = ulaw_encode(pcm)
    return [encoded[i : i + FRAME] for i in range(0, len(encoded), FRAME)]


def _pct(values: list[float], q: float) -> float | None:
    """The nearest-rank percentile."""
    if not values:
        return None
    return round(sorted(values)[max(0, math.ceil(q * len(values)) - 1)], 1)


def _summary(values: list[float]) -> dict[str, Any]:
    return {
        "n": len(values),
        "median": round(statistics.median(values), 1) if values else None,
        "p95": _pct(values, 0.95),
        "max": round(max(values), 1) if values else None,
    }


def _say(out: IO[str], **fields: Any) -> None:
    out.write(json.dumps(fields) + "\n")
    out.flush()


# --- the agents' load generator (a process of its own) -------------------------------


def agents_role(spec: dict[str, Any]) -> None:
    from tests.support.wsagent import WebrtcAgent

    async def main() -> None:
        agents = [
            WebrtcAgent(spec["url"], spec["domain"], a["extension"], a["auth_user"],
                        a["password"], a["realm"], decode=spec["decode"])
            for a in spec["agents"]
        ]  # fmt: skip
        started = time.perf_counter()
        codes = await asyncio.gather(*(a.register() for a in agents), return_exceptions=True)
        _say(
            sys.stdout,
            registered=sum(1 for c in codes if c == 200),
            failed=[repr(c) for c in codes if c != 200][:5],
            seconds=round(time.perf_counter() - started, 2),
        )
        loop = asyncio.get_running_loop()
        while True:
            line = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
            if line == "dump":
                _say(sys.stdout, agents=[a.results() for a in agents])
            elif line in ("stop", ""):
                break
        await asyncio.gather(*(a.close() for a in agents), return_exceptions=True)

    asyncio.run(main())


# --- the callers (a process of their own) --------------------------------------------


class Caller:
    """A caller through the carrier's trunk (one SIP socket for all, `peer`, the trunk's
    address: Kamailio keeps its P-Asserted-Identity, so Hotline knows the caller's number
    and rings the agent from it) with its own RTP socket (PCMU)."""

    def __init__(self, peer: Peer, kamailio: tuple[str, int], number: int) -> None:
        self.peer = peer
        self.kamailio = kamailio
        self.number = f"1380{number:07d}"
        self.call_id = f"bench-{number}-{time.monotonic_ns()}@127.0.0.1"
        self.cseq = 0
        self.rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.rtp.bind(("127.0.0.1", 0))
        self.remote: tuple[str, int] | None = None
        self.contact = ""
        self.to_tag = ""
        self.ssrc, self.seq, self.ts = (random.getrandbits(n) for n in (32, 16, 32))
        self.key: str | None = None
        self.click_due = False
        self.queue = 0  # click frames still to send
        self.clicks: list[float] = []  # wall time of each click's first packet

    def call(self, to: str) -> str:
        """'' when answered, else why not."""
        port = self.rtp.getsockname()[1]
        sdp = (
            f"v=0\r\no=bench 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            f"m=audio {port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\n"
        )
        host, kport = self.kamailio
        self._send("INVITE", f"sip:{to}@{host}:{kport}", self.kamailio, body=sdp)
        deadline = time.monotonic() + 10
        answer = None
        while time.monotonic() < deadline:
            answer = self.peer.final(timeout=deadline - time.monotonic())
            if answer is None or answer.header("call-id") == self.call_id:
                break
        if answer is None or answer.status != 200:
            return f"not answered: {answer.first if answer else 'no answer'}"
        tag = re.search(r"tag=([^;>\s]+)", answer.header("to") or "")
        contact = re.search(r"<([^>]+)>", answer.header("contact") or "")
        media = re.search(r"c=IN IP4 (\S+)", answer.body)
        audio = re.search(r"m=audio (\d+)", answer.body)
        if not (tag and contact and media and audio):
            return "an answer without tag, contact or SDP"
        self.to_tag, self.contact = tag.group(1), contact.group(1)
        self.remote = (media.group(1), int(audio.group(1)))
        self._in_dialog("ACK")
        return ""

    def _send(self, method: str, uri: str, target: tuple[str, int], **more: Any) -> None:
        self.peer.target, self.peer.cseq = target, self.cseq
        self.peer.request(
            method, uri, from_user=self.number, call_id=self.call_id,
            headers=(f"P-Asserted-Identity: <sip:{self.number}@127.0.0.1>",), **more,
        )  # fmt: skip
        self.cseq = self.peer.cseq

    def _in_dialog(self, method: str) -> None:
        target = re.match(r"sip:(?:[^@]+@)?([^:;>]+):(\d+)", self.contact)
        assert target
        if method == "ACK":
            self.cseq -= 1  # an ACK shares the INVITE's CSeq number
        host = (target.group(1), int(target.group(2)))
        self._send(method, self.contact, host, to=f"sip:95598@{host[0]}", to_tag=self.to_tag)

    def packets(self, payload: bytes) -> list[bytes]:
        out: list[tuple[int, bytes, bool]] = []
        if self.key is not None:
            key, self.key = self.key, None
            for i in range(6):  # 100 ms of the key, then three end packets
                out.append((101, build_event(key, end=i >= 3, duration=160 * (i + 1)), i == 0))
        out.append((0, payload, False))
        data = []
        for pt, body, marker in out:
            head = struct.pack("!BBHII", 0x80, pt | (0x80 if marker else 0), self.seq & 0xFFFF,
                               self.ts & 0xFFFFFFFF, self.ssrc)  # fmt: skip
            data.append(head + body)
            self.seq += 1
        self.ts += FRAME
        return data


def callers_role(spec: dict[str, Any]) -> None:
    kamailio = (spec["kamailio"][0], int(spec["kamailio"][1]))
    trunk = Peer(kamailio, port=spec["trunk"])
    callers = [Caller(trunk, kamailio, i) for i in range(spec["calls"])]
    why = [c.call("95598") for c in callers]
    up = [c for c, w in zip(callers, why, strict=True) if not w]
    ports = {c.number: c.rtp.getsockname()[1] for c in up}
    _say(sys.stdout, answered=len(up), failed=[w for w in why if w][:5], ports=ports)
    stop = threading.Event()
    click = _tone_frames(1000, 10)  # 200 ms
    # the callers' streams spread over the 20 ms: caller i sends at millisecond i*20/C of
    # each frame, as independent phones would (the delay through Hotline's 20 ms pacer
    # depends on where in its tick a packet arrives)
    slots: list[list[Caller]] = [[] for _ in range(20)]
    for i, caller in enumerate(up):
        slots[i * 20 // max(1, len(up))].append(caller)

    behind = {"max_ms": 0.0, "skips": 0}

    def send() -> None:
        start, k = time.monotonic(), 0
        while not stop.is_set():
            late = time.monotonic() - (start + k * 0.001)
            behind["max_ms"] = max(behind["max_ms"], late * 1000)
            if late >= 0.02:  # stalled: skip the frames missed, as a phone would; no burst
                behind["skips"] += 1
                k += int(late * 1000) // 20 * 20
            for caller in slots[k % 20]:
                assert caller.remote is not None
                if caller.click_due and caller.queue == 0:
                    caller.click_due = False
                    caller.queue = len(click)
                    caller.clicks.append(time.time())
                payload = click[len(click) - caller.queue] if caller.queue else SILENCE
                caller.queue = max(0, caller.queue - 1)
                for packet in caller.packets(payload):
                    with contextlib.suppress(OSError):
                        caller.rtp.sendto(packet, caller.remote)
            k += 1
            time.sleep(max(0.0, start + k * 0.001 - time.monotonic()))

    def drain() -> None:  # what Hotline sends the callers (prompts, music, the agents' tone)
        import select

        sockets = [c.rtp for c in up]
        while not stop.is_set():
            ready, _, _ = select.select(sockets, [], [], 0.2)
            for s in ready:
                with contextlib.suppress(OSError):
                    s.recv(2048)

    threading.Thread(target=send, daemon=True).start()
    threading.Thread(target=drain, daemon=True).start()
    time.sleep(spec["greeting"])
    for caller in up:
        caller.key = "3"
    _say(sys.stdout, pressed=len(up))
    for line in sys.stdin:
        command = line.strip()
        if command == "talk":
            for _ in range(spec["clicks"]):
                for caller in up:
                    caller.click_due = True
                time.sleep(CLICK_EVERY)
            behind["max_ms"] = round(behind["max_ms"], 1)
            _say(sys.stdout, clicks={c.number: c.clicks for c in up}, sender=behind)
        elif command == "hangup":
            stop.set()
            for caller in up:
                caller._in_dialog("BYE")
            _say(sys.stdout, hung_up=len(up))
            break


# --- the orchestration, with Hotline in this process ---------------------------------


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _group_cpu(leader: int) -> float:
    total = 0.0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(ProcessLookupError, FileNotFoundError, PermissionError):
                if os.getpgid(int(entry)) == leader:
                    total += _cpu(int(entry))
    return total


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def hotline_with_seats(folder: Path, seats: int, wrap_up: int) -> Path:
    """A copy of examples/95598 whose `agents` are seats 9001… and wrap-up `wrap_up` s."""
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
    text = re.sub(r"(?m)^(\s+wrap_up:) \d+", rf"\1 {wrap_up}", text)
    path.write_text(text)
    return path


class Tap:
    """When Hotline sends a click on towards an agent (rtpengine): `RtpLeg.send` wrapped in
    this process (a benchmark's probe, one dict look-up and a `bytes.translate` a frame),
    onsets per caller's RTP port, that is per call."""

    def __init__(self) -> None:
        from hotline.sip.media import RtpLeg

        self.sent: dict[int, list[float]] = {}
        self._ports: set[int] = set()
        self._onsets: dict[int, Any] = {}
        original = RtpLeg.send

        def send(leg: Any, payload: bytes) -> None:
            bridge = leg.bridge
            if bridge is not None:
                other = bridge.a if bridge.b is leg else bridge.b
                port = other.remote[1] if other.remote is not None else 0
                if port in self._ports:
                    onsets = self._onsets.get(id(leg))
                    if onsets is None:
                        onsets = self._onsets[id(leg)] = Onsets(self.sent.setdefault(port, []))
                    onsets.frame(ulaw_loud(payload))
            original(leg, payload)

        RtpLeg.send = send  # type: ignore[method-assign]

    def watch(self, ports: set[int]) -> None:
        """The callers' RTP ports of the next level (the last level's are forgotten)."""
        self._ports, self._onsets = ports, {}
        self.sent.clear()


class Child:
    """A role of this script in a process of its own, spoken to in JSON lines."""

    def __init__(self, role: str, spec: dict[str, Any], folder: Path) -> None:
        path = folder / f"{role}-{time.monotonic_ns()}.json"
        path.write_text(json.dumps(spec))
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--role", role, "--spec", str(path)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.pid = self.process.pid

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def read(self, timeout: float = 120.0) -> dict[str, Any]:
        assert self.process.stdout is not None
        result: list[str] = []
        reader = threading.Thread(
            target=lambda: result.append(self.process.stdout.readline()),  # type: ignore[union-attr]
            daemon=True,
        )
        reader.start()
        reader.join(timeout)
        if not result or not result[0]:
            raise RuntimeError(f"no answer from the {self.process.args[3]} process")
        return dict(json.loads(result[0]))

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.send("stop")
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def level(
    calls: int,
    *,
    hotline: Any,
    workers: list[Child],
    rung: list[tuple[float, str]],
    tap: Tap,
    clicks: int,
    folder: Path,
) -> dict[str, Any]:
    from hotline.core.ids import AgentId
    from hotline.routing.model import AgentState

    service: Any = hotline.runtime.service
    media = service.switch.media
    acd = service.engine.acd
    seats = [a.id for a in service.engine.hotline.agents]
    began = time.time()
    rung_before = len(rung)
    media.stats.snapshot()
    level_late, level_skipped = media.late_ticks, media.skipped_ticks
    callers = Child("callers", {"kamailio": list(hotline.kamailio), "calls": calls,
                                "trunk": hotline.settings.trunk[1], "clicks": clicks,
                                "greeting": GREETING}, folder)  # fmt: skip
    placed = callers.read(60 + calls)
    tap.watch(set(placed["ports"].values()))
    callers.read(GREETING + 30)  # pressed 3

    def bridged() -> int:
        return sum(1 for leg in media.legs() if leg.bridge is not None) // 2

    deadline = time.monotonic() + 60 + calls * 0.5
    while bridged() < placed["answered"] and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)
    up = bridged()
    rtpengine, kamailio = service.rtpengine._child.pid, service.kamailio._child.pid
    pids = [w.pid for w in workers]

    def cpu() -> tuple[float, ...]:
        return (_cpu(rtpengine), _group_cpu(kamailio), _self_cpu(),
                sum(_cpu(p) for p in pids), _cpu(callers.pid))  # fmt: skip

    setup_stats = media.stats.snapshot()
    setup_late = media.late_ticks - level_late
    setup_skipped = media.skipped_ticks - level_skipped
    late, skipped = media.late_ticks, media.skipped_ticks
    before, started = cpu(), time.monotonic()
    load_before = os.getloadavg()[0]
    depths: list[int] = []  # frames waiting in the bridged legs' inboxes (INBOX_FRAMES)
    sampling = threading.Event()

    def sample() -> None:
        while not sampling.wait(0.25):
            depths.extend(len(leg.inbox) for leg in media.legs() if leg.bridge is not None)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    callers.send("talk")
    talked = callers.read(clicks * CLICK_EVERY + 30)
    sent = talked["clicks"]
    time.sleep(1.0)  # the last click's way
    talk = time.monotonic() - started
    sampling.set()
    sampler.join()
    after = cpu()
    stats = media.stats.snapshot()
    caught_up = sum(leg.skipped for leg in media.legs())  # before the legs close
    late, skipped = media.late_ticks - late, media.skipped_ticks - skipped
    still_up = bridged()
    callers.send("hangup")
    callers.read(30)
    callers.close()
    agents: list[dict[str, Any]] = []
    for worker in workers:
        worker.send("dump")
        agents += worker.read(60)["agents"]
    # set-up: the engine's ring → the agent's INVITE, per seat in order
    records = {a["extension"]: [c for c in a["calls"] if c["invite"] >= began - 1] for a in agents}
    setup: dict[str, list[float]] = {"invite": [], "ok_sent": [], "dtls_connected": []}
    for at, agent in rung[rung_before:]:
        mine = records.get(agent, [])
        match = next((c for c in mine if c["invite"] >= at - 0.001), None)
        if match is None:
            continue
        mine.remove(match)
        setup["invite"].append((match["invite"] - at) * 1000)
        if match["answered"]:
            setup["ok_sent"].append((match["answered"] - at) * 1000)
        if match["connected"]:
            setup["dtls_connected"].append((match["connected"] - at) * 1000)
    connected = sum(
        1 for a in agents for c in a["calls"] if c["invite"] >= began - 1 and c["connected"]
    )
    failed_calls = [
        c["failed"] for a in agents for c in a["calls"] if c["invite"] >= began - 1 and c["failed"]
    ]
    # mouth-to-ear: each caller's clicks against what the agent it reached heard, and
    # against when Hotline sent the click on to rtpengine (`tap`)
    ear: dict[str, list[float]] = {"onsets": [], "played": [], "hotline": [], "beyond": []}

    def first_after(times: list[float], click: float) -> float | None:
        return next((t for t in times if 0 <= t - click < 1.0), None)

    for agent in agents:
        for call in agent["calls"]:
            if call["invite"] < began - 1 or not call["answered"]:
                continue
            port = placed["ports"].get(call["caller"])
            out = sorted(t for t in tap.sent.get(port, []) if t >= call["answered"] - 1)
            heard = sorted(t for t in agent["onsets"] if t >= call["answered"])
            played = sorted(t for t in agent["played"] if t >= call["answered"])
            for click in sent.get(call["caller"], []):
                at_agent, at_out = first_after(heard, click), first_after(out, click)
                if at_agent is not None:
                    ear["onsets"].append((at_agent - click) * 1000)
                if at_out is not None:
                    ear["hotline"].append((at_out - click) * 1000)
                if at_agent is not None and at_out is not None:
                    ear["beyond"].append((at_agent - at_out) * 1000)
                at_played = first_after(played, click)
                if at_played is not None:
                    ear["played"].append((at_played - click) * 1000)
    call_seconds = talk * max(1, up)
    names = ("rtpengine", "kamailio", "hotline_process", "agents_generator", "callers")
    # every seat ready again before the next level
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if all(acd.state_of(AgentId(s)) is AgentState.READY for s in seats):
            break
        time.sleep(0.5)
    return {
        "calls": calls,
        "load_average_1m": round(load_before, 2),
        "callers_answered_by_ivr": placed["answered"],
        "callers_failed": placed["failed"],
        "bridged_at_talk": up,
        "bridged_at_end": still_up,
        "agent_calls_dtls_connected": connected,
        "agent_call_failures": failed_calls[:5],
        "rung": len(rung) - rung_before,
        "setup_ms": {k: _summary(v) for k, v in setup.items()},
        "mouth_to_ear_ms": {
            "clicks_sent": sum(len(v) for v in sent.values()),
            "at_packet": _summary(ear["onsets"]),
            "caller_to_hotline_out": _summary(ear["hotline"]),
            "hotline_out_to_agent": _summary(ear["beyond"]),
            "after_aiortc_jitter_buffer": _summary(ear["played"]),
        },
        "talk_seconds": round(talk, 1),
        "cpu_ms_per_call_second": {
            name: round((a - b) / call_seconds * 1000, 2)
            for name, a, b in zip(names, after, before, strict=True)
        },
        "cpu_share_of_a_core": {
            name: round((a - b) / talk, 3) for name, a, b in zip(names, after, before, strict=True)
        },
        "pacer": {
            "ticks": stats.ticks,
            "late_p50_ms": round(1000 * stats.percentile(0.50), 2),
            "late_p99_ms": round(1000 * stats.percentile(0.99), 2),
            "late_max_ms": round(1000 * stats.worst, 1),
            "late_ticks": late,
            "skipped_ticks": skipped,
            "frames_sent_of_due": round(stats.frames_sent / stats.frames_due, 4)
            if stats.frames_due
            else None,
        },
        "pacer_before_talk": {
            "late_max_ms": round(1000 * setup_stats.worst, 1),
            "late_ticks": setup_late,
            "skipped_ticks": setup_skipped,
        },
        "bridge_inbox_frames": {
            "samples": len(depths),
            "mean": round(statistics.fmean(depths), 2) if depths else None,
            "p95": _pct([float(d) for d in depths], 0.95),
            "max": max(depths, default=None),
            "skipped_to_catch_up": caught_up,
        },
        "callers_sender": talked["sender"],
    }


def run(agents: int, levels: list[int], clicks: int, workers: int, decode: bool) -> dict[str, Any]:
    from tests.support.webrtc import WebrtcHotline, serving

    from hotline.sip.kamailio import webrtc_missing
    from hotline.sip.rtpengine import available as rtpengine_available

    missing = webrtc_missing()
    if rtpengine_available() is None or missing is not None:
        raise SystemExit(f"WebRTC unavailable: {missing or 'no rtpengine'} (system-deps.sh)")
    folder = Path(tempfile.mkdtemp(prefix="webrtc-load-"))
    site = hotline_with_seats(folder, agents, wrap_up=5)
    prompts = folder / "prompts"
    synthesize(prompt_texts(load_hotline(site)), prompts)
    base = random.randrange(20000, 38000, 2000)
    hotline = WebrtcHotline(
        folder, site, prompts=prompts, users=(), trunk=free_port(),
        settings={"flood_limit": None, "rtp_ports": (base, base + 1999)},
    )  # fmt: skip
    rung: list[tuple[float, str]] = []
    tap = Tap()
    out: dict[str, Any] = {
        "agents": agents,
        "workers": workers,
        "decode": decode,
        "cores": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "levels": [],
    }
    with serving(hotline):
        softphones = hotline.runtime.softphones
        assert softphones is not None
        edge = softphones.edge
        assert edge is not None
        service: Any = hotline.runtime.service
        ring_agent = service.switch.ring_agent

        def ring_and_note(call: Any, agent: Any, timeout: float) -> Any:
            rung.append((time.time(), str(agent)))
            return ring_agent(call, agent, timeout)

        service.switch.ring_agent = ring_and_note
        issued = [
            softphones.issue(str(9001 + i), session=f"bench-{i}", expires=time.time() + 7200)
            for i in range(agents)
        ]
        time.sleep(hotline.settings.poll_seconds * 2)  # the poll gives them to Kamailio
        started = time.perf_counter()
        children = []
        for w in range(workers):
            mine = issued[w::workers]
            spec = {
                "decode": decode,
                "url": edge.ws_url,
                "domain": edge.domain,
                "agents": [
                    {"extension": c.extension, "auth_user": c.auth_user,
                     "password": c.password, "realm": c.realm}
                    for c in mine
                ],
            }  # fmt: skip
            children.append(Child("agents", spec, folder))
        try:
            registered = [c.read(120) for c in children]
            out["registered"] = sum(r["registered"] for r in registered)
            out["register_failures"] = [f for r in registered for f in r["failed"]][:5]
            from hotline.core.ids import AgentId
            from hotline.routing.model import AgentState

            acd = service.engine.acd
            seats = [str(9001 + i) for i in range(agents)]
            deadline = time.monotonic() + 60
            ready = 0
            while time.monotonic() < deadline:
                ready = sum(1 for s in seats if acd.state_of(AgentId(s)) is AgentState.READY)
                if ready == agents:
                    break
                time.sleep(0.25)
            out["agents_ready"] = ready
            out["all_ready_s"] = round(time.perf_counter() - started, 2)
            for calls in levels:
                if calls > agents:
                    break
                result = level(
                    calls, hotline=hotline, workers=children, rung=rung, tap=tap, clicks=clicks,
                    folder=folder,
                )  # fmt: skip
                out["levels"].append(result)
                print(json.dumps(result, ensure_ascii=False), file=sys.stderr, flush=True)
        finally:
            for child in children:
                child.close()
    shutil.rmtree(folder, ignore_errors=True)
    return out


def table(result: dict[str, Any]) -> str:
    lines = [
        f"{result['agents']} agents ({result['registered']} registered, "
        f"{result['agents_ready']} ready in {result['all_ready_s']} s), "
        f"{result['workers']} generator process(es); load {result['load_average_at_start']}",
        "calls | bridged | set-up ms med/p95 | m2e@packet med/p95/max (heard/exp)"
        " | m2e@jitterbuf med | CPU ms/call-s rtpe/kam/hotline/gen/callers"
        " | pacer p99/max, skipped",
    ]
    for lv in result["levels"]:
        s, m = lv["setup_ms"]["invite"], lv["mouth_to_ear_ms"]
        p, c = m["at_packet"], lv["cpu_ms_per_call_second"]
        lines.append(
            f"{lv['calls']} | {lv['bridged_at_talk']} | {s['median']}/{s['p95']} | "
            f"{p['median']}/{p['p95']}/{p['max']} ({p['n']}/{m['clicks_sent']}) | "
            f"{m['after_aiortc_jitter_buffer']['median']} | "
            f"{c['rtpengine']}/{c['kamailio']}/{c['hotline_process']}/"
            f"{c['agents_generator']}/{c['callers']} | "
            f"{lv['pacer']['late_p99_ms']}/{lv['pacer']['late_max_ms']}, "
            f"{lv['pacer']['skipped_ticks']}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=100)
    parser.add_argument("--calls", default="10,25,50,100", help="levels, comma-separated")
    parser.add_argument("--clicks", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1, help="agent generator processes")
    parser.add_argument(
        "--decode",
        action="store_true",
        help="agents decode what they hear through aiortc's jitter buffer (heavier)",
    )
    parser.add_argument(
        "--no-catch-up",
        action="store_true",
        help="the baseline: bridged legs keep a standing backlog (no INBOX_TARGET catch-up)",
    )
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    parser.add_argument("--role", choices=("agents", "callers"), help=argparse.SUPPRESS)
    parser.add_argument("--spec", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role is not None:
        spec = json.loads(Path(args.spec).read_text())
        (agents_role if args.role == "agents" else callers_role)(spec)
        return
    if not 1 <= args.agents <= 500:
        parser.error("--agents: 1 to 500")
    levels = [int(x) for x in args.calls.split(",") if x.strip()]
    if args.no_catch_up:
        import hotline.sip.media

        hotline.sip.media.CATCH_UP_TICKS = 1 << 30
    result = run(args.agents, levels, args.clicks, max(1, args.workers), args.decode)
    print(json.dumps(result, ensure_ascii=False, indent=1) if args.json else table(result))


if __name__ == "__main__":
    main()
