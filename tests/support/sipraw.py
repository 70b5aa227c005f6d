"""Hand-made SIP over UDP for the attack tests: a socket that sends requests as an
attacker (or a phone, or the trunk) would write them, and reads what comes back.

Only what the tests need: requests with the usual headers, responses parsed into a
status and headers, digest answers to a challenge (RFC 2617 without qop, as
Kamailio's `www_challenge(realm, "0")` asks).
"""

from __future__ import annotations

import hashlib
import itertools
import re
import socket
import time
from dataclasses import dataclass, field

_SERIAL = itertools.count(1)


@dataclass
class Message:
    first: str
    headers: dict[str, list[str]] = field(default_factory=dict)
    body: str = ""

    @property
    def status(self) -> int:
        """The status code of a response; 0 for a request."""
        parts = self.first.split()
        return int(parts[1]) if self.first.startswith("SIP/2.0") and len(parts) > 1 else 0

    @property
    def method(self) -> str:
        return "" if self.first.startswith("SIP/2.0") else self.first.split()[0]

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return values[0] if values else None


def parse(data: bytes) -> Message:
    text = data.decode(errors="replace")
    head, _, body = text.partition("\r\n\r\n")
    lines = head.split("\r\n")
    message = Message(lines[0], body=body)
    for line in lines[1:]:
        name, _, value = line.partition(":")
        message.headers.setdefault(name.strip().lower(), []).append(value.strip())
    return message


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def digest(challenge: str, *, user: str, password: str, method: str, uri: str) -> str:
    """The Authorization (or Proxy-Authorization) value answering `challenge`."""
    fields = dict(re.findall(r'(\w+)="?([^",]*)"?', challenge))
    realm, nonce = fields["realm"], fields["nonce"]
    ha1 = _md5(f"{user}:{realm}:{password}")
    response = _md5(f"{ha1}:{nonce}:{_md5(f'{method}:{uri}')}")
    return (
        f'Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}", '
        f'response="{response}", algorithm=MD5'
    )


class Peer:
    """One UDP socket on loopback speaking SIP to `target` (Kamailio, or Hotline)."""

    def __init__(self, target: tuple[str, int], port: int = 0) -> None:
        self.target = target
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", port))
        self.port = int(self.sock.getsockname()[1])
        self.call_id = f"attack-{next(_SERIAL)}-{time.monotonic_ns()}@127.0.0.1"
        self.cseq = 0

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> Peer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        uri: str,
        *,
        from_user: str = "13800138000",
        to: str | None = None,
        to_tag: str | None = None,
        headers: tuple[str, ...] = (),
        body: str = "",
        content_length: int | None = None,
        max_forwards: int = 70,
        call_id: str | None = None,
    ) -> bytes:
        self.cseq += 1

        to_uri = to or uri
        lines = [
            f"{method} {uri} SIP/2.0",
            f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch=z9hG4bK{next(_SERIAL)}x{self.cseq}",
            f"From: <sip:{from_user}@127.0.0.1:{self.port}>;tag=from{self.port}",
            f"To: <{to_uri}>" + (f";tag={to_tag}" if to_tag else ""),
            f"Call-ID: {call_id or self.call_id}",
            f"CSeq: {self.cseq} {method}",
            f"Contact: <sip:{from_user}@127.0.0.1:{self.port}>",
            f"Max-Forwards: {max_forwards}",
            *headers,
        ]
        if body:
            lines.append("Content-Type: application/sdp")
        length = len(body.encode()) if content_length is None else content_length
        lines.append(f"Content-Length: {length}")
        data = ("\r\n".join(lines) + "\r\n\r\n" + body).encode()
        self.sock.sendto(data, self.target)
        return data

    def receive(self, timeout: float = 2.0) -> list[Message]:
        """Every message that arrives within `timeout` (until a quiet 0.3 s after one)."""
        messages: list[Message] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.sock.settimeout(
                max(0.01, min(0.3 if messages else 1.0, deadline - time.monotonic()))
            )
            try:
                data, _ = self.sock.recvfrom(65536)
            except TimeoutError:
                if messages:
                    break
                continue
            messages.append(parse(data))
        return messages

    def final(self, timeout: float = 3.0) -> Message | None:
        """The first final response (≥ 200) within `timeout`, or None."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                data, _ = self.sock.recvfrom(65536)
            except TimeoutError:
                return None
            message = parse(data)
            if message.status >= 200:
                return message
        return None

    def register(
        self,
        user: str,
        domain: str,
        *,
        password: str | None = None,
        auth_user: str | None = None,
        expires: int = 300,
        contact: str | None = None,
    ) -> Message | None:
        """REGISTER `user` (answering one challenge when `password` is given); the final
        response."""
        uri = f"sip:{domain}"
        extra = (f"Expires: {expires}",)
        if contact is not None:
            extra = (*extra, f"Contact: {contact}")
        self.request("REGISTER", uri, from_user=user, to=f"sip:{user}@{domain}", headers=extra)
        answer = self.final()
        if answer is None or answer.status != 401 or password is None:
            return answer
        challenge = answer.header("www-authenticate") or ""
        authorization = digest(
            challenge, user=auth_user or user, password=password, method="REGISTER", uri=uri
        )
        self.request(
            "REGISTER", uri, from_user=user, to=f"sip:{user}@{domain}",
            headers=(*extra, f"Authorization: {authorization}"),
        )  # fmt: skip
        return self.final()


SDP = (
    "v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=x\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 40000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
)


def listen(port: int = 0) -> socket.socket:
    """A UDP socket standing in for a host that must receive nothing (or something)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", port))
    return sock


def received(sock: socket.socket, timeout: float = 1.0) -> list[Message]:
    """What `sock` received within `timeout`."""
    messages: list[Message] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            data, _ = sock.recvfrom(65536)
        except TimeoutError:
            break
        messages.append(parse(data))
    return messages
