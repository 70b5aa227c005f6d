"""短信退订: the numbers that opted out of SMS notices, kept across restarts.

Revision ID: 0007_sms_opt_outs
Revises: 0006_outbound
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_sms_opt_outs"
down_revision: str | None = "0006_outbound"
branch_labels: tuple[str, ...] | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "outbound_sms_opt_outs",
        sa.Column("number", sa.String(32), primary_key=True),
        sa.Column("at", sa.Double, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("outbound_sms_opt_outs")
