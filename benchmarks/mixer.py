"""The bridge's mixer (监听 / 耳语 / 强插, 三方通话): CPU per 20 ms tick of one call.

A caller, an agent and a joined third leg all talk (a frame in every inbox each tick);
the legs are not started, so nothing goes on the wire and the figure is the mixing
alone (decode, sum with clipping, encode per listener). Run: python benchmarks/mixer.py
"""

from __future__ import annotations

import asyncio
import math
import struct
import time

from hotline.sip import g711
from hotline.sip.media import BARGE, LISTEN, PCMU, WHISPER, Bridge, Hearing, MediaServer

TICKS = 5000


async def main() -> None:
    media = MediaServer()
    a = await media.open_leg(PCMU)
    b = await media.open_leg(PCMU)
    s = await media.open_leg(PCMU)
    pcm = struct.pack("<160h", *(int(8000 * math.sin(i / 5)) for i in range(160)))
    frame = g711.ulaw_encode(pcm)
    modes: tuple[tuple[str, Hearing | None], ...] = (
        ("two legs (relay, no mixing)", None),
        ("listen", LISTEN),
        ("whisper", WHISPER),
        ("barge / three-way", BARGE),
    )
    for label, hearing in modes:
        bridge = Bridge(a, b, None)
        if hearing is not None:
            bridge.join(s, hearing)
        start = time.perf_counter()
        for _ in range(TICKS):
            for leg in (a, b, s):
                leg.inbox.append(frame)
            bridge.tick()
        per_tick = (time.perf_counter() - start) / TICKS
        cpu = per_tick * 50 * 1e3
        print(f"{label:28} {per_tick * 1e6:6.0f} µs a tick, {cpu:5.1f} ms CPU a second")
        bridge.close()
    await media.stop()


if __name__ == "__main__":
    asyncio.run(main())
