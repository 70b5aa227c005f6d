"""Runtime objects of the ACD: agents, contacts, queues and the idle-agent indexes.

These are mutable and slotted for speed: a busy simulated day moves millions
of contacts through them. Only `routing.acd` mutates them.

Queues and idle indexes are heaps with lazy deletion: an entry is valid while
the object still is where the entry says (a contact's `entry` token, an
agent's `epoch`); stale entries are dropped when they reach the top, and a
heap that is mostly stale is compacted.
"""

from __future__ import annotations

import enum
import heapq
from typing import Any

from sortedcontainers import SortedList

from hotline.core.clock import TimerHandle
from hotline.core.customer import ListMark, Tier
from hotline.core.ids import AgentId, CallId
from hotline.routing.model import AgentProfile, AgentState, QueueSpec, Selector, Strategy


class ContactState(enum.Enum):
    QUEUED = 1
    OFFERED = 2  # an agent's phone rings
    TALKING = 3
    HOLD = 4
    DONE = 5
    ASIDE = 6  # out of the queue at its maximum wait, while the caller is offered a callback


class Agent:
    """A logged-in (or known) agent's live state and today's counters."""

    __slots__ = (
        "calls_today",
        "contact",
        "epoch",
        "id",
        "idle_since",
        "indexed",
        "indexes",
        "ordinal",
        "pending",
        "profile",
        "reason",
        "serves",
        "since",
        "state",
        "talk_today",
        "timer",
    )

    def __init__(self, profile: AgentProfile, ordinal: int, now: float) -> None:
        self.profile = profile
        self.id: AgentId = profile.id
        self.ordinal = ordinal
        self.state = AgentState.LOGGED_OUT
        self.reason = ""
        self.since = now
        self.idle_since = now
        self.calls_today = 0
        self.talk_today = 0.0
        self.epoch = 0
        self.indexed = False  # in the idle indexes (ready, and no contact taken at once)
        self.contact: Contact | None = None
        self.pending: tuple[AgentState, str, str | None] | None = None
        self.timer: TimerHandle | None = None
        # (queue, earliest stage admitting this agent), and the idle indexes it belongs to
        self.serves: list[tuple[CallQueue, int]] = []
        self.indexes: list[IdleIndex] = []

    def __repr__(self) -> str:
        return f"<Agent {self.id} {self.state.value}>"


class Contact:
    """One caller waiting in (or served from) one queue."""

    __slots__ = (
        "agent",
        "answered_at",
        "call",
        "caller",
        "entered_at",
        "entry",
        "first_queued_at",
        "held_at",
        "hold_total",
        "list_mark",
        "offered_at",
        "position",
        "priority",
        "queue",
        "ring_timer",
        "stage",
        "state",
        "tier",
        "timer",
    )

    def __init__(
        self,
        call: CallId,
        caller: str,
        tier: Tier,
        list_mark: ListMark,
        queue: CallQueue,
        priority: int,
        now: float,
        position: float,
    ) -> None:
        self.call = call
        self.caller = caller
        self.tier = tier
        self.list_mark = list_mark
        self.queue = queue
        self.priority = priority
        self.entered_at = now
        self.first_queued_at = now
        self.position = position  # the time that orders it among equal priorities
        self.entry = 0
        self.stage = 0
        self.state = ContactState.QUEUED
        self.timer: TimerHandle | None = None
        self.ring_timer: TimerHandle | None = None
        self.agent: Agent | None = None
        self.offered_at = 0.0
        self.answered_at = 0.0
        self.held_at = 0.0
        self.hold_total = 0.0

    def __repr__(self) -> str:
        return f"<Contact {self.call} {self.queue.name} {self.state.name}>"


