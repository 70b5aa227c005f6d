"""The dialer (外呼引擎): places each running campaign's calls on the engine's clock.

Every `tick` seconds of engine time it looks at each running campaign's floor (its agents
free and busy, its calls ringing and its answered customers waiting), asks the campaign's
pacing how many calls to place, lets the drop guard cut that to what the cap allows, and
calls that many due entries — important customers first, each in its customer class's
calling window — through `CallController.originate`. It follows the engine's events to
know how each call ended, measures the answer rate, ring and handle times the pacing
needs, and schedules the next try or closes the entry.

A preview campaign (预览式) places nothing by itself: an agent of its queue asks for the
next entry (`preview`), sees it, and dials it (`dial_preview`) or skips it
(`skip_preview`). While the customer's phone rings the agent is not ready (reason
``outbound``), so no inbound call takes them; the answered customer rings that agent at
once, and an unanswered call gives the agent back the state it had.

During a call the agent says who answered (`mark_party`): the customer (本人), someone else
(非本人) or an answering machine (答录机); the last two make the call a failed try.

It is an engine component like the ACD: the same code runs in the simulator, at any speed,
and live on SIP, where the clock is the wall clock.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from hotline.calls.controller import CallController
from hotline.calls.events import CallEnded, CallOutboundAnswered, Direction
from hotline.calls.outbound import OriginateError, PlayMessage, ToQueue
from hotline.core.calendar import BusinessCalendar, CalendarError
from hotline.core.clock import Clock, TimerHandle
from hotline.core.events import Event, EventBus
from hotline.core.ids import AgentId, CallId
from hotline.outbound.campaign import (
    PARTIES,
    CampaignError,
    CampaignSpec,
    Entry,
    EntryState,
    Result,
)
from hotline.outbound.events import (
    AttemptEnded,
    CampaignChanged,
    EntryClosed,
    EntryDialed,
    PartyMarked,
    PreviewSkipped,
)
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
from hotline.routing.model import AgentState, NotReadyReason

MANY = 1_000_000
BUSY = frozenset({AgentState.RINGING, AgentState.TALKING, AgentState.HOLD, AgentState.WRAP_UP})
HOLD_FOR = 300.0
"""Seconds an agent may keep a previewed entry undecided before it goes back to the list."""
SKIP_FOR = 1800.0
"""Seconds before an entry an agent skipped is offered again."""
MAY_DIAL = frozenset({AgentState.READY, AgentState.NOT_READY})

MayCall = Callable[[Entry], str | None]
"""Whether an entry may be called: None, or why not (``do_not_call``, ``black_list``)."""

OnAttempt = Callable[[CampaignSpec, Entry, Result], None]
"""Told of every call's end (a notice order records its contact attempt here)."""

Leaves = Callable[[AgentId, float, float], bool]
"""Whether an agent logs out at its shift's end after the first time and by the second
(the simulated agents' shifts): a call placed for it now could be answered after it left."""


@dataclass(slots=True)
class Progress:
    """A campaign's counts for the wallboard: entries by where they are, calls placed,
    customers reached, drops, and the drop rate of the guard's current window."""

    entries: int = 0
    pending: int = 0
    held: int = 0
    dialing: int = 0
    closed: int = 0
    reached: int = 0
    right_party: int = 0
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


def _comes_back(pending: tuple[AgentState, str, str | None] | None) -> bool:
    """Whether an agent on a call becomes ready after it: nothing asked for meanwhile, or
    示闲."""
    return pending is None or pending[0] is AgentState.READY


@dataclass(slots=True)
class Preview:
    """An entry shown to `agent` (预览式外呼) until it dials it, skips it or `until` passes."""

    campaign: CampaignSpec
    entry: Entry
    agent: AgentId
    until: float
    timer: TimerHandle | None = None


@dataclass(frozen=True, slots=True)
class AgentCall:
    """The campaign call an agent is offered or talking on, for the desk."""

    campaign: CampaignSpec
    entry: Entry
    call: CallId
    party: str


