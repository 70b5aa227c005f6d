"""回呼任务 in the database: the event log's callback events, read in batches.

The feature has no table of its own: the tasks are the engine's, and every one of
their changes is an event in the log (``callback.created``, ``voicemail.recorded``,
``callback.closed``).
"""

from __future__ import annotations

from collections.abc import Sequence

from hotline.callbacks.service import CallbackDesk
from hotline.calls.events import VoicemailRecorded
from hotline.core.events import Event
from hotline.orders.service import OrderDesk
from hotline.routing.events import CallbackClosed, CallbackCreated
from hotline.site import Site
from hotline.store.db.database import Database
from hotline.store.db.eventlog import EventLog

KINDS = (CallbackCreated.kind, VoicemailRecorded.kind, CallbackClosed.kind)
BATCH = 5000


class LogSource:
    """`CallbackSource` over the event log."""

    def __init__(self, db: Database) -> None:
        self._log = EventLog(db)

    def read(self, since_id: int) -> Sequence[tuple[int, Event]]:
        found = self._log.read(since_id=since_id, kinds=KINDS, limit=BATCH)
        return [(stored.id, stored.event) for stored in found]


def build_service(site: Site, db: Database, orders: OrderDesk | None) -> CallbackDesk:
    """The callback desk on `db` (the feature's service factory; every site has one)."""
    return CallbackDesk(LogSource(db))


__all__ = ["LogSource", "build_service"]
