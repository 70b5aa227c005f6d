"""The dialer (外呼引擎): places each running campaign's calls on the engine's clock.

Every `tick` seconds of engine time it looks at each running campaign's floor (its agents
free and busy, its calls ringing and its answered customers waiting), asks the campaign's
pacing how many calls to place, lets the drop guard cut that to what the cap allows, and
calls that many due entries — important customers first, each in its customer class's
calling window — through `CallController.originate`. It follows the engine's events to
know how each call ended, measures the answer rate, ring and handle times the pacing
needs, and schedules the next try or closes the entry.

It is an engine component like the ACD: the same code runs in the simulator, at any speed,
and live on SIP, where the clock is the wall clock.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from hotline.calls.controller import CallController
from hotline.calls.events import CallEnded, CallOutboundAnswered, Direction
from hotline.calls.outbound import OriginateError, PlayMessage, ToQueue
from hotline.core.calendar import BusinessCalendar, CalendarError
from hotline.core.clock import Clock, TimerHandle
from hotline.core.events import Event, EventBus
from hotline.core.ids import AgentId, CallId
from hotline.outbound.campaign import (
    CampaignError,
    CampaignSpec,
    Entry,
    EntryState,
    Result,
)
from hotline.outbound.events import AttemptEnded, CampaignChanged, EntryClosed, EntryDialed
from hotline.outbound.pacing import (
    Adaptive,
    DropGuard,
    Floor,
    Measured,
    Pacing,
    Predictive,
    pacing,
)
from hotline.routing.acd import ACD
from hotline.routing.events import (
    AgentStateChanged,
    ContactAnswered,
    ContactLeft,
    ContactOffered,
)
from hotline.routing.model import AgentState

MANY = 1_000_000
BUSY = frozenset({AgentState.RINGING, AgentState.TALKING, AgentState.HOLD, AgentState.WRAP_UP})

MayCall = Callable[[Entry], str | None]
"""Whether an entry may be called: None, or why not (``do_not_call``, ``black_list``)."""

OnAttempt = Callable[[CampaignSpec, Entry, Result], None]
"""Told of every call's end (a notice order records its contact attempt here)."""


@dataclass(slots=True)
class Progress:
    """A campaign's counts for the wallboard: entries by where they are, calls placed,
    customers reached, drops, and the drop rate of the guard's current window."""

    entries: int = 0
    pending: int = 0
    dialing: int = 0
    closed: int = 0
    reached: int = 0
    exhausted: int = 0
    skipped: int = 0
    calls: int = 0
    answered: int = 0
    dropped: int = 0
    window_answered: int = 0
    window_dropped: int = 0


@dataclass(slots=True)
class _Campaign:
    spec: CampaignSpec
    pacing: Pacing
    guard: DropGuard
    measured: Measured = field(default_factory=Measured)
    state: str = "new"
    entries: dict[str, Entry] = field(default_factory=dict)
    important: list[tuple[float, int, str]] = field(default_factory=list)
    ordinary: list[tuple[float, int, str]] = field(default_factory=list)
    calls: dict[CallId, str] = field(default_factory=dict)  # dialing or answered → entry
    dialing: set[CallId] = field(default_factory=set)
    waiting: set[CallId] = field(default_factory=set)
    busy: dict[AgentId, float] = field(default_factory=dict)  # agent → since its answer
    progress: Progress = field(default_factory=Progress)


