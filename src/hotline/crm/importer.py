"""Importing customers from CSV or XLSX: columns found by header, every row checked alone.

Headers may be Chinese or English (户名 or name, 联系电话 or phone …; case,
spaces, underscores and a unit in brackets such as ``ARPU(元)`` do not matter).
Each row is validated on its own; a bad row is reported with its row number,
column and reason and the others are kept. A good row is handed to an
`ImportSink` that saves it whole or not at all (one transaction per row), keyed
by its account number: a new account is created, a known one updated. Tiers and
lifecycle stages are computed here for every saved row.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from hotline.core.customer import ListMark
from hotline.core.errors import HotlineError
from hotline.crm.config import CrmConfig
from hotline.crm.errors import ImportFileError
from hotline.crm.lists import REASON_MAX
from hotline.crm.model import AccountFacts, Consumption, CustomerType, LifecycleStage
from hotline.crm.scoring import TierScore, lifecycle_stage, score_tier
from hotline.crm.tables import Cell, Table, read_table
from hotline.crm.validation import check_account, normalize_id_number, normalize_phone

ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("户名", "姓名", "客户名称", "用户名称", "name", "customername"),
    "phone": ("联系电话", "电话", "手机", "手机号", "手机号码", "phone", "mobile"),
    "id_number": ("证件号码", "身份证号", "身份证号码", "idnumber", "idno"),
    "account": ("户号", "客户编号", "用户编号", "account", "accountno"),
    "address": ("地址", "用电地址", "address"),
    "customer_type": ("客户类型", "用户类型", "customertype", "type"),
    "arpu": ("arpu", "月均消费", "月均电费"),
    "tenure_months": ("在网月数", "在网时长", "用电月数", "tenuremonths", "tenure"),
    "credit_score": ("信用分", "信用度", "信用评分", "creditscore", "credit"),
    "bound_phones": ("绑定电话", "绑定手机", "boundphones"),
    "last_bill": ("本月电费", "本月账单", "lastbill"),
    "avg_bill_6m": ("近6月平均电费", "近六个月平均电费", "avgbill6m"),
    "arrears": ("欠费", "欠费金额", "arrears"),
    "prepaid_balance": ("预付费余额", "prepaidbalance"),
    "account_manager": ("客户经理", "accountmanager"),
    "list_mark": ("名单", "名单类型", "listmark"),
    "list_reason": ("名单原因", "listreason"),
}
"""Each field and the headers that name it (normalized: lower case, no spaces or `_-`)."""

REQUIRED = ("name", "phone", "account")
_BY_HEADER = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
_UNIT = re.compile(r"[(（][^)）]*[)）]")
_SPACES = re.compile(r"[\s_\-]+")
_PHONE_LIST = re.compile(r"[,;，；、/\s]+")
_TYPES = {
    "resident": CustomerType.RESIDENT,
    "居民": CustomerType.RESIDENT,
    "居民客户": CustomerType.RESIDENT,
    "business": CustomerType.BUSINESS,
    "非居民": CustomerType.BUSINESS,
    "企业": CustomerType.BUSINESS,
    "大客户": CustomerType.BUSINESS,
    "商业": CustomerType.BUSINESS,
    "工业": CustomerType.BUSINESS,
}
_MARKS = {
    "red": ListMark.RED,
    "红名单": ListMark.RED,
    "红": ListMark.RED,
    "black": ListMark.BLACK,
    "黑名单": ListMark.BLACK,
    "黑": ListMark.BLACK,
    "none": ListMark.NONE,
    "无": ListMark.NONE,
}
MONEY_MAX = 1e10
T = TypeVar("T")


def normalize_header(header: str) -> str:
    """``ARPU(元)`` → ``arpu``; ``Tenure_Months`` → ``tenuremonths``."""
    return _SPACES.sub("", _UNIT.sub("", header)).lower()


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    """One validated row: what is saved for the customer with this account."""

    row: int
    account: str
    name: str
    phone: str
    id_number: str = ""
    address: str = ""
    facts: AccountFacts = field(default_factory=AccountFacts)
    bound_phones: tuple[str, ...] = ()
    list_mark: ListMark | None = None  # None: the file says nothing, the list stays as it is
    list_reason: str = ""


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why a row was not saved; `column` is the header as written in the file."""

    row: int
    column: str
    reason: str


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: rows created and updated, rows rejected with their reasons."""

    file: str
    format: str
    rows: int
    created: int
    updated: int
    rejected: tuple[RowProblem, ...]
    ignored_columns: tuple[str, ...] = ()
    batch_id: int | None = None

    @property
    def rejected_rows(self) -> int:
        return len({problem.row for problem in self.rejected})


class ImportSink(Protocol):
    """Where good rows go: the store, one transaction per row."""

    def save(
        self, record: CustomerRecord, score: TierScore, stage: LifecycleStage, *, by: str
    ) -> bool:
        """Create or update the customer of `record.account`; True when it was created.

        Saves the whole row or nothing; raises a `HotlineError` when it cannot.
        """
        ...


@dataclass(frozen=True, slots=True)
class _Columns:
    """Which cell index holds which field, and the header as written for messages."""

    index: dict[str, int]
    header: dict[str, str]
    ignored: tuple[str, ...]


def map_columns(table: Table, file: str) -> _Columns:
    """Find each field's column; raises `ImportFileError` for a missing or doubled one."""
    index: dict[str, int] = {}
    written: dict[str, str] = {}
    ignored: list[str] = []
    for position, header in enumerate(table.header):
        name = _BY_HEADER.get(normalize_header(header))
        if name is None:
            if header:
                ignored.append(header)
            continue
        if name in index:
            raise ImportFileError(
                f"columns {written[name]!r} and {header!r} both give {name}", file=file
            )
        index[name] = position
        written[name] = header
    missing = [name for name in REQUIRED if name not in index]
    if missing:
        wanted = "; ".join(f"{name} ({' / '.join(ALIASES[name][:2])})" for name in missing)
        found = ", ".join(h for h in table.header if h) or "none"
        raise ImportFileError(f"missing required column(s): {wanted}; found: {found}", file=file)
    return _Columns(index=index, header=written, ignored=tuple(ignored))


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # a phone or account typed as a number in a spreadsheet
    return str(cell).strip()


