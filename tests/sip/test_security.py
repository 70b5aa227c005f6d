"""Attacks on the SIP edge, performed against a real Kamailio with our config on loopback.

Each test does what an attacker who can reach the SIP port would do (issue 12) and
checks that it does not get in. Hotline's endpoint and the carrier's trunk are plain
UDP sockets here, so what Kamailio lets through to them is seen exactly.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hotline.sip import kamrpc
from hotline.sip.kamailio import (
    Kamailio,
    KamailioError,
    KamailioSettings,
    ha1,
    load_credentials,
    registered,
    sync_credentials,
    unregister,
)
from tests.support.sip import credentials, free_port, need, phone_password
from tests.support.sipraw import SDP, Message, Peer, digest, listen, received


@dataclass
class Edge:
    kamailio: Kamailio
    settings: KamailioSettings
    hotline: socket.socket  # stands where Hotline's endpoint listens
    trunk: socket.socket  # the carrier's gateway

    @property
    def address(self) -> tuple[str, int]:
        return (self.settings.host, self.settings.port)

    @property
    def domain(self) -> str:
        return f"{self.settings.host}:{self.settings.port}"

    def from_hotline(self) -> Peer:
        """A peer sending from Hotline's own address and port (the trusted source)."""
        peer = Peer(self.address)
        peer.sock.close()
        peer.sock = self.hotline
        peer.port = self.settings.hotline_port
        return peer

    def drain(self) -> None:
        received(self.hotline, 0.2)
        received(self.trunk, 0.2)


def start_edge(workdir: Path, flood_limit: int | None = None) -> Edge:
    need("kamailio")
    hotline, trunk = listen(), listen()
    settings = KamailioSettings(
        workdir=workdir,
        port=free_port(),
        numbers=("95598",),
        hotline_port=int(hotline.getsockname()[1]),
        trunk=("127.0.0.1", int(trunk.getsockname()[1])),
        flood_limit=flood_limit,
    )
    server = Kamailio(settings)
    server.start()
    load_credentials(settings, credentials("9001", "9002"))
    return Edge(server, settings, hotline, trunk)


@pytest.fixture(scope="module")
def edge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Edge]:
    edge = start_edge(tmp_path_factory.mktemp("kamailio"))
    try:
        yield edge
    finally:
        edge.kamailio.stop()
        edge.hotline.close()
        edge.trunk.close()


def invites(messages: list[Message]) -> list[Message]:
    """The INVITEs among `messages`, one per Call-ID (Kamailio retransmits to a peer that
    does not answer)."""
    seen: dict[str | None, Message] = {}
    for m in messages:
        if m.method == "INVITE":
            seen.setdefault(m.header("call-id"), m)
    return list(seen.values())


# ---- 1. anyone can register as an agent ----------------------------------------------


def test_a_register_without_credentials_is_challenged_not_saved(edge: Edge) -> None:
    with Peer(edge.address) as stranger:
        answer = stranger.register("9001", edge.domain)
    assert answer is not None
    assert answer.status == 401
    assert "9001" not in registered(edge.settings)


def test_a_wrong_password_or_another_extension_gets_no_binding(edge: Edge) -> None:
    with Peer(edge.address) as stranger:
        wrong = stranger.register("9001", edge.domain, password="guess")
        assert wrong is not None
        assert wrong.status in (401, 403)
        # 9002's own (valid) credentials used to register extension 9001
        other = stranger.register(
            "9001", edge.domain, auth_user="9002", password=phone_password("9002")
        )
        assert other is not None
        assert other.status == 403
        # a customer's number, to shadow the trunk for Hotline's calls to it
        customer = stranger.register(
            "13912345678", edge.domain, auth_user="9002", password=phone_password("9002")
        )
        assert customer is not None
        assert customer.status == 403
    phones = registered(edge.settings)
    assert "9001" not in phones
    assert "13912345678" not in phones


