"""An existing database gains ``users.department`` and ``orders.source`` (0004_departments).

The database is built as the previous release left it — 0004 undone, with a user and an
order in it — then opened as usual: the user has no department, the order came by phone
(every order before this release was recorded from a call), and both columns are written
and read back afterwards.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from hotline.orders.model import OrderSource
from hotline.store.db import Database, Users
from hotline.store.db.database import _alembic_config
from hotline.store.db.orders import Orders


def test_an_existing_database_gains_departments_and_sources(database_url: str) -> None:
    with Database.open(database_url) as db, db.engine.begin() as connection:
        config = _alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0003_orders_idempotency")
        inspector = sa.inspect(connection)
        assert "department" not in {c["name"] for c in inspector.get_columns("users")}
        assert "source" not in {c["name"] for c in inspector.get_columns("orders")}
        connection.execute(
            sa.text(
                "INSERT INTO users (username, display_name, role, password_hash, agent_id,"
                " active, created_at) VALUES ('old', '', 'qa', 'hash', NULL, :yes, 1.0)"
            ),
            {"yes": True},
        )
        connection.execute(
            sa.text(
                "INSERT INTO orders (type, state, department, fields, caller, call, created_by,"
                " created_at, updated_at, anonymous, round, version) VALUES ('query',"
                " 'accepted', NULL, '{}', '13800138000', 'c1', '9001', 1.0, 1.0, :no, 1, 1)"
            ),
            {"no": False},
        )
    with Database.open(database_url) as db:
        assert db.schema_revisions() == Database.migration_heads()
        users = Users(db)
        old = users.get("old")
        assert old is not None
        assert old.department is None
        changed = users.update("old", role="department", department="repair")
        assert (changed.role, changed.department) == ("department", "repair")
        (order,) = Orders(db).list()
        assert order.source is OrderSource.PHONE
        assert order.call == "c1"