class Dialer:
    """The campaigns of one engine and the dialing of the running ones."""

    def __init__(
        self,
        *,
        clock: Clock,
        bus: EventBus,
        controller: CallController,
        acd: ACD,
        calendar: BusinessCalendar,
        tick: float = 1.0,
        may_call: MayCall | None = None,
        on_attempt: OnAttempt | None = None,
    ) -> None:
        self._clock = clock
        self._publish = bus.publish
        self._controller = controller
        self._acd = acd
        self._calendar = calendar
        self._tick_every = tick
        self._may_call = may_call
        self._on_attempt = on_attempt
        self._campaigns: dict[str, _Campaign] = {}
        self._of_call: dict[CallId, _Campaign] = {}
        self._timer: TimerHandle | None = None
        self._seq = itertools.count()
        bus.subscribe(
            self._follow,
            (
                CallOutboundAnswered,
                CallEnded,
                ContactOffered,
                ContactAnswered,
                ContactLeft,
                AgentStateChanged,
            ),
        )

    # ---- campaigns ----------------------------------------------------------------------

    def add(self, spec: CampaignSpec, entries: Iterable[Entry] = (), *, state: str = "new") -> None:
        """A campaign with its list: a new one, or one read back after a restart in the
        `state` the log left it in (``running`` dials at once; nothing is published)."""
        if spec.id in self._campaigns:
            raise CampaignError(f"campaign {spec.id!r} exists already", campaign=spec.id)
        if spec.queue is not None:
            self._acd.queue(spec.queue)  # an unknown queue is refused here
        guard = DropGuard(
            cap=spec.drop_cap,
            window=spec.drop_window,
            ring=spec.ring_timeout + spec.drop_after + 1.0,
            offset=self._utc_offset(),
        )
        campaign = _Campaign(spec, pacing(spec.pacing, cap=spec.drop_cap), guard, state=state)
        self._campaigns[spec.id] = campaign
        self.extend(spec.id, entries)
        if state == "running":
            self._schedule()

    def extend(self, campaign_id: str, entries: Iterable[Entry]) -> int:
        """Add entries to a campaign's list; returns how many were new."""
        campaign = self._campaign(campaign_id)
        added = 0
        for entry in entries:
            if entry.id in campaign.entries:
                continue
            entry.seq = next(self._seq)
            entry.due = max(entry.due, 0.0)
            campaign.entries[entry.id] = entry
            p = campaign.progress
            p.entries += 1
            added += 1
            if entry.state is EntryState.CLOSED:  # read back after a restart
                p.closed += 1
                p.reached += entry.result in (Result.REACHED, Result.NOTIFIED)
                p.skipped += entry.result == "skipped"
                continue
            entry.state = EntryState.PENDING
            p.pending += 1
            self._queue_entry(campaign, entry)
        return added

    def has(self, campaign_id: str) -> bool:
        return campaign_id in self._campaigns

    def knows(self, campaign_id: str, entry_id: str) -> bool:
        """Whether the entry is on the campaign's list already."""
        campaign = self._campaigns.get(campaign_id)
        return campaign is not None and entry_id in campaign.entries

    def start(self, campaign_id: str, *, by: str) -> None:
        campaign = self._campaign(campaign_id)
        if campaign.state == "running":
            return
        if campaign.state in ("stopped", "finished"):
            raise CampaignError(
                f"campaign {campaign_id!r} is {campaign.state}", campaign=campaign_id
            )
        self._change(campaign, "running", by)
        self._schedule()

    def pause(self, campaign_id: str, *, by: str) -> None:
        """Stop dialing; the calls still ringing are cancelled (not counted as tries), the
        answered ones go on."""
        campaign = self._campaign(campaign_id)
        if campaign.state != "running":
            return
        self._change(campaign, "paused", by)
        for call in list(campaign.dialing):
            self._controller.cancel_outbound(call)

    def stop(self, campaign_id: str, *, by: str) -> None:
        """End the campaign for good: what is still pending stays so, as not called."""
        campaign = self._campaign(campaign_id)
        if campaign.state in ("stopped", "finished"):
            return
        self.pause(campaign_id, by=by)
        self._change(campaign, "stopped", by)

    def progress(self, campaign_id: str) -> Progress:
        campaign = self._campaign(campaign_id)
        campaign.guard.roll(self._clock.now())
        p = campaign.progress
        p.dialing = len(campaign.dialing)
        p.window_answered, p.window_dropped = campaign.guard.answered, campaign.guard.dropped
        return p

    def state(self, campaign_id: str) -> str:
        return self._campaign(campaign_id).state

    def entry(self, campaign_id: str, entry_id: str) -> Entry:
        return self._campaign(campaign_id).entries[entry_id]

    def withdraw(self, campaign_id: str, entry_id: str, *, reason: str) -> bool:
        """Close a pending entry without calling it (its callback task, visit or order was
        settled elsewhere): ``skipped`` with `reason`. False when it is ringing or closed."""
        campaign = self._campaign(campaign_id)
        entry = campaign.entries.get(entry_id)
        if entry is None or entry.state is not EntryState.PENDING:
            return False
        self._close(campaign, entry, "skipped", "", reason=reason)
        return True

    def entries(self, campaign_id: str) -> list[Entry]:
        """The campaign's list, in list order."""
        return sorted(self._campaign(campaign_id).entries.values(), key=lambda e: e.seq)

    def campaigns(self) -> list[CampaignSpec]:
        return [c.spec for c in self._campaigns.values()]

    def _campaign(self, campaign_id: str) -> _Campaign:
        campaign = self._campaigns.get(campaign_id)
        if campaign is None:
            raise CampaignError(f"no campaign {campaign_id!r}", campaign=campaign_id)
        return campaign

    def _change(self, campaign: _Campaign, state: str, by: str) -> None:
        campaign.state = state
        self._publish(CampaignChanged(self._clock.now(), campaign.spec.id, state, by))

    def _utc_offset(self) -> float:
        local = self._calendar.local(self._clock.now())
        offset = local.utcoffset()
        return offset.total_seconds() if offset is not None else 0.0

    # ---- the list -----------------------------------------------------------------------

    def _queue_entry(self, campaign: _Campaign, entry: Entry) -> None:
        heap = campaign.important if entry.important else campaign.ordinary
        heapq.heappush(heap, (entry.due, entry.seq, entry.id))

    def _next_entry(self, campaign: _Campaign, now: float) -> Entry | None:
        """The first due entry whose calling window is open now; entries due but out of
        their window move to the window's next opening."""
        for heap in (campaign.important, campaign.ordinary):
            while heap and heap[0][0] <= now:
                due, _, entry_id = heapq.heappop(heap)
                entry = campaign.entries[entry_id]
                if entry.state is not EntryState.PENDING or entry.due != due:
                    continue  # closed, or queued again at another time
                opens = self._window_opens(campaign.spec, entry, now)
                if opens is None:
                    self._close(campaign, entry, "skipped", "", reason="window")
                    continue
                if opens > now:
                    entry.due = opens
                    self._queue_entry(campaign, entry)
                    continue
                refused = self._may_call(entry) if self._may_call is not None else None
                if refused is not None:
                    self._close(campaign, entry, "skipped", "", reason=refused)
                    continue
                return entry
        return None

    def _window_opens(self, spec: CampaignSpec, entry: Entry, now: float) -> float | None:
        window = spec.windows.get(entry.customer_class)
        try:
            if window is None:
                return self._calendar.next_working_moment(now)
            return self._calendar.next_in_window(window, now)
        except CalendarError:
            return None

    # ---- dialing ------------------------------------------------------------------------

    def _schedule(self) -> None:
        if self._timer is None:
            self._timer = self._clock.call_later(0.0, self._tick)

    def _tick(self) -> None:
        self._timer = None
        running = [c for c in self._campaigns.values() if c.state == "running"]
        if not running:
            return
        now = self._clock.now()
        for campaign in running:
            self._dial(campaign, now)
        self._timer = self._clock.call_later(self._tick_every, self._tick)

    def floor(self, campaign_id: str) -> Floor:
        """The campaign's floor now (its pacing's input)."""
        return self._floor(self._campaign(campaign_id), self._clock.now())

    def _floor(self, campaign: _Campaign, now: float) -> Floor:
        spec = campaign.spec
        if spec.queue is None:  # a notice: lines, not agents, limit it (one per tick)
            return Floor(now, ready=1, dialing=len(campaign.dialing))
        queue = self._acd.queue(spec.queue)
        admits = queue.spec.stages[0].selector.admits
        ready = 0
        mine: set[AgentId] = set()
        for agent in self._acd.agents.values():
            if not admits(agent.profile):
                continue
            mine.add(agent.id)
            if agent.state is AgentState.READY:
                ready += 1
        busy = tuple(now - since for agent, since in campaign.busy.items() if agent in mine)
        # those who go first, whoever of these agents frees up: callers of other queues
        # waiting at any stage these agents serve (inbound keeps priority), and the other
        # campaigns' calls on this queue, ringing or answered (each campaign counts its own
        # worst case: theirs take the agents first)
        ahead = sum(
            len(c.dialing) + len(c.waiting)
            for c in self._campaigns.values()
            if c is not campaign and c.spec.queue == spec.queue
        )
        for other in self._acd.queues.values():
            if other.name == spec.queue or not other.size:
                continue
            if any(
                stage.selector.admits(self._acd.agents[a].profile)
                for stage in other.spec.stages
                for a in mine
            ):
                ahead += other.size
        return Floor(
            now,
            ready=ready,
            busy=busy,
            dialing=len(campaign.dialing),
            waiting=len(campaign.waiting),
            inbound_waiting=ahead,
        )

    def _dial(self, campaign: _Campaign, now: float) -> None:
        if not any(heap and heap[0][0] <= now for heap in (campaign.important, campaign.ordinary)):
            self._finish_if_done(campaign)
            return  # nothing due: the floor need not be read
        floor = self._floor(campaign, now)
        pacing = campaign.pacing
        if isinstance(pacing, Adaptive):  # its own rule: back to 1.0 past the day's cap
            p = campaign.progress
            pacing.cut = p.answered > 0 and p.dropped > campaign.spec.drop_cap * p.answered
        if isinstance(pacing, Predictive) and campaign.spec.queue is not None:
            room = campaign.guard.allowed(floor, MANY)  # no search beyond what the cap allows
            wanted = pacing.calls_to_place(floor, campaign.measured, limit=room)
        else:
            wanted = pacing.calls_to_place(floor, campaign.measured)
        if campaign.spec.queue is not None and not isinstance(pacing, Adaptive):
            wanted = campaign.guard.allowed(floor, wanted)
        for _ in range(wanted):
            entry = self._next_entry(campaign, now)
            if entry is None:
                break
            self._place(campaign, entry)
        self._finish_if_done(campaign)

    def _place(self, campaign: _Campaign, entry: Entry) -> None:
        spec = campaign.spec
        on_answer: ToQueue | PlayMessage
        if spec.queue is not None:
            on_answer = ToQueue(
                spec.queue, drop_after=spec.drop_after, drop_prompt=spec.drop_prompt
            )
        else:
            assert spec.prompt is not None
            on_answer = PlayMessage(spec.prompt)
        entry.tries += 1
        try:
            call = self._controller.originate(
                entry.number, on_answer, caller_id=spec.caller_id, timeout=spec.ring_timeout
            )
        except OriginateError:
            self._close(campaign, entry, Result.UNREACHABLE.value, spec.then, reason="number")
            return
        entry.state = EntryState.DIALING
        campaign.progress.pending -= 1
        campaign.progress.calls += 1
        campaign.calls[call] = entry.id
        campaign.dialing.add(call)
        self._of_call[call] = campaign
        self._publish(
            EntryDialed(self._clock.now(), spec.id, entry.id, call, entry.tries, spec.pacing)
        )

    def _finish_if_done(self, campaign: _Campaign) -> None:
        p = campaign.progress
        if campaign.spec.standing:
            return
        if p.pending == 0 and not campaign.calls and p.closed == p.entries:
            self._change(campaign, "finished", "dialer")

    # ---- following the engine -----------------------------------------------------------

    def _follow(self, e: Event) -> None:
        if isinstance(e, AgentStateChanged):
            if e.state not in BUSY:
                for campaign in self._campaigns.values():
                    since = campaign.busy.pop(AgentId(e.agent), None)
                    if since is not None:
                        campaign.measured.handled(e.at - since)
            return
        assert isinstance(
            e, CallOutboundAnswered | ContactOffered | ContactAnswered | ContactLeft | CallEnded
        )
        call = e.call
        found = self._of_call.get(call)
        if found is None:
            return
        campaign = found
        if isinstance(e, CallOutboundAnswered):
            campaign.dialing.discard(call)
            campaign.waiting.add(call)
            campaign.measured.dial_ended(True, e.rang)
            campaign.guard.answer(e.at)
            campaign.progress.answered += 1
        elif isinstance(e, ContactOffered):
            campaign.waiting.discard(call)
        elif isinstance(e, ContactAnswered):
            campaign.busy[AgentId(e.agent)] = e.at
        elif isinstance(e, ContactLeft):
            campaign.waiting.discard(call)
            if e.reason == "dropped":  # counted when the customer is let go, not at hang-up
                campaign.guard.drop(e.at)
                campaign.progress.dropped += 1
        elif isinstance(e, CallEnded) and e.direction is Direction.OUTBOUND:
            self._ended(campaign, call, e)

    def _ended(self, campaign: _Campaign, call: CallId, e: CallEnded) -> None:
        del self._of_call[call]
        entry = campaign.entries[campaign.calls.pop(call)]
        was_dialing = call in campaign.dialing
        campaign.dialing.discard(call)
        campaign.waiting.discard(call)
        result = Result.of_call(e.outcome, e.by)
        if result is not Result.CANCELLED:
            entry.result = result.value  # the last call's, until the entry closes
        if was_dialing and result is not Result.CANCELLED:
            campaign.measured.dial_ended(False, e.duration)
        if self._on_attempt is not None and result is not Result.CANCELLED:
            self._on_attempt(campaign.spec, entry, result)
        spec = campaign.spec
        if result is Result.CANCELLED:
            entry.tries -= 1  # the campaign paused: not a try
        if result.reached:
            self._attempt_ended(campaign, entry, call, result, 0.0)
            campaign.progress.reached += 1
            self._close(campaign, entry, result.value, "", reason="")
        elif result is not Result.CANCELLED and entry.tries >= spec.max_tries:
            self._attempt_ended(campaign, entry, call, result, 0.0)
            campaign.progress.exhausted += 1
            self._close(campaign, entry, result.value, spec.then, reason="tries")
        else:
            delay = 0.0 if result is Result.CANCELLED else spec.delay(result)
            entry.due = e.at + delay
            entry.state = EntryState.PENDING
            campaign.progress.pending += 1
            self._queue_entry(campaign, entry)
            self._attempt_ended(campaign, entry, call, result, entry.due)
        if campaign.state == "running":
            self._finish_if_done(campaign)

    def _attempt_ended(
        self, campaign: _Campaign, entry: Entry, call: CallId, result: Result, next_at: float
    ) -> None:
        self._publish(
            AttemptEnded(
                self._clock.now(),
                campaign.spec.id,
                entry.id,
                call,
                entry.tries,
                result.value,
                result.reached,
                next_at,
            )
        )

    def _close(
        self, campaign: _Campaign, entry: Entry, result: str, then: str, *, reason: str
    ) -> None:
        was = entry.state
        entry.state = EntryState.CLOSED
        entry.result = result
        p = campaign.progress
        if was is EntryState.PENDING:
            p.pending -= 1
        p.closed += 1
        if result == "skipped":
            p.skipped += 1
        self._publish(
            EntryClosed(
                self._clock.now(), campaign.spec.id, entry.id, result, entry.tries, then, reason
            )
        )