def _number(cell: Cell, *, low: float, high: float) -> float | None:
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        value = float(cell)
    else:
        text = str(cell).strip().replace(",", "").removeprefix("¥").removeprefix("￥")
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"{cell!r} is not a number") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"{value:g} is out of range ({low:g} to {high:g})")
    return value


def _count(cell: Cell, *, high: float) -> int | None:
    value = _number(cell, low=0, high=high)
    if value is None:
        return None
    if not value.is_integer():
        raise ValueError(f"{value:g} is not a whole number")
    return int(value)


class _Row:
    """One row's cells by field, collecting problems instead of stopping at the first."""

    def __init__(self, number: int, cells: tuple[Cell, ...], columns: _Columns) -> None:
        self.number = number
        self.cells = cells
        self.columns = columns
        self.problems: list[RowProblem] = []

    def cell(self, name: str) -> Cell:
        position = self.columns.index.get(name)
        if position is None or position >= len(self.cells):
            return None
        return self.cells[position]

    def fail(self, name: str, reason: str) -> None:
        self.problems.append(RowProblem(self.number, self.columns.header.get(name, name), reason))

    def get(self, name: str, parse: Callable[[Cell], T], default: T) -> T:
        try:
            return parse(self.cell(name))
        except ValueError as exc:
            self.fail(name, str(exc))
            return default


def _required_text(limit: int) -> Callable[[Cell], str]:
    def parse(cell: Cell) -> str:
        text = _text(cell)
        if not text:
            raise ValueError("required, but empty")
        if len(text) > limit:
            raise ValueError(f"{len(text)} characters long; at most {limit}")
        return text

    return parse


def _optional_text(limit: int) -> Callable[[Cell], str]:
    def parse(cell: Cell) -> str:
        text = _text(cell)
        if len(text) > limit:
            raise ValueError(f"{len(text)} characters long; at most {limit}")
        return text

    return parse


def _id_number(cell: Cell) -> str:
    if isinstance(cell, int | float):
        raise ValueError(
            "the ID number is stored as a number, which loses digits; format the column as text"
        )
    return normalize_id_number(_text(cell))


def _customer_type(cell: Cell) -> CustomerType:
    text = _text(cell).lower()
    if not text:
        return CustomerType.RESIDENT
    if text not in _TYPES:
        raise ValueError(f"{text!r} is not a customer type (居民/resident or 非居民/business)")
    return _TYPES[text]


