"""QA verdicts on order accuracy (质检改判): one row per verdict, the history kept.

Its own branch (``order_verdicts``) on top of the orders' first migration, so it
stands beside any later migration of the orders branch.

Revision ID: 0002_order_verdicts
Revises: 0001_initial
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_order_verdicts"
down_revision: str | None = "0001_initial"
branch_labels: tuple[str, ...] | None = ("order_verdicts",)
depends_on: str | None = "0002_orders"


def upgrade() -> None:
    op.create_table(
        "order_verdicts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("order_id", sa.Integer, sa.ForeignKey("orders.id"), nullable=False),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("was", sa.Boolean, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("at", sa.Double, nullable=False),
    )
    op.create_index("ix_order_verdicts_order", "order_verdicts", ["order_id", "id"])


def downgrade() -> None:
    op.drop_table("order_verdicts")
