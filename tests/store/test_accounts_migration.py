"""An existing database gains the accounts' columns (0002_accounts) when a newer Hotline opens it.

The database is built as the previous release left it — every migration but
``0002_accounts``, with a user in it — then opened as usual: the user keeps their
password, is not asked to change it, and the new columns are there.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from hotline.store.db import Database, Users
from hotline.store.db.database import _alembic_config


def test_an_existing_database_gains_the_accounts_columns(database_url: str) -> None:
    with Database.open(database_url) as db, db.engine.begin() as connection:
        # back to the previous release's schema: the accounts migration undone
        config = _alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "accounts@-1")
        columns = {c["name"] for c in sa.inspect(connection).get_columns("users")}
        assert "must_change_password" not in columns
        connection.execute(
            sa.text(
                "INSERT INTO users (username, display_name, role, password_hash, agent_id,"
                " active, created_at) VALUES ('old', '', 'qa', 'hash', NULL, :yes, 1.0)"
            ),
            {"yes": True},
        )
    with Database.open(database_url) as db:
        assert db.schema_revisions() == Database.migration_heads()
        user = Users(db).get("old")
        assert user is not None
        assert user.password_hash == "hash"
        assert user.must_change_password is False
        assert user.password_changed_at is None
