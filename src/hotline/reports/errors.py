"""Errors of the reports package: one family under `HotlineError`."""

from __future__ import annotations

from hotline.core.errors import HotlineError


class ReportError(HotlineError):
    """A report request was refused; `field` names the parameter at fault (``from``,
    ``month`` …) so the API can answer 422 naming it and the CLI can name the option."""

    error_id = "report-error"

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message, field=field)
        self.field = field


LABELS = {"from": "开始日期", "to": "结束日期", "date": "日期", "month": "月份", "by": "分组"}
"""The request parameters' names on the report pages; a command-line option keeps its own."""


def label(field: str) -> str:
    """How a message names `field`: 结束日期 (to) on a page, ``--month`` on the command line."""
    return f"{LABELS[field]}（{field}）" if field in LABELS else field
