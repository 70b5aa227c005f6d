"""Figures are checked on every engine: SQLite, PostgreSQL (a throw-away server) and
DuckDB over a Parquet event file, each loaded with the same events."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from hotline.core.events import Event
from hotline.store.analytics import ParquetSource
from hotline.store.db import Database, EventLog
from hotline.store.eventfile import EventFileWriter
from tests.support.postgres import PostgresServer, postgres

__all__ = ["postgres"]

ENGINES = ["sqlite", "postgresql", "duckdb"]
Source = Database | ParquetSource
Loader = Callable[[Sequence[Event]], Source]


def load_database(url: str, events: Sequence[Event]) -> Database:
    db = Database.open(url)
    with EventLog(db).writer() as writer:
        for event in events:
            writer.append(event)
    return db


def write_parquet(path: Path, events: Sequence[Event]) -> ParquetSource:
    with EventFileWriter(path) as writer:
        for event in events:
            writer(event)
    return ParquetSource.at(path)


def _loader(engine: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Loader]:
    opened: list[Database] = []
    count = iter(range(1000))

    def load(events: Sequence[Event]) -> Source:
        n = next(count)
        if engine == "duckdb":
            return write_parquet(tmp_path / f"events{n}.parquet", events)
        if engine == "sqlite":
            url = f"sqlite:///{tmp_path / f'hotline{n}.db'}"
        else:
            server: PostgresServer = request.getfixturevalue("postgres")
            url = server.create_database()
        db = load_database(url, events)
        opened.append(db)
        return db

    yield load
    for db in opened:
        db.close()


@pytest.fixture(params=ENGINES)
def load(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Loader]:
    """`load(events)` gives a source holding exactly those events, on each engine."""
    yield from _loader(request.param, request, tmp_path)


@pytest.fixture
def load_on(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[str], Loader]]:
    """`load_on(engine)(events)`: a source on a named engine (to compare engines)."""
    made: list[Iterator[Loader]] = []

    def on(engine: str) -> Loader:
        generator = _loader(engine, request, tmp_path / engine)
        (tmp_path / engine).mkdir(exist_ok=True)
        made.append(generator)
        return next(generator)

    yield on
    for generator in made:
        next(generator, None)
