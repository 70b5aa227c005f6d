"""Outbound calls (外呼): what the hotline does once a called customer answers.

`CallController.originate` takes one of these: `ToQueue` (the customer becomes a
contact of a queue, with the priority its tier and the queue give, and an agent
takes it as any caller; or a named agent is rung at once) or `PlayMessage` (a
notice such as 电费通知 or 停电通知 is played, then the hotline hangs up).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hotline.core.errors import HotlineError
from hotline.core.ids import AgentId, QueueName

_DIALABLE = re.compile(r"[0-9A-Za-z*#+._-]{1,64}")


class OriginateError(HotlineError):
    """An outbound call that cannot be placed as asked (bad number, timeout or call id)."""

    error_id = "bad-outbound-call"


@dataclass(frozen=True, slots=True)
class ToQueue:
    """Connect the answered customer to an agent of `queue` (the customer hears music).

    With `agent` (the agent who promised a callback), that agent is rung straight
    away if ready; if not ready, or when its phone rings out, the queue serves the
    customer as any other contact.

    With `drop_after` (a dialer's call, 预测式外呼), a customer whom no agent's phone rings
    for within `drop_after` seconds of answering is dropped: taken out of the queue, told
    `drop_prompt` (a recorded apology; none: hung up at once) and hung up — the call ends
    ``dropped``, an abandoned-by-dialer call.
    """

    queue: QueueName
    agent: AgentId | None = None
    drop_after: float | None = None
    drop_prompt: str | None = None


@dataclass(frozen=True, slots=True)
class PlayMessage:
    """Play `prompt` (a name of the prompt catalogue) to the customer, then hang up."""

    prompt: str


OnAnswer = ToQueue | PlayMessage


def check_number(number: str, *, what: str = "number") -> str:
    """`number` when it is dialable (digits, letters, ``*#+._-``); raises `OriginateError`."""
    if not _DIALABLE.fullmatch(number):
        raise OriginateError(f"{what} {number!r} is not a dialable number", **{what: number})
    return number
