"""Kamailio's websocket edge without browsers: session credentials, the desk phone beside them,
and what a websocket client may call (a SIP-over-websocket client, tests/support/wssip.py).

Kamailio with our config and a `WebrtcEdge` (rtpengine running in userspace), the desk
phones' HA1s for 9001 and 9002 and one session credential for 9001 (`wsA`). Over the
websocket: `wsA` registers 9001 (200, in ``location_ws``); a wrong password is challenged
again (401); `wsA` may not register 9002 (403); the desk phone's own password does not
register over the websocket (session credentials only). Over UDP the desk phone registers
9001 with its own password at the same time. Removing the session credential
(`sync_browser_credentials`) removes the browser's registration and leaves the desk
phone's. A websocket client may call the hotline's number a few times a minute (the 4th
INVITE in a minute from one address: 403 Too Many Calls) and nobody else (407). About 10 s.
"""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest

from hotline.sip import kamrpc
from hotline.sip.kamailio import (
    Kamailio,
    KamailioError,
    KamailioSettings,
    WebrtcEdge,
    ha1,
    load_credentials,
    registered,
    sync_browser_credentials,
    webrtc_missing,
)
from hotline.sip.rtpengine import Rtpengine, RtpengineSettings
from hotline.sip.rtpengine import available as rtpengine_available
from tests.support.sip import REALM, credentials, free_port, need, phone_password
from tests.support.sipraw import Peer
from tests.support.wssip import WsSip


def _in_location_ws(settings: KamailioSettings, user: str) -> bool:
    try:
        kamrpc.call(settings.rpc_fifo, "ul.lookup", "location_ws", user, timeout=5)
    except kamrpc.RpcError:
        return False
    return True


def test_session_credentials_beside_the_desk_phone_and_web_call_limits(tmp_path: Path) -> None:
    need("kamailio")
    if rtpengine_available() is None or webrtc_missing() is not None:
        pytest.skip(f"{webrtc_missing() or 'rtpengine is not installed'} (scripts/system-deps.sh)")
    engine = Rtpengine(RtpengineSettings(workdir=tmp_path / "rtpe", ng_port=free_port(),
                                         port_min=59000, port_max=59099))  # fmt: skip
    settings = KamailioSettings(
        workdir=tmp_path / "kamailio",
        port=free_port(),
        hotline_port=free_port(),
        webrtc=WebrtcEdge(
            ws_port=free_port(socket.SOCK_STREAM),
            rtpengine=engine.settings.ng_address,
            webcalls_per_minute=3,
        ),
    )
    assert settings.webrtc is not None
    url = f"ws://127.0.0.1:{settings.webrtc.ws_port}"
    domain = f"127.0.0.1:{settings.port}"
    kamailio = Kamailio(settings)
    engine.start()
    try:
        kamailio.start()
        load_credentials(settings, credentials("9001", "9002"))
        sync_browser_credentials(settings, {"wsA": ("9001", ha1("wsA", REALM, "pw-A-123"))})

        async def browsers() -> None:
            browser = WsSip(url, domain)
            await browser.open()
            wrong = await browser.register("9001", "wsA", "not-it", REALM)
            assert wrong.status == 401
            other = await browser.register("9002", "wsA", "pw-A-123", REALM)
            assert other.status == 403
            desk_password = await browser.register("9001", "9001", phone_password("9001"), REALM)
            assert desk_password.status == 401  # only session credentials over websocket
            ok = await browser.register("9001", "wsA", "pw-A-123", REALM)
            assert ok.status == 200, ok.first
            await browser.close()

            caller = WsSip(url, domain)
            await caller.open()
            nobody = await caller.invite("9002")
            assert nobody.status == 407  # a websocket client reaches only the hotline
            for _ in range(3):  # relayed to Hotline's port (nothing answers here)
                with pytest.raises(TimeoutError):
                    await caller.invite("95598", timeout=0.5)
            refused = await caller.invite("95598")
            assert (refused.status, refused.first) == (403, "SIP/2.0 403 Too Many Calls")
            await caller.close()

        asyncio.run(browsers())
        assert _in_location_ws(settings, "9001")

        with Peer((settings.host, settings.port)) as phone:  # the desk phone, over UDP
            answer = phone.register("9001", domain, password=phone_password("9001"))
            assert answer is not None
            assert answer.status == 200
        assert registered(settings) == {"9001"}

        sync_browser_credentials(settings, {})  # the session ended (logout, expiry)
        assert not _in_location_ws(settings, "9001")
        assert registered(settings) == {"9001"}  # the desk phone stays
    finally:
        kamailio.stop()
        engine.stop()


def test_only_the_consoles_pages_open_the_websocket(tmp_path: Path) -> None:
    """With the console's origins set (`hotline serve` sets them), a page of another site
    — or a client that says no Origin — cannot open the SIP websocket (403 at the
    handshake); the console's page can. A bad origin in the settings is refused when the
    config is written."""
    import websockets

    need("kamailio")
    if rtpengine_available() is None or webrtc_missing() is not None:
        pytest.skip(f"{webrtc_missing() or 'rtpengine is not installed'} (scripts/system-deps.sh)")
    console = "https://hotline.example.com"
    settings = KamailioSettings(
        workdir=tmp_path / "kamailio",
        port=free_port(),
        hotline_port=free_port(),
        webrtc=WebrtcEdge(
            ws_port=free_port(socket.SOCK_STREAM),
            rtpengine=("127.0.0.1", free_port()),  # the handshake needs no rtpengine
            origins=(console, "http://127.0.0.1:8000"),
        ),
    )
    assert settings.webrtc is not None
    url = f"ws://127.0.0.1:{settings.webrtc.ws_port}"
    kamailio = Kamailio(settings)
    try:
        kamailio.start()

        async def handshake(origin: str | None) -> int:
            try:
                async with websockets.connect(
                    url,
                    subprotocols=[websockets.Subprotocol("sip")],
                    origin=websockets.Origin(origin) if origin else None,
                ):
                    return 101
            except websockets.InvalidStatus as e:
                return e.response.status_code

        assert asyncio.run(handshake(console)) == 101
        assert asyncio.run(handshake("http://127.0.0.1:8000")) == 101
        assert asyncio.run(handshake("https://evil.example.net")) == 403
        assert asyncio.run(handshake(None)) == 403
    finally:
        kamailio.stop()

    bad = KamailioSettings(
        workdir=tmp_path / "bad",
        port=free_port(),
        hotline_port=free_port(),
        webrtc=WebrtcEdge(ws_port=free_port(socket.SOCK_STREAM), rtpengine=("127.0.0.1", 1),
                          origins=('x" || true || "',)),
    )  # fmt: skip
    with pytest.raises(KamailioError, match="not a web origin"):
        Kamailio(bad).start()
