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
from hotline.telephony.keys import Collector, KeyBuffer, feed_later
from hotline.telephony.port import RecordedMessage, SwitchListener


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


class _Asking:
    """A scripted collect in progress: what a key pressed now (`SimSwitch.press`) joins."""

    __slots__ = ("max_digits", "on_digits", "prompt_ends", "terminator", "timeout")

    def __init__(
        self,
        max_digits: int,
        timeout: float,
        terminator: str | None,
        on_digits: Callable[[str], None],
        prompt_ends: float,
    ) -> None:
        self.max_digits = max_digits
        self.timeout = timeout
        self.terminator = terminator
        self.on_digits = on_digits
        self.prompt_ends = prompt_ends


class _Recording:
    """A voicemail being recorded on the virtual clock (no audio)."""

    __slots__ = ("on_done", "started", "terminator")

    def __init__(
        self, started: float, terminator: str | None, on_done: Callable[[RecordedMessage], None]
    ) -> None:
        self.started = started
        self.terminator = terminator
        self.on_done = on_done


class _Leg:
    __slots__ = (
        "agent",
        "asking",
        "bridged",
        "caller",
        "caller_ends",
        "collector",
        "keys",
        "media",
        "party",
        "recording",
        "ring",
        "talk",
        "waiting",
    )

    def __init__(self, caller: str, party: _CallerSide) -> None:
        self.caller = caller
        self.party = party  # who decides at the caller's end: a caller or a called customer
        self.media: TimerHandle | None = None  # the prompt or collect in progress
        self.asking: _Asking | None = None  # a scripted collect in progress
        self.collector: Collector | None = None  # a collect the caller is typing into
        self.keys = KeyBuffer()  # typed ahead of the next collect (`press`)
        self.recording: _Recording | None = None  # a voicemail being recorded
        self.ring: TimerHandle | None = None
        self.talk: TimerHandle | None = None
        self.agent: AgentId | None = None
        self.bridged = False
        self.waiting = False
        self.caller_ends = False  # the conversation's timer is the caller's hang-up


class _Dialing:
    __slots__ = ("number", "timer")

    def __init__(self, number: str) -> None:
        self.number = number
        self.timer: TimerHandle | None = None


class _MonitorLeg:
    __slots__ = ("answered", "mode", "ring", "supervisor")

    def __init__(self, supervisor: str, mode: str) -> None:
        self.supervisor = supervisor
        self.mode = mode
        self.ring: TimerHandle | None = None
        self.answered = False


