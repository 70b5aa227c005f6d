"""The knowledge base's table, its full-text index, and the `KnowledgeBase` repository.

Articles live in ``kb_articles``; the columns ``head_words`` (title and tags) and
``body_words`` hold the same text cut into words by `hotline.kb.segment`, joined
by spaces, and the database indexes those (migration ``0002_kb``):

- SQLite: the FTS5 table ``kb_fts`` (external content, kept by triggers), ranked
  by ``bm25`` with the head weighted 10 and the body 1;
- PostgreSQL: the generated tsvector column ``search`` ('simple' configuration,
  head weight A, body weight B) with a GIN index, ranked by ``ts_rank_cd``.

A query's words (`hotline.kb.segment.query_terms`) are ORed, so a question in
plain words finds the articles sharing most and rarest of them first. Scores are
"higher is better" on both databases but are not comparable between them.
Highlights are made from the stored title and body (`hotline.kb.highlight`),
HTML-escaped, identical on both databases.

`KnowledgeBase` implements `hotline.kb.ports.ArticleStore`: adding, updating or
deleting an article appends its ``kb.article_*`` event to the log in the same
transaction (the outbox), so a crash leaves both or neither.
"""

from __future__ import annotations

import builtins
import datetime as dt
import os
import time
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hotline.kb import (
    Article,
    ArticleDraft,
    ArticleKind,
    UnknownArticleError,
    index_text,
    load_articles,
    mark,
    query_groups,
    snippet,
)
from hotline.kb.events import ArticleEvent, article_added, article_deleted, article_updated
from hotline.kb.ports import SEARCH_LIMIT_MAX, ArticleOutcome, Hit
from hotline.kb.search import Ranked, best
from hotline.store.db import outbox
from hotline.store.db.database import Database
from hotline.store.db.schema import Base, Json

HEAD_WEIGHT = 10.0
"""SQLite bm25 weight of a word in the title or tags, against 1.0 for the body."""
BROAD = {"sqlite": 10_000, "postgresql": 2_000}
"""Above this many matching articles a search ranks only those with a query word in the
title or tags, and of those the newest this many: ranking costs time per matching row
(about 1 µs in SQLite, several in PostgreSQL), and a query that broad is answered by
titles anyway."""
SEARCH_INDEX_COLUMNS = frozenset({"search", "head_search"})
SEARCH_INDEX_TABLES = frozenset(
    {"kb_fts", "kb_fts_data", "kb_fts_idx", "kb_fts_docsize", "kb_fts_config"}
)
"""SQLite's FTS5 table and its shadow tables (made by the migration, not declared here)."""
SEARCH_INDEX_INDEXES = frozenset({"ix_kb_articles_search", "ix_kb_articles_head_search"})


class KbArticleRow(Base):
    """One article; ``head_words``/``body_words`` are the segmented text the index reads."""

    __tablename__ = "kb_articles"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    body: Mapped[str] = mapped_column(sa.Text, nullable=False)
    category: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    tags: Mapped[list[str]] = mapped_column(Json, nullable=False)
    owner: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    review_due: Mapped[dt.date | None] = mapped_column(sa.Date)
    created_at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    updated_at: Mapped[float] = mapped_column(sa.Double, nullable=False)
    head_words: Mapped[str] = mapped_column(sa.Text, nullable=False)
    body_words: Mapped[str] = mapped_column(sa.Text, nullable=False)

    __table_args__ = (
        sa.Index("ix_kb_articles_category", "category"),
        sa.Index("ix_kb_articles_kind", "kind"),
        sa.Index("ix_kb_articles_review_due", "review_due"),
    )


