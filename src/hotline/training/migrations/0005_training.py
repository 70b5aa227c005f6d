"""培训与考核: new-hire stages, exam attempts, training tasks, checklist (KBI) ticks.

Revision ID: 0005_training
Revises: 0001_initial
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005_training"
down_revision: str | None = "0001_initial"
branch_labels: tuple[str, ...] | None = ("training",)
depends_on: str | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "training_stages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("agent", sa.String(64), nullable=False),
        sa.Column("stage", sa.String(64), nullable=False),
        sa.Column("started_at", sa.Double, nullable=False),
        sa.Column("started_by", sa.String(64), nullable=False),
        sa.Column("exam_passed_at", sa.Double),
        sa.Column("passed_at", sa.Double),
    )
    op.create_index("ux_training_stages_agent", "training_stages", ["agent", "stage"], unique=True)
    op.create_table(
        "training_attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("agent", sa.String(64), nullable=False),
        sa.Column("exam", sa.String(64), nullable=False),
        sa.Column("stage", sa.String(64)),
        sa.Column("task", sa.Integer),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("seed", sa.String(200), nullable=False),
        sa.Column("questions", JSON, nullable=False),
        sa.Column("answers", JSON, nullable=False),
        sa.Column("score", sa.Double),
        sa.Column("correct", sa.Integer),
        sa.Column("pass_score", sa.Double, nullable=False),
        sa.Column("passed", sa.Boolean),
        sa.Column("started_at", sa.Double, nullable=False),
        sa.Column("deadline", sa.Double, nullable=False),
        sa.Column("pace", sa.Double, nullable=False),
        sa.Column("submitted_at", sa.Double),
    )
    op.create_index("ix_training_attempts_agent", "training_attempts", ["agent", "exam"])
    op.create_table(
        "training_tasks",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("agent", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("detail", JSON, nullable=False),
        sa.Column("study", JSON, nullable=False),
        sa.Column("exam", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("due_at", sa.Double, nullable=False),
        sa.Column("done_at", sa.Double),
        sa.Column("attempt", sa.Integer),
    )
    op.create_index("ix_training_tasks_agent", "training_tasks", ["agent", "status"])
    op.create_table(
        "training_ticks",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("person", sa.String(64), nullable=False),
        sa.Column("role", sa.String(64), nullable=False),
        sa.Column("item", sa.String(64), nullable=False),
        sa.Column("period", sa.String(64), nullable=False),
        sa.Column("ticked_by", sa.String(64), nullable=False),
        sa.Column("at", sa.Double, nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
    )
    op.create_index(
        "ux_training_ticks_period",
        "training_ticks",
        ["person", "role", "item", "period"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_table("training_ticks")
    op.drop_table("training_tasks")
    op.drop_table("training_attempts")
    op.drop_table("training_stages")
