"""Reading an Asterisk queue_log: one `Line` per record, or one `Problem` naming file:line.

Two shapes are read (see docs/metrics.md ("Asterisk queue_log import") for the sources):

- the **file** Asterisk writes (`/var/log/asterisk/queue_log`, also with
  ``queue_log_to_file = yes`` beside a realtime table):
  ``epoch|callid|queuename|agent|event|data1|data2|…`` — every Asterisk version
  writes it this way; the parameters are the `|`-separated parts after the
  event (older versions simply write fewer of them);
- an **export of the realtime table** (``queue_log`` in MySQL/PostgreSQL), with a
  header line naming the columns: ``time, callid, queuename, agent, event`` and
  either one ``data`` column holding the `|`-separated parameters (the older
  table) or ``data1`` … ``data5`` (``queue_adaptive_realtime``, Asterisk ≥ 1.8).
  Comma-, tab- or `|`-separated (psql's aligned output included); ``time`` is a
  date and time in the server's zone (or GMT with ``queue_log_realtime_use_gmt``).

A time is epoch seconds or an ISO date and time (read in the given zone when it
has no offset), between 1990 and 2100: anything else is a broken line, not a call
made in the year 3,170,843. Files ending in ``.gz`` are decompressed; text is UTF-8, or
GB18030 when a line is not UTF-8.
"""

from __future__ import annotations

import csv
import datetime
import gzip
import io
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from hotline.interop.errors import QueueLogFileError


@dataclass(frozen=True, slots=True)
class Line:
    """One queue_log record; `data` holds the event's parameters in order."""

    source: str
    number: int  # 1-based line number in `source`
    at: float  # epoch seconds
    callid: str
    queue: str
    agent: str
    event: str  # upper case
    data: tuple[str, ...]

    def problem(self, reason: str) -> Problem:
        return Problem(self.source, self.number, reason)

    def text(self, index: int) -> str:
        """The parameter at `index` (0-based), "" when the line has fewer."""
        return self.data[index].strip() if index < len(self.data) else ""

    def seconds(self, index: int, name: str, *, scale: float = 1.0) -> float | None:
        """The parameter at `index` as a non-negative number times `scale`; None when absent.

        Raises `UnreadableLineError` naming the parameter when it is not a number.
        """
        text = self.text(index)
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise UnreadableLineError(f"{self.event} {name} {quoted(text)} is not a number")
        if value < 0:
            raise UnreadableLineError(f"{self.event} {name} {quoted(text)} is negative")
        return value * scale


@dataclass(frozen=True, slots=True)
class Problem:
    """A line that was not imported, and why."""

    source: str
    number: int
    reason: str

    def __str__(self) -> str:
        reason = self.reason if len(self.reason) <= _LONGEST else self.reason[:_LONGEST] + "…"
        return f"{self.source}:{self.number}: {reason}"


_SHOWN = 80
"""Characters of a line's content quoted in a message (a broken line can be megabytes)."""
_LONGEST = 300
"""Characters of a problem's reason printed: a terminal line, whatever the reason quotes."""


def quoted(text: str) -> str:
    """`text` as quoted in a problem: its repr, cut to `_SHOWN` characters and "…"."""
    return repr(text if len(text) <= _SHOWN else text[:_SHOWN] + "…")


class UnreadableLineError(ValueError):
    """One line cannot be read; the reader turns it into a `Problem` and goes on."""


_EPOCH = re.compile(r"\d+(?:\.\d+)?")
_EVENT = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")  # Asterisk's longest: 19 letters
_RULE = re.compile(r"[-+=\s]+")  # psql's line under the header
_FOOTER = re.compile(r"\(\d+ rows?\)")
_EARLIEST = datetime.datetime(1990, 1, 1, tzinfo=datetime.UTC).timestamp()
_LATEST = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC).timestamp()
_COLUMNS = ("time", "callid", "queuename", "agent", "event")
_ALIASES = {"queue": "queuename", "call_id": "callid", "uniqueid": "callid"}


