"""What the ACD needs from the call-handling side (implemented by `hotline.calls`)."""

from __future__ import annotations

from typing import Protocol

from hotline.core.ids import AgentId, CallId, QueueName
from hotline.routing.model import MaxWaitAction


class CallControl(Protocol):
    """Telephony actions the ACD decides but does not perform itself."""

    def ring(self, call: CallId, agent: AgentId, timeout: float) -> None:
        """Ring the agent for this call; answer or failure comes back to the ACD."""
        ...

    def cancel_ring(self, call: CallId, agent: AgentId) -> None:
        """Stop ringing: the offer is withdrawn (ring-no-answer, caller gone)."""
        ...

    def max_wait_reached(self, call: CallId, queue: QueueName, action: MaxWaitAction) -> None:
        """The contact reached its maximum wait and is set aside; carry out `action`.

        Called for callback, voicemail and hangup; overflow stays inside the ACD.
        The contact stays in the ACD until the controller calls `ACD.requeue`
        (offer declined), `ACD.withdraw` (callback taken, voicemail, hang-up) or
        `ACD.abandon` (the caller hung up meanwhile).
        """
        ...

    def ring_consult(self, call: CallId, agent: AgentId, timeout: float) -> None:
        """Ring `agent` for a consultation about `call` (its caller waits on hold); the
        answer comes back as `ACD.consult_answered`."""
        ...

    def drop_consult(self, call: CallId, agent: AgentId) -> None:
        """The consultation is over without a hand-over: drop the consulted agent's leg."""
        ...
