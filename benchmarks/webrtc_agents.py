"""Many WebRTC agents registered on one node: a SIP-over-websocket load generator.

    python benchmarks/webrtc_agents.py [--agents 100] [--hold 30]

The whole product with WebRTC (`LiveHotline.on_sip`: rtpengine, Kamailio's websocket, the
SIP endpoint, the console over HTTP). The desk's softphone credentials are issued for
`--agents` extensions (8001 …) the way ``POST /api/desk/softphone`` issues them
(`Softphones.issue`); `SipService`'s poll gives them to Kamailio. Then one websocket per
agent (tests/support/wssip.py, a browser's REGISTER with digest) registers, all at once;
they stay connected `--hold` seconds while each re-registers every 10 s (a browser
refreshes at half its expiry; 10 s makes the load 30× a browser's at 300 s expiry).

Reports: how long until every agent is registered, each REGISTER's round trip (median,
95th percentile), Kamailio's CPU and memory (all its processes) while they hold, how long
`registered` (``ul.dump`` over the FIFO, what the 2 s poll reads) takes with them, and the
benchmark process's CPU (Hotline and the load generator share it). Real browsers: see
benchmarks/webrtc_calls.py.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.webrtc import WebrtcHotline, need_webrtc, serving
from tests.support.wssip import WsSip

from hotline.calls.config import load_hotline
from hotline.sip.kamailio import registered
from hotline.sip.prompts import synthesize
from hotline.sip.serve import prompt_texts

EXAMPLE = Path(__file__).resolve().parents[1] / "examples/95598/hotline.yaml"


def _cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _group(leader: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.getpgid(int(entry)) == leader:
                    pids.append(int(entry))
            except (ProcessLookupError, PermissionError):
                continue
    return pids


def _rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def run(agents: int, hold: float) -> dict[str, Any]:
    need_webrtc()
    work = Path(tempfile.mkdtemp(prefix="webrtc-agents-"))
    prompts = work / "prompts"
    synthesize(prompt_texts(load_hotline(EXAMPLE)), prompts)
    # every simulated browser is on 127.0.0.1: no flood limit (real ones come from many addresses)
    hotline = WebrtcHotline(work, EXAMPLE, prompts=prompts, settings={"flood_limit": None})
    with serving(hotline):
        softphones = hotline.runtime.softphones
        edge = softphones.edge if softphones is not None else None
        assert softphones is not None
        assert edge is not None
        issued = [
            softphones.issue(str(8001 + i), session=f"bench-{i}", expires=time.time() + 3600)
            for i in range(agents)
        ]
        time.sleep(hotline.settings.poll_seconds * 2)  # the poll gives them to Kamailio
        service: Any = hotline.runtime.service
        kamailio = service.kamailio._child.pid
        settings = service.kamailio.settings

        async def load() -> dict[str, Any]:
            clients = [WsSip(edge.ws_url, edge.domain) for _ in issued]
            await asyncio.gather(*(c.open() for c in clients))
            rtts: list[float] = []

            async def register(client: WsSip, index: int) -> int:
                credential = issued[index]
                started = time.perf_counter()
                answer = await client.register(
                    credential.extension, credential.auth_user, credential.password,
                    credential.realm, expires=60, timeout=20,
                )  # fmt: skip
                rtts.append((time.perf_counter() - started) * 1000)
                return answer.status or 0

            started = time.perf_counter()
            codes = await asyncio.gather(*(register(c, i) for i, c in enumerate(clients)))
            all_in = time.perf_counter() - started
            first_rtts = list(rtts)
            pids = _group(kamailio)
            cpu_before, self_before = sum(_cpu(p) for p in pids), time.process_time()
            held_from = time.perf_counter()
            refreshes = 0
            while time.perf_counter() - held_from < hold:
                await asyncio.sleep(10)
                rtts.clear()
                refreshed = await asyncio.gather(*(register(c, i) for i, c in enumerate(clients)))
                refreshes += sum(1 for code in refreshed if code == 200)
            held = time.perf_counter() - held_from
            cpu = sum(_cpu(p) for p in _group(kamailio)) - cpu_before
            self_cpu = time.process_time() - self_before
            rss = _rss_mb(_group(kamailio))
            dump_started = time.perf_counter()
            seen = await asyncio.to_thread(registered, settings)
            dump_ms = (time.perf_counter() - dump_started) * 1000
            await asyncio.gather(*(c.close() for c in clients))
            return {
                "agents": agents,
                "registered_200": codes.count(200),
                "all_registered_s": round(all_in, 2),
                "register_rtt_ms": {
                    "median": round(statistics.median(first_rtts), 1),
                    "p95": round(sorted(first_rtts)[int(0.95 * (len(first_rtts) - 1))], 1),
                },
                "refresh_rtt_ms_last_round": {
                    "median": round(statistics.median(rtts), 1) if rtts else None,
                    "p95": round(sorted(rtts)[int(0.95 * (len(rtts) - 1))], 1) if rtts else None,
                },
                "refreshes_200": refreshes,
                "held_s": round(held, 1),
                "kamailio_cpu_share": round(cpu / held, 4),
                "kamailio_rss_mb": round(rss, 1),
                "benchmark_process_cpu_share": round(self_cpu / held, 4),
                "ul_dump_ms": round(dump_ms, 1),
                "aors_in_ul_dump": len(seen),
            }

        return asyncio.run(load())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=100)
    parser.add_argument("--hold", type=float, default=30.0)
    args = parser.parse_args()
    if not 1 <= args.agents <= 5000:
        parser.error("--agents: 1 to 5000")
    print(json.dumps(run(args.agents, args.hold), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
