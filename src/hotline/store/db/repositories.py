"""Repositories: plain methods over the tables, returning frozen records.

Each call is its own short transaction. Records are dataclasses, not ORM
objects, so callers (the API, the live runtime) hold no session and no lazy
loading can hit the database from another thread. Times are epoch seconds;
a method that records something takes `at` from its caller's clock, or the
wall clock when none is given.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from hotline.core.events import Event
from hotline.store.db import outbox
from hotline.store.db.database import Database
from hotline.store.db.errors import DuplicateError, StoreError
from hotline.store.db.records import (
    Agent,
    AuditEntry,
    CallRecord,
    ConfigDocument,
    Customer,
    Queue,
    Skill,
    User,
)
from hotline.store.db.schema import (
    AgentRow,
    AuditRow,
    CallRow,
    ConfigDocumentRow,
    CustomerRow,
    QueueRow,
    SkillRow,
    UserRow,
)


def _table(model: type[Any]) -> sa.Table:
    table: sa.Table = model.__table__
    return table


R = TypeVar("R")


def _record(cls: type[R], row: Any) -> R:
    return cls(**dict(row._mapping))


class Users:
    """Console users (登录账号); password hashing is the caller's (argon2 in the API)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.t = _table(UserRow)

    def create(
        self,
        username: str,
        password_hash: str,
        role: str,
        *,
        display_name: str = "",
        agent_id: str | None = None,
        active: bool = True,
        must_change_password: bool = False,
        at: float | None = None,
        events: Sequence[Event] = (),
        department: str | None = None,
    ) -> User:
        """Add a user, and `events` to the log in the same transaction (the outbox: both
        or neither); raises `DuplicateError` when the username is taken."""
        values = {
            "username": username,
            "display_name": display_name,
            "role": role,
            "password_hash": password_hash,
            "agent_id": agent_id,
            "active": active,
            "must_change_password": must_change_password,
            "created_at": time.time() if at is None else at,
            "department": department,
        }
        try:
            with self.db.engine.begin() as c:
                c.execute(sa.insert(self.t).values(values))
                outbox.append(c, events)  # last: the events' lock is held the shortest
        except IntegrityError:
            raise DuplicateError(f"user {username!r} already exists", username=username) from None
        user = self.get(username)
        assert user is not None
        return user

    def get(self, username: str) -> User | None:
        with self.db.engine.connect() as c:
            row = c.execute(sa.select(self.t).where(self.t.c.username == username)).first()
        return None if row is None else _record(User, row)

    def by_agent(self, agent_id: str) -> User | None:
        """The user who logs in as this agent (工号), if any."""
        with self.db.engine.connect() as c:
            row = c.execute(sa.select(self.t).where(self.t.c.agent_id == agent_id)).first()
        return None if row is None else _record(User, row)

    def list(self) -> list[User]:
        with self.db.engine.connect() as c:
            rows = c.execute(sa.select(self.t).order_by(self.t.c.username)).all()
        return [_record(User, r) for r in rows]

    def update(self, username: str, *, events: Sequence[Event] = (), **changes: Any) -> User:
        """Change some columns (display_name, role, password_hash, agent_id, active,
        must_change_password, password_changed_at, department), and append `events` to the
        log in the same transaction (both or neither). Raises `StoreError` for an unknown user
        (nothing written)."""
        allowed = {
            "display_name",
            "role",
            "password_hash",
            "agent_id",
            "active",
            "must_change_password",
            "password_changed_at",
            "department",
        }
        unknown = set(changes) - allowed
        if unknown:
            raise StoreError(f"cannot change user field(s) {sorted(unknown)}")
        with self.db.engine.begin() as c:
            done = c.execute(sa.update(self.t).where(self.t.c.username == username).values(changes))
            if done.rowcount == 0:
                raise StoreError(f"no user {username!r}", username=username)
            outbox.append(c, events)
        user = self.get(username)
        assert user is not None
        return user


