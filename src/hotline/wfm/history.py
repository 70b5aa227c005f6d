"""The history a forecast learns from: calls offered, answered, talk and after-call time per
half hour per queue, from interval rows, a CSV of interval counts or the event log.

An `IntervalCount` is the figure the reports compute per queue and half hour
(`hotline.store.analytics`, grouped by queue and interval): ``q_offered`` (queue
contacts, by the half hour they queued in), ``q_answered``, and the conversation legs'
``leg_talk`` and ``leg_acw`` (by the half hour the leg began). `build_history` lays the
rows on a grid of days × 48 half hours; a half hour without a row had no calls, a day
without any row for any queue is *missing* (a gap, unless the calendar says the
centre was closed).
"""

from __future__ import annotations

import csv
import datetime
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from hotline.core.errors import HotlineError
from hotline.core.events import Event

__all__ = [
    "CSV_COLUMNS",
    "SLOTS_PER_DAY",
    "ForecastError",
    "History",
    "HistoryInputError",
    "IntervalCount",
    "IntervalFold",
    "QueueHistory",
    "build_history",
    "parse_interval_csv",
    "read_interval_csv",
    "rows_from_events",
    "write_interval_csv",
]

SLOTS_PER_DAY = 48
SLOT_SECONDS = 1800

Matrix = npt.NDArray[np.float64]


class ForecastError(HotlineError):
    """A forecast cannot be made from this input; the message says why."""

    error_id = "forecast-error"


class HistoryInputError(ForecastError):
    """An interval row or CSV line is malformed; `details` name file, line and column."""

    error_id = "forecast-bad-history"


@dataclass(frozen=True, slots=True)
class IntervalCount:
    """One queue's figures for the half hour starting at `start` (the centre's local
    wall-clock time, on :00 or :30). Seconds are totals over the interval's calls."""

    queue: str
    start: datetime.datetime
    offered: int
    answered: int = 0
    talk_seconds: float = 0.0
    wrap_up_seconds: float = 0.0

    def problem(self) -> tuple[str, str] | None:
        """(column, reason) when the row is not a valid interval count, else None."""
        if not self.queue:
            return "queue", "queue is empty"
        if self.start.minute % 30 or self.start.second or self.start.microsecond:
            return "interval_start", f"{self.start:%Y-%m-%d %H:%M:%S} is not on :00 or :30"
        if self.offered < 0 or self.answered < 0:
            return ("offered" if self.offered < 0 else "answered"), "counts must be >= 0"
        if self.answered > self.offered:
            return "answered", f"answered {self.answered} > offered {self.offered}"
        for name, value in (("talk_seconds", self.talk_seconds),
                            ("wrap_up_seconds", self.wrap_up_seconds)):  # fmt: skip
            if not math.isfinite(value) or value < 0:
                return name, f"{name} must be finite and >= 0, got {value!r}"
        return None


@dataclass(frozen=True, slots=True)
class QueueHistory:
    """One queue's figures, each a (days, 48) matrix; row i is `first_day` + i."""

    queue: str
    offered: Matrix
    answered: Matrix
    talk_seconds: Matrix
    wrap_up_seconds: Matrix


@dataclass(frozen=True, slots=True)
class History:
    """Every queue's figures from `first_day` to `last_day` (inclusive)."""

    first_day: datetime.date
    last_day: datetime.date
    queues: Mapping[str, QueueHistory]
    missing: frozenset[datetime.date]
    """Days with no row at all for any queue."""

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def day(self, index: int) -> datetime.date:
        return self.first_day + datetime.timedelta(days=index)

    def index(self, day: datetime.date) -> int:
        return (day - self.first_day).days

    def queue(self, name: str) -> QueueHistory:
        """The queue's history; raises `ForecastError` naming the known queues."""
        found = self.queues.get(name)
        if found is None:
            known = ", ".join(sorted(self.queues)) or "none"
            raise ForecastError(f"no history for queue {name!r} (queues: {known})", queue=name)
        return found


