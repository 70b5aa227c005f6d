"""`hotline demo` as a subprocess, the way a newcomer runs it: a free port, its own SQLite file.

Stopped by its PID (SIGTERM, then SIGKILL); used by the console's end-to-end tests and the
crash test of the live server.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.postgres import free_port

REPO = Path(__file__).resolve().parents[2]


def _hotline_command() -> list[str]:
    script = Path(sys.executable).with_name("hotline")
    return [str(script)] if script.exists() else [sys.executable, "-m", "hotline.cli"]


class DemoServer:
    """A running `hotline demo`; `url` is its base address."""

    def __init__(self, folder: Path, speed: float, extra: list[str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / "demo.log"
        command = [
            *_hotline_command(),
            "demo",
            "--port",
            str(self.port),
            "--db",
            str(folder / "demo.db"),
            "--speed",
            str(speed),
            *extra,
        ]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                command, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"hotline demo exited early:\n{self.log.read_text()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/api/health", timeout=1.0).status_code == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"hotline demo did not answer in {timeout} s:\n{self.log.read_text()}")

    def stop(self) -> None:
        """SIGTERM (the server shuts down and flushes its log), SIGKILL if it does not stop."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
