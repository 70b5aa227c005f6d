"""Opening a database: created on first open, migrated once, clear errors for bad URLs."""

from __future__ import annotations

import socket

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from hotline.core.errors import HotlineError
from hotline.routing.events import ContactOffered
from hotline.store.db import Database, EventLog, StoreError, Users
from hotline.store.db.kb import is_declared
from hotline.store.db.schema import Base
from tests.store.events import sample


def test_opening_twice_keeps_the_data_and_the_schema(database_url):
    with Database.open(database_url) as db:
        assert db.schema_revisions() == Database.migration_heads() != frozenset()
        Users(db).create("admin", "hash", "admin")
        with EventLog(db).writer() as writer:
            writer.append(sample(ContactOffered))
    with Database.open(database_url) as db:
        assert db.schema_revisions() == Database.migration_heads()
        assert [u.username for u in Users(db).list()] == ["admin"]
        assert EventLog(db).count() == 1


def test_the_migration_builds_exactly_the_declared_tables(database_url):
    with Database.open(database_url) as db, db.engine.connect() as connection:
        # the knowledge base's full-text index (FTS5 tables, tsvector columns) is the
        # migration's own, not declared as tables
        context = MigrationContext.configure(connection, opts={"include_object": is_declared})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_sqlite_file_is_created_in_wal_mode(tmp_path):
    path = tmp_path / "new.db"
    with Database.open(f"sqlite:///{path}") as db:
        assert path.is_file()
        with db.engine.connect() as connection:
            assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(sa.text("PRAGMA synchronous")).scalar() == 1  # NORMAL
            assert connection.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("not a url", "bad database URL"),
        ("mysql://root@localhost/hotline", "unsupported database 'mysql'"),
        ("postgresql+asyncpg://u@localhost/db", "psycopg"),
        ("sqlite://", "SQLite needs a file"),
        ("sqlite:////no/such/dir/hotline.db", "directory /no/such/dir does not exist"),
    ],
)
def test_bad_urls_get_a_clear_store_error(url, words):
    with pytest.raises(StoreError, match=words) as caught:
        Database.open(url)
    assert isinstance(caught.value, HotlineError)
    assert caught.value.error_id == "store-error"


def test_an_unreachable_server_is_one_clear_line():
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(StoreError) as caught:
        Database.open(f"postgresql+psycopg://hotline:secret@127.0.0.1:{port}/hotline")
    message = str(caught.value)
    assert message.startswith(
        f"cannot connect to postgresql+psycopg://hotline:***@127.0.0.1:{port}"
    )
    assert "secret" not in message
    assert "\n" not in message
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__
