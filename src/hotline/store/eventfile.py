"""Write events to a file, Parquet or CSV, one row per event with one column per field.

The columns are the union of every registered event type's fields (`at` and
`kind` first); a field an event does not have is empty. Rows are buffered and
written in batches, so a day of tens of millions of events streams to disk in
constant memory.
"""

from __future__ import annotations

import csv
import dataclasses
import enum
import os
import types
import typing
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from hotline.core.errors import HotlineError
from hotline.core.events import Event, event_types

BATCH = 65_536


class EventFileError(HotlineError):
    error_id = "event-file"


def _column_type(annotation: Any) -> str:
    """'float', 'int', 'bool' or 'string' for a field's annotation (Optional unwrapped)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = args[0] if len(args) == 1 else str
    if annotation is float:
        return "float"
    if annotation is bool:
        return "bool"
    if annotation is int:
        return "int"
    return "string"


def event_columns() -> dict[str, str]:
    """Every column an event file has, with its type, in a stable order."""
    columns: dict[str, str] = {"at": "float", "kind": "string"}
    for kind in sorted(event_types()):
        cls = event_types()[kind]
        hints = typing.get_type_hints(cls)
        for field in dataclasses.fields(cls):
            kind_of = _column_type(hints[field.name])
            previous = columns.get(field.name)
            if previous is None:
                columns[field.name] = kind_of
            elif previous != kind_of:
                columns[field.name] = "string" if "string" in (previous, kind_of) else "float"
    return columns


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


class EventFileWriter:
    """A bus subscriber that writes every event it gets; use as a context manager."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        suffix = self.path.suffix.lower()
        if suffix not in (".parquet", ".csv"):
            raise EventFileError(
                f"{self.path}: unknown event file type {suffix or '(none)'!r}; use .parquet or .csv"
            )
        self.columns = event_columns()
        self._names = list(self.columns)
        self._rows: list[tuple[Any, ...]] = []
        self._fields: dict[type[Event], list[tuple[int, str]]] = {}
        self.written = 0
        self._csv_file: IO[str] | None = None
        self._csv: Any = None
        self._parquet: Any = None
        try:
            if suffix == ".csv":
                self._csv_file = self.path.open("w", newline="", encoding="utf-8")
                self._csv = csv.writer(self._csv_file)
                self._csv.writerow(self._names)
            else:
                import pyarrow as pa
                import pyarrow.parquet as pq

                types = {
                    "float": pa.float64(),
                    "int": pa.int64(),
                    "bool": pa.bool_(),
                    "string": pa.string(),
                }
                self._schema = pa.schema([(n, types[t]) for n, t in self.columns.items()])
                self._parquet = pq.ParquetWriter(str(self.path), self._schema, compression="zstd")
        except OSError as exc:
            raise EventFileError(f"cannot write events to {self.path}: {exc.strerror}") from None

    def __call__(self, event: Event) -> None:
        cls = type(event)
        layout = self._fields.get(cls)
        if layout is None:  # once per event class: which column each field goes to
            names = [f.name for f in dataclasses.fields(event)]
            layout = self._fields[cls] = [(self._names.index(n), n) for n in names]
        row: list[Any] = [None] * len(self._names)
        row[1] = event.kind
        for position, name in layout:
            row[position] = _plain(getattr(event, name))
        self._rows.append(tuple(row))
        if len(self._rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        rows, self._rows = self._rows, []
        if not rows:
            return
        self.written += len(rows)
        if self._csv is not None:
            self._csv.writerows(rows)
            return
        import pyarrow as pa

        arrays = [
            pa.array([r[i] for r in rows], type=self._schema.field(i).type)
            for i in range(len(self._names))
        ]
        self._parquet.write_table(pa.Table.from_arrays(arrays, schema=self._schema))

    def close(self) -> None:
        self.flush()
        if self._csv_file is not None:
            self._csv_file.close()
        if self._parquet is not None:
            self._parquet.close()

    def __enter__(self) -> EventFileWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
