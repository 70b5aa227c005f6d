"""Knowledge-base tests run against SQLite and a real PostgreSQL server."""

from tests.support.postgres import database_url, postgres

__all__ = ["database_url", "postgres"]