class Customers:
    """Customer accounts (客户档案): looked up by phone on every call."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.t = _table(CustomerRow)

    def upsert(
        self,
        *,
        account: str,
        name: str,
        phone: str,
        id_number: str = "",
        address: str = "",
        tier: str = "ordinary",
        list_mark: str = "none",
        list_reason: str = "",
        at: float | None = None,
    ) -> Customer:
        """Create the customer with this account number, or update its fields."""
        values = {
            "name": name,
            "phone": phone,
            "id_number": id_number,
            "address": address,
            "tier": tier,
            "list_mark": list_mark,
            "list_reason": list_reason,
        }
        with self.db.engine.begin() as c:
            found = c.execute(sa.update(self.t).where(self.t.c.account == account).values(values))
            if found.rowcount == 0:
                created = time.time() if at is None else at
                c.execute(sa.insert(self.t).values(account=account, created_at=created, **values))
        customer = self.by_account(account)
        assert customer is not None
        return customer

    def _one(self, where: sa.ColumnElement[bool]) -> Customer | None:
        with self.db.engine.connect() as c:
            row = c.execute(sa.select(self.t).where(where).order_by(self.t.c.id)).first()
        return None if row is None else _record(Customer, row)

    def get(self, customer_id: int) -> Customer | None:
        return self._one(self.t.c.id == customer_id)

    def by_phone(self, phone: str) -> Customer | None:
        """The (first registered) customer with this phone number."""
        return self._one(self.t.c.phone == phone)

    def by_account(self, account: str) -> Customer | None:
        return self._one(self.t.c.account == account)

    def list(self, limit: int = 100, offset: int = 0) -> list[Customer]:
        query = sa.select(self.t).order_by(self.t.c.id).limit(limit).offset(offset)
        with self.db.engine.connect() as c:
            return [_record(Customer, r) for r in c.execute(query).all()]


class Audit:
    """The audit log: who read or changed what (every read of customer data lands here)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.t = _table(AuditRow)

    def record(
        self,
        username: str,
        role: str,
        action: str,
        *,
        subject_type: str = "",
        subject_id: str = "",
        detail: Mapping[str, Any] | None = None,
        client: str = "",
        at: float | None = None,
    ) -> int:
        """Append one entry; returns its id."""
        values = {
            "at": time.time() if at is None else at,
            "username": username,
            "role": role,
            "action": action,
            "subject_type": subject_type,
            "subject_id": subject_id,
            "detail": dict(detail or {}),
            "client": client,
        }
        with self.db.engine.begin() as c:
            key = c.execute(sa.insert(self.t).values(values)).inserted_primary_key
        assert key is not None
        return int(key[0])

    def list(
        self,
        *,
        username: str | None = None,
        action: str | None = None,
        subject_type: str | None = None,
        subject_id: str | None = None,
        limit: int = 100,
    ) -> list[AuditEntry]:
        """The newest entries first, filtered by any of the given fields."""
        query = sa.select(self.t)
        for column, value in (
            (self.t.c.username, username),
            (self.t.c.action, action),
            (self.t.c.subject_type, subject_type),
            (self.t.c.subject_id, subject_id),
        ):
            if value is not None:
                query = query.where(column == value)
        query = query.order_by(self.t.c.id.desc()).limit(limit)
        with self.db.engine.connect() as c:
            return [_record(AuditEntry, r) for r in c.execute(query).all()]


