"""录音质检 workflow: sampled evaluations dealt to inspectors, calibration, dispute review,
the case library and the speech analysis of recordings.

Evaluations gain who is to score them (`inspector`), why they were sampled (`reasons`,
`sample_day`), the agent's queue and team when opened (for the reports and the lead's
own-team rule), their calibration session, and the dispute's review. Columns and new
tables only: no table rebuild on SQLite.

Revision ID: 0005_qa_workflow
Revises: 0004_qa
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005_qa_workflow"
down_revision: str | None = "0004_qa"
branch_labels: tuple[str, ...] | None = None
depends_on: str | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    for column in (
        sa.Column("inspector", sa.String(64)),
        sa.Column("reasons", JSON),
        sa.Column("sample_day", sa.String(10)),
        sa.Column("queue", sa.String(64)),
        sa.Column("team", sa.String(64)),
        sa.Column("calibration", sa.Integer),
        sa.Column("review_verdict", sa.String(16)),
        sa.Column("review_note", sa.String(2000)),
        sa.Column("reviewed_by", sa.String(64)),
        sa.Column("reviewed_at", sa.Double),
        sa.Column("score_before", sa.Double),
    ):
        op.add_column("qa_evaluations", column)
    op.create_index("ix_qa_evaluations_inspector", "qa_evaluations", ["inspector", "status"])
    op.create_index("ix_qa_evaluations_day", "qa_evaluations", ["sample_day"])
    op.create_table(
        "qa_calibrations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("call", sa.String(64), nullable=False),
        sa.Column("form", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("inspectors", JSON, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
    )
    op.create_table(
        "qa_cases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("evaluation", sa.Integer, nullable=False),
        sa.Column("call", sa.String(64), nullable=False),
        sa.Column("agent", sa.String(64), nullable=False),
        sa.Column("verdict", sa.String(8), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("comment", sa.String(2000), nullable=False),
        sa.Column("topic", sa.String(64)),
        sa.Column("teams", JSON, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.Double, nullable=False),
    )
    op.create_index("ux_qa_cases_evaluation", "qa_cases", ["evaluation"], unique=True)
    op.create_table(
        "qa_analyses",
        sa.Column("recording", sa.String(200), primary_key=True),
        sa.Column("call", sa.String(64), nullable=False),
        sa.Column("agent", sa.String(64), nullable=False),
        sa.Column("analysed_at", sa.Double, nullable=False),
        sa.Column("analysis", JSON),
        sa.Column("transcript", JSON),
        sa.Column("hits", JSON),
        sa.Column("flags", JSON, nullable=False),
        sa.Column("error", sa.String(500)),
    )
    op.create_index("ix_qa_analyses_call", "qa_analyses", ["call"])


def downgrade() -> None:
    op.drop_table("qa_analyses")
    op.drop_table("qa_cases")
    op.drop_table("qa_calibrations")
    op.drop_index("ix_qa_evaluations_day", "qa_evaluations")
    op.drop_index("ix_qa_evaluations_inspector", "qa_evaluations")
    for name in (
        "score_before",
        "reviewed_at",
        "reviewed_by",
        "review_note",
        "review_verdict",
        "calibration",
        "team",
        "queue",
        "sample_day",
        "reasons",
        "inspector",
    ):
        op.drop_column("qa_evaluations", name)
