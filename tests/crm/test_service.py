"""`CrmService` over in-memory fakes of its ports: config as it is now, checks, lookups."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import pytest

from hotline.core.customer import ListMark, Tier
from hotline.crm import (
    AccountFacts,
    Consumption,
    CrmConfig,
    ImportReport,
    LifecycleStage,
    ListChange,
    ListChangeError,
    ListStatus,
    Profile,
    UnknownCustomerError,
)
from hotline.crm.events import list_changed
from hotline.crm.ports import CallContact, ImportOutcome, ListOutcome
from hotline.crm.service import CrmService

AT = 1_784_131_162.5

ZHANG = Profile(
    customer_id=1,
    name="张伟",
    phone="13800138000",
    account="0101000001",
    id_number="",
    address="",
    facts=AccountFacts(
        arpu=400, tenure_months=60, credit_score=80, consumption=Consumption(arrears=86.5)
    ),
    tier=Tier.MIDDLE,
    score=59.0,
    lifecycle=LifecycleStage.STABLE,
    list_status=ListStatus(),
)


@dataclasses.dataclass(frozen=True)
class Card:
    id: int
    phone: str


class FakeAccounts:
    """The `CustomerStore` port in memory."""

    def __init__(self) -> None:
        self.profiles = {ZHANG.customer_id: ZHANG}
        self.history: list[ListChange] = []
        self.passwords: dict[int, str] = {}

    def get(self, customer_id: int) -> Profile | None:
        return self.profiles.get(customer_id)

    def find(self, **_: object) -> list[Profile]:
        return list(self.profiles.values())

    def list_history(self, customer_id: int) -> list[ListChange]:
        return [c for c in self.history if c.customer_id == customer_id]

    def contacts(self, customer_id: int, *, limit: int = 20) -> Sequence[CallContact]:
        return []

    def change_list(
        self, customer_id: int, mark: ListMark, reason: str, *, by: str, at: float
    ) -> ListOutcome:
        if customer_id not in self.profiles:
            raise UnknownCustomerError(customer_id)
        change = ListChange(customer_id, mark, ListMark.NONE, reason, by, at)
        self.history.append(change)
        return ListOutcome(change, (list_changed(change),))

    def set_password(self, customer_id: int, password: str) -> None:
        self.passwords[customer_id] = password

    def recompute_tiers(self, config: CrmConfig) -> tuple[int, int]:
        return len(self.profiles), 0

    def import_upload(self, data: bytes, file: str, config: CrmConfig, *, by: str) -> ImportOutcome:
        return ImportOutcome(ImportReport(file, "csv", 0, 0, 0, ()), ())


class FakeFile:
    """The `CustomerFile` port in memory."""

    def __init__(self, *cards: Card, accounts: dict[str, int]) -> None:
        self.cards = {c.id: c for c in cards}
        self.accounts = accounts

    def get(self, customer_id: int) -> Card | None:
        return self.cards.get(customer_id)

    def by_account(self, account: str) -> Card | None:
        found = self.accounts.get(account)
        return None if found is None else self.cards[found]

    def by_phone(self, phone: str) -> Card | None:
        return next((c for c in self.cards.values() if c.phone == phone), None)


@pytest.fixture
def accounts() -> FakeAccounts:
    return FakeAccounts()


def service(accounts: FakeAccounts, config: list[CrmConfig] | None = None) -> CrmService:
    configs = config or [CrmConfig()]
    file = FakeFile(Card(1, "13800138000"), accounts={"0101000001": 1})
    return CrmService(lambda: configs[0], accounts, file, lambda: AT)


def test_the_page_scores_under_the_configuration_as_it_is_now(accounts):
    configs = [CrmConfig()]
    crm = service(accounts, configs)
    page = crm.detail(1)
    # 0.5·400/800 + 0.2·60/120 + 0.3·0.8 → 25 + 10 + 24 = 59
    assert page.scoring.score == pytest.approx(59.0)
    assert page.hints == []
    configs[0] = CrmConfig.model_validate(
        {
            "scoring": {"weights": {"arpu": 1.0, "tenure": 0.0, "credit": 0.0}},
            "hints": [
                {
                    "name": "arrears",
                    "when": [{"field": "arrears", "op": ">", "value": 0}],
                    "message": "欠费 {arrears} 元",
                }
            ],
        }
    )
    page = crm.detail(1)
    assert page.scoring.score == pytest.approx(50.0)
    assert [h.message for h in page.hints] == ["欠费 86.5 元"]
    with pytest.raises(UnknownCustomerError):
        crm.detail(2)


def test_a_list_change_is_checked_first_and_timed_by_the_clock(accounts):
    crm = service(accounts)
    with pytest.raises(ListChangeError):
        crm.change_list(1, ListMark.BLACK, "  ", by="lead")
    assert accounts.history == []
    outcome = crm.change_list(1, ListMark.BLACK, " 恶意骚扰 ", by="lead")
    assert (outcome.change.reason, outcome.change.at) == ("恶意骚扰", AT)
    assert [(e.customer, e.mark, e.at) for e in outcome.events] == [(1, ListMark.BLACK, AT)]


def test_a_lookup_by_account_and_phone_needs_both_to_match(accounts):
    crm = service(accounts)
    assert [c.id for c in crm.lookup(account="0101000001")] == [1]
    assert [c.id for c in crm.lookup(phone="13800138000")] == [1]
    assert [c.id for c in crm.lookup(phone="13800138000", account="0101000001")] == [1]
    assert crm.lookup(phone="13900139000", account="0101000001") == []
    assert crm.lookup(phone="13900139000") == []
    assert crm.lookup() == []
    assert crm.card(1).phone == "13800138000"
    with pytest.raises(UnknownCustomerError):
        crm.card(2)
