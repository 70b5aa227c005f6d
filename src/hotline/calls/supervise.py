"""The supervisor's and the shift lead's telephony (班长席) on a call: 监听 (listen in),
耳语 (whisper to the agent), 强插 (barge in), 强拆 (force release) and 拦截/代答 (take over).

A supervisor works from a phone of their own (an extension registered at the switch,
like an agent's): `monitor` rings it and, once it answers, joins it to the call's
conversation (`Switch.monitor`); the mode may change during the session (`set_mode`).
A session ends when the supervisor hangs up, on `end`, when the conversation ends
(the agent hangs up or transfers) or when the call ends. `intercept` rings the
supervisor's phone the same way and, once it answers, the supervisor replaces the
agent (`CallControllerSide.take_over`): a ringing call's ring is cancelled, a talking
call's agent is released to wrap-up. `force_release` ends a conversation at once.

What the figures say (the events are the record):
- a monitored call counts exactly as an unmonitored one: monitoring publishes only
  ``call.monitor_*`` events, never a routing event;
- 强拆: the agent's conversation ends as if it hung up (``contact.completed``,
  ``ended_by="force-released"``; the agent goes to wrap-up) and the caller is hung up
  (``call.ended`` by ``system``, phase ``talking``, outcome ``answered``);
- 拦截 of a talking call: the agent's conversation ends there (``contact.completed``,
  ``ended_by="intercepted"``: the agent handled it until then, then wraps up); the rest
  is the supervisor's (phase ``taken_over``) and no agent's talk time;
- 拦截 of a ringing (or waiting) call: the caller leaves the queue (``contact.left``,
  reason ``intercepted``: offered, not answered by an agent, outside the service
  level's base, like a callback) and the ringing agent is free again; the call's
  outcome is ``answered`` (a person at the hotline took it).

Only one supervisor's phone is on a call at a time.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from hotline.calls.events import (
    CallForceReleased,
    CallIntercepted,
    CallMonitorEnded,
    CallMonitorFailed,
    CallMonitorModeChanged,
    CallMonitorStarted,
    Phase,
)
from hotline.core.clock import Clock
from hotline.core.errors import HotlineError
from hotline.core.events import Event
from hotline.core.ids import AgentId, CallId
from hotline.telephony.port import Switch


class MonitorMode(enum.StrEnum):
    """How the supervisor's phone is heard on the call."""

    LISTEN = "listen"  # 监听: hears both, heard by nobody
    WHISPER = "whisper"  # 耳语: heard by the agent only
    BARGE = "barge"  # 强插: heard by both (and recorded in the agent's channel)


RING_TIMEOUT = 30.0
"""Seconds the supervisor's phone rings before the request gives up (``no-answer``)."""

_INTERCEPTABLE = frozenset({Phase.QUEUE, Phase.RINGING, Phase.TALKING})


class SuperviseError(HotlineError):
    error_id = "supervise-error"


class CallNotTalkingError(SuperviseError):
    """监听/耳语/强插/强拆 need a call in conversation with an agent."""

    error_id = "call-not-talking"


class CallNotInterceptableError(SuperviseError):
    """拦截 needs a call ringing at an agent (or waiting) or in conversation."""

    error_id = "call-not-interceptable"


class CallMonitoredError(SuperviseError):
    """Another supervisor's phone is on the call."""

    error_id = "call-monitored"


class NoMonitorError(SuperviseError):
    """Nobody monitors the call."""

    error_id = "no-monitor"


class InvalidMonitorModeError(SuperviseError):
    error_id = "invalid-monitor-mode"


def monitor_mode(mode: str) -> MonitorMode:
    """`mode` as a `MonitorMode`; raises `InvalidMonitorModeError` naming the modes."""
    try:
        return MonitorMode(mode)
    except ValueError:
        known = ", ".join(m.value for m in MonitorMode)
        raise InvalidMonitorModeError(
            f"mode must be one of {known}, not {mode!r}", mode=mode
        ) from None


