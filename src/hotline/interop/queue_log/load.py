"""`hotline import queue-log`: read, convert, refuse a second import, write in one transaction.

The story of a write: every line of every file is read and checked first; a log
with a problem anywhere (a broken line, a line that does not fit its call) is not
written at all, so that the corrected log imports afterwards (a partial import
would make it "already in"). Then every event of the import, and the `calls` rows
folded from them, are committed in **one transaction** — all of the import or
none of it. Before writing, the import is refused whole when a call of this log
already has its ``call.arrived`` in the database (the same file imported twice).
The callers' tiers come from the database's customers (the CRM).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Sequence
from pathlib import Path

from hotline.core.events import Event
from hotline.crm.directory import CachedDirectory
from hotline.interop.errors import AlreadyImportedError, ImportWriteError
from hotline.interop.queue_log.convert import Conversion, convert
from hotline.interop.queue_log.lines import read_file
from hotline.interop.queue_log.settings import Settings
from hotline.store.db import (
    Agents,
    BatchWriter,
    CallLedger,
    CommitListener,
    Database,
    EventLog,
    Queues,
    StoreError,
)
from hotline.store.db.crm import CustomerAccounts
from hotline.store.db.writer import Fold

_HOUR = 3600.0
"""The writer's wake-up interval: longer than appending takes, so the batch goes at once."""
_NUMBER = re.compile(r"\d{7,}")
"""A run of digits as long as a phone number: kept out of a refusal's message."""


def import_queue_log(
    paths: Sequence[Path], settings: Settings, db: Database | None = None, *, dry_run: bool = False
) -> Conversion:
    """Read `paths` (rotated parts together, any order), convert, and append to `db`.

    With `db`, callers' tiers come from its customers and its agents and queues
    count as known. Without `db`, with `dry_run`, or when the report lists
    problems (each file:line), nothing is written.
    Raises `QueueLogFileError` (a file cannot be read), `AlreadyImportedError`
    and `ImportWriteError`; in every case nothing was written.
    """
    if db is not None:
        settings = _with_database(settings, db)
    records = itertools.chain.from_iterable(read_file(path, settings.zone) for path in paths)
    conversion = convert(records, settings, files=tuple(str(p) for p in paths))
    if db is None or dry_run or conversion.report.problems:
        return conversion
    report = conversion.report
    if report.first_at is not None and report.last_at is not None:
        twice = already_imported(db, conversion.events, report.first_at, report.last_at)
        if twice:
            shown = ", ".join(twice[:3]) + (", …" if len(twice) > 3 else "")
            raise AlreadyImportedError(
                f"{len(twice):,} of the {report.calls:,} calls of this log are already in "
                f"{db.display_url} ({shown}); nothing was written",
                calls=twice,
            )
    write(db, conversion.events)
    report.written = True
    return conversion


def _with_database(settings: Settings, db: Database) -> Settings:
    agents = frozenset(a.id for a in Agents(db).list())
    queues = frozenset(q.name for q in Queues(db).list())

    def known(configured: frozenset[str] | None, stored: frozenset[str]) -> frozenset[str] | None:
        return configured | stored if configured is not None else (stored or None)

    return dataclasses.replace(
        settings,
        directory=settings.directory or CachedDirectory(CustomerAccounts(db)),
        known_agents=known(settings.known_agents, agents),
        known_queues=known(settings.known_queues, queues),
    )


def already_imported(db: Database, events: Sequence[Event], start: float, end: float) -> list[str]:
    """Calls among `events` whose ``call.arrived`` the database already holds."""
    ours = {getattr(e, "call", "") for e in events if e.kind == "call.arrived"}
    found: set[str] = set()
    log = EventLog(db)
    since = 0
    while True:
        page = log.read(
            since_id=since, kinds=("call.arrived",), start=start, end=end + 1, limit=5000
        )
        found.update(getattr(s.event, "call", "") for s in page)
        if len(page) < 5000:
            return sorted(found & ours)
        since = page[-1].id


def write(
    db: Database,
    events: Sequence[Event],
    *,
    folds: Sequence[Fold] = (),
    on_commit: CommitListener | None = None,
) -> None:
    """Append `events` and fold the `calls` rows (and `folds`), all in one transaction.

    The writer takes its pending events when `batch` of them wait and commits a
    batch in one transaction; with the batch as large as the import and an
    interval longer than appending takes, that is exactly one transaction
    (tests/interop/test_load.py counts the commits).
    `on_commit(first_id, events)` is told of each commit: there is one.
    Raises `ImportWriteError` (rolled back: nothing written); its message is the
    driver's reason alone, long digit runs (callers' numbers a driver may quote) masked.
    """
    if not events:
        return
    writer = BatchWriter(
        db, folds, batch=len(events), interval=_HOUR, on_commit=on_commit, name="hotline-queue-log"
    )
    CallLedger(writer)
    try:
        for event in events:
            writer.append(event)
        writer.flush(timeout=None)  # the one commit; closing first could race its wake-up
        writer.close(timeout=None)
    except StoreError as exc:
        reason = _NUMBER.sub("…", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        raise ImportWriteError(
            f"the database refused the import, nothing was written: {reason}"
        ) from None
