"""CRM commands and queries end to end: find, the customer page, lists, imports, tiers.

`CrmService` is what the API calls. It reads and writes through the `CustomerStore`
and `CustomerFile` ports (`hotline.store.db.crm.CustomerAccounts` and
`hotline.store.db.Customers`), takes the CRM configuration from a function (the
composition root's current ``crm.yaml``, re-read when it changed) and time from
a clock function, never the wall. A list change returns its ``crm.list_changed``
event, committed to the log with the change (the outbox): the caller only
publishes it on the bus. Who may call what, masking and audit rows are the
edge's business; the domain stays free of threads and I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hotline.core.customer import ListMark, Tier
from hotline.crm.config import CrmConfig
from hotline.crm.errors import UnknownCustomerError
from hotline.crm.hints import Hint, hint_fields, hints_for
from hotline.crm.lists import ListChange, check_list_change
from hotline.crm.model import Profile
from hotline.crm.ports import (
    CallContact,
    CustomerCard,
    CustomerFile,
    CustomerStore,
    ImportOutcome,
    ListOutcome,
)
from hotline.crm.scoring import TierScore, score_tier


@dataclass(frozen=True, slots=True)
class CustomerDetail:
    """The customer page: the profile, its score under the current ``crm.yaml`` with the
    breakdown, the desk's hints, the list history (oldest first) and the calls (newest
    first)."""

    profile: Profile
    scoring: TierScore
    hints: list[Hint]
    list_history: list[ListChange]
    contacts: Sequence[CallContact]


class CrmService:
    """The CRM of one hotline: its configuration, stores and clock."""

    def __init__(
        self,
        config: Callable[[], CrmConfig],
        accounts: CustomerStore,
        customers: CustomerFile,
        clock: Callable[[], float],
    ) -> None:
        self.config = config
        self.accounts = accounts
        self.customers = customers
        self.clock = clock

    # -- queries ---------------------------------------------------------------------------

    def find(
        self,
        *,
        q: str | None = None,
        tier: Tier | None = None,
        list_mark: ListMark | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Profile]:
        """Customers whose name contains `q`, or whose phone, bound phone or account is `q`,
        filtered by tier and list, in id order."""
        return self.accounts.find(q=q, tier=tier, list_mark=list_mark, limit=limit, offset=offset)

    def detail(self, customer_id: int) -> CustomerDetail:
        """The customer page's data; raises `UnknownCustomerError`."""
        profile = self.accounts.get(customer_id)
        if profile is None:
            raise UnknownCustomerError(customer_id)
        config = self.config()
        return CustomerDetail(
            profile=profile,
            scoring=score_tier(profile.facts, config.scoring),
            hints=hints_for(config.hints, hint_fields(profile)),
            list_history=self.accounts.list_history(customer_id),
            contacts=self.accounts.contacts(customer_id),
        )

    def lookup(self, *, phone: str | None = None, account: str | None = None) -> list[CustomerCard]:
        """The customer with this account (else this contact phone); with both, only when
        the account's customer has that phone. Empty when none matches."""
        if account is not None:
            found = self.customers.by_account(account)
        else:
            found = self.customers.by_phone(phone) if phone is not None else None
        if found is None or (phone is not None and found.phone != phone):
            return []
        return [found]

    def card(self, customer_id: int) -> CustomerCard:
        """The customer's identity (the desk's record); raises `UnknownCustomerError`."""
        found = self.customers.get(customer_id)
        if found is None:
            raise UnknownCustomerError(customer_id)
        return found

    # -- commands --------------------------------------------------------------------------

    def change_list(self, customer_id: int, mark: ListMark, reason: str, *, by: str) -> ListOutcome:
        """Put the customer on the red or black list (`ListMark.NONE`: off it), now.

        A black list needs a reason (`check_list_change`); raises `ListChangeError` or
        `UnknownCustomerError` and changes nothing then. Routing applies the change
        from the customer's next call.
        """
        reason = check_list_change(mark, reason, by)
        return self.accounts.change_list(customer_id, mark, reason, by=by, at=self.clock())

    def import_upload(self, data: bytes, file: str, *, by: str) -> ImportOutcome:
        """Import the customers of a CSV or XLSX upload, scored under the current
        ``crm.yaml``: bad rows are reported, good rows kept. Raises `ImportFileError`
        (nothing saved) when the file as a whole cannot be read."""
        return self.accounts.import_upload(data, file, self.config(), by=by)

    def recompute_tiers(self) -> tuple[int, int]:
        """Score every customer again under the current ``crm.yaml``: (scored, changed)."""
        return self.accounts.recompute_tiers(self.config())

    def set_password(self, customer_id: int, password: str) -> None:
        """Set the account's query password (查询密码); only its hash is kept. Raises
        `PasswordError` or `UnknownCustomerError`."""
        self.accounts.set_password(customer_id, password)


__all__ = ["CrmService", "CustomerDetail"]
