"""The supervisor's wallboard (实时监控): the present from the ACD, the counts from the log.

Waiting now, the longest wait and the agents' states are read from the ACD when the
snapshot is taken (they are the present, not a sum). Everything counted — offered,
answered, abandoned, service levels, calls per half hour — comes from the *same* SQL
over the stored event log and the same formulas as the reports
(`hotline.store.analytics.measure_groups`, `hotline.metrics.formulas`), so the board
and the history of the same period agree exactly, by construction. The definitions
are those of docs/metrics.md:

- per queue: each contact in its queue (a transferred call counts in each queue it
  entered), its service level against the queue's target, and per tier against each
  tier's own target and goal (SPEC §2: VIP 90%/20 s, the others 85%/20 s);
- totals: each call once (the time it first entered a queue), against its tier's
  target; the overall goal shown is the ordinary tier's;
- abandoned counts every abandon (the figure a supervisor sees); the service level
  leaves out those within `short_abandon` seconds (variant "offered" of docs/metrics.md);
- calls per half hour: offered, answered and abandoned, by when the call first
  entered a queue;
- today (local midnight to the time the counts run to) and the rolling `window`.

Counting from the log takes a query per threshold over today's events: `refresh`
runs it (off the engine's thread; the live runtime does every `wallboard.refresh`
wall seconds when something happened), and `snapshot` shows the last counts with
the time they run to (`figures_at`). An alert is raised for a queue with
`alerts.waiting` callers or more waiting, a head waiting `alerts.longest_wait`
seconds or more, or (with `alerts.service_level`) today's service level below the
queue's goal once at least `MIN_SL_BASE` calls count towards it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from hotline.calls.config import Hotline
from hotline.core.customer import Tier
from hotline.core.events import Event, EventBus
from hotline.core.ids import QueueName
from hotline.core.masking import mask_phone
from hotline.live.views import (
    WAITING_SHOWN,
    AgentTile,
    AlertView,
    BoardTotals,
    BoardView,
    IntervalCounts,
    QueueTile,
    ServiceLevelView,
    TierLevelView,
    WaitingCall,
    WindowView,
)
from hotline.metrics.formulas import sl_base
from hotline.metrics.query import Grouping, Query, SlVariant
from hotline.routing.acd import ACD
from hotline.routing.model import QueueSpec
from hotline.store.analytics import measure_groups
from hotline.store.db import Database

MIN_SL_BASE = 10
"""Calls that must count towards a service level before it can raise an alert."""

DEFAULT_TARGET = 20.0
INCLUDING_NOW = datetime.timedelta(milliseconds=1)
LOOKBACK = 4 * 3600.0
"""Seconds of events read before midnight: a call queued before midnight and still
waiting after it (its contact counts on the day it was queued). Longer than any wait."""
_VARIANT = SlVariant.OFFERED
Measures = dict[str, float]
_QUEUE_MEASURES = ("q_offered", "q_answered", "q_abandoned", "q_abandoned_short", "q_in_sl",
                   "q_callback")  # fmt: skip


def _sum(parts: Iterable[Mapping[str, float]]) -> Measures:
    total: Measures = {}
    for part in parts:
        for name, value in part.items():
            total[name] = total.get(name, 0.0) + value
    return total


@dataclass(frozen=True, slots=True)
class Level:
    """Counts of one queue, tier or total, with its service level's numerator and base."""

    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    in_target: int = 0
    base: int = 0

    @classmethod
    def of(cls, found: Mapping[str, float]) -> Level:
        m = {name: found.get(name, 0.0) for name in _QUEUE_MEASURES}
        return cls(
            offered=int(m.get("q_offered", 0)),
            answered=int(m.get("q_answered", 0)),
            abandoned=int(m.get("q_abandoned", 0)),
            in_target=int(m.get("q_in_sl", 0)),
            base=int(sl_base(m, _VARIANT)),  # the reports' own denominator
        )

    def value(self) -> float | None:
        return self.in_target / self.base if self.base else None


@dataclass(frozen=True, slots=True)
class Period:
    """What the log counted in one period: per queue, per queue and tier, per tier."""

    queues: Mapping[str, Level] = field(default_factory=dict)
    queue_tiers: Mapping[tuple[str, Tier], Level] = field(default_factory=dict)
    tiers: Mapping[Tier, Level] = field(default_factory=dict)
    total: Level = Level()


@dataclass(frozen=True, slots=True)
class Counts:
    """The counted figures as of engine time `at` (today and the rolling window)."""

    at: float
    day: datetime.date
    today: Period
    window: Period | None
    intervals: tuple[tuple[str, Level], ...]


def _query(
    start: datetime.datetime, end: datetime.datetime, by: Grouping, threshold: float, short: float
) -> Query:
    return Query(
        start, end, by=by, sl_threshold=threshold, short_abandon=short, sl_variant=_VARIANT
    )


