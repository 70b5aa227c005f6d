"""The CRM's tables and repository: accounts, bound phones, list history, import batches.

`customers` (from ``0001_initial``) keeps a customer's identity, tier and list;
``crm_accounts`` adds the account facts (type, ARPU, tenure, credit, score,
lifecycle, consumption, password hash), ``crm_phones`` the bound phones,
``crm_list_changes`` who put whom on a list and why, ``crm_import_batches``
each import's report. Every change to a customer is one transaction (a list
change with its ``crm.list_changed`` event in the log: the outbox), and after
it commits the change feed tells the directory caches which numbers and
accounts to forget (`subscribe`), so the engine never routes on stale lists.
"""

from __future__ import annotations

import dataclasses
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from hotline.calls.ports import CallerInfo
from hotline.core.customer import ListMark, Tier
from hotline.crm.config import CrmConfig
from hotline.crm.directory import CachedDirectory, CachedVerifier, Credentials
from hotline.crm.errors import ImportFileError, UnknownCustomerError
from hotline.crm.events import CustomerListChanged, list_changed
from hotline.crm.importer import CustomerRecord, ImportReport, run_import
from hotline.crm.lists import ListChange, check_list_change
from hotline.crm.model import (
    AccountFacts,
    Consumption,
    CustomerType,
    LifecycleStage,
    ListStatus,
    Profile,
)
from hotline.crm.passwords import hash_query_password
from hotline.crm.ports import ImportOutcome, ListOutcome
from hotline.crm.scoring import TierScore, lifecycle_stage, score_tier
from hotline.store.db import outbox
from hotline.store.db.database import Database
from hotline.store.db.errors import StoreError
from hotline.store.db.records import CallRecord
from hotline.store.db.schema import Base, BigId, CallRow, CustomerRow, Json


class CrmAccountRow(Base):
    """The account facts of one customer (one row per `customers` row that has them)."""

    __tablename__ = "crm_accounts"
    customer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    customer_type: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    arpu: Mapped[float | None] = mapped_column(sa.Double)
    tenure_months: Mapped[int | None] = mapped_column(sa.Integer)
    credit_score: Mapped[float | None] = mapped_column(sa.Double)
    score: Mapped[float] = mapped_column(sa.Double, nullable=False)
    lifecycle: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    last_bill: Mapped[float | None] = mapped_column(sa.Double)
    avg_bill_6m: Mapped[float | None] = mapped_column(sa.Double)
    arrears: Mapped[float | None] = mapped_column(sa.Double)
    prepaid_balance: Mapped[float | None] = mapped_column(sa.Double)
    account_manager: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    list_set_by: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    list_set_at: Mapped[float | None] = mapped_column(sa.Double)
    updated_at: Mapped[float] = mapped_column(sa.Double, nullable=False)


class CrmPhoneRow(Base):
    """A phone bound to a customer's account besides the contact phone (绑定电话)."""

    __tablename__ = "crm_phones"
    phone: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )

    __table_args__ = (sa.Index("ix_crm_phones_customer", "customer_id"),)


class CrmListChangeRow(Base):
    """One red/black list change: the history is never rewritten."""

    __tablename__ = "crm_list_changes"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    customer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("customers.id", ondelete="CASCADE"), nullable=False
    )
    at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    mark: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    previous: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    reason: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    set_by: Mapped[str] = mapped_column(sa.String(64), nullable=False)

    __table_args__ = (sa.Index("ix_crm_list_changes_customer", "customer_id", "at"),)


class CrmImportBatchRow(Base):
    """One import run and its report (the rejected rows with their reasons)."""

    __tablename__ = "crm_import_batches"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    file: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    format: Mapped[str] = mapped_column(sa.String(8), nullable=False)
    by: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    started_at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    finished_at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    rows: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    created: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    updated: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    rejected: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    problems: Mapped[list[Any]] = mapped_column(Json, nullable=False)


_customers: sa.Table = CustomerRow.__table__  # type: ignore[assignment]
_accounts: sa.Table = CrmAccountRow.__table__  # type: ignore[assignment]
_phones: sa.Table = CrmPhoneRow.__table__  # type: ignore[assignment]
_changes: sa.Table = CrmListChangeRow.__table__  # type: ignore[assignment]
_batches: sa.Table = CrmImportBatchRow.__table__  # type: ignore[assignment]
_calls: sa.Table = CallRow.__table__  # type: ignore[assignment]


