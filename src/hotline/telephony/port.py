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
- `record` ends in exactly one `on_done`, also when the caller hangs up during it (a
  message is usually ended so): then `on_done` comes first and `call_hung_up` after
  it. A new media command, a bridge or `hangup` ends it without `on_done` (and no
  file is kept).
- keys pressed while no `collect` runs are kept for the next one (type-ahead, the rule
  in `hotline.telephony.keys`).
- `monitor` ends in exactly one of `monitor_answered` or `monitor_failed` (the switch
  gives up after its `timeout`: reason "no-answer"), unless `end_monitor` or the
  call's end comes first; once answered, `monitor_ended` follows when the
  supervisor hangs up (not after `end_monitor`, nor when the call ends: then
  `call_hung_up` says it). A call has one monitoring phone at a time.
- `dial_out` ends in exactly one of `outside_answered` or `outside_failed` (the switch
  gives up after its `timeout`: reason "no-answer"), unless `end_outside` or the call's
  end comes first; once answered, `outside_hung_up` follows when the outside party
  hangs up (not after `end_outside`, nor when the call ends). One outside party per call.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Protocol

from hotline.core.ids import AgentId, CallId

MONITOR_MODES = ("listen", "whisper", "barge")
"""How a supervisor's phone joins a conversation (`Switch.monitor`): 监听 (hears caller and
agent, heard by nobody), 耳语 (heard by the agent only), 强插 (heard by both)."""


@dataclass(frozen=True, slots=True)
class RecordedMessage:
    """What `Switch.record` recorded: a caller's voicemail.

    `file` is the WAV's name in the switch's recordings folder, None when no audio was
    kept: on the simulated switch (`simulated` True: the caller's speaking is a length
    on the virtual clock, nothing more) or a switch without a recordings folder.
    `ended_by` is ``terminator``, ``silence``, ``max`` or ``hangup``.
    """

    file: str | None
    seconds: float
    ended_by: str
    simulated: bool = False


MESSAGE_ENDS = ("terminator", "silence", "max", "hangup")
"""Why a recording ended (`RecordedMessage.ended_by`)."""

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

    def record(
        self,
        call: CallId,
        *,
        max_seconds: float,
        silence_timeout: float,
        terminator: str | None,
        on_done: Callable[[RecordedMessage], None],
    ) -> None:
        """Record what the caller says (a voicemail) until the `terminator` key, `silence_timeout`
        seconds without voice, `max_seconds`, or the caller's hang-up; `on_done` gets the
        `RecordedMessage` (see the contract above: it comes before `call_hung_up`)."""
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

    def monitor(self, call: CallId, supervisor: str, mode: str, timeout: float) -> None:
        """Ring the phone of `supervisor` (an extension registered like an agent's) and, once
        it answers, join it to the call in `mode` (one of `MONITOR_MODES`): it hears the
        caller and the agent; the agent hears it in ``whisper`` and ``barge``, the caller in
        ``barge``. While the call has no agent bridged (it rings, waits) the supervisor
        hears nothing until `take_over`. Give up after `timeout` seconds of ringing."""
        ...

    def set_monitor_mode(self, call: CallId, mode: str) -> None:
        """Change how the supervisor's phone on `call` is heard (from the next frame)."""
        ...

    def end_monitor(self, call: CallId) -> None:
        """Drop the supervisor's phone of `call` (ringing or answered); nothing is reported."""
        ...

    def dial_out(self, call: CallId, number: str, caller_id: str, timeout: float) -> None:
        """For the agent of `call` (its caller on hold, hearing music): call the outside
        `number` (a department's duty phone) through the trunk, showing `caller_id`; once
        it answers, the agent talks with it. Give up after `timeout` seconds of ringing."""
        ...

    def join_outside(self, call: CallId) -> None:
        """三方通话: the caller comes back from hold and the answered outside party joins the
        conversation; everybody hears everybody (recorded in the agent's channel)."""
        ...

    def transfer_outside(self, call: CallId) -> None:
        """完成转接 to the answered outside party: the agent's leg is released (nothing
        reported); the caller and the outside party stay bridged, recorded."""
        ...

    def end_outside(self, call: CallId) -> None:
        """Hang up the outside party of `call` (ringing or answered); nothing is reported."""
        ...

    def take_over(self, call: CallId) -> None:
        """The answered supervisor's phone replaces the agent (拦截): the agent's leg, ringing
        or talking, is released (nothing reported) and the caller is bridged to the
        supervisor, recorded. The call's end is reported as usual; the supervisor's
        hang-up as `SwitchListener.monitor_ended`."""
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

    def monitor_answered(self, call: CallId, supervisor: str) -> None:
        """The supervisor's phone rung by `Switch.monitor` picked up and joined the call."""
        ...

    def monitor_failed(self, call: CallId, supervisor: str, reason: str) -> None:
        """The supervisor's phone was not reached (one of `OUTBOUND_FAILURES`)."""
        ...

    def monitor_ended(self, call: CallId, supervisor: str) -> None:
        """The supervisor hung up; the call goes on."""
        ...

    def outside_answered(self, call: CallId) -> None:
        """The outside number called by `Switch.dial_out` answered; the agent talks with it."""
        ...

    def outside_failed(self, call: CallId, reason: str) -> None:
        """The outside number was not reached (one of `OUTBOUND_FAILURES`)."""
        ...

    def outside_hung_up(self, call: CallId) -> None:
        """The answered outside party hung up."""
        ...

    def call_hung_up(self, call: CallId, by: str) -> None:
        """The call is over: ``by`` is "caller", "agent", "system" or a failure reason."""
        ...
