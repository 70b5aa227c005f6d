"""`hotline serve` as a process: it starts Kamailio and its SIP endpoint, survives bad SIP
input without a traceback on its output (one warning line per bad message), answers what
it should, and stops cleanly on SIGINT."""

from __future__ import annotations

import random
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.support.sip import free_port, need, stop_process

pytestmark = pytest.mark.realtime  # wall-clock calls: -m "not realtime" skips them

EXAMPLE = Path(__file__).resolve().parents[2] / "examples/95598/hotline.yaml"


def request(method: str, port: int, *, body: str = "", to_tag: str | None = None) -> bytes:
    branch = uuid.uuid4().hex
    to = f"<sip:95598@127.0.0.1:{port}>" + (f";tag={to_tag}" if to_tag else "")
    lines = [
        f"{method} sip:95598@127.0.0.1:{port} SIP/2.0",
        f"Via: SIP/2.0/UDP 127.0.0.1:{{port}};branch=z9hG4bK{branch}",
        f"From: <sip:tester@127.0.0.1>;tag={branch[:8]}",
        f"To: {to}",
        f"Call-ID: {branch}@test",
        f"CSeq: 1 {method}",
        "Contact: <sip:tester@127.0.0.1:{port}>",
        "Max-Forwards: 70",
    ]
    if body:
        lines.append("Content-Type: application/sdp")
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


def ask(sock: socket.socket, port: int, message: bytes, timeout: float = 5.0) -> str:
    """Send `message` and return the first final response's status line."""
    me = sock.getsockname()[1]
    sock.sendto(message.replace(b"{port}", str(me).encode()), ("127.0.0.1", port))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sock.settimeout(deadline - time.monotonic())
        data, _ = sock.recvfrom(65536)
        status = data.split(b"\r\n", 1)[0].decode()
        if not status.startswith("SIP/2.0 1"):
            return status
    raise TimeoutError("no final response")


def test_serve_survives_bad_input_and_stops_cleanly(tmp_path: Path) -> None:
    need("kamailio", "kamcmd", "espeak-ng", "sox")
    sip_port, kamailio_port = free_port(), free_port()
    output = tmp_path / "serve.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "hotline.cli", "serve", str(EXAMPLE),
         "--sip-port", str(sip_port), "--kamailio-port", str(kamailio_port),
         "--workdir", str(tmp_path / "sip"), "--prompts", str(tmp_path / "prompts"),
         "--port", str(free_port()),
         "--events", str(tmp_path / "events.csv")],
        stdout=output.open("wb"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while "phones register at" not in output.read_text(errors="replace"):
            assert process.poll() is None, output.read_text(errors="replace")
            assert time.monotonic() < deadline, output.read_text(errors="replace")
            time.sleep(0.1)
        assert len(list((tmp_path / "prompts").glob("*.wav"))) >= 20
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.bind(("127.0.0.1", 0))
            rng = random.Random(6)
            valid = request("INVITE", sip_port, body="v=0\r\n")
            for _ in range(300):  # garbage, truncations and bit flips of a real INVITE
                kind = rng.randrange(3)
                if kind == 0:
                    junk = rng.randbytes(rng.randrange(1, 600))
                elif kind == 1:
                    junk = valid[: rng.randrange(len(valid))]
                else:
                    flipped = bytearray(valid)
                    for _ in range(5):
                        flipped[rng.randrange(len(flipped))] = rng.randrange(256)
                    junk = bytes(flipped)
                sock.sendto(junk, ("127.0.0.1", sip_port))
            me = sock.getsockname()[1]
            # a round trip: the junk above is handled (or dropped by the kernel when it came
            # faster than sippy reads) before the messages whose log lines are checked
            time.sleep(0.5)
            while True:
                sock.settimeout(0.2)
                try:
                    sock.recvfrom(65536)
                except TimeoutError:
                    break
            # Hotline's endpoint answers, and refuses everyone but Kamailio (issue 12)
            assert ask(sock, sip_port, request("OPTIONS", sip_port)) == "SIP/2.0 403 Forbidden"
            invite = request("INVITE", sip_port, body="v=0\r\n").replace(b"{port}", b"%d" % me)
            for junk in (  # one of each kind sippy used to answer with a traceback or a print
                b"\xff\xfe not UTF-8 " * 4,
                invite.replace(b"Content-Length: 5", b"Content-Length: 50"),
                invite.replace(b"Content-Length: 5", b"Content-Length: 7"),
                invite.replace(b"\r\nTo: ", b"\r\nXo: "),
                b"SIP/2.0 99 Odd\r\n" + invite.split(b"\r\n", 1)[1],
            ):
                sock.sendto(junk, ("127.0.0.1", sip_port))
                time.sleep(0.05)
            time.sleep(0.5)
            while True:  # drop whatever those provoked
                sock.settimeout(0.2)
                try:
                    sock.recvfrom(65536)
                except TimeoutError:
                    break
            assert ask(sock, sip_port, request("OPTIONS", sip_port)) == "SIP/2.0 403 Forbidden"
            no_audio = "v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            direct = ask(sock, sip_port, request("INVITE", sip_port, body=no_audio))
            assert direct.startswith("SIP/2.0 403")
            status = ask(sock, kamailio_port, request("INVITE", kamailio_port, body=no_audio))
            assert status.startswith("SIP/2.0 488")
            stray = request("BYE", sip_port, to_tag="nosuchdialog")
            assert ask(sock, sip_port, stray).startswith("SIP/2.0 481")
        assert process.poll() is None
        process.send_signal(signal.SIGINT)
        assert process.wait(15) == 0
        log = output.read_text(errors="replace")
        assert "Traceback" not in log, log[-3000:]
        assert "-" * 70 not in log  # sippy's separator around a dumped message
        warnings = [line for line in log.splitlines() if line.startswith("SIP")]
        assert f"SIP from udp:127.0.0.1:{me}: not UTF-8 text (byte 0); dropped" in warnings
        truncated = [line for line in log.splitlines() if "Truncated SIP body" in line]
        assert any(f"127.0.0.1:{me}" in line for line in truncated), truncated
        assert any(f"127.0.0.1:{me}" in w and "To HF is missed" in w for w in warnings)
        assert any(f"127.0.0.1:{me}" in w and "bad status line" in w for w in warnings), [
            w for w in warnings if f":{me}" in w
        ]
        assert 5 <= len(warnings) <= 305  # at most one line per bad datagram
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as check:
            check.bind(("127.0.0.1", kamailio_port))  # Kamailio is gone
    finally:
        stop_process(process)