def test_the_real_phone_registers_once_and_a_stranger_cannot_remove_it(edge: Edge) -> None:
    with Peer(edge.address) as phone, Peer(edge.address) as desk, Peer(edge.address) as stranger:
        ok = phone.register("9001", edge.domain, password=phone_password("9001"))
        assert ok is not None
        assert ok.status == 200
        assert "9001" in registered(edge.settings)
        # the same agent from a second device: one contact per seat, the newest wins
        again = desk.register("9001", edge.domain, password=phone_password("9001"))
        assert again is not None
        assert again.status == 200
        contacts = kamrpc.call(edge.settings.rpc_fifo, "ul.lookup", "location", "9001")
        addresses = [c["Contact"]["Address"] for c in contacts["Contacts"]]
        assert addresses == [f"sip:9001@127.0.0.1:{desk.port}"]
        # Contact: * with Expires: 0 from a stranger
        gone = stranger.register("9001", edge.domain, expires=0, contact="*")
        assert gone is not None
        assert gone.status == 401
        assert "9001" in registered(edge.settings)
    unregister(edge.settings, "9001")
    assert "9001" not in registered(edge.settings)


def test_a_revoked_extension_cannot_register(edge: Edge) -> None:
    load_credentials(edge.settings, credentials("9002"))  # 9001's credential revoked
    try:
        with Peer(edge.address) as phone:
            answer = phone.register("9001", edge.domain, password=phone_password("9001"))
        assert answer is not None
        assert answer.status in (401, 403)
    finally:
        load_credentials(edge.settings, credentials("9001", "9002"))


def test_a_rotated_password_unregisters_the_phone_that_had_it(edge: Edge) -> None:
    with Peer(edge.address) as phone:
        answer = phone.register("9001", edge.domain, password=phone_password("9001"))
        assert answer is not None
        assert answer.status == 200
    assert "9001" in registered(edge.settings)
    rotated = {**credentials("9002"), "9001": ha1("9001", "hotline", "a-new-password")}
    changes = sync_credentials(edge.settings, rotated)
    assert changes.rotated == ("9001",)
    assert "9001" not in registered(edge.settings)
    sync_credentials(edge.settings, credentials("9001", "9002"))


# ---- 2. toll fraud and open relay --------------------------------------------------------


def test_an_outsider_cannot_call_out_through_the_trunk(edge: Edge) -> None:
    edge.drain()
    with Peer(edge.address) as fraud:
        fraud.request("INVITE", f"sip:0085212345678@{edge.domain}", body=SDP)
        answer = fraud.final()
    assert answer is not None
    assert answer.status in (403, 407)
    assert invites(received(edge.trunk)) == []


def test_an_invite_for_a_foreign_domain_is_not_relayed(edge: Edge) -> None:
    edge.drain()
    with Peer(edge.address) as fraud:
        fraud.request("INVITE", "sip:13912345678@carrier.example.net", body=SDP)
        answer = fraud.final()
        fraud.request("INVITE", "sip:95598@carrier.example.net", body=SDP)
        foreign_hotline = fraud.final()
    assert answer is not None
    assert answer.status == 403
    assert foreign_hotline is not None
    assert foreign_hotline.status == 403
    assert invites(received(edge.trunk)) == []
    assert invites(received(edge.hotline)) == []


def test_a_forged_in_dialog_invite_is_not_relayed_anywhere(edge: Edge) -> None:
    edge.drain()
    sink = listen()
    sink_port = int(sink.getsockname()[1])
    try:
        with Peer(edge.address) as fraud:
            fraud.request(
                "INVITE", f"sip:0085212345678@127.0.0.1:{sink_port}", to_tag="forged", body=SDP
            )
            answer = fraud.final()
            # a Route header naming the proxy itself does not open the door either
            fraud.request(
                "BYE", f"sip:x@127.0.0.1:{sink_port}", to_tag="forged",
                headers=(f"Route: <sip:{edge.domain};lr>",),
            )  # fmt: skip
            bye = fraud.final()
        assert answer is not None
        assert answer.status == 404
        assert bye is not None
        assert bye.status == 404
        assert received(sink) == []
        assert invites(received(edge.trunk)) == []
    finally:
        sink.close()


