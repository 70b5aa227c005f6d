"""What the live runtime runs on: one engine, and the phones of the seats people take.

`LiveHotline` is the same over simulated and real calls. It needs an `Engine`:
the event bus, the ACD, the call controller and the switch they drive —
`hotline.sim.run.Simulation` (the demo) and `hotline.sip.serve.SipHotline` (real
calls) both are one. What differs is how a person's phone answers and hangs up
when the desk asks, which `SeatPhones` says: on the simulated switch the desk is
the phone; on SIP the phone is a real one, which only its user can pick up.
"""

from __future__ import annotations

from typing import Protocol

from hotline.calls.controller import CallController
from hotline.core.clock import Clock
from hotline.core.errors import HotlineError
from hotline.core.events import EventBus
from hotline.core.ids import AgentId, CallId
from hotline.routing.acd import ACD
from hotline.telephony.port import Switch
from hotline.telephony.sim import SimSwitch


class Engine(Protocol):
    """The engine of one hotline: what publishes, routes, runs the calls and drives the switch.

    `acd` is read each time (a restart drill replaces the simulation's ACD).
    """

    @property
    def bus(self) -> EventBus: ...

    @property
    def acd(self) -> ACD: ...

    @property
    def controller(self) -> CallController: ...

    @property
    def switch(self) -> Switch: ...


class AnswerOnPhoneError(HotlineError):
    """The desk cannot answer for a real phone: the agent picks it up."""

    error_id = "answer-on-phone"


class SeatPhones(Protocol):
    """What the desk's answer and hang-up do to a person's phone."""

    def pick_up(self, call: CallId, agent: AgentId) -> bool:
        """Answer `call` ringing at `agent` (a consultation too); False when it no longer
        rings there. May raise `AnswerOnPhoneError`."""
        ...

    def hang_up(self, call: CallId, agent: AgentId) -> bool:
        """End `agent`'s conversation on `call`, as if the agent hung up the phone; False
        when the agent is not in one on it."""
        ...


class SimulatedPhones:
    """The simulated switch's seats: the desk is the phone (`SimSwitch.agent_picks_up`)."""

    def __init__(self, switch: SimSwitch) -> None:
        self.switch = switch

    def pick_up(self, call: CallId, agent: AgentId) -> bool:
        return self.switch.agent_picks_up(call, agent)

    def hang_up(self, call: CallId, agent: AgentId) -> bool:
        return self.switch.agent_hangs_up(call, agent)


class SipPhones:
    """Real phones: the agent answers on the phone; the desk's hang-up ends the agent's
    side of the conversation the way the phone's BYE would (the controller is told the
    agent hung up, and releases the agent's leg with a BYE to the phone)."""

    def __init__(self, controller: CallController, clock: Clock) -> None:
        self.controller = controller
        self.clock = clock

    def pick_up(self, call: CallId, agent: AgentId) -> bool:
        raise AnswerOnPhoneError(
            f"agent {agent}: pick up the phone to answer (a SIP phone cannot be answered "
            "from the desk)",
            agent=agent,
            call=call,
        )

    def hang_up(self, call: CallId, agent: AgentId) -> bool:
        if self.controller.agent_of(call) != agent:
            return False
        # reported from a timer, as a switch reports: never from inside a desk command
        self.clock.call_later(0.0, self.controller.agent_hung_up, call, agent)
        return True