@dataclass(frozen=True, slots=True)
class Dialled:
    """The record an agent dialled last (预览式), for the desk: `ringing` while the
    customer's phone rings; once ended, the entry says the result and the next call."""

    campaign: CampaignSpec
    entry: Entry
    call: CallId
    ringing: bool
    ended: bool


@dataclass(frozen=True, slots=True)
class _DialledBy:
    agent: AgentId
    state: AgentState
    reason: str


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
        leaves: Leaves | None = None,
    ) -> None:
        self._clock = clock
        self._publish = bus.publish
        self._controller = controller
        self._acd = acd
        self._calendar = calendar
        self._tick_every = tick
        self._may_call = may_call
        self._on_attempt = on_attempt
        self._leaves = leaves
        self._campaigns: dict[str, _Campaign] = {}
        self._of_call: dict[CallId, _Campaign] = {}
        self._timer: TimerHandle | None = None
        self._seq = itertools.count()
        self._previews: dict[AgentId, Preview] = {}
        self._last_dialled: dict[AgentId, tuple[_Campaign, Entry, CallId]] = {}
        self._dialled_by: dict[CallId, _DialledBy] = {}
        self._with_agent: dict[CallId, AgentId] = {}  # a campaign's call offered to an agent
        self._party: dict[CallId, str] = {}  # who answered, as its agent said
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
        for shown in list(self._previews.values()):
            if shown.campaign.id == campaign_id:
                self._unhold(campaign, shown.entry, due=self._clock.now())

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
        if entry is None or entry.state not in (EntryState.PENDING, EntryState.HELD):
            return False
        if entry.state is EntryState.HELD:
            self._unhold(campaign, entry)
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

    # ---- preview (预览式): the agent sees the entry, then dials it -----------------------

    def held_by(self, agent: AgentId) -> Preview | None:
        """The entry shown to `agent` now, if any."""
        return self._previews.get(agent)

    def serves(self, agent: AgentId) -> bool:
        """Whether `agent` takes the calls of a running campaign (a stage of its queue admits
        the agent: a preview campaign's record may be dialled by any of them)."""
        return any(self._served(agent, preview_only=False))

    def preview_waiting(self, agent: AgentId) -> int:
        """How many entries are due now in the running preview campaigns `agent` serves."""
        now = self._clock.now()
        return sum(
            1
            for campaign in self._served(agent, preview_only=True)
            for entry in campaign.entries.values()
            if entry.state is EntryState.PENDING and entry.due <= now
        )

    def _served(self, agent: AgentId, *, preview_only: bool) -> Iterator[_Campaign]:
        found = self._acd.agents.get(agent)
        if found is None:
            return
        for campaign in self._campaigns.values():
            spec = campaign.spec
            if campaign.state != "running" or spec.queue is None:
                continue
            if preview_only and spec.pacing != "preview":
                continue
            stages = self._acd.queue(spec.queue).spec.stages
            if any(stage.selector.admits(found.profile) for stage in stages):
                yield campaign

    def preview(self, agent: AgentId) -> Preview | None:
        """The entry `agent` is to look at: the one it holds, else the first due entry of
        the running preview campaigns whose queue it serves (held for it `HOLD_FOR` s).
        None when there is none."""
        held = self._previews.get(agent)
        now = self._clock.now()
        if held is not None:
            return held
        self._acd.agent(agent)  # an unknown agent is refused here
        for campaign in list(self._served(agent, preview_only=True)):
            spec = campaign.spec
            entry = self._next_entry(campaign, now)
            if entry is None:
                continue
            self._last_dialled.pop(agent, None)
            entry.state = EntryState.HELD
            campaign.progress.pending -= 1
            campaign.progress.held += 1
            shown = Preview(spec, entry, agent, now + HOLD_FOR)
            shown.timer = self._clock.call_later(HOLD_FOR, self._hold_ended, agent, entry)
            self._previews[agent] = shown
            return shown
        return None

    def skip_preview(self, agent: AgentId, entry_id: str) -> float:
        """The agent does not dial its previewed entry (跳过): offered again `SKIP_FOR` s
        later, not counted as a try. Returns when."""
        shown = self._held(agent, entry_id)
        campaign = self._campaign(shown.campaign.id)
        self._unhold(campaign, shown.entry, due=self._clock.now() + SKIP_FOR)
        self._publish(
            PreviewSkipped(self._clock.now(), shown.campaign.id, entry_id, agent, shown.entry.due)
        )
        return shown.entry.due

    def dial_preview(self, agent: AgentId, entry_id: str) -> CallId:
        """Call the agent's previewed entry. The agent must be ready or not ready (not on a
        call, in wrap-up or away); it is not ready (``outbound``) while the customer's phone
        rings, and the answered customer rings it first."""
        shown = self._held(agent, entry_id)  # a paused or stopped campaign took it back
        campaign = self._campaign(shown.campaign.id)
        seat = self._acd.agent(agent)
        if seat.state not in MAY_DIAL or seat.contact is not None:
            raise CampaignError(
                f"agent {agent} is {seat.state.value}: dial when ready or not ready",
                agent=agent,
                state=seat.state.value,
            )
        before = _DialledBy(agent, seat.state, seat.reason)
        self._unhold(campaign, shown.entry)
        self._acd.set_not_ready(agent, NotReadyReason.OUTBOUND, by="外呼")
        call = self._place(campaign, shown.entry, agent=agent)
        if call is None:  # the number cannot be dialled: the entry is closed
            self._give_back(before)
            raise CampaignError(
                f"entry {entry_id!r}: {shown.entry.number!r} cannot be dialled", entry=entry_id
            )
        self._dialled_by[call] = before
        self._last_dialled[agent] = (campaign, shown.entry, call)
        return call

    def dialled(self, agent: AgentId) -> Dialled | None:
        """The record `agent` dialled last, until it is shown the next one."""
        found = self._last_dialled.get(agent)
        if found is None:
            return None
        campaign, entry, call = found
        ended = call not in campaign.calls
        return Dialled(campaign.spec, entry, call, call in campaign.dialing, ended)

    def _held(self, agent: AgentId, entry_id: str) -> Preview:
        shown = self._previews.get(agent)
        if shown is None or shown.entry.id != entry_id:
            raise CampaignError(
                f"entry {entry_id!r} is not shown to agent {agent} (taken back or settled)",
                entry=entry_id,
                agent=agent,
            )
        return shown

    def _unhold(self, campaign: _Campaign, entry: Entry, *, due: float | None = None) -> None:
        """Take back a held entry: pending again (at `due`), or left for the caller to
        dial or close when `due` is None."""
        for agent, shown in list(self._previews.items()):
            if shown.entry is entry:
                self._clock.cancel(shown.timer)
                del self._previews[agent]
        campaign.progress.held -= 1
        entry.state = EntryState.PENDING
        campaign.progress.pending += 1
        if due is not None:
            entry.due = due
            self._queue_entry(campaign, entry)

    def _hold_ended(self, agent: AgentId, entry: Entry) -> None:
        shown = self._previews.get(agent)
        if shown is not None and shown.entry is entry:
            shown.timer = None
            self._unhold(self._campaign(shown.campaign.id), entry, due=self._clock.now())

    def _give_back(self, before: _DialledBy) -> None:
        """The agent's state before it dialled, if it still waits for that call."""
        seat = self._acd.agent(before.agent)
        if seat.state is not AgentState.NOT_READY or seat.reason != NotReadyReason.OUTBOUND:
            return
        if before.state is AgentState.READY:
            self._acd.set_ready(before.agent, by="外呼")
        else:
            self._acd.set_not_ready(before.agent, NotReadyReason(before.reason), by="外呼")

    # ---- who answered -----------------------------------------------------------------

    def call_of(self, agent: AgentId) -> AgentCall | None:
        """The campaign call ringing or talking at `agent`'s seat, if any."""
        for call, who in self._with_agent.items():
            if who == agent:
                campaign = self._of_call[call]
                entry = campaign.entries[campaign.calls[call]]
                return AgentCall(campaign.spec, entry, call, self._party.get(call, ""))
        return None

    def mark_party(self, agent: AgentId, party: str) -> AgentCall:
        """The agent on a campaign call says who answered (`campaign.PARTIES`)."""
        if party not in PARTIES:
            raise CampaignError(f"party {party!r}: one of {', '.join(PARTIES)}", party=party)
        found = self.call_of(agent)
        if found is None:
            raise CampaignError(f"agent {agent} is on no campaign call", agent=agent)
        self._party[found.call] = party
        self._publish(
            PartyMarked(
                self._clock.now(), found.campaign.id, found.entry.id, found.call, party, agent
            )
        )
        return AgentCall(found.campaign, found.entry, found.call, party)

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
        answered_by = now + spec.ring_timeout + spec.drop_after + 1.0
        for agent in self._acd.agents.values():
            if not admits(agent.profile):
                continue
            if self._leaves is not None and self._leaves(agent.id, now, answered_by):
                continue  # its shift ends before a customer called now could reach it
            mine.add(agent.id)
            if agent.state is AgentState.READY:
                ready += 1
        # the agents on this campaign's calls who will be free again: not those who asked to
        # log out or go not ready when the call ends (a shift's end, a break)
        busy = tuple(
            now - since
            for agent, since in campaign.busy.items()
            if agent in mine and _comes_back(self._acd.agents[agent].pending)
        )
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
        if campaign.spec.queue is None or isinstance(pacing, Adaptive):
            wanted = pacing.calls_to_place(floor, campaign.measured)  # no agents / its own cut
        elif isinstance(pacing, Predictive):  # it searches no further than the cap allows
            room = campaign.guard.allowed(floor, MANY)
            wanted = pacing.calls_to_place(floor, campaign.measured, limit=room)
        else:
            wanted = campaign.guard.allowed(floor, pacing.calls_to_place(floor, campaign.measured))
        for _ in range(wanted):
            entry = self._next_entry(campaign, now)
            if entry is None:
                break
            self._place(campaign, entry)
        self._finish_if_done(campaign)

    def _place(
        self, campaign: _Campaign, entry: Entry, *, agent: AgentId | None = None
    ) -> CallId | None:
        """Call `entry` (for `agent`, who dialled it: no drop, it is rung first); None
        when its number cannot be dialled (the entry is closed ``unreachable``)."""
        spec = campaign.spec
        on_answer: ToQueue | PlayMessage
        if agent is not None:
            assert spec.queue is not None
            on_answer = ToQueue(spec.queue, agent=agent)
        elif spec.queue is not None:
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
            return None
        entry.state = EntryState.DIALING
        campaign.progress.pending -= 1
        campaign.progress.calls += 1
        campaign.calls[call] = entry.id
        campaign.dialing.add(call)
        self._of_call[call] = campaign
        self._publish(
            EntryDialed(self._clock.now(), spec.id, entry.id, call, entry.tries, spec.pacing)
        )
        return call

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
            self._with_agent[call] = AgentId(e.agent)
        elif isinstance(e, ContactAnswered):
            campaign.busy[AgentId(e.agent)] = e.at
            self._with_agent[call] = AgentId(e.agent)
        elif isinstance(e, ContactLeft):
            campaign.waiting.discard(call)
            self._with_agent.pop(call, None)
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
        self._with_agent.pop(call, None)
        before = self._dialled_by.pop(call, None)
        if before is not None:
            self._give_back(before)  # an unanswered preview call: the agent as it was
        party = self._party.pop(call, "")
        result = Result.of_call(e.outcome, e.by)
        if result is Result.REACHED and party in ("wrong", "machine"):
            result = Result.WRONG_PARTY if party == "wrong" else Result.MACHINE
        campaign.progress.right_party += result is Result.REACHED and party == "right"
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
