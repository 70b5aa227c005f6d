"""Work-order tests: storage and API on SQLite and PostgreSQL (tests/support/postgres.py)."""

from tests.support.postgres import database_url, postgres

__all__ = ["database_url", "postgres"]
