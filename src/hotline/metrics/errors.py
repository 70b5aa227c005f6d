"""Errors of the figures package: one family under `HotlineError`."""

from __future__ import annotations

from hotline.core.errors import HotlineError


class MetricsError(HotlineError):
    """A query, a metrics configuration or an import of outside data was refused; the
    message names the parameter, field or file:line at fault."""

    error_id = "metrics-error"
