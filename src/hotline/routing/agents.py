"""Agents and their states: log in (签入), ready (示闲), not ready (示忙) with a reason,
away (离开), wrap-up (事后处理), log out (签出), and what a supervisor may force.

`AgentBook` is the agent half of the ACD (`routing.acd.ACD` derives from it):
the state machine and today's counters. States bound to a call (ringing,
talking, hold) are set only by the ACD's matching, from the call's lifecycle;
a request made during a call is kept as pending and applied after it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping

from hotline.core.clock import Clock, TimerHandle
from hotline.core.errors import UnknownAgentError
from hotline.core.events import Event
from hotline.core.ids import AgentId, CallId, QueueName
from hotline.routing.errors import InvalidAgentTransitionError
from hotline.routing.events import AgentStateChanged
from hotline.routing.model import (
    AGENT_REASONS,
    CALL_STATES,
    AgentProfile,
    AgentState,
    NotReadyReason,
)
from hotline.routing.queue import Agent, CallQueue, Contact

READY = AgentState.READY
_SETTABLE = {AgentState.READY, AgentState.NOT_READY, AgentState.AWAY, AgentState.LOGGED_OUT}


class AgentBook:
    """The agents of one ACD and their state machine."""

    _clock: Clock
    _publish: Callable[[Event], None]
    _timezone: datetime.tzinfo | None
    _daily_timer: TimerHandle | None
    agents: dict[AgentId, Agent]
    queues: dict[QueueName, CallQueue]

    # provided by the matching half (routing.acd.ACD)
    def _best_contact_for(self, agent: Agent) -> Contact | None:
        raise NotImplementedError

    def _offer(self, contact: Contact, agent: Agent) -> None:
        raise NotImplementedError

    def _serve_head(self, queue: CallQueue) -> None:
        raise NotImplementedError

    def _add_agent(self, profile: AgentProfile, ordinal: int, now: float) -> Agent:
        agent = Agent(profile, ordinal, now)
        for queue in self.queues.values():
            first: int | None = None
            for i, stage in enumerate(queue.spec.stages):
                if stage.selector.admits(profile):
                    if first is None:
                        first = i
                    index = queue.indexes[i]
                    if index not in agent.indexes:
                        agent.indexes.append(index)
            if first is not None:
                agent.serves.append((queue, first))
        self.agents[profile.id] = agent
        return agent

    def add_agent(self, profile: AgentProfile) -> None:
        """Add an agent to the roster (logged out)."""
        if profile.id in self.agents:
            raise InvalidAgentTransitionError(
                f"agent {profile.id} already exists", agent=profile.id
            )
        self._add_agent(profile, len(self.agents), self._clock.now())

    def agent(self, agent_id: AgentId) -> Agent:
        agent = self.agents.get(agent_id)
        if agent is None:
            raise UnknownAgentError(f"no agent with 工号 {agent_id!r}", agent=agent_id)
        return agent

    def login(self, agent_id: AgentId, *, ready: bool = False, by: str | None = None) -> None:
        """Log the agent in (签入): not ready ("login") unless ``ready``."""
        agent = self.agent(agent_id)
        if agent.state is not AgentState.LOGGED_OUT:
            raise InvalidAgentTransitionError(
                f"agent {agent_id} is already logged in", agent=agent_id
            )
        if ready:
            self._make_ready(agent, by=by)
        else:
            self._change(agent, AgentState.NOT_READY, NotReadyReason.LOGIN, by=by)

    def logout(self, agent_id: AgentId, *, by: str | None = None) -> None:
        """Log out (签出); during a call the agent logs out when the call and wrap-up end."""
        self._request(self.agent(agent_id), AgentState.LOGGED_OUT, "", by)

    def set_ready(self, agent_id: AgentId, *, by: str | None = None) -> None:
        """Ready (示闲); also ends wrap-up early."""
        self._request(self.agent(agent_id), AgentState.READY, "", by)

    def set_not_ready(
        self,
        agent_id: AgentId,
        reason: NotReadyReason = NotReadyReason.BUSY,
        *,
        by: str | None = None,
    ) -> None:
        """Not ready (示忙) with a reason; during a call it takes effect after the call."""
        if by is None and reason not in AGENT_REASONS:
            raise InvalidAgentTransitionError(
                f"reason {reason.value!r} is set by the system, not by an agent", agent=agent_id
            )
        self._request(self.agent(agent_id), AgentState.NOT_READY, reason.value, by)

    def set_away(self, agent_id: AgentId, *, by: str | None = None) -> None:
        """Away (离开): a short absence; no calls are offered."""
        self._request(self.agent(agent_id), AgentState.AWAY, "", by)

    def force_state(
        self, agent_id: AgentId, state: AgentState, *, supervisor: str, reason: str = ""
    ) -> None:
        """A supervisor sets an agent's state (or logs it out).

        States bound to a call cannot be forced: they follow the call. Forcing
        during a call takes effect when the call ends.
        """
        if state not in _SETTABLE:
            raise InvalidAgentTransitionError(
                f"state {state.value!r} cannot be forced; it follows a call", agent=agent_id
            )
        reason = reason or (
            NotReadyReason.SUPERVISOR.value if state is AgentState.NOT_READY else ""
        )
        self._request(self.agent(agent_id), state, reason, supervisor)

    def _request(self, agent: Agent, state: AgentState, reason: str, by: str | None) -> None:
        current = agent.state
        if current is AgentState.LOGGED_OUT:
            if state is AgentState.LOGGED_OUT:
                return
            raise InvalidAgentTransitionError(
                f"agent {agent.id} is logged out; log in first", agent=agent.id
            )
        if current in CALL_STATES:
            agent.pending = (state, reason, by)
            return
        if current is AgentState.WRAP_UP:
            self._clock.cancel(agent.timer)
            agent.timer = None
            agent.pending = None
        if state is READY:
            if current is not READY:
                self._make_ready(agent, by=by)
        elif state is not current or reason != agent.reason:
            self._change(agent, state, reason, by=by)

    def _change(
        self,
        agent: Agent,
        state: AgentState,
        reason: str = "",
        *,
        call: CallId | None = None,
        by: str | None = None,
    ) -> None:
        previous = agent.state
        if agent.indexed:
            agent.indexed = False
            for index in agent.indexes:
                index.discard(agent)
        now = self._clock.now()
        agent.state = state
        agent.reason = reason
        agent.since = now
        self._publish(AgentStateChanged(now, agent.id, state, previous, reason, call, by))

    def _make_ready(self, agent: Agent, *, by: str | None = None) -> None:
        """Ready the agent, then offer it the best waiting contact or index it as idle."""
        self._change(agent, READY, by=by)
        agent.idle_since = agent.since
        self._settle_ready(agent)

    def _settle_ready(self, agent: Agent) -> None:
        """A ready agent takes the best waiting contact, or waits in the idle indexes."""
        agent.epoch += 1
        contact = self._best_contact_for(agent)
        if contact is not None:
            queue = contact.queue
            for index in queue.indexes:
                index.chosen(agent)  # round robin continues after this agent
            self._offer(contact, agent)
            # the new head may have reached a stage whose agents sit idle
            self._serve_head(queue)
            return
        agent.indexed = True
        for index in agent.indexes:
            index.add(agent)

    def _after_call(self, agent: Agent) -> None:
        """The agent's call and wrap-up are over, or its offer vanished (the caller left):
        apply what the agent asked for meanwhile, else make it ready."""
        agent.contact = None
        pending = agent.pending
        agent.pending = None
        if pending is None or pending[0] is READY:
            self._make_ready(agent, by=None if pending is None else pending[2])
        else:
            self._change(agent, pending[0], pending[1], by=pending[2])

    def _wrap_up_done(self, agent: Agent) -> None:
        agent.timer = None
        if agent.state is AgentState.WRAP_UP:
            self._after_call(agent)

    # ---- daily counters -----------------------------------------------------------------

    def reset_daily_counters(self) -> None:
        """Zero today's calls and talk time (the fewest-calls and least-talk strategies)."""
        for agent in self.agents.values():
            agent.calls_today = 0
            agent.talk_today = 0.0
            if agent.indexed:  # its index keys were built from the old counters
                agent.epoch += 1
                for index in agent.indexes:
                    index.discard(agent)
                    index.add(agent)

    def _schedule_daily_reset(self) -> None:
        assert self._timezone is not None
        now = self._clock.now()
        local = datetime.datetime.fromtimestamp(now, self._timezone)
        midnight = datetime.datetime.combine(
            local.date() + datetime.timedelta(days=1), datetime.time(0), self._timezone
        )
        self._daily_timer = self._clock.call_at(midnight.timestamp(), self._daily_reset)

    def _daily_reset(self) -> None:
        self.reset_daily_counters()
        self._schedule_daily_reset()

    # ---- views ----------------------------------------------------------------------------

    def state_of(self, agent_id: AgentId) -> AgentState:
        return self.agent(agent_id).state

    def counts(self) -> Mapping[AgentState, int]:
        result: dict[AgentState, int] = {}
        for agent in self.agents.values():
            result[agent.state] = result.get(agent.state, 0) + 1
        return result