def build_history(
    rows: Iterable[IntervalCount],
    *,
    first_day: datetime.date | None = None,
    last_day: datetime.date | None = None,
) -> History:
    """Lay `rows` on a day × half-hour grid from `first_day` to `last_day` (default: the
    rows' own span); rows outside the span are ignored.

    Raises `HistoryInputError` for an invalid row or one queue and half hour given
    twice, and `ForecastError` when no row is left (naming the span when one is given).
    """
    kept: list[IntervalCount] = []
    seen: set[tuple[str, datetime.datetime]] = set()
    for number, row in enumerate(rows, start=1):
        problem = row.problem()
        if problem is not None:
            raise HistoryInputError(
                f"row {number} ({row.queue}): {problem[1]}", row=number, column=problem[0]
            )
        key = (row.queue, row.start)
        if key in seen:
            raise HistoryInputError(
                f"row {number}: queue {row.queue!r} at {row.start:%Y-%m-%d %H:%M} given twice",
                row=number,
            )
        seen.add(key)
        day = row.start.date()
        if (first_day is None or day >= first_day) and (last_day is None or day <= last_day):
            kept.append(row)
    if not kept:
        span = f" between {first_day} and {last_day}" if first_day or last_day else ""
        raise ForecastError(f"no interval rows in the history{span}")
    first = first_day or min(r.start.date() for r in kept)
    last = last_day or max(r.start.date() for r in kept)
    days = (last - first).days + 1
    grids: dict[str, list[Matrix]] = {}
    present = np.zeros(days, dtype=bool)
    for row in kept:
        grid = grids.setdefault(row.queue, [np.zeros((days, SLOTS_PER_DAY)) for _ in range(4)])
        d = (row.start.date() - first).days
        s = row.start.hour * 2 + row.start.minute // 30
        present[d] = True
        grid[0][d, s] = row.offered
        grid[1][d, s] = row.answered
        grid[2][d, s] = row.talk_seconds
        grid[3][d, s] = row.wrap_up_seconds
    queues = {q: QueueHistory(q, *g) for q, g in sorted(grids.items())}
    missing = frozenset(first + datetime.timedelta(days=int(i)) for i in np.flatnonzero(~present))
    return History(first, last, queues, missing)


CSV_COLUMNS = ("queue", "interval_start", "offered", "answered", "talk_seconds",
               "wrap_up_seconds")  # fmt: skip
"""The interval CSV's header; the first three are required, the others default to 0."""
_REQUIRED = CSV_COLUMNS[:3]


def read_interval_csv(path: Path) -> list[IntervalCount]:
    """The rows of an interval CSV (UTF-8, comma-separated, a header naming `CSV_COLUMNS`
    in any order; ``interval_start`` as ``2024-03-04 08:30`` in local time).

    Raises `HistoryInputError` naming the file, line and column of the first bad value.
    """
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise HistoryInputError(f"{source}: cannot read the file: {exc}", file=source) from None
    return parse_interval_csv(text, source)


def parse_interval_csv(text: str, source: str) -> list[IntervalCount]:
    """As `read_interval_csv`, from the file's text (an upload); `source` names it in errors."""
    reader = csv.reader(text.lstrip("\ufeff").splitlines())
    header = [name.strip().lower() for name in next(reader, [])]
    absent = [name for name in _REQUIRED if name not in header]
    if absent:
        raise HistoryInputError(
            f"{source}:1: missing column(s) {', '.join(absent)} (header: {', '.join(header)})",
            file=source, line=1, column=absent[0],
        )  # fmt: skip
    where = {name: header.index(name) for name in CSV_COLUMNS if name in header}
    rows: list[IntervalCount] = []
    for line, fields in enumerate(reader, start=2):
        if not any(f.strip() for f in fields):
            continue

        def bad(column: str, why: str, line: int = line) -> HistoryInputError:
            return HistoryInputError(
                f"{source}:{line}: column {column}: {why}", file=source, line=line, column=column
            )

        def cell(column: str, fields: list[str] = fields) -> str:
            i = where.get(column)
            return fields[i].strip() if i is not None and i < len(fields) else ""

        try:
            start = datetime.datetime.fromisoformat(cell("interval_start"))
        except ValueError:
            raise bad(
                "interval_start", f"{cell('interval_start')!r} is not a date and time"
            ) from None
        values: dict[str, float] = {}
        for column in CSV_COLUMNS[2:]:
            raw = cell(column)
            if not raw and column != "offered":
                values[column] = 0.0
                continue
            try:
                values[column] = float(raw)
            except ValueError:
                raise bad(column, f"{raw!r} is not a number") from None
            if column in ("offered", "answered") and not values[column].is_integer():
                raise bad(column, f"{raw!r} is not a whole number of calls")
        row = IntervalCount(
            queue=cell("queue"),
            start=start.replace(tzinfo=None),
            offered=int(values["offered"]),
            answered=int(values["answered"]),
            talk_seconds=values["talk_seconds"],
            wrap_up_seconds=values["wrap_up_seconds"],
        )
        problem = row.problem()
        if problem is not None:
            raise bad(*problem)
        rows.append(row)
    return rows


