"""Open a Hotline database (SQLite file or PostgreSQL server) and bring its schema up to date.

`Database.open` is the one way in: it checks the URL, connects once to fail
early with a clear message, sets SQLite up for a single busy writer (WAL,
synchronous=NORMAL, foreign keys) and runs Alembic's `upgrade heads` with the
migrations shipped inside this package, so an installed Hotline needs no
alembic.ini and no working directory of its own.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from hotline.features import features
from hotline.store.db.errors import StoreError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
URL_FORMS = "sqlite:///PATH/hotline.db or postgresql+psycopg://USER[:PASSWORD]@HOST:PORT/DBNAME"


def _alembic_config() -> Config:
    """Migrations from the store's own folder and each feature's (an Alembic branch each)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    folders = [MIGRATIONS / "versions"]
    folders += [f.migrations_folder for f in features() if f.migrations_folder is not None]
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(str(f) for f in folders))
    return config


def _parse(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"bad database URL {url!r}: expected {URL_FORMS}", url=url) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise StoreError(
                f"bad database URL {url!r}: SQLite needs a file (sqlite:///PATH/hotline.db); "
                "an in-memory database cannot be shared with the event writer's thread",
                url=url,
            )
        return parsed
    if backend == "postgresql":
        driver = parsed.get_driver_name()
        if parsed.drivername == "postgresql" or driver == "psycopg":
            return parsed.set(drivername="postgresql+psycopg")
        raise StoreError(
            f"bad database URL {url!r}: PostgreSQL is reached through psycopg 3 "
            f"(postgresql+psycopg://…), not {driver!r}",
            url=url,
        )
    raise StoreError(
        f"bad database URL {url!r}: unsupported database {backend!r}; expected {URL_FORMS}",
        url=url,
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Per connection: WAL lets readers run beside the writer; NORMAL syncs at checkpoints
    only, which keeps every commit across a process crash (not across power loss)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB: the event indexes stay in memory
    cursor.close()


def _reason(exc: BaseException) -> str:
    """The driver's own first line, without SQLAlchemy's statement dump and links."""
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    return lines[0] if lines else type(orig).__name__


class Database:
    """An open database: the SQLAlchemy `engine` and which backend it is."""

    def __init__(self, engine: Engine, url: URL) -> None:
        self.engine = engine
        self.url = url

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    @property
    def display_url(self) -> str:
        """The URL with any password hidden, for messages and logs."""
        return self.url.render_as_string(hide_password=True)

    @classmethod
    def open(cls, url: str) -> Database:
        """Open (creating an SQLite file when needed) and migrate to the newest schema.

        Raises `StoreError` with a one-line reason for a malformed or unsupported
        URL, a missing directory, or a server that cannot be reached.
        """
        parsed = _parse(url)
        if parsed.get_backend_name() == "sqlite":
            path = Path(parsed.database or "")
            if not path.parent.is_dir():
                raise StoreError(
                    f"cannot open SQLite database {path}: directory {path.parent} does not exist",
                    url=url,
                )
            engine = sa.create_engine(
                parsed,
                connect_args={"timeout": 30.0, "check_same_thread": False},
            )
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = sa.create_engine(
                parsed, pool_pre_ping=True, connect_args={"connect_timeout": 10}
            )
        database = cls(engine, parsed)
        try:
            with engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
        except SQLAlchemyError as exc:
            engine.dispose()
            raise StoreError(
                f"cannot connect to {database.display_url}: {_reason(exc)}", url=url
            ) from None
        try:
            database.migrate()
        except SQLAlchemyError as exc:
            engine.dispose()
            raise StoreError(
                f"cannot migrate {database.display_url}: {_reason(exc)}", url=url
            ) from None
        return database

    def migrate(self) -> None:
        """Run every migration not yet applied (Alembic `upgrade heads`); idempotent.

        Each area of the product (events and calls, orders, the knowledge base…) may
        grow its tables on its own branch from ``0001_initial``; every head is applied.
        """
        config = _alembic_config()
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")

    @staticmethod
    def migration_heads() -> frozenset[str]:
        """The newest revision of every migration branch shipped with this Hotline."""
        return frozenset(ScriptDirectory.from_config(_alembic_config()).get_heads())

    def schema_revisions(self) -> frozenset[str]:
        """The Alembic revisions the database is at (empty before the first migration)."""
        with self.engine.connect() as connection:
            inspector = sa.inspect(connection)
            if not inspector.has_table("alembic_version"):
                return frozenset()
            rows = connection.execute(sa.text("SELECT version_num FROM alembic_version"))
            return frozenset(str(value) for (value,) in rows)

    def close(self) -> None:
        """Close every pooled connection; the object must not be used afterwards."""
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
