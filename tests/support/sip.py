"""Real SIP peers for tests: Kamailio, a baresip agent phone (driven over ctrl_tcp) and SIPp.

Each process is started on free loopback ports in a temporary folder and
stopped by the PID we started (SIGTERM, then SIGKILL after a grace period).
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hotline.sip.kamailio import Kamailio, KamailioSettings, ha1
from hotline.sip.serve import ServeSettings

REALM = "hotline"


def phone_password(user: str) -> str:
    """The SIP password the tests give agent `user`'s phone."""
    return f"pw-{user}-7Kq"


def credentials(*users: str) -> dict[str, str]:
    """Extension → HA1 for the tests' phones (what `SipService(credentials=...)` takes)."""
    return {user: ha1(user, REALM, phone_password(user)) for user in users}


BARESIP_MODULES = Path("/usr/lib/baresip/modules")


def free_port(kind: int = socket.SOCK_DGRAM) -> int:
    """A port free for both UDP and TCP on 127.0.0.1 right now."""
    while True:
        with socket.socket(socket.AF_INET, kind) as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        other = socket.SOCK_STREAM if kind == socket.SOCK_DGRAM else socket.SOCK_DGRAM
        with socket.socket(socket.AF_INET, other) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port


def serve_settings(tmp_path: Path, prompts: Path, **more: Any) -> ServeSettings:
    """`hotline serve`'s settings for one test: its own folder and free ports, the
    synthesized `prompts`, recordings in ``tmp_path/recordings``; `more` replaces any."""
    chosen: dict[str, Any] = {
        "workdir": tmp_path / "hotline",
        "kamailio_port": free_port(),
        "sip_port": free_port(),
        "prompts": prompts,
        "recordings": tmp_path / "recordings",
    }
    return ServeSettings(**(chosen | more))


def need(*binaries: str) -> None:
    """Skip the test when a binary is missing (scripts/system-deps.sh installs them)."""
    missing = [b for b in binaries if shutil.which(b) is None]
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)} (run scripts/system-deps.sh)")


