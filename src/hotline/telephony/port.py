"""The `Switch` port: what the engine asks of telephony, and what telephony tells back.

The engine (IVR, routing glue) drives calls only through `Switch` commands; the
switch reports what happened through a `SwitchListener`. Commands never block:
their results arrive later as listener calls or completion callbacks, on the
engine's clock. The simulated switch and the SIP adapter implement the same
port, so routing, IVR and the agent desk run unchanged on both.

Contract for every adapter:
- after `SwitchListener.call_hung_up(call)` no further callback of that call runs,
  and commands on it are ignored (a hung-up call is gone, not an error);
- a pending `play`/`collect` of a call is finished (its callback is not run)
  when the call is bridged, hung up, or a new media command starts;
- `ring_agent` ends in exactly one of `agent_answered` or `agent_ring_failed`,
  unless `cancel_ring` or the caller's hang-up comes first;
- `originate` ends in exactly one of `outbound_answered` or `outbound_failed`
  (the switch gives up after its `timeout`: reason "no-answer"), unless `hangup`
  comes first (then `call_hung_up` with ``by="system"``, as for any call). After
  `outbound_failed` the call is gone (no `call_hung_up` follows); after
  `outbound_answered` it is a call like an inbound one that was answered: the
  customer's leg takes every command, and its end is `call_hung_up` (``by`` is
  "caller" when the customer hangs up, or a failure such as "rtp-timeout").
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Protocol

from hotline.core.ids import AgentId, CallId

OUTBOUND_FAILURES = ("no-answer", "busy", "rejected", "unreachable")
"""The reasons `SwitchListener.outbound_failed` gives: nobody answered within the timeout,
the line is busy, the customer (or the network for them) declined the call, the number
cannot be reached (unknown, unregistered, no route, a network error)."""


class Switch(Protocol):
    """Commands to the telephony side, one call at a time."""

    def answer(self, call: CallId) -> None:
        """Answer an incoming call (media starts)."""
        ...

    def play(self, call: CallId, prompt: str, on_done: Callable[[], None]) -> None:
        """Play a prompt (a name from the prompt catalogue); `on_done` runs when it ends."""
        ...

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
        """Play `prompt` (interruptible) and gather DTMF digits.

        `on_digits` receives what was typed (without the terminator) when
        `max_digits` are in, the terminator is pressed, or `timeout` seconds
        pass without a digit after the prompt; an empty string means nothing
        was typed.
        """
        ...

    def start_music(self, call: CallId) -> None:
        """Loop hold music to the caller until another media command or a bridge."""
        ...

    def ring_agent(self, call: CallId, agent: AgentId, timeout: float) -> None:
        """Ring the agent's phone for this call; the caller keeps hearing music."""
        ...

    def cancel_ring(self, call: CallId, agent: AgentId) -> None:
        """Stop ringing the agent (ring-no-answer, caller left): no answer event follows."""
        ...

    def bridge(self, call: CallId, agent: AgentId) -> None:
        """Connect caller and answering agent; recording starts."""
        ...

    def unbridge(self, call: CallId) -> None:
        """Release the agent leg and keep the caller (transfer, post-call survey)."""
        ...

    def hold(self, call: CallId) -> None:
        """Put the caller on hold (music), the agent leg stays up."""
        ...

    def retrieve(self, call: CallId) -> None:
        """Take the caller off hold."""
        ...

    def hangup(self, call: CallId, cause: str) -> None:
        """End the call on every leg; `call_hung_up` follows with ``by="system"``."""
        ...

    def live_calls(self) -> Collection[CallId]:
        """Calls the switch holds now (used to reconcile after a restart)."""
        ...

    def consult(self, call: CallId, agent: AgentId, timeout: float) -> None:
        """Ring `agent` for a consultation by the agent on `call` (whose caller is on hold);
        the answer is reported with `SwitchListener.consult_answered`."""
        ...

    def end_consult(self, call: CallId, agent: AgentId) -> None:
        """Drop the consulted agent's leg (not answered yet, or the consultation is over)."""
        ...

    def originate(self, call: CallId, number: str, caller_id: str, timeout: float) -> None:
        """Call the external `number` (a customer) as the new call `call` (an id the engine
        chose), showing `caller_id`; give up after `timeout` seconds of no answer."""
        ...


class SwitchListener(Protocol):
    """What the switch reports back to the engine."""

    def call_arrived(self, call: CallId, caller: str, dialed: str) -> None:
        """A new inbound call, not yet answered."""
        ...

    def agent_answered(self, call: CallId, agent: AgentId) -> None:
        """The rung agent picked up."""
        ...

    def agent_ring_failed(self, call: CallId, agent: AgentId, reason: str) -> None:
        """The agent's phone could not be rung or rejected the call."""
        ...

    def consult_answered(self, call: CallId, agent: AgentId) -> None:
        """The agent rung for a consultation about `call` picked up."""
        ...

    def agent_hung_up(self, call: CallId, agent: AgentId) -> None:
        """The agent ended the conversation; the caller's leg may continue (survey)."""
        ...

    def outbound_answered(self, call: CallId) -> None:
        """The customer called by `originate` picked up; media is up."""
        ...

    def outbound_failed(self, call: CallId, reason: str) -> None:
        """The customer called by `originate` was not reached (one of `OUTBOUND_FAILURES`)."""
        ...

    def call_hung_up(self, call: CallId, by: str) -> None:
        """The call is over: ``by`` is "caller", "agent", "system" or a failure reason."""
        ...
