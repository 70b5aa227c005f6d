"""CRM: account facts, bound phones, red/black list history and import batches.

Revision ID: 0002_crm
Revises: 0001_initial
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002_crm"
down_revision: str | None = "0001_initial"
branch_labels: tuple[str, ...] | None = ("crm",)
depends_on: str | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "crm_accounts",
        sa.Column(
            "customer_id",
            sa.Integer,
            sa.ForeignKey("customers.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("customer_type", sa.String(16), nullable=False),
        sa.Column("arpu", sa.Double),
        sa.Column("tenure_months", sa.Integer),
        sa.Column("credit_score", sa.Double),
        sa.Column("score", sa.Double, nullable=False),
        sa.Column("lifecycle", sa.String(16), nullable=False),
        sa.Column("last_bill", sa.Double),
        sa.Column("avg_bill_6m", sa.Double),
        sa.Column("arrears", sa.Double),
        sa.Column("prepaid_balance", sa.Double),
        sa.Column("account_manager", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.String(255)),
        sa.Column("list_set_by", sa.String(64), nullable=False),
        sa.Column("list_set_at", sa.Double),
        sa.Column("updated_at", sa.Double, nullable=False),
    )

    op.create_table(
        "crm_phones",
        sa.Column("phone", sa.String(32), primary_key=True),
        sa.Column(
            "customer_id",
            sa.Integer,
            sa.ForeignKey("customers.id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )
    op.create_index("ix_crm_phones_customer", "crm_phones", ["customer_id"])

    op.create_table(
        "crm_list_changes",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column(
            "customer_id",
            sa.Integer,
            sa.ForeignKey("customers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("at", sa.Double, nullable=False),
        sa.Column("mark", sa.String(16), nullable=False),
        sa.Column("previous", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(255), nullable=False),
        sa.Column("set_by", sa.String(64), nullable=False),
    )
    op.create_index("ix_crm_list_changes_customer", "crm_list_changes", ["customer_id", "at"])

    op.create_table(
        "crm_import_batches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("file", sa.String(255), nullable=False),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("started_at", sa.Double, nullable=False),
        sa.Column("finished_at", sa.Double, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("created", sa.Integer, nullable=False),
        sa.Column("updated", sa.Integer, nullable=False),
        sa.Column("rejected", sa.Integer, nullable=False),
        sa.Column("problems", JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("crm_import_batches")
    op.drop_index("ix_crm_list_changes_customer", table_name="crm_list_changes")
    op.drop_table("crm_list_changes")
    op.drop_index("ix_crm_phones_customer", table_name="crm_phones")
    op.drop_table("crm_phones")
    op.drop_table("crm_accounts")
