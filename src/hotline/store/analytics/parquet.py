"""Event files for large histories: export the database's log to Parquet (one file per
local day, the event-file layout of `hotline simulate --events`), and name a set of
such files as a source DuckDB reads."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from hotline.store.db import Database, EventLog, StoreError
from hotline.store.eventfile import EventFileWriter

EXPORT_CHUNK = 50_000


@dataclass(frozen=True, slots=True)
class ParquetSource:
    """Event files read by DuckDB, in name order (name them so that order is time order:
    `export_events` writes `events-YYYY-MM-DD.parquet`). `threads`: DuckDB's threads
    (default: one per core)."""

    paths: tuple[Path, ...]
    threads: int | None = None

    @classmethod
    def at(cls, path: str | os.PathLike[str], threads: int | None = None) -> ParquetSource:
        """One `.parquet` file, or every `.parquet` file of a directory; raises `StoreError`
        when there is none."""
        where = Path(path)
        if where.is_dir():
            files = tuple(sorted(where.glob("*.parquet")))
            if not files:
                raise StoreError(f"{where}: no .parquet event files in this directory")
            return cls(files, threads)
        if where.is_file() and where.suffix.lower() == ".parquet":
            return cls((where,), threads)
        raise StoreError(f"{where}: not a .parquet event file or a directory of them")

    def columns(self) -> list[tuple[str, frozenset[str]]]:
        """Each file with the columns it has (older files may lack newer fields)."""
        import pyarrow.parquet as pq

        found = []
        for path in self.paths:
            try:
                names = pq.read_schema(path).names
            except (OSError, ValueError) as exc:
                raise StoreError(f"{path}: not a readable Parquet file ({exc})") from None
            if "at" not in names or "kind" not in names:
                raise StoreError(f"{path}: not an event file (no 'at' and 'kind' columns)")
            found.append((str(path), frozenset(names)))
        return found


def export_events(
    db: Database,
    directory: str | os.PathLike[str],
    timezone: datetime.tzinfo,
    *,
    start: float | None = None,
    end: float | None = None,
) -> list[tuple[Path, int]]:
    """Write the log's events with start <= at < end to one Parquet file per local day in
    `directory` (replacing files of the same name); returns each file and its row count."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    log = EventLog(db)
    written: list[tuple[Path, int]] = []
    writer: EventFileWriter | None = None
    day: datetime.date | None = None
    last = 0
    try:
        while True:
            chunk = log.read(since_id=last, start=start, end=end, limit=EXPORT_CHUNK)
            for stored in chunk:
                event_day = datetime.datetime.fromtimestamp(stored.event.at, timezone).date()
                if writer is None or event_day != day:
                    _close(writer, written)
                    day = event_day
                    writer = EventFileWriter(out / f"events-{day.isoformat()}.parquet")
                writer(stored.event)
            if len(chunk) < EXPORT_CHUNK:
                break
            last = chunk[-1].id
    finally:
        _close(writer, written)
    return written


def _close(writer: EventFileWriter | None, written: list[tuple[Path, int]]) -> None:
    if writer is not None:
        writer.close()
        written.append((writer.path, writer.written))