# ---- change feed ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class CustomerChange:
    """Which phones and accounts changed; None means any (after an import or a recompute)."""

    phones: frozenset[str] | None
    accounts: frozenset[str] | None


_listeners: weakref.WeakKeyDictionary[Database, list[Callable[[CustomerChange], None]]] = (
    weakref.WeakKeyDictionary()
)
_listeners_lock = threading.Lock()


def subscribe(db: Database, listener: Callable[[CustomerChange], None]) -> None:
    """Call `listener` after every committed change to a customer of `db` (this process)."""
    with _listeners_lock:
        _listeners.setdefault(db, []).append(listener)


def _notify(db: Database, change: CustomerChange) -> None:
    with _listeners_lock:
        listeners = list(_listeners.get(db, ()))
    for listener in listeners:
        listener(change)


_EVERYTHING = CustomerChange(phones=None, accounts=None)


def crm_directory(db: Database, *, size: int = 10_000) -> tuple[CachedDirectory, CachedVerifier]:
    """The engine's customer directory and the IVR's identity verifier over `db`, cached,
    and kept fresh by the change feed (wire them into the runtime in place of the sim's)."""
    lookup = CustomerAccounts(db)
    directory = CachedDirectory(lookup, size=size)
    verifier = CachedVerifier(lookup, size=size)

    def forget(change: CustomerChange) -> None:
        directory.invalidate(change.phones)
        verifier.invalidate(change.accounts)

    subscribe(db, forget)
    return directory, verifier


# ---- the repository ---------------------------------------------------------------------


