"""Finding the customers of an area (`CustomerAccounts.by_address`, what 停电告知 reads): the
database matches part of the address, on SQLite and PostgreSQL alike, wildcards literally."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hotline.crm import CrmConfig
from hotline.store.db import Database
from hotline.store.db.crm import CustomerAccounts, import_bytes

HEADER = "户号,户名,联系电话,地址,客户类型,ARPU(元),在网月数,信用分,绑定电话"
ROWS = [
    "0101000001,张伟,13800138001,成都市武侯区光华大道1号3栋,居民,100,12,60,13900139001",
    "0101000002,李娜,13800138002,成都市青羊区光华大道9号,居民,100,12,60,",
    "0101000003,王芳,13800138003,成都市武侯区天府大道5号,居民,100,12,60,",
    "0101000004,百分百商行,13800138004,成都市武侯区100%_路8号,非居民,900,12,60,",
    "0101000005,Abc,13800138005,成都市ABC路1号,居民,100,12,60,",
]


@pytest.fixture
def accounts(database_url: str) -> Iterator[CustomerAccounts]:
    with Database.open(database_url) as db:
        data = ("\n".join([HEADER, *ROWS]) + "\n").encode("utf-8")
        report = import_bytes(db, data, "area.csv", CrmConfig(), by="admin")
        assert (report.created, report.rejected) == (5, ())
        yield CustomerAccounts(db)


def names(found: list) -> list[str]:
    return [p.name for p in found]


def test_the_customers_whose_address_contains_the_name_in_id_order(accounts) -> None:
    assert names(accounts.by_address("光华大道")) == ["张伟", "李娜"]
    assert names(accounts.by_address("武侯区光华大道")) == ["张伟"]
    assert names(accounts.by_address("天府大道")) == ["王芳"]
    assert accounts.by_address("高新区") == []
    (zhang,) = accounts.by_address("光华大道1号")
    # a whole profile, as find gives it: phones bound, account facts
    assert (zhang.account, zhang.phone, zhang.bound_phones) == (
        "0101000001",
        "13800138001",
        ("13900139001",),
    )
    assert zhang.facts.customer_type.value == "resident"


def test_wildcards_are_literal_and_a_blank_name_matches_nobody(accounts) -> None:
    assert names(accounts.by_address("100%_路")) == ["百分百商行"]
    assert names(accounts.by_address("%")) == ["百分百商行"]  # the one with a %, not everyone
    assert names(accounts.by_address("_")) == ["百分百商行"]
    assert accounts.by_address("%路1") == []  # no wildcard: nothing between % and 路1
    assert accounts.by_address("") == []
    assert accounts.by_address("   ") == []


def test_the_match_is_exact_in_case_on_every_database(accounts) -> None:
    assert names(accounts.by_address("ABC路")) == ["Abc"]
    assert accounts.by_address("abc路") == []  # SQLite's LIKE alone would find it


def test_limit_and_offset_page_through_an_area(accounts) -> None:
    assert names(accounts.by_address("成都市", limit=2)) == ["张伟", "李娜"]
    assert names(accounts.by_address("成都市", limit=2, offset=2)) == ["王芳", "百分百商行"]
