"""CRM events: a customer's red/black list mark changed (``crm.list_changed``).

The event names the customer by id only, with the marks and who changed them: the
event log is read by roles that must not see a customer's numbers, and the reason
(free text that may name the customer) stays in the ``crm_list_changes`` history.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from hotline.core.customer import ListMark
from hotline.core.events import Event, event
from hotline.crm.lists import ListChange


@event
@dataclasses.dataclass(slots=True)
class CustomerListChanged(Event):
    """`by` put customer `customer` on list `mark` (``none``: off every list), from
    `previous`; routing applies it from the customer's next call."""

    kind: ClassVar[str] = "crm.list_changed"
    customer: int
    mark: ListMark
    previous: ListMark
    by: str


def list_changed(change: ListChange) -> CustomerListChanged:
    """The event of one recorded list change (at the change's time)."""
    return CustomerListChanged(
        at=change.at,
        customer=change.customer_id,
        mark=change.mark,
        previous=change.previous,
        by=change.set_by,
    )


__all__ = ["CustomerListChanged", "list_changed"]
