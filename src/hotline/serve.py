"""`hotline serve`: the hotline on real calls, with the console, in one process.

One process runs Kamailio (a child process), Hotline's SIP endpoint and media,
the engine on a clock at 1×, the database (SQLite file or PostgreSQL) and the
API with the console pages (the same app `hotline demo` serves). The first start
on an empty database creates the administrator ``admin`` with a random password
and prints it once; it must be changed at the first log-in. The administrator
then creates the agents' and others' users in 系统管理. The console is served over
HTTPS with ``--tls-cert``/``--tls-key``, and believes forwarded headers only from the
proxies ``--forwarded-allow-ips`` names (`hotline.webserver`). SIGINT or SIGTERM
hangs up every call, stops Kamailio, commits the events and exits 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import secrets
import signal
from collections.abc import Iterator
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from hotline.live import LiveHotline, phones
from hotline.sip.serve import ServeSettings
from hotline.site import Site
from hotline.webserver import Listen, uvicorn_config

ADMIN = "admin"


@dataclasses.dataclass(frozen=True)
class ConsoleSettings:
    """Where the console listens (with its TLS certificate and the trusted reverse
    proxies), and the optional event file beside the database."""

    host: str = "127.0.0.1"
    port: int = 8000
    events: Path | None = None
    tls_cert: Path | None = None
    tls_key: Path | None = None
    trusted_proxies: tuple[str, ...] = ()

    @property
    def listen(self) -> Listen:
        return Listen(self.host, self.port, self.tls_cert, self.tls_key, self.trusted_proxies)


def first_admin(runtime: LiveHotline) -> str | None:
    """Create ``admin`` with a random password when the database has no user; the password
    (to print once), else None."""
    from hotline.api.users import create_user

    users = runtime.services.users
    if users.list():
        return None
    password = secrets.token_urlsafe(12)
    create_user(
        users,
        ADMIN,
        password,
        "admin",
        display_name="系统管理员",
        must_change_password=True,  # printed on the terminal: replaced at the first log-in
    )
    return password


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: ours stops it, and the process then exits
    0 (uvicorn raises the signal again once shut down)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _server(app: FastAPI, console: ConsoleSettings) -> uvicorn.Server:
    return _Server(uvicorn_config(app, console.listen))


async def serve(site: Site, sip: ServeSettings, console: ConsoleSettings, db_url: str) -> int:
    """Run until SIGINT or SIGTERM; returns the exit status. Raises `HotlineError` when a
    part cannot start (nothing is left running then)."""
    from hotline.app import build_app, check_port

    console.listen.check()
    check_port(
        console.host,
        console.port,
        what="--port: cannot serve the console on",
        hint="choose another port with --port",
    )
    runtime = LiveHotline.on_sip(site, sip, db_url=db_url)
    writer = None
    try:
        password = await asyncio.to_thread(first_admin, runtime)
        if console.events is not None:
            from hotline.store.eventfile import EventFileWriter

            writer = EventFileWriter(console.events)
            runtime.bus.subscribe(writer)
        # started here, so a part that cannot start is reported in words (not as a
        # traceback of the app's lifespan); the lifespan's start then does nothing
        await runtime.start()
    except BaseException:
        await runtime.stop()
        if writer is not None:
            writer.close()
        raise
    server = _server(build_app(runtime), console)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, lambda: setattr(server, "should_exit", True))
    hotline = site.hotline
    numbers = ", ".join(hotline.model.numbers)
    print(f"{hotline.model.name}: console {console.listen.url}", flush=True)
    print(f"  数据库 database: {runtime.db.display_url}")
    print(f"  录音 recordings: {sip.recordings}")
    if password is not None:
        print(
            f"  首次启动 first start: user {ADMIN}, password {password} "
            "(首次登录须修改 to be changed at the first log-in)"
        )
    print(f"  phones register at {sip.host}:{sip.kamailio_port} (digest, realm {sip.realm})")
    issued = phones.provider(runtime.db, sip.realm)()
    missing = [seat.id for seat in hotline.agents if seat.id not in issued]
    if missing:
        print(
            f"  未设置话机密码 seats without a phone password: {', '.join(missing)} "
            "(系统管理, or: hotline phone-password EXTENSION --db …)"
        )
    print(f"  dial {numbers}; Ctrl-C stops", flush=True)
    try:
        await server.serve()
    finally:
        await runtime.stop()  # when the lifespan did not (the console's port was taken)
        if writer is not None:
            writer.close()
    if not server.started:
        print(f"hotline: the console could not start on {console.host}:{console.port}")
        return 1
    return 0


def run(site: Site, sip: ServeSettings, console: ConsoleSettings, db_url: str) -> int:
    # no logging configuration: warnings (a bad SIP message, a failed timer) reach stderr
    # as their bare message, through logging's last-resort handler
    return asyncio.run(serve(site, sip, console, db_url))
