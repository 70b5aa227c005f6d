"""How the console writes numbers: the same formats as the page scripts (console.js).

The wallboard's first paint is rendered on the server and every later one by the script,
so both must write a count, a share and a duration alike (``—`` for "no value yet").
"""

from __future__ import annotations

NONE = "—"


def format_count(value: int | float | None) -> str:
    return NONE if value is None else f"{value:g}"


def format_percent(share: float | None) -> str:
    """A share (0..1) as a percentage with one decimal: 0.8734 → ``87.3%``."""
    return NONE if share is None else f"{share * 100:.1f}%"


def format_duration(seconds: float | None) -> str:
    """Seconds as ``m:ss``, or ``h:mm:ss`` from an hour on; negative counts as zero."""
    if seconds is None:
        return NONE
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