class ConfigDocuments:
    """Configuration files (hotline.yaml, ivr/main.yaml …), every version kept."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.t = _table(ConfigDocumentRow)

    def put(self, name: str, text: str, by: str, *, at: float | None = None) -> ConfigDocument:
        """Store a new version of `name` (the previous ones stay in `history`)."""
        t = self.t
        for _ in range(5):  # two editors saving at once: the loser takes the next version
            try:
                with self.db.engine.begin() as c:
                    latest = c.execute(
                        sa.select(sa.func.max(t.c.version)).where(t.c.name == name)
                    ).scalar()
                    version = int(latest or 0) + 1
                    c.execute(
                        sa.insert(t).values(
                            name=name,
                            version=version,
                            text=text,
                            updated_by=by,
                            updated_at=time.time() if at is None else at,
                        )
                    )
            except IntegrityError:
                continue
            document = self.get(name)
            assert document is not None
            return document
        raise StoreError(f"could not save {name}: too many concurrent saves", name=name)

    def get(self, name: str, version: int | None = None) -> ConfigDocument | None:
        """The newest version of `name`, or the given one."""
        t = self.t
        query = sa.select(t.c.name, t.c.version, t.c.text, t.c.updated_by, t.c.updated_at)
        query = query.where(t.c.name == name)
        if version is not None:
            query = query.where(t.c.version == version)
        query = query.order_by(t.c.version.desc()).limit(1)
        with self.db.engine.connect() as c:
            row = c.execute(query).first()
        return None if row is None else _record(ConfigDocument, row)

    def history(self, name: str) -> list[ConfigDocument]:
        """Every version of `name`, newest first."""
        t = self.t
        query = sa.select(t.c.name, t.c.version, t.c.text, t.c.updated_by, t.c.updated_at)
        query = query.where(t.c.name == name).order_by(t.c.version.desc())
        with self.db.engine.connect() as c:
            return [_record(ConfigDocument, r) for r in c.execute(query).all()]

    def names(self) -> list[str]:
        with self.db.engine.connect() as c:
            rows = c.execute(sa.select(self.t.c.name).distinct().order_by(self.t.c.name)).all()
        return [r.name for r in rows]


class Calls:
    """The calls table that `CallLedger` keeps: one row per call."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.t = _table(CallRow)

    def get(self, call: str) -> CallRecord | None:
        with self.db.engine.connect() as c:
            row = c.execute(sa.select(self.t).where(self.t.c.call == call)).first()
        return None if row is None else _record(CallRecord, row)

    def list(
        self,
        *,
        agent: str | None = None,
        caller: str | None = None,
        limit: int = 100,
    ) -> list[CallRecord]:
        """The newest calls first (by arrival), of one agent and/or one calling number."""
        query = sa.select(self.t)
        if agent is not None:
            query = query.where(self.t.c.agent == agent)
        if caller is not None:
            query = query.where(self.t.c.caller == caller)
        query = query.order_by(self.t.c.arrived_at.desc(), self.t.c.call.desc()).limit(limit)
        with self.db.engine.connect() as c:
            return [_record(CallRecord, r) for r in c.execute(query).all()]

    def open(self) -> tuple[str, ...]:
        """The calls that have not ended (``ended_at`` NULL), oldest first: on a start, those
        a previous run left behind when it was killed."""
        query = sa.select(self.t.c.call).where(self.t.c.ended_at.is_(None))
        query = query.order_by(self.t.c.arrived_at, self.t.c.call)
        with self.db.engine.connect() as c:
            return tuple(str(call) for call in c.execute(query).scalars())

    def count(self) -> int:
        with self.db.engine.connect() as c:
            return int(c.execute(sa.select(sa.func.count()).select_from(self.t)).scalar_one())


class _Upserts:
    """Shared body of the small keyed tables (agents, skills, queues)."""

    model: type[Any]
    key: str

    def __init__(self, db: Database) -> None:
        self.db = db
        self.t = _table(self.model)

    def _upsert(self, key: Any, values: dict[str, Any]) -> None:
        column = self.t.c[self.key]
        with self.db.engine.begin() as c:
            found = c.execute(sa.update(self.t).where(column == key).values(values))
            if found.rowcount == 0:
                c.execute(sa.insert(self.t).values({self.key: key, **values}))

    def _rows(self) -> list[Any]:
        with self.db.engine.connect() as c:
            return list(c.execute(sa.select(self.t).order_by(self.t.c[self.key])).all())

    def _get(self, key: Any) -> Any:
        with self.db.engine.connect() as c:
            return c.execute(sa.select(self.t).where(self.t.c[self.key] == key)).first()

    def delete(self, key: Any) -> bool:
        with self.db.engine.begin() as c:
            return c.execute(sa.delete(self.t).where(self.t.c[self.key] == key)).rowcount > 0


class Agents(_Upserts):
    """Agents (坐席) by 工号: name, team, skills with levels, whether a person takes the seat."""

    model, key = AgentRow, "id"

    def upsert(
        self,
        id: str,
        name: str,
        *,
        team: str = "",
        skills: Mapping[str, Any] | None = None,
        human: bool = False,
    ) -> Agent:
        record = Agent(id=id, name=name, team=team, skills=dict(skills or {}), human=human)
        values = dataclasses.asdict(record)
        del values["id"]
        self._upsert(id, values)
        return record

    def get(self, id: str) -> Agent | None:
        row = self._get(id)
        return None if row is None else _record(Agent, row)

    def list(self) -> list[Agent]:
        return [_record(Agent, r) for r in self._rows()]


class Skills(_Upserts):
    model, key = SkillRow, "name"

    def upsert(self, name: str, title: str = "") -> Skill:
        self._upsert(name, {"title": title})
        return Skill(name, title)

    def list(self) -> list[Skill]:
        return [_record(Skill, r) for r in self._rows()]


class Queues(_Upserts):
    model, key = QueueRow, "name"

    def upsert(self, name: str, title: str = "", spec: Mapping[str, Any] | None = None) -> Queue:
        values = {"title": title, "spec": dict(spec or {})}
        self._upsert(name, values)
        return Queue(name=name, title=title, spec=dict(spec or {}))

    def get(self, name: str) -> Queue | None:
        row = self._get(name)
        return None if row is None else _record(Queue, row)

    def list(self) -> list[Queue]:
        return [_record(Queue, r) for r in self._rows()]
