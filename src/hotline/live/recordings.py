"""The conversations' recordings: one two-channel WAV per conversation, found by call.

`hotline.sip.switch.SipSwitch` records each bridged conversation into
``<recordings>/<call>-<agent>.wav`` (left channel the caller, right the agent); a
call transferred to a colleague has one file per agent. This module finds a
call's files by that name and reads their length from the WAV header (kept up
to date while the file is written, so a conversation in progress is listed too).
Only names built from a call id and a known agent are ever opened: a name asked
for is looked up among the call's files, never joined to the folder as given.
"""

from __future__ import annotations

import contextlib
import re
import wave
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

SUFFIX = ".wav"
_NAME = re.compile(r"^[A-Za-z0-9_.:-]+$")


@dataclass(frozen=True, slots=True)
class Recording:
    """One conversation's WAV file."""

    name: str
    call: str
    agent: str
    size: int
    seconds: float | None  # None when the header cannot be read (a file just begun)
    path: Path


def wav_seconds(path: Path) -> float | None:
    """The length of a WAV file from its header, or None when it is not readable."""
    with contextlib.suppress(OSError, EOFError, wave.Error), wave.open(str(path), "rb") as wav:
        rate = wav.getframerate()
        return round(wav.getnframes() / rate, 2) if rate else None
    return None


class Recordings:
    """The recordings in `folder` (none when None), for the agents `agents()` names."""

    def __init__(self, folder: Path | None, agents: Callable[[], Collection[str]]) -> None:
        self.folder = folder
        self._agents = agents

    def of_call(self, call: str) -> list[Recording]:
        """The call's recordings, oldest first (by modification time, then name)."""
        folder = self.folder
        if folder is None or not _NAME.fullmatch(call) or not folder.is_dir():
            return []
        agents = set(self._agents())
        prefix = f"{call}-"
        found: list[tuple[float, Recording]] = []
        for path in folder.glob(f"{prefix}*{SUFFIX}"):  # `_NAME` has no glob characters
            agent = path.name[len(prefix) : -len(SUFFIX)]
            if agent not in agents or not path.is_file():
                continue  # another call's file whose id starts like this one's
            stat = path.stat()
            recording = Recording(
                name=path.name,
                call=call,
                agent=agent,
                size=stat.st_size,
                seconds=wav_seconds(path),
                path=path,
            )
            found.append((stat.st_mtime, recording))
        found.sort(key=lambda item: (item[0], item[1].name))
        return [recording for _, recording in found]

    def calls(self) -> set[str]:
        """The calls with a conversation's recording in the folder (one listing)."""
        folder = self.folder
        if folder is None or not folder.is_dir():
            return set()
        agents = set(self._agents())
        found = set()
        for path in folder.glob(f"*{SUFFIX}"):
            call, _, agent = path.name[: -len(SUFFIX)].rpartition("-")
            if call and agent in agents:
                found.add(call)
        return found

    def newest(self, limit: int) -> list[Recording]:
        """The newest `limit` conversations' recordings of any call (by modification time,
        newest first): what speech analytics looks at next. Voicemail and outside-party
        files are not conversations with an agent and are left out."""
        folder = self.folder
        if folder is None or not folder.is_dir():
            return []
        agents = set(self._agents())
        found: list[tuple[float, Path, str, str]] = []
        for path in folder.glob(f"*{SUFFIX}"):
            call, _, agent = path.name[: -len(SUFFIX)].rpartition("-")
            if not call or agent not in agents or not _NAME.fullmatch(call):
                continue
            try:
                found.append((path.stat().st_mtime, path, call, agent))
            except OSError:
                continue  # removed meanwhile
        found.sort(key=lambda item: (-item[0], item[1].name))
        out = []
        for _, path, call, agent in found[:limit]:
            with contextlib.suppress(OSError):
                size = path.stat().st_size
                out.append(Recording(path.name, call, agent, size, wav_seconds(path), path))
        return out

    def get(self, call: str, name: str) -> Recording | None:
        """The call's recording called `name`, or None (whatever `name` holds)."""
        return next((r for r in self.of_call(call) if r.name == name), None)
