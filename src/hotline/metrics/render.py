"""A figures `Table` as text cells, CSV, JSON or an Excel workbook (for `hotline report`)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from hotline.metrics.catalog import FIGURES, Figure
from hotline.metrics.query import Row, Table

HEADLINE = (
    "total_calls", "offered", "answered", "abandoned", "service_level", "abandon_rate", "asa",
    "aht", "handled", "occupancy",
)  # fmt: skip
"""The figures shown when a table has too many rows to show every figure as a column."""


UNITS = {
    "zh": {"seconds": " 秒", "per_hour": " 次/小时"},
    "en": {"seconds": " s", "per_hour": " /h"},
}
"""The unit written after a value, in the page's language (Chinese pages: 秒)."""


def percent(value: float) -> str:
    """A ratio as a percentage with one decimal; a ratio that is not zero but would round
    to 0.0% (one complaint among thousands of calls) keeps two significant digits."""
    shown = 100 * value
    if shown and abs(shown) < 0.05:
        return f"{shown:.2g}%"
    return f"{shown:.1f}%"


def cell(figure: Figure, value: float | None, lang: str = "en") -> str:
    """A value as people read it: 92.3%, 12.3 s (12.3 秒 for `lang` zh), 1,234, ¥4.20."""
    if value is None:
        return "—"
    units = UNITS["zh" if lang == "zh" else "en"]
    if figure.unit == "ratio":
        return percent(value)
    if figure.unit == "seconds":
        return f"{value:.1f}{units['seconds']}"
    if figure.unit == "count":
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    if figure.unit == "yuan":
        return f"¥{value:,.2f}"
    if figure.unit == "per_hour":
        return f"{value:.2f}{units['per_hour']}"
    return f"{value:.2f}"


def title(figure: Figure) -> str:
    number = f"{figure.number}. " if figure.number is not None else ""
    return f"{number}{figure.zh} {figure.en}"


def keys(table: Table) -> list[str]:
    return list(table.query.keys)


def _all_rows(table: Table) -> list[Row]:
    return [*table.rows, table.total]


def to_csv(table: Table) -> str:
    """One line per row (the total last): key, label, then each figure's raw value."""
    out = io.StringIO()
    writer = csv.writer(out)
    names = keys(table)
    writer.writerow(["key", "label", *names])
    for row in _all_rows(table):
        writer.writerow(
            [row.key, row.label, *("" if row.values[k] is None else row.values[k] for k in names)]
        )
    return out.getvalue()


def _about(key: str) -> dict[str, Any]:
    f = FIGURES[key]
    target = None if f.target is None else {"value": f.target.value, "better": f.target.better}
    return {"number": f.number, "zh": f.zh, "en": f.en, "unit": f.unit, "formula": f.formula,
            "target": target}  # fmt: skip


def to_json(table: Table) -> str:
    q = table.query
    document: dict[str, Any] = {
        "query": {
            "start": q.start.isoformat(),
            "end": q.end.isoformat(),
            "by": q.by,
            "sl_threshold": q.sl_threshold,
            "sl_variant": str(q.sl_variant),
            "short_abandon": q.short_abandon,
        },
        "figures": {k: _about(k) for k in keys(table)},
        "rows": [{"key": r.key, "label": r.label, "values": dict(r.values)} for r in table.rows],
        "total": dict(table.total.values),
        "missing": dict(table.missing),
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def to_xlsx(table: Table) -> bytes:
    """A workbook: sheet 报表 (rows × figures, number formats by unit) and sheet 指标说明
    (each figure's formula, unit, target, and why it is missing)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    formats = {"ratio": "0.0%", "seconds": "0.0", "count": "#,##0", "per_hour": "0.00",
               "yuan": "¥#,##0.00", "score": "0.00"}  # fmt: skip
    book = Workbook()
    sheet = book.active
    sheet.title = "报表"
    names = keys(table)
    sheet.append(["key", "label", *(title(FIGURES[k]) for k in names)])
    for c in sheet[1]:
        c.font = Font(bold=True)
    for row in _all_rows(table):
        sheet.append([row.key, row.label, *(row.values[k] for k in names)])
        for column, key in enumerate(names, start=3):
            sheet.cell(row=sheet.max_row, column=column).number_format = formats[FIGURES[key].unit]
    sheet.freeze_panes = "C2"
    about = book.create_sheet("指标说明")
    about.append(["key", "指标 figure", "unit", "formula", "target", "why no value"])
    for c in about[1]:
        c.font = Font(bold=True)
    for key in names:
        f = FIGURES[key]
        target = (
            ""
            if f.target is None
            else f"{'≥' if f.target.better == 'higher' else '≤'} {f.target.value:g}"
        )
        about.append([key, title(f), f.unit, f.formula, target, table.missing.get(key, "")])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
