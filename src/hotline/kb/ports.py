"""What the knowledge-base service needs from storage: the articles and their search.

`hotline.store.db.kb.KnowledgeBase` implements `ArticleStore`. A change returns
the ``kb.article_*`` event committed with it (the outbox): publish it, never
append it to the log again.
"""

from __future__ import annotations

import builtins
import dataclasses
import datetime as dt
from typing import Protocol

from hotline.kb.events import ArticleEvent
from hotline.kb.model import Article, ArticleDraft, ArticleKind

SEARCH_LIMIT_MAX = 100
"""The most hits one search returns."""


@dataclasses.dataclass(frozen=True, slots=True)
class Hit:
    """One search result: the article, its score (higher is better) and highlights.

    `title_html` and `snippet_html` are safe HTML: the article's text escaped, with
    ``<mark>…</mark>`` around the words searched for.
    """

    article: Article
    score: float
    title_html: str
    snippet_html: str


@dataclasses.dataclass(frozen=True, slots=True)
class ArticleOutcome:
    """An article as a change left it (as it was, for a deletion), and the change's event,
    committed to the log with it."""

    article: Article
    events: tuple[ArticleEvent, ...]


class ArticleStore(Protocol):
    """The articles and their full-text index; every write is one transaction.

    Drafts are checked (`ArticleDraft.checked`) before anything is written: an
    invalid one raises `InvalidArticleError`, an unknown id `UnknownArticleError`,
    and nothing is written then.
    """

    def get(self, article_id: int) -> Article:
        """The article; raises `UnknownArticleError`."""
        ...

    def list(
        self,
        *,
        category: str | None = None,
        kind: ArticleKind | None = None,
        due_for_review: bool | None = None,
        today: dt.date | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> builtins.list[Article]:
        """Articles by category, then title; filters combine (AND). `due_for_review` True
        keeps those whose review date is on or before `today`, False the others."""
        ...

    def categories(self) -> builtins.list[str]:
        """Every category in use, sorted."""
        ...

    def search(
        self,
        query: str,
        *,
        kind: ArticleKind | None = None,
        category: str | None = None,
        limit: int = 10,
    ) -> builtins.list[Hit]:
        """The best `limit` (at most `SEARCH_LIMIT_MAX`) articles for `query`, best first,
        with highlights. Raises `EmptyQueryError` when it has no words to look for."""
        ...

    def add_article(self, draft: ArticleDraft, *, by: str, at: float) -> ArticleOutcome:
        """Store a new article created and updated at `at`, and its ``kb.article_added``
        event, in one transaction (both or neither)."""
        ...

    def update_article(
        self, article_id: int, draft: ArticleDraft, *, by: str, at: float
    ) -> ArticleOutcome:
        """Replace the article's fields (its id and creation time stay; updated at `at`),
        with its ``kb.article_updated`` event, in one transaction (both or neither)."""
        ...

    def delete_article(self, article_id: int, *, by: str, at: float) -> ArticleOutcome:
        """Delete the article, with its ``kb.article_deleted`` event, in one transaction
        (both or neither); the outcome carries the article as it was."""
        ...


__all__ = ["SEARCH_LIMIT_MAX", "ArticleOutcome", "ArticleStore", "Hit"]
