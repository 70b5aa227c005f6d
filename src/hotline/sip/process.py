"""Child processes that die with Hotline, and who holds a port, a workdir or a command line.

`spawn` starts a program in its own session (so its process group can be signalled
as one, and its own group-wide signals never reach Hotline) with the Linux
parent-death signal set (``prctl(PR_SET_PDEATHSIG)`` in the child before it runs
the program): when Hotline dies, even by SIGKILL, the kernel signals the child. The
signal is tied to the *thread* that forked the child, so a keeper thread forks it
and then waits for it, reaping it the moment it exits (no zombie) and never ending
before it. The rest reads ``/proc``: live processes by command line (`find`), the
holders of a UDP port (`udp_holders`), and `WorkdirLock`, an advisory lock that a
running Hotline holds on its working folder (the kernel drops it when the process
dies, whatever kills it).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import itertools
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from hotline.core.errors import HotlineError

_PR_SET_PDEATHSIG = 1


class ProcessError(HotlineError):
    error_id = "process-error"


def _parent_death(sig: signal.Signals) -> Callable[[], None] | None:
    """The `preexec_fn` that asks the kernel to send `sig` to the child when its parent
    thread dies; None where there is no ``prctl`` (not Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    prctl = libc.prctl  # looked up here: the child, between fork and exec, only calls it
    parent = os.getpid()

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return preexec


@dataclass
class Child:
    """A program started by `spawn`: its `process` (the keeper thread reaps it) and the
    thread that waits for it."""

    process: subprocess.Popen[bytes]
    keeper: threading.Thread

    @property
    def pid(self) -> int:
        return self.process.pid

    def running(self) -> bool:
        return self.process.returncode is None and alive(self.pid)

    def wait(self, timeout: float) -> bool:
        """Wait until the keeper reaped it; False when it still runs after `timeout` s."""
        self.keeper.join(timeout)
        return not self.keeper.is_alive()

    def kill_group(self, sig: signal.Signals = signal.SIGKILL) -> None:
        """Signal its whole process group (the program and every process it forked that
        is still there; spawn made the group's id its PID)."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, sig)


def spawn(
    argv: Sequence[str],
    *,
    output: IO[bytes],
    name: str,
    parent_death: signal.Signals = signal.SIGTERM,
) -> Child:
    """Start `argv` in a new session, its output to `output`, `parent_death` sent to it by
    the kernel when this process dies; raises `ProcessError` when it cannot start."""
    started: queue.SimpleQueue[subprocess.Popen[bytes] | OSError] = queue.SimpleQueue()

    def keep() -> None:
        try:
            process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_parent_death(parent_death),
            )
        except OSError as e:
            started.put(e)
            return
        started.put(process)
        process.wait()  # reaps it; this thread is the parent the kernel watches

    keeper = threading.Thread(target=keep, name=name, daemon=True)
    keeper.start()
    result = started.get()
    if isinstance(result, OSError):
        raise ProcessError(f"cannot start {argv[0]}: {result}")
    return Child(result, keeper)


# ---- /proc ------------------------------------------------------------------------------


def alive(pid: int) -> bool:
    """Whether `pid` is a process that has not exited (a zombie has)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def command_line(pid: int) -> list[str]:
    """The process's arguments (empty when it is gone, a zombie or not ours to read)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0")[:-1]]


def describe(pid: int) -> str:
    """``pid 123 (kamailio -f …)`` for messages."""
    words = " ".join(" ".join(command_line(pid)).split())
    return f"pid {pid} ({words[:120]})" if words else f"pid {pid}"


def _pids() -> Iterator[int]:
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            yield int(entry.name)


def find(program: str, option: str, value: str) -> list[int]:
    """Live processes running `program` (its file name) with `option` `value` among their
    arguments (``kamailio … -f /path/kamailio.cfg``)."""
    found = []
    for pid in _pids():
        argv = command_line(pid)
        if not argv or Path(argv[0]).name != program:
            continue
        if any(a == option and b == value for a, b in itertools.pairwise(argv)) and alive(pid):
            found.append(pid)
    return found


def _socket_inodes(host: str, port: int) -> set[str]:
    """Inodes of the UDP sockets bound to `port` on `host` or on every address (IPv4 and
    IPv6, where an IPv4 address shows as ``::ffff:a.b.c.d``); any address when `host` is
    not an IPv4 address."""
    try:
        v4 = socket.inet_aton(host)[::-1].hex().upper()  # /proc prints it in host order
    except OSError:
        v4 = None
    v4_any = "00000000"
    v6_any = "0" * 32
    inodes = set()
    for table in ("udp", "udp6"):
        try:
            lines = Path(f"/proc/net/{table}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, _, hex_port = fields[1].partition(":")
            if int(hex_port, 16) != port:
                continue
            mapped = address[24:] if address.startswith("0000000000000000FFFF0000") else None
            if v4 is None or address in (v4_any, v6_any, v4) or mapped in (v4, v4_any):
                inodes.add(fields[9])
    return inodes


def process_group(pid: int) -> int | None:
    """The process group of `pid`, None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rpartition(")")[2].split()[2])


def udp_holders(host: str, port: int) -> list[int]:
    """The live processes holding a UDP socket bound to `host`:`port` (or to the port on
    every address), as far as ``/proc`` lets us see (other users' processes it may not)."""
    inodes = {f"socket:[{inode}]" for inode in _socket_inodes(host, port)}
    if not inodes:
        return []
    holders = []
    for pid in _pids():
        with contextlib.suppress(OSError):
            for fd in os.scandir(f"/proc/{pid}/fd"):
                with contextlib.suppress(OSError):
                    if os.readlink(fd.path) in inodes:
                        holders.append(pid)
                        break
    return [pid for pid in holders if alive(pid)]


def udp_port_free(host: str, port: int) -> bool:
    """Whether a UDP socket could bind `host`:`port` now (without SO_REUSEADDR: a port
    another socket holds, with or without it, is not free)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def pid_in(pid_file: Path) -> int | None:
    """The PID a pid file holds, None when it is missing or holds none."""
    try:
        text = pid_file.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def wait_gone(pids: Sequence[int], deadline: float) -> list[int]:
    """Wait until none of `pids` is alive or `deadline` (monotonic) passes; those left."""
    left = [pid for pid in pids if alive(pid)]
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = [pid for pid in left if alive(pid)]
    return left


class WorkdirLock:
    """An exclusive advisory lock on a file of a working folder, held while a Hotline
    uses it: a second Hotline (or a second user in this process) on the same folder is
    refused. The kernel releases it when the process ends, however it ends."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock; raises `ProcessError` naming the holder when it is taken."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")  # not inherited by children (close-on-exec)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise ProcessError(
                f"{self.path.parent} is in use by a running Hotline ({holder})"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing the file drops the lock
            self._file = None
