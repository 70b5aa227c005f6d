"""Errors of the importers: a file that cannot be read at all, an import that was refused."""

from __future__ import annotations

from typing import Any

from hotline.core.errors import HotlineError


class InteropError(HotlineError):
    """Base of the importers' errors."""

    error_id = "interop-error"


class QueueLogFileError(InteropError):
    """A queue_log file cannot be read at all (missing, not text); nothing was written."""

    error_id = "queue-log-unreadable"

    def __init__(self, message: str, *, file: str, **details: Any) -> None:
        super().__init__(f"{file}: {message}", file=file, **details)
        self.file = file


class AlreadyImportedError(InteropError):
    """Calls of this log are already in the database; the import was refused whole."""

    error_id = "queue-log-already-imported"


class ImportWriteError(InteropError):
    """The database refused the import's transaction; nothing was written."""

    error_id = "queue-log-write-failed"
