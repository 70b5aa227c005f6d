"""Measures from outside the event log: cost, QA scores, staff records (attrition) and
order checks, per bucket or per agent / team, in plain Python (the data is small).

Each function returns the measures per group key and says which groupings it serves;
a figure whose data is absent gets a reason instead of a number.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from hotline.metrics.buckets import Bucket
from hotline.metrics.external import ExternalData
from hotline.metrics.query import BY_NAMES, TIME_GROUPINGS, Query

DAY = 86400.0


@dataclass
class Part:
    """Measures of one source per group key, the measures it defines for this grouping,
    and the reasons for the figures it cannot give."""

    groups: dict[str, dict[str, float]] = field(default_factory=dict)
    defined: set[str] = field(default_factory=set)
    reasons: dict[str, str] = field(default_factory=dict)

    def add(self, key: str, measure: str, value: float) -> None:
        group = self.groups.setdefault(key, {})
        group[measure] = group.get(measure, 0.0) + value


def _by(query: Query) -> str:
    """The query's grouping by its name, for a reason (坐席, 队列 …)."""
    return BY_NAMES.get(query.by, query.by)


def _group_keys(query: Query, buckets: list[Bucket], at: float) -> str | None:
    for bucket in buckets:
        if bucket.start <= at < bucket.end:
            return bucket.key
    return None


def cost(query: Query, buckets: list[Bucket], extra: ExternalData) -> Part:
    """Each cost spread evenly over the seconds of its local days."""
    part = Part()
    if not extra.costs:
        part.reasons["cost_per_call"] = "未配置成本（指标文件的 costs:）"
        return part
    if query.by not in TIME_GROUPINGS:
        part.reasons["cost_per_call"] = f"成本不能按{_by(query)}拆分"
        return part
    part.defined.add("cost")
    tz = query.timezone
    for item in extra.costs:
        begin = datetime.datetime.combine(item.first, datetime.time(0), tz).timestamp()
        last = item.last + datetime.timedelta(days=1)
        end = datetime.datetime.combine(last, datetime.time(0), tz).timestamp()
        for bucket in buckets:
            overlap = min(end, bucket.end) - max(begin, bucket.start)
            if overlap > 0:
                part.add(bucket.key, "cost", item.yuan * overlap / (end - begin))
    return part


def _agent_key(query: Query, extra: ExternalData, agent: str) -> str:
    return agent if query.by == "agent" else extra.teams.get(agent, "")


def qa(query: Query, buckets: list[Bucket], extra: ExternalData) -> Part:
    part = Part()
    if not extra.qa:
        part.reasons["qa_score"] = "未导入质检评分（质检台评分，或指标文件的 qa:）"
        return part
    if query.by not in TIME_GROUPINGS | {"agent", "team"}:
        part.reasons["qa_score"] = f"质检评分不能按{_by(query)}拆分"
        return part
    part.defined |= {"qa_sum", "qa_count"}
    start, end = buckets[0].start, buckets[-1].end
    for score in extra.qa:
        if not start <= score.at < end:
            continue
        if query.by in TIME_GROUPINGS:
            key = _group_keys(query, buckets, score.at)
        else:
            key = _agent_key(query, extra, score.agent)
        if key is not None:
            part.add(key, "qa_sum", score.score)
            part.add(key, "qa_count", 1)
    return part


def attrition(query: Query, buckets: list[Bucket], extra: ExternalData) -> Part:
    """Leavers over the average full-time headcount (of the first and the last day), per
    year: `years` is the bucket's length in years."""
    part = Part()
    if not extra.staff:
        part.reasons["attrition"] = "未导入人员记录（指标文件的 staff:）"
        return part
    if query.by not in ("total", "day", "week", "month", "team"):
        part.reasons["attrition"] = f"流失率按天或更长时段统计，不能按{_by(query)}"
        return part
    part.defined |= {"leavers", "headcount", "years"}
    tz = query.timezone
    for bucket in buckets:
        first = datetime.datetime.fromtimestamp(bucket.start, tz).date()
        last = datetime.datetime.fromtimestamp(bucket.end - 1e-6, tz).date()
        years = (bucket.end - bucket.start) / (365.0 * DAY)
        heads: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        for record in extra.staff:
            if not record.full_time:
                continue
            key = bucket.key if query.by != "team" else extra.teams.get(record.agent, "")
            counts = heads[key]
            for i, day in enumerate((first, last)):
                if record.hired <= day and (record.left is None or record.left > day):
                    counts[i] += 1
            if record.left is not None and first <= record.left <= last:
                counts[2] += 1
        for key, (at_first, at_last, leavers) in heads.items():
            part.add(key, "headcount", (at_first + at_last) / 2)
            part.add(key, "leavers", leavers)
            part.add(key, "years", years)
    return part


def order_accuracy(query: Query, buckets: list[Bucket], extra: ExternalData) -> Part:
    part = Part()
    if extra.order_checks is None:
        part.reasons["order_accuracy"] = (
            "此处未检查工单（受理工单正确率页面对照通话记录和客户资料检查）"
        )
        return part
    if query.by not in TIME_GROUPINGS:
        part.reasons["order_accuracy"] = f"工单正确率不能按{_by(query)}拆分"
        return part
    part.defined |= {"orders_checked", "orders_correct"}
    for check in extra.order_checks:
        key = _group_keys(query, buckets, check.created_at)
        if key is not None:
            part.add(key, "orders_checked", 1)
            part.add(key, "orders_correct", 1 if check.correct else 0)
    return part


def outside(query: Query, buckets: list[Bucket], extra: ExternalData) -> list[Part]:
    return [
        cost(query, buckets, extra),
        qa(query, buckets, extra),
        attrition(query, buckets, extra),
        order_accuracy(query, buckets, extra),
    ]


def merge(parts: list[Part]) -> Part:
    merged = Part()
    for part in parts:
        merged.defined |= part.defined
        merged.reasons.update(part.reasons)
        for key, measures in part.groups.items():
            for name, value in measures.items():
                merged.add(key, name, value)
    return merged


def labels_of(query: Query, extra: ExternalData) -> Mapping[str, str]:
    return extra.names if query.by == "agent" else {}
