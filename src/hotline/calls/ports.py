"""What call handling needs from the customer side (CRM, or the simulator's population)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from hotline.core.customer import ListMark, Tier


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
