"""Kamailio as Hotline's SIP edge: our config template, the process, and who is registered.

The config is ours (`render`), written for a network where anyone may send anything
(docs/security.md):

- **Phones** register only as an agent's extension, with digest authentication
  (`auth`, the password's HA1 from the `sipauth` hash table that Hotline fills over
  JSON-RPC, `load_credentials`); the authentication user must be the extension; one
  contact per seat (a new registration replaces the old one). A phone that starts a
  call is challenged too, and may then only call the hotline's numbers.
- **Only Hotline's endpoint** (its address and port) reaches agents' phones (by the
  location table) and the trunk, and the trunk only for numbers of the dial plan.
- **The trunk** (a carrier's gateway, `KamailioSettings.trunk`) is the one source whose
  caller ID (`P-Asserted-Identity`) is kept; every other source's is removed, so Hotline
  trusts a caller's number only when the carrier asserted it.
- From anyone else, only INVITEs to the hotline's numbers go on (to Hotline's endpoint);
  requests for other domains are refused (no relay); in-dialog requests are not
  relayed (there is no Record-Route, so nothing legitimate comes this way), 404;
  malformed requests get 400 (`sanity`), `Max-Forwards: 0` 483, and a source sending
  more than `flood_limit` requests in 2 s is ignored for a while (`pike`).
- **Browsers** (with a `WebrtcEdge`): SIP over websocket on another port; they register
  only with a session credential (``sipws``/``sipwsext``, `sync_browser_credentials`) into
  ``location_ws`` (tried first when Hotline rings an extension), may call only the
  hotline's numbers, a few times a minute per address; their dialogs are Record-Routed
  and their SDP goes through rtpengine (`hotline.sip.rtpengine`), so Hotline sees plain
  G.711 RTP (docs/telephony.md, "WebRTC softphone and web calls").

`Kamailio` starts it in the foreground (``-DD``) so the process we started is the one
we stop, by PID (SIGTERM, then its process group SIGKILL), in its own session and dying
with Hotline (`hotline.sip.process.spawn`); a start first kills a Kamailio a killed
Hotline left on our config and refuses a SIP port something else holds. `registered`
asks over the JSON-RPC FIFO (`hotline.sip.kamrpc`) which agents' phones are registered;
a failed or partial answer raises, it never reads as "nobody".
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import ipaddress
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hotline.core.errors import HotlineError
from hotline.sip import kamrpc
from hotline.sip.process import (
    Child,
    ProcessError,
    WorkdirLock,
    describe,
    find,
    pid_in,
    process_group,
    spawn,
    udp_holders,
    udp_port_free,
    wait_gone,
)

log = logging.getLogger(__name__)

MODULES = (
    "jsonrpcs", "kex", "ctl", "tm", "sl", "rr", "pv", "maxfwd", "sanity", "pike",
    "htable", "auth", "usrloc", "registrar", "textops", "siputils", "xlog",
)  # fmt: skip

DIAL_PLAN = r"1[3-9][0-9]{9}|0[1-9][0-9]{8,10}|[2-9][0-9]{6,7}"
"""Numbers Hotline may call through the trunk by default: mainland mobiles (11 digits),
landlines with their area code, local landlines. Not international (00…), not short or
premium service codes. `KamailioSettings.dial_plan` replaces it."""


class KamailioError(HotlineError):
    error_id = "kamailio-error"


@dataclass(frozen=True)
class WebrtcEdge:
    """Browsers' SIP over websocket (`ws_port`, plain ws:// on Kamailio's address: a center
    puts TLS in front, docs/telephony.md) and the rtpengine that bridges their media (its ng
    control address); `webcalls_per_minute`: INVITEs one address may send over websocket
    in a minute (the public web call page)."""

    ws_port: int
    rtpengine: tuple[str, int]
    webcalls_per_minute: int = 6
    origins: tuple[str, ...] = ()
    """The pages (``https://hotline.example.com``: scheme, host and port) whose scripts may
    open the websocket, by the handshake's ``Origin``; empty: any (and clients that send
    none)."""


WEBRTC_MODULES = ("xhttp", "websocket", "nathelper", "rtpengine")


def webrtc_missing(modules: Path | None = None) -> str | None:
    """Why Kamailio cannot serve browsers here (a module not installed), or None."""
    try:
        mpath = modules if modules is not None else module_path()
    except KamailioError as e:
        return str(e)
    absent = [m for m in WEBRTC_MODULES if not Path(mpath, f"{m}.so").is_file()]
    if absent:
        return (
            f"Kamailio's {', '.join(absent)} module(s) are not installed "
            "(Debian: kamailio-websocket-modules)"
        )
    return None


@dataclass(frozen=True)
class KamailioSettings:
    """Where Kamailio listens, which numbers go to Hotline, where Hotline listens, the
    trunk (a carrier's gateway, host and port) for calls to customers, the dial plan those
    calls must match, the digest realm of the agents' phones, and the flood limit
    (requests per 2 s from one untrusted address; None: no limit)."""

    workdir: Path
    host: str = "127.0.0.1"
    port: int = 5060
    numbers: tuple[str, ...] = ("95598",)
    hotline_host: str = "127.0.0.1"
    hotline_port: int = 5080
    trunk: tuple[str, int] | None = None
    dial_plan: str = DIAL_PLAN
    realm: str = "hotline"
    flood_limit: int | None = 40
    webrtc: WebrtcEdge | None = None

    @property
    def ctl_socket(self) -> Path:
        return self.workdir / "kamailio_ctl"

    @property
    def rpc_fifo(self) -> Path:
        return self.workdir / "kamailio_rpc.fifo"

    @property
    def config_file(self) -> Path:
        return self.workdir / "kamailio.cfg"


def module_path() -> Path:
    """Kamailio's module folder on this machine; raises `KamailioError` when not installed."""
    for pattern in ("/usr/lib/*/kamailio/modules", "/usr/lib/kamailio/modules",
                    "/usr/local/lib*/kamailio/modules"):  # fmt: skip
        for found in sorted(glob.glob(pattern)):
            if Path(found, "registrar.so").is_file():
                return Path(found)
    raise KamailioError("Kamailio's modules are not installed (scripts/system-deps.sh)")


def ha1(user: str, realm: str, password: str) -> str:
    """The digest HA1 of a phone's password, as Kamailio's `auth` (and `auth_db`) keep it:
    MD5 of ``user:realm:password`` in hex."""
    return hashlib.md5(f"{user}:{realm}:{password}".encode()).hexdigest()


def _address(host: str, what: str) -> str:
    """`host` as an IP address literal (a name is resolved once, here, not per request)."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if not re.fullmatch(r"[0-9A-Za-z.-]+", host):
        raise KamailioError(f"not a {what} address: {host!r}")
    try:
        return socket.gethostbyname(host)
    except OSError as e:
        raise KamailioError(f"the {what} {host!r} cannot be resolved: {e}") from e


def _source_is(host: str, port: int) -> str:
    return f'($si == "{host}" && $sp == {port})'


def render(settings: KamailioSettings, modules: Path | None = None) -> str:
    """The kamailio.cfg text for `settings`."""
    for number in settings.numbers:
        if not re.fullmatch(r"[0-9A-Za-z*#+._-]+", number):
            raise KamailioError(f"not a dialable number: {number!r}")
    if not re.fullmatch(r"[0-9A-Za-z._-]+", settings.realm):
        raise KamailioError(f"not a realm: {settings.realm!r}")
    try:
        re.compile(settings.dial_plan)
    except re.error as e:
        raise KamailioError(f"the dial plan is not a regular expression: {e}") from e
    if '"' in settings.dial_plan or "\\" in settings.dial_plan:
        raise KamailioError(
            f"the dial plan may not hold quotes or backslashes: {settings.dial_plan!r}"
        )
    mpath = modules if modules is not None else module_path()
    loads = "\n".join(f'loadmodule "{m}.so"' for m in MODULES)
    numbers = " || ".join(f'$rU == "{n}"' for n in settings.numbers) or "false"
    hotline = f"sip:{settings.hotline_host}:{settings.hotline_port}"
    hotline_address = _address(settings.hotline_host, "Hotline")
    from_hotline = _source_is(hotline_address, settings.hotline_port)
    from_trunk = "($sp == 0)"  # no trunk: no source is one (no port 0)
    to_trunk = """sl_send_reply("404", "No Trunk");"""
    if settings.trunk is not None:
        host, port = settings.trunk
        if not 0 < port < 65536:
            raise KamailioError(f"not a trunk port: {port!r}")
        address = _address(host, "trunk")
        from_trunk = _source_is(address, port)
        to_trunk = f"""if (!($rU =~ "^({settings.dial_plan})$")) {{
            xlog("L_WARN", "refused: $rU is not in the dial plan (from $si:$sp)\\n");
            sl_send_reply("403", "Not In Dial Plan");
            exit;
        }}
        $du = "sip:{address}:{port}";
        t_relay();"""
    flood = ""
    if settings.flood_limit is not None:
        flood = """if (!(FROM_HOTLINE || FROM_TRUNK) && !pike_check_req()) {
        xlog("L_WARN", "flood from $si: $rm dropped\\n");
        exit;
    }"""
    realm = settings.realm
    web = _webrtc_parts(settings, hotline_address)
    return f"""#!KAMAILIO
# written by Hotline (hotline.sip.kamailio): registrar for agents' phones (digest, realm
# "{realm}"), the hotline's numbers to Hotline's SIP endpoint at {hotline}, agents and the
# trunk reachable from Hotline only (docs/security.md)
debug=2
log_stderror=yes
fork=yes
children=2
{web.core}
auto_aliases=no
listen=udp:{settings.host}:{settings.port}
alias="{settings.host}:{settings.port}"
mpath="{mpath}/"
{loads}
{web.modules}
modparam("ctl", "binrpc", "unix:{settings.ctl_socket}")
modparam("jsonrpcs", "transport", 2)
modparam("jsonrpcs", "fifo_name", "{settings.rpc_fifo}")
modparam("jsonrpcs", "fifo_reply_dir", "{settings.workdir}/")
modparam("jsonrpcs", "fifo_mode", 0600)
modparam("htable", "htable", "sipauth=>size=12;")
modparam("pike", "sampling_time_unit", 2)
modparam("pike", "reqs_density_per_unit", {settings.flood_limit or 1000000})
modparam("pike", "remove_latency", 10)
modparam("usrloc", "db_mode", 0)
modparam("usrloc", "timer_interval", 5)
modparam("registrar", "max_expires", 3600)
modparam("tm", "fr_inv_timer", 60000)

#!define FROM_HOTLINE {from_hotline}
#!define FROM_TRUNK {from_trunk}

request_route {{
    {flood}
    xlog("L_INFO", "$rm $ru from $si:$sp\\n");
    if (!mf_process_maxfwd_header("10")) {{
        sl_send_reply("483", "Too Many Hops");
        exit;
    }}
    if (!sanity_check()) {{
        xlog("L_WARN", "malformed $rm from $si:$sp\\n");
        exit;
    }}
    {web.from_ws}
    if (has_totag()) {{
        {web.in_dialog}
        # no Record-Route: in-dialog requests go end to end; a peer that sends them to
        # its proxy anyway is relayed to Hotline's endpoint only (which knows its own
        # dialogs, 481 otherwise), never to another host: an ACK for an error we relayed
        # is absorbed by its transaction, anything else is 404
        if ($rd == "{hotline_address}" && $rp == {settings.hotline_port}) {{
            $du = "{hotline}";
            t_relay();
            exit;
        }}
        if (is_method("ACK")) {{
            if (t_check_trans()) {{
                t_relay();
            }}
            exit;
        }}
        sl_send_reply("404", "Not Here");
        exit;
    }}
    if (is_method("CANCEL")) {{
        if (t_check_trans()) {{
            t_relay();
        }}
        exit;
    }}
    if (is_method("ACK")) {{
        exit;
    }}
    if (!(uri == myself)) {{
        xlog("L_WARN", "refused: relay to $rd (from $si:$sp)\\n");
        sl_send_reply("403", "Relaying Forbidden");
        exit;
    }}
    if (is_method("REGISTER")) {{
        route(REGISTER);
        exit;
    }}
    if (is_method("OPTIONS") && $rU == $null) {{
        sl_send_reply("200", "OK");
        exit;
    }}
    if (!is_method("INVITE")) {{
        append_to_reply("Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER\\r\\n");
        sl_send_reply("405", "Method Not Allowed");
        exit;
    }}
    if (FROM_HOTLINE) {{
        {web.to_agent}
        if ($sht(sipauth=>$rU) != $null) {{
            if (!lookup("location")) {{
                sl_send_reply("404", "Not Registered");
                exit;
            }}
            t_relay();
            exit;
        }}
        {to_trunk}
        exit;
    }}
    if (!FROM_TRUNK) {{
        remove_hf("P-Asserted-Identity");
        remove_hf("P-Preferred-Identity");
        remove_hf("Remote-Party-ID");
    }}
    if ({numbers}) {{
        {web.webcall}
        $du = "{hotline}";
        t_relay();
        exit;
    }}
    if (FROM_TRUNK) {{
        sl_send_reply("404", "Not A Hotline Number");
        exit;
    }}
    # a phone calling anything else: who is it?
    $var(ha1) = "-";
    if ($au != $null && $sht(sipauth=>$au) != $null) {{
        $var(ha1) = $sht(sipauth=>$au);
    }}
    if (!pv_proxy_authenticate("{realm}", "$var(ha1)", "1")) {{
        proxy_challenge("{realm}", "0");
        exit;
    }}
    xlog("L_WARN", "refused: $au called $rU (agents reach no one but the hotline)\\n");
    sl_send_reply("403", "Not Allowed");
    exit;
}}

route[REGISTER] {{
    {web.register}
    $var(ha1) = "-";  # an unknown or absent user: a digest that never matches
    if ($au != $null && $sht(sipauth=>$au) != $null) {{
        $var(ha1) = $sht(sipauth=>$au);
    }}
    if (!pv_www_authenticate("{realm}", "$var(ha1)", "1")) {{
        if (is_present_hf("Authorization")) {{
            xlog("L_WARN", "register of $tU from $si:$sp: wrong credentials\\n");
        }}
        www_challenge("{realm}", "0");
        exit;
    }}
    if ($au != $tU || $sht(sipauth=>$tU) == $null) {{
        xlog("L_WARN", "refused: $au tried to register $tU from $si:$sp\\n");
        sl_send_reply("403", "Not Your Extension");
        exit;
    }}
    consume_credentials();
    if (!save("location", "0x04")) {{
        sl_reply_error();
    }}
}}
{web.routes}"""


@dataclass(frozen=True)
class _WebParts:
    """The pieces of `render`'s config that serve browsers (all empty without a `WebrtcEdge`)."""

    core: str = "disable_tcp=yes"
    modules: str = ""
    from_ws: str = ""
    in_dialog: str = ""
    to_agent: str = ""
    webcall: str = ""
    register: str = ""
    routes: str = ""


# rtpengine's flags by where an SDP comes from: a browser's (ICE, DTLS-SRTP, rtcp-mux) becomes
# plain RTP/AVP for Hotline; Hotline's becomes WebRTC for the browser. Offers and answers alike.
RTPE_FROM_BROWSER = "replace-origin replace-session-connection ICE=remove RTP/AVP rtcp-mux-demux"
RTPE_TO_BROWSER = (
    "replace-origin replace-session-connection ICE=force UDP/TLS/RTP/SAVPF rtcp-mux-offer "
    "rtcp-mux-require generate-mid SDES-off"
)


_ORIGIN = re.compile(r"https?://[A-Za-z0-9.\-\[\]:]+")


def _origin_check(origins: tuple[str, ...]) -> str:
    """The handshake refused (403) unless its Origin is one of `origins` (none: no check)."""
    if not origins:
        return ""
    for origin in origins:
        if not _ORIGIN.fullmatch(origin):
            raise KamailioError(f"not a web origin (scheme://host[:port]): {origin!r}")
    allowed = " || ".join(f'$hdr(Origin) == "{o}"' for o in origins)
    return f"""    if (!({allowed})) {{
        xlog("L_WARN", "refused: websocket from $si with Origin '$hdr(Origin)'\\n");
        xhttp_reply("403", "Forbidden", "text/plain", "origin not allowed\\n");
        exit;
    }}
"""


def _webrtc_parts(settings: KamailioSettings, hotline_address: str) -> _WebParts:
    edge = settings.webrtc
    if edge is None:
        return _WebParts()
    if not 0 < edge.ws_port < 65536:
        raise KamailioError(f"not a websocket port: {edge.ws_port!r}")
    ng_host, ng_port = edge.rtpengine
    ng_address = _address(ng_host, "rtpengine")
    hotline_port = settings.hotline_port
    to_hotline = f'($rd == "{hotline_address}" && $rp == {hotline_port})'
    return _WebParts(
        core=f"""disable_tcp=no
tcp_accept_no_cl=yes
tcp_connection_lifetime=3605
tcp_children=2
listen=tcp:{settings.host}:{edge.ws_port}""",
        modules=f"""loadmodule "xhttp.so"
loadmodule "websocket.so"
loadmodule "nathelper.so"
loadmodule "rtpengine.so"
modparam("nathelper|registrar", "received_avp", "$avp(RECEIVED)")
modparam("rtpengine", "rtpengine_sock", "udp:{ng_address}:{ng_port}")
modparam("htable", "htable", "sipws=>size=10;")
modparam("htable", "htable", "sipwsext=>size=10;")
modparam("htable", "htable", "webcalls=>size=10;autoexpire=60;")
modparam("websocket", "keepalive_mechanism", 1)
modparam("websocket", "keepalive_interval", 10)

#!define FROM_BROWSER ($proto == "ws" || $proto == "wss")
""",
        from_ws="""if (FROM_BROWSER) {
        # a browser's Contact names no reachable host: note the websocket it came on
        force_rport();
        if (!is_method("REGISTER") && !add_contact_alias()) {
            sl_send_reply("400", "Bad Contact");
            exit;
        }
    }""",
        in_dialog=f"""if (loose_route()) {{
            # our Record-Route: a dialog with a browser; its requests go to Hotline's
            # endpoint or back over a browser's websocket, nowhere else
            if (!handle_ruri_alias()) {{
                sl_send_reply("400", "Bad Alias");
                exit;
            }}
            if (!($du =~ "transport=ws" || {to_hotline})) {{
                xlog("L_WARN", "refused: in-dialog $rm to $ru from $si:$sp\\n");
                sl_send_reply("403", "Not Here");
                exit;
            }}
            route(MEDIA);
            t_relay();
            exit;
        }}""",
        to_agent="""if (lookup("location_ws")) {
            # an agent's browser softphone (registered with the desk's session
            # credential; only an agent's extension registers there) takes the call
            record_route();
            route(MEDIA);
            t_relay();
            exit;
        }""",
        webcall=f"""if (FROM_BROWSER) {{
            # the web call page (or a softphone) calls the hotline: a few calls a minute
            # per address, media through rtpengine, Record-Route for the websocket
            if ($sht(webcalls=>$si) == $null) {{
                $sht(webcalls=>$si) = 0;  # $shtinc counts only an existing item
            }}
            $var(n) = $shtinc(webcalls=>$si);
            if ($var(n) > {edge.webcalls_per_minute}) {{
                xlog("L_WARN", "refused: web call $var(n) in a minute from $si\\n");
                sl_send_reply("403", "Too Many Calls");
                exit;
            }}
            record_route();
            route(MEDIA);
        }}""",
        register=f"""if (FROM_BROWSER) {{
        # a browser softphone: the session credential the desk issued (auth user ->
        # its HA1 in sipws, its extension in sipwsext), kept apart from the desk phone
        $var(ha1) = "-";
        if ($au != $null && $sht(sipws=>$au) != $null) {{
            $var(ha1) = $sht(sipws=>$au);
        }}
        if (!pv_www_authenticate("{settings.realm}", "$var(ha1)", "1")) {{
            www_challenge("{settings.realm}", "0");
            exit;
        }}
        if ($sht(sipwsext=>$au) != $tU) {{
            xlog("L_WARN", "refused: $au tried to register $tU over websocket\\n");
            sl_send_reply("403", "Not Your Extension");
            exit;
        }}
        consume_credentials();
        fix_nated_register();
        if (!save("location_ws", "0x04")) {{
            sl_reply_error();
        }}
        exit;
    }}""",
        routes=f"""
# media of a dialog with a browser through rtpengine (the SDP turned by where it comes from)
route[MEDIA] {{
    if (is_method("BYE|CANCEL")) {{
        rtpengine_delete();
        return;
    }}
    if (is_method("INVITE|ACK") && has_body("application/sdp")) {{
        if (FROM_BROWSER) {{
            rtpengine_manage("{RTPE_FROM_BROWSER}");
        }} else {{
            rtpengine_manage("{RTPE_TO_BROWSER}");
        }}
    }}
    t_on_reply("MEDIA_REPLY");
}}

onreply_route[MEDIA_REPLY] {{
    if (FROM_BROWSER) {{
        add_contact_alias();
    }}
    if (status =~ "[3-6][0-9][0-9]") {{
        rtpengine_delete();
        return;
    }}
    if (has_body("application/sdp")) {{
        if (FROM_BROWSER) {{
            rtpengine_manage("{RTPE_FROM_BROWSER}");
        }} else {{
            rtpengine_manage("{RTPE_TO_BROWSER}");
        }}
    }}
}}

event_route[xhttp:request] {{
    if ($Rp != {edge.ws_port} || !($hdr(Upgrade) =~ "websocket")) {{
        xhttp_reply("404", "Not Found", "text/plain", "SIP over websocket only\\n");
        exit;
    }}
{_origin_check(edge.origins)}    if (!ws_handle_handshake()) {{
        exit;
    }}
}}
""",
    )


class Kamailio:
    """One Kamailio process with our config, which dies with Hotline. `start` cleans up
    after a crashed Hotline, writes the config and waits until the SIP port is ours and
    the control socket answers; `stop` ends it and everything it forked."""

    def __init__(self, settings: KamailioSettings) -> None:
        self.settings = settings
        self.process: subprocess.Popen[bytes] | None = None
        self.log_file = settings.workdir / "kamailio.log"
        self.pid_file = settings.workdir / "kamailio.pid"
        self._child: Child | None = None
        self._lock = WorkdirLock(settings.workdir / "kamailio.lock")

    def start(self, timeout: float = 15.0) -> None:
        """Start Kamailio; raises `KamailioError` (and leaves nothing running) when it
        cannot. The working folder is locked first: a second Hotline on it is refused. A
        Kamailio still running our config file (left by a Hotline that was killed) is
        killed, with its process group, and waited for. Then the SIP port must be free: a
        port anything else holds is refused, naming the port and the holder when /proc
        shows it; a second Kamailio is never started on it. Kamailio runs in its own
        session with a parent-death signal (`process.spawn`), so it ends when this
        process ends, even by SIGKILL; a keeper thread reaps it (no zombie)."""
        binary = shutil.which("kamailio") or "/usr/sbin/kamailio"
        if not Path(binary).is_file():
            raise KamailioError("kamailio is not installed (scripts/system-deps.sh)")
        settings = self.settings
        settings.workdir.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + timeout
        try:
            self._lock.acquire()
        except ProcessError as e:
            raise KamailioError(f"{e}: Kamailio was not started") from e
        try:
            killed = self._clear_leftovers(deadline)
            self._check_port(grace=2.0 if killed else 0.0)
            settings.config_file.write_text(render(settings))
            check = subprocess.run(
                [binary, "-c", "-f", str(settings.config_file)], capture_output=True, timeout=30
            )
            if check.returncode != 0:
                refusal = check.stderr.decode(errors="replace")[-2000:]
                raise KamailioError(f"kamailio refuses its config: {refusal}")
            with self.log_file.open("wb") as out:
                self._child = spawn(
                    [binary, "-DD", "-E", "-f", str(settings.config_file),
                     "-Y", str(settings.workdir), "-P", str(self.pid_file),
                     "-m", "64", "-M", "8"],
                    output=out,
                    name=f"kamailio-{settings.port}",
                    # not SIGKILL: Kamailio's main process, terminated, ends the processes it
                    # forked; killed, it leaves them running, holding the SIP port
                    parent_death=signal.SIGTERM,
                )  # fmt: skip
            self.process = self._child.process
            self._wait_ready(self._child, deadline)
        except ProcessError as e:
            self.stop()
            raise KamailioError(str(e)) from e
        except BaseException:
            self.stop()
            raise

    def _clear_leftovers(self, deadline: float) -> bool:
        """Kill every Kamailio running our config file (no live Hotline owns it: we hold
        the folder's lock), and the process group of the one the pid file names when it
        leads its group (one we spawned); wait until they are gone. Whether any was."""
        config = str(self.settings.config_file)
        leftovers = set(find("kamailio", "-f", config))
        named = pid_in(self.pid_file)
        if leftovers:
            log.warning(
                "kamailio left running by a previous Hotline on %s: killing %s",
                config,
                ", ".join(str(pid) for pid in sorted(leftovers)),
            )
        if named is not None and named in leftovers and process_group(named) == named:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(named, signal.SIGKILL)
        for pid in leftovers:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        left = wait_gone(sorted(leftovers), deadline)
        if left:
            raise KamailioError(
                f"a Kamailio left by a previous Hotline cannot be stopped: "
                f"{', '.join(describe(pid) for pid in left)}"
            )
        for stale in (self.pid_file, self.settings.ctl_socket):
            stale.unlink(missing_ok=True)
        return bool(leftovers)

    def _check_port(self, grace: float) -> None:
        """Refuse a SIP port that something holds (after `grace` seconds, for a port a
        killed leftover may still be releasing)."""
        host, port = self.settings.host, self.settings.port
        until = time.monotonic() + grace
        while not udp_port_free(host, port):
            if time.monotonic() >= until:
                holders = ", ".join(describe(pid) for pid in udp_holders(host, port))
                raise KamailioError(
                    f"the SIP port {host}:{port} (UDP) is taken by "
                    f"{holders or 'another process'}: Kamailio was not started; stop "
                    "that process or choose another port"
                )
            time.sleep(0.05)

    def _wait_ready(self, child: Child, deadline: float) -> None:
        """Until our Kamailio holds the SIP port (no other process does) and answers."""
        settings = self.settings
        while time.monotonic() < deadline:
            if not child.running():
                raise KamailioError(f"kamailio exited: {self.log_file.read_text()[-2000:]}")
            holders = udp_holders(settings.host, settings.port)
            if holders and all(process_group(pid) == child.pid for pid in holders):
                break
            if not holders and not udp_port_free(settings.host, settings.port):
                break  # bound, by a process /proc does not show us (it was free before)
            time.sleep(0.05)
        else:
            raise KamailioError(f"kamailio did not bind {settings.host}:{settings.port}")
        while time.monotonic() < deadline:
            if not child.running():
                raise KamailioError(f"kamailio exited: {self.log_file.read_text()[-2000:]}")
            with contextlib.suppress(KamailioError):
                self.registered()
                return
            time.sleep(0.1)
        raise KamailioError("kamailio's control socket does not answer")

    def stop(self, timeout: float = 5.0) -> None:
        """SIGTERM to the PID we started (Kamailio ends the processes it forked), SIGKILL to
        its whole process group when it is still there after `timeout`, and to whatever
        of the group is left; the keeper thread reaps it; the folder's lock is released."""
        child, self._child = self._child, None
        self.process = None
        try:
            if child is not None:
                if child.running():
                    with contextlib.suppress(ProcessLookupError):
                        child.process.send_signal(signal.SIGTERM)
                    if not child.wait(timeout):
                        log.warning("kamailio (pid %d) ignored SIGTERM: killing it", child.pid)
                        child.kill_group()
                        child.wait(timeout)
                child.kill_group()
        finally:
            self._lock.release()

    def registered(self) -> set[str]:
        """The user parts of every registered address of record (the agents' ids)."""
        return registered(self.settings)


def parse_ul_dump(result: Any) -> set[str]:
    """The user parts of the AoRs in a JSON-RPC ``ul.dump brief`` result; raises
    `KamailioError` when it is not shaped like one (never an empty set by mistake)."""
    try:
        aors: set[str] = set()
        for domain in result["Domains"]:
            for record in domain["Domain"]["AoRs"]:
                aor = record["AoR"] if "AoR" in record else record["Info"]["AoR"]
                aors.add(str(aor).split("@")[0])
    except (KeyError, TypeError) as e:
        raise KamailioError(f"ul.dump: an answer of an unknown shape ({e!r})") from e
    return aors


def registered(settings: KamailioSettings, timeout: float = 5.0) -> set[str]:
    """Registered agents per Kamailio's JSON-RPC; raises `KamailioError` if that fails.

    usrloc drops an expired contact within its timer interval (5 s, `render`); a phone
    that unregisters is gone at once."""
    try:
        result = kamrpc.call(settings.rpc_fifo, "ul.dump", "brief", timeout=timeout)
    except kamrpc.RpcError as e:
        raise KamailioError(str(e)) from e
    return parse_ul_dump(result)


@dataclass(frozen=True)
class CredentialChanges:
    """What `load_credentials` changed: extensions added, rotated (a new HA1) and removed."""

    added: tuple[str, ...] = ()
    rotated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


def load_credentials(
    settings: KamailioSettings,
    credentials: Mapping[str, str],
    timeout: float = 5.0,
    *,
    table: str = "sipauth",
) -> CredentialChanges:
    """Make Kamailio's `sipauth` table hold exactly `credentials` (extension → HA1 for
    `settings.realm`): entries that differ are set, extensions no longer there are removed.
    A phone registered with a rotated or removed credential stays registered until
    `unregister`. Raises `KamailioError` on failure. (`table`: another hash table of
    `render`'s config, the same way: `sync_browser_credentials`.)"""
    try:
        dump = kamrpc.call(settings.rpc_fifo, "htable.dump", table, timeout=timeout)
        now: dict[str, str] = {}
        for entry in dump or []:
            for slot in entry.get("slot", []):
                now[str(slot["name"])] = str(slot["value"])
        changes = CredentialChanges(
            added=tuple(u for u in credentials if u not in now),
            rotated=tuple(u for u, h in credentials.items() if u in now and now[u] != h),
            removed=tuple(u for u in now if u not in credentials),
        )
        for user in (*changes.added, *changes.rotated):
            kamrpc.call(
                settings.rpc_fifo, "htable.sets", table, user, credentials[user],
                timeout=timeout,
            )  # fmt: skip
        for user in changes.removed:
            kamrpc.call(settings.rpc_fifo, "htable.delete", table, user, timeout=timeout)
    except kamrpc.RpcError as e:
        raise KamailioError(str(e)) from e
    except (KeyError, TypeError, AttributeError) as e:
        raise KamailioError(f"htable.dump: an answer of an unknown shape ({e!r})") from e
    return changes


def sync_credentials(
    settings: KamailioSettings, credentials: Mapping[str, str]
) -> CredentialChanges:
    """`load_credentials`, then the phones of rotated and removed credentials unregistered
    (a stolen phone stops taking calls when its password is changed or revoked)."""
    changes = load_credentials(settings, credentials)
    for user in (*changes.rotated, *changes.removed):
        log.info("phone %s: credential %s; its registration is removed", user,
                 "revoked" if user in changes.removed else "rotated")  # fmt: skip
        unregister(settings, user)
    return changes


def sync_browser_credentials(
    settings: KamailioSettings, credentials: Mapping[str, tuple[str, str]]
) -> CredentialChanges:
    """The browser softphones' session credentials (auth user → (extension, HA1)) into
    Kamailio's `sipws` and `sipwsext` tables; the extension of a credential that was
    removed or changed loses its browser registration (`location_ws`), never its desk
    phone's. Needs a config with a `WebrtcEdge`."""
    before = _table(settings, "sipwsext")
    load_credentials(settings, {u: ext for u, (ext, _) in credentials.items()}, table="sipwsext")
    changes = load_credentials(
        settings, {u: secret for u, (_, secret) in credentials.items()}, table="sipws"
    )
    for user in (*changes.rotated, *changes.removed):
        extension = before.get(user)
        if extension is not None:
            log.info("browser softphone of %s: session credential ended", extension)
            unregister(settings, extension, table="location_ws")
    return changes


def _table(settings: KamailioSettings, table: str, timeout: float = 5.0) -> dict[str, str]:
    try:
        dump = kamrpc.call(settings.rpc_fifo, "htable.dump", table, timeout=timeout)
        return {
            str(slot["name"]): str(slot["value"])
            for entry in dump or []
            for slot in entry.get("slot", [])
        }
    except kamrpc.RpcError as e:
        raise KamailioError(str(e)) from e
    except (KeyError, TypeError, AttributeError) as e:
        raise KamailioError(f"htable.dump: an answer of an unknown shape ({e!r})") from e


def unregister(
    settings: KamailioSettings, user: str, timeout: float = 5.0, *, table: str = "location"
) -> None:
    """Remove every registration of `user` (a revoked extension's phone) in `table`
    (``location_ws``: the browser softphone's)."""
    try:
        kamrpc.call(settings.rpc_fifo, "ul.rm", table, user, timeout=timeout)
    except kamrpc.RpcError as e:
        if "not found" not in str(e).lower():
            raise KamailioError(str(e)) from e


def seats_registered(seats: Iterable[str], aors: set[str]) -> list[str]:
    """The seats (agent ids) whose phones are among `aors`, in the seats' order."""
    return [seat for seat in seats if seat in aors]
