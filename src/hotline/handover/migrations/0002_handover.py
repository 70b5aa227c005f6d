"""交接班: handover sheets and the agents' shift summaries.

Revision ID: 0002_handover
Revises: 0001_initial
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002_handover"
down_revision: str | None = "0001_initial"
branch_labels: tuple[str, ...] | None = ("handover",)
depends_on: str | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "handovers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("shift_start", sa.Double, nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
        sa.Column("outgoing", sa.String(64), nullable=False),
        sa.Column("snapshot", JSON, nullable=False),
        sa.Column("incidents", sa.Text, nullable=False),
        sa.Column("system_status", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("incoming", sa.String(64)),
        sa.Column("acknowledged_at", sa.Double),
        sa.Column("remark", sa.Text, nullable=False),
    )
    op.create_index("ix_handovers_created_at", "handovers", ["created_at"])
    op.create_table(
        "shift_summaries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("agent", sa.String(64)),
        sa.Column("shift_start", sa.Double, nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
        sa.Column("counts", JSON, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_index("ix_shift_summaries_created_at", "shift_summaries", ["created_at"])


def downgrade() -> None:
    op.drop_table("shift_summaries")
    op.drop_table("handovers")
