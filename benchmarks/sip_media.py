"""How many RTP streams one process's 20 ms pacer carries on loopback.

For each size N, N/2 callers play a looping prompt (PCMU) while N/2 other
legs are bridged in pairs and relay (with a two-channel recording each, as a
conversation does); a UDP peer per leg sends 20 ms frames to it and counts what
comes back. Reported per size: the CPU the process used per tick, how many ticks
started late (more than 5 ms after their due time), how many were skipped
(the pacer fell more than 5 frames behind), and the share of frames the peers
received out of those due. The pacer is healthy while nothing is skipped and
late ticks stay rare.

Usage: python benchmarks/sip_media.py [--sizes 50,100,200] [--seconds 5] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import resource
import struct
import tempfile
import time
from pathlib import Path
from typing import Any, cast

from hotline.sip import g711, rtp
from hotline.sip.media import PCMU, PTIME, Bridge, MediaServer, Player, Recorder, RtpLeg, Sound


class Peer(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.received = 0
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.received += 1


def _tone(hz: float, seconds: float) -> bytes:
    n = int(8000 * seconds)
    return struct.pack(
        f"<{n}h", *(int(6000 * math.sin(2 * math.pi * hz * i / 8000)) for i in range(n))
    )


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def run_size(n: int, seconds: float, folder: Path) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    media = MediaServer(rtp_timeout=3600)
    prompt = Sound(_tone(440, 3.0))  # its frames shared by every leg, as the switch does
    frame = g711.ulaw_encode(_tone(1000, PTIME))
    legs: list[tuple[RtpLeg, Peer]] = []
    for _ in range(n):
        leg = await media.open_leg(PCMU)
        _, peer = await loop.create_datagram_endpoint(Peer, local_addr=("127.0.0.1", 0))
        assert peer.transport is not None
        leg.set_peer(*peer.transport.get_extra_info("sockname")[:2])
        leg.start()
        legs.append((leg, peer))
    half = n // 2
    for leg, _ in legs[:half]:
        leg.play(Player(prompt, loop=True))
    bridges = []
    for i in range(half, n - 1, 2):
        recorder = Recorder(folder / f"{n}-{i}.wav")
        bridges.append(Bridge(legs[i][0], legs[i + 1][0], recorder))
    media.start()
    cpu0, wall0 = _cpu(), loop.time()
    ticks = int(seconds / PTIME)
    for t in range(ticks):
        await asyncio.sleep(max(0.0, wall0 + t * PTIME - loop.time()))
        for leg, peer in legs[half:]:  # the bridged legs hear their far ends
            assert peer.transport is not None
            packet = rtp.RtpPacket(PCMU, False, t, t * 160, 7, frame)
            peer.transport.sendto(rtp.build(packet), ("127.0.0.1", leg.port))
    cpu = _cpu() - cpu0
    wall = loop.time() - wall0
    for bridge in bridges:
        bridge.close()
    late, skipped = media.late_ticks, media.skipped_ticks
    await media.stop()
    due = n * wall / PTIME
    received = sum(peer.received for _, peer in legs)
    for _, peer in legs:
        if peer.transport is not None:
            peer.transport.close()
    return {
        "streams": n,
        "seconds": round(wall, 2),
        "cpu_ms_per_tick": round(1000 * cpu / (wall / PTIME), 3),
        "cpu_share": round(cpu / wall, 3),
        "late_ticks": late,
        "skipped_ticks": skipped,
        "delivered": round(received / due, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,100,200,400")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            results.append(asyncio.run(run_size(n, args.seconds, Path(tmp))))
            time.sleep(0.2)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    header = ("streams", "cpu ms/tick", "cpu share", "late", "skipped", "delivered")
    print(" ".join(f"{h:>12}" for h in header))
    for r in results:
        row = (
            "streams",
            "cpu_ms_per_tick",
            "cpu_share",
            "late_ticks",
            "skipped_ticks",
            "delivered",
        )
        print(" ".join(f"{r[k]:>12}" for k in row))


if __name__ == "__main__":
    main()
