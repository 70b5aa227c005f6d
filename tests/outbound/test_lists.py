"""Imported call lists: CSV (UTF-8, GBK) and XLSX, Chinese and English headers.

Bad rows are reported with the file, the row a spreadsheet shows and the column,
and skipped; good rows are kept, a repeated number once; other columns are
template variables; a file that cannot serve as a list is refused whole.
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from hotline.core.errors import HotlineError
from hotline.outbound.lists import ListError, ListRow, parse_list

HEADER = "电话,姓名,客户类别,重要客户,户号,金额,停电区域"
ROWS = (
    "138 0013 8000,张伟,居民,否,0101000001,120.50,朝阳区",  # row 2
    "010-87654321,北京明珠大酒店,企业,是,0101000002,3600,东城区",  # row 3
    "13900139000,,,,,,",  # row 4: only the number
)


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def xlsx_bytes(*rows: tuple[object, ...]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


EXPECTED = (
    ListRow(
        row=2,
        number="13800138000",
        name="张伟",
        customer_class="resident",
        important=False,
        account="0101000001",
        variables={"金额": "120.50", "停电区域": "朝阳区"},
    ),
    ListRow(
        row=3,
        number="01087654321",
        name="北京明珠大酒店",
        customer_class="business",
        important=True,
        account="0101000002",
        variables={"金额": "3600", "停电区域": "东城区"},
    ),
    ListRow(
        row=4,
        number="13900139000",
        name="",
        customer_class="resident",
        important=False,
        account="",
        variables={"金额": "", "停电区域": ""},
    ),
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_a_csv_list_in_utf8_or_gbk_gives_its_rows(encoding: str) -> None:
    report = parse_list(csv_bytes(HEADER, *ROWS, encoding=encoding), "停电通知.csv")

    assert report.file == "停电通知.csv"
    assert report.rows == EXPECTED
    assert report.problems == ()
    assert report.duplicates == 0


def test_an_xlsx_list_gives_the_same_rows_with_numbers_typed_as_numbers() -> None:
    data = xlsx_bytes(
        tuple(HEADER.split(",")),
        ("138-0013-8000", "张伟", "居民", "否", "0101000001", "120.50", "朝阳区"),
        ("010-87654321", "北京明珠大酒店", "企业", "是", "0101000002", 3600, "东城区"),
        (13900139000, None, None, None, None, None, None),  # a number cell, not text
    )

    report = parse_list(data, "list.xlsx")

    assert report.rows == EXPECTED
    assert report.problems == ()


def test_english_headers_in_any_case_and_spacing_name_the_same_fields() -> None:
    data = csv_bytes(
        "Phone,Name,Customer_Class,IMPORTANT,Account,amount",
        "13800138000,Zhang Wei,Business,yes,A-1,88",
        "13700137000,Li Na,resident,FALSE,,",
        "13600136000,,,1,,",
        "13500135000,,,0,,",
        "13400134000,,,true,,",
        "13300133000,,,no,,",
    )

    report = parse_list(data, "list.csv")

    assert report.problems == ()
    first = report.rows[0]
    assert (first.number, first.name, first.customer_class, first.account) == (
        "13800138000",
        "Zhang Wei",
        "business",
        "A-1",
    )
    assert first.variables == {"amount": "88"}
    assert [row.important for row in report.rows] == [True, False, True, False, True, False]


@pytest.mark.parametrize("header", ["号码", "phone"])
def test_other_names_of_the_phone_column_are_accepted(header: str) -> None:
    report = parse_list(csv_bytes(header, "13800138000"), "list.csv")

    assert [row.number for row in report.rows] == ["13800138000"]
    assert report.rows[0].variables == {}


def test_a_bad_number_skips_its_row_naming_file_row_and_column() -> None:
    data = csv_bytes(
        "电话,姓名",
        "13800138000,张伟",  # row 2: good
        "1380013800,李娜",  # row 3: 10 digits
        "12800128000,王芳",  # row 4: no mobile starts 12
        ",赵强",  # row 5: empty
        "87654321,刘洋",  # row 6: a fixed line without its area code
        "138-0013-8abc,陈静",  # row 7: letters
        "13700137000,杨帆",  # row 8: good
    )

    report = parse_list(data, "催费.csv")

    assert [row.row for row in report.rows] == [2, 8]
    assert [(p.file, p.row, p.column) for p in report.problems] == [
        ("催费.csv", row, "电话") for row in (3, 4, 5, 6, 7)
    ]
    assert "不是电话号码" in report.problems[0].reason
    assert "'1380013800'" in report.problems[0].reason
    assert "不能为空" in report.problems[2].reason
    assert report.skipped_rows == 5
    assert str(report.problems[0]).startswith("催费.csv 第 3 行「电话」: ")


def test_a_bad_important_value_skips_the_row_with_every_problem_in_it() -> None:
    data = csv_bytes(
        "电话,姓名,客户类别,重要客户",
        "13800138000,张伟,居民,也许",  # row 2: 重要客户 is not yes/no
        "1380013800,李娜,火星人,是",  # row 3: bad number and bad class
        "13700137000,王芳,非居民,是",  # row 4: good
    )

    report = parse_list(data, "list.csv")

    assert [row.number for row in report.rows] == ["13700137000"]
    assert report.rows[0].customer_class == "business"
    assert report.rows[0].important is True
    assert [(p.row, p.column) for p in report.problems] == [
        (2, "重要客户"),
        (3, "电话"),
        (3, "客户类别"),
    ]
    assert "'也许'" in report.problems[0].reason
    assert "是/否" in report.problems[0].reason


def test_a_long_name_and_a_bad_account_are_problems() -> None:
    data = csv_bytes("电话,姓名,户号", f"13800138000,{'张' * 65},", "13700137000,李娜,01 02")

    report = parse_list(data, "list.csv")

    assert report.rows == ()
    assert [(p.row, p.column) for p in report.problems] == [(2, "姓名"), (3, "户号")]
    assert parse_list(csv_bytes("电话,姓名", f"13800138000,{'张' * 64}"), "x.csv").rows


def test_the_same_number_twice_is_kept_once_and_counted() -> None:
    data = csv_bytes(
        "电话,姓名",
        "13800138000,张伟",  # row 2: kept
        "138 0013 8000,张伟 (重复)",  # row 3: the same number written another way
        "13700137000,李娜",  # row 4: kept
        "13800138000,张伟",  # row 5: again
        "1380013800,王芳",  # row 6: bad, a problem rather than a duplicate
    )

    report = parse_list(data, "list.csv")

    assert [(row.row, row.name) for row in report.rows] == [(2, "张伟"), (4, "李娜")]
    assert report.duplicates == 2
    assert [p.row for p in report.problems] == [6]


def test_extra_columns_become_variables_under_their_headers_as_written() -> None:
    data = csv_bytes(
        "手机号码,金额(元),停电区域,停电时间,",
        "13800138000,120.5,朝阳区 望京,2024-07-01 08:00-12:00,ignored",
    )

    (row,) = parse_list(data, "list.csv").rows

    # a column with no header is dropped: no template could name it
    assert row.variables == {
        "金额(元)": "120.5",
        "停电区域": "朝阳区 望京",
        "停电时间": "2024-07-01 08:00-12:00",
    }


def test_a_file_without_a_phone_column_is_refused_naming_the_file() -> None:
    with pytest.raises(ListError, match="没有电话列") as caught:
        parse_list(csv_bytes("姓名,户号", "张伟,0101000001"), "名单.csv")

    assert caught.value.file == "名单.csv"
    assert str(caught.value).startswith("名单.csv: ")
    assert "姓名、户号" in str(caught.value)
    assert isinstance(caught.value, HotlineError)
    assert caught.value.error_id == "bad-call-list"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "空"),
        (b"  \n\n", "空"),
        (csv_bytes("电话"), "没有号码行"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", ".xls"),
        (csv_bytes("电话,号码", "13800138000,13700137000"), "重复"),
    ],
)
def test_an_empty_or_unusable_file_is_refused(data: bytes, words: str) -> None:
    with pytest.raises(ListError, match=words) as caught:
        parse_list(data, "名单.csv")

    assert caught.value.file == "名单.csv"


def test_more_rows_than_max_rows_is_refused() -> None:
    numbers = [f"138{n:08d}" for n in range(4)]
    data = csv_bytes("电话", *numbers)

    assert len(parse_list(data, "list.csv", max_rows=4).rows) == 4
    with pytest.raises(ListError, match="超过上限 3 行") as caught:
        parse_list(data, "list.csv", max_rows=3)
    assert caught.value.details["rows"] == 4
