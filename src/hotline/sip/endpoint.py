"""Hotline's SIP endpoint: sippy's RFC 3261 stack in its own thread, dialogs driven from asyncio.

sippy runs one event loop (`ED2`, a process-wide singleton) in a dedicated thread;
every sippy object is touched only there. Commands from the asyncio loop go over
with `ED2.callFromThread`; what sippy reports comes back with
`loop.call_soon_threadsafe`, already turned into plain values (no sippy object
crosses threads). So one process holds at most one running `SipEndpoint`.

What it does: answers INVITEs (the owner decides: ring, answer with SDP, reject),
originates INVITEs through a next hop (Kamailio, which finds the registered phone),
sends BYE or CANCEL, answers re-INVITEs with the same SDP, and reports ringing,
answer, failure and hang-up. Bad input never reaches the owner as an exception:
sippy drops what it cannot parse, and our request handler answers 500 to anything
that makes it fail. sippy's own error output (a traceback on stdout per message it
cannot parse, a few bare prints) goes to this module's logger instead: one WARNING
line per bad message naming the peer (`route_sippy_output`).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import itertools
import logging
import re
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

import sippy.Core.Exceptions  # type: ignore[import-untyped]
from sippy.CCEvents import (  # type: ignore[import-untyped]
    CCEventConnect,
    CCEventDisconnect,
    CCEventFail,
    CCEventPreConnect,
    CCEventRing,
    CCEventTry,
    CCEventUpdate,
)
from sippy.Core.EventDispatcher import ED2  # type: ignore[import-untyped]
from sippy.MsgBody import MsgBody  # type: ignore[import-untyped]
from sippy.SipAddress import SipAddress  # type: ignore[import-untyped]
from sippy.SipConf import SipConf  # type: ignore[import-untyped]
from sippy.SipContact import SipContact  # type: ignore[import-untyped]
from sippy.SipTransactionManager import SipTransactionManager  # type: ignore[import-untyped]
from sippy.SipURL import SipURL  # type: ignore[import-untyped]
from sippy.UA import UA  # type: ignore[import-untyped]

from hotline.core.errors import HotlineError
from hotline.sip import sdp, webcall
from hotline.sip.webcall import WebcallTokens

log = logging.getLogger(__name__)


class SipError(HotlineError):
    error_id = "sip-error"


class DialogState(enum.Enum):
    OFFERED = "offered"  # inbound INVITE, not answered yet / outbound INVITE sent
    RINGING = "ringing"
    UP = "up"
    ENDED = "ended"


class _Trace:
    """sippy's message log, into Python logging (sippy's own logger writes files)."""

    def write(self, *args: Any, **kwargs: Any) -> None:
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s", "".join(str(a) for a in args))


_PEER_UNKNOWN = "unknown peer"


class _SippyOutput(threading.local):
    """sippy's error output as one WARNING line per bad message, naming the peer.

    Per thread: sippy's UDP workers may hand datagrams in from several threads at once,
    and each must name its own sender and keep its own one-line allowance.

    sippy reports what it cannot handle with `dump_exception` (a traceback, then the
    whole message, to the stdout it saw at import) and a few bare `print` calls
    ("Truncated SIP body ..."). Both names are replaced in sippy's modules by the
    methods below. `peer` is the sender of the datagram sippy's thread handles now.
    """

    peer = _PEER_UNKNOWN
    warned = False  # a line was written for the datagram handled now
    unanswered = False  # sippy could not parse the request handled now, nor answer it

    def start(self, peer: str) -> None:
        self.peer, self.warned, self.unanswered = peer, False, False

    def warn(self, message: str, *args: object) -> None:
        """One WARNING per datagram: what follows from the same cause goes to DEBUG."""
        log.log(logging.DEBUG if self.warned else logging.WARNING, message, *args)
        self.warned = self.peer != _PEER_UNKNOWN

    def exception(self, msg: object, f: object = None, extra: object = None) -> None:
        error = sys.exc_info()[1]
        if str(msg).startswith("can't parse SIP request") and not _answered(error):
            self.unanswered = True
        detail = f"{type(error).__name__}: {_first_line(str(error))}" if error else "no error"
        what = _first_line(str(msg))
        if self.peer in what:  # "can't parse SIP request from <peer>"
            self.warn("SIP: %s (%s)", what, detail)
        else:
            self.warn("SIP from %s: %s (%s)", self.peer, what, detail)

    def print(self, *args: object, **kwargs: object) -> None:
        text = " ".join(str(a) for a in args if not isinstance(a, datetime))
        self.warn("SIP from %s: sippy: %s", self.peer, _first_line(text))


_OUTPUT = _SippyOutput()


def route_sippy_output() -> None:
    """Send sippy's error output to logging instead of stdout (idempotent, process-wide:
    sippy itself is). Every sippy module imported by then is redirected."""
    original = sippy.Core.Exceptions.dump_exception
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "sippy" or name.startswith("sippy.")):
            continue
        if getattr(module, "dump_exception", None) in (original, _OUTPUT.exception):
            setattr(module, "dump_exception", _OUTPUT.exception)  # noqa: B010 (a module)
        setattr(module, "print", _OUTPUT.print)  # noqa: B010 (shadows the builtin there only)


def _first_line(text: str, limit: int = 200) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[:limit] + "..."


class _TransactionManager(SipTransactionManager):  # type: ignore[misc]
    """sippy's transaction manager, with the sender of each datagram known to the
    output above, two kinds of garbage dropped with one line before sippy sees them
    (bytes that are not UTF-8, which sippy would decode outside its own guard, and a
    response whose status code is out of range, which sippy prints whole), and one
    line for whatever else escapes sippy's handling of a datagram."""

    trusted: tuple[str, int] | None = None
    """Whom a request we cannot parse is answered 400 (the proxy; anyone when None)."""

    def handleIncoming(self, data_in: Any, ra: Any, server: Any, rtime: Any) -> None:  # noqa: N802 (sippy's name)
        _OUTPUT.start(str(ra))
        try:
            if isinstance(data_in, bytes) and len(data_in) >= 32:
                try:
                    text = data_in.decode()
                except UnicodeDecodeError as e:
                    _OUTPUT.warn("SIP from %s: not UTF-8 text (byte %d); dropped", ra, e.start)
                    return
                if text.startswith("SIP/2.0 ") and not _status_in_range(text):
                    _OUTPUT.warn("SIP from %s: bad status line %r; dropped", ra, _first_line(text))
                    return
            super().handleIncoming(data_in, ra, server, rtime)
            if _OUTPUT.unanswered and self.trusted in (None, tuple(ra.address)):
                reply = bad_request(data_in)
                if reply is not None:
                    server.send_to(reply, ra.address)
        except Exception as e:  # sippy raised past its own guard (a bad Content-Length can)
            _OUTPUT.warn("SIP from %s: dropped (%s: %s)", ra, type(e).__name__, _first_line(str(e)))
        finally:
            _OUTPUT.start(_PEER_UNKNOWN)