def parse_time(text: str, zone: datetime.tzinfo) -> float:
    """Epoch seconds from ``1366720340`` or ``2012-07-03 15:27:23.896208`` (naive: in `zone`).

    Raises `UnreadableLineError` for anything else, and for a time outside 1990–2100
    (a damaged digit, milliseconds taken for seconds): stored, such a time would
    break every report that shows it.
    """
    value = text.strip()
    if _EPOCH.fullmatch(value):
        at = float(value)
    else:
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise UnreadableLineError(
                f"time {quoted(value)} is neither epoch seconds nor a date and time"
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
        at = moment.timestamp()
    if not _EARLIEST <= at < _LATEST:
        raise UnreadableLineError(f"time {quoted(value)} is not between 1990 and 2100")
    return at


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


def _open(path: Path) -> io.BufferedIOBase:
    try:
        if path.suffix == ".gz":
            return gzip.GzipFile(path, "rb")
        return path.open("rb")
    except OSError as exc:
        raise QueueLogFileError(f"cannot read the file: {exc.strerror}", file=str(path)) from None


def read_file(path: Path, zone: datetime.tzinfo) -> Iterator[Line | Problem]:
    """Every record of the file at `path`, or a `Problem` for a line that cannot be read.

    Raises `QueueLogFileError` when the file cannot be opened or is not text.
    """
    source = str(path)
    with _open(path) as handle:
        try:
            texts = [_decode(raw) for raw in handle]
        except (OSError, EOFError) as exc:  # a damaged .gz
            raise QueueLogFileError(f"cannot read the file: {exc}", file=source) from None
    if any("\x00" in text for text in texts[:50]):
        raise QueueLogFileError("not a text file (a queue_log is text)", file=source)
    yield from parse_lines(texts, source=source, zone=zone)


def parse_lines(
    texts: Iterable[str], *, source: str, zone: datetime.tzinfo
) -> Iterator[Line | Problem]:
    """Records of queue_log text (the file or a table export, told apart by a header line)."""
    table: _Table | None = None
    first = True
    for number, raw in enumerate(texts, start=1):
        text = raw.rstrip("\r\n")
        if not text.strip():
            continue
        if first:
            first = False
            table = _Table.from_header(text)
            if table is not None:
                continue
        try:
            if table is not None:
                if _RULE.fullmatch(text) or _FOOTER.fullmatch(text.strip()):
                    continue
                fields = table.fields(text)
            else:
                fields = text.split("|")
            yield _line(fields, source, number, zone)
        except UnreadableLineError as exc:
            yield Problem(source, number, str(exc))


def _line(fields: list[str], source: str, number: int, zone: datetime.tzinfo) -> Line:
    if len(fields) < 5:
        raise UnreadableLineError(
            f"expected time|callid|queuename|agent|event[|data…], found {len(fields)} field(s)"
        )
    event = fields[4].strip()
    if not _EVENT.fullmatch(event):
        raise UnreadableLineError(f"event name {quoted(event)} is not an event")
    return Line(
        source=source,
        number=number,
        at=parse_time(fields[0], zone),
        callid=fields[1].strip(),
        queue=fields[2].strip(),
        agent=fields[3].strip(),
        event=event.upper(),
        data=tuple(fields[5:]),
    )


@dataclass(frozen=True, slots=True)
class _Table:
    """A realtime-table export: where each column is, and how a row is split."""

    delimiter: str
    positions: tuple[int, ...]  # of time, callid, queuename, agent, event
    data: tuple[int, ...]  # of data, or data1…data5, in order
    width: int

    @classmethod
    def from_header(cls, text: str) -> _Table | None:
        delimiter = "\t" if "\t" in text else "," if "," in text else "|"
        try:
            parts = _split(text, delimiter)
        except UnreadableLineError:
            return None
        names = [_ALIASES.get(n, n) for n in (p.strip().lower() for p in parts)]
        if not set(_COLUMNS) <= set(names):
            return None
        data = [names.index(n) for n in ("data", *(f"data{i}" for i in range(1, 6))) if n in names]
        return cls(delimiter, tuple(names.index(c) for c in _COLUMNS), tuple(data), len(names))

    def fields(self, text: str) -> list[str]:
        parts = _split(text, self.delimiter)
        if self.delimiter == "|" and len(parts) > self.width:
            # psql output: an old single `data` column holds `|` itself; it is the last column
            parts = [*parts[: self.width - 1], "|".join(parts[self.width - 1 :])]
        if len(parts) < self.width:
            raise UnreadableLineError(f"expected {self.width} columns, found {len(parts)}")
        head = [parts[i].strip() for i in self.positions]
        values = [parts[i].strip() for i in self.data]
        while values and not values[-1]:
            values.pop()
        # data1…data5 keep an ATTENDEDTRANSFER's sixth part inside data5: split everything again
        return [*head, *"|".join(values).split("|")] if values else head


def _split(text: str, delimiter: str) -> list[str]:
    if delimiter == "|":
        return text.split("|")
    try:
        return next(csv.reader([text], delimiter=delimiter), [])
    except csv.Error as exc:
        raise UnreadableLineError(f"not a {delimiter!r}-separated row: {exc}") from None
