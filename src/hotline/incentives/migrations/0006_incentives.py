"""激励积分: the leads' grants of points by hand.

Revision ID: 0006_incentives
Revises: 0001_initial
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_incentives"
down_revision: str | None = "0001_initial"
branch_labels: tuple[str, ...] | None = ("incentives",)
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "incentive_grants",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("agent", sa.String(64), nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
    )
    op.create_index("ix_incentive_grants_agent", "incentive_grants", ["agent", "created_at"])


def downgrade() -> None:
    op.drop_table("incentive_grants")