def rows_from_events(events: Iterable[Event], zone: datetime.tzinfo) -> list[IntervalCount]:
    """Interval rows folded from the event log (the engine's, or a queue_log converted by
    `hotline.interop.queue_log.convert`); see `IntervalFold` for the rules."""
    fold = IntervalFold(zone)
    for event in events:
        fold(event)
    return fold.rows()


class IntervalFold:
    """Folds events one at a time into interval rows (a bus subscriber, so a long
    simulation never holds its events), by the rules of the reports:

    - offered: each ``contact.queued``, in its queue and the half hour it queued in;
    - answered: each ``contact.answered``, counted in its contact's queue and half hour;
    - talk: each ``contact.completed`` / ``contact.transferred`` leg's talk, in the leg's
      queue and the half hour it began (the event's time minus its talk);
    - after-call work: the agent's ``wrap_up`` state that starts when a leg ends, until
      the agent's next state change, added to that leg's interval.

    Times are read in `zone`; events must come in the log's order.
    """

    def __init__(self, zone: datetime.tzinfo) -> None:
        self.zone = zone
        self.cells: dict[tuple[str, datetime.datetime], list[float]] = {}
        self._contact: dict[str, tuple[str, datetime.datetime]] = {}
        self._leg_ended: dict[tuple[str, str], tuple[float, tuple[str, datetime.datetime]]] = {}
        self._wrapping: dict[str, tuple[float, tuple[str, datetime.datetime]]] = {}

    def _slot(self, at: float) -> datetime.datetime:
        local = datetime.datetime.fromtimestamp(at, self.zone).replace(tzinfo=None)
        return local.replace(minute=local.minute - local.minute % 30, second=0, microsecond=0)

    def _add(self, key: tuple[str, datetime.datetime], index: int, value: float) -> None:
        self.cells.setdefault(key, [0.0, 0.0, 0.0, 0.0])[index] += value

    def __call__(self, event: Event) -> None:
        kind = event.kind
        call = str(getattr(event, "call", ""))
        if kind == "contact.queued":
            key = (str(getattr(event, "queue", "")), self._slot(event.at))
            self._contact[call] = key
            self._add(key, 0, 1)
        elif kind == "contact.answered" and call in self._contact:
            self._add(self._contact[call], 1, 1)
        elif kind in ("contact.completed", "contact.transferred"):
            talk = float(getattr(event, "talk", 0.0))
            key = (str(getattr(event, "queue", "")), self._slot(event.at - talk))
            self._add(key, 2, talk)
            self._leg_ended[(str(getattr(event, "agent", "")), call)] = (event.at, key)
        elif kind == "agent.state_changed":
            agent = str(getattr(event, "agent", ""))
            open_wrap = self._wrapping.pop(agent, None)
            if open_wrap is not None:
                self._add(open_wrap[1], 3, event.at - open_wrap[0])
            state = getattr(getattr(event, "state", None), "value", getattr(event, "state", ""))
            ended = self._leg_ended.pop((agent, call), None)
            if state == "wrap_up" and ended is not None and ended[0] == event.at:
                self._wrapping[agent] = (event.at, ended[1])

    def rows(self) -> list[IntervalCount]:
        return [
            IntervalCount(q, start, int(v[0]), min(int(v[1]), int(v[0])), v[2], v[3])
            for (q, start), v in sorted(self.cells.items())
        ]


def write_interval_csv(rows: Iterable[IntervalCount], path: Path) -> int:
    """Write interval rows as the CSV `read_interval_csv` reads; the number written."""
    written = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for row in rows:
            start = f"{row.start:%Y-%m-%d %H:%M}"
            talk, wrap = round(row.talk_seconds, 1), round(row.wrap_up_seconds, 1)
            writer.writerow((row.queue, start, row.offered, row.answered, talk, wrap))
            written += 1
    return written
