"""`hotline serve` killed with SIGKILL during a call: Kamailio goes with it, and the next
start ends the call as lost (an event and the calls row) before it serves again."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hotline.sip.process import alive, find
from hotline.store.db import Calls, Database, EventLog
from tests.support.sip import free_port, need, sipp, stop_process

pytestmark = pytest.mark.realtime  # wall-clock calls: -m "not realtime" skips them

EXAMPLE = Path(__file__).resolve().parents[2] / "examples/95598/hotline.yaml"
SCENARIOS = Path(__file__).parent / "scenarios"


def _serve(
    tmp_path: Path, prompts: Path, ports: dict[str, int], log: Path
) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "hotline.cli", "serve", str(EXAMPLE),
         "--sip-port", str(ports["sip"]), "--kamailio-port", str(ports["kamailio"]),
         "--port", str(ports["console"]), "--workdir", str(tmp_path / "sip"),
         "--prompts", str(prompts)],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while "phones register at" not in log.read_text(errors="replace"):
        assert process.poll() is None, log.read_text(errors="replace")
        assert time.monotonic() < deadline, log.read_text(errors="replace")
        time.sleep(0.1)
    return process


def _arrived(db: Path) -> list[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        rows = connection.execute("SELECT call FROM events WHERE kind = 'call.arrived'")
        return [row[0] for row in rows]


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def test_a_killed_serve_takes_kamailio_along_and_its_call_ends_as_lost_at_restart(
    tmp_path: Path, prompts: Path
) -> None:
    need("kamailio", "kamcmd", "sipp", "sox")
    subprocess.run(
        ["sox", "-n", "-r", "8000", "-c", "1", "-e", "u-law", str(tmp_path / "caller_tone.wav"),
         "synth", "60", "sine", "400", "vol", "0.5"],
        check=True,
    )  # fmt: skip
    ports = {"sip": free_port(), "kamailio": free_port(), "console": free_port()}
    db = tmp_path / "sip" / "hotline.db"
    config = str(tmp_path / "sip" / "kamailio" / "kamailio.cfg")
    first = _serve(tmp_path, prompts, ports, tmp_path / "first.log")
    caller = None
    try:
        caller = sipp(SCENARIOS / "caller_presses_3.xml", ("127.0.0.1", ports["kamailio"]),
                      tmp_path, service="95598", extra=("-d", "60000"))  # fmt: skip
        deadline = time.monotonic() + 20
        while not _arrived(db):
            assert time.monotonic() < deadline, "the call did not arrive"
            time.sleep(0.1)
        [call] = _arrived(db)
        kamailio = int((tmp_path / "sip" / "kamailio" / "kamailio.pid").read_text())
        assert alive(kamailio)
        assert len(find("kamailio", "-f", config)) > 1

        first.send_signal(signal.SIGKILL)
        first.wait(10)

        deadline = time.monotonic() + 5
        while find("kamailio", "-f", config) or not _port_free(ports["kamailio"]):
            left = find("kamailio", "-f", config)
            assert time.monotonic() < deadline, f"Kamailio outlived Hotline: {left}"
            time.sleep(0.05)
        assert not alive(kamailio)

        second = _serve(tmp_path, prompts, ports, tmp_path / "second.log")
        try:
            second.send_signal(signal.SIGTERM)
            assert second.wait(20) == 0
        finally:
            stop_process(second)
        output = (tmp_path / "second.log").read_text(errors="replace")
        assert "1 call(s) open, ended now as lost" in output, output
    finally:
        if caller is not None:
            stop_process(caller)
        stop_process(first)
        for left in find("kamailio", "-f", config):
            os.kill(left, signal.SIGKILL)

    with Database.open(f"sqlite:///{db}") as database:
        ended = EventLog(database).read(kinds=["call.ended"], call=call)
        assert [(e.event.by, e.event.outcome) for e in ended] == [("lost", "blocked")]  # type: ignore[attr-defined]
        row = Calls(database).get(call)
    assert row is not None
    assert row.ended_at is not None
    assert row.outcome == "blocked"