class CallControllerSide(Protocol):
    """What supervision asks of the call controller."""

    def phase_of(self, call: CallId) -> Phase | None:
        """Where the call is now (None: no such call)."""
        ...

    def agent_on(self, call: CallId) -> AgentId | None:
        """The agent the call rings or talks with now, if any."""
        ...

    def take_over(self, call: CallId) -> None:
        """The supervisor's answered phone replaces the agent (ACD and switch)."""
        ...

    def force_release(self, call: CallId) -> None:
        """End the conversation now: the agent to wrap-up, the caller hung up."""
        ...

    def end_taken_over(self, call: CallId) -> None:
        """Hang up a call a supervisor took over (the supervisor is done)."""
        ...


@dataclass(slots=True)
class Session:
    """A supervisor's phone on a call: rung (`answered_at` None) or on the call."""

    call: CallId
    agent: AgentId | None  # the agent the call rang or talked with when it was asked for
    extension: str
    by: str
    mode: MonitorMode
    intercept: bool  # take the call over once the phone answers
    requested_at: float
    answered_at: float | None = None
    taken_over: bool = False

    @property
    def state(self) -> str:
        """``ringing`` (the supervisor's phone), ``on`` (joined), ``taken_over``."""
        if self.taken_over:
            return "taken_over"
        return "ringing" if self.answered_at is None else "on"


