"""The agent desk's outside party (外线咨询, 三方通话, 转外线) on the seat's own call.

Like the desk's other commands (`hotline.live.desk`), each runs on the engine's thread with
the clock caught up first and what it made due run at once after; only a seat a person
takes accepts them, and only while its call is talking or held.
"""

from __future__ import annotations

from collections.abc import Callable

from hotline.calls.outside import OutsideCalls, OutsideLeg
from hotline.core.ids import CallId
from hotline.live.desk import Desks, NoCallError, NotASeatError

_PHASES = frozenset({"talking", "held"})


class OutsideDesk:
    """The outside-party commands of the desks of one runtime."""

    def __init__(self, desks: Desks) -> None:
        self._desks = desks

    def dial(self, agent_id: str, number: str) -> OutsideLeg:
        """外线咨询: the caller on hold, `number` called for the agent."""
        return self._run(agent_id, lambda call: self._outside.dial(call, number))

    def conference(self, agent_id: str) -> OutsideLeg:
        return self._run(agent_id, self._outside.conference)

    def transfer(self, agent_id: str) -> OutsideLeg:
        return self._run(agent_id, self._outside.transfer)

    def cancel(self, agent_id: str) -> OutsideLeg:
        return self._run(agent_id, self._outside.cancel)

    @property
    def _outside(self) -> OutsideCalls:
        return self._desks.engine.controller.outside

    def _run(self, agent_id: str, command: Callable[[CallId], OutsideLeg]) -> OutsideLeg:
        desks = self._desks
        if agent_id not in desks.human_seats:
            raise NotASeatError(
                f"agent {agent_id} is simulated; only seats taken by people accept desk commands",
                agent=agent_id,
            )
        current = desks.current(agent_id)  # catches the clock up
        if current is None or current.phase not in _PHASES:
            raise NoCallError(f"agent {agent_id} has no call in conversation", agent=agent_id)
        leg = command(current.id)
        desks.settle()
        return leg