class CallQueue:
    """Waiting contacts of one queue: highest priority first, then earliest position."""

    __slots__ = ("_heap", "_seq", "indexes", "name", "size", "spec")

    def __init__(self, spec: QueueSpec) -> None:
        self.spec = spec
        self.name = spec.name
        self._heap: list[tuple[int, float, int, Contact]] = []
        self._seq = 0
        self.size = 0
        self.indexes: list[IdleIndex] = []  # one per stage

    def push(self, contact: Contact) -> None:
        self._seq += 1
        contact.entry = self._seq
        contact.queue = self
        contact.state = ContactState.QUEUED
        heapq.heappush(self._heap, (-contact.priority, contact.position, self._seq, contact))
        self.size += 1
        if len(self._heap) > 4 * self.size + 64:
            self._compact()

    def head(self) -> Contact | None:
        heap = self._heap
        while heap:
            _, _, seq, contact = heap[0]
            if (
                contact.entry == seq
                and contact.state is ContactState.QUEUED
                and contact.queue is self
            ):
                return contact
            heapq.heappop(heap)
        return None

    def take(self, contact: Contact) -> None:
        """Remove a waiting contact (it was offered, abandoned or moved)."""
        contact.entry = 0
        self.size -= 1

    def waiting(self) -> list[Contact]:
        """Waiting contacts in service order (for display and tests; O(n log n))."""
        live = [e for e in self._heap if e[3].entry == e[2] and e[3].queue is self]
        return [e[3] for e in sorted(live, key=lambda e: e[:3])]

    def _compact(self) -> None:
        self._heap = [e for e in self._heap if e[3].entry == e[2] and e[3].queue is self]
        heapq.heapify(self._heap)


class IdleIndex:
    """Ready agents a selector admits, best first by one strategy."""

    __slots__ = ("_heap", "_pointer", "_rr", "live", "selector", "strategy")

    def __init__(self, selector: Selector, strategy: Strategy) -> None:
        self.selector = selector
        self.strategy = strategy
        self._heap: list[tuple[Any, ...]] = []
        self._rr: SortedList | None = SortedList() if strategy is Strategy.ROUND_ROBIN else None
        self._pointer = -1
        self.live = 0  # agents in it now (ready and idle); bounds the stale heap entries

    def add(self, agent: Agent) -> None:
        """The agent just became ready (and idle)."""
        self.live += 1
        strategy = self.strategy
        if self._rr is not None:
            self._rr.add((agent.ordinal, agent))
            return
        if strategy is Strategy.LONGEST_IDLE:
            key: tuple[Any, ...] = (agent.idle_since, agent.ordinal, agent.epoch, agent)
        elif strategy is Strategy.FEWEST_CALLS:
            key = (agent.calls_today, agent.idle_since, agent.ordinal, agent.epoch, agent)
        elif strategy is Strategy.LEAST_TALK:
            key = (agent.talk_today, agent.idle_since, agent.ordinal, agent.epoch, agent)
        else:
            skill = self.selector.skill
            level = agent.profile.skills.get(skill, 0) if skill is not None else 0
            key = (-level, agent.idle_since, agent.ordinal, agent.epoch, agent)
        heapq.heappush(self._heap, key)
        if len(self._heap) > 2 * self.live + 64:
            self._compact()  # small and amortised: at most live + 64 stale entries go

    def discard(self, agent: Agent) -> None:
        """The agent stopped being idle (its heap entry goes stale; round robin removes it)."""
        self.live -= 1
        if self._rr is not None:
            self._rr.discard((agent.ordinal, agent))

    def best(self) -> Agent | None:
        """The agent this strategy would choose now, or None."""
        rr = self._rr
        if rr is not None:
            if not rr:
                return None
            i = rr.bisect_left((self._pointer + 1,))
            chosen: Agent = rr[i if i < len(rr) else 0][1]
            return chosen
        heap = self._heap
        ready = AgentState.READY
        while heap:
            top = heap[0]
            agent = top[-1]
            if agent.state is ready and agent.epoch == top[-2]:
                return agent  # type: ignore[no-any-return]
            heapq.heappop(heap)
        return None

    def chosen(self, agent: Agent) -> None:
        """Tell the index its best agent was taken (advances round robin)."""
        if self._rr is not None:
            self._pointer = agent.ordinal

    def _compact(self) -> None:
        ready = AgentState.READY
        self._heap = [e for e in self._heap if e[-1].state is ready and e[-1].epoch == e[-2]]
        heapq.heapify(self._heap)
