"""The simulated switch: the `Switch` port on a virtual clock, with scripted parties.

Callers and agent phones are not modelled here: a `Parties` object (the
simulator's population) decides what a caller types, how long it waits before
hanging up, whether and when an agent answers and how long a conversation
lasts. Customers the hotline calls (`originate`) are `Customers`: whether and
when they pick up, then, once connected, what callers do. The switch only keeps
the legs and the timers, and reports back to its `SwitchListener` exactly as a
real switch would: never from inside a command, always from a timer (so the
engine sees the same re-entrancy as live).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Protocol

from hotline.core.clock import Clock, TimerHandle
from hotline.core.ids import AgentId, CallId
from hotline.telephony.customers import Customers, Pickup
from hotline.telephony.port import SwitchListener


class Parties(Protocol):
    """The behaviour of simulated callers and agents."""

    def respond(
        self, call: CallId, prompt: str | None, max_digits: int
    ) -> tuple[str, float] | None:
        """What the caller types at a collect prompt and how many seconds after the
        prompt starts; None when the caller types nothing."""
        ...

    def waiting_started(self, call: CallId) -> None:
        """The caller hears hold music: its patience starts running."""
        ...

    def ring(self, call: CallId, agent: AgentId, timeout: float) -> float | None:
        """Seconds until the agent picks up, or None if the agent lets it ring out."""
        ...

    def bridged(self, call: CallId, agent: AgentId) -> tuple[float | None, bool]:
        """Conversation length, and True when the caller (not the agent) hangs up.

        None: the conversation lasts until a person at the desk hangs up (`agent_hangs_up`).
        """
        ...

    def conversation_ended(self, call: CallId, agent: AgentId) -> None:
        """The agent's leg is down (the agent starts wrap-up)."""
        ...

    def call_ended(self, call: CallId) -> None:
        """The call is gone from the switch."""
        ...


class _CallerSide(Protocol):
    """What the party at the caller's end of a leg decides (`Parties` or `Customers`)."""

    def respond(
        self, call: CallId, prompt: str | None, max_digits: int
    ) -> tuple[str, float] | None: ...

    def waiting_started(self, call: CallId) -> None: ...

    def bridged(self, call: CallId, agent: AgentId) -> tuple[float | None, bool]: ...

    def call_ended(self, call: CallId) -> None: ...


class _Leg:
    __slots__ = ("agent", "bridged", "caller", "media", "party", "ring", "talk", "waiting")

    def __init__(self, caller: str, party: _CallerSide) -> None:
        self.caller = caller
        self.party = party  # who decides at the caller's end: a caller or a called customer
        self.media: TimerHandle | None = None  # the prompt or collect in progress
        self.ring: TimerHandle | None = None
        self.talk: TimerHandle | None = None
        self.agent: AgentId | None = None
        self.bridged = False
        self.waiting = False


class _Dialing:
    __slots__ = ("number", "timer")

    def __init__(self, number: str) -> None:
        self.number = number
        self.timer: TimerHandle | None = None


class _ConsultLeg:
    __slots__ = ("agent", "answered", "ring")

    def __init__(self, agent: AgentId) -> None:
        self.agent = agent
        self.ring: TimerHandle | None = None
        self.answered = False


