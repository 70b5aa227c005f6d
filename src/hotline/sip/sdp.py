"""The little SDP Hotline speaks (RFC 4566, offer/answer RFC 3264): one audio stream,
G.711 plus telephone-event. Parsing takes what it understands and never raises.

A connection address (`c=`) must be an IP literal of its address type (``IN IP4``
dotted quad, ``IN IP6`` without a zone): an offer naming a host is unusable, so that
no peer can make Hotline ask DNS anything (the media are on the engine's loop)."""

from __future__ import annotations

import ipaddress
import itertools
import time
from dataclasses import dataclass

from hotline.sip.media import PCMA, PCMU

_session_ids = itertools.count(int(time.time()))


@dataclass(frozen=True, slots=True)
class AudioOffer:
    """What the peer said about its audio: where to send RTP and in which formats."""

    address: str
    port: int
    payload_types: tuple[int, ...]
    event_type: int | None  # the payload type mapped to telephone-event/8000
    direction: str = "sendrecv"

    def codec(self) -> int | None:
        """The first G.711 format the peer lists (its preference), or None."""
        return next((pt for pt in self.payload_types if pt in (PCMU, PCMA)), None)


def parse(text: str) -> AudioOffer | None:
    """The first audio stream of an SDP body; None when it has no usable audio (or
    its connection address is not an IP literal)."""
    session_address: str | None = ""  # None: a c= line that is not an IP literal
    media_address: str | None = ""
    port = -1
    payload_types: list[int] = []
    rtpmap: dict[int, str] = {}
    direction = "sendrecv"
    in_audio = False
    seen_audio = False
    for raw in text.splitlines():
        line = raw.strip()
        if len(line) < 2 or line[1] != "=":
            continue
        key, value = line[0], line[2:]
        if key == "m":
            if seen_audio:
                break  # only the first audio stream counts
            fields = value.split()
            in_audio = len(fields) >= 4 and fields[0] == "audio"
            if in_audio:
                seen_audio = True
                port = _number(fields[1])
                payload_types = [pt for pt in map(_number, fields[3:]) if 0 <= pt < 128]
        elif key == "c":
            fields = value.split()
            if len(fields) >= 3 and fields[0] == "IN":
                address = _literal(fields[1], fields[2].split("/")[0])
                if in_audio:
                    media_address = address
                elif not seen_audio:
                    session_address = address
        elif key == "a" and in_audio:
            if value.startswith("rtpmap:"):
                number, _, encoding = value[len("rtpmap:") :].partition(" ")
                if 0 <= _number(number) < 128:
                    rtpmap[_number(number)] = encoding.strip().lower()
            elif value in ("sendrecv", "sendonly", "recvonly", "inactive"):
                direction = value
    address = session_address if media_address == "" else media_address
    if not seen_audio or not address or not 0 <= port <= 65535:
        return None
    events = [pt for pt, name in rtpmap.items() if name.startswith("telephone-event/8000")]
    return AudioOffer(address, port, tuple(payload_types), events[0] if events else None, direction)


def _literal(kind: str, text: str) -> str | None:
    """An address written as an IP literal of its type, normalized; None otherwise
    (a host name, a zone, the other family, anything else)."""
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    if "%" in text or kind != ("IP4" if ip.version == 4 else "IP6"):
        return None
    return str(ip)


def _number(text: str) -> int:
    """A field of ASCII digits as a number, else -1 (`str.isdigit` also accepts "²",
    which `int` refuses)."""
    return int(text) if text.isascii() and text.isdigit() else -1


def build(address: str, port: int, codec: int, event_type: int | None) -> str:
    """Our audio stream: `codec` (PCMU or PCMA) and, when given, telephone-event."""
    session = next(_session_ids)
    formats = [codec] + ([event_type] if event_type is not None else [])
    names = {PCMU: "PCMU/8000", PCMA: "PCMA/8000"}
    lines = [
        "v=0",
        f"o=hotline {session} {session} IN IP4 {address}",
        "s=Hotline",
        f"c=IN IP4 {address}",
        "t=0 0",
        f"m=audio {port} RTP/AVP {' '.join(str(f) for f in formats)}",
        f"a=rtpmap:{codec} {names[codec]}",
    ]
    if event_type is not None:
        lines += [f"a=rtpmap:{event_type} telephone-event/8000", f"a=fmtp:{event_type} 0-15"]
    lines += ["a=ptime:20", "a=sendrecv"]
    return "\r\n".join(lines) + "\r\n"
