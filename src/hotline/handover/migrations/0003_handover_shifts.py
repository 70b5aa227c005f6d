"""交接班: a sheet belongs to a shift of the roster and keeps its figures and 无异常.

Sheets handed over before keep NULL shift columns (they began at the previous handover);
the unique index lets each shift of each day have one sheet (NULLs never collide).

Revision ID: 0003_handover_shifts
Revises: 0002_handover
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003_handover_shifts"
down_revision: str | None = "0002_handover"
branch_labels: tuple[str, ...] | None = None
depends_on: str | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    # columns and an index only: no table rebuild on SQLite
    op.add_column("handovers", sa.Column("shift_day", sa.String(10)))
    op.add_column("handovers", sa.Column("shift_name", sa.String(64)))
    op.add_column("handovers", sa.Column("shift_label", sa.String(64)))
    op.add_column("handovers", sa.Column("shift_hours", sa.String(16)))
    op.add_column("handovers", sa.Column("shift_end", sa.Double))
    op.add_column("handovers", sa.Column("figures", JSON))
    op.add_column(
        "handovers",
        sa.Column("no_exceptions", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ux_handovers_shift", "handovers", ["shift_day", "shift_name"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_handovers_shift", table_name="handovers")
    for column in (
        "no_exceptions",
        "figures",
        "shift_end",
        "shift_hours",
        "shift_label",
        "shift_name",
        "shift_day",
    ):
        op.drop_column("handovers", column)