class SimSwitch:
    """A switch whose calls exist only on the virtual clock."""

    def __init__(
        self,
        clock: Clock,
        parties: Parties,
        prompt_seconds: Mapping[str, float],
        default_prompt_seconds: float = 3.0,
        customers: Customers | None = None,
    ) -> None:
        """`customers` answer the calls the hotline makes (`originate`); without them every
        such call fails at once as ``unreachable``."""
        self._clock = clock
        self._parties = parties
        self._customers = customers
        self._dialing: dict[CallId, _Dialing] = {}
        self._prompts = dict(prompt_seconds)
        self._default_prompt = default_prompt_seconds
        self._legs: dict[CallId, _Leg] = {}
        self._consults: dict[CallId, _ConsultLeg] = {}
        self.listener: SwitchListener | None = None

    def attach(self, listener: SwitchListener) -> None:
        self.listener = listener

    def _listen(self) -> SwitchListener:
        assert self.listener is not None, "attach a listener before placing calls"
        return self.listener

    # ---- driven by the simulator ---------------------------------------------------------

    def place_call(self, call: CallId, caller: str, dialed: str) -> None:
        """A caller dials in now."""
        self._legs[call] = _Leg(caller, self._parties)
        self._listen().call_arrived(call, caller, dialed)

    def in_ivr(self, call: CallId) -> bool:
        """The call is up and has neither reached a queue (music) nor an agent."""
        leg = self._legs.get(call)
        return leg is not None and not leg.waiting and not leg.bridged

    def caller_hangs_up(self, call: CallId) -> None:
        """The caller hangs up now, whatever the call's state."""
        leg = self._legs.pop(call, None)
        if leg is None:
            return
        self._drop(call, leg)
        self._listen().call_hung_up(call, "caller")

    def agent_picks_up(self, call: CallId, agent: AgentId) -> bool:
        """The agent answers its ringing phone now (a person at the desk); False when the
        call is not ringing at that agent (any more). A consultation rings the same way."""
        consult = self._consults.get(call)
        if consult is not None and consult.agent == agent:
            if consult.answered or consult.ring is not None:
                return False
            consult.ring = self._clock.call_later(0.0, self._consult_answered, call, agent)
            return True
        leg = self._legs.get(call)
        if leg is None or leg.agent != agent or leg.bridged or leg.ring is not None:
            return False
        leg.ring = self._clock.call_later(0.0, self._answered, call, agent)
        return True

    def agent_hangs_up(self, call: CallId, agent: AgentId) -> bool:
        """The agent ends the conversation now; False when not in one with that agent."""
        leg = self._legs.get(call)
        if leg is None or leg.agent != agent or not leg.bridged:
            return False
        self._clock.cancel(leg.talk)
        leg.talk = self._clock.call_later(0.0, self._agent_ends_talk, call, agent)
        return True

    def restart(self) -> None:
        """The switch restarts: every call is cut at once and nothing is reported.

        The engine learns it the way it would from a real switch: by asking
        `live_calls` (see `CallController.reconcile`).
        """
        legs, self._legs = self._legs, {}
        for call, leg in legs.items():
            self._drop(call, leg)
        dialing, self._dialing = self._dialing, {}
        for call, attempt in dialing.items():
            self._clock.cancel(attempt.timer)
            self._end_attempt(call)

    # ---- Switch port --------------------------------------------------------------------

    def answer(self, call: CallId) -> None:
        pass  # media is implicit in simulation

    def play(self, call: CallId, prompt: str, on_done: Callable[[], None]) -> None:
        leg = self._legs.get(call)
        if leg is None:
            return
        clock = self._clock
        clock.cancel(leg.media)
        leg.media = clock.call_later(self._prompts.get(prompt, self._default_prompt), on_done)

    def collect(
        self,
        call: CallId,
        prompt: str | None,
        *,
        max_digits: int,
        timeout: float,
        terminator: str | None,
        on_digits: Callable[[str], None],
    ) -> None:
        leg = self._legs.get(call)
        if leg is None:
            return
        clock = self._clock
        clock.cancel(leg.media)
        length = self._prompts.get(prompt, self._default_prompt) if prompt is not None else 0.0
        answer = leg.party.respond(call, prompt, max_digits)
        if answer is None or answer[1] > length + timeout:
            leg.media = clock.call_later(length + timeout, on_digits, "")
        else:
            digits, after = answer
            leg.media = clock.call_later(after, on_digits, digits)

    def start_music(self, call: CallId) -> None:
        leg = self._legs.get(call)
        if leg is None:
            return
        self._clock.cancel(leg.media)
        leg.media = None
        if not leg.waiting:
            leg.waiting = True
            leg.party.waiting_started(call)

    def ring_agent(self, call: CallId, agent: AgentId, timeout: float) -> None:
        leg = self._legs.get(call)
        if leg is None:
            return
        leg.agent = agent
        after = self._parties.ring(call, agent, timeout)
        if after is not None:
            leg.ring = self._clock.call_later(after, self._answered, call, agent)

    def cancel_ring(self, call: CallId, agent: AgentId) -> None:
        leg = self._legs.get(call)
        if leg is not None and leg.agent == agent and not leg.bridged:
            self._clock.cancel(leg.ring)
            leg.ring = None
            leg.agent = None

    def bridge(self, call: CallId, agent: AgentId) -> None:
        leg = self._legs.get(call)
        if leg is None:
            return
        self._clock.cancel(leg.media)
        leg.media = None
        leg.bridged = True
        leg.agent = agent
        talk, caller_ends = leg.party.bridged(call, agent)
        if talk is not None:
            end = self._caller_ends_talk if caller_ends else self._agent_ends_talk
            leg.talk = self._clock.call_later(talk, end, call, agent)

    def unbridge(self, call: CallId) -> None:
        leg = self._legs.get(call)
        if leg is not None and leg.bridged:
            leg.bridged = False
            self._clock.cancel(leg.talk)
            leg.talk = None

    def hold(self, call: CallId) -> None:
        pass  # the conversation timer keeps running: hold time is part of talk time

    def retrieve(self, call: CallId) -> None:
        pass

    def hangup(self, call: CallId, cause: str) -> None:
        leg = self._legs.pop(call, None)
        if leg is not None:
            self._drop(call, leg)
        else:
            attempt = self._dialing.pop(call, None)
            if attempt is None:
                return
            self._clock.cancel(attempt.timer)  # the customer's phone stops ringing
            self._end_attempt(call)
        self._clock.call_later(0.0, self._listen().call_hung_up, call, "system")

    def live_calls(self) -> Collection[CallId]:
        if not self._dialing:
            return self._legs.keys()
        return self._legs.keys() | self._dialing.keys()

    def originate(self, call: CallId, number: str, caller_id: str, timeout: float) -> None:
        if call in self._legs or call in self._dialing:
            raise ValueError(f"call id {call!r} is in use")
        attempt = self._dialing[call] = _Dialing(number)
        customers = self._customers
        pickup = Pickup(0.0, "unreachable") if customers is None else None
        if customers is not None:
            pickup = customers.dialled(call, number, timeout)
        later = self._clock.call_later
        if pickup is None or pickup.after >= timeout:
            attempt.timer = later(timeout, self._attempt_failed, call, "no-answer")
        elif pickup.fails is not None:
            attempt.timer = later(pickup.after, self._attempt_failed, call, pickup.fails)
        else:
            attempt.timer = later(pickup.after, self._customer_answered, call)

    def consult(self, call: CallId, agent: AgentId, timeout: float) -> None:
        if call not in self._legs:
            return
        consult = self._consults[call] = _ConsultLeg(agent)
        after = self._parties.ring(call, agent, timeout)
        if after is not None:
            consult.ring = self._clock.call_later(after, self._consult_answered, call, agent)

    def end_consult(self, call: CallId, agent: AgentId) -> None:
        consult = self._consults.get(call)
        if consult is not None and consult.agent == agent:
            del self._consults[call]
            self._clock.cancel(consult.ring)

    def _consult_answered(self, call: CallId, agent: AgentId) -> None:
        consult = self._consults.get(call)
        if consult is None or consult.agent != agent or consult.answered:
            return
        consult.ring = None
        consult.answered = True
        self._listen().consult_answered(call, agent)

    # ---- internals ----------------------------------------------------------------------

    def _customer_answered(self, call: CallId) -> None:
        attempt = self._dialing.pop(call, None)
        if attempt is None:
            return
        assert self._customers is not None
        self._legs[call] = _Leg(attempt.number, self._customers)
        self._listen().outbound_answered(call)

    def _attempt_failed(self, call: CallId, reason: str) -> None:
        if self._dialing.pop(call, None) is None:
            return
        self._end_attempt(call)
        self._listen().outbound_failed(call, reason)

    def _end_attempt(self, call: CallId) -> None:
        if self._customers is not None:
            self._customers.call_ended(call)

    def _drop(self, call: CallId, leg: _Leg) -> None:
        leg.party.call_ended(call)
        cancel = self._clock.cancel
        consult = self._consults.pop(call, None)
        if consult is not None:
            cancel(consult.ring)
        cancel(leg.media)
        cancel(leg.ring)
        cancel(leg.talk)

    def _answered(self, call: CallId, agent: AgentId) -> None:
        leg = self._legs.get(call)
        if leg is None or leg.agent != agent:
            return
        leg.ring = None
        self._listen().agent_answered(call, agent)

    def _agent_ends_talk(self, call: CallId, agent: AgentId) -> None:
        leg = self._legs.get(call)
        if leg is None:
            return
        leg.talk = None
        leg.bridged = False
        self._listen().agent_hung_up(call, agent)
        self._parties.conversation_ended(call, agent)

    def _caller_ends_talk(self, call: CallId, agent: AgentId) -> None:
        leg = self._legs.pop(call, None)
        if leg is None:
            return
        self._parties.conversation_ended(call, agent)
        self._drop(call, leg)
        self._listen().call_hung_up(call, "caller")