def test_hotline_reaches_the_trunk_only_within_the_dial_plan(edge: Edge) -> None:
    edge.drain()
    hotline = edge.from_hotline()
    hotline.request("INVITE", f"sip:0085212345678@{edge.domain}", from_user="95598", body=SDP)
    refused = hotline.final()
    assert refused is not None
    assert refused.status == 403
    assert invites(received(edge.trunk, 0.5)) == []
    hotline.request("INVITE", f"sip:13912345678@{edge.domain}", from_user="95598", body=SDP)
    relayed = invites(received(edge.trunk))
    assert [m.first.split()[1].split("@")[0] for m in relayed][:1] == ["sip:13912345678"]
    edge.drain()


def test_an_agent_phone_calls_nobody_but_the_hotline(edge: Edge) -> None:
    edge.drain()
    with Peer(edge.address) as phone:
        phone.request("INVITE", f"sip:13912345678@{edge.domain}", from_user="9001", body=SDP)
        challenge = phone.final()
        assert challenge is not None
        assert challenge.status == 407
        uri = f"sip:13912345678@{edge.domain}"
        authorization = digest(
            challenge.header("proxy-authenticate") or "", user="9001",
            password=phone_password("9001"), method="INVITE", uri=uri,
        )  # fmt: skip
        phone.request(
            "INVITE", uri, from_user="9001", body=SDP,
            headers=(f"Proxy-Authorization: {authorization}",),
        )  # fmt: skip
        answer = phone.final()
    assert answer is not None
    assert answer.status == 403
    assert invites(received(edge.trunk)) == []


# ---- 4, 5. caller ID and the way to the agents ---------------------------------------------


def test_a_callers_claimed_identity_is_removed_and_the_trunks_kept(edge: Edge) -> None:
    edge.drain()
    vip = "P-Asserted-Identity: <sip:13900000001@127.0.0.1>"
    with Peer(edge.address) as liar:
        liar.request("INVITE", f"sip:95598@{edge.domain}", from_user="13900000001",
                     headers=(vip,), body=SDP)  # fmt: skip
        relayed = invites(received(edge.hotline))
    assert len(relayed) == 1
    assert relayed[0].header("p-asserted-identity") is None
    trunk = Peer(edge.address)
    trunk.sock.close()
    trunk.sock, trunk.port = edge.trunk, int(edge.trunk.getsockname()[1])
    trunk.request("INVITE", f"sip:95598@{edge.domain}", from_user="13900000001",
                  headers=(vip,), body=SDP)  # fmt: skip
    relayed = [m for m in invites(received(edge.hotline)) if m.header("call-id") == trunk.call_id]
    assert len(relayed) == 1
    assert relayed[0].header("p-asserted-identity") == "<sip:13900000001@127.0.0.1>"
    edge.drain()


def test_an_outsider_cannot_ring_an_agent_directly(edge: Edge) -> None:
    with Peer(edge.address) as phone, Peer(edge.address) as outsider:
        ok = phone.register("9002", edge.domain, password=phone_password("9002"))
        assert ok is not None
        assert ok.status == 200
        received(phone.sock, 0.2)
        outsider.request("INVITE", f"sip:9002@{edge.domain}", body=SDP)
        answer = outsider.final()
        assert answer is not None
        assert answer.status == 407
        assert invites(received(phone.sock)) == []
        # Hotline itself rings the phone
        hotline = edge.from_hotline()
        hotline.request("INVITE", f"sip:9002@{edge.domain}", from_user="anonymous", body=SDP)
        assert len(invites(received(phone.sock))) == 1
    unregister(edge.settings, "9002")
    edge.drain()


