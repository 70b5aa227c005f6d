"""A throw-away PostgreSQL server for tests and benchmarks: real server, loopback port, temp dir.

`postgres_server()` installs PostgreSQL from Debian's packages when `initdb`
is missing, runs `initdb` in a temporary directory (as the `postgres` OS user
when we are root: the server refuses to run as root), starts the server on a
free 127.0.0.1 port with its socket in that directory, and on exit stops it
by PID (`pg_ctl stop -m fast`, then a kill) and removes the directory.

The pytest fixture `postgres` is one such server per session (per xdist
worker); `database_url` gives each test a fresh database on it, or an SQLite
file, parametrized so every store test runs against both.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

INSTALL_LOCK = Path(tempfile.gettempdir()) / "hotline-postgres-install.lock"


class PostgresUnavailableError(RuntimeError):
    """PostgreSQL could not be installed or started; the message says what to do."""


def _bindir() -> Path | None:
    """The newest installed PostgreSQL's bin directory (Debian keeps initdb off PATH)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4])
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def ensure_installed() -> Path:
    """The bin directory, installing Debian's `postgresql` package first if needed."""
    bindir = _bindir()
    if bindir is not None:
        return bindir
    with INSTALL_LOCK.open("w") as lock:  # xdist workers: one apt-get at a time
        fcntl.flock(lock, fcntl.LOCK_EX)
        bindir = _bindir()
        if bindir is not None:
            return bindir
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        steps = (["apt-get", "update"], ["apt-get", "install", "-y", "postgresql"])
        for step in steps:
            try:
                result = subprocess.run(step, env=env, capture_output=True, text=True, timeout=900)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise PostgresUnavailableError(
                    f"PostgreSQL is not installed and {' '.join(step)} failed: {exc}"
                ) from None
            if result.returncode != 0:
                raise PostgresUnavailableError(
                    "PostgreSQL is not installed and installing it failed "
                    f"({' '.join(step)} exited {result.returncode}):\n{result.stderr[-2000:]}\n"
                    "Install it by hand: apt-get install -y postgresql"
                )
    bindir = _bindir()
    if bindir is None:
        raise PostgresUnavailableError("apt-get installed postgresql but no initdb was found")
    return bindir


def free_port() -> int:
    """A loopback port nobody listens on now (for a server a test starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """A running server: `url(dbname)`, `create_database()`, and its `pid`."""

    def __init__(
        self,
        bindir: Path,
        directory: Path,
        port: int,
        user: str,
        as_user: list[str],
        *,
        durable: bool = False,
    ) -> None:
        self.durable = durable
        self.bindir = bindir
        self.directory = directory
        self.data = directory / "data"
        self.port = port
        self.user = user
        self._as_user = as_user
        self.pid: int | None = None
        self._names = itertools.count(1)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{dbname}"

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        command = [*self._as_user, str(self.bindir / args[0]), *args[1:]]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout)

    def start(self) -> None:
        init = self._run(
            "initdb", "-D", str(self.data), "-U", self.user, "--auth=trust", "-E", "UTF8",
            "--no-sync",
        )  # fmt: skip
        if init.returncode != 0:
            raise PostgresUnavailableError(f"initdb failed:\n{init.stderr[-2000:]}")
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.directory} "
            "-c max_connections=50 -c shared_buffers=128MB"
        )
        if not self.durable:  # tests: nothing here must survive a power cut
            options += " -c fsync=off -c full_page_writes=off"
        log = self.directory / "server.log"
        started = self._run(
            "pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data), "-l", str(log),
            "-o", options,
        )  # fmt: skip
        pid_file = self.data / "postmaster.pid"
        if pid_file.exists():
            self.pid = int(pid_file.read_text().split()[0])
        if started.returncode != 0:
            text = log.read_text(errors="replace")[-2000:] if log.exists() else started.stderr
            raise PostgresUnavailableError(f"PostgreSQL did not start on port {self.port}:\n{text}")

    def create_database(self, name: str | None = None) -> str:
        """Create a fresh database; returns its URL."""
        import psycopg

        name = name or f"test_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=self.user, dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
        return self.url(name)

    def stop(self) -> None:
        if self.pid is None:
            return
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            self._run("pg_ctl", "stop", "-m", "fast", "-w", "-t", "20", "-D", str(self.data))
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                break
            os.kill(self.pid, sig)
            time.sleep(0.5)
        self.pid = None


@contextlib.contextmanager
def postgres_server(*, durable: bool = False) -> Iterator[PostgresServer]:
    """Start a throw-away server (installing PostgreSQL if needed); stop it on exit.

    `durable` keeps PostgreSQL's default fsync at commit (benchmarks); tests turn
    it off, which costs nothing unless the machine itself crashes.
    """
    bindir = ensure_installed()
    directory = Path(tempfile.mkdtemp(prefix="hotline-pg-"))
    as_user: list[str] = []
    user = pwd.getpwuid(os.getuid()).pw_name
    if os.getuid() == 0:  # the server refuses to run as root
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresUnavailableError(
                "running as root and there is no `postgres` OS user"
            ) from None
        shutil.chown(directory, "postgres", "postgres")
        as_user, user = ["runuser", "-u", "postgres", "--"], "postgres"
    server: PostgresServer | None = None
    try:
        for _attempt in range(3):  # another process may take the free port first
            server = PostgresServer(bindir, directory, free_port(), user, as_user, durable=durable)
            try:
                server.start()
                break
            except PostgresUnavailableError:
                server.stop()
                shutil.rmtree(server.data, ignore_errors=True)
                if _attempt == 2:
                    raise
        assert server is not None
        yield server
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One PostgreSQL server for this test session (each xdist worker gets its own)."""
    try:
        with postgres_server() as server:
            yield server
    except PostgresUnavailableError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database: an SQLite file, or a new database on the session's server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hotline.db'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.create_database()
