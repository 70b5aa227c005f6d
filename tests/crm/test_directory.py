"""The directory the engine asks at call arrival and the IVR's identity checks, over a database.

Tier and list are read at lookup, answered from the cache the second time, and a
list change or an import makes the next lookup read the database again.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from hotline.calls.ports import CallerInfo
from hotline.core.customer import ListMark, Tier
from hotline.crm import CrmConfig, ListChangeError, PasswordError, UnknownCustomerError
from hotline.store.db import Customers, Database
from hotline.store.db.crm import CustomerAccounts, crm_directory, import_bytes

CSV = (
    "户号,户名,联系电话,ARPU,在网月数,信用分,绑定电话\n"
    "0101000001,张伟,13800138000,800,120,100,13900139000\n"
    "0101000002,李娜,13700137000,100,12,40,\n"
)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    with Database.open(database_url) as db:
        import_bytes(db, CSV.encode(), "c.csv", CrmConfig(), by="admin")
        yield db


def test_tier_and_list_are_read_at_lookup_by_contact_or_bound_phone(db):
    directory, _ = crm_directory(db)
    assert directory.identify("13800138000") == CallerInfo(Tier.HIGH, ListMark.NONE, "0101000001")
    assert directory.identify("13900139000") == CallerInfo(Tier.HIGH, ListMark.NONE, "0101000001")
    # 0.5·100/800 + 0.2·12/120 + 0.3·0.4 = 0.0625 + 0.02 + 0.12 → 20.25 → ordinary
    assert directory.identify("13700137000") == CallerInfo(
        Tier.ORDINARY, ListMark.NONE, "0101000002"
    )
    assert directory.identify("13600136000") is None


def test_a_second_arrival_is_answered_from_the_cache(db):
    directory, _ = crm_directory(db)
    directory.identify("13800138000")
    directory.identify("13600136000")  # unknown numbers are cached too
    with db.engine.begin() as c:  # a change behind the repository's back is not seen…
        c.execute(sa.text("UPDATE customers SET tier = 'ordinary'"))
    assert directory.identify("13800138000").tier is Tier.HIGH
    assert directory.identify("13600136000") is None
    assert (directory.cache.hits, directory.cache.misses) == (2, 2)


def test_a_list_change_is_seen_at_the_next_arrival(db):
    directory, _ = crm_directory(db)
    accounts = CustomerAccounts(db)
    li = Customers(db).by_account("0101000002")
    assert directory.identify("13700137000").list_mark is ListMark.NONE
    change = accounts.set_list(li.id, ListMark.BLACK, "多次辱骂坐席", by="lead", at=1000.0)
    assert (change.previous, change.mark) == (ListMark.NONE, ListMark.BLACK)
    assert directory.identify("13700137000").list_mark is ListMark.BLACK
    profile = accounts.get(li.id)
    assert (profile.list_status.set_by, profile.list_status.set_at) == ("lead", 1000.0)
    assert profile.list_status.reason == "多次辱骂坐席"
    accounts.set_list(li.id, ListMark.NONE, "", by="supervisor", at=2000.0)
    assert directory.identify("13700137000").list_mark is ListMark.NONE
    history = [(c.previous, c.mark, c.set_by) for c in accounts.list_history(li.id)]
    assert history == [
        (ListMark.NONE, ListMark.BLACK, "lead"),
        (ListMark.BLACK, ListMark.NONE, "supervisor"),
    ]


def test_a_black_list_without_reason_changes_nothing(db):
    directory, _ = crm_directory(db)
    li = Customers(db).by_account("0101000002")
    with pytest.raises(ListChangeError):
        CustomerAccounts(db).set_list(li.id, ListMark.BLACK, " ", by="lead")
    assert directory.identify("13700137000").list_mark is ListMark.NONE
    assert CustomerAccounts(db).list_history(li.id) == []
    with pytest.raises(UnknownCustomerError):
        CustomerAccounts(db).set_list(999, ListMark.RED, "", by="lead")


def test_a_re_import_refreshes_the_cached_tier(db):
    directory, _ = crm_directory(db)
    assert directory.identify("13700137000").tier is Tier.ORDINARY
    better = "户号,户名,联系电话,ARPU,在网月数,信用分\n0101000002,李娜,13700137000,800,120,40\n"
    import_bytes(db, better.encode(), "c.csv", CrmConfig(), by="admin")
    assert directory.identify("13700137000").tier is Tier.HIGH  # 50 + 20 + 12 = 82


def test_recompute_applies_new_cut_offs(db):
    directory, _ = crm_directory(db)
    assert directory.identify("13700137000").tier is Tier.ORDINARY
    config = CrmConfig.model_validate({"scoring": {"cutoffs": {"high": 90, "middle": 20}}})
    assert CustomerAccounts(db).recompute_tiers(config) == (2, 1)
    assert directory.identify("13700137000").tier is Tier.MIDDLE


def test_identity_checks_bound_phones_and_the_hashed_password(db):
    _, verifier = crm_directory(db)
    zhang = Customers(db).by_account("0101000001")
    assert verifier.is_bound_phone("0101000001", "13800138000")
    assert verifier.is_bound_phone("0101000001", "13900139000")
    assert not verifier.is_bound_phone("0101000001", "13700137000")
    assert not verifier.is_bound_phone("0000", "13800138000")
    assert not verifier.check_password("0101000001", "123456")  # none set yet
    CustomerAccounts(db).set_password(zhang.id, "246810")
    assert verifier.check_password("0101000001", "246810")
    assert not verifier.check_password("0101000001", "246811")
    with db.engine.connect() as c:
        stored = c.execute(sa.text("SELECT password_hash FROM crm_accounts")).scalars().all()
    assert any(s and s.startswith("$argon2id$") for s in stored)
    assert all("246810" not in (s or "") for s in stored)
    with pytest.raises(PasswordError, match="6 digits"):
        CustomerAccounts(db).set_password(zhang.id, "abc")


def test_the_cache_is_bounded(db):
    directory, _ = crm_directory(db, size=2)
    for phone in ("13800138000", "13700137000", "13600136000", "13500135000"):
        directory.identify(phone)
    assert len(directory.cache) == 2


def test_contact_history_covers_the_contact_and_bound_phones_newest_first(db):
    calls = [
        ("c1", 100.0, "13800138000", "answered"),
        ("c2", 300.0, "13900139000", "abandoned"),
        ("c3", 200.0, "13700137000", "answered"),
        ("c4", 400.0, "13800138000", "self_served"),
    ]
    with db.engine.begin() as c:
        for call, at, caller, outcome in calls:
            c.execute(
                sa.text(
                    "INSERT INTO calls (call, arrived_at, caller, outcome) "
                    "VALUES (:call, :at, :caller, :outcome)"
                ),
                {"call": call, "at": at, "caller": caller, "outcome": outcome},
            )
    zhang = Customers(db).by_account("0101000001")
    history = CustomerAccounts(db).contacts(zhang.id)
    assert [(r.call, r.outcome) for r in history] == [
        ("c4", "self_served"),
        ("c2", "abandoned"),
        ("c1", "answered"),
    ]
    assert [r.call for r in CustomerAccounts(db).contacts(zhang.id, limit=1)] == ["c4"]
