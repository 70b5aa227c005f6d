"""Work orders: the create request's idempotency key, unique per creator.

A form or client that sends its request again (a double click, a retry after a lost
answer) with the same key gets the first order back instead of a second one; the key is
stored with the order so that holds across a restart.

Revision ID: 0003_orders_idempotency
Revises: 0002_orders
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_orders_idempotency"
down_revision: str | None = "0002_orders"
branch_labels: tuple[str, ...] | None = None
depends_on: str | None = None


def upgrade() -> None:
    # a column and a unique index: no table rebuild on SQLite (the timeline rows refer to
    # the orders table); NULL keys (orders made without one) never collide
    op.add_column("orders", sa.Column("idempotency_key", sa.String(128)))
    op.create_index(
        "ix_orders_idempotency_key", "orders", ["created_by", "idempotency_key"], unique=True
    )


def downgrade() -> None:
    op.drop_index("ix_orders_idempotency_key", table_name="orders")
    op.drop_column("orders", "idempotency_key")
