"""录音质检: evaluations of calls against a form.

Revision ID: 0004_qa
Revises: 0001_initial
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004_qa"
down_revision: str | None = "0001_initial"
branch_labels: tuple[str, ...] | None = ("qa",)
depends_on: str | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "qa_evaluations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("call", sa.String(64), nullable=False),
        sa.Column("agent", sa.String(64), nullable=False),
        sa.Column("form", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("answers", JSON, nullable=False),
        sa.Column("score", sa.Double),
        sa.Column("result", JSON),
        sa.Column("comment", sa.String(2000), nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("scored_at", sa.Double),
        sa.Column("scored_by", sa.String(64)),
        sa.Column("dispute", sa.String(2000)),
        sa.Column("disputed_at", sa.Double),
    )
    op.create_index("ix_qa_evaluations_agent", "qa_evaluations", ["agent", "status"])
    op.create_index("ix_qa_evaluations_call", "qa_evaluations", ["call"])


def downgrade() -> None:
    op.drop_table("qa_evaluations")