def _answered(error: BaseException | None) -> bool:
    """Whether sippy answered the request it could not parse (its `SipParseError` carries
    a response when it could build one)."""
    get = getattr(error, "getResponse", None)
    try:
        return get is not None and get() is not None
    except Exception:
        return False


_ECHOED = ("via", "v", "from", "f", "to", "t", "call-id", "i", "cseq")


def bad_request(data: bytes | str) -> bytes | None:
    """A ``400 Bad Request`` for a request we cannot parse (RFC 3261 §8.2: answered, not
    dropped, so that the sender stops retransmitting), echoing its Via, From, To,
    Call-ID and CSeq lines as they are; None when it has no Via to answer along, or is
    an ACK (never answered)."""
    text = data.decode(errors="replace") if isinstance(data, bytes) else data
    head = text.split("\r\n\r\n", 1)[0].split("\r\n")
    if not head or head[0].startswith("SIP/") or head[0].upper().startswith("ACK "):
        return None
    kept = [line for line in head[1:] if line.split(":", 1)[0].strip().lower() in _ECHOED]
    if not any(line.split(":", 1)[0].strip().lower() in ("via", "v") for line in kept):
        return None
    lines = ["SIP/2.0 400 Bad Request", *kept, "Content-Length: 0", "", ""]
    return "\r\n".join(lines).encode()


def _status_in_range(text: str) -> bool:
    """Whether a response's status code is within 100–999 (or not a number at all:
    sippy's parser then rejects it, and says so through `_SippyOutput`)."""
    fields = text[8:64].split(maxsplit=1)
    code = fields[0] if fields else ""
    return not code.isdecimal() or 100 <= int(code) <= 999


