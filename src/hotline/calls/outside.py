"""An outside party for the agent on a call: 外线咨询, 三方通话 and 转外线 (a department's
duty phone, a repair team's mobile, another hotline).

The agent dials an outside number (`dial`): the caller is put on hold (music), the number
is called through the trunk (`Switch.dial_out`) and, when it answers, the agent talks
with it. Then the agent either joins all three (`conference`: the caller back from hold,
everybody hears everybody, recorded), completes the transfer (`transfer`: the agent
leaves to wrap-up, the caller and the outside party stay bridged and recorded), or
cancels (`cancel`: the outside party is hung up; the caller stays on hold with the agent,
or in conversation after a conference). The agent stays on until the other side
answers: there is no transfer to a number that has not answered.

What the figures say: the agent's conversation ends at the transfer
(``contact.completed`` with ``ended_by="transferred-out"``: the agent handled the call
and goes to wrap-up); the rest of the call is the outside party's (phase ``outside``,
no agent's talk time), and the call ends when the caller or the outside party hangs up.
A consultation or a three-way call changes no figure (the hold time is the agent's, as
for any hold).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from hotline.calls.events import (
    CallConferenceStarted,
    CallOutsideAnswered,
    CallOutsideDialed,
    CallOutsideEnded,
    CallOutsideFailed,
    CallOutsideTransferred,
    Phase,
)
from hotline.core.clock import Clock
from hotline.core.errors import HotlineError
from hotline.core.events import Event
from hotline.core.ids import AgentId, CallId
from hotline.telephony.port import Switch

RING_TIMEOUT = 40.0
"""Seconds an outside number rings before the agent's attempt gives up (``no-answer``)."""

_NUMBER = re.compile(r"\+?[0-9]{3,20}")


class OutsideState(enum.StrEnum):
    DIALING = "dialing"  # the outside number rings; the caller on hold
    TALKING = "talking"  # the agent talks with the outside party; the caller on hold
    CONFERENCE = "conference"  # 三方通话: all three
    TRANSFERRED = "transferred"  # the caller with the outside party; the agent gone


class OutsideError(HotlineError):
    error_id = "outside-error"


class BadOutsideNumberError(OutsideError):
    error_id = "bad-outside-number"


class OutsideNotTalkingError(OutsideError):
    """The call is not in conversation with an agent."""

    error_id = "call-not-in-conversation"


class OutsideBusyError(OutsideError):
    """An outside party or a consultation is already on the call."""

    error_id = "outside-in-progress"


class NoOutsideCallError(OutsideError):
    error_id = "no-outside-call"


class OutsideNotAnsweredError(OutsideError):
    """三方通话 and 转外线 need the outside party to have answered."""

    error_id = "outside-not-answered"


def outside_number(number: str) -> str:
    """`number` when it is a phone number (3–20 digits, an optional leading +); raises
    `BadOutsideNumberError`."""
    if not _NUMBER.fullmatch(number):
        raise BadOutsideNumberError(
            f"外线号码「{number}」无效：3–20 位数字，可带 + (not a phone number)", number=number
        )
    return number


class OutsideSide(Protocol):
    """What outside calls ask of the call controller."""

    def phase_of(self, call: CallId) -> Phase | None: ...

    def agent_on(self, call: CallId) -> AgentId | None: ...

    def consulting(self, call: CallId) -> str | None: ...

    def caller_id_of(self, call: CallId) -> str:
        """The number the outside party sees: the hotline's number the call came in on."""
        ...

    def hold_for_outside(self, call: CallId) -> None:
        """The caller on hold (ACD and switch), unless already."""
        ...

    def join_outside(self, call: CallId) -> None:
        """The caller off hold (ACD) and the outside party joined (switch)."""
        ...

    def transfer_out(self, call: CallId) -> None:
        """The agent leaves (ACD: to wrap-up), the call goes on with the outside party."""
        ...

    def end_outside_call(self, call: CallId) -> None:
        """The outside party of a transferred call hung up: the caller is hung up too."""
        ...


@dataclass(slots=True)
class OutsideLeg:
    call: CallId
    agent: AgentId | None
    number: str
    state: OutsideState
    dialed_at: float
    answered_at: float | None = None


