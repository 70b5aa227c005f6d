"""Call lists (外呼名单) imported from CSV or XLSX: one checked `ListRow` per good row.

The file is read as the customer import reads it (`hotline.crm.tables.read_table`:
CSV in UTF-8 or GBK, or XLSX; header on row 1) and its columns are found by header,
Chinese or English, as `hotline.crm.importer.normalize_header` sees them. The phone
column is required; 姓名, 客户类别, 重要客户 and 户号 are optional; every other column
is a template variable (金额, 停电区域 …) under its header as written. Each row is
checked alone: a bad row is reported (file, spreadsheet row, column, reason in
Chinese) and skipped, the good ones kept; a number seen on an earlier row is kept
once and counted as a duplicate.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from hotline.calls.outbound import OriginateError, check_number
from hotline.core.errors import HotlineError
from hotline.crm.errors import ImportFileError
from hotline.crm.importer import normalize_header
from hotline.crm.tables import Cell, Table, read_table
from hotline.crm.validation import check_account
from hotline.outbound.campaign import CustomerClass, Entry

ALIASES: dict[str, tuple[str, ...]] = {
    "number": (
        "电话",
        "号码",
        "phone",
        "电话号码",
        "联系电话",
        "手机",
        "手机号",
        "手机号码",
        "number",
        "mobile",
    ),
    "name": ("姓名", "户名", "客户名称", "name"),
    "customer_class": ("客户类别", "客户类型", "customerclass", "class"),
    "important": ("重要客户", "important"),
    "account": ("户号", "客户编号", "account", "accountno"),
}
"""Each known field and the headers that name it (normalized: lower case, no spaces or `_-`)."""

NAME_MAX = 64
_BY_HEADER = {alias: field for field, aliases in ALIASES.items() for alias in aliases}
_SEPARATORS = re.compile(r"[\s\-－—]+")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
# 0, an area code of 2–3 digits, then a 7–8 digit local number (010-12345678, 0755-1234567)
_LANDLINE = re.compile(r"0[1-9][0-9]{1,2}[0-9]{7,8}")
_CLASSES: dict[str, CustomerClass] = {
    "居民": "resident",
    "居民客户": "resident",
    "resident": "resident",
    "企业": "business",
    "非居民": "business",
    "business": "business",
}
_FLAGS = {
    "是": True,
    "yes": True,
    "1": True,
    "true": True,
    "否": False,
    "no": False,
    "0": False,
    "false": False,
}
T = TypeVar("T")


class ListError(HotlineError):
    """A call list that cannot be taken as a whole (unreadable, empty, no phone column,
    too many rows); nothing of it was kept. `file` names the file."""

    error_id = "bad-call-list"

    def __init__(self, message: str, *, file: str, **details: Any) -> None:
        super().__init__(f"{file}: {message}", file=file, **details)
        self.file = file


@dataclass(frozen=True, slots=True)
class ListRow:
    """One good row: a cleaned, dialable `number` (digits only) and what the call needs.

    `row` is the row number a spreadsheet shows (the header is row 1); `variables`
    holds the other columns, header as written → cell as text (empty when blank)."""

    row: int
    number: str
    name: str
    customer_class: CustomerClass
    important: bool
    account: str
    variables: dict[str, str]

    def entry(self) -> Entry:
        """The row as a campaign's entry (``r<row>``, from ``import:<row>``); its account
        is a variable of the entry, ``account``, beside the list's other columns."""
        variables = dict(self.variables, **({"account": self.account} if self.account else {}))
        return Entry(
            f"r{self.row}",
            self.number,
            self.name,
            self.customer_class,
            self.important,
            f"import:{self.row}",
            variables,
        )


@dataclass(frozen=True, slots=True)
class ListProblem:
    """Why a row was skipped: `column` is the header as written in `file`."""

    file: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file} 第 {self.row} 行「{self.column}」: {self.reason}"


@dataclass(frozen=True, slots=True)
class ListReport:
    """What a list gave: good rows in file order, the skipped rows' problems, and how many
    rows repeated a number already kept (those are dropped, not reported as problems)."""

    file: str
    rows: tuple[ListRow, ...]
    problems: tuple[ListProblem, ...]
    duplicates: int

    @property
    def skipped_rows(self) -> int:
        return len({problem.row for problem in self.problems})


@dataclass(frozen=True, slots=True)
class _Columns:
    index: dict[str, int]  # known field → cell position
    header: dict[str, str]  # known field → header as written
    variables: tuple[tuple[int, str], ...]  # (cell position, header) of the other columns


def _columns(table: Table, file: str) -> _Columns:
    index: dict[str, int] = {}
    header: dict[str, str] = {}
    variables: list[tuple[int, str]] = []
    for position, written in enumerate(table.header):
        if not written:
            continue  # a column without a header carries nothing a template could name
        field = _BY_HEADER.get(normalize_header(written))
        if field is None:
            variables.append((position, written))
            continue
        if field in index:
            raise ListError(f"「{header[field]}」和「{written}」两列重复", file=file)
        index[field] = position
        header[field] = written
    if "number" not in index:
        found = "、".join(h for h in table.header if h) or "无"
        raise ListError(f"没有电话列 (表头应为 电话 / 号码 / phone); 现有的列: {found}", file=file)
    return _Columns(index=index, header=header, variables=tuple(variables))


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # a number or account typed as a number in a spreadsheet
    return str(cell).strip()


