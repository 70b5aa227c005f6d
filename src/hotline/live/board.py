"""The supervisor's wallboard (实时监控): today's figures, folded from the engine's events.

Counted per local day of the engine's clock (reset at midnight):
- per queue: contacts offered to it (`contact.queued`; a transferred call counts in
  each queue it entered), answered, abandoned (every abandon, short ones included:
  the count a supervisor sees), and the service level: answered within the queue's
  target over answered + abandoned after `short_abandon` seconds; per tier with each
  tier's own target and goal (SPEC §2: VIP 90%/20 s, the others 85%/20 s);
- totals: each call once, in the first queue it entered, against its tier's target;
  the overall goal shown is the ordinary tier's;
- calls per half hour: offered, answered and abandoned, by the time the call first
  entered a queue.
Waiting now, the longest wait and the agents' states are read from the ACD when the
snapshot is taken (they are the present, not a sum). An alert is raised for a queue
with `alerts.waiting` callers or more waiting, a head waiting `alerts.longest_wait`
seconds or more, or (with `alerts.service_level`) today's service level below the
queue's goal once at least `MIN_SL_BASE` calls count towards it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from hotline.calls.config import Hotline
from hotline.core.customer import Tier
from hotline.core.events import Event, EventBus
from hotline.core.ids import CallId, QueueName
from hotline.routing.acd import ACD
from hotline.routing.events import ContactAbandoned, ContactAnswered, ContactQueued

MIN_SL_BASE = 10
"""Calls that must count towards a service level before it can raise an alert."""

SLOT = 1800.0


class _SL:
    __slots__ = ("abandoned", "abandoned_long", "answered", "in_target", "offered")

    def __init__(self) -> None:
        self.offered = 0
        self.answered = 0
        self.in_target = 0
        self.abandoned = 0
        self.abandoned_long = 0

    @property
    def base(self) -> int:
        return self.answered + self.abandoned_long

    def value(self) -> float | None:
        return self.in_target / self.base if self.base else None


class _QueueDay:
    __slots__ = ("all", "tiers")

    def __init__(self) -> None:
        self.all = _SL()
        self.tiers = {tier: _SL() for tier in Tier}


class Board:
    """Folds the events of today; `snapshot` gives the wallboard's figures."""

    def __init__(self, hotline: Hotline, acd: Callable[[], ACD]) -> None:
        self.hotline = hotline
        self._acd = acd
        self.settings = hotline.model.wallboard
        self._tz = hotline.timezone
        self._queues = {q.name: q for q in hotline.queues}
        self._day: datetime.date | None = None
        self._midnight = 0.0
        self._reset(None)

    def attach(self, bus: EventBus) -> None:
        bus.subscribe(self.handle, types=(ContactQueued, ContactAnswered, ContactAbandoned))

    def _reset(self, day: datetime.date | None) -> None:
        self._day = day
        if day is not None:
            midnight = datetime.datetime.combine(day, datetime.time(0), self._tz)
            self._midnight = midnight.timestamp()
        self.queue_days = {name: _QueueDay() for name in self._queues}
        self.totals = _QueueDay()
        self.slots: dict[int, _SL] = {}
        self._first: dict[CallId, tuple[Tier, int]] = {}  # call -> its tier and half-hour
        self._done: set[CallId] = set()  # calls counted as answered or abandoned in totals

    def _roll(self, at: float) -> None:
        day = datetime.datetime.fromtimestamp(at, self._tz).date()
        if day != self._day:
            self._reset(day)

    def handle(self, e: Event) -> None:
        self._roll(e.at)
        if isinstance(e, ContactQueued):
            self._queued(e)
        elif isinstance(e, ContactAnswered):
            self._answered(e)
        elif isinstance(e, ContactAbandoned):
            self._abandoned(e)

    def _queued(self, e: ContactQueued) -> None:
        q = self.queue_days.get(e.queue)
        if q is not None:
            q.all.offered += 1
            q.tiers[e.tier].offered += 1
        if e.call in self._first:
            return
        slot = int((e.at - self._midnight) // SLOT)
        self._first[e.call] = (e.tier, slot)
        self.totals.all.offered += 1
        self.totals.tiers[e.tier].offered += 1
        self._slot(slot).offered += 1

    def _slot(self, slot: int) -> _SL:
        counts = self.slots.get(slot)
        if counts is None:
            counts = self.slots[slot] = _SL()
        return counts

    def _tier_target(self, tier: Tier) -> float:
        goal = self.settings.service_level.get(tier)
        return goal.target if goal is not None else 20.0

    def _answered(self, e: ContactAnswered) -> None:
        first = self._first.get(e.call)
        tier = first[0] if first is not None else Tier.ORDINARY
        q = self.queue_days.get(e.queue)
        if q is not None:
            q.all.answered += 1
            q.all.in_target += e.waited <= self._queues[e.queue].service_level_target
            by_tier = q.tiers[tier]
            by_tier.answered += 1
            by_tier.in_target += e.waited <= self._tier_target(tier)
        if first is None or e.call in self._done:
            return  # a call from before midnight, or answered again after a transfer
        self._done.add(e.call)
        within = e.waited <= self._tier_target(tier)
        for counts in (self.totals.all, self.totals.tiers[tier], self._slot(first[1])):
            counts.answered += 1
            counts.in_target += within

    def _abandoned(self, e: ContactAbandoned) -> None:
        first = self._first.get(e.call)
        tier = first[0] if first is not None else Tier.ORDINARY
        long = e.waited > self.settings.short_abandon
        q = self.queue_days.get(e.queue)
        if q is not None:
            for counts in (q.all, q.tiers[tier]):
                counts.abandoned += 1
                counts.abandoned_long += long
        if first is None or e.call in self._done:
            return
        self._done.add(e.call)
        for counts in (self.totals.all, self.totals.tiers[tier], self._slot(first[1])):
            counts.abandoned += 1
            counts.abandoned_long += long

    # ---- the snapshot -------------------------------------------------------------------

    def _levels(self, day: _QueueDay, target: float, goal: float) -> dict[str, Any]:
        by_tier = {}
        for tier, counts in day.tiers.items():
            tier_goal = self.settings.service_level.get(tier)
            by_tier[tier.value] = {
                "value": counts.value(),
                "goal": tier_goal.goal if tier_goal else goal,
                "target_s": tier_goal.target if tier_goal else target,
                "answered": counts.answered,
                "base": counts.base,
            }
        return {
            "value": day.all.value(),
            "goal": goal,
            "target_s": target,
            "base": day.all.base,
            "by_tier": by_tier,
        }

    def snapshot(self, now: float) -> dict[str, Any]:
        self._roll(now)
        acd = self._acd()
        alerts_cfg = self.settings.alerts
        queues = []
        alerts: list[dict[str, Any]] = []
        total_waiting = 0
        for name, spec in self._queues.items():
            waiting = acd.waiting(QueueName(name))
            longest = max((now - c.entered_at for c in waiting), default=0.0)
            total_waiting += len(waiting)
            day = self.queue_days[name]
            levels = self._levels(day, spec.service_level_target, spec.service_level_goal)
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
            value = levels["value"]
            if (
                alerts_cfg.service_level
                and value is not None
                and day.all.base >= MIN_SL_BASE
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
                {
                    "name": name,
                    "title": title,
                    "waiting": len(waiting),
                    "longest_wait_s": round(longest, 1),
                    "offered": day.all.offered,
                    "answered": day.all.answered,
                    "abandoned": day.all.abandoned,
                    "service_level": levels,
                    "alerts": raised,
                }
            )
        ordinary = self.settings.service_level.get(Tier.ORDINARY)
        totals = self.totals
        agents = []
        for agent in acd.agents.values():
            profile = agent.profile
            contact = agent.contact
            agents.append(
                {
                    "id": agent.id,
                    "name": profile.name,
                    "team": min(profile.groups, default=""),
                    "state": agent.state.value,
                    "reason": agent.reason,
                    "since": agent.since,
                    "in_state_s": round(max(0.0, now - agent.since), 1),
                    "call": contact.call if contact is not None else None,
                }
            )
        local = datetime.datetime.fromtimestamp(now, self._tz)
        return {
            "at": now,
            "local": local.strftime("%Y-%m-%d %H:%M:%S"),
            "queues": queues,
            "totals": {
                "waiting": total_waiting,
                "offered": totals.all.offered,
                "answered": totals.all.answered,
                "abandoned": totals.all.abandoned,
                "service_level": self._levels(
                    totals,
                    ordinary.target if ordinary else 20.0,
                    ordinary.goal if ordinary else 0.85,
                ),
            },
            "agents": agents,
            "intervals": [
                {
                    "start": f"{slot // 2:02d}:{slot % 2 * 30:02d}",
                    "offered": c.offered,
                    "answered": c.answered,
                    "abandoned": c.abandoned,
                }
                for slot, c in sorted(self.slots.items())
            ],
            "alerts": alerts,
        }


def _alert(
    queue: str, kind: str, value: float, threshold: float, zh: str, en: str
) -> dict[str, Any]:
    return {
        "queue": queue,
        "kind": kind,
        "value": value,
        "threshold": threshold,
        "message": {"zh": zh, "en": en},
    }
