"""The people's seats: what each desk shows and what an agent or a supervisor does there.

`Desks` follows the engine's events to know which call is at which person's seat,
builds the typed desk view (`hotline.live.views`) and carries out the seat commands
(log in, ready, answer, hold, transfer, consult, wrap up …) on the engine. Every
command runs on the engine's thread, with the clock caught up to the wall first and
what it made due run at once after.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from hotline.calls.config import Hotline
from hotline.calls.events import CallArrived, CallDisposition, CallEnded, CallOriginated
from hotline.core.clock import VirtualClock
from hotline.core.customer import ListMark, Tier
from hotline.core.errors import HotlineError
from hotline.core.events import Event
from hotline.core.ids import AgentId, CallId, QueueName
from hotline.live.callers import CallerRecords
from hotline.live.engine import Engine, SeatPhones
from hotline.live.views import (
    ConsultView,
    CurrentCall,
    CustomerCard,
    DeskCallView,
    DeskView,
    Disposition,
    OpenOrder,
    PastContact,
    QueueChoice,
    SeatView,
    outside_view,
)
from hotline.routing.acd import ACD
from hotline.routing.events import (
    AgentStateChanged,
    ConsultEnded,
    ConsultStarted,
    ContactOffered,
)
from hotline.routing.model import AgentState, NotReadyReason
from hotline.routing.queue import Agent, ContactState

BUSY = frozenset({AgentState.RINGING, AgentState.TALKING, AgentState.HOLD, AgentState.WRAP_UP})
"""A person's seat in these states has a call: the demo's clock slows to 1×."""

_PHASES = {
    AgentState.RINGING: "ringing",
    AgentState.TALKING: "talking",
    AgentState.HOLD: "held",
    AgentState.WRAP_UP: "wrap_up",
}


class NotASeatError(HotlineError):
    error_id = "not-a-seat"


class NoCallError(HotlineError):
    error_id = "no-call"


class NoteRequiredError(HotlineError):
    """Wrap-up without a note, with a disposition that needs one (not in
    ``desk.note_optional``)."""

    error_id = "note-required"


class AgentLoggedOutError(HotlineError):
    """A state forced on a logged-out agent: a seat is signed in on purpose, never as a
    side effect of forcing a state."""

    error_id = "agent-logged-out"


@dataclass
class _DeskCall:
    call: CallId
    queue: QueueName
    waited: float
    consult_from: AgentId | None = None  # rung for a consultation by this agent
    # the customer record and contact history, read once per call: the desk view is
    # rebuilt for every snapshot (twice a second per seat), on the engine's thread
    lookup: tuple[CustomerCard | None, list[PastContact]] | None = None


@dataclass
class _CallInfo:
    caller: str
    tier: Tier
    list_mark: ListMark
    arrived_at: float
    outbound: bool = False  # the hotline called this customer (外呼)


@dataclass
class _State:
    calls: dict[CallId, _CallInfo] = field(default_factory=dict)
    desk: dict[AgentId, _DeskCall] = field(default_factory=dict)
    busy_seats: set[AgentId] = field(default_factory=set)


class Desks:
    """The desks of the seats people take (``hotline.yaml``'s `agents`)."""

    def __init__(
        self,
        *,
        engine: Engine,
        clock: VirtualClock,
        phones: SeatPhones,
        hotline: Hotline,
        callers: CallerRecords,
        catch_up: Callable[[], None],
        speed: Callable[[], float],
        on_busy: Callable[[bool], None],
        real_calls: bool,
    ) -> None:
        """`catch_up` brings the clock to the wall's time; `speed` is the clock's speed
        now (shown on the desk); `on_busy(busy)` is told when a person's seat takes a
        call or is free again; `real_calls`: real phones ring (the desk cannot answer)."""
        self.engine = engine
        self.clock = clock
        self.phones = phones
        self.hotline = hotline
        self.callers = callers
        self.human_seats = frozenset(seat.id for seat in hotline.agents)
        self._catch_up = catch_up
        self._speed = speed
        self._on_busy = on_busy
        self._real_calls = real_calls
        self._state = _State()

    @property
    def acd(self) -> ACD:
        return self.engine.acd

    @property
    def busy(self) -> bool:
        """Whether a person's seat rings, talks, holds or wraps up now."""
        return bool(self._state.busy_seats)

    def settle(self) -> None:
        """Run what a command made due at once (the switch answers from a timer)."""
        self.clock.run(until=self.clock.now())

    # ---- following the engine -------------------------------------------------------

    def track(self, e: Event) -> None:
        """Follow one event (subscribed to the engine's bus)."""
        state = self._state
        if isinstance(e, CallArrived):
            state.calls[e.call] = _CallInfo(e.caller, e.tier, e.list_mark, e.at)
        elif isinstance(e, CallOriginated):  # the customer the hotline calls (外呼)
            state.calls[e.call] = _CallInfo(e.number, e.tier, e.list_mark, e.at, outbound=True)
        elif isinstance(e, ContactOffered):
            if e.agent in self.human_seats:
                state.desk[e.agent] = _DeskCall(e.call, e.queue, e.waited)
        elif isinstance(e, ConsultStarted):
            if e.target in self.human_seats:
                state.desk[e.target] = _DeskCall(e.call, e.to_queue, 0.0, e.agent)
        elif isinstance(e, ConsultEnded):
            desk = state.desk.get(e.target)
            if e.outcome == "transferred" and desk is not None:
                desk.consult_from = None  # the caller is this seat's now
        elif isinstance(e, AgentStateChanged) and e.agent in self.human_seats:
            busy = e.state in BUSY
            if busy != (e.agent in state.busy_seats):
                if busy:
                    state.busy_seats.add(e.agent)
                else:
                    state.busy_seats.discard(e.agent)
                self._on_busy(busy)
            if not busy:
                desk = state.desk.pop(e.agent, None)
                if desk is not None:
                    self._forget_call(desk.call)
        elif isinstance(e, CallEnded) and all(d.call != e.call for d in state.desk.values()):
            state.calls.pop(e.call, None)

    def _forget_call(self, call: CallId) -> None:
        if call not in self.engine.switch.live_calls():
            self._state.calls.pop(call, None)

    # ---- the view -------------------------------------------------------------------

    def view(self, agent_id: str) -> DeskView:
        """What the agent desk shows for this seat; unmasked (the API masks by role)."""
        self._catch_up()
        now = self.clock.now()
        agent = self.acd.agent(AgentId(agent_id))
        desk = self.hotline.model.desk
        return DeskView(
            at=now,
            speed=self._speed(),
            agent=self._seat_view(agent, now),
            call=self._call_view(agent),
            queues=[QueueChoice(q.name, q.title or q.name) for q in self.hotline.queues],
            scripts={
                "greeting": desk.greeting.format(
                    salutation=salutation(now, self.hotline.timezone), agent=agent.id
                ),
                "closing": desk.closing,
            },
            dispositions=self.dispositions(),
        )

    def seat(self, agent_id: str) -> SeatView:
        """The agent at this seat and their state now."""
        self._catch_up()
        return self._seat_view(self.acd.agent(AgentId(agent_id)), self.clock.now())

    def current(self, agent_id: str) -> CurrentCall | None:
        """The seat's call in brief (None: no call); reads no history and no orders."""
        self._catch_up()
        agent = self.acd.agent(AgentId(agent_id))
        desk = self._state.desk.get(agent.id)
        phase = _PHASES.get(agent.state)
        if desk is None or phase is None:
            return None
        info = self._state.calls.get(desk.call)
        customer, _ = self._lookup(desk, info)
        return CurrentCall(
            id=desk.call,
            phase=phase,
            caller=info.caller if info is not None else "",
            customer_id=customer.id if customer is not None else None,
        )

    def dispositions(self) -> list[Disposition]:
        """The wrap-up dispositions (小结) of ``hotline.yaml``'s desk settings."""
        desk = self.hotline.model.desk
        return [
            Disposition(code, title, note_required=code not in desk.note_optional)
            for code, title in desk.dispositions.items()
        ]

    def _seat_view(self, agent: Agent, now: float) -> SeatView:
        return SeatView(
            id=agent.id,
            name=agent.profile.name,
            state=agent.state.value,
            reason=agent.reason,
            since=agent.since,
            in_state_s=round(max(0.0, now - agent.since), 1),
            human=agent.id in self.human_seats,
            answers_on_phone=self._real_calls,
        )

    def _lookup(
        self, desk: _DeskCall, info: _CallInfo | None
    ) -> tuple[CustomerCard | None, list[PastContact]]:
        """The caller's customer record and contact history, read once per call."""
        if desk.lookup is None:
            caller = info.caller if info is not None else ""
            # a simulated caller gets a made-up record; a customer the hotline called is
            # known by the list's number or not at all
            arrived_as = None
            if info is not None and not info.outbound:
                arrived_as = (info.tier.value, info.list_mark.value)
            desk.lookup = (
                self.callers.customer(caller, arrived_as),
                self.callers.history(caller, desk.call),
            )
        return desk.lookup

    def _call_view(self, agent: Agent) -> DeskCallView | None:
        desk = self._state.desk.get(agent.id)
        phase = _PHASES.get(agent.state)
        if desk is None or phase is None:
            return None
        info = self._state.calls.get(desk.call)
        wrap_ends = None
        if agent.state is AgentState.WRAP_UP and agent.timer is not None:
            wrap_ends = agent.timer.when
        caller = info.caller if info is not None else ""
        customer, history = self._lookup(desk, info)
        orders: list[OpenOrder] = self.callers.open_orders(caller)
        return DeskCallView(
            id=desk.call,
            phase=phase,
            caller=caller,
            queue=desk.queue,
            tier=info.tier.value if info is not None else Tier.ORDINARY.value,
            list_mark=info.list_mark.value if info is not None else ListMark.NONE.value,
            waited_s=round(desk.waited, 1),
            since=agent.since,
            wrap_up_ends=wrap_ends,
            customer=customer,
            history=history,
            orders=orders,
            consult=self._consult_view(agent, desk),
            outside=outside_view(self.engine.controller.outside.of(desk.call)),
            outbound=info is not None and info.outbound,
        )

    def _consult_view(self, agent: Agent, desk: _DeskCall) -> ConsultView | None:
        """The consultation this seat asked for, or the one it is rung for."""
        if desk.consult_from is not None:
            consult = self.acd.consults.get(desk.call)
            answered = consult is not None and consult.answered_at is not None
            return ConsultView(
                role="consulted",
                agent=desk.consult_from,
                target=agent.id,
                to_queue=desk.queue,
                phase="talking" if answered else "ringing",
            )
        consult = self.acd.consults.get(desk.call)
        if consult is None or consult.agent is not agent:
            return None
        return ConsultView(
            role="asking",
            agent=agent.id,
            target=consult.target.id,
            to_queue=consult.to_queue,
            phase="talking" if consult.answered_at is not None else "ringing",
        )

    # ---- commands by the agent at a seat --------------------------------------------

    def _seat(self, agent_id: str) -> Agent:
        agent = self.acd.agent(AgentId(agent_id))
        if agent.id not in self.human_seats:
            raise NotASeatError(
                f"agent {agent_id} is simulated; only seats taken by people accept desk commands",
                agent=agent_id,
            )
        self._catch_up()
        return agent

    def login(self, agent_id: str, *, by: str | None = None) -> None:
        self._seat(agent_id)
        self.acd.login(AgentId(agent_id), by=by)
        self.settle()

    def ready(self, agent_id: str, *, by: str | None = None) -> None:
        self._seat(agent_id)
        self.acd.set_ready(AgentId(agent_id), by=by)
        self.settle()

    def not_ready(self, agent_id: str, reason: str = "busy", *, by: str | None = None) -> None:
        self._seat(agent_id)
        try:
            why = NotReadyReason(reason)
        except ValueError:
            raise HotlineError(f"unknown not-ready reason {reason!r}", reason=reason) from None
        self.acd.set_not_ready(AgentId(agent_id), why, by=by)
        self.settle()

    def away(self, agent_id: str, *, by: str | None = None) -> None:
        self._seat(agent_id)
        self.acd.set_away(AgentId(agent_id), by=by)
        self.settle()

    def logout(self, agent_id: str, *, by: str | None = None) -> None:
        self._seat(agent_id)
        self.acd.logout(AgentId(agent_id), by=by)
        self.settle()

    def force_state(self, agent_id: str, state: str, *, supervisor: str, reason: str = "") -> None:
        """A supervisor sets any signed-in agent's state (simulated agents included); raises
        `AgentLoggedOutError` for a logged-out one (sign it in with `login` first)."""
        self._catch_up()
        try:
            target = AgentState(state)
        except ValueError:
            raise HotlineError(f"unknown agent state {state!r}", state=state) from None
        agent = self.acd.agent(AgentId(agent_id))
        if target is not AgentState.LOGGED_OUT and agent.state is AgentState.LOGGED_OUT:
            raise AgentLoggedOutError(
                f"坐席 {agent_id} 未签入, 不能置为其他状态 (agent {agent_id} is logged out: "
                "sign the seat in first)",
                agent=agent_id,
            )
        self.acd.force_state(agent.id, target, supervisor=supervisor, reason=reason)
        self.settle()

    def _current(self, agent: Agent, *states: ContactState) -> CallId:
        contact = agent.contact
        if contact is None or contact.state not in states:
            wanted = "/".join(s.name.lower() for s in states)
            raise NoCallError(f"agent {agent.id} has no call {wanted} now", agent=agent.id)
        return contact.call

    def _consulted(self, agent: Agent) -> CallId | None:
        """The call this seat is rung (or talks) for in a consultation, if any."""
        desk = self._state.desk.get(agent.id)
        if desk is None or desk.consult_from is None or desk.call not in self.acd.consults:
            return None
        return desk.call

    def answer(self, agent_id: str) -> CallId:
        agent = self._seat(agent_id)
        consulted = self._consulted(agent)
        if consulted is not None and agent.state is AgentState.RINGING:
            if not self.phones.pick_up(consulted, agent.id):
                raise NoCallError(f"the consultation to {agent_id} is no longer ringing")
            self.settle()
            return consulted
        call = self._current(agent, ContactState.OFFERED)
        if not self.phones.pick_up(call, agent.id):
            raise NoCallError(f"the call to agent {agent_id} is no longer ringing", call=call)
        self.settle()
        return call

    def hangup(self, agent_id: str) -> CallId:
        """End the conversation; a consulted seat ends the consultation instead (the
        caller stays on hold with the agent who asked)."""
        agent = self._seat(agent_id)
        consulted = self._consulted(agent)
        controller = self.engine.controller
        if consulted is not None:
            controller.cancel_consult(consulted)
            self.settle()
            return consulted
        call = self._current(agent, ContactState.TALKING, ContactState.HOLD)
        if controller.on_hold(call):
            controller.retrieve(call)
        if not self.phones.hang_up(call, agent.id):
            raise NoCallError(f"agent {agent_id} is not in a conversation", call=call)
        self.settle()
        return call

    def hold(self, agent_id: str) -> CallId:
        agent = self._seat(agent_id)
        call = self._current(agent, ContactState.TALKING)
        self.engine.controller.hold(call)
        self.settle()
        return call

    def retrieve(self, agent_id: str) -> CallId:
        agent = self._seat(agent_id)
        call = self._current(agent, ContactState.HOLD)
        self.engine.controller.retrieve(call)
        self.settle()
        return call

    def transfer(self, agent_id: str, queue: str) -> CallId:
        """Blind transfer (盲转) of the caller to `queue`; the agent goes to wrap-up."""
        agent = self._seat(agent_id)
        call = self._current(agent, ContactState.TALKING, ContactState.HOLD)
        if queue not in self.acd.queues:
            raise HotlineError(f"no queue named {queue!r}", queue=queue)
        controller = self.engine.controller
        if controller.on_hold(call):
            controller.retrieve(call)
        controller.transfer(call, QueueName(queue))
        self.settle()
        return call

    def consult(self, agent_id: str, queue: str) -> str:
        """Consult transfer, first step (咨询): the caller on hold, the best free agent of
        `queue` rung (the shift lead: ``shift_lead``); returns that agent's 工号."""
        agent = self._seat(agent_id)
        call = self._current(agent, ContactState.TALKING, ContactState.HOLD)
        target = self.engine.controller.consult(call, QueueName(queue))
        self.settle()
        return target

    def complete_transfer(self, agent_id: str) -> str:
        """Consult transfer, last step (完成转接): the caller goes to the consulted agent."""
        agent = self._seat(agent_id)
        call = self._current(agent, ContactState.HOLD, ContactState.TALKING)
        target = self.engine.controller.complete_consult(call)
        self.settle()
        return target

    def cancel_consult(self, agent_id: str) -> CallId:
        """End the consultation; the caller stays on hold (取回 takes it back)."""
        agent = self._seat(agent_id)
        call = self._current(agent, ContactState.HOLD, ContactState.TALKING)
        self.engine.controller.cancel_consult(call)
        self.settle()
        return call

    def wrap_up(
        self, agent_id: str, disposition: str, note: str = "", then: str = "ready"
    ) -> CallId:
        """Close the call in wrap-up with a disposition; the agent goes ready or not ready."""
        agent = self._seat(agent_id)
        desk = self._state.desk.get(agent.id)
        if desk is None or agent.state is not AgentState.WRAP_UP:
            raise NoCallError(f"agent {agent_id} is not in wrap-up", agent=agent_id)
        dispositions = self.hotline.model.desk.dispositions
        if disposition not in dispositions:
            known = ", ".join(dispositions)
            raise HotlineError(
                f"unknown disposition {disposition!r} (known: {known})", disposition=disposition
            )
        if then not in ("ready", "not_ready"):
            raise HotlineError(f"then must be ready or not_ready, not {then!r}", then=then)
        if not note.strip() and disposition not in self.hotline.model.desk.note_optional:
            raise NoteRequiredError(
                f"disposition {disposition!r} needs a note", disposition=disposition
            )
        call = desk.call
        self.engine.bus.publish(
            CallDisposition(self.clock.now(), call, agent.id, disposition, note[:2000])
        )
        if then == "ready":
            self.acd.set_ready(agent.id)
        else:
            self.acd.set_not_ready(agent.id, NotReadyReason.BUSY)
        self.settle()
        return call


def salutation(at: float, tz: datetime.tzinfo) -> str:
    """早上好 / 中午好 / 下午好 / 晚上好 for the hour at `at` in `tz` (the greeting script)."""
    hour = datetime.datetime.fromtimestamp(at, tz).hour
    if hour < 11:
        return "早上好"
    if hour < 13:
        return "中午好"
    if hour < 18:
        return "下午好"
    return "晚上好"
