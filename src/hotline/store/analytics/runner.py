"""Run the figures' SQL on one connection: SQLite or PostgreSQL through SQLAlchemy, or an
in-memory DuckDB reading Parquet files.

The figures SQL is the same text on every engine. What differs lives here and in
`hotline.store.analytics.events`: how a scalar maximum is spelled, how the flat
events relation is read (JSON on the databases, columns in Parquet), and how rows
of outside data are inserted.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

import sqlalchemy as sa

from hotline.store.db import Database

TEMP_TABLES = (
    "hl_ev", "hl_misc", "hl_st", "hl_on", "hl_end", "hl_leg", "hl_cw", "hl_contact", "hl_call",
    "hl_b", "hl_team", "hl_shift", "hl_split",
)  # fmt: skip


class Runner(Protocol):
    dialect: str

    def execute(self, sql: str) -> None: ...

    def fetch(self, sql: str) -> list[tuple[Any, ...]]: ...

    def insert(self, table: str, rows: Sequence[tuple[Any, ...]]) -> None: ...


def greatest(dialect: str, a: str, b: str) -> str:
    return f"MAX({a}, {b})" if dialect == "sqlite" else f"GREATEST({a}, {b})"


def least(dialect: str, a: str, b: str) -> str:
    return f"MIN({a}, {b})" if dialect == "sqlite" else f"LEAST({a}, {b})"


class SqlRunner:
    """SQLite or PostgreSQL: one connection, one transaction rolled back at the end, and
    the temporary tables dropped (SQLite's driver commits DDL by itself)."""

    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection
        self.dialect = connection.dialect.name

    def execute(self, sql: str) -> None:
        self.connection.exec_driver_sql(sql)

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.connection.exec_driver_sql(sql)]

    def insert(self, table: str, rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        names = ", ".join(f":c{i}" for i in range(len(rows[0])))
        statement = sa.text(f"INSERT INTO {table} VALUES ({names})")
        self.connection.execute(
            statement, [{f"c{i}": v for i, v in enumerate(row)} for row in rows]
        )


@contextmanager
def sql_runner(db: Database) -> Iterator[SqlRunner]:
    with db.engine.connect() as connection:
        runner = SqlRunner(connection)
        _drop(runner)
        try:
            yield runner
        finally:
            connection.rollback()
            _drop(runner)
            connection.commit()


def _drop(runner: Runner) -> None:
    for table in TEMP_TABLES:
        runner.execute(f"DROP TABLE IF EXISTS {table}")


class DuckRunner:
    """An in-memory DuckDB connection (the Parquet files are read where they lie)."""

    dialect = "duckdb"

    def __init__(self, threads: int | None = None) -> None:
        import duckdb

        self.connection = duckdb.connect(":memory:")
        self.connection.execute("SET preserve_insertion_order = false")  # rows carry seq
        if threads is not None:
            self.connection.execute(f"SET threads = {int(threads)}")

    def execute(self, sql: str) -> None:
        self.connection.execute(sql)

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.connection.execute(sql).fetchall()]

    def insert(self, table: str, rows: Sequence[tuple[Any, ...]]) -> None:
        """Through an Arrow table: DuckDB's executemany runs one statement per row."""
        if not rows:
            return
        import pyarrow as pa

        columns = {f"c{i}": list(values) for i, values in enumerate(zip(*rows, strict=True))}
        self.connection.register("hl_rows", pa.table(columns))
        try:
            self.connection.execute(f"INSERT INTO {table} SELECT * FROM hl_rows")
        finally:
            self.connection.unregister("hl_rows")

    def close(self) -> None:
        self.connection.close()
