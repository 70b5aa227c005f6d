"""Seats taken by people: the simulated switch's parties, except at these agents' phones.

In the demo, callers and most agents are simulated (the scenario's population),
while some seats are left to whoever logs in at the agent desk. A call offered
to such a seat rings until the person answers (or the ring times out); the
conversation lasts until the person hangs up; the caller waits patiently once
connected, and the person ends wrap-up at the desk.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from hotline.core.ids import AgentId, CallId
from hotline.sim.population import Population


class SeatedParties:
    """`telephony.sim.Parties`: the population, with `seats` left to people."""

    def __init__(
        self,
        population: Population,
        seats: Collection[AgentId],
        on_ring: Callable[[CallId, AgentId], None] | None = None,
    ) -> None:
        self.population = population
        self.seats = frozenset(seats)
        self._on_ring = on_ring

    def respond(
        self, call: CallId, prompt: str | None, max_digits: int
    ) -> tuple[str, float] | None:
        return self.population.respond(call, prompt, max_digits)

    def waiting_started(self, call: CallId) -> None:
        self.population.waiting_started(call)

    def ring(self, call: CallId, agent: AgentId, timeout: float) -> float | None:
        if agent in self.seats:
            if self._on_ring is not None:
                self._on_ring(call, agent)
            return None  # the person picks up at the desk (SimSwitch.agent_picks_up)
        return self.population.ring(call, agent, timeout)

    def bridged(self, call: CallId, agent: AgentId) -> tuple[float | None, bool]:
        if agent in self.seats:
            self.population.caller_served(call)
            return None, False  # until the person hangs up (SimSwitch.agent_hangs_up)
        return self.population.bridged(call, agent)

    def conversation_ended(self, call: CallId, agent: AgentId) -> None:
        if agent not in self.seats:  # a person ends wrap-up at the desk
            self.population.conversation_ended(call, agent)

    def call_ended(self, call: CallId) -> None:
        self.population.call_ended(call)
