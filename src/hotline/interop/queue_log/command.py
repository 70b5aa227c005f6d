"""The command line's side of `hotline import queue-log`: flags to settings, the report out."""

from __future__ import annotations

import sys
import zoneinfo
from collections.abc import Sequence
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

    Returns 0 when every line was imported, 1 when some were not (the rest was).
    A dry run reads and converts without opening the database (callers' tiers
    then stay ``ordinary``).
    Raises `HotlineError` subclasses for what stops the import (exit status 2).
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
        with Database.open(url) as db:
            conversion = import_queue_log(files, settings, db)
    report = conversion.report
    for line in report.problem_lines():
        print(line, file=sys.stderr)
    for line in report.lines(settings.zone):
        print(line)
    return 1 if report.problems else 0
