"""Import tests write to SQLite and a real PostgreSQL server (see tests/support/postgres.py)."""

from tests.support.postgres import database_url, postgres

__all__ = ["database_url", "postgres"]
