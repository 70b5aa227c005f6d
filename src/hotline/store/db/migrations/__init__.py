"""Alembic migrations of the Hotline database (run by `Database.open`, not by hand)."""