class Board:
    """The wallboard of one hotline: `refresh` counts from the log, `snapshot` shows."""

    def __init__(self, hotline: Hotline, acd: Callable[[], ACD]) -> None:
        self.hotline = hotline
        self._acd = acd
        self.settings = hotline.model.wallboard
        self._tz = hotline.timezone
        self._queues: dict[str, QueueSpec] = {q.name: q for q in hotline.queues}
        self.counts: Counts | None = None
        self.changes = 0
        """Events seen so far (the counts are stale when they include fewer)."""
        self._counted = -1  # `changes` when the last counts began

    def attach(self, bus: EventBus) -> None:
        """Mark the counts stale whenever something happens."""
        bus.subscribe(self._changed)

    def _changed(self, e: Event) -> None:
        self.changes += 1

    def _tier_target(self, tier: Tier) -> float:
        goal = self.settings.service_level.get(tier)
        return goal.target if goal is not None else DEFAULT_TARGET

    def stale(self, now: float) -> bool:
        """Whether `refresh` would change what the board shows."""
        counts = self.counts
        return counts is None or self._counted != self.changes or counts.day != self._day_of(now)

    def _day_of(self, at: float) -> datetime.date:
        return datetime.datetime.fromtimestamp(at, self._tz).date()

    # ---- counting from the log ------------------------------------------------------

    def refresh(self, db: Database, now: float, changes: int | None = None) -> Counts:
        """Count today and the rolling window up to engine time `now` from the events
        stored in `db` (commit them first). Blocking: run it off the engine's thread.
        `changes`: `self.changes` read before `now` was (default: now), so events after it
        leave the counts stale."""
        seen = self.changes if changes is None else changes
        # up to and including `now` (what happened at this very moment counts)
        end = datetime.datetime.fromtimestamp(now, self._tz) + INCLUDING_NOW
        midnight = (end - INCLUDING_NOW).replace(hour=0, minute=0, second=0, microsecond=0)
        periods = [midnight]
        if self.settings.window > 0:
            periods.append(max(midnight, end - datetime.timedelta(seconds=self.settings.window)))
        tier_t = {tier: self._tier_target(tier) for tier in Tier}
        queue_t = {name: spec.service_level_target for name, spec in self._queues.items()}
        thresholds = sorted({*tier_t.values(), *queue_t.values()})
        by_tier = sorted(set(tier_t.values()))
        short = self.settings.short_abandon
        queries = [_query(midnight, end, "interval", DEFAULT_TARGET, short)]
        for start in periods:
            queries += [_query(start, end, "queue_tier", t, short) for t in thresholds]
            queries += [_query(start, end, "tier", t, short) for t in by_tier]
        groups = iter(measure_groups(db, queries, queues_only=True, lookback=LOOKBACK))
        halves = next(groups)
        intervals = tuple(
            (key[-5:], level)
            for key, m in sorted(halves.items())
            if (level := Level.of(m)).offered or level.answered or level.abandoned
        )
        found = []
        for _ in periods:
            contacts = {t: next(groups) for t in thresholds}  # "queue/tier" -> measures
            calls = {t: next(groups) for t in by_tier}  # tier -> measures
            found.append(self._period(contacts, calls, tier_t, queue_t))
        window = found[1] if len(found) > 1 else None
        self.counts = Counts(now, midnight.date(), found[0], window, intervals)
        self._counted = seen
        return self.counts

    def _period(
        self,
        contacts: Mapping[float, Mapping[str, Mapping[str, float]]],
        calls: Mapping[float, Mapping[str, Mapping[str, float]]],
        tier_t: Mapping[Tier, float],
        queue_t: Mapping[str, float],
    ) -> Period:
        def cell(threshold: float, queue: str, tier: Tier) -> Mapping[str, float]:
            return contacts[threshold].get(f"{queue}/{tier.value}", {})

        tier_measures = {tier: calls[tier_t[tier]].get(tier.value, {}) for tier in Tier}
        return Period(
            queues={
                name: Level.of(_sum(cell(queue_t[name], name, tier) for tier in Tier))
                for name in self._queues
            },
            queue_tiers={
                (name, tier): Level.of(cell(tier_t[tier], name, tier))
                for name in self._queues
                for tier in Tier
            },
            tiers={tier: Level.of(m) for tier, m in tier_measures.items()},
            total=Level.of(_sum(tier_measures.values())),
        )

    # ---- the snapshot -------------------------------------------------------------------

    def _levels(
        self, total: Level, tiers: Mapping[Tier, Level], target: float, goal: float
    ) -> ServiceLevelView:
        by_tier = {}
        for tier in Tier:
            counts = tiers.get(tier, Level())
            tier_goal = self.settings.service_level.get(tier)
            by_tier[tier.value] = TierLevelView(
                value=counts.value(),
                goal=tier_goal.goal if tier_goal else goal,
                target_s=tier_goal.target if tier_goal else target,
                answered=counts.answered,
                base=counts.base,
            )
        return ServiceLevelView(
            value=total.value(), goal=goal, target_s=target, base=total.base, by_tier=by_tier
        )

    def _queue_levels(self, period: Period, name: str) -> ServiceLevelView:
        spec = self._queues[name]
        tiers = {tier: period.queue_tiers.get((name, tier), Level()) for tier in Tier}
        total = period.queues.get(name, Level())
        return self._levels(total, tiers, spec.service_level_target, spec.service_level_goal)

    def _total_levels(self, period: Period) -> ServiceLevelView:
        ordinary = self.settings.service_level.get(Tier.ORDINARY)
        return self._levels(
            period.total,
            period.tiers,
            ordinary.target if ordinary else DEFAULT_TARGET,
            ordinary.goal if ordinary else 0.85,
        )

    def snapshot(self, now: float) -> BoardView:
        acd = self._acd()
        counts = self.counts
        if counts is not None and counts.day != self._day_of(now):
            counts = None  # yesterday's: today has not been counted yet
        today = counts.today if counts is not None else Period()
        window = counts.window if counts is not None else None
        alerts_cfg = self.settings.alerts
        queues = []
        alerts: list[AlertView] = []
        total_waiting = 0
        for name, spec in self._queues.items():
            waiting = acd.waiting(QueueName(name))
            longest = max((now - c.entered_at for c in waiting), default=0.0)
            total_waiting += len(waiting)
            level = today.queues.get(name, Level())
            levels = self._queue_levels(today, name)
            raised = []
            title = spec.title or name
            if len(waiting) >= alerts_cfg.waiting:
                raised.append("waiting")
                alerts.append(
                    _alert(
                        name,
                        "waiting",
                        len(waiting),
                        alerts_cfg.waiting,
                        f"{title} 排队 {len(waiting)} 个, 达到告警线 {alerts_cfg.waiting}",
                        f"{name}: {len(waiting)} waiting, alert at {alerts_cfg.waiting}",
                    )
                )
            if waiting and longest >= alerts_cfg.longest_wait:
                raised.append("longest_wait")
                alerts.append(
                    _alert(
                        name,
                        "longest_wait",
                        round(longest),
                        alerts_cfg.longest_wait,
                        f"{title} 最长等待 {longest:.0f} 秒, 超过 {alerts_cfg.longest_wait:.0f} 秒",
                        f"{name}: longest wait {longest:.0f} s, "
                        f"above {alerts_cfg.longest_wait:.0f} s",
                    )
                )
            value = levels.value
            if (
                alerts_cfg.service_level
                and value is not None
                and level.base >= MIN_SL_BASE
                and value < spec.service_level_goal
            ):
                raised.append("service_level")
                alerts.append(
                    _alert(
                        name,
                        "service_level",
                        round(value, 4),
                        spec.service_level_goal,
                        f"{title} 服务水平 {value:.1%}, 低于目标 {spec.service_level_goal:.0%}",
                        f"{name}: service level {value:.1%}, "
                        f"below goal {spec.service_level_goal:.0%}",
                    )
                )
            queues.append(
                QueueTile(
                    name=name,
                    title=title,
                    waiting=len(waiting),
                    longest_wait_s=round(longest, 1),
                    offered=level.offered,
                    answered=level.answered,
                    abandoned=level.abandoned,
                    service_level=levels,
                    alerts=raised,
                    window=_window(window.queues.get(name, Level())) if window else None,
                    waiting_calls=[
                        WaitingCall(
                            call=c.call,
                            tier=c.tier.value,
                            waited_s=round(now - c.entered_at, 1),
                            caller=mask_phone(c.caller or ""),
                        )
                        for c in sorted(waiting, key=lambda c: c.entered_at)[:WAITING_SHOWN]
                    ],
                )
            )
        agents = []
        for agent in acd.agents.values():
            profile = agent.profile
            contact = agent.contact
            agents.append(
                AgentTile(
                    id=agent.id,
                    name=profile.name,
                    team=min(profile.groups, default=""),
                    state=agent.state.value,
                    reason=agent.reason,
                    since=agent.since,
                    in_state_s=round(max(0.0, now - agent.since), 1),
                    call=contact.call if contact is not None else None,
                )
            )
        local = datetime.datetime.fromtimestamp(now, self._tz)
        totals = BoardTotals(
            waiting=total_waiting,
            offered=today.total.offered,
            answered=today.total.answered,
            abandoned=today.total.abandoned,
            service_level=self._total_levels(today),
            window=_window(window.total) if window is not None else None,
            queue_offered=sum(q.offered for q in queues),
            queue_answered=sum(q.answered for q in queues),
        )
        figures_at = None
        if counts is not None:
            figures_at = datetime.datetime.fromtimestamp(counts.at, self._tz).strftime("%H:%M:%S")
        return BoardView(
            at=now,
            local=local.strftime("%Y-%m-%d %H:%M:%S"),
            figures_at=figures_at,
            counted_to=counts.at if counts is not None else None,
            window_s=self.settings.window,
            queues=queues,
            totals=totals,
            agents=agents,
            intervals=[
                IntervalCounts(start, level.offered, level.answered, level.abandoned)
                for start, level in (counts.intervals if counts is not None else ())
            ],
            alerts=alerts,
        )


def _window(level: Level) -> WindowView:
    return WindowView(level.offered, level.answered, level.abandoned, level.value())


def _alert(queue: str, kind: str, value: float, threshold: float, zh: str, en: str) -> AlertView:
    return AlertView(queue, kind, value, threshold, {"zh": zh, "en": en})
