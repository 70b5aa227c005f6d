"""The knowledge base: kb_articles and its full-text index over the segmented words.

SQLite: an FTS5 table `kb_fts` reading its text from kb_articles (external content),
kept in step by triggers. PostgreSQL: a generated tsvector column `search` ('simple'
configuration, head words weight A, body words weight B) with a GIN index, and
`head_search` (the head words alone, GIN-indexed) for very broad searches. Both index
the columns `head_words` and `body_words`, which hold the text already cut into words
by `hotline.kb.segment` (jieba), joined by spaces.

Revision ID: 0002_kb
Revises: 0001_initial
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002_kb"
down_revision: str | None = "0001_initial"
branch_labels: tuple[str, ...] | None = ("kb",)
depends_on: str | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

SQLITE_INDEX = (
    # unicode61 splits on the spaces between the words; every word is a letter/digit run
    "CREATE VIRTUAL TABLE kb_fts USING fts5(head_words, body_words, "
    "content='kb_articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER kb_articles_fts_insert AFTER INSERT ON kb_articles BEGIN "
    "INSERT INTO kb_fts(rowid, head_words, body_words) "
    "VALUES (new.id, new.head_words, new.body_words); END",
    "CREATE TRIGGER kb_articles_fts_delete AFTER DELETE ON kb_articles BEGIN "
    "INSERT INTO kb_fts(kb_fts, rowid, head_words, body_words) "
    "VALUES ('delete', old.id, old.head_words, old.body_words); END",
    "CREATE TRIGGER kb_articles_fts_update AFTER UPDATE ON kb_articles BEGIN "
    "INSERT INTO kb_fts(kb_fts, rowid, head_words, body_words) "
    "VALUES ('delete', old.id, old.head_words, old.body_words); "
    "INSERT INTO kb_fts(rowid, head_words, body_words) "
    "VALUES (new.id, new.head_words, new.body_words); END",
)

POSTGRES_INDEX = (
    "ALTER TABLE kb_articles ADD COLUMN search tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, head_words), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, body_words), 'B')) STORED",
    "CREATE INDEX ix_kb_articles_search ON kb_articles USING gin (search)",
    # the title and tags alone: a very broad search ranks only the articles found here
    "ALTER TABLE kb_articles ADD COLUMN head_search tsvector GENERATED ALWAYS AS ("
    "to_tsvector('simple'::regconfig, head_words)) STORED",
    "CREATE INDEX ix_kb_articles_head_search ON kb_articles USING gin (head_search)",
)


def upgrade() -> None:
    op.create_table(
        "kb_articles",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("tags", JSON, nullable=False),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("review_due", sa.Date),
        sa.Column("created_at", sa.Double, nullable=False),
        sa.Column("updated_at", sa.Double, nullable=False),
        sa.Column("head_words", sa.Text, nullable=False),
        sa.Column("body_words", sa.Text, nullable=False),
    )
    op.create_index("ix_kb_articles_category", "kb_articles", ["category"])
    op.create_index("ix_kb_articles_kind", "kb_articles", ["kind"])
    op.create_index("ix_kb_articles_review_due", "kb_articles", ["review_due"])
    statements = SQLITE_INDEX if op.get_bind().dialect.name == "sqlite" else POSTGRES_INDEX
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS kb_articles_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS kb_fts")
    op.drop_table("kb_articles")
