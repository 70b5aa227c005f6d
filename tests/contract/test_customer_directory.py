"""The `CustomerDirectory` port's contract (`hotline.calls.ports`), with the identity check
(`IdentityVerifier`) the same adapters give the IVR, run against every adapter.

- the CRM: `CachedDirectory` and `CachedVerifier` over `CustomerAccounts`, on SQLite and
  on PostgreSQL (what the live runtime asks at every call arrival);
- the simulator's `Population`, which knows the callers it places (tests/sim).

A customer is stored the adapter's way (an account saved in the CRM; a simulated caller
dialling in with that identity); the engine then expects the same answers from both:
tier, list mark and account as stored, None for a number nobody knows, and a change
seen at the next lookup, whatever was cached before.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pytest

from hotline.calls.ports import CallerInfo, CustomerDirectory
from hotline.core.customer import ListMark, Tier
from hotline.crm.importer import CustomerRecord
from hotline.crm.model import LifecycleStage
from hotline.crm.scoring import TierScore
from hotline.ivr.ports import IdentityVerifier
from hotline.sim.run import Simulation, load_scenario
from hotline.store.db import Customers, Database
from hotline.store.db.crm import CustomerAccounts, crm_directory
from tests.support.postgres import PostgresServer

WEEKDAY = Path(__file__).resolve().parents[2] / "examples" / "95598" / "scenarios" / "weekday.yaml"
AT = 1_780_000_000.0

ZHANG = ("13800138000", CallerInfo(Tier.HIGH, ListMark.NONE, "0101000001"))
LI = ("13700137000", CallerInfo(Tier.MIDDLE, ListMark.RED, "0101000002"))
WANG = ("13600136000", CallerInfo(Tier.ORDINARY, ListMark.BLACK, "0101000003"))
NOBODY = "13500135000"


class StoredCustomers(Protocol):
    """A directory adapter with the way its customers get stored."""

    @property
    def directory(self) -> CustomerDirectory: ...

    @property
    def verifier(self) -> IdentityVerifier: ...

    def register(self, phone: str, info: CallerInfo) -> None:
        """Store a customer reached at `phone` with this tier, list mark and account."""
        ...

    def relist(self, phone: str, mark: ListMark) -> None:
        """The customer at `phone` is put on (or taken off) a list."""
        ...

    def close(self) -> None: ...


class Crm:
    """The CRM's accounts in a database, with the cached directory and check over them."""

    def __init__(self, url: str) -> None:
        self.db = Database.open(url)
        self.accounts = CustomerAccounts(self.db)
        self.directory, self.verifier = crm_directory(self.db)
        self._rows = itertools.count(1)

    def register(self, phone: str, info: CallerInfo) -> None:
        assert info.account is not None
        record = CustomerRecord(
            row=next(self._rows),
            account=info.account,
            name="测试客户",
            phone=phone,
            list_mark=info.list_mark,
            list_reason="" if info.list_mark is ListMark.NONE else "多次无理投诉",
        )
        score = TierScore(info.tier, 50.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
        self.accounts.save(record, score, LifecycleStage.STABLE, by="admin", at=AT)

    def relist(self, phone: str, mark: ListMark) -> None:
        customer = Customers(self.db).by_phone(phone)
        assert customer is not None
        self.accounts.change_list(customer.id, mark, "多次无理投诉", by="lead", at=AT + 60)

    def close(self) -> None:
        self.db.close()


class Callers:
    """The simulator's population: a customer is known by calling in (`Population.dial`)."""

    def __init__(self) -> None:
        self.sim = Simulation(*load_scenario(WEEKDAY))
        self.directory = self.verifier = self.sim.population
        self._known: dict[str, CallerInfo] = {}

    def register(self, phone: str, info: CallerInfo) -> None:
        self._known[phone] = info
        self.sim.population.dial(phone, info)

    def relist(self, phone: str, mark: ListMark) -> None:
        before = self._known[phone]  # the same customer calls again, now on the list
        self.register(phone, CallerInfo(before.tier, mark, before.account))

    def close(self) -> None:
        pass


@pytest.fixture(params=["simulated", "sqlite", "postgresql"])
def customers(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoredCustomers]:
    made: StoredCustomers
    if request.param == "simulated":
        made = Callers()
    elif request.param == "sqlite":
        made = Crm(f"sqlite:///{tmp_path / 'crm.db'}")
    else:
        server: PostgresServer = request.getfixturevalue("postgres")
        made = Crm(server.create_database())
    try:
        yield made
    finally:
        made.close()


def test_a_known_number_tells_the_tier_list_and_account_as_stored(
    customers: StoredCustomers,
) -> None:
    for phone, info in (ZHANG, LI, WANG):
        customers.register(phone, info)
    for phone, info in (ZHANG, LI, WANG, ZHANG):  # asked again: the same answer
        assert customers.directory.identify(phone) == info


def test_an_unknown_number_is_none_until_its_customer_is_stored(customers: StoredCustomers) -> None:
    customers.register(*ZHANG)
    assert customers.directory.identify(NOBODY) is None
    assert customers.directory.identify(NOBODY) is None
    customers.register(NOBODY, CallerInfo(Tier.MIDDLE, ListMark.NONE, "0101000009"))
    found = customers.directory.identify(NOBODY)
    assert found == CallerInfo(Tier.MIDDLE, ListMark.NONE, "0101000009")
    assert customers.directory.identify(ZHANG[0]) == ZHANG[1]


def test_a_list_change_is_seen_at_the_next_lookup(customers: StoredCustomers) -> None:
    customers.register(*ZHANG)
    customers.register(*LI)
    assert customers.directory.identify(ZHANG[0]) == ZHANG[1]  # now known, maybe cached
    customers.relist(ZHANG[0], ListMark.BLACK)
    assert customers.directory.identify(ZHANG[0]) == CallerInfo(
        Tier.HIGH, ListMark.BLACK, "0101000001"
    )
    assert customers.directory.identify(LI[0]) == LI[1]  # the other customer as it was
    customers.relist(ZHANG[0], ListMark.NONE)
    assert customers.directory.identify(ZHANG[0]) == ZHANG[1]


def test_the_identity_check_knows_each_accounts_own_phone(customers: StoredCustomers) -> None:
    customers.register(*ZHANG)
    customers.register(*LI)
    verifier = customers.verifier
    assert verifier.is_bound_phone("0101000001", ZHANG[0])
    assert verifier.is_bound_phone("0101000002", LI[0])
    assert not verifier.is_bound_phone("0101000001", LI[0])  # another customer's phone
    assert not verifier.is_bound_phone("0101000001", NOBODY)
    assert not verifier.is_bound_phone("0101000099", ZHANG[0])  # no such account
