"""The agents' SIP credentials (digest HA1 per extension).

Revision ID: 0002_sip
Revises: 0001_initial
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_sip"
down_revision: str | None = "0001_initial"
branch_labels: tuple[str, ...] | None = ("sip",)
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "sip_credentials",
        sa.Column("extension", sa.String(64), primary_key=True),
        sa.Column("realm", sa.String(128), nullable=False),
        sa.Column("ha1", sa.String(64), nullable=False),
        sa.Column("issued_at", sa.Double, nullable=False),
        sa.Column("issued_by", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sip_credentials")
