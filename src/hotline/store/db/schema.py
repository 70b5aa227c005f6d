"""The database tables, as SQLAlchemy 2 declarative models.

Times are seconds since the Unix epoch (UTC) as DOUBLE, like the events' `at`, so
events and records compare without conversion. The migration `0001_initial`
creates exactly these tables; a test checks the two agree.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# JSONB on PostgreSQL (queryable, indexable); JSON text on SQLite.
Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
# SQLite makes only `INTEGER PRIMARY KEY` the rowid (fast, monotonic); BIGINT elsewhere.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class Base(DeclarativeBase):
    pass


class EventRow(Base):
    """One engine event: indexed columns for the common filters, the other fields in `data`."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    kind: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    call: Mapped[str | None] = mapped_column(sa.String(64))
    agent: Mapped[str | None] = mapped_column(sa.String(64))
    queue: Mapped[str | None] = mapped_column(sa.String(64))
    data: Mapped[dict[str, Any]] = mapped_column(Json, nullable=False)

    __table_args__ = (
        sa.Index("ix_events_at", "at"),
        sa.Index("ix_events_kind_at", "kind", "at"),
        sa.Index("ix_events_call", "call"),
        sa.Index("ix_events_agent", "agent"),
    )


class UserRow(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(128), nullable=False, default="")
    role: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    password_hash: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    agent_id: Mapped[str | None] = mapped_column(sa.String(64))
    active: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    created_at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    # added by 0002_accounts: a password set by someone else (the first start, an
    # administrator) must be replaced at the next log-in; sessions issued before the
    # last change of password are refused
    must_change_password: Mapped[bool] = mapped_column(
        sa.Boolean, nullable=False, default=False, server_default=sa.false()
    )
    password_changed_at: Mapped[float | None] = mapped_column(sa.Double)
    # added by 0004_departments: the orders.yaml department a 处理部门 user works for
    department: Mapped[str | None] = mapped_column(sa.String(64))


class AuditRow(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    username: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    role: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    action: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    subject_type: Mapped[str] = mapped_column(sa.String(64), nullable=False, default="")
    subject_id: Mapped[str] = mapped_column(sa.String(128), nullable=False, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(Json, nullable=False)
    client: Mapped[str] = mapped_column(sa.String(128), nullable=False, default="")

    __table_args__ = (
        sa.Index("ix_audit_log_at", "at"),
        sa.Index("ix_audit_log_username", "username"),
        sa.Index("ix_audit_log_subject", "subject_type", "subject_id"),
    )


class CustomerRow(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(sa.String(128), nullable=False)
    phone: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    id_number: Mapped[str] = mapped_column(sa.String(32), nullable=False, default="")
    account: Mapped[str] = mapped_column(sa.String(32), nullable=False, unique=True)
    address: Mapped[str] = mapped_column(sa.String(255), nullable=False, default="")
    tier: Mapped[str] = mapped_column(sa.String(16), nullable=False, default="ordinary")
    list_mark: Mapped[str] = mapped_column(sa.String(16), nullable=False, default="none")
    list_reason: Mapped[str] = mapped_column(sa.String(255), nullable=False, default="")
    created_at: Mapped[float] = mapped_column(sa.Double, nullable=False)

    __table_args__ = (sa.Index("ix_customers_phone", "phone"),)


class AgentRow(Base):
    __tablename__ = "agents"
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)  # 工号
    name: Mapped[str] = mapped_column(sa.String(128), nullable=False)
    team: Mapped[str] = mapped_column(sa.String(64), nullable=False, default="")
    skills: Mapped[dict[str, Any]] = mapped_column(Json, nullable=False)  # skill -> level
    human: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)


class SkillRow(Base):
    __tablename__ = "skills"
    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(128), nullable=False, default="")


class QueueRow(Base):
    __tablename__ = "queues"
    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(128), nullable=False, default="")
    spec: Mapped[dict[str, Any]] = mapped_column(Json, nullable=False)


class ConfigDocumentRow(Base):
    """One version of a configuration file; every `put` adds a row, so history is kept."""

    __tablename__ = "config_documents"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    text: Mapped[str] = mapped_column(sa.Text, nullable=False)
    updated_by: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    updated_at: Mapped[float] = mapped_column(sa.Double, nullable=False)

    __table_args__ = (sa.UniqueConstraint("name", "version", name="uq_config_documents_version"),)


class CallRow(Base):
    """One row per call, folded from its events by `CallLedger` (the last agent leg wins)."""

    __tablename__ = "calls"
    call: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    arrived_at: Mapped[float | None] = mapped_column(sa.Double)
    caller: Mapped[str | None] = mapped_column(sa.String(32))
    dialed: Mapped[str | None] = mapped_column(sa.String(32))
    tier: Mapped[str | None] = mapped_column(sa.String(16))
    list_mark: Mapped[str | None] = mapped_column(sa.String(16))
    queue: Mapped[str | None] = mapped_column(sa.String(64))
    agent: Mapped[str | None] = mapped_column(sa.String(64))
    answered_at: Mapped[float | None] = mapped_column(sa.Double)
    ended_at: Mapped[float | None] = mapped_column(sa.Double)
    outcome: Mapped[str | None] = mapped_column(sa.String(16))
    phase: Mapped[str | None] = mapped_column(sa.String(16))
    wait_s: Mapped[float | None] = mapped_column(sa.Double)
    talk_s: Mapped[float | None] = mapped_column(sa.Double)
    hold_s: Mapped[float | None] = mapped_column(sa.Double)
    disposition: Mapped[str | None] = mapped_column(sa.String(64))
    note: Mapped[str | None] = mapped_column(sa.Text)

    __table_args__ = (
        sa.Index("ix_calls_arrived_at", "arrived_at"),
        sa.Index("ix_calls_agent", "agent"),
        sa.Index("ix_calls_caller", "caller"),
    )


events_table = EventRow.__table__
