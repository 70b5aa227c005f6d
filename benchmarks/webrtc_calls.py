"""Calls answered in browsers through rtpengine: set-up time, mouth-to-ear delay, CPU per call.

    python benchmarks/webrtc_calls.py [--calls 3] [--clicks 10]

The whole product (`LiveHotline.on_sip` with WebRTC: rtpengine, Kamailio's websocket,
the console over HTTP) and headless Chromium, one page per agent (9001 … 9003 of the
example hotline), each logged in at the desk with its browser softphone registered. Each
caller is this script: a UDP SIP client through Kamailio with its own RTP socket (PCMU),
which sends silence, presses 3 (RFC 4733) after the greeting and, once its agent talks,
sends a "click" (200 ms of 1000 Hz) every 1.5 s, noting the wall time of each click's first
packet. In each agent's page a WebAudio analyser polls the softphone's <audio> stream every
few milliseconds and notes the wall time each click is heard.

- **set-up**: from Hotline's INVITE to the agent (`SipSwitch.ring_agent`, wrapped here) to
  the browser's ringing (the softphone's state, observed in the page);
- **mouth-to-ear**: click sent by the caller → heard in the agent's browser: the caller's
  RTP through Hotline's media (bridge, recording) and rtpengine (SRTP, ICE) into Chrome's
  jitter buffer and audio element (one machine, one clock; the poll adds up to ~5 ms);
- **CPU per call**: rtpengine's, Kamailio's and this process's CPU seconds (the last holds
  Hotline, its console and the callers' RTP senders) over the talking window, per call-second.

Prints a JSON summary. Needs rtpengine-daemon, kamailio-websocket-modules, chromium, sox,
espeak-ng (scripts/system-deps.sh) and the vendored JsSIP (scripts/vendor-js.sh).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import resource
import socket
import statistics
import struct
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.sip import free_port
from tests.support.sipraw import Peer
from tests.support.webrtc import (
    WebrtcHotline,
    chromium,
    log_in,
    need_webrtc,
    serving,
    tone,
)

from hotline.calls.config import load_hotline
from hotline.sip.g711 import ulaw_encode
from hotline.sip.prompts import synthesize
from hotline.sip.rtp import build_event
from hotline.sip.serve import prompt_texts

EXAMPLE = Path(__file__).resolve().parents[1] / "examples/95598/hotline.yaml"
FRAME = 160  # 20 ms of 8 kHz
SILENCE = b"\xff" * FRAME


def _tone_frames(hz: float, frames: int) -> list[bytes]:
    pcm = b"".join(
        struct.pack("<h", int(12000 * math.sin(2 * math.pi * hz * n / 8000)))
        for n in range(FRAME * frames)
    )
    encoded = ulaw_encode(pcm)
    return [encoded[i : i + FRAME] for i in range(0, len(encoded), FRAME)]


CLICK = _tone_frames(1000, 10)  # 200 ms


class Caller:
    """A SIP caller over UDP with its own RTP stream (PCMU, 20 ms), through Kamailio."""

    def __init__(self, kamailio: tuple[str, int]) -> None:
        self.peer = Peer(kamailio)
        self.rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.rtp.bind(("127.0.0.1", 0))
        self.rtp_port = self.rtp.getsockname()[1]
        self.remote: tuple[str, int] | None = None
        self.contact = ""
        self.to_tag = ""
        self.clicks: list[float] = []  # wall time of each click's first packet
        self.talking = threading.Event()
        self.stop = threading.Event()
        self._key: str | None = None
        self._click_due = False

    def call(self, number: str) -> None:
        sdp = (
            f"v=0\r\no=bench 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            f"m=audio {self.rtp_port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\n"
        )
        host, port = self.peer.target
        self.peer.request("INVITE", f"sip:{number}@{host}:{port}", body=sdp)
        answer = self.peer.final(timeout=10)
        if answer is None or answer.status != 200:
            raise RuntimeError(f"the call was not answered: {answer}")
        self.to_tag = re.search(r"tag=([^;>\s]+)", answer.header("to") or "").group(1)  # type: ignore[union-attr]
        self.contact = re.search(r"<([^>]+)>", answer.header("contact") or "").group(1)  # type: ignore[union-attr]
        media = re.search(r"c=IN IP4 (\S+)", answer.body)
        audio = re.search(r"m=audio (\d+)", answer.body)
        assert media
        assert audio
        self.remote = (media.group(1), int(audio.group(1)))
        self._in_dialog("ACK")
        threading.Thread(target=self._send, daemon=True).start()

    def _in_dialog(self, method: str) -> None:
        target = re.match(r"sip:(?:[^@]+@)?([^:;>]+):(\d+)", self.contact)
        assert target
        self.peer.target = (target.group(1), int(target.group(2)))
        if method == "ACK":
            self.peer.cseq -= 1  # an ACK shares the INVITE's CSeq number
        self.peer.request(method, self.contact, to=f"sip:95598@{self.peer.target[0]}",
                          to_tag=self.to_tag)  # fmt: skip

    def press(self, key: str) -> None:
        self._key = key

    def click(self) -> None:
        self._click_due = True

    def hang_up(self) -> None:
        self.stop.set()
        self._in_dialog("BYE")

    def _send(self) -> None:
        assert self.remote is not None
        ssrc, seq, ts = random.getrandbits(32), random.getrandbits(16), random.getrandbits(32)
        start = time.monotonic()
        n = 0
        queue: list[bytes] = []
        while not self.stop.is_set():
            n += 1
            packets: list[tuple[int, bytes, bool]] = []
            if self._key is not None:
                key, self._key = self._key, None
                for i in range(6):  # 100 ms of the key, then three end packets
                    end = i >= 3
                    packets.append((101, build_event(key, end=end, duration=160 * (i + 1)), i == 0))
            if self._click_due and not queue:
                self._click_due = False
                queue = list(CLICK)
                self.clicks.append(time.time())
            payload = queue.pop(0) if queue else SILENCE
            packets.append((0, payload, False))
            for pt, data, marker in packets:
                header = struct.pack("!BBHII", 0x80, pt | (0x80 if marker else 0), seq & 0xFFFF,
                                     ts & 0xFFFFFFFF, ssrc)  # fmt: skip
                self.rtp.sendto(header + data, self.remote)
                seq += 1
            ts += FRAME
            time.sleep(max(0.0, start + n * 0.02 - time.monotonic()))


HEAR = """async ([seconds]) => {
  // wall times (ms) at which a click starts in the softphone's <audio> stream
  const stream = document.querySelector("#softphone audio").srcObject;
  const context = new AudioContext();
  await context.resume();
  const analyser = context.createAnalyser();
  analyser.fftSize = 256;
  context.createMediaStreamSource(stream).connect(analyser);
  const wave = new Float32Array(analyser.fftSize);
  const onsets = [];
  let loud = false;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    await new Promise((r) => setTimeout(r, 2));
    analyser.getFloatTimeDomainData(wave);
    const rms = Math.sqrt(wave.reduce((s, v) => s + v * v, 0) / wave.length);
    if (!loud && rms > 0.05) onsets.push(performance.timeOrigin + performance.now());
    loud = rms > 0.02 ? (loud || rms > 0.05) : false;
  }
  context.close();
  return onsets;
}"""

RINGING = """() => {
  window.ringAt = null;
  new MutationObserver(() => {
    const state = document.querySelector("#softphone").dataset.state;
    if (state === "ringing" && window.ringAt === null) {
      window.ringAt = performance.timeOrigin + performance.now();
    }
  }).observe(document.querySelector("#softphone"), { attributes: true });
}"""


def _cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _group_cpu(leader: int) -> float:
    total = 0.0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.getpgid(int(entry)) == leader:
                    total += _cpu(int(entry))
            except (ProcessLookupError, FileNotFoundError, PermissionError):
                continue
    return total


def run(calls: int, clicks: int) -> dict[str, Any]:
    need_webrtc()
    work = Path(tempfile.mkdtemp(prefix="webrtc-bench-"))
    prompts = work / "prompts"
    synthesize(prompt_texts(load_hotline(EXAMPLE)), prompts)
    microphone = tone(work / "mic.wav", 600, rate=48000, seconds=120)
    agents = [f"900{i + 1}" for i in range(calls)]
    hotline = WebrtcHotline(
        work, EXAMPLE, prompts=prompts, users=tuple((a, "agent") for a in agents),
        settings={"webcalls_per_minute": 100},
    )  # fmt: skip
    rung: list[float] = []
    with serving(hotline), chromium(microphone) as browser:
        service: Any = hotline.runtime.service
        ring_agent = service.switch.ring_agent

        def ring_and_note(*args: Any, **kwargs: Any) -> Any:
            rung.append(time.time())
            return ring_agent(*args, **kwargs)

        service.switch.ring_agent = ring_and_note
        pages = []
        for agent in agents:
            page = browser.new_context(locale="zh-CN").new_page()
            page.set_default_timeout(30_000)
            log_in(page, hotline.base, agent)
            page.wait_for_selector("#softphone[data-state=registered]")
            page.wait_for_selector("#agent-state[data-state=ready]")
            page.evaluate(RINGING)
            pages.append(page)
        callers = []
        for _ in agents:
            caller = Caller(hotline.kamailio)
            caller.call("95598")
            callers.append(caller)
        time.sleep(12)  # the greeting, then the main menu asks
        for caller in callers:
            caller.press("3")
        ring_at: list[float] = []
        for page in pages:
            page.wait_for_selector("#softphone[data-state=ringing]", timeout=60_000)
            ring_at.append(page.evaluate("window.ringAt") / 1000)
            page.click("#popup-answer")
        for page in pages:
            page.wait_for_selector("#agent-state[data-state=talking]")
        time.sleep(1.0)
        rtpengine = service.rtpengine._child.pid
        kamailio = service.kamailio._child.pid
        before = (_cpu(rtpengine), _group_cpu(kamailio), resource.getrusage(resource.RUSAGE_SELF))
        started = time.monotonic()
        window = clicks * 1.5 + 1.5
        for page in pages:  # every page listens at once (the evaluation is not awaited)
            page.evaluate(
                f"() => {{ window.heard = null; "
                f"({HEAR})([{window}]).then((r) => {{ window.heard = r; }}); }}"
            )

        def click_all() -> None:
            for _ in range(clicks):
                time.sleep(1.5)
                for caller in callers:
                    caller.click()

        clicker = threading.Thread(target=click_all, daemon=True)
        clicker.start()
        clicker.join()
        heard = [
            hotline.until(lambda p=page: p.evaluate("window.heard"), window + 10) for page in pages
        ]
        talk = time.monotonic() - started
        after = (_cpu(rtpengine), _group_cpu(kamailio), resource.getrusage(resource.RUSAGE_SELF))
        for caller in callers:
            caller.hang_up()
        for page in pages:
            page.wait_for_selector("#agent-state[data-state=wrap_up]")
    delays: list[float] = []
    for caller, onsets in zip(callers, heard, strict=True):
        for sent in caller.clicks:
            later = [o / 1000 - sent for o in onsets if 0 <= o / 1000 - sent < 1.0]
            if later:
                delays.append(min(later) * 1000)
    setups = [
        (r - s) * 1000 for s, r in zip(sorted(rung)[: len(ring_at)], sorted(ring_at), strict=True)
    ]
    call_seconds = talk * calls
    self_cpu = (after[2].ru_utime + after[2].ru_stime) - (before[2].ru_utime + before[2].ru_stime)
    return {
        "calls": calls,
        "setup_ms": [round(s, 1) for s in setups],
        "mouth_to_ear_ms": {
            "clicks_sent": sum(len(c.clicks) for c in callers),
            "heard": len(delays),
            "median": round(statistics.median(delays), 1) if delays else None,
            "p95": round(sorted(delays)[int(0.95 * (len(delays) - 1))], 1) if delays else None,
            "min": round(min(delays), 1) if delays else None,
            "max": round(max(delays), 1) if delays else None,
        },
        "cpu_ms_per_call_second": {
            "rtpengine": round((after[0] - before[0]) / call_seconds * 1000, 2),
            "kamailio": round((after[1] - before[1]) / call_seconds * 1000, 2),
            "hotline_process": round(self_cpu / call_seconds * 1000, 2),
        },
        "talk_seconds": round(talk, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1, choices=(1, 2, 3))
    parser.add_argument("--clicks", type=int, default=10)
    args = parser.parse_args()
    free_port()  # fail early without a loopback
    print(json.dumps(run(args.calls, args.clicks), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
