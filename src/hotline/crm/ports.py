"""What the CRM service needs from storage: the customer accounts and the customer file.

`hotline.store.db.crm.CustomerAccounts` implements `CustomerStore` and
`hotline.store.db.Customers` implements `CustomerFile`. A change that records a
list change returns the ``crm.list_changed`` events committed with it (the
outbox): publish them, never append them to the log again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from hotline.core.customer import ListMark, Tier
from hotline.crm.config import CrmConfig
from hotline.crm.events import CustomerListChanged
from hotline.crm.importer import ImportReport
from hotline.crm.lists import ListChange
from hotline.crm.model import Profile


@dataclass(frozen=True, slots=True)
class ListOutcome:
    """A list change as recorded, and its event, committed to the log with it."""

    change: ListChange
    events: tuple[CustomerListChanged, ...]


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """An import's report, and the events of the list marks its rows changed (each
    committed with its row)."""

    report: ImportReport
    events: tuple[CustomerListChanged, ...]


class CallContact(Protocol):
    """One call of a customer, as the customer page lists it."""

    @property
    def call(self) -> str: ...
    @property
    def arrived_at(self) -> float | None: ...
    @property
    def caller(self) -> str | None: ...
    @property
    def queue(self) -> str | None: ...
    @property
    def agent(self) -> str | None: ...
    @property
    def outcome(self) -> str | None: ...
    @property
    def disposition(self) -> str | None: ...


class CustomerStore(Protocol):
    """Customers with their CRM accounts; every write is one transaction."""

    def get(self, customer_id: int) -> Profile | None: ...

    def find(
        self,
        *,
        q: str | None = None,
        tier: Tier | None = None,
        list_mark: ListMark | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Profile]:
        """Customers whose name contains `q`, or whose phone, bound phone or account is `q`."""
        ...

    def by_address(self, part: str, *, limit: int = 10_000, offset: int = 0) -> list[Profile]:
        """Customers whose address contains `part` (an outage area's name), in id order,
        matched by the storage (not every customer read); a blank `part` matches nobody."""
        ...

    def list_history(self, customer_id: int) -> list[ListChange]:
        """The customer's list changes, oldest first."""
        ...

    def contacts(self, customer_id: int, *, limit: int = 20) -> Sequence[CallContact]:
        """The customer's calls, newest first; raises `UnknownCustomerError`."""
        ...

    def change_list(
        self, customer_id: int, mark: ListMark, reason: str, *, by: str, at: float
    ) -> ListOutcome:
        """Record the change and its ``crm.list_changed`` event in one transaction (both or
        neither). Raises `ListChangeError` or `UnknownCustomerError`; nothing is written."""
        ...

    def set_password(self, customer_id: int, password: str) -> None:
        """Keep the hash of the account's query password; raises `PasswordError` or
        `UnknownCustomerError`."""
        ...

    def recompute_tiers(self, config: CrmConfig) -> tuple[int, int]:
        """Score every customer with account facts under `config`: (scored, tiers changed)."""
        ...

    def import_upload(self, data: bytes, file: str, config: CrmConfig, *, by: str) -> ImportOutcome:
        """Import a CSV or XLSX file's customers, one transaction per row, and record the
        batch. Raises `ImportFileError` when the file as a whole cannot be read."""
        ...


class CustomerCard(Protocol):
    """A customer's identity as the desk shows it (the `customers` row)."""

    @property
    def id(self) -> int: ...
    @property
    def phone(self) -> str: ...


class CustomerFile(Protocol):
    """The customers by id, account or contact phone."""

    def get(self, customer_id: int) -> CustomerCard | None: ...

    def by_account(self, account: str) -> CustomerCard | None: ...

    def by_phone(self, phone: str) -> CustomerCard | None: ...


__all__ = [
    "CallContact",
    "CustomerCard",
    "CustomerFile",
    "CustomerStore",
    "ImportOutcome",
    "ListOutcome",
]
