"""Alembic environment: migrate the connection `Database.open` hands over.

Hotline runs migrations programmatically, so there is no alembic.ini and no
logging set-up here: the caller's connection is in `config.attributes`.
"""

from __future__ import annotations

from alembic import context

from hotline.store.db.schema import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata)
with context.begin_transaction():
    context.run_migrations()
