"""Knowledge-base events: an article was added, updated or deleted (``kb.article_*``).

Each names the article by id, with its title and category as they were after the
change (before it, for a deletion) and who made it: enough for the log and the live
stream to say who changed which answer, and when. Each is committed in the
transaction that writes the article (the outbox). The body stays in
``kb_articles``: the log is not a second copy of the knowledge base.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from hotline.core.events import Event, event
from hotline.kb.model import Article


@event
@dataclasses.dataclass(slots=True)
class ArticleAdded(Event):
    """`by` added article `article`, titled `title`, in `category`."""

    kind: ClassVar[str] = "kb.article_added"
    article: int
    title: str
    category: str
    by: str


@event
@dataclasses.dataclass(slots=True)
class ArticleUpdated(Event):
    """`by` replaced the fields of article `article`; `title` and `category` are the new ones."""

    kind: ClassVar[str] = "kb.article_updated"
    article: int
    title: str
    category: str
    by: str


@event
@dataclasses.dataclass(slots=True)
class ArticleDeleted(Event):
    """`by` deleted article `article`; `title` and `category` are those it had."""

    kind: ClassVar[str] = "kb.article_deleted"
    article: int
    title: str
    category: str
    by: str


ArticleEvent = ArticleAdded | ArticleUpdated | ArticleDeleted
"""Any of the knowledge base's events."""


def article_added(article: Article, *, by: str, at: float) -> ArticleAdded:
    """The event of a stored new article."""
    return ArticleAdded(
        at=at, article=article.id, title=article.title, category=article.category, by=by
    )


def article_updated(article: Article, *, by: str, at: float) -> ArticleUpdated:
    """The event of an article as it is after its update."""
    return ArticleUpdated(
        at=at, article=article.id, title=article.title, category=article.category, by=by
    )


def article_deleted(article: Article, *, by: str, at: float) -> ArticleDeleted:
    """The event of an article deleted (as it was just before)."""
    return ArticleDeleted(
        at=at, article=article.id, title=article.title, category=article.category, by=by
    )


__all__ = [
    "ArticleAdded",
    "ArticleDeleted",
    "ArticleEvent",
    "ArticleUpdated",
    "article_added",
    "article_deleted",
    "article_updated",
]
