"""Agents who take calls on a mobile number (移动坐席, 远程坐席): one row per agent.

Revision ID: 0003_agent_mobiles
Revises: 0002_sip
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_agent_mobiles"
down_revision: str | None = "0002_sip"
branch_labels: tuple[str, ...] | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "agent_mobiles",
        sa.Column("agent_id", sa.String(64), primary_key=True),
        sa.Column("number", sa.String(32), nullable=False),
        sa.Column("set_at", sa.Double, nullable=False),
        sa.Column("set_by", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("agent_mobiles")
