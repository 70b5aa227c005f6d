"""Who sees which customer, masked or not, and the audit row every read leaves.

An agent may read only the customer on their own current call, in clear; the
shift lead reads any customer in clear; the supervisor, QA and the
administrator read any customer masked (`roles.sees_unmasked`). Every read of
a customer's account data, whoever reads it and through whichever route
(customer endpoints, the desk, the live stream), writes one ``customer.read``
row to the audit log: who, role, customer id, masked or not, and how. A
customer shown on a call is one read per user and call: the desk's refreshes
and the stream's snapshots (`ReadsAudited`) show the same read again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from hotline.api.masking import (
    mask_account,
    mask_address,
    mask_customer,
    mask_id_number,
    mask_phone,
    plain,
)
from hotline.api.roles import Role, sees_unmasked
from hotline.api.users import User
from hotline.crm import Profile
from hotline.live import LiveHotline
from hotline.users import AuditLog

READ_ACTION = "customer.read"


def current_customer_id(runtime: LiveHotline, agent_id: str | None) -> int | None:
    """The id of the customer on the agent's current call, if it has a known customer."""
    if agent_id is None:
        return None
    call = runtime.desks.current(agent_id)
    return call.customer_id if call is not None else None


def customer_view(customer: Any, user: User, *, on_the_call: bool) -> dict[str, Any]:
    """The customer as `user` may see it, with ``masked`` saying which way."""
    clear = sees_unmasked(user.role, on_the_call=on_the_call)
    view = plain(customer) if clear else mask_customer(customer)
    if isinstance(view.get("id_number"), str):  # no screen needs more than its last four
        view["id_number"] = mask_id_number(view["id_number"])
    view["masked"] = not clear
    return view


def profile_summary(profile: Profile, clear: bool) -> dict[str, Any]:
    """A CRM profile's identity and standing, in clear or masked; the ID number always by
    its last four (the CRM list and the desk's look-up)."""

    def show(value: str, mask: Callable[[str], str]) -> str:
        return value if clear or not value else mask(value)

    return {
        "id": profile.customer_id,
        "name": profile.name,
        "phone": show(profile.phone, mask_phone),
        "account": show(profile.account, mask_account),
        "id_number": mask_id_number(profile.id_number) if profile.id_number else "",
        "address": show(profile.address, mask_address),
        "tier": profile.tier,
        "list_mark": profile.list_status.mark,
        "masked": not clear,
    }


def may_read(user: User, customer_id: int, current: int | None) -> bool:
    """Agents read only the customer on their current call; every other role reads any."""
    return user.role is not Role.AGENT or customer_id == current


class ReadsAudited:
    """The (user, customer, call) reads already written, so a page that refreshes the
    call every second writes its read once. Bounded: the oldest are forgotten first
    (a forgotten read seen again is written again, never lost)."""

    def __init__(self, max_keys: int = 50_000) -> None:
        self.max_keys = max_keys
        self._seen: OrderedDict[tuple[str, int, str], None] = OrderedDict()
        self._lock = threading.Lock()

    def first(self, username: str, customer_id: int, call: str) -> bool:
        """Whether this is the first time: True once per (user, customer, call)."""
        key = (username, customer_id, call)
        with self._lock:
            if key in self._seen:
                self._seen.move_to_end(key)
                return False
            self._seen[key] = None
            while len(self._seen) > self.max_keys:
                self._seen.popitem(last=False)
            return True


def record_read(
    audit: AuditLog,
    user: User,
    customer_id: int,
    *,
    masked: bool,
    via: str,
    client: str,
    call: str | None = None,
    seen: ReadsAudited | None = None,
) -> None:
    """Write the ``customer.read`` audit row of one read (blocking: call off the event loop).

    With `seen` and a `call`, a read already written for this user, customer and call
    is not written again.
    """
    if seen is not None and call is not None and not seen.first(user.username, customer_id, call):
        return
    detail: dict[str, Any] = {"masked": masked, "via": via}
    if call is not None:
        detail["call"] = call
    audit.record(
        username=user.username,
        role=user.role.value,
        action=READ_ACTION,
        subject_type="customer",
        subject_id=str(customer_id),
        detail=detail,
        client=client,
    )