def _new_id(result: sa.CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None  # an INSERT of one row always has one
    return int(key[0])


def _facts(row: Any) -> AccountFacts:
    if row.customer_type is None:
        return AccountFacts()
    return AccountFacts(
        customer_type=CustomerType(row.customer_type),
        arpu=row.arpu,
        tenure_months=row.tenure_months,
        credit_score=row.credit_score,
        consumption=Consumption(
            last_bill=row.last_bill,
            avg_bill_6m=row.avg_bill_6m,
            arrears=row.arrears,
            prepaid_balance=row.prepaid_balance,
        ),
        account_manager=row.account_manager or "",
    )


def _account_values(facts: AccountFacts) -> dict[str, Any]:
    usage = facts.consumption
    return {
        "customer_type": facts.customer_type.value,
        "arpu": facts.arpu,
        "tenure_months": facts.tenure_months,
        "credit_score": facts.credit_score,
        "last_bill": usage.last_bill,
        "avg_bill_6m": usage.avg_bill_6m,
        "arrears": usage.arrears,
        "prepaid_balance": usage.prepaid_balance,
        "account_manager": facts.account_manager,
    }


def _select_profiles() -> sa.Select[Any]:
    c, a = _customers, _accounts
    return sa.select(
        c,
        *(col for col in a.c if col.name != "customer_id"),
    ).select_from(c.outerjoin(a, a.c.customer_id == c.c.id))


class CustomerAccounts:
    """Customers with their CRM account: profiles, saving import rows, lists, passwords.

    Also the directory's `AccountLookup` (`caller_info`, `credentials`).
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    # ---- reading ----

    def _profile(self, row: Any, phones: Iterable[str]) -> Profile:
        has_account = row.customer_type is not None
        facts = _facts(row)
        return Profile(
            customer_id=row.id,
            name=row.name,
            phone=row.phone,
            account=row.account,
            id_number=row.id_number,
            address=row.address,
            facts=facts,
            tier=Tier(row.tier),
            score=row.score if has_account else 0.0,
            lifecycle=LifecycleStage(row.lifecycle)
            if has_account
            else LifecycleStage.IDENTIFICATION,
            list_status=ListStatus(
                mark=ListMark(row.list_mark),
                reason=row.list_reason,
                set_by=row.list_set_by or "",
                set_at=row.list_set_at,
            ),
            bound_phones=tuple(sorted(phones)),
            has_password=bool(row.password_hash),
            updated_at=row.updated_at,
        )

    def _bound(self, c: sa.Connection, ids: list[int]) -> dict[int, list[str]]:
        bound: dict[int, list[str]] = {i: [] for i in ids}
        if ids:
            query = sa.select(_phones.c.customer_id, _phones.c.phone).where(
                _phones.c.customer_id.in_(ids)
            )
            for customer_id, phone in c.execute(query):
                bound[customer_id].append(phone)
        return bound

    def get(self, customer_id: int) -> Profile | None:
        with self.db.engine.connect() as c:
            row = c.execute(_select_profiles().where(_customers.c.id == customer_id)).first()
            if row is None:
                return None
            return self._profile(row, self._bound(c, [customer_id])[customer_id])

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
        query = _select_profiles()
        if q:
            bound = sa.select(_phones.c.customer_id).where(_phones.c.phone == q)
            pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            query = query.where(
                sa.or_(
                    _customers.c.name.like(pattern, escape="\\"),
                    _customers.c.phone == q,
                    _customers.c.account == q,
                    _customers.c.id.in_(bound),
                )
            )
        if tier is not None:
            query = query.where(_customers.c.tier == tier.value)
        if list_mark is not None:
            query = query.where(_customers.c.list_mark == list_mark.value)
        query = query.order_by(_customers.c.id).limit(limit).offset(offset)
        with self.db.engine.connect() as c:
            rows = c.execute(query).all()
            bound_of = self._bound(c, [row.id for row in rows])
        return [self._profile(row, bound_of[row.id]) for row in rows]

    def by_address(self, part: str, *, limit: int = 10_000, offset: int = 0) -> list[Profile]:
        """Customers whose address contains `part` (an outage's 停电区域 name), in id order.

        The database does the matching (``LIKE '%part%'``, wildcards in `part` taken
        literally), so an area's customers are found without reading every customer; the
        rows are checked again as Python compares (`part in address`), since SQLite's LIKE
        ignores the case of ASCII letters. A blank `part` matches nobody, not everybody."""
        part = part.strip()
        if not part:
            return []
        escaped = part.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = (
            _select_profiles()
            .where(_customers.c.address.like(f"%{escaped}%", escape="\\"))
            .order_by(_customers.c.id)
            .limit(limit)
            .offset(offset)
        )
        with self.db.engine.connect() as c:
            rows = [row for row in c.execute(query) if part in row.address]
            bound_of = self._bound(c, [row.id for row in rows])
        return [self._profile(row, bound_of[row.id]) for row in rows]

    def list_history(self, customer_id: int) -> list[ListChange]:
        """The customer's list changes, oldest first."""
        query = (
            sa.select(_changes)
            .where(_changes.c.customer_id == customer_id)
            .order_by(_changes.c.at, _changes.c.id)
        )
        with self.db.engine.connect() as c:
            return [
                ListChange(
                    customer_id=row.customer_id,
                    mark=ListMark(row.mark),
                    previous=ListMark(row.previous),
                    reason=row.reason,
                    set_by=row.set_by,
                    at=row.at,
                )
                for row in c.execute(query)
            ]

    def contacts(self, customer_id: int, *, limit: int = 20) -> list[CallRecord]:
        """The customer's calls (from the contact or a bound phone), newest first."""
        profile = self.get(customer_id)
        if profile is None:
            raise UnknownCustomerError(customer_id)
        phones = [profile.phone, *profile.bound_phones]
        query = (
            sa.select(_calls)
            .where(_calls.c.caller.in_(phones))
            .order_by(_calls.c.arrived_at.desc(), _calls.c.call.desc())
            .limit(limit)
        )
        with self.db.engine.connect() as c:
            return [CallRecord(**dict(row._mapping)) for row in c.execute(query)]

    # ---- AccountLookup ----

    def caller_info(self, phone: str) -> CallerInfo | None:
        """The customer whose contact phone (else bound phone) this is; the first registered."""
        c_ = _customers
        by_contact = sa.select(c_.c.tier, c_.c.list_mark, c_.c.account).where(c_.c.phone == phone)
        by_bound = (
            sa.select(c_.c.tier, c_.c.list_mark, c_.c.account)
            .join(_phones, _phones.c.customer_id == c_.c.id)
            .where(_phones.c.phone == phone)
        )
        with self.db.engine.connect() as c:
            row = c.execute(by_contact.order_by(c_.c.id).limit(1)).first()
            if row is None:
                row = c.execute(by_bound.order_by(c_.c.id).limit(1)).first()
        if row is None:
            return None
        return CallerInfo(
            tier=Tier(row.tier), list_mark=ListMark(row.list_mark), account=row.account
        )

    def credentials(self, account: str) -> Credentials | None:
        query = (
            sa.select(_customers.c.id, _customers.c.phone, _accounts.c.password_hash)
            .select_from(
                _customers.outerjoin(_accounts, _accounts.c.customer_id == _customers.c.id)
            )
            .where(_customers.c.account == account)
        )
        with self.db.engine.connect() as c:
            row = c.execute(query).first()
            if row is None:
                return None
            bound = self._bound(c, [row.id])[row.id]
        return Credentials(
            account=account, phones=frozenset([row.phone, *bound]), password_hash=row.password_hash
        )

    # ---- writing ----

    def _customer_id(self, customer_id: int) -> tuple[str, str]:
        with self.db.engine.connect() as c:
            row = c.execute(
                sa.select(_customers.c.phone, _customers.c.account).where(
                    _customers.c.id == customer_id
                )
            ).first()
        if row is None:
            raise UnknownCustomerError(customer_id)
        return row.phone, row.account

    def save(
        self,
        record: CustomerRecord,
        score: TierScore,
        stage: LifecycleStage,
        *,
        by: str,
        at: float | None = None,
    ) -> bool:
        """Create or update the customer of `record.account` in one transaction (`ImportSink`).

        Returns True when the customer is new. A list mark in the record is applied
        (and recorded in the history, with its ``crm.list_changed`` event in the log)
        only when it differs from the current one. Raises `StoreError` when the
        database refuses the row; nothing of it is kept.
        """
        created, _ = self.save_row(record, score, stage, by=by, at=at)
        return created

    def save_row(
        self,
        record: CustomerRecord,
        score: TierScore,
        stage: LifecycleStage,
        *,
        by: str,
        at: float | None = None,
    ) -> tuple[bool, tuple[CustomerListChanged, ...]]:
        """`save`, also returning the list change's event committed with the row (none when
        the list mark stays): publish it, never append it again."""
        now = time.time() if at is None else at
        events: tuple[CustomerListChanged, ...] = ()
        values = {
            "name": record.name,
            "phone": record.phone,
            "id_number": record.id_number,
            "address": record.address,
            "tier": score.tier.value,
        }
        account_values = {
            **_account_values(record.facts),
            "score": score.score,
            "lifecycle": stage.value,
            "updated_at": now,
        }
        try:
            with self.db.engine.begin() as c:
                found = c.execute(
                    sa.select(_customers.c.id, _customers.c.list_mark).where(
                        _customers.c.account == record.account
                    )
                ).first()
                created = found is None
                if found is None:
                    inserted = c.execute(
                        sa.insert(_customers).values(
                            account=record.account,
                            created_at=now,
                            list_mark=ListMark.NONE.value,
                            list_reason="",
                            **values,
                        )
                    )
                    customer_id = _new_id(inserted)
                    previous = ListMark.NONE
                else:
                    customer_id = int(found.id)
                    previous = ListMark(found.list_mark)
                    c.execute(
                        sa.update(_customers).where(_customers.c.id == customer_id).values(values)
                    )
                updated = c.execute(
                    sa.update(_accounts)
                    .where(_accounts.c.customer_id == customer_id)
                    .values(account_values)
                )
                if updated.rowcount == 0:
                    c.execute(
                        sa.insert(_accounts).values(
                            customer_id=customer_id, list_set_by="", **account_values
                        )
                    )
                c.execute(sa.delete(_phones).where(_phones.c.customer_id == customer_id))
                for phone in record.bound_phones:
                    c.execute(sa.insert(_phones).values(phone=phone, customer_id=customer_id))
                if record.list_mark is not None and record.list_mark is not previous:
                    change = self._write_list(
                        c, customer_id, record.list_mark, previous, record.list_reason, by, now
                    )
                    events = (list_changed(change),)
                    outbox.append(c, events)  # last: the events' lock is held the shortest
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", exc)).splitlines()[0]
            raise StoreError(f"the database refused the row: {reason}") from None
        _notify(self.db, _EVERYTHING)  # the phone may have moved: forget every cached number
        return created, events

    @staticmethod
    def _write_list(
        c: sa.Connection,
        customer_id: int,
        mark: ListMark,
        previous: ListMark,
        reason: str,
        by: str,
        at: float,
    ) -> ListChange:
        c.execute(
            sa.update(_customers)
            .where(_customers.c.id == customer_id)
            .values(list_mark=mark.value, list_reason=reason)
        )
        c.execute(
            sa.update(_accounts)
            .where(_accounts.c.customer_id == customer_id)
            .values(list_set_by=by, list_set_at=at)
        )
        c.execute(
            sa.insert(_changes).values(
                customer_id=customer_id,
                at=at,
                mark=mark.value,
                previous=previous.value,
                reason=reason,
                set_by=by,
            )
        )
        return ListChange(customer_id, mark, previous, reason, by, at)

    def set_list(
        self, customer_id: int, mark: ListMark, reason: str, *, by: str, at: float | None = None
    ) -> ListChange:
        """`change_list` at `at` (default: now), returning the change only (its event is in
        the log; nobody is told on a bus)."""
        now = time.time() if at is None else at
        return self.change_list(customer_id, mark, reason, by=by, at=now).change

    def change_list(
        self, customer_id: int, mark: ListMark, reason: str, *, by: str, at: float
    ) -> ListOutcome:
        """Put the customer on a list (or take them off: `ListMark.NONE`), recorded with
        who, when and why, and its ``crm.list_changed`` event appended to the log in the
        same transaction (both or neither; publish the event, never append it again).
        Raises `ListChangeError` (black list without a reason) or `UnknownCustomerError`;
        the change takes effect at the next call arrival."""
        reason = check_list_change(mark, reason, by)
        with self.db.engine.begin() as c:
            row = c.execute(
                sa.select(_customers.c.list_mark, _customers.c.phone, _customers.c.account).where(
                    _customers.c.id == customer_id
                )
            ).first()
            if row is None:
                raise UnknownCustomerError(customer_id)
            has_account = c.execute(
                sa.select(_accounts.c.customer_id).where(_accounts.c.customer_id == customer_id)
            ).first()
            if has_account is None:  # a customer not yet imported: an empty account row
                c.execute(
                    sa.insert(_accounts).values(
                        customer_id=customer_id,
                        **_account_values(AccountFacts()),
                        score=0.0,
                        lifecycle=LifecycleStage.IDENTIFICATION.value,
                        list_set_by="",
                        updated_at=at,
                    )
                )
            previous = ListMark(row.list_mark)
            change = self._write_list(c, customer_id, mark, previous, reason, by, at)
            bound = self._bound(c, [customer_id])[customer_id]
            events = (list_changed(change),)
            outbox.append(c, events)  # last: the events' lock is held the shortest
        _notify(self.db, CustomerChange(phones=frozenset([row.phone, *bound]), accounts=None))
        return ListOutcome(change, events)

    def set_password(self, customer_id: int, password: str, *, at: float | None = None) -> None:
        """Set the account's query password (only its argon2 hash is stored)."""
        password_hash = hash_query_password(password)
        _, account = self._customer_id(customer_id)
        now = time.time() if at is None else at
        with self.db.engine.begin() as c:
            updated = c.execute(
                sa.update(_accounts)
                .where(_accounts.c.customer_id == customer_id)
                .values(password_hash=password_hash, updated_at=now)
            )
            if updated.rowcount == 0:
                c.execute(
                    sa.insert(_accounts).values(
                        customer_id=customer_id,
                        **_account_values(AccountFacts()),
                        score=0.0,
                        lifecycle=LifecycleStage.IDENTIFICATION.value,
                        list_set_by="",
                        password_hash=password_hash,
                        updated_at=now,
                    )
                )
        _notify(self.db, CustomerChange(phones=frozenset(), accounts=frozenset([account])))

    def recompute_tiers(self, config: CrmConfig, *, at: float | None = None) -> tuple[int, int]:
        """Score every customer with account facts again (after a change of `crm.yaml`, or
        on a schedule); returns (customers scored, tiers changed). Customers without
        account facts keep the tier they were given."""
        now = time.time() if at is None else at
        changed = scored = 0
        with self.db.engine.begin() as c:
            rows = c.execute(_select_profiles().where(_accounts.c.customer_id.is_not(None))).all()
            for row in rows:
                facts = _facts(row)
                score = score_tier(facts, config.scoring)
                stage = lifecycle_stage(facts, config.lifecycle)
                scored += 1
                if score.tier.value != row.tier:
                    changed += 1
                    c.execute(
                        sa.update(_customers)
                        .where(_customers.c.id == row.id)
                        .values(tier=score.tier.value)
                    )
                if score.score != row.score or stage.value != row.lifecycle:
                    c.execute(
                        sa.update(_accounts)
                        .where(_accounts.c.customer_id == row.id)
                        .values(score=score.score, lifecycle=stage.value, updated_at=now)
                    )
        _notify(self.db, _EVERYTHING)
        return scored, changed

    # ---- import batches ----

    def record_batch(
        self, report: ImportReport, *, by: str, started_at: float, finished_at: float
    ) -> int:
        problems = [dataclasses.asdict(problem) for problem in report.rejected]
        with self.db.engine.begin() as c:
            result = c.execute(
                sa.insert(_batches).values(
                    file=report.file[-255:],
                    format=report.format,
                    by=by,
                    started_at=started_at,
                    finished_at=finished_at,
                    rows=report.rows,
                    created=report.created,
                    updated=report.updated,
                    rejected=report.rejected_rows,
                    problems=problems,
                )
            )
            return _new_id(result)

    def batches(self, *, limit: int = 20) -> list[dict[str, Any]]:
        """The newest import batches first, as plain rows."""
        query = sa.select(_batches).order_by(_batches.c.id.desc()).limit(limit)
        with self.db.engine.connect() as c:
            return [dict(row._mapping) for row in c.execute(query)]

    def import_upload(self, data: bytes, file: str, config: CrmConfig, *, by: str) -> ImportOutcome:
        """Import customers from the bytes of a CSV or XLSX file and record the batch; the
        outcome carries the report and the list events its rows committed.

        Raises `ImportFileError` when the file as a whole cannot be read (nothing saved).
        """
        started = time.time()
        sink = _ImportSink(self)
        report = run_import(data, file, sink, config, by=by)
        batch = self.record_batch(report, by=by, started_at=started, finished_at=time.time())
        return ImportOutcome(dataclasses.replace(report, batch_id=batch), tuple(sink.events))


class _ImportSink:
    """An import's `ImportSink`: saves each row and keeps the list events committed."""

    def __init__(self, accounts: CustomerAccounts) -> None:
        self.accounts = accounts
        self.events: list[CustomerListChanged] = []

    def save(
        self, record: CustomerRecord, score: TierScore, stage: LifecycleStage, *, by: str
    ) -> bool:
        created, events = self.accounts.save_row(record, score, stage, by=by)
        self.events.extend(events)
        return created


def import_bytes(
    db: Database, data: bytes, file: str, config: CrmConfig, *, by: str
) -> ImportReport:
    """Import customers from the bytes of a CSV or XLSX file and record the batch (the
    list events of its rows are in the log; nobody is told on a bus).

    Raises `ImportFileError` when the file as a whole cannot be read (nothing saved).
    """
    return CustomerAccounts(db).import_upload(data, file, config, by=by).report


def import_file(
    db: Database, path: str | Path, config: CrmConfig | None = None, *, by: str = "import"
) -> ImportReport:
    """`hotline import customers FILE`: import a CSV or XLSX file from disk."""
    file = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ImportFileError(f"cannot read the file: {exc.strerror or exc}", file=file) from None
    return import_bytes(db, data, file, config or CrmConfig(), by=by)
