"""What call handling needs from the customer side (CRM, or the simulator's population)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from hotline.core.customer import ListMark, Tier
from hotline.core.ids import CallId, QueueName


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