def is_declared(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """`include_object` for Alembic's `compare_metadata`: leaves out the search index.

    The FTS5 tables (SQLite) and the ``search`` column and its GIN index (PostgreSQL)
    are made by raw SQL in the migration because SQLAlchemy cannot declare them.
    """
    if type_ == "table" and name in SEARCH_INDEX_TABLES:
        return False
    if type_ == "column" and name in SEARCH_INDEX_COLUMNS:
        return str(getattr(getattr(obj, "table", None), "name", "")) != "kb_articles"
    return not (type_ == "index" and name in SEARCH_INDEX_INDEXES)


_COLUMNS = (
    "id",
    "kind",
    "title",
    "body",
    "category",
    "tags",
    "owner",
    "review_due",
    "created_at",
    "updated_at",
)


def _article(row: Any) -> Article:
    m = row._mapping
    return Article(
        id=int(m["id"]),
        kind=ArticleKind(m["kind"]),
        title=m["title"],
        body=m["body"],
        category=m["category"],
        tags=tuple(m["tags"]),
        owner=m["owner"],
        review_due=m["review_due"],
        created_at=float(m["created_at"]),
        updated_at=float(m["updated_at"]),
    )


def _values(draft: ArticleDraft) -> dict[str, Any]:
    """The row's columns for a checked draft, segmented words included."""
    head = " ".join([draft.title, *draft.tags])
    return {
        "kind": draft.kind.value,
        "title": draft.title,
        "body": draft.body,
        "category": draft.category,
        "tags": list(draft.tags),
        "owner": draft.owner,
        "review_due": draft.review_due,
        "head_words": index_text(head),
        "body_words": index_text(draft.body),
    }


class KnowledgeBase:
    """Articles and their search. Each method is its own transaction.

    Drafts are checked (`ArticleDraft.checked`) before anything is written, so an
    invalid article raises `InvalidArticleError` and changes nothing; an unknown id
    raises `UnknownArticleError`.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.t: sa.Table = KbArticleRow.__table__  # type: ignore[assignment]
        self.columns = [self.t.c[name] for name in _COLUMNS]

    # --- writing ------------------------------------------------------------------

    def add(self, draft: ArticleDraft, *, at: float | None = None, by: str = "") -> Article:
        """`add_article` at `at` (default: now), returning the article only (its event is
        in the log; nobody is told on a bus)."""
        return self.add_article(draft, by=by, at=time.time() if at is None else at).article

    def add_many(self, drafts: Iterable[ArticleDraft], *, at: float | None = None) -> list[int]:
        """Store many articles in one transaction (all or none); returns their ids in order.

        A bulk load (seeding the knowledge base from its YAML files), not an editor's
        change: no event is written.
        """
        now = time.time() if at is None else at
        rows = [{**_values(d.checked()), "created_at": now, "updated_at": now} for d in drafts]
        if not rows:
            return []
        insert = sa.insert(self.t).returning(self.t.c.id, sort_by_parameter_order=True)
        with self.db.engine.begin() as c:
            return [int(v) for v in c.execute(insert, rows).scalars()]

    def add_article(self, draft: ArticleDraft, *, by: str, at: float) -> ArticleOutcome:
        """Store a new article created and updated at `at`, and its ``kb.article_added``
        event in the log, in one transaction (both or neither; publish the event, never
        append it again)."""
        values = {**_values(draft.checked()), "created_at": at, "updated_at": at}
        insert = sa.insert(self.t).values(values).returning(self.t.c.id)
        with self.db.engine.begin() as c:
            article_id = int(c.execute(insert).scalar_one())
            article = self._read(c, article_id)
            events: tuple[ArticleEvent, ...] = (article_added(article, by=by, at=at),)
            outbox.append(c, events)  # last: the events' lock is held the shortest
        return ArticleOutcome(article, events)

    def update(
        self, article_id: int, draft: ArticleDraft, *, at: float | None = None, by: str = ""
    ) -> Article:
        """`update_article` at `at` (default: now), returning the article only."""
        now = time.time() if at is None else at
        return self.update_article(article_id, draft, by=by, at=now).article

    def update_article(
        self, article_id: int, draft: ArticleDraft, *, by: str, at: float
    ) -> ArticleOutcome:
        """Replace an article's fields (its id and creation time stay; updated at `at`),
        with its ``kb.article_updated`` event in the log, in one transaction."""
        values = {**_values(draft.checked()), "updated_at": at}
        with self.db.engine.begin() as c:
            result = c.execute(sa.update(self.t).where(self.t.c.id == article_id).values(values))
            if result.rowcount == 0:
                raise UnknownArticleError(f"no article {article_id}", id=article_id)
            article = self._read(c, article_id)
            events: tuple[ArticleEvent, ...] = (article_updated(article, by=by, at=at),)
            outbox.append(c, events)
        return ArticleOutcome(article, events)

    def delete(self, article_id: int, *, at: float | None = None, by: str = "") -> None:
        """`delete_article` at `at` (default: now)."""
        self.delete_article(article_id, by=by, at=time.time() if at is None else at)

    def delete_article(self, article_id: int, *, by: str, at: float) -> ArticleOutcome:
        """Delete an article, with its ``kb.article_deleted`` event in the log, in one
        transaction; the outcome carries the article as it was."""
        with self.db.engine.begin() as c:
            article = self._read(c, article_id)
            c.execute(sa.delete(self.t).where(self.t.c.id == article_id))
            events: tuple[ArticleEvent, ...] = (article_deleted(article, by=by, at=at),)
            outbox.append(c, events)
        return ArticleOutcome(article, events)

    # --- reading ------------------------------------------------------------------

    def get(self, article_id: int) -> Article:
        """The article; raises `UnknownArticleError`."""
        with self.db.engine.connect() as c:
            return self._read(c, article_id)

    def _read(self, c: sa.Connection, article_id: int) -> Article:
        row = c.execute(sa.select(*self.columns).where(self.t.c.id == article_id)).first()
        if row is None:
            raise UnknownArticleError(f"no article {article_id}", id=article_id)
        return _article(row)

    def count(self) -> int:
        with self.db.engine.connect() as c:
            return int(c.execute(sa.select(sa.func.count()).select_from(self.t)).scalar_one())

    def list(
        self,
        *,
        category: str | None = None,
        kind: ArticleKind | None = None,
        due_for_review: bool | None = None,
        today: dt.date | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Article]:
        """Articles by category, then title; filters combine (AND).

        `due_for_review` True keeps articles whose review date is on or before
        `today` (default: the local date), False keeps the others.
        """
        query = sa.select(*self.columns)
        query = self._filtered(query, category=category, kind=kind)
        if due_for_review is not None:
            day = today or dt.date.today()
            due = sa.and_(self.t.c.review_due.is_not(None), self.t.c.review_due <= day)
            query = query.where(due if due_for_review else sa.not_(due))
        query = query.order_by(self.t.c.category, self.t.c.title, self.t.c.id)
        with self.db.engine.connect() as c:
            rows = c.execute(query.limit(limit).offset(offset)).all()
        return [_article(r) for r in rows]

    def categories(self) -> builtins.list[str]:
        """Every category in use, sorted."""
        query = sa.select(self.t.c.category).distinct().order_by(self.t.c.category)
        with self.db.engine.connect() as c:
            return [str(v) for (v,) in c.execute(query)]

    def search(
        self,
        query: str,
        *,
        kind: ArticleKind | None = None,
        category: str | None = None,
        limit: int = 10,
    ) -> builtins.list[Hit]:
        """The best `limit` articles for `query`, best first, with highlights.

        Raises `EmptyQueryError` when the query has no words to look for.
        """
        groups = query_groups(query)
        terms = [word for group in groups for word in group]
        limit = max(1, min(limit, SEARCH_LIMIT_MAX))
        ids = None
        if kind is not None or category is not None:
            ids = self._filtered(sa.select(self.t.c.id), category=category, kind=kind)
        with self.db.engine.connect() as c:
            if self.db.dialect == "sqlite":
                ranked = best(_SqliteIndex(c, self, ids), groups, limit)
            else:
                ranked = best(_PostgresIndex(c, self, ids), groups, limit)
        return [
            Hit(
                article=article,
                score=score,
                title_html=mark(article.title, terms),
                snippet_html=snippet(article.body, terms),
            )
            for article, score in ranked
        ]

    def _filtered(
        self, query: sa.Select[Any], *, category: str | None, kind: ArticleKind | None
    ) -> sa.Select[Any]:
        if category is not None:
            query = query.where(self.t.c.category == category)
        if kind is not None:
            query = query.where(self.t.c.kind == ArticleKind(kind).value)
        return query


class _SqliteIndex:
    """`TextIndex` over FTS5: conditions are MATCH expressions, ranked with bm25."""

    def __init__(self, c: sa.Connection, kb: KnowledgeBase, ids: sa.Select[Any] | None) -> None:
        self.c = c
        self.kb = kb
        self.ids = ids  # the filters' article ids, or None for every article
        self.fts = sa.table("kb_fts", sa.column("rowid"), sa.column("kb_fts"))

    @property
    def broad(self) -> int:
        return BROAD["sqlite"]

    @staticmethod
    def _any(group: Sequence[str]) -> str:
        # every word is one letter/digit run (see segment._clean): quoted, it is one token
        return "(" + " OR ".join('"' + w.replace('"', '""') + '"' for w in group) + ")"

    def every_word(self, groups: builtins.list[builtins.list[str]]) -> str:
        return " AND ".join(self._any(group) for group in groups)

    def any_word(self, groups: builtins.list[builtins.list[str]]) -> str:
        return self._any([w for group in groups for w in group])

    def any_word_in_head(self, groups: builtins.list[builtins.list[str]]) -> str:
        return "{head_words} : " + self.any_word(groups)

    def _matching(self, condition: str) -> sa.Select[Any]:
        fts = self.fts
        query = sa.select(fts.c.rowid.label("id")).select_from(fts)
        query = query.where(fts.c.kb_fts.op("MATCH")(condition))
        return query if self.ids is None else query.where(fts.c.rowid.in_(self.ids))

    def count_upto(self, condition: str, n: int) -> int:
        return _count_upto(self.c, self._matching(condition), n)

    def floor(self, condition: str, n: int) -> int | None:
        return _floor(self.c, self._matching(condition), self.fts.c.rowid, n)

    def ranked(self, condition: str, above: int | None, limit: int) -> Ranked:
        fts, t = self.fts, self.kb.t
        score = sa.func.bm25(fts.c.kb_fts, HEAD_WEIGHT, 1.0).label("score")
        inner = self._matching(condition).add_columns(score)
        if above is not None:
            inner = inner.where(fts.c.rowid > above)
        # rank the index rows alone, then read the few winning articles: the sorter
        # holds (rowid, score) pairs, not every matching article's body; ordering by
        # the label computes bm25 once per row
        best = inner.order_by(score, fts.c.rowid).limit(limit).subquery()
        query = (
            sa.select(*self.kb.columns, best.c.score)
            .join_from(best, t, t.c.id == best.c.id)
            .order_by(best.c.score, best.c.id)
        )
        return [(_article(r), -float(r.score)) for r in self.c.execute(query)]


class _PostgresIndex:
    """`TextIndex` over the tsvector columns: conditions are (column, tsquery text)."""

    def __init__(self, c: sa.Connection, kb: KnowledgeBase, ids: sa.Select[Any] | None) -> None:
        self.c = c
        self.kb = kb
        self.ids = ids

    @property
    def broad(self) -> int:
        return BROAD["postgresql"]

    @staticmethod
    def _any(group: Sequence[str]) -> str:
        # words are letter/digit runs, so quoting each makes a safe tsquery text
        return "(" + " | ".join(f"'{w}'" for w in group) + ")"

    def every_word(self, groups: builtins.list[builtins.list[str]]) -> tuple[str, str]:
        return "search", " & ".join(self._any(group) for group in groups)

    def any_word(self, groups: builtins.list[builtins.list[str]]) -> tuple[str, str]:
        return "search", self._any([w for group in groups for w in group])

    def any_word_in_head(self, groups: builtins.list[builtins.list[str]]) -> tuple[str, str]:
        return "head_search", self.any_word(groups)[1]

    @staticmethod
    def _tsquery(text: str) -> sa.ColumnElement[Any]:
        return sa.func.to_tsquery(sa.literal_column("'simple'::regconfig"), text)

    def _matching(self, condition: tuple[str, str]) -> sa.Select[Any]:
        column, text = condition
        vector: sa.ColumnElement[Any] = sa.literal_column(f"kb_articles.{column}")
        query = sa.select(self.kb.t.c.id).where(vector.op("@@")(self._tsquery(text)))
        return query if self.ids is None else query.where(self.kb.t.c.id.in_(self.ids))

    def count_upto(self, condition: tuple[str, str], n: int) -> int:
        return _count_upto(self.c, self._matching(condition), n)

    def floor(self, condition: tuple[str, str], n: int) -> int | None:
        return _floor(self.c, self._matching(condition), self.kb.t.c.id, n)

    def ranked(self, condition: tuple[str, str], above: int | None, limit: int) -> Ranked:
        t = self.kb.t
        search: sa.ColumnElement[Any] = sa.literal_column("kb_articles.search")
        # ranked over title and body (weights A and B) whichever column selected the rows
        rank = sa.func.ts_rank_cd(search, self._tsquery(condition[1])).label("score")
        query = self._matching(condition).with_only_columns(*self.kb.columns, rank)
        if above is not None:
            query = query.where(t.c.id > above)
        query = query.order_by(rank.desc(), t.c.id).limit(limit)
        return [(_article(r), float(r.score)) for r in self.c.execute(query)]


def _count_upto(c: sa.Connection, matching: sa.Select[Any], n: int) -> int:
    probe = sa.select(sa.func.count()).select_from(matching.limit(n).subquery())
    return int(c.execute(probe).scalar_one())


def _floor(c: sa.Connection, matching: sa.Select[Any], id_column: Any, n: int) -> int | None:
    query = matching.with_only_columns(id_column).order_by(id_column.desc()).offset(n).limit(1)
    value = c.execute(query).scalar()
    return None if value is None else int(value)


def seed_knowledge_base(db: Database, path: str | os.PathLike[str]) -> int:
    """Load the YAML articles at `path` into an empty knowledge base; returns how many.

    Does nothing (returns 0) when the knowledge base already has articles, so a demo
    restart keeps what editors changed. Every file is checked before anything is
    written; a bad file raises `ConfigError` (file:line) and stores nothing.
    """
    kb = KnowledgeBase(db)
    if kb.count() > 0:
        return 0
    return len(kb.add_many(load_articles(path)))


__all__ = [
    "SEARCH_LIMIT_MAX",
    "Hit",
    "KbArticleRow",
    "KnowledgeBase",
    "is_declared",
    "seed_knowledge_base",
]
