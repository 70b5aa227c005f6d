"""Simulated customers the hotline calls: whether and when they pick up, then what they do.

`SimSwitch` asks a `Customers` about every call it places (`originate`);
`ChanceCustomers` draws the answers from shares given by the simulation.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from hotline.core.ids import AgentId, CallId


@dataclass(frozen=True, slots=True)
class Pickup:
    """How a called customer's line answers: the customer picks up `after` seconds into
    the ringing, or, with `fails`, the attempt fails then for that reason (``busy``,
    ``rejected``, ``unreachable``)."""

    after: float
    fails: str | None = None


class Customers(Protocol):
    """The behaviour of simulated customers the hotline calls (`originate`).

    Once a customer has answered, the switch asks it what a caller decides
    (keys, patience in queue, conversation length, hang-up); the agents' side
    of the call (`ring`, `conversation_ended`) stays with the switch's `Parties`.
    """

    def dialled(self, call: CallId, number: str, timeout: float) -> Pickup | None:
        """How the customer's line answers the call; None: it rings until the timeout."""
        ...

    def respond(
        self, call: CallId, prompt: str | None, max_digits: int
    ) -> tuple[str, float] | None:
        """Keys typed at a collect prompt and when, as `Parties.respond`."""
        ...

    def waiting_started(self, call: CallId) -> None:
        """The customer hears hold music (queued for an agent)."""
        ...

    def bridged(self, call: CallId, agent: AgentId) -> tuple[float | None, bool]:
        """Conversation length, and True when the customer hangs up, as `Parties.bridged`."""
        ...

    def call_ended(self, call: CallId) -> None:
        """The call is gone from the switch."""
        ...


class ChanceCustomers:
    """`Customers` drawn at random: a share answers (after a uniform delay), a share is busy,
    the rest lets it ring; an answered customer types nothing, waits in queue for as long as
    it takes and talks for `talk` seconds (a number, or drawn by a function of the
    generator), then hangs up. One seeded generator: a seed always gives the same answers
    in the same order of calls."""

    def __init__(
        self,
        rng: random.Random,
        *,
        answer: float,
        busy: float = 0.0,
        answer_after: tuple[float, float] = (3.0, 15.0),
        talk: float | Callable[[random.Random], float] = 120.0,
    ) -> None:
        if answer < 0.0 or busy < 0.0 or answer + busy > 1.0:
            raise ValueError(
                f"answer {answer} and busy {busy}: shares from 0 to 1, at most 1 in all"
            )
        self._rng = rng
        self._answer = answer
        self._busy = busy
        self._after = answer_after
        self._talk = talk

    def dialled(self, call: CallId, number: str, timeout: float) -> Pickup | None:
        draw = self._rng.random()
        if draw < self._answer:
            return Pickup(self._rng.uniform(*self._after))
        if draw < self._answer + self._busy:
            return Pickup(0.5, fails="busy")
        return None

    def respond(
        self, call: CallId, prompt: str | None, max_digits: int
    ) -> tuple[str, float] | None:
        return None

    def waiting_started(self, call: CallId) -> None:
        pass

    def bridged(self, call: CallId, agent: AgentId) -> tuple[float | None, bool]:
        talk = self._talk
        return (talk if isinstance(talk, float | int) else talk(self._rng)), True

    def call_ended(self, call: CallId) -> None:
        pass
