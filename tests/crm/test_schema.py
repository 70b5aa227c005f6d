"""The 0002_crm migration builds exactly the CRM tables declared in hotline.store.db.crm."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from hotline.store.db import Database
from hotline.store.db.crm import CrmAccountRow
from hotline.store.db.schema import Base

CRM_TABLES = {"crm_accounts", "crm_phones", "crm_list_changes", "crm_import_batches"}


def _tables(difference: object) -> set[str]:
    """The names of the tables a difference (or a group of column differences) is about."""
    names: set[str] = set()
    items = difference if isinstance(difference, list) else [difference]
    for item in items:
        for part in item:
            name = getattr(part, "name", None) if hasattr(part, "columns") else None
            if name is None and isinstance(part, str) and part in CRM_TABLES:
                name = part
            table = getattr(part, "table", None)
            if table is not None and hasattr(table, "name"):
                names.add(table.name)
            if name:
                names.add(name)
    return names


def test_the_crm_migration_matches_the_declared_tables(database_url):
    assert CrmAccountRow.__tablename__ in Base.metadata.tables
    with Database.open(database_url) as db, db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in differences if _tables(d) & CRM_TABLES] == []
    assert "0002_crm" in db.schema_revisions()
