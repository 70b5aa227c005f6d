"""The console as `hotline demo` serves it, over real HTTP (issue 12, findings 10 and 13).

uvicorn used to believe ``X-Forwarded-For`` from 127.0.0.1, so a client on the machine (or
behind any local proxy) made up a new address for each login attempt: the throttle, keyed
on the address, never fired, and the audit log recorded the made-up address. Now the
header is believed only from the proxies ``--forwarded-allow-ips`` names, and the account
locks whatever the address. Also here: the database file is its owner's only, and
``--tls`` serves HTTPS with a self-signed certificate (`hotline.webserver`).
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hotline.cli import build_parser, main
from hotline.serve import ConsoleSettings
from hotline.store.db import Audit, Database
from hotline.webserver import Listen, proxies, uvicorn_config
from tests.support.demo import DemoServer

PASSWORD = "demo123"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("served")


@pytest.fixture(scope="module")
def demo(folder: Path) -> Iterator[DemoServer]:
    """`hotline demo` on a database an earlier run left readable by everyone."""
    with Database.open(f"sqlite:///{folder / 'demo.db'}"):
        pass
    (folder / "demo.db").chmod(0o644)
    server = DemoServer(folder, speed=0, extra=[])
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def _login(base: str, username: str, password: str, forwarded: str) -> httpx.Response:
    return httpx.post(
        f"{base}/api/auth/login",
        json={"username": username, "password": password},
        headers={"X-Forwarded-For": forwarded},
        timeout=10.0,
        verify=False,
    )


def test_a_made_up_forwarded_for_neither_escapes_the_throttle_nor_reaches_the_audit_log(
    demo: DemoServer, folder: Path
) -> None:
    for attempt in range(5):
        wrong = _login(demo.url, "supervisor", "guess", f"203.0.113.{attempt + 1}")
        assert wrong.status_code == 401, wrong.text
    sixth = _login(demo.url, "supervisor", PASSWORD, "198.51.100.77")
    assert sixth.status_code == 429, sixth.text
    assert int(sixth.headers["retry-after"]) > 0
    with Database.open(f"sqlite:///{folder / 'demo.db'}") as db:
        failed = Audit(db).list(action="auth.login_failed", username="supervisor")
    assert len(failed) == 5
    assert {entry.client for entry in failed} == {"127.0.0.1"}


def test_the_database_file_is_its_owners_only(demo: DemoServer, folder: Path) -> None:
    assert _mode(folder / "demo.db") == 0o600
    for suffix in ("-wal", "-shm"):
        extra = folder / f"demo.db{suffix}"
        if extra.exists():
            assert _mode(extra) & 0o077 == 0, extra


def test_a_trusted_proxy_is_believed(tmp_path: Path) -> None:
    server = DemoServer(tmp_path, speed=0, extra=["--forwarded-allow-ips", "127.0.0.1"])
    try:
        server.wait_ready()
        assert _login(server.url, "qa", "guess", "192.0.2.10").status_code == 401
    finally:
        server.stop()
    with Database.open(f"sqlite:///{tmp_path / 'demo.db'}") as db:
        (failed,) = Audit(db).list(action="auth.login_failed")
    assert failed.client == "192.0.2.10"


def _wait_https(url: str, server: DemoServer, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(server.log.read_text())
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/api/health", timeout=1.0, verify=False).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(server.log.read_text())


def test_the_demo_serves_https_with_a_self_signed_certificate(tmp_path: Path) -> None:
    server = DemoServer(tmp_path, speed=0, extra=["--tls"])
    base = f"https://127.0.0.1:{server.port}"
    try:
        _wait_https(base, server)
        assert f"Hotline demo: {base}" in server.log.read_text()
        login = _login(base, "qa", PASSWORD, "")
        assert login.status_code == 200, login.text
        cookie = login.headers["set-cookie"].lower()
        assert "; secure" in cookie
        assert "httponly" in cookie
        assert login.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in login.headers["content-security-policy"]
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{server.port}/api/health", timeout=2.0)
    finally:
        server.stop()
    key = tmp_path / "hotline-demo-tls" / "demo-key.pem"
    assert _mode(key) == 0o600
    assert (tmp_path / "hotline-demo-tls" / "demo-cert.pem").is_file()


def test_uvicorn_believes_no_forwarded_header_unless_told() -> None:
    default = uvicorn_config(object(), Listen())
    assert default.proxy_headers is False
    assert default.forwarded_allow_ips == ""
    assert default.ssl_certfile is None
    trusted = uvicorn_config(object(), Listen(trusted_proxies=proxies("10.0.0.2, 10.1.0.0/16")))
    assert trusted.proxy_headers is True
    assert trusted.forwarded_allow_ips == "10.0.0.2,10.1.0.0/16"
    with pytest.raises(ValueError, match="not an address"):
        proxies("10.0.0.2,proxy.example")


@pytest.fixture
def umask() -> Iterator[None]:
    """The CLI sets the process's umask (0o077); put the test process's back afterwards."""
    previous = os.umask(0o022)
    os.umask(previous)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.mark.usefixtures("umask")
def test_a_certificate_without_its_key_is_refused_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cert = tmp_path / "cert.pem"
    cert.write_text("x")
    code = main(["demo", "--db", str(tmp_path / "d.db"), "--tls-cert", str(cert)])
    assert code == 2
    assert "--tls-cert and --tls-key go together" in capsys.readouterr().err
    missing = main(
        ["demo", "--db", str(tmp_path / "d.db"), "--tls-cert", str(cert), "--tls-key", "nope"]
    )
    assert missing == 2
    assert "--tls-key nope: no such file" in capsys.readouterr().err


def test_hotline_serve_takes_the_same_console_options() -> None:
    args = build_parser().parse_args(
        ["serve", "hotline.yaml", "--tls-cert", "c.pem", "--tls-key", "k.pem",
         "--forwarded-allow-ips", "10.0.0.2"]
    )  # fmt: skip
    console = ConsoleSettings(
        tls_cert=args.tls_cert, tls_key=args.tls_key, trusted_proxies=args.forwarded_allow_ips
    )
    config = uvicorn_config(object(), console.listen)
    assert (config.ssl_certfile, config.ssl_keyfile) == ("c.pem", "k.pem")
    assert config.forwarded_allow_ips == "10.0.0.2"
    assert console.listen.url == "https://127.0.0.1:8000"
