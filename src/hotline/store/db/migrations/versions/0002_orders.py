"""Work orders: orders, their timeline (order_steps), return visits and expedite tasks.

Revision ID: 0002_orders
Revises: 0001_initial
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002_orders"
down_revision: str | None = "0001_initial"
branch_labels: tuple[str, ...] | None = ("orders",)
depends_on: str | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("department", sa.String(64)),
        sa.Column("fields", JSON, nullable=False),
        sa.Column("caller", sa.String(32), nullable=False),
        sa.Column("call", sa.String(64)),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
        sa.Column("updated_at", sa.Double, nullable=False),
        sa.Column("anonymous", sa.Boolean, nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    for column in ("state", "type", "department", "created_at", "created_by", "call", "caller"):
        op.create_index(f"ix_orders_{column}", "orders", [column])

    op.create_table(
        "order_steps",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("order_id", sa.Integer, sa.ForeignKey("orders.id"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("at", sa.Double, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("department", sa.String(64)),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("detail", JSON, nullable=False),
        sa.UniqueConstraint("order_id", "seq", name="uq_order_steps_seq"),
    )

    op.create_table(
        "return_visits",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("order_id", sa.Integer, sa.ForeignKey("orders.id"), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("window", sa.String(16), nullable=False),
        sa.Column("scheduled_at", sa.Double, nullable=False),
        sa.Column("due_at", sa.Double, nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("sampled", sa.Boolean, nullable=False),
        sa.Column("done_at", sa.Double),
        sa.Column("done_by", sa.String(64)),
        sa.Column("opinion", sa.Text, nullable=False),
        sa.Column("score", sa.Integer),
        sa.Column("satisfied", sa.Boolean),
        sa.UniqueConstraint("order_id", "round", name="uq_return_visits_round"),
    )
    op.create_index("ix_return_visits_due", "return_visits", ["status", "scheduled_at"])

    op.create_table(
        "expedites",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("order_id", sa.Integer, sa.ForeignKey("orders.id"), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("deadline", sa.String(64), nullable=False),
        sa.Column("due_at", sa.Double, nullable=False),
        sa.Column("raised_at", sa.Double, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("done_at", sa.Double),
        sa.Column("done_by", sa.String(64)),
        sa.UniqueConstraint("order_id", "round", "deadline", name="uq_expedites_deadline"),
    )
    op.create_index("ix_expedites_status", "expedites", ["status"])


def downgrade() -> None:
    for table in ("expedites", "return_visits", "order_steps", "orders"):
        op.drop_table(table)
