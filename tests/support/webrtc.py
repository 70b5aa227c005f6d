"""The whole product on SIP with WebRTC, for browsers: a real HTTP console and headless Chromium.

`WebrtcHotline` builds `LiveHotline.on_sip` with a websocket port (so rtpengine and
Kamailio's websocket module run), creates console users and serves the console with
uvicorn in a thread (the browser needs a real HTTP server; the app's lifespan starts the
runtime: rtpengine, Kamailio, the SIP endpoint). `chromium` starts Debian's Chromium with
fake media: the microphone is a WAV file the test writes (a tone), permissions granted
without a prompt, loopback ICE candidates allowed, audio autoplay. `LISTEN` is what a test
evaluates in a page to measure what an <audio> element plays (a WebAudio analyser: the
loudest frequency and the level).
"""

from __future__ import annotations

import contextlib
import random
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from hotline.api.users import create_user
from hotline.app import build_app
from hotline.live import LiveHotline
from hotline.sip.kamailio import webrtc_missing
from hotline.sip.rtpengine import available as rtpengine_available
from hotline.sip.serve import ServeSettings
from hotline.site import Site
from tests.support.sip import free_port, need

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "secret123"


def need_webrtc() -> None:
    """Skip, saying why, unless rtpengine, Kamailio's websocket module, Chromium, SIPp and
    sox are installed (scripts/system-deps.sh installs them all)."""
    need("kamailio", "sipp", "sox")
    if rtpengine_available() is None:
        pytest.skip("rtpengine is not installed (Debian rtpengine-daemon; scripts/system-deps.sh)")
    missing = webrtc_missing()
    if missing is not None:
        pytest.skip(f"{missing} (scripts/system-deps.sh)")
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (/usr/bin/chromium)")
    vendored = Path(__file__).resolve().parents[2] / "src/hotline/web/static/vendor/jssip.js"
    if not vendored.is_file():
        pytest.skip("JsSIP is not vendored (scripts/vendor-js.sh needs npm)")


def tone(path: Path, hz: int, *, rate: int = 8000, seconds: int = 60, ulaw: bool = False) -> Path:
    """A sine tone WAV (µ-law for SIPp's rtp_stream, 16-bit PCM for Chromium's fake mic)."""
    encoding = ["-e", "u-law"] if ulaw else ["-b", "16", "-e", "signed"]
    subprocess.run(
        ["sox", "-n", "-r", str(rate), "-c", "1", *encoding, str(path),
         "synth", str(seconds), "sine", str(hz), "vol", "0.5"],
        check=True,
    )  # fmt: skip
    return path


def free_tcp_port() -> int:
    return free_port(socket.SOCK_STREAM)


class WebrtcHotline:
    """`hotline serve`'s runtime with WebRTC, served over HTTP from a thread."""

    def __init__(
        self,
        workdir: Path,
        site: Path,
        *,
        prompts: Path,
        users: tuple[tuple[str, str], ...] = (("9001", "agent"),),
        trunk: int | None = None,
        settings: dict[str, Any] | None = None,
    ) -> None:
        base = random.randrange(42000, 58000, 200)  # rtpengine's ports: not another run's
        chosen: dict[str, Any] = {
            "workdir": workdir / "hotline",
            "kamailio_port": free_port(),
            "sip_port": free_port(),
            "prompts": prompts,
            "recordings": workdir / "recordings",
            "call_prefix": "w-",
            "trunk": ("127.0.0.1", trunk) if trunk is not None else None,
            "ws_port": free_tcp_port(),
            "rtpengine_ng_port": free_port(),
            "rtp_ports": (base, base + 199),
        }
        self.settings = ServeSettings(**(chosen | (settings or {})))
        self.runtime = LiveHotline.on_sip(
            Site.load(site), self.settings, db_url=f"sqlite:///{workdir / 'hotline.db'}"
        )
        for username, role in users:
            create_user(self.runtime.services.users, username, PASSWORD, role)
        self.http_port = free_tcp_port()
        self.base = f"http://127.0.0.1:{self.http_port}"
        self.app = build_app(self.runtime, secret="webrtc-test-secret")
        self._server = uvicorn.Server(
            uvicorn.Config(self.app, host="127.0.0.1", port=self.http_port, log_level="warning")
        )
        self._thread: threading.Thread | None = None

    @property
    def kamailio(self) -> tuple[str, int]:
        return (self.settings.host, self.settings.kamailio_port)

    def start(self, timeout: float = 60.0) -> None:
        self._thread = threading.Thread(target=self._server.run, name="console", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the console did not start (see the log above)")
            if time.monotonic() > deadline:
                raise RuntimeError("the console did not start in time")
            time.sleep(0.1)

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(30)

    def until(self, what: Callable[[], Any], timeout: float, every: float = 0.2) -> Any:
        """The first truthy value of `what()` within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            value = what()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"not within {timeout} s: {what}")
            time.sleep(every)


@contextlib.contextmanager
def serving(hotline: WebrtcHotline) -> Iterator[WebrtcHotline]:
    hotline.start()
    try:
        yield hotline
    finally:
        hotline.stop()


def chromium_args(microphone: Path) -> list[str]:
    """Chromium headless with a fake microphone playing `microphone` (a WAV, looped)."""
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={microphone}",
        "--autoplay-policy=no-user-gesture-required",
        "--allow-loopback-in-peer-connection",
        "--disable-features=WebRtcHideLocalIpsWithMdns",
    ]


@contextlib.contextmanager
def chromium(microphone: Path) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=chromium_args(microphone)
        )
        try:
            yield browser
        finally:
            browser.close()


def log_in(page: Page, base: str, username: str) -> None:
    """The console's login form, as a person uses it."""
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{base}/desk" if username.isdigit() else f"{base}/board")


LISTEN = """async ([selector, seconds]) => {
  // what the <audio> element matching `selector` plays, for `seconds`: the loudest
  // frequency (Hz) and the RMS level (0..1) of its stream, by a WebAudio analyser
  const audio = document.querySelector(selector);
  const stream = audio.srcObject;
  if (!stream) return { hz: 0, rms: 0, error: "no stream" };
  const context = new AudioContext();
  await context.resume();
  const source = context.createMediaStreamSource(stream);
  const analyser = context.createAnalyser();
  analyser.fftSize = 8192;
  source.connect(analyser);
  const bins = new Float32Array(analyser.frequencyBinCount);
  const wave = new Float32Array(analyser.fftSize);
  const peaks = [];
  let rms = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    await new Promise((r) => setTimeout(r, 250));
    analyser.getFloatFrequencyData(bins);
    analyser.getFloatTimeDomainData(wave);
    let best = 0;
    for (let i = 1; i < bins.length; i++) if (bins[i] > bins[best]) best = i;
    peaks.push(best * context.sampleRate / analyser.fftSize);
    rms = Math.max(rms, Math.sqrt(wave.reduce((s, v) => s + v * v, 0) / wave.length));
  }
  context.close();
  peaks.sort((a, b) => a - b);
  return { hz: peaks[Math.floor(peaks.length / 2)], rms };
}"""
