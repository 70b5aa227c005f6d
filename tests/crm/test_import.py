"""Importing customers from CSV and XLSX into a real database (SQLite and PostgreSQL).

Bad rows are reported with their row number, column and reason, good rows are
kept, a re-import updates by account, and tiers come out as computed by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from hotline.core.customer import ListMark, Tier
from hotline.crm import CrmConfig, ImportFileError, LifecycleStage
from hotline.store.db import Customers, Database
from hotline.store.db.crm import CustomerAccounts, import_bytes, import_file

EXAMPLE = Path(__file__).parents[2] / "examples" / "95598" / "customers.csv"
CONFIG = CrmConfig()  # the example's weights: 0.5 / 0.2 / 0.3, full marks 800 yuan / 120 months

HEADER = "户号,户名,联系电话,证件号码,客户类型,ARPU(元),在网月数,信用分,欠费,绑定电话,名单,名单原因"
GOOD_1 = "0101000001,张伟,138 0013 8000,11010519491231002X,居民,400,60,80,0,13900139000,,"
GOOD_2 = "0101000002,北京明珠大酒店,010-87654321,,非居民,1600,150,90,,,红名单,重点保供电"
BAD_PHONE = "0101000003,李娜,1380013800,,居民,100,10,60,,,,"
BAD_ID = "0101000004,王芳,13700137000,110105194912310021,居民,100,10,60,,,,"
BAD_MANY = "0101000005,,13600136000,,火星人,abc,1.5,60,,,黑名单,"


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    with Database.open(database_url) as db:
        yield db


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_good_rows_are_kept_and_bad_ones_reported_with_row_column_and_reason(db):
    data = csv_bytes(HEADER, GOOD_1, BAD_PHONE, GOOD_2, BAD_ID, BAD_MANY)
    report = import_bytes(db, data, "customers.csv", CONFIG, by="admin")
    assert (report.format, report.rows, report.created, report.updated) == ("csv", 5, 2, 0)
    assert report.rejected_rows == 3
    problems = {(p.row, p.column): p.reason for p in report.rejected}
    assert "not a phone number" in problems[(3, "联系电话")]
    assert "check character is 1, but the first 17 digits give X" in problems[(5, "证件号码")]
    assert {k for k in problems if k[0] == 6} == {
        (6, "户名"),
        (6, "客户类型"),
        (6, "ARPU(元)"),
        (6, "在网月数"),
        (6, "名单原因"),
    }
    assert problems[(6, "户名")] == "required, but empty"
    assert problems[(6, "名单原因")] == "a black list (黑名单) needs a reason"
    # nothing of a bad row was written
    customers = Customers(db)
    assert [c.account for c in customers.list()] == ["0101000001", "0101000002"]
    assert report.batch_id is not None
    (batch,) = CustomerAccounts(db).batches()
    assert (batch["created"], batch["rejected"], batch["by"]) == (2, 3, "admin")
    assert {"row": 3, "column": "联系电话", "reason": problems[(3, "联系电话")]} in batch[
        "problems"
    ]


def test_imported_customers_carry_their_computed_tier_stage_phones_and_lists(db):
    import_bytes(db, csv_bytes(HEADER, GOOD_1, GOOD_2), "c.csv", CONFIG, by="admin")
    accounts = CustomerAccounts(db)
    (zhang,) = accounts.find(q="0101000001")
    # 0.5·400/800 + 0.2·60/120 + 0.3·80/100 = 0.59 → 59 → middle (50–70)
    assert zhang.score == pytest.approx(59.0)
    assert zhang.tier is Tier.MIDDLE
    assert zhang.lifecycle is LifecycleStage.STABLE
    assert zhang.phone == "13800138000"
    assert zhang.bound_phones == ("13900139000",)
    assert zhang.id_number == "11010519491231002X"
    (hotel,) = accounts.find(q="明珠")
    # ARPU and tenure over full marks: 50 + 20 + 0.3·90 = 97 → high
    assert (hotel.score, hotel.tier) == (pytest.approx(97.0), Tier.HIGH)
    assert hotel.phone == "01087654321"
    assert hotel.facts.customer_type.value == "business"
    assert (hotel.list_status.mark, hotel.list_status.reason) == (ListMark.RED, "重点保供电")
    assert hotel.list_status.set_by == "admin"
    (change,) = accounts.list_history(hotel.customer_id)
    assert (change.previous, change.mark, change.set_by) == (ListMark.NONE, ListMark.RED, "admin")
    # the shared customers table (what the desk and the engine read) has the tier too
    assert Customers(db).by_account("0101000002").tier == "high"


def test_a_re_import_updates_by_account(db):
    import_bytes(db, csv_bytes(HEADER, GOOD_1), "a.csv", CONFIG, by="admin")
    changed = "0101000001,张伟,13800138001,11010519491231002X,居民,800,120,100,35,,,"
    report = import_bytes(db, csv_bytes(HEADER, changed), "b.csv", CONFIG, by="admin")
    assert (report.created, report.updated, report.rejected) == (0, 1, ())
    (zhang,) = CustomerAccounts(db).find(q="张伟")
    assert (zhang.phone, zhang.tier, zhang.score) == ("13800138001", Tier.HIGH, 100.0)
    assert zhang.facts.consumption.arrears == 35
    assert zhang.bound_phones == ()
    assert len(Customers(db).list()) == 1


def test_an_account_twice_in_one_file_is_refused_the_second_time(db):
    second = GOOD_1.replace("张伟", "张伟伟")
    report = import_bytes(db, csv_bytes(HEADER, GOOD_1, second), "c.csv", CONFIG, by="admin")
    (problem,) = report.rejected
    assert (problem.row, problem.column) == (3, "户号")
    assert problem.reason == "account 0101000001 is already on row 2"
    assert CustomerAccounts(db).find(q="0101000001")[0].name == "张伟"


def test_xlsx_with_english_headers_and_numbers_typed_as_numbers(db, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Account", "Name", "Phone", "ID_Number", "ARPU", "Tenure_Months", "Credit_Score"])
    sheet.append(["0101000009", "赵敏", 13800138000, "11010519491231002X", 400, 60, 80])
    sheet.append(["0101000010", "钱磊", 13800138001, 110105194912310020, 100, 5, 50])
    sheet.append([None, None, None, None, None, None, None])
    sheet.append(["0101000011", "孙丽", "13800138002", None, "12%", 5, 50])
    path = tmp_path / "customers.xlsx"
    book.save(path)
    report = import_file(db, path, CONFIG, by="admin")
    assert (report.format, report.rows, report.created) == ("xlsx", 3, 1)
    problems = {(p.row, p.column): p.reason for p in report.rejected}
    assert "stored as a number, which loses digits" in problems[(3, "ID_Number")]
    assert problems[(5, "ARPU")] == "'12%' is not a number"
    (zhao,) = CustomerAccounts(db).find(q="13800138000")
    assert (zhao.name, zhao.tier, zhao.score) == ("赵敏", Tier.MIDDLE, pytest.approx(59.0))


def test_gb18030_csv_from_excel_is_read(db):
    data = "\n".join([HEADER, GOOD_1]).encode("gb18030")
    report = import_bytes(db, data, "excel.csv", CONFIG, by="admin")
    assert (report.created, report.rejected) == (1, ())
    assert CustomerAccounts(db).find(q="张伟")[0].name == "张伟"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "the file is empty"),
        (b"PK\x03\x04 not really a zip", "not a readable XLSX workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old Excel .xls"),
        (b"\xff\xfe\x00\x00\x00", "neither UTF-8 nor GB18030"),
        ("户名,地址\n张伟,北京\n".encode(), "missing required column(s): phone (联系电话"),
        ("户号,户名,联系电话,电话\n".encode(), "columns '联系电话' and '电话' both give phone"),
    ],
)
def test_an_unreadable_file_is_refused_whole_naming_the_problem(db, data, words):
    with pytest.raises(ImportFileError) as caught:
        import_bytes(db, data, "bad.csv", CONFIG, by="admin")
    assert str(caught.value).startswith("bad.csv: ")
    assert words in str(caught.value)
    assert Customers(db).list() == []
    assert CustomerAccounts(db).batches() == []


def test_the_example_customers_file_imports_cleanly(db):
    report = import_file(db, EXAMPLE, by="admin")
    assert (report.rows, report.created, report.rejected) == (50, 50, ())
    tiers = {p.tier for p in CustomerAccounts(db).find(limit=100)}
    assert tiers == {Tier.HIGH, Tier.MIDDLE, Tier.ORDINARY}
    black = CustomerAccounts(db).find(list_mark=ListMark.BLACK)
    assert len(black) == 1
    assert black[0].list_status.reason


def test_a_missing_file_is_an_import_error(db, tmp_path):
    with pytest.raises(ImportFileError, match="cannot read the file"):
        import_file(db, tmp_path / "nope.csv")


def test_rows_numbered_as_the_spreadsheet_shows_them_past_blank_lines(db):
    data = csv_bytes(HEADER, "", GOOD_1, ",,,,,,,,,,,", BAD_PHONE)
    report = import_bytes(db, data, "c.csv", CONFIG, by="admin")
    assert [p.row for p in report.rejected] == [5]
