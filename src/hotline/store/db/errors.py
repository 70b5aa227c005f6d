"""Errors of the database store: one family under `HotlineError`, each with a stable id."""

from __future__ import annotations

from hotline.core.errors import HotlineError


class StoreError(HotlineError):
    """The database cannot be opened, read or written (bad URL, server down, broken row)."""

    error_id = "store-error"


class DuplicateError(StoreError):
    """A record with the same unique key (username, account …) already exists."""

    error_id = "duplicate-record"


class UnknownEventKindError(StoreError):
    """A stored event's kind has no registered event class (its module is not imported)."""

    error_id = "unknown-event-kind"


class WriterStoppedError(StoreError):
    """The event writer failed or was closed; events appended now would be lost."""

    error_id = "event-writer-stopped"
