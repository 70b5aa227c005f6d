"""The command line's side of `hotline import queue-log`: flags to settings, the report out."""

from __future__ import annotations

import contextlib
import logging
import sys
import zoneinfo
from collections.abc import Iterator, Sequence
from pathlib import Path

from hotline.calls.config import load_hotline
from hotline.interop.errors import InteropError
from hotline.interop.queue_log.load import import_queue_log
from hotline.interop.queue_log.settings import KeyExit, Settings
from hotline.store.db import Database


def run(
    files: Sequence[Path],
    *,
    url: str,
    config: Path | None,
    wrap_up: float,
    timezone: str | None,
    key_exit: KeyExit,
    dry_run: bool,
) -> int:
    """Import, print the report (problems on stderr as file:line: reason).

    Returns 0 when every line was imported, 1 when some lines have problems (then
    nothing was written: the corrected files import afterwards). A dry run reads
    and converts without opening the database (callers' tiers then stay ``ordinary``).
    Raises `HotlineError` subclasses for what stops the import (exit status 2),
    among them `ImportWriteError`, one line, when the database refuses the write.
    """
    if not wrap_up >= 0:
        raise InteropError(f"--wrap-up: must be 0 seconds or more, got {wrap_up}")
    overrides: dict[str, object] = {"default_wrap_up": wrap_up, "key_exit": key_exit}
    if timezone is not None:
        try:
            overrides["zone"] = zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise InteropError(f"--timezone: unknown time zone {timezone!r}") from None
    if config is not None:
        settings = Settings.from_hotline(load_hotline(config), **overrides)
    else:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    for path in files:
        if not path.is_file():
            raise InteropError(f"{path}: no such file")
    if dry_run:  # read and convert only: no database is opened or created
        conversion = import_queue_log(files, settings)
    else:
        with Database.open(url) as db, _writer_quiet():
            conversion = import_queue_log(files, settings, db)
    report = conversion.report
    for line in report.problem_lines():
        print(line, file=sys.stderr)
    for line in report.lines(settings.zone):
        print(line)
    return 1 if report.problems else 0


@contextlib.contextmanager
def _writer_quiet() -> Iterator[None]:
    """Keep the event writer's own log off the terminal while the import writes.

    A refused write is reported once, as `ImportWriteError`; the writer's log record
    would add SQLAlchemy's traceback with the statement's parameters — callers'
    numbers — on stderr of a command that configured no logging.
    """
    writer = logging.getLogger("hotline.store.db.writer")
    quiet = logging.NullHandler()
    propagate = writer.propagate
    writer.addHandler(quiet)
    writer.propagate = False
    try:
        yield
    finally:
        writer.propagate = propagate
        writer.removeHandler(quiet)
