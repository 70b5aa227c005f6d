"""The flat events relation the figures read: one row per event, one typed column per field.

This is the only place where the engines differ in what they read. In the database the
fields besides `call`, `agent` and `queue` sit in the `data` JSON (SQLite
`json_extract`, PostgreSQL `data->>'x'` with a cast); an event file (Parquet) has them
as columns already. The time column is `ts` (`at` is a keyword in DuckDB); `seq` orders
events as they were published: the row id in the database, the file and row number in
Parquet files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

# field -> SQL type of the column in the relation ("order" and "type" are renamed)
FIELDS: Mapping[str, str] = {
    "caller": "text",
    "tier": "text",
    "waited": "double",
    "rang": "double",
    "talk": "double",
    "state": "text",
    "reason": "text",
    "outcome": "text",
    "to_queue": "text",
    "action": "text",
    "task": "text",
    "due": "double",
    "result": "text",
    "score": "int",
    "order": "int",
    "type": "text",
    "department": "text",
}
RENAMED = {"order": "order_no", "type": "otype"}

KINDS = (
    "call.arrived", "call.ended", "ivr.entered",
    "call.originated", "call.outbound_answered", "call.outbound_failed",
    "contact.queued", "contact.answered", "contact.abandoned", "contact.left",
    "contact.timed_out", "contact.overflowed", "contact.transferred", "contact.completed",
    "consult.ended", "agent.state_changed", "callback.created", "callback.closed",
    "survey.scored", "order.created", "order.assigned", "order.answered", "order.reopened",
    "order.visit_scheduled", "order.visited",
)  # fmt: skip
"""The kinds any figure reads; the others are never loaded."""

QUEUE_KINDS = (
    "call.arrived", "call.ended", "ivr.entered", "callback.created", "call.originated",
    "contact.queued", "contact.answered", "contact.abandoned", "contact.left",
    "contact.timed_out", "contact.overflowed",
)  # fmt: skip
"""The kinds the calls and queue facts read (the live wallboard's counts)."""


def _kinds(kinds: Sequence[str]) -> str:
    return ", ".join(f"'{k}'" for k in kinds)


def _json(dialect: str, name: str, kind: str) -> str:
    if dialect == "sqlite":
        return f"json_extract(data, '$.{name}')"
    text = f"(data->>'{name}')"
    return {"text": text, "double": f"{text}::double precision", "int": f"{text}::bigint"}[kind]


def database_events(dialect: str, lo: float, hi: float, kinds: Sequence[str] = KINDS) -> str:
    """SELECT of the flat relation from the `events` table, events in [lo, hi)."""
    columns = ", ".join(
        f"{_json(dialect, name, kind)} AS {RENAMED.get(name, name)}"
        for name, kind in FIELDS.items()
    )
    return (
        f"SELECT id AS seq, at AS ts, kind, call, agent, queue, {columns} FROM events "
        f"WHERE at >= {lo!r} AND at < {hi!r} AND kind IN ({_kinds(kinds)})"
    )


_DUCK_TYPES = {"text": "VARCHAR", "double": "DOUBLE", "int": "BIGINT"}


def _quote_path(path: str) -> str:
    return "'" + path.replace("'", "''") + "'"


def parquet_events(
    files: Sequence[tuple[str, frozenset[str]]], lo: float, hi: float, kinds: Sequence[str] = KINDS
) -> str:
    """SELECT of the flat relation from event files (each with the columns it has; a column
    an older file lacks reads as NULL), events in [lo, hi)."""
    parts = []
    for index, (path, present) in enumerate(files):
        columns = []
        for name in ("call", "agent", "queue", *FIELDS):
            kind = FIELDS.get(name, "text")
            out = RENAMED.get(name, name)
            source = f'CAST("{name}" AS {_DUCK_TYPES[kind]})' if name in present else "NULL"
            columns.append(f"{source} AS {out}")
        parts.append(
            f"SELECT CAST({index} AS BIGINT) * 1000000000000 + file_row_number AS seq, "
            f'"at" AS ts, kind, {", ".join(columns)} '
            f"FROM read_parquet({_quote_path(path)}, file_row_number = true) "
            f'WHERE "at" >= {lo!r} AND "at" < {hi!r} AND kind IN ({_kinds(kinds)})'
        )
    return " UNION ALL ".join(parts)
