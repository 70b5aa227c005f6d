"""The knowledge base in a real database (SQLite and PostgreSQL): search, filters, review flag."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import hotline.store.db.kb as kb_store
from hotline.core.config import ConfigError
from hotline.kb import (
    ArticleDraft,
    ArticleKind,
    EmptyQueryError,
    InvalidArticleError,
    UnknownArticleError,
)
from hotline.store.db import Database
from hotline.store.db.kb import KnowledgeBase, is_declared, seed_knowledge_base
from hotline.store.db.schema import Base

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "95598" / "kb"


def draft(title: str, body: str, **fields: object) -> ArticleDraft:
    values: dict[str, object] = {"kind": ArticleKind.FAQ, "category": "停电报修", **fields}
    return ArticleDraft(title=title, body=body, **values)  # type: ignore[arg-type]


@pytest.fixture
def kb(database_url):
    db = Database.open(database_url)
    yield KnowledgeBase(db)
    db.close()


def titles(hits) -> list[str]:
    return [hit.article.title for hit in hits]


def test_a_question_in_plain_words_finds_the_outage_articles(kb):
    kb.add(draft("家里突然停电了怎么办", "先检查空气开关是否跳闸。"))
    kb.add(draft("计划停电查询", "计划停电提前7天公告。"))
    kb.add(draft("电费查询", "登录网上国网查看电费。", category="电费电价"))
    assert sorted(titles(kb.search("我家停电了怎么办"))) == ["家里突然停电了怎么办", "计划停电查询"]


def test_a_compound_query_finds_an_article_saying_part_of_it(kb):
    kb.add(draft("抢修到达时限", "受理报修后立即派单，城区45分钟到达。"))
    kb.add(draft("电费查询", "登录网上国网查看电费。"))
    hits = kb.search("故障报修")
    assert titles(hits) == ["抢修到达时限"]
    assert "<mark>报修</mark>" in hits[0].snippet_html


def test_a_title_match_ranks_above_a_body_only_match(kb):
    body_only = kb.add(draft("表计常见问题", "电能表校验由计量中心安排，校验结果按规定处理。"))
    in_title = kb.add(draft("电能表校验", "由计量中心安排。"))
    hits = kb.search("校验")
    assert [h.article.id for h in hits] == [in_title.id, body_only.id]
    assert hits[0].score > hits[1].score > 0
    assert hits[0].title_html == "电能表<mark>校验</mark>"


def test_highlights_escape_the_article_and_mark_the_words(kb):
    kb.add(draft("停电<b>通知</b>", '<script>alert("x")</script>今天停电，明天来电。'))
    (hit,) = kb.search("停电")
    assert hit.title_html == "<mark>停电</mark>&lt;b&gt;通知&lt;/b&gt;"
    assert hit.snippet_html == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;今天<mark>停电</mark>，明天来电。"
    )


def test_filters_by_kind_and_category(kb):
    kb.add(draft("停电安抚话术", "理解您的心情，停电给您带来不便。", kind=ArticleKind.SCRIPT))
    kb.add(draft("停电报修流程", "受理停电报修。"))
    kb.add(
        draft("停电投诉时限", "投诉2天内反馈。", kind=ArticleKind.COMPLAINT_FAQ, category="投诉")
    )
    assert titles(kb.search("停电", kind=ArticleKind.SCRIPT)) == ["停电安抚话术"]
    assert titles(kb.search("停电", category="投诉")) == ["停电投诉时限"]
    assert titles(kb.search("停电", kind=ArticleKind.FAQ, category="投诉")) == []
    assert [a.title for a in kb.list(category="停电报修")] == ["停电安抚话术", "停电报修流程"]
    assert [a.title for a in kb.list(kind=ArticleKind.COMPLAINT_FAQ)] == ["停电投诉时限"]
    assert kb.categories() == ["停电报修", "投诉"]


def test_articles_with_every_word_come_first(kb):
    kb.add(draft("过户办理", "新户主携带产权证明办理。"))
    kb.add(draft("销户办理", "结清电费后办理。"))
    both = kb.add(draft("过户和销户", "都需要结清电费。"))
    hits = kb.search("过户 电费", limit=2)
    assert hits[0].article.id == both.id


def test_a_broad_search_ranks_the_newest_title_matches(kb, monkeypatch):
    monkeypatch.setitem(kb_store.BROAD, kb.db.dialect, 2)
    kb.add(draft("停电须知", "停电。"))
    new = kb.add(draft("计划停电", "停电前7天公告。"))
    newest = kb.add(draft("停电报修", "停电请报修。"))
    kb.add(draft("电费", "停电时电费照常计算。"))  # newer still, but 停电 only in the body
    # four articles say 停电, more than "broad" (2): the two newest with it in the title
    assert {h.article.id for h in kb.search("停电", limit=2)} == {new.id, newest.id}


def test_a_broad_search_without_title_matches_takes_the_newest(kb, monkeypatch):
    monkeypatch.setitem(kb_store.BROAD, kb.db.dialect, 1)
    kb.add(draft("甲", "停电时电费照常计算。"))
    newest = kb.add(draft("乙", "停电期间不计电费。"))
    assert [h.article.id for h in kb.search("电费", limit=5)] == [newest.id]


def test_changes_reach_the_index(kb):
    article = kb.add(draft("停电报修", "请拨打95598报修。"))
    changed = kb.update(article.id, dataclasses.replace(article.draft(), title="峰谷电价"), at=5.0)
    assert (changed.id, changed.created_at) == (article.id, article.created_at)
    assert changed.updated_at == 5.0
    assert titles(kb.search("峰谷电价")) == ["峰谷电价"]
    assert kb.search("停电") == []
    kb.delete(article.id)
    assert kb.search("峰谷电价") == []
    assert kb.count() == 0


def test_articles_due_for_review_are_listed_and_flagged(kb):
    kb.add(draft("旧规定", "正文。", review_due=dt.date(2026, 11, 1)))
    kb.add(draft("今天到期", "正文。", review_due=dt.date(2026, 11, 23)))
    kb.add(draft("新规定", "正文。", review_due=dt.date(2027, 1, 1)))
    kb.add(draft("无期限", "正文。"))
    today = dt.date(2026, 11, 23)
    due = kb.list(due_for_review=True, today=today)
    assert [a.title for a in due] == ["今天到期", "旧规定"]
    assert all(a.due_for_review(today) for a in due)
    assert [a.title for a in kb.list(due_for_review=False, today=today)] == ["新规定", "无期限"]


def test_bad_input_is_refused_and_nothing_is_saved(kb):
    with pytest.raises(InvalidArticleError) as caught:
        kb.add_many([draft("好", "正文。"), draft("  ", "正文。")])
    assert caught.value.field == "title"
    assert kb.count() == 0
    with pytest.raises(EmptyQueryError):
        kb.search("，。！？")
    for call in (kb.get, kb.delete, lambda i: kb.update(i, draft("t", "b"))):
        with pytest.raises(UnknownArticleError, match="no article 999"):
            call(999)


def test_the_example_articles_are_seeded_once(kb):
    seeded = seed_knowledge_base(kb.db, EXAMPLE)
    assert 30 <= seeded == kb.count() <= 40
    assert seed_knowledge_base(kb.db, EXAMPLE) == 0
    assert "故障报修的处理流程和到达时限" in titles(kb.search("报修多久能到"))


def test_a_bad_article_file_seeds_nothing(kb, tmp_path):
    (tmp_path / "a.yaml").write_text("category: x\narticles:\n  - title: t\n    body: b\n")
    (tmp_path / "b.yaml").write_text("category: x\narticles:\n  - title: t\n    body: ''\n")
    with pytest.raises(ConfigError, match=r"b\.yaml:4:5: articles\.0\.body: body is required"):
        seed_knowledge_base(kb.db, tmp_path)
    assert kb.count() == 0


def test_the_migration_builds_the_declared_table_and_its_search_index(kb):
    with kb.db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": is_declared})
        differences = compare_metadata(context, Base.metadata)
    assert [d for d in differences if "kb_" in repr(d)] == []
