"""Contract tests: storage ports on SQLite and a real PostgreSQL (tests/support/postgres.py)."""

from tests.support.postgres import database_url, postgres

__all__ = ["database_url", "postgres"]
