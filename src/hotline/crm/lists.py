"""Red and black lists (红名单 / 黑名单): who may put a customer on one, and why it is needed.

A black list lowers a caller to the end of every queue, so it is never set
without a written reason; a red list (an important or sensitive customer) may
have one. Taking a customer off a list is recorded like putting them on.
"""

from __future__ import annotations

from dataclasses import dataclass

from hotline.core.customer import ListMark
from hotline.crm.errors import ListChangeError

REASON_MAX = 255


@dataclass(frozen=True, slots=True)
class ListChange:
    """One change of a customer's list mark: to what, why, by whom and when."""

    customer_id: int
    mark: ListMark
    previous: ListMark
    reason: str
    set_by: str
    at: float


def check_list_change(mark: ListMark, reason: str, set_by: str) -> str:
    """The reason, trimmed, once the change is allowed; raises `ListChangeError` otherwise."""
    reason = reason.strip()
    if not set_by.strip():
        raise ListChangeError("a list change must name who made it", field="set_by")
    if mark is ListMark.BLACK and not reason:
        raise ListChangeError("a black list (黑名单) needs a reason", field="reason")
    if len(reason) > REASON_MAX:
        raise ListChangeError(
            f"the reason is {len(reason)} characters long; at most {REASON_MAX}", field="reason"
        )
    return reason
