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