class Supervision:
    """The supervisors' sessions of one controller; commands raise `SuperviseError`s."""

    def __init__(
        self,
        *,
        clock: Clock,
        publish: Callable[[Event], None],
        switch: Switch,
        calls: CallControllerSide,
        ring_timeout: float = RING_TIMEOUT,
    ) -> None:
        self._clock = clock
        self._publish = publish
        self._switch = switch
        self._calls = calls
        self.ring_timeout = ring_timeout
        self.sessions: dict[CallId, Session] = {}

    # ---- commands (from the console) ---------------------------------------------------

    def monitor(self, call: CallId, *, extension: str, by: str, mode: str) -> Session:
        """Ring `extension` to join `call` in `mode`; with the same supervisor's phone
        already on the call, change its mode instead. Raises `CallNotTalkingError`,
        `CallMonitoredError` (another supervisor is on it), `InvalidMonitorModeError`."""
        wanted = monitor_mode(mode)
        self._need_talking(call)
        session = self.sessions.get(call)
        if session is not None:
            self._own(session, extension)
            if session.taken_over or session.intercept:
                raise CallMonitoredError(f"call {call} is being taken over", call=call)
            return self.set_mode(call, wanted, by=by)
        agent = self._calls.agent_on(call)
        session = Session(call, agent, extension, by, wanted, False, self._clock.now())
        self.sessions[call] = session
        self._switch.monitor(call, extension, wanted.value, self.ring_timeout)
        return session

    def set_mode(self, call: CallId, mode: str, *, by: str) -> Session:
        """Switch the supervisor's phone on `call` to `mode` (监听 → 耳语 → 强插 …)."""
        wanted = monitor_mode(mode)
        session = self._session(call)
        if session.taken_over:
            raise CallMonitoredError(f"call {call} was taken over; it has no agent", call=call)
        previous = session.mode
        if wanted is previous:
            return session
        session.mode = wanted
        self._switch.set_monitor_mode(call, wanted.value)
        if session.answered_at is not None:
            self._publish(
                CallMonitorModeChanged(
                    self._clock.now(), call, session.extension, by, wanted.value, previous.value
                )
            )
        return session

    def end(self, call: CallId, *, by: str) -> Session:
        """The supervisor is done (from the console): the phone is hung up; a call the
        supervisor took over is hung up. Raises `NoMonitorError`."""
        session = self._session(call)
        if session.taken_over:
            self._calls.end_taken_over(call)  # its end comes back as `call_ended`
            return session
        del self.sessions[call]
        self._switch.end_monitor(call)
        self._ended(session, "ended", by=by)
        return session

    def intercept(self, call: CallId, *, extension: str, by: str) -> Session:
        """拦截/代答: ring `extension` and, once it answers, give it the caller instead of
        the agent. Its own phone already on the call takes over at once. Raises
        `CallNotInterceptableError`, `CallMonitoredError`."""
        phase = self._calls.phase_of(call)
        if phase not in _INTERCEPTABLE:
            raise CallNotInterceptableError(
                f"call {call} is neither ringing at an agent nor in conversation", call=call
            )
        session = self.sessions.get(call)
        if session is not None:
            self._own(session, extension)
            if session.taken_over:
                return session
            session.intercept = True
            if session.answered_at is not None:
                self._take_over(session)
            return session
        agent = self._calls.agent_on(call)
        now = self._clock.now()
        session = Session(call, agent, extension, by, MonitorMode.BARGE, True, now)
        self.sessions[call] = session
        self._switch.monitor(call, extension, session.mode.value, self.ring_timeout)
        return session

    def force_release(self, call: CallId, *, by: str) -> AgentId | None:
        """强拆: end the conversation now; returns the agent released. Raises
        `CallNotTalkingError`."""
        self._need_talking(call)
        agent = self._calls.agent_on(call)
        self._publish(CallForceReleased(self._clock.now(), call, agent, by))
        self._calls.force_release(call)
        return agent

    def session(self, call: CallId) -> Session | None:
        return self.sessions.get(call)

    # ---- reports (the switch, through the controller) ----------------------------------

    def answered(self, call: CallId, extension: str) -> None:
        session = self.sessions.get(call)
        if session is None or session.extension != extension or session.answered_at is not None:
            return
        session.answered_at = self._clock.now()
        if session.intercept:
            if self._calls.phase_of(call) not in _INTERCEPTABLE:
                del self.sessions[call]
                self._switch.end_monitor(call)
                self._publish(
                    CallMonitorFailed(
                        self._clock.now(), call, extension, session.by, "call-moved-on"
                    )
                )
                return
            self._take_over(session)
            return
        agent = self._calls.agent_on(call)
        self._publish(
            CallMonitorStarted(
                session.answered_at, call, agent, extension, session.by, session.mode.value
            )
        )

    def failed(self, call: CallId, extension: str, reason: str) -> None:
        session = self.sessions.get(call)
        if session is None or session.extension != extension:
            return
        del self.sessions[call]
        self._publish(CallMonitorFailed(self._clock.now(), call, extension, session.by, reason))

    def hung_up(self, call: CallId, extension: str) -> None:
        """The supervisor hung up the phone."""
        session = self.sessions.get(call)
        if session is None or session.extension != extension:
            return
        if session.taken_over:
            self._calls.end_taken_over(call)
            return
        del self.sessions[call]
        self._ended(session, "supervisor-hung-up", by=session.by)

    def conversation_ended(self, call: CallId) -> None:
        """The agent's conversation is over (hung up, transferred): a supervisor listening
        in leaves with it; an intercept still ringing is given up."""
        session = self.sessions.get(call)
        if session is None or session.taken_over:
            return
        del self.sessions[call]
        self._switch.end_monitor(call)
        self._ended(session, "conversation-ended", by=session.by)

    def call_ended(self, call: CallId) -> None:
        """The call is gone (the switch drops the supervisor's phone with it)."""
        session = self.sessions.pop(call, None)
        if session is not None:
            self._ended(session, "call-ended", by=session.by)

    # ---- internals ----------------------------------------------------------------------

    def _own(self, session: Session, extension: str) -> None:
        if session.extension != extension:
            raise CallMonitoredError(
                f"call {session.call} is monitored from extension {session.extension}",
                call=session.call,
                extension=session.extension,
            )

    def _need_talking(self, call: CallId) -> None:
        if self._calls.phase_of(call) is not Phase.TALKING:
            raise CallNotTalkingError(
                f"call {call} is not in conversation with an agent", call=call
            )

    def _session(self, call: CallId) -> Session:
        session = self.sessions.get(call)
        if session is None:
            raise NoMonitorError(f"nobody monitors call {call}", call=call)
        return session

    def _take_over(self, session: Session) -> None:
        call = session.call
        phase = self._calls.phase_of(call)
        agent = self._calls.agent_on(call)
        session.taken_over = True
        self._calls.take_over(call)
        self._publish(
            CallIntercepted(
                self._clock.now(),
                call,
                agent,
                session.extension,
                session.by,
                "talking" if phase is Phase.TALKING else "ringing",
            )
        )

    def _ended(self, session: Session, reason: str, *, by: str) -> None:
        """Publish the end of an answered session (a phone that only rang leaves no event)."""
        if session.answered_at is None:
            return
        now = self._clock.now()
        self._publish(
            CallMonitorEnded(
                now, session.call, session.extension, by, reason, now - session.answered_at
            )
        )