def _list_mark(cell: Cell) -> ListMark | None:
    text = _text(cell).lower()
    if not text:
        return None
    if text not in _MARKS:
        raise ValueError(f"{text!r} is not a list (红名单/red, 黑名单/black or 无/none)")
    return _MARKS[text]


def _phones(cell: Cell) -> tuple[str, ...]:
    parts = [p for p in _PHONE_LIST.split(_text(cell)) if p]
    return tuple(dict.fromkeys(normalize_phone(p) for p in parts))


def parse_row(
    number: int, cells: tuple[Cell, ...], columns: _Columns, config: CrmConfig
) -> CustomerRecord | list[RowProblem]:
    """The row as a record, or every problem found in it."""
    row = _Row(number, cells, columns)
    account = row.get("account", lambda c: check_account(_text(c)), "")
    name = row.get("name", _required_text(128), "")
    phone = row.get("phone", lambda c: normalize_phone(_text(c)), "")
    id_number = row.get("id_number", _id_number, "")
    address = row.get("address", _optional_text(255), "")
    credit = config.scoring.credit

    def money(cell: Cell) -> float | None:
        return _number(cell, low=0, high=MONEY_MAX)

    facts = AccountFacts(
        customer_type=row.get("customer_type", _customer_type, CustomerType.RESIDENT),
        arpu=row.get("arpu", money, None),
        tenure_months=row.get("tenure_months", lambda c: _count(c, high=1200), None),
        credit_score=row.get(
            "credit_score", lambda c: _number(c, low=credit.min, high=credit.max), None
        ),
        consumption=Consumption(
            last_bill=row.get("last_bill", money, None),
            avg_bill_6m=row.get("avg_bill_6m", money, None),
            arrears=row.get("arrears", money, None),
            prepaid_balance=row.get(
                "prepaid_balance", lambda c: _number(c, low=-MONEY_MAX, high=MONEY_MAX), None
            ),
        ),
        account_manager=row.get("account_manager", _optional_text(64), ""),
    )
    no_phones: tuple[str, ...] = ()
    bound = row.get("bound_phones", _phones, no_phones)
    mark = row.get("list_mark", _list_mark, None)
    reason = row.get("list_reason", _optional_text(REASON_MAX), "")
    if mark is ListMark.BLACK and not reason:
        row.fail("list_reason", "a black list (黑名单) needs a reason")
    if row.problems:
        return row.problems
    return CustomerRecord(
        row=number,
        account=account,
        name=name,
        phone=phone,
        id_number=id_number,
        address=address,
        facts=facts,
        bound_phones=tuple(other for other in bound if other != phone),
        list_mark=mark,
        list_reason=reason,
    )


def run_import(
    data: bytes, file: str, sink: ImportSink, config: CrmConfig, *, by: str
) -> ImportReport:
    """Import the customers in `data` (the bytes of `file`) into `sink`.

    Raises `ImportFileError`, before anything is saved, when the file cannot be
    read or lacks a required column. Otherwise every good row is saved (its tier
    and stage computed) and every bad one reported; a row whose account already
    appeared earlier in the file is refused, naming that row.
    """
    table = read_table(data, file)
    columns = map_columns(table, file)
    created = updated = 0
    rejected: list[RowProblem] = []
    first_row: dict[str, int] = {}
    for number, cells in table.rows:
        parsed = parse_row(number, cells, columns, config)
        if isinstance(parsed, list):
            rejected.extend(parsed)
            continue
        earlier = first_row.get(parsed.account)
        if earlier is not None:
            reason = f"account {parsed.account} is already on row {earlier}"
            rejected.append(RowProblem(number, columns.header["account"], reason))
            continue
        first_row[parsed.account] = number
        score = score_tier(parsed.facts, config.scoring)
        stage = lifecycle_stage(parsed.facts, config.lifecycle)
        try:
            was_created = sink.save(parsed, score, stage, by=by)
        except HotlineError as exc:
            rejected.append(RowProblem(number, "", f"not saved: {exc}"))
            continue
        if was_created:
            created += 1
        else:
            updated += 1
    return ImportReport(
        file=file,
        format=table.format,
        rows=len(table.rows),
        created=created,
        updated=updated,
        rejected=tuple(rejected),
        ignored_columns=columns.ignored,
    )
