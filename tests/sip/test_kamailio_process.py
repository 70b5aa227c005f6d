"""Kamailio's process dies with Hotline, and a start cleans up after a Hotline that was killed.

Real processes on loopback: the `Kamailio` class in a child Python process killed with
SIGKILL; a Kamailio left running with our config and pid file by a "previous Hotline"
(its parent gone); a port held by a foreign process.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from hotline.sip.kamailio import Kamailio, KamailioError, KamailioSettings, render
from hotline.sip.process import alive, find, process_group, udp_holders
from tests.support.sip import free_port, need, stop_process

pytestmark = pytest.mark.realtime  # wall-clock calls: -m "not realtime" skips them

CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from hotline.sip.kamailio import Kamailio, KamailioSettings
    kamailio = Kamailio(KamailioSettings(workdir=Path(sys.argv[1]), port=int(sys.argv[2])))
    kamailio.start()
    print(kamailio.process.pid, flush=True)
    time.sleep(300)
    """
)


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _until(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def test_kamailio_dies_with_a_hotline_killed_by_sigkill(tmp_path: Path) -> None:
    need("kamailio")
    port = free_port()
    config = str(tmp_path / "kamailio" / "kamailio.cfg")
    parent = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path / "kamailio"), str(port)],
        stdout=subprocess.PIPE,
    )
    pid = 0
    try:
        line = parent.stdout.readline() if parent.stdout is not None else b""
        assert line.strip().isdigit(), "the child did not start Kamailio"
        pid = int(line)
        assert alive(pid)
        assert not _port_free(port)
        assert len(find("kamailio", "-f", config)) > 1  # it and the processes it forked

        parent.send_signal(signal.SIGKILL)
        parent.wait(10)

        # Kamailio and every process it forked are gone (none adopted by init), the port free
        assert _until(lambda: not find("kamailio", "-f", config), 5), find("kamailio", "-f", config)
        assert not alive(pid)
        assert _until(lambda: _port_free(port), 5)
    finally:
        stop_process(parent)
        for left in find("kamailio", "-f", config):
            os.kill(left, signal.SIGKILL)


def _invite(number: str, port: int, me: int) -> bytes:
    branch = uuid.uuid4().hex
    sdp = (
        "v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        "m=audio 40000 RTP/AVP 0\r\n"
    )
    lines = [
        f"INVITE sip:{number}@127.0.0.1:{port} SIP/2.0",
        f"Via: SIP/2.0/UDP 127.0.0.1:{me};branch=z9hG4bK{branch}",
        f"From: <sip:13800138000@127.0.0.1>;tag={branch[:8]}",
        f"To: <sip:{number}@127.0.0.1:{port}>",
        f"Call-ID: {branch}@test",
        "CSeq: 1 INVITE",
        f"Contact: <sip:13800138000@127.0.0.1:{me}>",
        "Max-Forwards: 70",
        "Content-Type: application/sdp",
        f"Content-Length: {len(sdp)}",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n" + sdp).encode()


def test_a_start_kills_the_kamailio_a_killed_hotline_left_and_runs_the_new_config(
    tmp_path: Path,
) -> None:
    need("kamailio", "setsid")
    workdir = tmp_path / "kamailio"
    workdir.mkdir()
    port, old_hotline, new_hotline = free_port(), free_port(), free_port()
    old = KamailioSettings(workdir=workdir, port=port, numbers=("95598",), hotline_port=old_hotline)
    old.config_file.write_text(render(old))
    binary = shutil.which("kamailio") or "/usr/sbin/kamailio"
    # what a Hotline killed before this fix left: Kamailio with our config and pid file,
    # its parent gone (the shell exits at once), not the leader of its process group
    subprocess.run(
        ["setsid", "sh", "-c",
         f'"{binary}" -DD -E -f "{old.config_file}" -Y "{workdir}" -P "{workdir}/kamailio.pid"'
         f' -m 64 -M 8 >"{workdir}/old.log" 2>&1 &'],
        check=True,
    )  # fmt: skip
    leftovers: list[int] = []
    try:
        assert _until(lambda: not _port_free(port) and (workdir / "kamailio.pid").exists(), 10)
        leftovers = find("kamailio", "-f", str(old.config_file))
        assert len(leftovers) > 1
        named = int((workdir / "kamailio.pid").read_text())
        assert named in leftovers
        assert os.getppid() != named

        new = KamailioSettings(workdir=workdir, port=port, numbers=("4008",),
                               hotline_port=new_hotline)  # fmt: skip
        kamailio = Kamailio(new)
        kamailio.start()
        try:
            assert not [pid for pid in leftovers if alive(pid)]
            assert kamailio.process is not None
            ours = kamailio.process.pid
            holders = udp_holders("127.0.0.1", port)
            assert holders
            assert {process_group(pid) for pid in holders} == {ours}
            # the new config routes 4008 to the new Hotline port (the old one knew 95598 only)
            with (
                socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as hotline,
                socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as caller,
            ):
                hotline.bind(("127.0.0.1", new_hotline))
                caller.bind(("127.0.0.1", 0))
                caller.sendto(_invite("4008", port, caller.getsockname()[1]), ("127.0.0.1", port))
                hotline.settimeout(5.0)
                received, _ = hotline.recvfrom(65536)
            assert received.startswith(b"INVITE sip:4008@")
        finally:
            kamailio.stop()
        assert _port_free(port)
    finally:
        for pid in leftovers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_port_held_by_another_process_is_refused_by_name(tmp_path: Path) -> None:
    need("kamailio")
    port = free_port()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import socket, sys, time\n"
         "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
         f"s.bind(('127.0.0.1', {port}))\n"
         "print('bound', flush=True)\n"
         "time.sleep(60)\n"],
        stdout=subprocess.PIPE,
    )  # fmt: skip
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == b"bound"
        settings = KamailioSettings(workdir=tmp_path / "kamailio", port=port)
        kamailio = Kamailio(settings)
        with pytest.raises(KamailioError) as refused:
            kamailio.start()
        message = str(refused.value)
        assert f"127.0.0.1:{port}" in message
        assert f"pid {holder.pid}" in message
        assert find("kamailio", "-f", str(settings.config_file)) == []  # none started
        assert holder.poll() is None  # a foreign process is never killed
        assert kamailio.process is None
    finally:
        stop_process(holder)
