"""Calls Hotline places to customers over SIP: one attempt's state, and what a SIP answer means.

`SipSwitch.originate` keeps a `DialAttempt` while the customer's phone rings: the
media leg opened for it, the outbound dialog (INVITE through Kamailio, which
sends numbers that no phone registered to a configured trunk) and the engine's
timer that CANCELs it. A final SIP error becomes one of the port's reasons
(`OUTBOUND_FAILURES`) with `failure_reason`.
"""

from __future__ import annotations

from dataclasses import dataclass

from hotline.core.clock import TimerHandle
from hotline.core.ids import CallId
from hotline.sip.endpoint import Dialog
from hotline.sip.media import RtpLeg

_BUSY = frozenset({486, 600})
_REJECTED = frozenset({403, 603, 607, 608})
_NO_ANSWER = frozenset({408, 480, 487})


def failure_reason(code: int) -> str:
    """The port's reason for a final SIP error answering our INVITE to a customer:
    486 Busy Here and 600 Busy Everywhere → ``busy``; 403, 603 Decline, 607/608 (unwanted,
    rejected) → ``rejected``; 408, 480 and 487 (the far end gave up ringing) →
    ``no-answer``; anything else (404 not found or not registered, 484, 5xx …) →
    ``unreachable``."""
    if code in _BUSY:
        return "busy"
    if code in _REJECTED:
        return "rejected"
    if code in _NO_ANSWER:
        return "no-answer"
    return "unreachable"


@dataclass(eq=False)
class DialAttempt:
    """A customer being called, until it answers or the attempt fails or is cancelled."""

    id: CallId
    number: str
    caller_id: str
    timer: TimerHandle | None = None
    leg: RtpLeg | None = None
    dialog: Dialog | None = None
    over: bool = False  # answered, failed or cancelled: later reports are ignored