class Dialog:
    """One call leg. Its methods run on the asyncio loop and never block; callbacks
    (`on_ringing`, `on_answered`, `on_confirmed`, `on_failed`, `on_ended`, `on_updated`)
    run on the loop as well.

    `confirmed`: the dialog is confirmed, media may flow. An inbound dialog is confirmed
    by the caller's ACK of our 200 OK (`on_confirmed`); until then nothing should be
    sent towards the caller's SDP, which anyone may have written. A 200 OK never ACKed
    ends the dialog (`on_ended`, still unconfirmed) when sippy gives up on it, 64×T1 =
    32 s after the answer (RFC 3261 13.3.1.4). An outbound dialog is confirmed by its
    answer (we ACK it)."""

    def __init__(
        self, endpoint: SipEndpoint, *, inbound: bool, caller: str, dialed: str, key: str
    ) -> None:
        self.endpoint = endpoint
        self.inbound = inbound
        self.caller = caller
        self.dialed = dialed
        self.key = key
        self.state = DialogState.OFFERED
        self.remote: sdp.AudioOffer | None = None
        self.local_sdp: str | None = None
        self.on_ringing: Callable[[], None] | None = None
        self.on_answered: Callable[[], None] | None = None
        self.on_confirmed: Callable[[], None] | None = None
        self.confirmed = False
        self.on_failed: Callable[[int, str], None] | None = None
        self.on_ended: Callable[[], None] | None = None
        self.on_updated: Callable[[], None] | None = None
        self._ua: Any = None  # the sippy UA: touched only on sippy's thread
        self._rsdp: Any = None  # (sippy's thread) the peer's SDP we accepted last

    def __repr__(self) -> str:
        way = "in" if self.inbound else "out"
        return f"<Dialog {self.key} {way} {self.caller}->{self.dialed} {self.state.value}>"

    # ---- commands (asyncio loop) --------------------------------------------------------

    def ring(self) -> None:
        """Inbound: send 180 Ringing."""
        if self.inbound and self.state is DialogState.OFFERED:
            self.state = DialogState.RINGING
            self.endpoint._send(self, CCEventRing((180, "Ringing", None)))

    def answer(self, local_sdp: str) -> None:
        """Inbound: send 200 OK with our SDP; `on_confirmed` follows the caller's ACK."""
        if self.inbound and self.state in (DialogState.OFFERED, DialogState.RINGING):
            self.state = DialogState.UP
            self.local_sdp = local_sdp
            body = MsgBody(local_sdp)
            # sippy's "pre-connect" answers 200 and waits for the ACK, which it then
            # reports as a connect ("ACK", "ACK", body); a plain connect never reports it
            self.endpoint._send(self, CCEventPreConnect((200, "OK", body)))

    def reject(self, code: int = 480, reason: str = "Temporarily Unavailable") -> None:
        """Inbound and not answered: a final error response."""
        if self.inbound and self.state in (DialogState.OFFERED, DialogState.RINGING):
            self.state = DialogState.ENDED
            self.endpoint._send(self, CCEventFail((code, reason)))
            self.endpoint._forget(self)

    def hangup(self) -> None:
        """End the leg: BYE once up, CANCEL an unanswered outbound INVITE, 480 an inbound one.

        No `on_ended` follows (the owner asked for it)."""
        if self.state is DialogState.ENDED:
            return
        if self.inbound and self.state is not DialogState.UP:
            self.reject()
            return
        self.state = DialogState.ENDED
        self.endpoint._send(self, CCEventDisconnect())
        self.endpoint._forget(self)

    # ---- reports (asyncio loop) ---------------------------------------------------------

    def _report(self, kind: str, code: int, reason: str, body: str | None) -> None:
        if self.state is DialogState.ENDED:
            return
        if body:
            offer = sdp.parse(body)
            if offer is not None:
                self.remote = offer
        callback: Callable[[], None] | None = None
        if kind == "ringing" and self.state is DialogState.OFFERED:
            self.state = DialogState.RINGING
            callback = self.on_ringing
        elif kind == "answered" and self.state is not DialogState.UP:
            self.state = DialogState.UP
            self.confirmed = True  # sippy ACKs the 200 OK
            callback = self.on_answered
        elif kind == "confirmed" and self.state is DialogState.UP and not self.confirmed:
            self.confirmed = True
            callback = self.on_confirmed
        elif kind == "updated":
            callback = self.on_updated
        elif kind == "failed":
            self.state = DialogState.ENDED
            self.endpoint._forget(self)
            if self.on_failed is not None:
                self.on_failed(code, reason)
            return
        elif kind == "ended":
            self.state = DialogState.ENDED
            self.endpoint._forget(self)
            callback = self.on_ended
        if callback is not None:
            callback()


