"""Hotline's SIP endpoint trusts one peer, the proxy, and one caller ID, the trunk's.

A real `SipEndpoint` on loopback with its proxy set to a test socket: a stranger's
INVITE or OPTIONS sent straight to the endpoint is refused with 403 and never reaches
the engine (before issue 12 any host could ring the IVR past Kamailio); from the proxy,
the caller's number is taken from `P-Asserted-Identity` only (Kamailio keeps it only
from the trunk), never from the From header a caller writes.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sippy.SipRequest import SipRequest  # type: ignore[import-untyped]

from hotline.sip.endpoint import ANONYMOUS, Dialog, SipEndpoint, asserted_caller
from tests.support.sip import free_port
from tests.support.sipraw import SDP, Peer


class Owner:
    def __init__(self) -> None:
        self.calls: list[Dialog] = []
        self.seen = threading.Event()

    def on_invite(self, dialog: Dialog) -> None:
        self.calls.append(dialog)
        dialog.reject(486, "Busy Here")
        self.seen.set()


@pytest.fixture
def endpoint() -> Iterator[tuple[SipEndpoint, Owner, Peer]]:
    owner = Owner()
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="trust-loop", daemon=True)
    thread.start()
    port = free_port()
    proxy = Peer(("127.0.0.1", port))

    async def start() -> SipEndpoint:
        ep = SipEndpoint(
            host="127.0.0.1", port=port, on_invite=owner.on_invite,
            next_hop=("127.0.0.1", proxy.port),
        )  # fmt: skip
        ep.start()
        return ep

    ep = asyncio.run_coroutine_threadsafe(start(), loop).result(20)
    try:
        yield ep, owner, proxy
    finally:
        asyncio.run_coroutine_threadsafe(ep.stop(), loop).result(20)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()
        proxy.close()


def test_a_stranger_cannot_reach_the_engine_past_the_proxy(
    endpoint: tuple[SipEndpoint, Owner, Peer],
) -> None:
    ep, owner, _proxy = endpoint
    with Peer(("127.0.0.1", ep.port)) as stranger:
        stranger.request("INVITE", f"sip:95598@127.0.0.1:{ep.port}", body=SDP)
        invite = stranger.final()
        stranger.request("OPTIONS", f"sip:95598@127.0.0.1:{ep.port}")
        options = stranger.final()
    assert invite is not None
    assert invite.status == 403
    assert options is not None
    assert options.status == 403
    assert not owner.seen.wait(0.5)
    assert owner.calls == []


def test_the_caller_id_is_the_asserted_one_or_anonymous(
    endpoint: tuple[SipEndpoint, Owner, Peer],
) -> None:
    ep, owner, proxy = endpoint
    uri = f"sip:95598@127.0.0.1:{ep.port}"
    proxy.request(
        "INVITE", uri, from_user="13900000001", body=SDP,
        headers=("P-Asserted-Identity: <tel:+8613912345678>",),
    )  # fmt: skip
    assert proxy.final() is not None
    assert owner.seen.wait(2.0)
    assert owner.calls[0].caller == "13912345678"
    owner.seen.clear()
    proxy.call_id += "-2"
    proxy.request("INVITE", uri, from_user="13900000001", body=SDP)  # a VIP's number, claimed
    assert proxy.final() is not None
    assert owner.seen.wait(2.0)
    assert owner.calls[1].caller == ANONYMOUS


def _request(*identities: str) -> Any:
    """A parsed INVITE with these P-Asserted-Identity headers."""
    lines = [
        "INVITE sip:95598@127.0.0.1 SIP/2.0",
        "Via: SIP/2.0/UDP 127.0.0.1:5000;branch=z9hG4bK1",
        "From: <sip:13900000001@127.0.0.1>;tag=1",
        "To: <sip:95598@127.0.0.1>",
        "Call-ID: x",
        "CSeq: 1 INVITE",
        *(f"P-Asserted-Identity: {i}" for i in identities),
        "Content-Length: 0",
    ]
    return SipRequest("\r\n".join(lines) + "\r\n\r\n")


@pytest.mark.parametrize(
    ("header", "number"),
    [
        ('"Zhang" <sip:13912345678@carrier.example.net>', "13912345678"),
        ("<sip:+8613912345678@10.0.0.1;user=phone>", "13912345678"),
        ("<tel:+86-139>", ANONYMOUS),
        ("<sip:alice@example.com>", ANONYMOUS),
        ("<tel:02088886666>", "02088886666"),
    ],
)
def test_asserted_numbers_are_read_from_sip_and_tel_uris(header: str, number: str) -> None:
    assert asserted_caller(_request(header)) == number
    assert asserted_caller(_request()) == ANONYMOUS


def test_a_request_that_cannot_be_parsed_is_answered_400_not_dropped(
    endpoint: tuple[SipEndpoint, Owner, Peer],
) -> None:
    ep, _owner, proxy = endpoint
    broken = proxy.request("INVITE", f"sip:95598@127.0.0.1:{ep.port}", body=SDP)
    proxy.final(timeout=0.5)  # the well-formed one: answered
    proxy.call_id += "-broken"
    data = broken.replace(b"\r\nTo: ", b"\r\nXo: ").replace(b"Call-ID: ", b"Call-ID: b")
    proxy.sock.sendto(data, ("127.0.0.1", ep.port))
    answer = proxy.final()
    assert answer is not None
    assert answer.status == 400
    assert answer.header("via") is not None
    with Peer(("127.0.0.1", ep.port)) as stranger:  # no answers to strangers' junk
        stranger.sock.sendto(data, ("127.0.0.1", ep.port))
        assert stranger.final(timeout=0.5) is None
