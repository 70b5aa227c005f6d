"""Kamailio as Hotline's SIP edge: our config template, the process, and who is registered.

The config is ours (`render`): a registrar with in-memory location for agents'
phones, the hotline's numbers routed to Hotline's SIP endpoint, everything else
looked up in the location table (that is how Hotline rings an agent: an INVITE to
the agent's id), and a number no phone registered to the trunk when one is configured
(how Hotline reaches customers: `SipSwitch.originate`), else 404. No Record-Route:
in-dialog requests go end to end. `Kamailio`
starts it in the foreground (``-DD``) so the process we started is the one we
stop, by PID (SIGTERM, then SIGKILL). `registered` asks over the ctl socket
(``kamcmd ul.dump``) which agents' phones are registered.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from hotline.core.errors import HotlineError

log = logging.getLogger(__name__)

MODULES = (
    "jsonrpcs", "kex", "ctl", "tm", "sl", "rr", "pv", "maxfwd",
    "usrloc", "registrar", "textops", "siputils", "xlog",
)  # fmt: skip


class KamailioError(HotlineError):
    error_id = "kamailio-error"


@dataclass(frozen=True)
class KamailioSettings:
    """Where Kamailio listens, which numbers go to Hotline, where Hotline listens, and the
    trunk (a carrier's gateway, host and port) for numbers no phone registered, if any."""

    workdir: Path
    host: str = "127.0.0.1"
    port: int = 5060
    numbers: tuple[str, ...] = ("95598",)
    hotline_host: str = "127.0.0.1"
    hotline_port: int = 5080
    trunk: tuple[str, int] | None = None

    @property
    def ctl_socket(self) -> Path:
        return self.workdir / "kamailio_ctl"

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


def render(settings: KamailioSettings, modules: Path | None = None) -> str:
    """The kamailio.cfg text for `settings`."""
    for number in settings.numbers:
        if not re.fullmatch(r"[0-9A-Za-z*#+._-]+", number):
            raise KamailioError(f"not a dialable number: {number!r}")
    mpath = modules if modules is not None else module_path()
    loads = "\n".join(f'loadmodule "{m}.so"' for m in MODULES)
    numbers = " || ".join(f'$rU == "{n}"' for n in settings.numbers) or "false"
    hotline = f"sip:{settings.hotline_host}:{settings.hotline_port}"
    unregistered = """t_newtran();
        t_reply("404", "Not Registered");"""
    if settings.trunk is not None:
        host, port = settings.trunk
        if not re.fullmatch(r"[0-9A-Za-z._-]+", host) or not 0 < port < 65536:
            raise KamailioError(f"not a trunk address: {host!r} port {port!r}")
        unregistered = f"""$du = "sip:{host}:{port}";
        t_relay();"""
    return f"""#!KAMAILIO
# written by Hotline (hotline.sip.kamailio): registrar for agents' phones, the hotline's
# numbers to Hotline's SIP endpoint at {hotline}, other requests to registered phones,
# numbers nobody registered to the trunk (if configured: $du below) or 404
debug=2
log_stderror=yes
fork=yes
children=2
disable_tcp=yes
auto_aliases=no
listen=udp:{settings.host}:{settings.port}
alias="{settings.host}:{settings.port}"
mpath="{mpath}/"
{loads}
modparam("ctl", "binrpc", "unix:{settings.ctl_socket}")
modparam("jsonrpcs", "transport", 2)
modparam("jsonrpcs", "fifo_name", "{settings.workdir}/kamailio_rpc.fifo")
modparam("usrloc", "db_mode", 0)
modparam("registrar", "max_expires", 3600)
modparam("tm", "fr_inv_timer", 60000)

request_route {{
    xlog("L_INFO", "$rm $ru from $si:$sp\n");
    if (!mf_process_maxfwd_header("10")) {{
        sl_send_reply("483", "Too Many Hops");
        exit;
    }}
    if (has_totag()) {{
        if (loose_route() || is_method("ACK|BYE|INFO|UPDATE|INVITE")) {{
            t_relay();
        }} else {{
            sl_send_reply("404", "Not Here");
        }}
        exit;
    }}
    if (is_method("CANCEL")) {{
        if (t_check_trans()) {{
            t_relay();
        }}
        exit;
    }}
    if (is_method("REGISTER")) {{
        if (!save("location")) {{
            sl_reply_error();
        }}
        exit;
    }}
    if (is_method("OPTIONS") && $rU == $null) {{
        sl_send_reply("200", "OK");
        exit;
    }}
    if ({numbers}) {{
        $du = "{hotline}";
        t_relay();
        exit;
    }}
    if (!lookup("location")) {{
        {unregistered}
        exit;
    }}
    t_relay();
}}
"""


def _wait_port_taken(host: str, port: int, deadline: float) -> bool:
    while time.monotonic() < deadline:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            try:
                s.bind((host, port))
            except OSError:
                return True
        time.sleep(0.05)
    return False


class Kamailio:
    """One Kamailio process with our config. `start` writes the config and waits until
    the SIP port is bound and the ctl socket answers; `stop` ends it by PID."""

    def __init__(self, settings: KamailioSettings) -> None:
        self.settings = settings
        self.process: subprocess.Popen[bytes] | None = None
        self.log_file = settings.workdir / "kamailio.log"

    def start(self, timeout: float = 15.0) -> None:
        binary = shutil.which("kamailio") or "/usr/sbin/kamailio"
        if not Path(binary).is_file():
            raise KamailioError("kamailio is not installed (scripts/system-deps.sh)")
        settings = self.settings
        settings.workdir.mkdir(parents=True, exist_ok=True)
        settings.config_file.write_text(render(settings))
        check = subprocess.run(
            [binary, "-c", "-f", str(settings.config_file)], capture_output=True, timeout=30
        )
        if check.returncode != 0:
            raise KamailioError(f"kamailio refuses its config: {check.stderr.decode()[-2000:]}")
        with self.log_file.open("wb") as out:
            self.process = subprocess.Popen(
                [binary, "-DD", "-E", "-f", str(settings.config_file),
                 "-Y", str(settings.workdir), "-P", str(settings.workdir / "kamailio.pid"),
                 "-m", "64", "-M", "8"],
                stdout=out,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        if not _wait_port_taken(settings.host, settings.port, deadline):
            self.stop()
            raise KamailioError(f"kamailio did not bind {settings.host}:{settings.port}")
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise KamailioError(f"kamailio exited: {self.log_file.read_text()[-2000:]}")
            with contextlib.suppress(KamailioError):
                self.registered()
                return
            time.sleep(0.1)
        self.stop()
        raise KamailioError("kamailio's ctl socket does not answer")

    def stop(self, timeout: float = 5.0) -> None:
        """SIGTERM to the PID we started, SIGKILL to what is left after `timeout`."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            log.warning("kamailio (pid %d) ignored SIGTERM: killing it", process.pid)
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            process.wait(timeout)

    def registered(self) -> set[str]:
        """The user parts of every registered address of record (the agents' ids)."""
        return registered(self.settings.ctl_socket)


def parse_ul_dump(text: str) -> set[str]:
    """The AoRs in ``kamcmd ul.dump`` output that have at least one unexpired contact."""
    aors: set[str] = set()
    current: str | None = None
    for line in text.splitlines():
        field, _, value = line.strip().partition(":")
        value = value.strip()
        if field == "AoR":
            current = value.split("@")[0]
        elif (
            field == "Expires"
            and current is not None
            and (value == "permanent" or (value.lstrip("-").isdigit() and int(value) > 0))
        ):
            aors.add(current)
    return aors


def registered(ctl_socket: Path, timeout: float = 5.0) -> set[str]:
    """Registered agents per Kamailio's ctl socket; raises `KamailioError` if it fails."""
    kamcmd = shutil.which("kamcmd") or "/usr/sbin/kamcmd"
    try:
        done = subprocess.run(
            [kamcmd, "-s", f"unix:{ctl_socket}", "ul.dump"],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as e:
        raise KamailioError(f"kamcmd failed: {e}") from e
    if done.returncode != 0:
        raise KamailioError(f"kamcmd ul.dump: {done.stderr.decode(errors='replace')[-500:]}")
    return parse_ul_dump(done.stdout.decode(errors="replace"))


def seats_registered(seats: Iterable[str], aors: set[str]) -> list[str]:
    """The seats (agent ids) whose phones are among `aors`, in the seats' order."""
    return [seat for seat in seats if seat in aors]
