"""`KnowledgeService`: over an in-memory fake of its port (checks first, time from the clock),
and over the real store on SQLite and PostgreSQL (every change's event in the log, once)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest

from hotline.core.events import Event
from hotline.kb import (
    Article,
    ArticleDraft,
    ArticleKind,
    EmptyQueryError,
    InvalidArticleError,
    UnknownArticleError,
)
from hotline.kb.events import ArticleAdded, ArticleDeleted, ArticleUpdated
from hotline.kb.ports import ArticleOutcome, Hit
from hotline.kb.service import KnowledgeService
from hotline.store.db import Database, EventLog
from hotline.store.db.kb import KnowledgeBase

AT = 1_784_131_162.5  # 2026-07-15

OUTAGE = ArticleDraft(
    kind=ArticleKind.FAQ,
    title="  停电报修  ",
    body="请拨打95598报修，抢修人员按时限到达。",
    category=" 停电报修 ",
    tags=("报修", "报修"),
)


class FakeArticles:
    """The `ArticleStore` port in memory; keeps every draft it was handed."""

    def __init__(self) -> None:
        self.articles: dict[int, Article] = {}
        self.received: list[ArticleDraft] = []

    def get(self, article_id: int) -> Article:
        if article_id not in self.articles:
            raise UnknownArticleError(f"no article {article_id}", id=article_id)
        return self.articles[article_id]

    def list(self, **_: object) -> list[Article]:
        return list(self.articles.values())

    def categories(self) -> list[str]:
        return sorted({a.category for a in self.articles.values()})

    def search(self, query: str, **_: object) -> list[Hit]:
        return []

    def _stored(self, article_id: int, draft: ArticleDraft, created: float, at: float) -> Article:
        self.received.append(draft)
        article = Article(
            id=article_id,
            kind=draft.kind,
            title=draft.title,
            body=draft.body,
            category=draft.category,
            tags=draft.tags,
            owner=draft.owner,
            review_due=draft.review_due,
            created_at=created,
            updated_at=at,
        )
        self.articles[article_id] = article
        return article

    def add_article(self, draft: ArticleDraft, *, by: str, at: float) -> ArticleOutcome:
        article = self._stored(len(self.articles) + 1, draft, at, at)
        event = ArticleAdded(at, article.id, article.title, article.category, by)
        return ArticleOutcome(article, (event,))

    def update_article(
        self, article_id: int, draft: ArticleDraft, *, by: str, at: float
    ) -> ArticleOutcome:
        created = self.get(article_id).created_at
        article = self._stored(article_id, draft, created, at)
        event = ArticleUpdated(at, article.id, article.title, article.category, by)
        return ArticleOutcome(article, (event,))

    def delete_article(self, article_id: int, *, by: str, at: float) -> ArticleOutcome:
        article = self.get(article_id)
        del self.articles[article_id]
        event = ArticleDeleted(at, article.id, article.title, article.category, by)
        return ArticleOutcome(article, (event,))


class Clock:
    """A clock function that moves only when told."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_draft_is_checked_before_it_reaches_the_store():
    store = FakeArticles()
    kb = KnowledgeService(store, Clock(AT))
    with pytest.raises(InvalidArticleError) as caught:
        kb.add(dataclasses.replace(OUTAGE, body="   "), by="supervisor")
    assert caught.value.field == "body"
    with pytest.raises(InvalidArticleError):
        kb.update(1, dataclasses.replace(OUTAGE, title=""), by="supervisor")
    assert store.received == []
    kb.add(OUTAGE, by="supervisor")
    (stored,) = store.received
    assert (stored.title, stored.category, stored.tags) == ("停电报修", "停电报修", ("报修",))


def test_changes_are_timed_by_the_clock_and_name_who_made_them():
    clock = Clock(AT)
    kb = KnowledgeService(FakeArticles(), clock)
    added = kb.add(OUTAGE, by="supervisor")
    assert (added.article.created_at, added.article.updated_at) == (AT, AT)
    assert added.events == (ArticleAdded(AT, 1, "停电报修", "停电报修", "supervisor"),)

    clock.now = AT + 60
    changed = dataclasses.replace(added.article.draft(), title="峰谷电价", category="电费电价")
    updated = kb.update(added.article.id, changed, by="admin")
    assert (updated.article.created_at, updated.article.updated_at) == (AT, AT + 60)
    assert updated.events == (ArticleUpdated(AT + 60, 1, "峰谷电价", "电费电价", "admin"),)

    clock.now = AT + 120
    deleted = kb.delete(1, by="admin")
    assert deleted.article == updated.article  # as it was
    assert deleted.events == (ArticleDeleted(AT + 120, 1, "峰谷电价", "电费电价", "admin"),)
    with pytest.raises(UnknownArticleError):
        kb.get(1)
    with pytest.raises(UnknownArticleError):
        kb.delete(1, by="admin")


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    with Database.open(database_url) as database:
        yield database


def kb_events(db: Database) -> list[Event]:
    return [s.event for s in EventLog(db).read() if s.event.kind.startswith("kb.")]


def test_each_change_is_stored_with_its_event_once(db: Database):
    clock = Clock(AT)
    kb = KnowledgeService(KnowledgeBase(db), clock)
    added = kb.add(OUTAGE, by="supervisor")
    assert kb.get(added.article.id) == added.article
    assert [h.article.id for h in kb.search("报修多久能到")] == [added.article.id]
    assert kb.categories() == ["停电报修"]

    clock.now = AT + 60
    changed = dataclasses.replace(added.article.draft(), title="峰谷电价", category="电费电价")
    updated = kb.update(added.article.id, changed, by="admin")
    assert kb.get(added.article.id) == updated.article
    assert updated.article.updated_at == AT + 60
    assert kb.categories() == ["电费电价"]

    # a refused change writes neither the article nor an event
    with pytest.raises(InvalidArticleError):
        kb.update(added.article.id, dataclasses.replace(changed, body=""), by="admin")
    with pytest.raises(UnknownArticleError):
        kb.update(999, changed, by="admin")
    with pytest.raises(UnknownArticleError):
        kb.delete(999, by="admin")
    assert kb.get(added.article.id) == updated.article

    clock.now = AT + 120
    deleted = kb.delete(added.article.id, by="admin")
    assert deleted.article == updated.article
    with pytest.raises(UnknownArticleError):
        kb.get(added.article.id)
    assert kb.categories() == []

    assert kb_events(db) == [*added.events, *updated.events, *deleted.events]
    assert [(e.kind, e.at, getattr(e, "by", None)) for e in kb_events(db)] == [
        ("kb.article_added", AT, "supervisor"),
        ("kb.article_updated", AT + 60, "admin"),
        ("kb.article_deleted", AT + 120, "admin"),
    ]


def test_queries_filter_by_the_callers_day_and_refuse_an_empty_query(db: Database):
    kb = KnowledgeService(KnowledgeBase(db), Clock(AT))
    due = kb.add(dataclasses.replace(OUTAGE, review_due=dt.date(2026, 7, 1)), by="admin").article
    later = kb.add(
        dataclasses.replace(OUTAGE, title="增容办理", review_due=dt.date(2026, 8, 1)), by="admin"
    ).article
    assert kb.list(due_for_review=True, today=dt.date(2026, 7, 15)) == [due]
    assert {a.id for a in kb.list(due_for_review=True, today=dt.date(2026, 8, 1))} == {
        due.id,
        later.id,
    }
    assert kb.list(kind=ArticleKind.SCRIPT, today=dt.date(2026, 7, 15)) == []
    with pytest.raises(EmptyQueryError):
        kb.search("，。！？")
