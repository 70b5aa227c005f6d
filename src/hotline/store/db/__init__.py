"""The database store: schema and migrations, the event log, the calls ledger, repositories.

SQLite (a file, WAL mode) is the embedded default; PostgreSQL is reached with a
``postgresql+psycopg://`` URL. See docs/storage.md.
"""

# the tables of each product area register on the shared metadata when imported
import hotline.store.db.crm
import hotline.store.db.orders
import hotline.store.db.sip
import hotline.store.db.verdicts  # noqa: F401
from hotline.features import import_all
from hotline.store.db.database import Database
from hotline.store.db.errors import (
    DuplicateError,
    StoreError,
    UnknownEventKindError,
    WriterStoppedError,
)
from hotline.store.db.eventlog import EventLog, StoredEvent
from hotline.store.db.ledger import CallLedger
from hotline.store.db.records import (
    Agent,
    AuditEntry,
    CallRecord,
    ConfigDocument,
    Customer,
    Queue,
    Skill,
    User,
)
from hotline.store.db.repositories import (
    Agents,
    Audit,
    Calls,
    ConfigDocuments,
    Customers,
    Queues,
    Skills,
    Users,
)
from hotline.store.db.writer import BatchWriter, CommitListener

EventWriter = BatchWriter

__all__ = [
    "Agent",
    "Agents",
    "Audit",
    "AuditEntry",
    "BatchWriter",
    "CallLedger",
    "CallRecord",
    "Calls",
    "CommitListener",
    "ConfigDocument",
    "ConfigDocuments",
    "Customer",
    "Customers",
    "Database",
    "DuplicateError",
    "EventLog",
    "EventWriter",
    "Queue",
    "Queues",
    "Skill",
    "Skills",
    "StoreError",
    "StoredEvent",
    "UnknownEventKindError",
    "User",
    "Users",
    "WriterStoppedError",
]

# the features' tables too (`hotline.features`: each feature's store module); last, as
# they build on the modules above
import_all(lambda feature: feature.tables)
