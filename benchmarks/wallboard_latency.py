"""How late a connected wallboard learns what happened, during the busiest example day.

Runs `hotline demo` (a separate process, as a user runs it) on the heat-wave
scenario from 09:00 at a given speed, logs in as the supervisor, and reads the
live stream (`/api/stream`) for a while, as the wallboard page does. For every
event record and every board snapshot it compares the wall time it arrived with
the wall time its engine time stands for: the demo clock maps engine time to
wall time linearly (engine = a0 + speed × (wall − w0)); (a0, w0) is read from
`GET /api/board` (its `at`, at the middle of the request) before and after the
measurement and the two anchors are averaged.

    .venv/bin/python benchmarks/wallboard_latency.py [--speed 60] [--seconds 60]

Reports percentiles of the delay of event records, of board snapshots (the page
redraws its numbers from the snapshots), and of an event until the first snapshot
that includes it (what a supervisor waits to see it on the wallboard).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from websockets.sync.client import connect

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # tests.support has the free-port helper the tests use

from tests.support.postgres import free_port  # noqa: E402

SCENARIO = REPO / "examples" / "95598" / "scenarios" / "heatwave.yaml"


def _anchor(base: str, headers: dict[str, str]) -> tuple[float, float]:
    """(engine time, wall time) of one moment of the server's clock."""
    before = time.time()
    board = httpx.get(f"{base}/api/board", headers=headers, timeout=10).json()
    after = time.time()
    return float(board["at"]), (before + after) / 2


def _percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    values = sorted(values)

    def pick(q: float) -> float:
        return values[min(len(values) - 1, int(q * len(values)))]

    return {
        "p50": pick(0.50),
        "p95": pick(0.95),
        "p99": pick(0.99),
        "max": values[-1],
        "mean": statistics.fmean(values),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--speed", type=float, default=60.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="hotline-wallboard-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    hotline = Path(sys.executable).with_name("hotline")
    command = [
        str(hotline),
        "demo",
        "--port",
        str(port),
        "--db",
        str(folder / "demo.db"),
        "--speed",
        str(args.speed),
        "--scenario",
        str(SCENARIO),
        "--start",
        "09:00",
    ]
    with (folder / "demo.log").open("wb") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            time.sleep(0.2)
        login = httpx.post(
            f"{base}/api/auth/login",
            json={"username": "supervisor", "password": "demo123"},
            timeout=10,
        ).json()
        headers = {"Authorization": f"Bearer {login['token']}"}
        first = _anchor(base, headers)
        records: list[tuple[float, float]] = []  # (engine at, wall arrival)
        boards: list[tuple[float, float]] = []
        counted: list[tuple[float, float]] = []  # (engine time the counts run to, arrival)
        with connect(f"ws://127.0.0.1:{port}/api/stream?token={login['token']}") as ws:
            end = time.time() + args.seconds
            while time.time() < end:
                try:
                    message = ws.recv(timeout=1.0)
                except TimeoutError:
                    continue
                arrived = time.time()
                record = json.loads(message)
                if record.get("kind") == "board":
                    boards.append((float(record["at"]), arrived))
                    if record.get("counted_to") is not None:
                        counted.append((float(record["counted_to"]), arrived))
                elif "at" in record and record.get("kind") != "feed.lagged":
                    records.append((float(record["at"]), arrived))
        last = _anchor(base, headers)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()

    # engine = a + speed × (wall − w): take the offset w − a/speed from both anchors
    offset = statistics.fmean(w - a / args.speed for a, w in (first, last))
    drift = abs((first[1] - first[0] / args.speed) - (last[1] - last[0] / args.speed))
    event_delays = [arrived - (offset + at / args.speed) for at, arrived in records]
    board_delays = [arrived - (offset + at / args.speed) for at, arrived in boards]

    def until_shown(snapshots: list[tuple[float, float]]) -> list[float]:
        """Per event, the delay until the first snapshot whose time is at or after it."""
        delays, i = [], 0
        ordered = sorted(snapshots)
        for at, _ in records:
            while i < len(ordered) and ordered[i][0] < at:
                i += 1
            if i == len(ordered):
                break
            delays.append(min(a for t, a in ordered[i:] if t >= at) - (offset + at / args.speed))
        return delays

    # the present (waiting, agents' states): the first snapshot taken at or after the event;
    # the counts (offered, answered, service levels): the first counted up to it
    shown_delays = until_shown(boards)
    counted_delays = until_shown(counted)
    result = {
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cores",
        "date": time.strftime("%Y-%m-%d"),
        "speed": args.speed,
        "seconds": args.seconds,
        "records": len(records),
        "records_per_s": round(len(records) / args.seconds, 1),
        "snapshots": len(boards),
        "anchor_drift_s": round(drift, 4),
        "event_delay_s": {k: round(v, 4) for k, v in _percentiles(event_delays).items()},
        "board_delay_s": {k: round(v, 4) for k, v in _percentiles(board_delays).items()},
        "shown_on_board_delay_s": {k: round(v, 4) for k, v in _percentiles(shown_delays).items()},
        "counted_on_board_delay_s": {
            k: round(v, 4) for k, v in _percentiles(counted_delays).items()
        },
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
