"""排班: imported interval history, special days and week plans.

Revision ID: 0002_wfm
Revises: 0001_initial
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002_wfm"
down_revision: str | None = "0001_initial"
branch_labels: tuple[str, ...] | None = ("wfm",)
depends_on: str | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "wfm_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("queue", sa.String(64), nullable=False),
        sa.Column("start", sa.String(16), nullable=False),
        sa.Column("offered", sa.Integer, nullable=False),
        sa.Column("answered", sa.Integer, nullable=False),
        sa.Column("talk_seconds", sa.Double, nullable=False),
        sa.Column("wrap_up_seconds", sa.Double, nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
    )
    op.create_index("ux_wfm_history", "wfm_history", ["queue", "start"], unique=True)
    op.create_table(
        "wfm_special_days",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("first", sa.String(10), nullable=False),
        sa.Column("last", sa.String(10), nullable=False),
        sa.Column("factor", sa.Double, nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("queue", sa.String(64)),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
    )
    op.create_table(
        "wfm_plans",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("week_start", sa.String(10), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("published_at", sa.Double),
        sa.Column("published_by", sa.String(64)),
        sa.Column("body", JSON, nullable=False),
    )
    op.create_index("ix_wfm_plans_week", "wfm_plans", ["week_start", "status"])


def downgrade() -> None:
    op.drop_index("ix_wfm_plans_week", table_name="wfm_plans")
    op.drop_table("wfm_plans")
    op.drop_table("wfm_special_days")
    op.drop_index("ux_wfm_history", table_name="wfm_history")
    op.drop_table("wfm_history")
