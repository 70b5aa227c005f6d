"""What call handling needs from the customer side (CRM, or the simulator's population)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from hotline.core.customer import ListMark, Tier
from hotline.core.ids import AgentId, CallId, QueueName


@dataclass(frozen=True, slots=True)
class CallerInfo:
    """What the hotline knows about a calling number at arrival."""

    tier: Tier = Tier.ORDINARY
    list_mark: ListMark = ListMark.NONE
    account: str | None = None


class CustomerDirectory(Protocol):
    def identify(self, caller: str) -> CallerInfo | None:
        """The customer behind a calling number, or None when unknown."""
        ...


class AgentDesk(Protocol):
    """What an agent does to a call from the desk (坐席工作台) during a conversation."""

    def in_conversation(self, call: CallId) -> bool:
        """The call is with an agent now (talking or on hold)."""
        ...

    def on_hold(self, call: CallId) -> bool: ...

    def hold(self, call: CallId) -> None:
        """Put the caller on hold (保持), e.g. to consult a colleague."""
        ...

    def retrieve(self, call: CallId) -> None: ...

    def transfer(self, call: CallId, queue: QueueName) -> None:
        """Blind transfer (盲转): the caller goes to `queue`, the agent to wrap-up."""
        ...

    def agent_of(self, call: CallId) -> AgentId | None:
        """The agent the caller is with now (None when with none)."""
        ...

    def consult(self, call: CallId, queue: QueueName) -> AgentId:
        """Consult transfer (咨询转接): the caller on hold, a free colleague of `queue`
        rung; raises a `HotlineError` when none is free."""
        ...

    def consulting(self, call: CallId) -> str | None:
        """The consultation about `call`: "ringing", "talking", or None."""
        ...

    def complete_consult(self, call: CallId) -> AgentId:
        """Hand the caller over to the consulted colleague."""
        ...

    def cancel_consult(self, call: CallId) -> None:
        """End the consultation; the caller stays on hold."""
        ...
