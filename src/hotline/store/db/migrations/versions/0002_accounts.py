"""Accounts: a password to change at the next log-in, and when the password last changed.

Revision ID: 0002_accounts
Revises: 0001_initial
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_accounts"
down_revision: str | None = "0001_initial"
branch_labels: tuple[str, ...] | None = ("accounts",)
depends_on: str | None = None


def upgrade() -> None:
    # existing users keep their passwords: none of them is asked to change it
    op.add_column(
        "users",
        sa.Column("must_change_password", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.add_column("users", sa.Column("password_changed_at", sa.Double))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("password_changed_at")
        batch.drop_column("must_change_password")
