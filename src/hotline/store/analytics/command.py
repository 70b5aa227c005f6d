"""`hotline report` and `hotline export events`: open the source, run the query, write
the table (rich text, CSV, JSON or XLSX) or the event files."""

from __future__ import annotations

import datetime
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from hotline.metrics import FIGURES, ExternalData, Query, SlVariant, Table
from hotline.metrics.render import HEADLINE, cell, keys, title, to_csv, to_json, to_xlsx
from hotline.store.analytics import export_events, figures
from hotline.store.analytics.parquet import ParquetSource
from hotline.store.db import Database, StoreError

WIDE = 10
"""Up to this many rows, the text table shows every figure (one line each)."""


@dataclass(frozen=True, slots=True)
class ReportRequest:
    first: datetime.date
    last: datetime.date
    by: str
    timezone: datetime.tzinfo
    sl_variant: SlVariant
    sl_threshold: float
    short_abandon: float
    figures: tuple[str, ...] | None = None


def period(
    first: datetime.date, last: datetime.date, tz: datetime.tzinfo
) -> tuple[datetime.datetime, datetime.datetime]:
    """Local days `first`..`last` (inclusive) as the half-open [start, end)."""
    if last < first:
        raise StoreError(f"--to {last} is before --from {first}")
    start = datetime.datetime.combine(first, datetime.time(0), tz)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(0), tz)
    return start, end


def open_source(
    db: Path | None, database_url: str | None, parquet: Path | None
) -> Database | ParquetSource:
    if parquet is not None:
        return ParquetSource.at(parquet)
    url = database_url or os.environ.get("HOTLINE_DATABASE_URL")
    if url is None:
        path = db or Path("hotline-demo.db")
        if not path.is_file():
            raise StoreError(
                f"{path}: no such database file (give --db, --database-url or --parquet)"
            )
        url = f"sqlite:///{path}"
    return Database.open(url)


def run_report(
    request: ReportRequest,
    source: Database | ParquetSource,
    extra: ExternalData,
    fmt: str,
    output: Path | None,
) -> int:
    start, end = period(request.first, request.last, request.timezone)
    query = Query(
        start=start,
        end=end,
        by=request.by,  # type: ignore[arg-type]
        sl_threshold=request.sl_threshold,
        sl_variant=request.sl_variant,
        short_abandon=request.short_abandon,
        figures=request.figures,
    )
    try:
        table = figures(source, query, extra)
    finally:
        if isinstance(source, Database):
            source.close()
    if fmt == "xlsx":
        if output is None:
            raise StoreError("--format xlsx writes a file: give --output FILE.xlsx")
        output.write_bytes(to_xlsx(table))
        print(f"{output}: {len(table.rows)} rows, {len(keys(table))} figures")
        return 0
    if fmt in ("csv", "json"):
        text = to_csv(table) if fmt == "csv" else to_json(table) + "\n"
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
            print(f"{output}: {len(table.rows)} rows, {len(keys(table))} figures")
        return 0
    print_table(table)
    return 0


def print_table(table: Table) -> None:
    from rich.console import Console
    from rich.table import Table as RichTable

    q = table.query
    heading = (
        f"{q.start:%Y-%m-%d %H:%M} – {q.end:%Y-%m-%d %H:%M} by {q.by}; "
        f"service level: {q.sl_variant}, {q.sl_threshold:g} s; "
        f"short abandons ≤ {q.short_abandon:g} s"
    )
    console = Console()
    names = keys(table)
    if len(table.rows) <= WIDE:
        grid = RichTable(title=f"管理指标 figures — {heading}")
        grid.add_column("指标 figure")
        for row in table.rows:
            grid.add_column(row.label, justify="right")
        if q.by != "total":
            grid.add_column("合计 total", justify="right")
        for key in names:
            figure = FIGURES[key]
            values = [r.values[key] for r in table.rows]
            if q.by != "total":
                values.append(table.total.values[key])
            grid.add_row(title(figure), *(cell(figure, v) for v in values))
    else:
        shown = [k for k in names if k in HEADLINE] or names[:10]
        grid = RichTable(title=f"管理指标 figures — {heading}")
        grid.add_column(q.by)
        for key in shown:
            grid.add_column(f"{FIGURES[key].zh}\n{FIGURES[key].en}", justify="right")
        for row in [*table.rows, table.total]:
            grid.add_row(row.label, *(cell(FIGURES[k], row.values[k]) for k in shown))
    console.print(grid)
    if len(table.rows) > WIDE:
        console.print("(more figures: --format csv, json or xlsx, or --figures a,b,c)")
    for key, why in table.missing.items():
        console.print(f"  {FIGURES[key].zh} {key}: {why}")


def run_export(
    db: Database,
    directory: Path,
    tz: datetime.tzinfo,
    first: datetime.date | None,
    last: datetime.date | None,
) -> int:
    start = end = None
    if first is not None:
        start = datetime.datetime.combine(first, datetime.time(0), tz).timestamp()
    if last is not None:
        following = last + datetime.timedelta(days=1)
        end = datetime.datetime.combine(following, datetime.time(0), tz).timestamp()
    try:
        written = export_events(db, directory, tz, start=start, end=end)
    finally:
        db.close()
    for path, rows in written:
        print(f"{path}: {rows:,} events")
    if not written:
        print(f"no events to export into {directory}")
    return 0