def stop_process(process: subprocess.Popen[Any], grace: float = 5.0) -> None:
    """SIGTERM to the PID, SIGKILL if it is still there after `grace` seconds."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        process.wait(grace)


@contextlib.contextmanager
def kamailio(workdir: Path, *, hotline_port: int, numbers: tuple[str, ...]) -> Iterator[Kamailio]:
    settings = KamailioSettings(
        workdir=workdir, port=free_port(), numbers=numbers, hotline_port=hotline_port
    )
    server = Kamailio(settings)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class Baresip:
    """A headless baresip phone registered as `user` at `registrar`, auto-answering (or not),
    sending `source` (a 16-bit 8 kHz mono WAV) and recording what it hears (sndfile)."""

    def __init__(
        self,
        workdir: Path,
        *,
        user: str,
        registrar: tuple[str, int],
        source: Path,
        answermode: str = "auto",
        password: str | None = None,
    ) -> None:
        self.workdir = workdir
        self.user = user
        self.sip_port = free_port()
        self.ctrl_port = free_port(socket.SOCK_STREAM)
        self.heard = workdir / "heard"
        self.heard.mkdir(parents=True, exist_ok=True)
        host, port = registrar
        (workdir / "config").write_text(
            "\n".join(
                [
                    "poll_method epoll",
                    f"sip_listen 127.0.0.1:{self.sip_port}",
                    # its SDP names the address it sends RTP from (Hotline takes RTP
                    # only from the SDP's address), not the host's first interface
                    "net_interface 127.0.0.1",
                    f"audio_source aufile,{source}",
                    "audio_player aubridge,nowhere",
                    "audio_alert aubridge,nowhere",
                    "ausrc_srate 8000",
                    "auplay_srate 8000",
                    "ausrc_channels 1",
                    "auplay_channels 1",
                    "call_local_timeout 120",
                    f"module_path {BARESIP_MODULES}",
                    "module g711.so",
                    "module aufile.so",
                    "module aubridge.so",
                    "module sndfile.so",
                    f"snd_path {self.heard}",
                    "module_tmp account.so",
                    "module_app menu.so",
                    "module_app ctrl_tcp.so",
                    f"ctrl_tcp_listen 127.0.0.1:{self.ctrl_port}",
                    "",
                ]
            )
        )
        # baresip 1.0 does not register the accounts file's entries by itself: the account is
        # created over ctrl_tcp once it runs (`uanew`), which registers it
        (workdir / "accounts").write_text("")
        self.aor = (
            f"<sip:{user}@{host}:{port}>;auth_pass={password or phone_password(user)};"
            f"answermode={answermode};regint=300;"
            "audio_codecs=PCMU,PCMA"
        )
        (workdir / "contacts").write_text("")
        self.log_file = workdir / "baresip.log"
        self.process: subprocess.Popen[bytes] | None = None
        self._sock: socket.socket | None = None
        self._buffer = b""
        self.events: list[dict[str, Any]] = []

    def start(self, timeout: float = 10.0) -> None:
        with self.log_file.open("wb") as out:
            self.process = subprocess.Popen(
                ["baresip", "-v", "-f", str(self.workdir)],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self._sock = socket.create_connection(("127.0.0.1", self.ctrl_port), timeout=1.0)
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
                continue
            self.command("uanew", self.aor)
            self.wait_event("REGISTER_OK", timeout=15.0)
            return
        self.stop()
        raise RuntimeError(f"baresip did not start: {self.log_file.read_text()[-2000:]}")

    def stop(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        if self.process is not None:
            stop_process(self.process)
            self.process = None

    def command(self, command: str, params: str = "", timeout: float = 5.0) -> dict[str, Any]:
        """Send a ctrl_tcp command (netstring JSON) and return its response."""
        assert self._sock is not None
        token = f"t{time.monotonic_ns()}"
        body = json.dumps({"command": command, "params": params, "token": token}).encode()
        self._sock.sendall(b"%d:%s," % (len(body), body))
        deadline = time.monotonic() + timeout
        answer: dict[str, Any] | None = None
        while answer is None and time.monotonic() < deadline:
            for message in self._read(deadline - time.monotonic()):
                if message.get("response") and message.get("token") == token:
                    answer = message
                else:
                    self.events.append(message)
        if answer is not None:
            return answer
        raise TimeoutError(f"baresip did not answer {command!r}")

    def wait_event(self, kind: str, timeout: float = 20.0) -> dict[str, Any]:
        """The first event of `kind` (e.g. CALL_ESTABLISHED) seen so far or within `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events:
                if event.get("type") == kind:
                    return event
            if time.monotonic() >= deadline:
                raise TimeoutError(f"no {kind} from baresip; saw {self.events}")
            self.events.extend(self._read(deadline - time.monotonic()))

    def _read(self, timeout: float) -> list[dict[str, Any]]:
        assert self._sock is not None
        self._sock.settimeout(max(0.05, timeout))
        with contextlib.suppress(TimeoutError, socket.timeout):
            chunk = self._sock.recv(65536)
            if not chunk:
                raise ConnectionError("baresip closed ctrl_tcp")
            self._buffer += chunk
        messages: list[dict[str, Any]] = []
        while b":" in self._buffer:
            length, _, rest = self._buffer.partition(b":")
            if not length.isdigit() or len(rest) < int(length) + 1:
                break
            size = int(length)
            messages.append(json.loads(rest[:size]))
            self._buffer = rest[size + 1 :]
        return messages


def sipp(
    scenario: Path,
    target: tuple[str, int],
    workdir: Path,
    *,
    service: str,
    timeout: float = 60.0,
    extra: tuple[str, ...] = (),
    port: int | None = None,
) -> subprocess.Popen[bytes]:
    """Start one SIPp call of `scenario` to `target` from `port` (a free one by default;
    give the trunk's to call as the carrier would) and return the running process."""
    port = port or free_port()
    media_port = free_port()
    command = [
        "sipp", "-sf", str(scenario), "-m", "1", "-s", service,
        "-i", "127.0.0.1", "-p", str(port), "-mp", str(media_port),
        "-timeout", f"{int(timeout)}s", "-timeout_error", "-nostdin",
        "-trace_err", "-trace_msg",
        *extra, f"{target[0]}:{target[1]}",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def sox_stat(path: Path, channel: int = 1) -> dict[str, float]:
    """`sox stat` of one channel of a WAV file: RMS amplitude, rough frequency …"""
    done = subprocess.run(
        ["sox", str(path), "-n", "remix", str(channel), "stat"],
        capture_output=True,
        text=True,
        check=True,
    )
    stats: dict[str, float] = {}
    for line in done.stderr.splitlines():
        name, _, value = line.partition(":")
        if re.fullmatch(r"\s*-?[0-9.]+\s*", value):
            stats[name.strip()] = float(value)
    return stats


def assert_tone(stats: dict[str, float], low: float, high: float) -> None:
    """The channel holds a tone between `low` and `high` Hz, loud enough to be heard."""
    assert stats["RMS     amplitude"] > 0.05, stats
    assert low < stats["Rough   frequency"] < high, stats


def assert_conversation_recorded(recording: Path, phone_heard: Path) -> None:
    """A two-channel recording with the caller's 400 Hz tone left and the agent's 1000 Hz
    right, and the agent's phone heard the caller (baresip's sndfile keeps what it decoded
    in `phone_heard`)."""
    info = subprocess.run(
        ["sox", "--i", "-c", str(recording)], capture_output=True, text=True, check=True
    )
    assert info.stdout.strip() == "2"
    assert_tone(sox_stat(recording, 1), 300, 500)
    assert_tone(sox_stat(recording, 2), 850, 1150)
    [heard] = list(phone_heard.glob("*-dec.wav"))
    assert_tone(sox_stat(heard), 300, 500)
