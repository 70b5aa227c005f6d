"""Reading an import file, CSV or XLSX, into a header and numbered rows of cells.

The format is told by the content, not trusted from the name: an XLSX file is a
ZIP archive (``PK``), anything else is read as CSV text, UTF-8 (with or without
a BOM) or else GB18030 (what Excel in a Chinese locale saves). Row numbers are
those a spreadsheet shows: the header is row 1, the first customer row 2.
Blank rows are skipped. Anything that stops the whole file from being read is
an `ImportFileError` naming the file and the problem.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import openpyxl

from hotline.crm.errors import ImportFileError

Cell = str | int | float | None
MAX_ROWS = 100_000


@dataclass(frozen=True, slots=True)
class Table:
    """A file's header cells and its non-blank rows with their row numbers."""

    format: str  # "csv" or "xlsx"
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]


def read_table(data: bytes, file: str) -> Table:
    """The table in `data` (the bytes of `file`); raises `ImportFileError`."""
    if not data.strip():
        raise ImportFileError("the file is empty", file=file)
    if data[:4] == b"PK\x03\x04":
        return _xlsx(data, file)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(
            "this is an old Excel .xls workbook; save it as .xlsx or CSV", file=file
        )
    return _csv(data, file)


def _decode(data: bytes, file: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise ImportFileError(
        "not a CSV text file (neither UTF-8 nor GB18030) and not an XLSX workbook", file=file
    )


def _build(format: str, cells: Iterator[tuple[Cell, ...]], file: str) -> Table:
    header: tuple[str, ...] | None = None
    rows: list[tuple[int, tuple[Cell, ...]]] = []
    for number, row in enumerate(cells, start=1):
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row):
            continue
        if header is None:
            if number != 1:
                raise ImportFileError(
                    f"the header must be on row 1 (the first filled row is row {number})",
                    file=file,
                )
            header = tuple("" if cell is None else str(cell).strip() for cell in row)
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(f"more than {MAX_ROWS} customer rows; split the file", file=file)
        rows.append((number, row))
    if header is None:
        raise ImportFileError("the file has no header row", file=file)
    return Table(format=format, header=header, rows=tuple(rows))


def _csv(data: bytes, file: str) -> Table:
    text = _decode(data, file)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:4096], delimiters=",\t;"
        )
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        return _build("csv", (tuple(row) for row in reader), file)
    except csv.Error as exc:
        raise ImportFileError(f"not readable as CSV: {exc}", file=file) from None


def _xlsx_cell(value: object) -> Cell:
    if value is None or isinstance(value, str | int | float):
        return value
    return str(value)  # dates and times: the importer reports them as wrong where numbers go


def _xlsx(data: bytes, file: str) -> Table:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFileError(f"not a readable XLSX workbook ({exc})", file=file) from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ImportFileError("the workbook has no sheet", file=file)
        rows = (
            tuple(_xlsx_cell(value) for value in row) for row in sheet.iter_rows(values_only=True)
        )
        return _build("xlsx", rows, file)
    finally:
        workbook.close()