class _OutsideLeg:
    __slots__ = ("answered", "number", "timer", "transferred")

    def __init__(self, number: str) -> None:
        self.number = number
        self.timer: TimerHandle | None = None
        self.answered = False
        self.transferred = False


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
        self._monitors: dict[CallId, _MonitorLeg] = {}
        self._outside: dict[CallId, _OutsideLeg] = {}
        self.outside_answer_after: float | None = 5.0
        """Seconds until an outside number called for an agent (`dial_out`) answers (None:
        never)."""
        self.outside_talk: float | None = 120.0
        """Seconds an outside party talks with a caller transferred to it before hanging up
        (None: until `outside_hangs_up`), unless the caller leaves first."""
        self.monitor_answer_after: float | None = 0.0
        """Seconds until a supervisor's phone picks up (`monitor`; None: never): at once by
        default, the console being the supervisor's phone in simulation."""
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
        if leg.recording is not None:  # the message ends with the hang-up, and is kept
            self._recorded(leg, "hangup")
        self._drop(call, leg)
        self._listen().call_hung_up(call, "caller")

    def press(self, call: CallId, digits: str) -> None:
        """The caller presses `digits` now (besides what `Parties.respond` scripts): during
        a collect they are typed into it (the scripted answer is then not given); while no
        collect runs they are kept for the next one (`telephony.keys`: type-ahead); while
        the caller talks with an agent they go nowhere."""
        leg = self._legs.get(call)
        for digit in digits:
            if leg is None or leg.bridged or self._legs.get(call) is not leg:
                return
            if leg.recording is not None:  # only the terminator means something now
                if digit == leg.recording.terminator:
                    self._recorded(leg, "terminator")
                continue
            asking = leg.asking
            if leg.collector is None and asking is not None:  # typing instead of the script
                self._clock.cancel(leg.media)
                leg.media, leg.asking = None, None
                leg.collector = self._collector(leg, asking)
                if self._clock.now() >= asking.prompt_ends:
                    leg.collector.prompt_ended()
            if leg.collector is not None:
                leg.collector.key(digit)
            else:
                leg.keys.add(digit)

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

    def supervisor_hangs_up(self, call: CallId) -> bool:
        """The supervisor monitoring `call` hangs up now; False when no answered phone is on it."""
        monitor = self._monitors.get(call)
        if monitor is None or not monitor.answered:
            return False
        del self._monitors[call]
        self._clock.call_later(0.0, self._listen().monitor_ended, call, monitor.supervisor)
        return True

    def monitoring(self, call: CallId) -> tuple[str, str, bool] | None:
        """The supervisor's phone on `call`: (extension, mode, answered), or None."""
        monitor = self._monitors.get(call)
        return None if monitor is None else (monitor.supervisor, monitor.mode, monitor.answered)

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
        self._media_over(leg)
        leg.media = self._clock.call_later(self._prompts.get(prompt, self._default_prompt), on_done)

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
        self._media_over(leg)
        length = self._prompts.get(prompt, self._default_prompt) if prompt is not None else 0.0
        asking = _Asking(max_digits, timeout, terminator, on_digits, clock.now() + length)
        ahead = leg.keys.take_for(max(1, max_digits), terminator)
        if ahead:  # typed ahead: no prompt, the keys count from now (`telephony.keys`)
            leg.collector = self._collector(leg, asking)
            feed_later(clock, leg.collector, ahead, leg.keys)
            return
        leg.asking = asking
        answer = leg.party.respond(call, prompt, max_digits)
        if answer is None or answer[1] > length + timeout:
            leg.media = clock.call_later(length + timeout, self._answered_by_script, leg, "")
        else:
            digits, after = answer
            leg.media = clock.call_later(after, self._answered_by_script, leg, digits)

    def start_music(self, call: CallId) -> None:
        leg = self._legs.get(call)
        if leg is None:
            return
        self._media_over(leg)
        if not leg.waiting:
            leg.waiting = True
            leg.party.waiting_started(call)

    def record(
        self,
        call: CallId,
        *,
        max_seconds: float,
        silence_timeout: float,
        terminator: str | None,
        on_done: Callable[[RecordedMessage], None],
    ) -> None:
        """The caller speaks until `press` gives the terminator, the caller hangs up, or
        `max_seconds` pass (simulated callers make no sound: `silence_timeout` never ends
        it). The `RecordedMessage` has no file and says it is simulated."""
        leg = self._legs.get(call)
        if leg is None:
            return
        self._media_over(leg)
        leg.recording = _Recording(self._clock.now(), terminator, on_done)
        leg.media = self._clock.call_later(max_seconds, self._recorded, leg, "max")

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
        self._media_over(leg)
        leg.keys.clear()  # keys typed for the IVR mean nothing after the conversation
        leg.bridged = True
        leg.agent = agent
        talk, caller_ends = leg.party.bridged(call, agent)
        leg.caller_ends = caller_ends
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

    def monitor(self, call: CallId, supervisor: str, mode: str, timeout: float) -> None:
        if call not in self._legs:
            return
        self.end_monitor(call)
        monitor = self._monitors[call] = _MonitorLeg(supervisor, mode)
        after = self.monitor_answer_after
        if after is None or after >= timeout:
            monitor.ring = self._clock.call_later(timeout, self._monitor_failed, call, monitor)
        else:
            monitor.ring = self._clock.call_later(after, self._monitor_answered, call, monitor)

    def set_monitor_mode(self, call: CallId, mode: str) -> None:
        monitor = self._monitors.get(call)
        if monitor is not None:
            monitor.mode = mode

    def end_monitor(self, call: CallId) -> None:
        monitor = self._monitors.pop(call, None)
        if monitor is not None:
            self._clock.cancel(monitor.ring)

    def take_over(self, call: CallId) -> None:
        leg = self._legs.get(call)
        monitor = self._monitors.get(call)
        if leg is None or monitor is None or not monitor.answered:
            return
        self._release_agent(call, leg)

    def dial_out(self, call: CallId, number: str, caller_id: str, timeout: float) -> None:
        if call not in self._legs:
            return
        self.end_outside(call)
        outside = self._outside[call] = _OutsideLeg(number)
        after = self.outside_answer_after
        later = self._clock.call_later
        if after is None or after >= timeout:
            outside.timer = later(timeout, self._outside_failed, call, outside)
        else:
            outside.timer = later(after, self._outside_answered, call, outside)

    def join_outside(self, call: CallId) -> None:
        pass  # three parties talk: nothing to time in simulation

    def transfer_outside(self, call: CallId) -> None:
        leg = self._legs.get(call)
        outside = self._outside.get(call)
        if leg is None or outside is None or not outside.answered:
            return
        self._release_agent(call, leg)
        outside.transferred = True
        if leg.talk is None and self.outside_talk is not None:  # the duty phone hangs up
            outside.timer = self._clock.call_later(
                self.outside_talk, self._outside_gone, call, outside
            )

    def end_outside(self, call: CallId) -> None:
        outside = self._outside.pop(call, None)
        if outside is not None:
            self._clock.cancel(outside.timer)

    def outside_hangs_up(self, call: CallId) -> bool:
        """The answered outside party of `call` hangs up now; False when there is none."""
        outside = self._outside.get(call)
        if outside is None or not outside.answered:
            return False
        self._clock.cancel(outside.timer)
        outside.timer = self._clock.call_later(0.0, self._outside_gone, call, outside)
        return True

    def outside_of(self, call: CallId) -> tuple[str, bool, bool] | None:
        """The outside party of `call`: (number, answered, transferred), or None."""
        outside = self._outside.get(call)
        return None if outside is None else (outside.number, outside.answered, outside.transferred)

    def _outside_answered(self, call: CallId, outside: _OutsideLeg) -> None:
        if self._outside.get(call) is not outside:
            return
        outside.timer = None
        outside.answered = True
        self._listen().outside_answered(call)

    def _outside_failed(self, call: CallId, outside: _OutsideLeg) -> None:
        if self._outside.get(call) is not outside:
            return
        del self._outside[call]
        self._listen().outside_failed(call, "no-answer")

    def _outside_gone(self, call: CallId, outside: _OutsideLeg) -> None:
        if self._outside.get(call) is not outside:
            return
        del self._outside[call]
        self._listen().outside_hung_up(call)

    def _release_agent(self, call: CallId, leg: _Leg) -> None:
        """The agent's leg, ringing or talking, is released; the caller stays (bridged to a
        supervisor or an outside party): the caller still hangs up when they would have."""
        clock = self._clock
        clock.cancel(leg.ring)
        self._media_over(leg)
        leg.ring = None
        agent, talk = leg.agent, leg.talk
        clock.cancel(talk)
        leg.talk = None
        if agent is not None and leg.bridged:
            self._parties.conversation_ended(call, agent)  # the agent's leg is released
        leg.agent = None
        leg.bridged = True
        if talk is not None and leg.caller_ends:
            # the caller hangs up when they would have; otherwise the supervisor ends the call
            left = max(0.0, talk.when - clock.now())
            leg.talk = clock.call_later(left, self._caller_leaves, call)

    def _monitor_answered(self, call: CallId, monitor: _MonitorLeg) -> None:
        if self._monitors.get(call) is not monitor:
            return
        monitor.ring = None
        monitor.answered = True
        self._listen().monitor_answered(call, monitor.supervisor)

    def _monitor_failed(self, call: CallId, monitor: _MonitorLeg) -> None:
        if self._monitors.get(call) is not monitor:
            return
        del self._monitors[call]
        self._listen().monitor_failed(call, monitor.supervisor, "no-answer")

    def _caller_leaves(self, call: CallId) -> None:
        leg = self._legs.pop(call, None)
        if leg is None:
            return
        leg.talk = None
        self._drop(call, leg)
        self._listen().call_hung_up(call, "caller")

    def _consult_answered(self, call: CallId, agent: AgentId) -> None:
        consult = self._consults.get(call)
        if consult is None or consult.agent != agent or consult.answered:
            return
        consult.ring = None
        consult.answered = True
        self._listen().consult_answered(call, agent)

    # ---- internals ----------------------------------------------------------------------

    def _media_over(self, leg: _Leg) -> None:
        """A new media command (or the end): the pending prompt or collect ends, unreported."""
        self._clock.cancel(leg.media)
        leg.media, leg.asking, leg.recording = None, None, None
        if leg.collector is not None:
            leg.collector.cancel()
            leg.collector = None

    def _collector(self, leg: _Leg, asking: _Asking) -> Collector:
        def ended(collector: Collector) -> None:
            if leg.collector is collector:
                leg.collector = None

        return Collector(
            self._clock,
            max_digits=asking.max_digits,
            timeout=asking.timeout,
            terminator=asking.terminator,
            on_digits=asking.on_digits,
            stop_prompt=lambda: None,
            on_end=ended,
        )

    def _recorded(self, leg: _Leg, ended_by: str) -> None:
        recording = leg.recording
        if recording is None:
            return
        self._media_over(leg)
        seconds = self._clock.now() - recording.started
        recording.on_done(RecordedMessage(None, seconds, ended_by, simulated=True))

    def _answered_by_script(self, leg: _Leg, digits: str) -> None:
        asking = leg.asking
        leg.media, leg.asking = None, None
        if asking is not None:
            asking.on_digits(digits)

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
        monitor = self._monitors.pop(call, None)
        if monitor is not None:
            cancel(monitor.ring)
        outside = self._outside.pop(call, None)
        if outside is not None:
            cancel(outside.timer)
        self._media_over(leg)
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