# ---- 3. many registrations -------------------------------------------------------------------


def test_two_thousand_bindings_are_read_and_junk_registers_add_none(edge: Edge) -> None:
    for i in range(2000):
        kamrpc.call(
            edge.settings.rpc_fifo, "ul.add", "location", f"{20000 + i}",
            f"sip:{20000 + i}@127.0.0.1:{30000 + i}", 3600, 1.0, "", 0, 0, 0,
        )  # fmt: skip
    try:
        phones = registered(edge.settings)
        assert len(phones) >= 2000
        assert "21999" in phones
        before = len(phones)
        with Peer(edge.address) as junk:
            for i in range(300):
                junk.request("REGISTER", f"sip:{edge.domain}", from_user=f"junk{i}",
                             to=f"sip:junk{i}@{edge.domain}")  # fmt: skip
            answers = junk.receive(timeout=5.0)
        assert answers
        assert all(a.status == 401 for a in answers)
        assert len(registered(edge.settings)) == before
    finally:
        for i in range(2000):
            unregister(edge.settings, f"{20000 + i}")


def test_a_kamailio_that_does_not_answer_is_an_error_not_nobody(tmp_path: Path) -> None:
    settings = KamailioSettings(workdir=tmp_path)
    with pytest.raises(KamailioError):
        registered(settings, timeout=0.5)
    (tmp_path / "kamailio_rpc.fifo").touch()  # something that is not Kamailio's FIFO
    with pytest.raises(KamailioError):
        registered(settings, timeout=0.5)


# ---- 11, 12. floods and protocol answers -------------------------------------------------------


def test_bad_requests_get_the_rfc_answers(edge: Edge) -> None:
    with Peer(edge.address) as peer:
        peer.request("INVITE", f"sip:95598@{edge.domain}", content_length=-5, body=SDP)
        bad_length = peer.final(timeout=1.0)
        relayed = invites(received(edge.hotline, 0.5))
        assert [m for m in relayed if m.header("call-id") == peer.call_id] == []
        peer.request("INVITE", f"sip:95598@{edge.domain}", max_forwards=0, body=SDP)
        hops = peer.final()
        started = time.monotonic()
        peer.request("BYE", f"sip:{edge.domain}", to_tag="t1")
        to_proxy = peer.final()
    # Kamailio cannot answer what it cannot parse (400 needs the Via); it is dropped
    assert bad_length is None or bad_length.status == 400
    assert hops is not None
    assert hops.status == 483
    assert to_proxy is not None
    assert to_proxy.status == 404
    assert time.monotonic() - started < 1.0
    edge.drain()


def test_a_flood_from_one_address_is_cut_off(tmp_path: Path) -> None:
    edge = start_edge(tmp_path, flood_limit=20)
    try:
        with Peer(edge.address) as flood:
            for _ in range(200):
                flood.request("INVITE", f"sip:95598@{edge.domain}", body=SDP,
                              call_id=f"flood-{time.monotonic_ns()}")  # fmt: skip
            time.sleep(1.0)
        reached = {m.header("call-id") for m in invites(received(edge.hotline, 2.0))}
        assert 0 < len(reached) <= 45
        # the trunk is trusted and not limited
        trunk = Peer(edge.address)
        trunk.sock.close()
        trunk.sock, trunk.port = edge.trunk, int(edge.trunk.getsockname()[1])
        for _ in range(60):
            trunk.request("INVITE", f"sip:95598@{edge.domain}", body=SDP,
                          call_id=f"trunk-{time.monotonic_ns()}")  # fmt: skip
        time.sleep(0.5)
        from_trunk = {m.header("call-id") for m in invites(received(edge.hotline, 2.0))}
        assert len({c for c in from_trunk if c and c.startswith("trunk-")}) == 60
    finally:
        edge.kamailio.stop()
        edge.hotline.close()
        edge.trunk.close()
