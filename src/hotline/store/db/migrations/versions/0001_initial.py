"""The first schema: events, users, audit log, customers, agents, skills, queues,
configuration documents and calls.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001_initial"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("at", sa.Double, nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("call", sa.String(64)),
        sa.Column("agent", sa.String(64)),
        sa.Column("queue", sa.String(64)),
        sa.Column("data", JSON, nullable=False),
    )
    op.create_index("ix_events_at", "events", ["at"])
    op.create_index("ix_events_kind_at", "events", ["kind", "at"])
    op.create_index("ix_events_call", "events", ["call"])
    op.create_index("ix_events_agent", "events", ["agent"])

    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("display_name", sa.String(128), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("agent_id", sa.String(64)),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
    )

    op.create_table(
        "audit_log",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("at", sa.Double, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject_type", sa.String(64), nullable=False),
        sa.Column("subject_id", sa.String(128), nullable=False),
        sa.Column("detail", JSON, nullable=False),
        sa.Column("client", sa.String(128), nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_username", "audit_log", ["username"])
    op.create_index("ix_audit_log_subject", "audit_log", ["subject_type", "subject_id"])

    op.create_table(
        "customers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("phone", sa.String(32), nullable=False),
        sa.Column("id_number", sa.String(32), nullable=False),
        sa.Column("account", sa.String(32), nullable=False, unique=True),
        sa.Column("address", sa.String(255), nullable=False),
        sa.Column("tier", sa.String(16), nullable=False),
        sa.Column("list_mark", sa.String(16), nullable=False),
        sa.Column("list_reason", sa.String(255), nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
    )
    op.create_index("ix_customers_phone", "customers", ["phone"])

    op.create_table(
        "agents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("team", sa.String(64), nullable=False),
        sa.Column("skills", JSON, nullable=False),
        sa.Column("human", sa.Boolean, nullable=False),
    )
    op.create_table(
        "skills",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("title", sa.String(128), nullable=False),
    )
    op.create_table(
        "queues",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("title", sa.String(128), nullable=False),
        sa.Column("spec", JSON, nullable=False),
    )

    op.create_table(
        "config_documents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.Double, nullable=False),
        sa.UniqueConstraint("name", "version", name="uq_config_documents_version"),
    )

    op.create_table(
        "calls",
        sa.Column("call", sa.String(64), primary_key=True),
        sa.Column("arrived_at", sa.Double),
        sa.Column("caller", sa.String(32)),
        sa.Column("dialed", sa.String(32)),
        sa.Column("tier", sa.String(16)),
        sa.Column("list_mark", sa.String(16)),
        sa.Column("queue", sa.String(64)),
        sa.Column("agent", sa.String(64)),
        sa.Column("answered_at", sa.Double),
        sa.Column("ended_at", sa.Double),
        sa.Column("outcome", sa.String(16)),
        sa.Column("phase", sa.String(16)),
        sa.Column("wait_s", sa.Double),
        sa.Column("talk_s", sa.Double),
        sa.Column("hold_s", sa.Double),
        sa.Column("disposition", sa.String(64)),
        sa.Column("note", sa.Text),
    )
    op.create_index("ix_calls_arrived_at", "calls", ["arrived_at"])
    op.create_index("ix_calls_agent", "calls", ["agent"])
    op.create_index("ix_calls_caller", "calls", ["caller"])


def downgrade() -> None:
    for table in (
        "calls",
        "config_documents",
        "queues",
        "skills",
        "agents",
        "customers",
        "audit_log",
        "users",
        "events",
    ):
        op.drop_table(table)
