"""Hotline on real calls: the engine (IVR, ACD, call controller) on `SipSwitch`, behind Kamailio.

`SipHotline` builds the same engine the simulator runs (`calls.engine.build_engine`;
nothing in it knows SIP) on the SIP switch. `SipService` adds the processes: it
writes Kamailio's config and starts it, starts the SIP endpoint and the media, and
every few seconds asks Kamailio which agents' phones are registered: a seat whose
phone registers is logged in and ready, a seat whose phone goes away is logged out
(once idle). Only changes of registration count, so a seat may log out at the desk
while its phone stays registered, or log in at the desk before its phone registers.

The clock is the caller's: the live runtime's `VirtualClock` driven at 1× by
`LiveDriver` (pass its `catch_up`), or a `LiveClock`. The customer directory and
identity checks are the caller's too (`hotline serve` passes the CRM's); with
none, every caller is an ordinary, unknown customer and identity checks fail.
Business lookups (bill, outage) are the caller's too (`hotline serve` passes the CRM's,
the orders' and a center's HTTP system's: `hotline.live.business`); with none, they find
nothing and the flows take their not-found branch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from hotline.calls.config import Hotline
from hotline.calls.engine import AttachableSwitch, build_engine
from hotline.calls.ports import CallerInfo, CustomerDirectory
from hotline.core.clock import Clock
from hotline.core.errors import HotlineError
from hotline.core.events import EventBus
from hotline.core.ids import AgentId
from hotline.ivr.context import CallContext
from hotline.ivr.flow import LookupNode
from hotline.ivr.ports import IdentityVerifier, Lookup, SlowLookup
from hotline.routing.model import AgentState
from hotline.sip.kamailio import (
    DIAL_PLAN,
    Kamailio,
    KamailioError,
    KamailioSettings,
    WebrtcEdge,
    registered,
    sync_browser_credentials,
    sync_credentials,
    webrtc_missing,
)
from hotline.sip.prompts import PromptCatalogue
from hotline.sip.rtpengine import Rtpengine, RtpengineSettings
from hotline.sip.rtpengine import available as rtpengine_available
from hotline.sip.switch import SipSwitch
from hotline.sip.webcall import WebcallTokens

log = logging.getLogger(__name__)

_IDLE = frozenset({AgentState.READY, AgentState.NOT_READY, AgentState.AWAY})


class NobodyKnown:
    """`CustomerDirectory` and `IdentityVerifier` when no customer system is connected."""

    def identify(self, caller: str) -> CallerInfo | None:
        return None

    def is_bound_phone(self, account: str, phone: str) -> bool:
        return False

    def check_password(self, account: str, password: str) -> bool:
        return False


def _nothing_found(ctx: CallContext, args: Mapping[str, str]) -> Mapping[str, str] | None:
    return None


class SipHotline:
    """The engine of one hotline on a `SipSwitch` (or another switch, for comparison)."""

    def __init__(
        self,
        hotline: Hotline,
        *,
        clock: Clock,
        switch: AttachableSwitch,
        directory: CustomerDirectory | None = None,
        verifier: IdentityVerifier | None = None,
        lookups: Mapping[str, Lookup | SlowLookup] | None = None,
        outbound_prefix: str = "o",
    ) -> None:
        self.hotline = hotline
        self.clock = clock
        self.switch = switch
        self.bus = EventBus()
        nobody = NobodyKnown()
        names = {
            node.lookup
            for flow in hotline.flows.values()
            for node in flow.nodes.values()
            if isinstance(node, LookupNode)
        }
        engine = build_engine(
            hotline,
            clock=clock,
            bus=self.bus,
            switch=switch,
            agents=list(hotline.agents),
            verifier=verifier or nobody,
            directory=directory or nobody,
            lookups=dict(lookups) if lookups is not None else dict.fromkeys(names, _nothing_found),
            outbound_prefix=outbound_prefix,
        )
        self.acd = engine.acd
        self.controller = engine.controller
        self._registered: set[str] = set()
        self._leaving: set[str] = set()  # phone gone while the seat was busy
        self.mobile_seats: set[str] = set()
        """Seats that take their calls on a mobile (移动坐席): their desk phone's
        registration does not log them in or out."""

    def follow_phones(self, registered: Collection[str]) -> list[tuple[str, str]]:
        """Follow the phones' registrations: a seat whose phone has just registered is
        logged in ready (if logged out); a seat whose phone has gone is logged out, at
        once when idle, else as soon as it is idle (unless the phone comes back first).
        A seat whose registration did not change is left as the desk set it, and so is a
        seat on a mobile. Returns the changes as (agent, "login" | "logout")."""
        changes: list[tuple[str, str]] = []
        for profile in self.hotline.agents:
            agent, seat = AgentId(profile.id), profile.id
            if seat in self.mobile_seats:
                self._leaving.discard(seat)
                continue
            state = self.acd.state_of(agent)
            now_there, was_there = seat in registered, seat in self._registered
            if now_there:
                self._leaving.discard(seat)
                if not was_there and state is AgentState.LOGGED_OUT:
                    self.acd.login(agent, ready=True, by="phone")
                    changes.append((seat, "login"))
                continue
            if was_there:
                self._leaving.add(seat)
            if seat not in self._leaving:
                continue
            if state is AgentState.LOGGED_OUT:
                self._leaving.discard(seat)
            elif state in _IDLE:
                self.acd.logout(agent, by="phone")
                self._leaving.discard(seat)
                changes.append((seat, "logout"))
        self._registered = {p.id for p in self.hotline.agents if p.id in registered}
        return changes


def prompt_texts(hotline: Hotline) -> dict[str, str]:
    """Every prompt of every flow of `hotline` and of its queue announcements, name → text
    (for `prompts.synthesize`)."""
    return {name: p.text for name, p in hotline.prompts().items()}


@dataclass(frozen=True)
class ServeSettings:
    """Where the SIP edge listens and where Hotline keeps its files."""

    workdir: Path
    host: str = "127.0.0.1"
    kamailio_port: int = 5060
    sip_port: int = 5080
    prompts: Path | None = None
    recordings: Path | None = None
    rtp_timeout: float = 30.0
    poll_seconds: float = 2.0
    call_prefix: str = "s"
    """Call ids are this prefix and a counter: `hotline serve` makes it unique per start
    (the calls table and the recordings' names must not repeat across restarts)."""
    outbound_prefix: str = "o"
    """The same for the calls Hotline places (`hotline serve` makes it unique per start)."""
    trunk: tuple[str, int] | None = None
    """The carrier's gateway (host, port) that outbound calls to customers go to, and the
    one source whose caller ID (P-Asserted-Identity) Hotline trusts."""
    dial_plan: str = DIAL_PLAN
    """The numbers (a regular expression, whole number) outbound calls may go to."""
    realm: str = "hotline"
    """The digest realm of the agents' phones (their credentials' HA1 depend on it)."""
    flood_limit: int | None = 40
    """Requests per 2 s that one untrusted address may send to Kamailio; None: no limit."""
    ws_port: int | None = None
    """Kamailio's SIP-over-websocket port (plain ws:// on `host`) for browsers: the desk's
    softphone and the web call page, their media through rtpengine; None: no WebRTC."""
    ws_url: str | None = None
    """The websocket URL browsers are given (a TLS proxy's ``wss://…`` in front of
    `ws_port`); default ``ws://host:ws_port``."""
    rtpengine_ng_port: int = 22223
    """rtpengine's control port (loopback)."""
    media_address: str | None = None
    """The address rtpengine relays browsers' media on (what their SDP names); default `host`."""
    rtp_ports: tuple[int, int] = (41000, 41999)
    """rtpengine's RTP port range (browsers' side and Hotline's side)."""
    webcalls_per_minute: int = 6
    """Calls one address may start over websocket in a minute."""
    webcall_secret: bytes | None = None
    """The secret the center's website signs web callers' tokens with (`hotline.sip.webcall`);
    None: every web caller is anonymous."""
    webcall_origins: tuple[str, ...] = ()
    """The sites (``https://www.example.com``) that may embed the web call page in a frame."""
    ws_origins: tuple[str, ...] = ()
    """The console's origins (``https://hotline.example.com``): only its pages (the desk, the
    web call page, also when framed) may open the SIP websocket; empty: any page may."""


class SipService:
    """Kamailio, the SIP switch and the engine, started and stopped together."""

    def __init__(
        self,
        hotline: Hotline,
        settings: ServeSettings,
        *,
        clock: Clock,
        catch_up: Callable[[], None] = lambda: None,
        directory: CustomerDirectory | None = None,
        verifier: IdentityVerifier | None = None,
        credentials: Callable[[], Mapping[str, str]] = dict,
        browser_credentials: Callable[[], Mapping[str, tuple[str, str]]] = dict,
        lookups: Mapping[str, Lookup | SlowLookup] | None = None,
    ) -> None:
        """`lookups` answer the flows' lookup nodes (`hotline.live.business` on `hotline
        serve`); without them every lookup finds nothing."""
        self.settings = settings
        self.catch_up = catch_up
        self.credentials = credentials
        self.browser_credentials = browser_credentials
        self.rtpengine, edge = _webrtc_edge(settings)
        self.webrtc: WebrtcEdge | None = edge
        """Browsers' SIP and media, when configured and installed (else None)."""
        self.kamailio = Kamailio(
            KamailioSettings(
                workdir=settings.workdir / "kamailio",
                host=settings.host,
                port=settings.kamailio_port,
                numbers=tuple(hotline.model.numbers),
                hotline_host=settings.host,
                hotline_port=settings.sip_port,
                trunk=settings.trunk,
                dial_plan=settings.dial_plan,
                realm=settings.realm,
                flood_limit=settings.flood_limit,
                webrtc=edge,
            )
        )
        self.switch = SipSwitch(
            clock=clock,
            prompts=PromptCatalogue(settings.prompts, hotline.prompt_seconds()),
            host=settings.host,
            sip_port=settings.sip_port,
            proxy=(settings.host, settings.kamailio_port),
            recordings=settings.recordings,
            catch_up=catch_up,
            call_prefix=settings.call_prefix,
            rtp_timeout=settings.rtp_timeout,
            webcall=WebcallTokens(settings.webcall_secret) if settings.webcall_secret else None,
        )
        self.engine = SipHotline(
            hotline,
            clock=clock,
            switch=self.switch,
            directory=directory,
            verifier=verifier,
            lookups=lookups,
            outbound_prefix=settings.outbound_prefix,
        )
        self._poller: asyncio.Task[None] | None = None

    def set_mobile(self, agent: AgentId, number: str | None) -> None:
        """Ring `agent` on `number` through the trunk (移动坐席), or on their extension's
        phone again (None); a seat on a mobile is logged in and out at the desk only."""
        self.switch.set_mobile(agent, number)
        if number is None:
            self.engine.mobile_seats.discard(str(agent))
        else:
            self.engine.mobile_seats.add(str(agent))

    @property
    def ws_url(self) -> str | None:
        """Where browsers open their SIP websocket; None without WebRTC."""
        if self.webrtc is None:
            return None
        return self.settings.ws_url or f"ws://{self.settings.host}:{self.webrtc.ws_port}"

    @property
    def sip_domain(self) -> str:
        """The domain of the hotline's SIP addresses (Kamailio's address and port)."""
        return f"{self.settings.host}:{self.settings.kamailio_port}"

    async def start(self) -> None:
        """Start rtpengine (with WebRTC), Kamailio, then the switch; raises `HotlineError`
        when one cannot (nothing is left running then)."""
        if self.rtpengine is not None:
            await asyncio.to_thread(self.rtpengine.start)
            log.info("WebRTC: browsers' SIP on %s, media through rtpengine", self.ws_url)
        try:
            await asyncio.to_thread(self.kamailio.start)
        except HotlineError:
            await self._stop_rtpengine()
            raise
        try:
            await asyncio.to_thread(self._sync)
            await self.switch.start()
        except HotlineError:
            await asyncio.to_thread(self.kamailio.stop)
            await self._stop_rtpengine()
            raise
        self._poller = asyncio.get_running_loop().create_task(
            self._poll(), name="hotline-registrations"
        )

    async def refresh_phones(self) -> list[tuple[str, str]]:
        """Give Kamailio the phones' credentials as they are now, ask it who is registered
        and log seats in or out accordingly. When Kamailio cannot say, nothing changes:
        raises `HotlineError`, and the seats stay as they are ("unknown", not "nobody")."""
        phones = await asyncio.to_thread(self._sync)
        self.catch_up()
        return self.engine.follow_phones(phones)

    def _sync(self) -> set[str]:
        """(A worker thread.) Credentials into Kamailio, phones of revoked or rotated
        credentials unregistered, then who is registered."""
        settings = self.kamailio.settings
        try:
            wanted = dict(self.credentials())
        except Exception as e:  # the database is away: keep Kamailio's table as it is
            raise KamailioError(f"cannot read the phones' credentials: {e}") from e
        sync_credentials(settings, wanted)
        if self.webrtc is not None:
            try:
                browsers = dict(self.browser_credentials())
            except Exception as e:
                raise KamailioError(f"cannot read the softphones' credentials: {e}") from e
            sync_browser_credentials(settings, browsers)
        return registered(settings)

    async def _poll(self) -> None:
        while True:
            try:
                for agent, change in await self.refresh_phones():
                    log.info("agent %s: phone %s", agent, change)
            except HotlineError as e:
                log.warning("cannot read Kamailio's registrations (%s); seats unchanged", e)
            await asyncio.sleep(self.settings.poll_seconds)

    async def stop(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
            self._poller = None
        await self.switch.stop()
        await asyncio.to_thread(self.kamailio.stop)
        await self._stop_rtpengine()

    async def _stop_rtpengine(self) -> None:
        if self.rtpengine is not None:
            await asyncio.to_thread(self.rtpengine.stop)


def _webrtc_edge(settings: ServeSettings) -> tuple[Rtpengine | None, WebrtcEdge | None]:
    """rtpengine and Kamailio's websocket for `settings`, when a websocket port is set and
    both are installed; otherwise (None, None) and one log line saying why browsers
    cannot call: SIP phones work as before."""
    if settings.ws_port is None:
        return None, None
    missing = webrtc_missing()
    if missing is None and rtpengine_available() is None:
        missing = "rtpengine is not installed (Debian: rtpengine-daemon)"
    if missing is not None:
        log.warning("WebRTC off: %s; browsers cannot call or take calls, SIP phones work", missing)
        return None, None
    low, high = settings.rtp_ports
    engine = Rtpengine(
        RtpengineSettings(
            workdir=settings.workdir / "rtpengine",
            ng_port=settings.rtpengine_ng_port,
            interface=settings.media_address or settings.host,
            port_min=low,
            port_max=high,
        )
    )
    edge = WebrtcEdge(
        ws_port=settings.ws_port,
        rtpengine=engine.settings.ng_address,
        webcalls_per_minute=settings.webcalls_per_minute,
        origins=settings.ws_origins,
    )
    if settings.ws_origins:
        log.info("WebRTC: the websocket takes pages from %s only", ", ".join(settings.ws_origins))
    else:
        log.warning("WebRTC: any site's page may open the SIP websocket (set --ws-origin)")
    return engine, edge
