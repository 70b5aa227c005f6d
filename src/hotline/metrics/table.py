"""Put a query's measures together into its `Table`: rows in order, the total row, and
the reason for every figure left without a value."""

from __future__ import annotations

from collections.abc import Mapping

from hotline.core.customer import Tier
from hotline.metrics.buckets import Bucket
from hotline.metrics.formulas import FORMULAS, values
from hotline.metrics.outside import Part
from hotline.metrics.query import BY_NAMES, TIME_GROUPINGS, Query, Row, Table

TIER_LABELS = {Tier.HIGH.value: "高端 high", Tier.MIDDLE.value: "中端 middle",
               Tier.ORDINARY.value: "普通 ordinary"}  # fmt: skip


NOT_DEFINED = "分组时无定义"
"""How the reason of a figure that the grouping cannot have ends (``按坐席分组时无定义``)."""


def not_defined(by: str) -> str:
    """Why a figure has no value in a grouping that cannot split it."""
    return f"按{BY_NAMES.get(by, by)}{NOT_DEFINED}"


def _measures(part: Part, key: str) -> dict[str, float]:
    found = part.groups.get(key, {})
    return {name: float(found.get(name, 0.0)) for name in part.defined}


def _order(by: str, keys: list[str]) -> list[str]:
    if by == "tier":
        rank = {t.value: i for i, t in enumerate(Tier)}
        return sorted(keys, key=lambda k: (rank.get(k, len(rank)), k))
    return sorted(keys)


def _label(by: str, key: str, names: Mapping[str, str]) -> str:
    if by == "tier":
        return TIER_LABELS.get(key, key or "(unknown)")
    if by == "agent" and key in names:
        return f"{names[key]} {key}"
    if by == "team" and not key:
        return "(no team)"
    if by == "queue_tier" and "/" in key:
        queue, tier = key.split("/", 1)
        return f"{queue} / {TIER_LABELS.get(tier, tier)}"
    if by == "call_type" and key == "ivr":
        return "IVR only (never queued)"
    return key or "(none)"


def _why(key: str, by: str, part: Part, total: Part) -> str | None:
    """Why a figure has no value in this table's rows (None: it has values, or it has
    none only because nothing happened, e.g. no calls in a half hour)."""
    if key in part.reasons:
        return part.reasons[key]
    if key in total.reasons:
        return total.reasons[key]
    if any(m not in part.defined for m in FORMULAS[key].measures):
        return not_defined(by)
    return None


def assemble(
    query: Query,
    buckets: list[Bucket],
    part: Part,
    total: Part,
    names: Mapping[str, str] | None = None,
) -> Table:
    """The table of `query` from the measures of its grouping (`part`) and of the whole
    period (`total`, keyed "total")."""
    names = names or {}
    rows: list[Row] = []
    if query.by in TIME_GROUPINGS:
        for bucket in buckets:
            rows.append(Row(bucket.key, bucket.label, values(_measures(part, bucket.key), query)))
    else:
        for key in _order(query.by, list(part.groups)):
            rows.append(Row(key, _label(query.by, key, names), values(_measures(part, key), query)))
    total_row = Row("total", "合计 total", values(_measures(total, "total"), query))
    missing: dict[str, str] = {}
    for key in query.keys:
        why = _why(key, query.by, part, total)
        if why is not None:
            missing[key] = why
    return Table(query=query, rows=rows, total=total_row, missing=missing)