def _number(cell: Cell) -> str:
    raw = _text(cell)
    if not raw:
        raise ValueError("电话不能为空")
    number = _SEPARATORS.sub("", raw)
    if not (_MOBILE.fullmatch(number) or _LANDLINE.fullmatch(number)):
        raise ValueError(
            f"{raw!r} 不是电话号码: 应为 11 位手机号 (13…–19…) 或带区号的固定电话 (010-12345678)"
        )
    try:
        return check_number(number)
    except OriginateError as exc:
        raise ValueError(f"{raw!r} 无法拨打 ({exc})") from None


def _name(cell: Cell) -> str:
    name = _text(cell)
    if len(name) > NAME_MAX:
        raise ValueError(f"姓名有 {len(name)} 个字, 最多 {NAME_MAX} 个")
    return name


def _customer_class(cell: Cell) -> CustomerClass:
    text = _text(cell).lower()
    if not text:
        return "resident"
    if text not in _CLASSES:
        raise ValueError(f"{text!r} 不是客户类别: 应为 居民/resident 或 企业、非居民/business")
    return _CLASSES[text]


def _important(cell: Cell) -> bool:
    text = _text(cell).lower()
    if not text:
        return False
    if text not in _FLAGS:
        raise ValueError(f"{text!r} 不是 是/否: 应为 是/否、yes/no、1/0 或 true/false")
    return _FLAGS[text]


def _account(cell: Cell) -> str:
    text = _text(cell)
    if not text:
        return ""
    try:
        return check_account(text)
    except ValueError:
        raise ValueError(f"{text!r} 不是户号: 1–32 位字母、数字或 -") from None


class _Row:
    """One row's cells by field, collecting every problem instead of stopping at the first."""

    def __init__(self, file: str, number: int, cells: tuple[Cell, ...], columns: _Columns):
        self.file = file
        self.number = number
        self.cells = cells
        self.columns = columns
        self.problems: list[ListProblem] = []

    def cell(self, position: int | None) -> Cell:
        if position is None or position >= len(self.cells):
            return None
        return self.cells[position]

    def get(self, field: str, parse: Callable[[Cell], T], default: T) -> T:
        try:
            return parse(self.cell(self.columns.index.get(field)))
        except ValueError as exc:
            column = self.columns.header.get(field, field)
            self.problems.append(ListProblem(self.file, self.number, column, str(exc)))
            return default


def _parse_row(
    file: str, number: int, cells: tuple[Cell, ...], columns: _Columns
) -> ListRow | list[ListProblem]:
    row = _Row(file, number, cells, columns)
    parsed = ListRow(
        row=number,
        number=row.get("number", _number, ""),
        name=row.get("name", _name, ""),
        customer_class=row.get("customer_class", _customer_class, "resident"),
        important=row.get("important", _important, False),
        account=row.get("account", _account, ""),
        variables={header: _text(row.cell(at)) for at, header in columns.variables},
    )
    return row.problems or parsed


def parse_list(data: bytes, file: str, *, max_rows: int = 100_000) -> ListReport:
    """The call list in `data` (the bytes of `file`, CSV or XLSX).

    Raises `ListError` naming `file` when the file is empty or unreadable, has no phone
    column (or two columns for one field), has no data row, or has more than `max_rows`
    data rows (the reader itself stops at `hotline.crm.tables.MAX_ROWS`). Otherwise
    every good row is returned once per number, in file order, and every bad row is
    reported with all its problems.
    """
    if not data.strip():
        raise ListError("文件是空的", file=file)
    try:
        table = read_table(data, file)
    except ImportFileError as exc:
        raise ListError(exc.message.removeprefix(f"{file}: "), file=file) from None
    columns = _columns(table, file)
    if not table.rows:
        raise ListError("只有表头, 没有号码行", file=file)
    if len(table.rows) > max_rows:
        raise ListError(
            f"有 {len(table.rows)} 行, 超过上限 {max_rows} 行; 请拆成几个文件",
            file=file,
            rows=len(table.rows),
            max_rows=max_rows,
        )
    rows: list[ListRow] = []
    problems: list[ListProblem] = []
    seen: set[str] = set()
    duplicates = 0
    for number, cells in table.rows:
        parsed = _parse_row(file, number, cells, columns)
        if isinstance(parsed, list):
            problems.extend(parsed)
        elif parsed.number in seen:
            duplicates += 1
        else:
            seen.add(parsed.number)
            rows.append(parsed)
    return ListReport(file=file, rows=tuple(rows), problems=tuple(problems), duplicates=duplicates)
