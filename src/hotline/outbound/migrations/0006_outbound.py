"""外呼: campaigns and their lists.

Revision ID: 0006_outbound
Revises: 0001_initial
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006_outbound"
down_revision: str | None = "0001_initial"
branch_labels: tuple[str, ...] | None = ("outbound",)
depends_on: str | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "outbound_campaigns",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("spec", JSON, nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
    )
    op.create_table(
        "outbound_entries",
        sa.Column("campaign", sa.String(64), primary_key=True),
        sa.Column("entry", sa.String(64), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("number", sa.String(32), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("customer_class", sa.String(16), nullable=False),
        sa.Column("important", sa.Boolean, nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("variables", JSON, nullable=False),
        sa.Column("due", sa.Double, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("outbound_entries")
    op.drop_table("outbound_campaigns")