class SipEndpoint:
    """A SIP user agent on `host:port` (UDP). `on_invite` gets each new inbound dialog
    on the asyncio loop and must ring, answer or reject it."""

    _running = False

    def __init__(
        self,
        *,
        host: str,
        port: int,
        on_invite: Callable[[Dialog], None],
        next_hop: tuple[str, int] | None = None,
        trusted: tuple[str, int] | None = None,
        user_agent: str = "Hotline",
        webcall: WebcallTokens | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.webcall = webcall
        """Verifies the web call page's ``X-Hotline-Token`` (the caller's number from the
        center's site, `hotline.sip.webcall`); None: web callers are anonymous."""
        self.next_hop = next_hop
        self.trusted = trusted if trusted is not None else next_hop
        """The one peer (host, port) that may start dialogs with us: the proxy. Anyone
        else's INVITE, OPTIONS … is answered 403; in-dialog requests are sippy's to match."""
        self._on_invite = on_invite
        self._user_agent = user_agent
        self._loop = asyncio.get_running_loop()
        self._keys = itertools.count(1)
        self._dialogs: dict[str, Dialog] = {}
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._tm: Any = None
        self._config: dict[str, Any] = {}
        self.errors = 0

    def dialogs(self) -> list[Dialog]:
        return list(self._dialogs.values())

    # ---- lifecycle ----------------------------------------------------------------------

    def start(self) -> None:
        """Bind the SIP port and start sippy's thread; raises `SipError` if one runs already."""
        if SipEndpoint._running:
            raise SipError("a SIP endpoint already runs in this process (sippy's loop is global)")
        SipEndpoint._running = True
        route_sippy_output()
        SipConf.my_address = self.host
        SipConf.my_port = self.port
        SipConf.my_uaname = self._user_agent
        self._config = {
            "_sip_address": self.host,
            "_sip_port": self.port,
            "_sip_logger": _Trace(),
        }
        self._thread = threading.Thread(target=self._run, name="hotline-sippy", daemon=True)
        self._thread.start()
        if not self._ready.wait(10.0) or self._tm is None:
            SipEndpoint._running = False
            raise SipError(f"sippy did not start on {self.host}:{self.port}")

    def _run(self) -> None:
        ED2.my_ident = threading.get_ident()  # sippy checks that timers start on its thread
        try:
            self._tm = _TransactionManager(self._config, self._request)
            self._tm.trusted = self.trusted
            self._config["_sip_tm"] = self._tm
        except Exception:
            log.exception("cannot start the SIP transaction manager")
            self._ready.set()
            return
        self._ready.set()
        try:
            ED2.loop()
        finally:
            self._tm.shutdown()

    async def stop(self) -> None:
        """Hang up every dialog, stop sippy's thread (the port is closed)."""
        for dialog in list(self._dialogs.values()):
            dialog.hangup()
        if self._thread is None:
            return
        await asyncio.sleep(0.2)  # let the BYEs and CANCELs leave
        ED2.callFromThread(ED2.breakLoop)
        thread, self._thread = self._thread, None
        await asyncio.to_thread(thread.join, 5.0)
        SipEndpoint._running = False

    # ---- outbound -----------------------------------------------------------------------

    def originate(self, user: str, local_sdp: str, *, caller: str, name: str = "") -> Dialog:
        """INVITE `user` at the next hop (Kamailio looks the phone up); the dialog reports
        ringing, answer or failure. Raises `SipError` without a next hop."""
        if self.next_hop is None:
            raise SipError("no next hop to send INVITEs to")
        dialog = Dialog(self, inbound=False, caller=caller, dialed=user, key=self._key("o"))
        dialog.local_sdp = local_sdp
        self._dialogs[dialog.key] = dialog
        hop = self.next_hop
        ED2.callFromThread(self._originate, dialog, hop, user, local_sdp, caller, name)
        return dialog

    def _originate(
        self, dialog: Dialog, hop: tuple[str, int], user: str, body: str, caller: str, name: str
    ) -> None:
        try:
            ua = UA(self._config, event_cb=self._event_cb(dialog), nh_address=hop)
            ua.lContact = self._contact(caller)
            dialog._ua = ua
            ua.recvEvent(CCEventTry((None, caller, user, MsgBody(body), None, name or caller)))
        except Exception:
            log.exception("cannot send the INVITE of %r", dialog)
            self._loop.call_soon_threadsafe(dialog._report, "failed", 500, "Internal Error", None)

    # ---- sippy's thread -----------------------------------------------------------------

    def _key(self, prefix: str) -> str:
        return f"{prefix}{next(self._keys)}"

    def _contact(self, user: str | None) -> Any:
        """Our Contact: a bare ``<sip:user@host:port>`` (sippy's default carries a display
        name, "Anonymous", that some peers copy into the Request-URI)."""
        url = SipURL(username=user or None, host=self.host, port=self.port)
        return SipContact(address=SipAddress(url=url, hadbrace=True))

    def _request(self, req: Any, sip_t: Any) -> Any:
        """A request outside any dialog sippy knows (sippy's thread)."""
        try:
            method = req.getMethod()
            if req.getHFBody("to").getTag() is not None:
                return (req.genResponse(481, "Call Leg/Transaction Does Not Exist"), None, None)
            if not self._trusted(req):
                _OUTPUT.warn("SIP from %s: %s not from the proxy; 403", _source(req), method)
                return (req.genResponse(403, "Forbidden"), None, None)
            if method == "INVITE":
                holder: list[Dialog] = []
                caller = asserted_caller(req)
                if caller == ANONYMOUS and self.webcall is not None:
                    caller = webcall_caller(req, self.webcall)
                ua = UA(self._config, event_cb=self._invite_cb(holder, caller))
                ua.lContact = self._contact(req.getRURI().username)
                return ua.recvRequest(req, sip_t)
            if method == "OPTIONS":
                return (req.genResponse(200, "OK"), None, None)
            return (req.genResponse(501, "Not Implemented"), None, None)
        except Exception as e:  # the message parsed, yet a header we read is bad
            self.errors += 1
            _OUTPUT.warn(
                "SIP from %s: %s could not be handled (%s: %s); answering 500",
                _source(req),
                _first_line(str(getattr(req, "method", "a request"))),
                type(e).__name__,
                _first_line(str(e)),
            )
            try:
                return (req.genResponse(500, "Server Internal Error"), None, None)
            except Exception:
                return (None, None, None)

    def _trusted(self, req: Any) -> bool:
        """Whether a request outside a dialog comes from the proxy (Kamailio), the only
        peer that may start one with us; any peer when the endpoint has no proxy."""
        if self.trusted is None:
            return True
        try:
            host, port = req.getSource()
        except Exception:  # no source: a message we made ourselves
            return False
        return (str(host), int(port)) == self.trusted

    def _invite_cb(self, holder: list[Dialog], caller: str) -> Callable[[Any, Any], None]:
        def event_cb(event: Any, ua: Any) -> None:
            if holder:
                self._event_cb(holder[0])(event, ua)
                return
            if not isinstance(event, CCEventTry):
                return
            _cid, _claimed, dialed, body, _auth, _name = event.getData()
            dialog = Dialog(
                self, inbound=True, caller=caller, dialed=str(dialed), key=self._key("i")
            )
            dialog._ua = ua
            holder.append(dialog)
            self._loop.call_soon_threadsafe(self._incoming, dialog, _text(body))

        return event_cb

    def _event_cb(self, dialog: Dialog) -> Callable[[Any, Any], None]:
        def event_cb(event: Any, ua: Any) -> None:
            try:
                kind, code, reason, body = _summary(event)
            except Exception:
                log.exception("an event of %r could not be read", dialog)
                return
            if kind == "updated" and dialog.local_sdp is not None:
                # a re-INVITE (hold, a new address): we keep our stream as it is; an offer
                # without audio or whose address is not an IP literal is refused
                if body is None or sdp.parse(body) is None:
                    ua.recvEvent(CCEventFail((488, "Not Acceptable Here")))
                    ua.rSDP = dialog._rsdp  # sippy forgets the SDP in force
                    return
                ua.recvEvent(CCEventConnect((200, "OK", MsgBody(dialog.local_sdp))))
                dialog._rsdp = ua.rSDP
            elif kind == "confirmed" and ua.rSDP is None:
                ua.rSDP = dialog._rsdp  # sippy forgets the offer at an ACK without SDP
            elif kind == "answered":
                dialog._rsdp = ua.rSDP
            if kind:
                self._loop.call_soon_threadsafe(dialog._report, kind, code, reason, body)

        return event_cb

    def _send(self, dialog: Dialog, event: Any) -> None:
        ED2.callFromThread(self._deliver, dialog, event)

    @staticmethod
    def _deliver(dialog: Dialog, event: Any) -> None:
        ua = dialog._ua
        if ua is None:
            return
        if isinstance(event, CCEventPreConnect):  # sippy reads it for a re-INVITE without SDP
            dialog._rsdp = ua.rSDP
        try:
            ua.recvEvent(event)
        except Exception:
            log.exception("sippy refused %s for %r", type(event).__name__, dialog)

    # ---- asyncio loop -------------------------------------------------------------------

    def _incoming(self, dialog: Dialog, body: str | None) -> None:
        if body:
            dialog.remote = sdp.parse(body)
        self._dialogs[dialog.key] = dialog
        try:
            self._on_invite(dialog)
        except Exception:
            log.exception("the INVITE of %r failed; it is rejected", dialog)
            dialog.reject(500, "Server Internal Error")

    def _forget(self, dialog: Dialog) -> None:
        self._dialogs.pop(dialog.key, None)


ANONYMOUS = "anonymous"
"""The caller of a call whose number nobody we trust asserted (RFC 3323's user name)."""

_ASSERTED = re.compile(r"(?:sips?:|tel:)\+?([0-9*#]{3,32})(?:[@;>]|$)")


def asserted_caller(req: Any) -> str:
    """The caller's number as the trunk asserted it (`P-Asserted-Identity`; Kamailio
    removes the header from every other source), else `ANONYMOUS`: the From header is
    whatever the caller typed and is never taken as the caller's number."""
    for text in _raw_headers(req, "p-asserted-identity"):
        found = _ASSERTED.search(text)
        if found:
            number = found.group(1)
            if number.startswith("86") and len(number) == 13:  # +86 139…: China's code
                number = number[2:]
            return number
    return ANONYMOUS


def webcall_caller(req: Any, tokens: WebcallTokens) -> str:
    """The caller's number from the web call page's signed token (`hotline.sip.webcall`),
    else `ANONYMOUS`; a token that is present but bad gives one log line saying why."""
    for text in _raw_headers(req, webcall.HEADER):
        try:
            caller = tokens.verify(text.strip())
        except webcall.WebcallTokenError as e:
            log.warning("web call from %s: token refused (%s); the caller is anonymous",
                        _source(req), e)  # fmt: skip
            return ANONYMOUS
        log.info("web call from %s: caller %s (account %s) by the site's token",
                 _source(req), caller.phone, caller.account or "-")  # fmt: skip
        return caller.phone
    return ANONYMOUS


def _raw_headers(req: Any, name: str) -> list[str]:
    """The unparsed text of every `name` header of `req` (sippy parses on first use and
    refuses URIs it does not know, such as ``tel:``)."""
    texts: list[str] = []
    for header in getattr(req, "headers", ()):
        if getattr(header, "name", None) != name:
            continue
        raw = getattr(header.body, "body", None)
        if isinstance(raw, str):
            texts.append(raw)
        else:
            with contextlib.suppress(Exception):
                texts.append(str(header.getBody()))
    return texts


def _source(req: Any) -> str:
    try:
        return "{}:{}".format(*req.getSource())
    except Exception:  # a message built without a source
        return _PEER_UNKNOWN


def _text(body: Any) -> str | None:
    return None if body is None else str(body)


def _summary(event: Any) -> tuple[str, int, str, str | None]:
    """A sippy event as (kind, code, reason, SDP text); kind "" for events we ignore."""
    data = event.getData() or ()
    if isinstance(event, CCEventRing | CCEventPreConnect):
        code, reason, body = ((*tuple(data), None, None, None))[:3]
        return "ringing", int(code or 180), str(reason or ""), _text(body)
    if isinstance(event, CCEventConnect):
        code, reason, body = ((*tuple(data), None, None, None))[:3]
        if code == "ACK":  # our 200 OK acknowledged (answered with `CCEventPreConnect`)
            return "confirmed", 0, "", None
        return "answered", int(code or 200), str(reason or ""), _text(body)
    if isinstance(event, CCEventFail):
        code, reason = ((*tuple(data), None, None))[:2]
        return "failed", int(code or 500), str(reason or ""), None
    if isinstance(event, CCEventDisconnect):
        return "ended", 0, "", None
    if isinstance(event, CCEventUpdate):  # its data is the new SDP itself, not a tuple
        return "updated", 0, "", _text(event.getData())
    return "", 0, "", None
