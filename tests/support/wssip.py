"""A small SIP-over-websocket client (RFC 7118) for tests and the WebRTC load benchmark.

`WsSip` opens one websocket to Kamailio (subprotocol ``sip``), sends requests and reads
responses and requests; `register` does the digest dance (MD5, qop auth) the way JsSIP
does, with a ``.invalid`` Contact and ``transport=ws``; `invite` sends an INVITE with a
WebRTC-like SDP (no answer expected: it is for refusals and rate limits); incoming INVITEs
(an agent rung by Hotline) are answered 180 and 486 by `decline`, or counted by whoever
reads `requests`; a client given a `handler` (tests/support/wsagent.py: an agent that
answers with WebRTC media) gets every request instead and answers with `reply`. asyncio,
one object per simulated browser.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import websockets


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


@dataclass
class Message:
    first: str
    headers: dict[str, list[str]]
    body: str

    @property
    def status(self) -> int | None:
        parts = self.first.split(" ", 2)
        return int(parts[1]) if self.first.startswith("SIP/2.0 ") else None

    @property
    def method(self) -> str | None:
        return None if self.first.startswith("SIP/2.0 ") else self.first.split(" ", 1)[0]

    def header(self, name: str) -> str:
        values = self.headers.get(name.lower(), [])
        return values[0] if values else ""


def parse(text: str) -> Message:
    head, _, body = text.partition("\r\n\r\n")
    lines = head.split("\r\n")
    headers: dict[str, list[str]] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return Message(lines[0], headers, body)


def _challenge(header: str) -> dict[str, str]:
    return dict(re.findall(r'(\w+)="?([^",]*)"?', header))


@dataclass
class WsSip:
    """One browser-like SIP client over a websocket to `url` for the SIP `domain`."""

    url: str
    domain: str
    user: str = "webcall"
    host: str = field(default_factory=lambda: f"{secrets.token_hex(6)}.invalid")
    requests: list[Message] = field(default_factory=list)
    handler: Callable[[Message], Awaitable[None]] | None = None
    """Gets every request (INVITE, ACK, BYE …) instead of the automatic 180/200 replies."""

    async def open(self) -> None:
        self._ws = await websockets.connect(self.url, subprotocols=[websockets.Subprotocol("sip")])
        self._responses: asyncio.Queue[Message] = asyncio.Queue()
        self._reader = asyncio.get_running_loop().create_task(self._read())
        self._cseq = 0
        self.call_id = secrets.token_hex(10)
        self.tag = secrets.token_hex(5)

    async def close(self) -> None:
        self._reader.cancel()
        await self._ws.close()

    async def _read(self) -> None:
        async for data in self._ws:
            message = parse(data if isinstance(data, str) else data.decode())
            if message.status is not None:
                await self._responses.put(message)
            elif self.handler is not None:
                await self.handler(message)
            else:
                self.requests.append(message)
                if message.method == "INVITE":
                    await self._reply(message, 180, "Ringing")
                elif message.method in ("BYE", "CANCEL", "OPTIONS"):
                    await self._reply(message, 200, "OK")

    async def _reply(self, request: Message, code: int, reason: str) -> None:
        await self.reply(request, code, reason)

    async def reply(
        self, request: Message, code: int, reason: str, *, body: str = "", dialog: bool = False
    ) -> None:
        """Answer `request`; `dialog`: copy its Record-Route (a 18x/2xx that makes a
        dialog, RFC 3261 12.1.1); `body`: an SDP."""
        lines = [f"SIP/2.0 {code} {reason}"]
        for name in ("via", "from", "call-id", "cseq", *(("record-route",) if dialog else ())):
            lines += [f"{name.title()}: {v}" for v in request.headers.get(name, [])]
        to = request.header("to")
        if code > 100 and ";tag=" not in to:
            to += f";tag={self.tag}"
        lines += [f"To: {to}", f"Contact: <sip:{self.user}@{self.host};transport=ws>"]
        if body:
            lines.append("Content-Type: application/sdp")
        lines += [f"Content-Length: {len(body.encode())}", "", body]
        await self._ws.send("\r\n".join(lines))

    async def decline(self, request: Message) -> None:
        """Refuse a ringing INVITE (486 Busy Here)."""
        await self._reply(request, 486, "Busy Here")

    async def request(
        self,
        method: str,
        uri: str,
        *,
        to: str,
        extra: tuple[str, ...] = (),
        body: str = "",
        timeout: float = 5.0,
    ) -> Message:
        """Send a request; the first final response (provisional ones are skipped)."""
        self._cseq += 1
        branch = "z9hG4bK" + secrets.token_hex(8)
        lines = [
            f"{method} {uri} SIP/2.0",
            f"Via: SIP/2.0/WSS {self.host};branch={branch}",
            "Max-Forwards: 70",
            f"To: <{to}>",
            f"From: <sip:{self.user}@{self.domain}>;tag={self.tag}",
            f"Call-ID: {self.call_id}",
            f"CSeq: {self._cseq} {method}",
            f"Contact: <sip:{self.user}@{self.host};transport=ws>",
            *extra,
        ]
        if body:
            lines.append("Content-Type: application/sdp")
        lines += [f"Content-Length: {len(body.encode())}", "", body]
        await self._ws.send("\r\n".join(lines))
        while True:
            response = await asyncio.wait_for(self._responses.get(), timeout)
            if (
                response.header("cseq").startswith(f"{self._cseq} ")
                and (response.status or 0) >= 200
            ):
                return response

    async def register(
        self,
        aor_user: str,
        auth_user: str,
        password: str,
        realm: str,
        expires: int = 300,
        timeout: float = 5.0,
    ) -> Message:
        """REGISTER `aor_user` authenticating as `auth_user`; the final response."""
        self.user = aor_user
        uri, aor = f"sip:{self.domain}", f"sip:{aor_user}@{self.domain}"
        first = await self.request(
            "REGISTER", uri, to=aor, extra=(f"Expires: {expires}",), timeout=timeout
        )
        if first.status != 401:
            return first
        challenge = _challenge(first.header("www-authenticate"))
        cnonce, nc = secrets.token_hex(8), "00000001"
        ha1 = _md5(f"{auth_user}:{realm}:{password}")
        ha2 = _md5(f"REGISTER:{uri}")
        answer = _md5(f"{ha1}:{challenge['nonce']}:{nc}:{cnonce}:auth:{ha2}")
        authorization = (
            f'Digest username="{auth_user}", realm="{challenge["realm"]}", '
            f'nonce="{challenge["nonce"]}", uri="{uri}", response="{answer}", '
            f'algorithm=MD5, qop=auth, nc={nc}, cnonce="{cnonce}"'
        )
        return await self.request(
            "REGISTER",
            uri,
            to=aor,
            extra=(f"Expires: {expires}", f"Authorization: {authorization}"),
            timeout=timeout,
        )

    async def invite(self, number: str, timeout: float = 5.0) -> Message:
        """An INVITE to `number` with a browser's kind of SDP (ICE, DTLS fingerprint)."""
        self.call_id = secrets.token_hex(10)
        sdp = (
            "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            "m=audio 9 UDP/TLS/RTP/SAVPF 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\na=ice-ufrag:abcd\r\n"
            "a=ice-pwd:abcdefghijklmnopqrstuvwx\r\na=setup:actpass\r\na=rtcp-mux\r\n"
            "a=fingerprint:sha-256 " + ":".join(["AB"] * 32) + "\r\na=sendrecv\r\n"
        )
        return await self.request(
            "INVITE", f"sip:{number}@{self.domain}", to=f"sip:{number}@{self.domain}",
            body=sdp, timeout=timeout,
        )  # fmt: skip
