"""The figures of a run, folded from its events (the event log is the only source).

Definitions (the full catalogue of figures comes with the metrics package):
- contacts: calls arrived; each has exactly one outcome (answered, abandoned,
  self-served, callback, blocked);
- abandoned: callers who hung up in queue or while an agent's phone rang,
  before any agent answered; short abandons waited ≤ `short_abandon` seconds
  (20 s) and are excluded from the abandon rate and the service level;
  callers who hung up inside the IVR are counted apart (`ivr_abandoned`);
- service level: answered within `target` seconds of entering the queue, over
  answered + abandoned after the short-abandon threshold, overall and per tier
  (each call once); per queue with each queue's own target (each contact in the
  queue it waited in, so a transferred call counts in both queues);
- ASA: mean queue time (ringing included) of answered calls;
- occupancy: (talk + hold + wrap-up) over (talk + hold + wrap-up + ready + ringing)
  agent time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hotline.calls.events import CallArrived, CallEnded, Outcome, Phase
from hotline.core.customer import Tier
from hotline.core.events import Event, EventBus
from hotline.core.ids import AgentId, CallId
from hotline.ivr.events import SurveyScored
from hotline.routing.events import (
    AgentStateChanged,
    CallbackCreated,
    ContactAbandoned,
    ContactAnswered,
)
from hotline.routing.model import AgentState

_BUSY = (AgentState.TALKING, AgentState.HOLD, AgentState.WRAP_UP)
_AVAILABLE = (AgentState.READY, AgentState.RINGING)


class _TierCounts:
    __slots__ = ("abandoned_long", "answered", "answered_in_target", "contacts")

    def __init__(self) -> None:
        self.contacts = 0
        self.answered = 0
        self.answered_in_target = 0
        self.abandoned_long = 0

    def service_level(self) -> float | None:
        base = self.answered + self.abandoned_long
        return self.answered_in_target / base if base else None


class RunSummary:
    """`attach` it to a bus; read the figures with `as_dict` at the end.

    With an `origin` (the run's start), figures are also kept per `interval`
    (an hour by default), counted by the time each call arrived.
    """

    def __init__(
        self,
        *,
        target: float = 20.0,
        short_abandon: float = 20.0,
        origin: float | None = None,
        interval: float = 3600.0,
        queues: Mapping[str, tuple[float, float]] | None = None,
    ) -> None:
        """`queues` gives each queue's service-level target (seconds) and goal (share)."""
        self.target = target
        self.queue_goals = dict(queues or {})
        self.queues: dict[str, _TierCounts] = {q: _TierCounts() for q in self.queue_goals}
        self.origin = origin
        self.interval = interval
        self.intervals: dict[int, _TierCounts] = {}
        self._interval_of: dict[CallId, _TierCounts] = {}
        self.short_abandon = short_abandon
        self.outcomes = dict.fromkeys(Outcome, 0)
        self.ivr_abandoned = 0
        self.abandoned_short = 0
        self.abandoned_long = 0
        self.wait_answered = 0.0
        self.callbacks = 0
        self.survey_count = 0
        self.survey_total = 0
        self.tiers = {tier: _TierCounts() for tier in Tier}
        self.state_time = dict.fromkeys(AgentState, 0.0)
        self._tier_of: dict[CallId, Tier] = {}
        self._answered: set[CallId] = set()
        self._agent_since: dict[AgentId, tuple[AgentState, float]] = {}
        self.last_at = 0.0
        self._dispatch: dict[type[Event], Callable[[Any], None]] = {
            CallArrived: self._arrived,
            CallEnded: self._ended,
            ContactAnswered: self._answered_event,
            ContactAbandoned: self._abandoned,
            AgentStateChanged: self._agent,
            CallbackCreated: self._callback,
            SurveyScored: self._survey,
        }

    def attach(self, bus: EventBus) -> None:
        """Subscribe to exactly the event types the summary counts."""
        for cls, handler in self._dispatch.items():
            bus.subscribe(handler, types=(cls,))

    def _arrived(self, e: CallArrived) -> None:
        self._tier_of[e.call] = e.tier
        self.tiers[e.tier].contacts += 1
        if self.origin is not None:
            slot = int((e.at - self.origin) // self.interval)
            counts = self.intervals.get(slot)
            if counts is None:
                counts = self.intervals[slot] = _TierCounts()
            counts.contacts += 1
            self._interval_of[e.call] = counts

    def _ended(self, e: CallEnded) -> None:
        self.outcomes[e.outcome] += 1
        if e.outcome is Outcome.ABANDONED and e.phase is Phase.IVR:
            self.ivr_abandoned += 1
        self._tier_of.pop(e.call, None)
        self._interval_of.pop(e.call, None)
        self._answered.discard(e.call)
        self.last_at = e.at

    def _answered_event(self, e: ContactAnswered) -> None:
        per_queue = self.queues.get(e.queue)
        if per_queue is not None:  # every contact counts in its own queue, transfers included
            per_queue.answered += 1
            per_queue.answered_in_target += e.waited <= self.queue_goals[e.queue][0]
        if e.call in self._answered:
            return  # answered again after a transfer: the call counts once
        self._answered.add(e.call)
        self.wait_answered += e.waited
        within = e.waited <= self.target
        for counts in (
            self.tiers[self._tier_of.get(e.call, Tier.ORDINARY)],
            self._interval_of.get(e.call),
        ):
            if counts is not None:
                counts.answered += 1
                counts.answered_in_target += within

    def _abandoned(self, e: ContactAbandoned) -> None:
        if e.call in self._answered:
            return
        per_queue = self.queues.get(e.queue)
        if per_queue is not None and e.waited > self.short_abandon:
            per_queue.abandoned_long += 1
        if e.waited <= self.short_abandon:
            self.abandoned_short += 1
        else:
            self.abandoned_long += 1
            self.tiers[self._tier_of.get(e.call, Tier.ORDINARY)].abandoned_long += 1
            slot = self._interval_of.get(e.call)
            if slot is not None:
                slot.abandoned_long += 1

    def _agent(self, e: AgentStateChanged) -> None:
        previous = self._agent_since.get(e.agent)
        if previous is not None:
            self.state_time[previous[0]] += e.at - previous[1]
        self._agent_since[e.agent] = (e.state, e.at)

    def _callback(self, e: CallbackCreated) -> None:
        self.callbacks += 1

    def _survey(self, e: SurveyScored) -> None:
        self.survey_count += 1
        self.survey_total += e.score

    def close(self, at: float) -> None:
        """Count agents' time up to `at` (the end of the run)."""
        for agent, (state, since) in self._agent_since.items():
            self.state_time[state] += max(0.0, at - since)
            self._agent_since[agent] = (state, at)
        self.last_at = max(self.last_at, at)

    def as_dict(self) -> dict[str, Any]:
        answered = sum(t.answered for t in self.tiers.values())
        in_target = sum(t.answered_in_target for t in self.tiers.values())
        base = answered + self.abandoned_long
        busy = sum(self.state_time[s] for s in _BUSY)
        available = sum(self.state_time[s] for s in _AVAILABLE)
        contacts = sum(t.contacts for t in self.tiers.values())
        abandoned = self.outcomes[Outcome.ABANDONED] - self.ivr_abandoned
        return {
            "contacts": contacts,
            "answered": self.outcomes[Outcome.ANSWERED],
            "abandoned": abandoned,
            "abandoned_short": self.abandoned_short,
            "abandoned_excluding_short": self.abandoned_long,
            "ivr_abandoned": self.ivr_abandoned,
            "self_served": self.outcomes[Outcome.SELF_SERVED],
            "callback": self.outcomes[Outcome.CALLBACK],
            "blocked": self.outcomes[Outcome.BLOCKED],
            "abandon_rate": self.abandoned_long / (answered + self.abandoned_long)
            if base
            else None,
            "service_level": in_target / base if base else None,
            "service_level_target_s": self.target,
            "service_level_by_tier": {t.value: c.service_level() for t, c in self.tiers.items()},
            "service_level_by_queue": {
                name: {
                    "answered": c.answered,
                    "service_level": c.service_level(),
                    "target_s": self.queue_goals[name][0],
                    "goal": self.queue_goals[name][1],
                }
                for name, c in self.queues.items()
            },
            "asa_s": self.wait_answered / answered if answered else None,
            "occupancy": busy / (busy + available) if busy + available else None,
            "callbacks_created": self.callbacks,
            "survey_answers": self.survey_count,
            "survey_mean": self.survey_total / self.survey_count if self.survey_count else None,
            "agent_hours": {s.value: round(t / 3600.0, 2) for s, t in self.state_time.items() if t},
            "by_interval": [
                {
                    "start_s": slot * self.interval,
                    "contacts": c.contacts,
                    "answered": c.answered,
                    "abandoned_excluding_short": c.abandoned_long,
                    "service_level": c.service_level(),
                }
                for slot, c in sorted(self.intervals.items())
            ],
        }
