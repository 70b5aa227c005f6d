"""Work orders followed up by departments, and orders recorded without a call.

``users.department``: the orders.yaml department (抢修班, 营销部 …) a user with the role
``department`` (处理部门) works for; they see and follow up only that department's orders.
``orders.source``: how the request came (来源: phone, letter, visit, web); every order
recorded before this migration came from a call (``phone``).

On the orders branch: the department is a key of orders.yaml.

Revision ID: 0004_departments
Revises: 0003_orders_idempotency
Create Date: 2026-12-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_departments"
down_revision: str | None = "0003_orders_idempotency"
branch_labels: tuple[str, ...] | None = None
depends_on: str | None = None


def upgrade() -> None:
    # plain added columns: no table rebuild on SQLite (other tables refer to both)
    op.add_column("users", sa.Column("department", sa.String(64)))
    op.add_column(
        "orders",
        sa.Column("source", sa.String(16), nullable=False, server_default="phone"),
    )


def downgrade() -> None:
    op.drop_column("orders", "source")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("department")
