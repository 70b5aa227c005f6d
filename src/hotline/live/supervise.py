"""The shift lead's and the supervisor's telephony from the wallboard (班长席), by agent.

The wallboard names an agent's tile, not a call: `Supervisors` finds the call that rings
or talks at that agent and runs the engine's supervision command on it (`calls.supervise`),
on the engine's thread with the clock caught up first and what the command made due run
at once after, as the desk's commands do. A call a supervisor took over (拦截) has no
agent any more: it stays reachable from the tile of the agent it was taken from.

A supervisor's phone is the extension of their console user: the user's 工号 when the
user has one, else the username (`extension_of`); it registers at the switch with a
password from `hotline.live.phones` like an agent's phone. In the demo (simulated
switch) the console is the phone: it answers at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from hotline.calls.supervise import Session, Supervision
from hotline.core.errors import HotlineError
from hotline.core.ids import AgentId, CallId
from hotline.live.engine import Engine
from hotline.live.views import SessionTile

T = TypeVar("T")


class NoCallAtAgentError(HotlineError):
    """The agent has no call ringing or in conversation (nor one taken from them)."""

    error_id = "no-call"


def extension_of(username: str, agent_id: str | None) -> str:
    """The phone extension of a console user: their 工号 if they have one, else the username."""
    return agent_id or username


class Supervisors:
    """The supervision commands of one runtime, addressed by agent (工号)."""

    def __init__(
        self, *, engine: Engine, catch_up: Callable[[], None], settle: Callable[[], None]
    ) -> None:
        self._engine = engine
        self._catch_up = catch_up
        self._settle = settle

    @property
    def supervision(self) -> Supervision:
        return self._engine.controller.supervision

    def call_of(self, agent_id: str) -> CallId:
        """The call ringing or talking at the agent, or the one a supervisor took from them;
        raises `NoCallAtAgentError`."""
        self._catch_up()
        agent = self._engine.acd.agent(AgentId(agent_id))  # unknown: UnknownAgentError (404)
        if agent.contact is not None:
            return agent.contact.call
        for session in self.supervision.sessions.values():
            if session.agent == agent.id and session.taken_over:
                return session.call
        raise NoCallAtAgentError(
            f"坐席 {agent_id} 当前没有通话 (agent {agent_id} has no call now)", agent=agent_id
        )

    def monitor(self, agent_id: str, *, extension: str, by: str, mode: str) -> Session:
        """监听/耳语/强插 the agent's call (or change the mode of one's phone already on it)."""
        call = self.call_of(agent_id)
        return self._run(
            lambda: self.supervision.monitor(call, extension=extension, by=by, mode=mode)
        )

    def set_mode(self, agent_id: str, *, by: str, mode: str) -> Session:
        call = self.call_of(agent_id)
        return self._run(lambda: self.supervision.set_mode(call, mode, by=by))

    def end(self, agent_id: str, *, by: str) -> Session:
        call = self.call_of(agent_id)
        return self._run(lambda: self.supervision.end(call, by=by))

    def intercept(self, agent_id: str, *, extension: str, by: str) -> Session:
        call = self.call_of(agent_id)
        return self._run(lambda: self.supervision.intercept(call, extension=extension, by=by))

    def force_release(self, agent_id: str, *, by: str) -> CallId:
        call = self.call_of(agent_id)
        self._run(lambda: self.supervision.force_release(call, by=by))
        return call

    @property
    def active(self) -> bool:
        """Whether a supervisor's phone is on (or rung for) any call."""
        return bool(self.supervision.sessions)

    def tile(self, agent_id: AgentId) -> SessionTile | None:
        """The supervisor's phone on the agent's call (or the one taken from them), if any."""
        for session in self.supervision.sessions.values():
            if session.agent == agent_id:
                return SessionTile(
                    session.call, session.extension, session.by, session.mode.value, session.state
                )
        return None

    def _run(self, command: Callable[[], T]) -> T:
        result = command()
        self._settle()
        return result