class OutsideCalls:
    """The outside parties of one controller's calls; commands raise `OutsideError`s."""

    def __init__(
        self,
        *,
        clock: Clock,
        publish: Callable[[Event], None],
        switch: Switch,
        calls: OutsideSide,
        ring_timeout: float = RING_TIMEOUT,
    ) -> None:
        self._clock = clock
        self._publish = publish
        self._switch = switch
        self._calls = calls
        self.ring_timeout = ring_timeout
        self.legs: dict[CallId, OutsideLeg] = {}

    # ---- commands (the agent at the desk) ----------------------------------------------

    def dial(self, call: CallId, number: str) -> OutsideLeg:
        """外线咨询: the caller on hold, `number` called for the agent."""
        number = outside_number(number)
        if self._calls.phase_of(call) is not Phase.TALKING:
            raise OutsideNotTalkingError(f"call {call} is not in conversation with an agent")
        if call in self.legs:
            raise OutsideBusyError(f"call {call} already has an outside party", call=call)
        if self._calls.consulting(call) is not None:
            raise OutsideBusyError(f"call {call} has a consultation in progress", call=call)
        agent = self._calls.agent_on(call)
        self._calls.hold_for_outside(call)
        now = self._clock.now()
        leg = self.legs[call] = OutsideLeg(call, agent, number, OutsideState.DIALING, now)
        self._publish(CallOutsideDialed(now, call, agent, number))
        self._switch.dial_out(call, number, self._calls.caller_id_of(call), self.ring_timeout)
        return leg

    def conference(self, call: CallId) -> OutsideLeg:
        """三方通话: the caller back from hold with the agent and the outside party."""
        leg = self._answered(call)
        if leg.state is OutsideState.CONFERENCE:
            return leg
        leg.state = OutsideState.CONFERENCE
        self._calls.join_outside(call)
        self._publish(CallConferenceStarted(self._clock.now(), call, leg.agent, leg.number))
        return leg

    def transfer(self, call: CallId) -> OutsideLeg:
        """完成转接 to the outside party: the agent leaves; the caller and it stay."""
        leg = self._answered(call)
        leg.state = OutsideState.TRANSFERRED
        self._calls.transfer_out(call)
        self._publish(CallOutsideTransferred(self._clock.now(), call, leg.agent, leg.number))
        return leg

    def cancel(self, call: CallId) -> OutsideLeg:
        """Hang the outside party up; the caller stays with the agent (on hold unless a
        conference was on: 取回 takes the caller back)."""
        leg = self.legs.get(call)
        if leg is None or leg.state is OutsideState.TRANSFERRED:
            raise NoOutsideCallError(f"call {call} has no outside party to hang up", call=call)
        del self.legs[call]
        self._switch.end_outside(call)
        self._ended(leg, "cancelled")
        return leg

    def of(self, call: CallId) -> OutsideLeg | None:
        return self.legs.get(call)

    def consulting(self, call: CallId) -> bool:
        """The agent is calling or talking with an outside party while the caller is held
        (not in a three-way call, nor transferred)."""
        leg = self.legs.get(call)
        return leg is not None and leg.state in (OutsideState.DIALING, OutsideState.TALKING)

    # ---- reports ------------------------------------------------------------------------

    def answered(self, call: CallId) -> None:
        leg = self.legs.get(call)
        if leg is None or leg.state is not OutsideState.DIALING:
            return
        now = self._clock.now()
        leg.answered_at = now
        leg.state = OutsideState.TALKING
        self._publish(CallOutsideAnswered(now, call, leg.number, now - leg.dialed_at))

    def failed(self, call: CallId, reason: str) -> None:
        leg = self.legs.pop(call, None)
        if leg is not None:
            self._publish(CallOutsideFailed(self._clock.now(), call, leg.number, reason))

    def hung_up(self, call: CallId) -> None:
        leg = self.legs.get(call)
        if leg is None:
            return
        if leg.state is OutsideState.TRANSFERRED:
            self._calls.end_outside_call(call)  # its end comes back as `call_ended`
            return
        del self.legs[call]
        self._ended(leg, "outside-hung-up")

    def conversation_ended(self, call: CallId) -> None:
        """The agent's conversation ended (hang-up, transfer to a queue, take-over): the
        outside party it called is hung up."""
        leg = self.legs.get(call)
        if leg is None or leg.state is OutsideState.TRANSFERRED:
            return
        del self.legs[call]
        self._switch.end_outside(call)
        self._ended(leg, "conversation-ended")

    def call_ended(self, call: CallId) -> None:
        leg = self.legs.pop(call, None)
        if leg is not None:
            self._ended(leg, "call-ended")

    # ---- internals ----------------------------------------------------------------------

    def _answered(self, call: CallId) -> OutsideLeg:
        leg = self.legs.get(call)
        if leg is None or leg.state is OutsideState.TRANSFERRED:
            raise NoOutsideCallError(f"call {call} has no outside party", call=call)
        if leg.answered_at is None:
            raise OutsideNotAnsweredError(
                f"外线 {leg.number} 尚未接听 (the outside party has not answered yet)",
                call=call,
            )
        return leg

    def _ended(self, leg: OutsideLeg, reason: str) -> None:
        now = self._clock.now()
        talk = now - leg.answered_at if leg.answered_at is not None else 0.0
        self._publish(CallOutsideEnded(now, leg.call, leg.number, reason, talk))
