"""rtpengine as the media bridge between browsers (WebRTC) and Hotline's plain G.711 RTP.

A browser speaks ICE, DTLS-SRTP and rtcp-mux; Hotline's media (`hotline.sip.media`) speaks
plain RTP/AVP. Kamailio's `rtpengine` module hands each SDP that crosses between a
websocket client and the rest to rtpengine (``rtpengine_offer`` / ``rtpengine_answer``
over the *ng* control protocol), which rewrites it and relays the media: Hotline sees
plain G.711 RTP from rtpengine's address (loopback by default), so strict RTP keeps
working unchanged.

`Rtpengine` starts Debian's ``rtpengine-daemon`` the way `hotline.sip.kamailio.Kamailio`
starts Kamailio: in the foreground, in its own session, dying with Hotline
(`hotline.sip.process.spawn`), userspace only (``--table=-1``: no kernel module), its ng
control port on loopback, no config file read. `available` says whether it is installed:
without it `hotline serve` runs as before (plain SIP phones only). `ng` sends one command
over the ng protocol (bencode over UDP): `ping` waits for it to answer, `statistics` is
what the benchmarks read.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hotline.core.errors import HotlineError
from hotline.sip.process import Child, ProcessError, find, spawn, udp_port_free, wait_gone

log = logging.getLogger(__name__)

BINARY = "rtpengine"


class RtpengineError(HotlineError):
    error_id = "rtpengine-error"


@dataclass(frozen=True)
class RtpengineSettings:
    """Where rtpengine takes commands (`ng_port` on loopback), the address it relays media
    on (`interface`: what browsers and Hotline are sent in the SDP; a center's public or
    LAN address in production, loopback in the tests), its RTP port range, and how long a
    call without any media lives (`timeout`, seconds)."""

    workdir: Path
    ng_port: int = 22223
    interface: str = "127.0.0.1"
    port_min: int = 41000
    port_max: int = 41999
    timeout: int = 60

    @property
    def ng_address(self) -> tuple[str, int]:
        return ("127.0.0.1", self.ng_port)

    @property
    def pid_file(self) -> Path:
        return self.workdir / "rtpengine.pid"

    @property
    def log_file(self) -> Path:
        return self.workdir / "rtpengine.log"


def available() -> str | None:
    """The rtpengine binary's path, or None when Debian's rtpengine-daemon is not installed."""
    return shutil.which(BINARY) or next(
        (p for p in ("/usr/bin/rtpengine", "/usr/sbin/rtpengine") if Path(p).is_file()), None
    )


# ---- bencode (the ng protocol's encoding) -------------------------------------------------


def bencode(value: Any) -> bytes:
    """`value` (str, bytes, int, list, dict with str keys) in bencode."""
    if isinstance(value, bool):
        raise TypeError("bencode has no booleans")
    if isinstance(value, int):
        return b"i%de" % value
    if isinstance(value, str):
        value = value.encode()
    if isinstance(value, bytes):
        return b"%d:%s" % (len(value), value)
    if isinstance(value, list | tuple):
        return b"l" + b"".join(bencode(v) for v in value) + b"e"
    if isinstance(value, dict):
        items = sorted((k.encode() if isinstance(k, str) else k, v) for k, v in value.items())
        return b"d" + b"".join(bencode(k) + bencode(v) for k, v in items) + b"e"
    raise TypeError(f"cannot bencode {type(value).__name__}")


def bdecode(data: bytes) -> Any:
    """One bencoded value (byte strings are decoded as UTF-8 where they are text)."""
    value, end = _bdecode(data, 0)
    if end != len(data):
        raise ValueError(f"bencode: {len(data) - end} bytes after the value")
    return value


def _bdecode(data: bytes, at: int) -> tuple[Any, int]:
    kind = data[at : at + 1]
    if kind == b"i":
        end = data.index(b"e", at)
        return int(data[at + 1 : end]), end + 1
    if kind in (b"l", b"d"):
        at += 1
        items: list[Any] = []
        while data[at : at + 1] != b"e":
            item, at = _bdecode(data, at)
            items.append(item)
        if kind == b"l":
            return items, at + 1
        return {items[i]: items[i + 1] for i in range(0, len(items), 2)}, at + 1
    if kind.isdigit():
        colon = data.index(b":", at)
        size = int(data[at:colon])
        raw = data[colon + 1 : colon + 1 + size]
        if len(raw) != size:
            raise ValueError("bencode: a string runs past the end")
        try:
            return raw.decode(), colon + 1 + size
        except UnicodeDecodeError:
            return raw, colon + 1 + size
    raise ValueError(f"bencode: unexpected {kind!r} at {at}")


def ng(address: tuple[str, int], command: dict[str, Any], timeout: float = 2.0) -> dict[str, Any]:
    """Send one ng command to rtpengine and return its answer (a dict with ``result``);
    raises `RtpengineError` when it does not answer in time or answers ``error``."""
    cookie = secrets.token_hex(6)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        sock.connect(address)
        sock.send(cookie.encode() + b" " + bencode(command))
        deadline = time.monotonic() + timeout
        while True:
            try:
                data = sock.recv(65536)
            except OSError as e:  # timeout, or refused (nothing listens)
                raise RtpengineError(f"rtpengine at {address[0]}:{address[1]}: {e}") from e
            head, _, body = data.partition(b" ")
            if head.decode(errors="replace") == cookie:
                break
            if time.monotonic() > deadline:
                raise RtpengineError("rtpengine: no answer to our cookie")
    try:
        answer = bdecode(body)
    except (ValueError, IndexError) as e:
        raise RtpengineError(f"rtpengine: an answer we cannot read ({e})") from e
    if not isinstance(answer, dict) or answer.get("result") == "error":
        reason = answer.get("error-reason") if isinstance(answer, dict) else answer
        raise RtpengineError(f"rtpengine refused {command.get('command')!r}: {reason}")
    return answer


class Rtpengine:
    """One rtpengine process in userspace, which dies with Hotline. `start` kills one left
    running on our pid file by a killed Hotline, refuses an ng port something else holds,
    and waits until rtpengine answers a ping; `stop` ends it (SIGTERM, then SIGKILL)."""

    def __init__(self, settings: RtpengineSettings) -> None:
        self.settings = settings
        self._child: Child | None = None

    @property
    def running(self) -> bool:
        return self._child is not None and self._child.running()

    def start(self, timeout: float = 10.0) -> None:
        binary = available()
        if binary is None:
            raise RtpengineError("rtpengine is not installed (scripts/system-deps.sh)")
        settings = self.settings
        if not 0 < settings.port_min < settings.port_max < 65536:
            raise RtpengineError(f"not an RTP port range: {settings.port_min}-{settings.port_max}")
        settings.workdir.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + timeout
        self._clear_leftovers(deadline)
        host, port = settings.ng_address
        if not udp_port_free(host, port):
            raise RtpengineError(
                f"rtpengine's control port {host}:{port} (UDP) is taken: not started"
            )
        argv = [
            binary,
            "--config-file=none",
            "--foreground",
            "--log-stderr",
            "--table=-1",  # userspace only: no kernel module, no iptables rule
            "--pidfile",
            str(settings.pid_file),  # apart: how `_clear_leftovers` finds a leftover
            f"--interface={settings.interface}",
            f"--listen-ng={host}:{port}",
            f"--port-min={settings.port_min}",
            f"--port-max={settings.port_max}",
            f"--timeout={settings.timeout}",
            "--delete-delay=0",
            "--num-threads=2",
            "--log-level=5",
        ]
        try:
            with settings.log_file.open("wb") as out:
                self._child = spawn(argv, output=out, name=f"rtpengine-{port}")
        except ProcessError as e:
            raise RtpengineError(str(e)) from e
        try:
            self._wait_ready(deadline)
        except BaseException:
            self.stop()
            raise

    def _clear_leftovers(self, deadline: float) -> None:
        leftovers = find(BINARY, "--pidfile", str(self.settings.pid_file))
        for pid in set(leftovers):
            log.warning("rtpengine left running by a previous Hotline: killing %d", pid)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        if wait_gone(sorted(set(leftovers)), deadline):
            raise RtpengineError("an rtpengine left by a previous Hotline cannot be stopped")

    def _wait_ready(self, deadline: float) -> None:
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self._child is None or not self._child.running():
                tail = self.settings.log_file.read_text(errors="replace")[-2000:]
                raise RtpengineError(f"rtpengine exited: {tail}")
            try:
                self.ping()
                return
            except RtpengineError as e:
                last = e
                time.sleep(0.1)
        raise RtpengineError(f"rtpengine does not answer its ng port: {last}")

    def ping(self) -> None:
        answer = ng(self.settings.ng_address, {"command": "ping"}, timeout=0.5)
        if answer.get("result") != "pong":
            raise RtpengineError(f"rtpengine answered a ping with {answer!r}")

    def statistics(self) -> dict[str, Any]:
        """rtpengine's own counters (``statistics`` over ng): sessions, packets, ..."""
        return ng(self.settings.ng_address, {"command": "statistics"})

    def stop(self, timeout: float = 5.0) -> None:
        child, self._child = self._child, None
        if child is None:
            return
        if child.running():
            with contextlib.suppress(ProcessLookupError):
                child.process.send_signal(signal.SIGTERM)
            if not child.wait(timeout):
                log.warning("rtpengine (pid %d) ignored SIGTERM: killing it", child.pid)
        child.kill_group()
        child.wait(timeout)
        self.settings.pid_file.unlink(missing_ok=True)


def check_installed() -> None:
    """Raise `RtpengineError` naming the package when rtpengine is missing."""
    if available() is None:
        raise RtpengineError("rtpengine is not installed (Debian: rtpengine-daemon)")


def version() -> str:
    binary = available()
    if binary is None:
        return ""
    done = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10)
    return (done.stdout or done.stderr).strip()
