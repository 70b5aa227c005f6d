"""Callback task tests: the API on SQLite and PostgreSQL, the page on the web tests' console."""

from tests.support.postgres import database_url, postgres
from tests.web.conftest import client, tokens

__all__ = ["client", "database_url", "postgres", "tokens"]
