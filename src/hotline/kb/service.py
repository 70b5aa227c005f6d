"""Knowledge-base commands and queries end to end: search, read, and edit articles.

`KnowledgeService` is what the API and the console call. It reads and writes
through the `ArticleStore` port (`hotline.store.db.kb.KnowledgeBase`) and takes
time from a clock function, never the wall. A change returns its ``kb.article_*``
event, committed to the log with the article (the outbox): the caller only
publishes it on the bus. Who may edit and the audit rows are the edge's
business; the domain stays free of threads and I/O.
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Callable

from hotline.kb.model import Article, ArticleDraft, ArticleKind
from hotline.kb.ports import ArticleOutcome, ArticleStore, Hit


class KnowledgeService:
    """The knowledge base of one hotline: its article store and clock."""

    def __init__(self, articles: ArticleStore, clock: Callable[[], float]) -> None:
        self.articles = articles
        self.clock = clock

    # -- queries ---------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        kind: ArticleKind | None = None,
        category: str | None = None,
        limit: int = 10,
    ) -> builtins.list[Hit]:
        """The best `limit` articles for `query`, best first (titles and tags count more
        than the body), with highlights. Raises `EmptyQueryError` when the query has no
        words to look for."""
        return self.articles.search(query, kind=kind, category=category, limit=limit)

    def list(
        self,
        *,
        category: str | None = None,
        kind: ArticleKind | None = None,
        due_for_review: bool | None = None,
        today: dt.date,
        limit: int = 100,
        offset: int = 0,
    ) -> builtins.list[Article]:
        """Articles by category, then title, filtered (AND). `due_for_review` True keeps
        those whose review date is on or before `today`, False the others; `today` is a
        date of the real calendar, chosen by the caller (review dates are not simulated)."""
        return self.articles.list(
            category=category,
            kind=kind,
            due_for_review=due_for_review,
            today=today,
            limit=limit,
            offset=offset,
        )

    def get(self, article_id: int) -> Article:
        """The article; raises `UnknownArticleError`."""
        return self.articles.get(article_id)

    def categories(self) -> builtins.list[str]:
        """Every category in use, sorted (a new one shows up as soon as an article has it)."""
        return self.articles.categories()

    # -- commands --------------------------------------------------------------------------

    def add(self, draft: ArticleDraft, *, by: str) -> ArticleOutcome:
        """Add an article, now, by `by`. Raises `InvalidArticleError` naming the first bad
        field; nothing is written then."""
        return self.articles.add_article(draft.checked(), by=by, at=self.clock())

    def update(self, article_id: int, draft: ArticleDraft, *, by: str) -> ArticleOutcome:
        """Replace every field of an article, now, by `by`. Raises `InvalidArticleError`
        or `UnknownArticleError`; nothing is written then."""
        return self.articles.update_article(article_id, draft.checked(), by=by, at=self.clock())

    def delete(self, article_id: int, *, by: str) -> ArticleOutcome:
        """Delete an article, now, by `by`; the outcome carries it as it was. Raises
        `UnknownArticleError`; nothing is written then."""
        return self.articles.delete_article(article_id, by=by, at=self.clock())


__all__ = ["KnowledgeService"]
