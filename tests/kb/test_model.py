"""Article checks and the review flag."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from hotline.kb import Article, ArticleDraft, ArticleKind, InvalidArticleError

DRAFT = ArticleDraft(kind=ArticleKind.FAQ, title=" 停电报修 ", body="拨打95598。", category="停电")


def test_a_checked_draft_is_trimmed_and_tags_deduplicated():
    checked = dataclasses.replace(DRAFT, tags=("停电", " 停电 ", "报修")).checked()
    assert checked.title == "停电报修"
    assert checked.tags == ("停电", "报修")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "   "}, "title"),
        ({"body": ""}, "body"),
        ({"category": " "}, "category"),
        ({"title": "长" * 201}, "title"),
        ({"body": "长" * 20_001}, "body"),
        ({"owner": "x" * 65}, "owner"),
        ({"body": "停电\x00"}, "body"),
        ({"title": "\ud800"}, "title"),
        ({"tags": ("好", " ")}, "tags.1"),
        ({"tags": tuple(f"t{i}" for i in range(17))}, "tags"),
    ],
)
def test_a_bad_field_is_named(change, field):
    with pytest.raises(InvalidArticleError) as caught:
        dataclasses.replace(DRAFT, **change).checked()
    assert caught.value.field == field


def test_an_article_is_due_for_review_from_its_review_date_on():
    article = Article(
        id=1,
        kind=ArticleKind.FAQ,
        title="t",
        body="b",
        category="c",
        tags=(),
        owner="",
        review_due=dt.date(2026, 11, 23),
        created_at=0.0,
        updated_at=0.0,
    )
    assert not article.due_for_review(dt.date(2026, 11, 22))
    assert article.due_for_review(dt.date(2026, 11, 23))
    assert article.due_for_review(dt.date(2027, 1, 1))
    assert not dataclasses.replace(article, review_due=None).due_for_review(dt.date(2099, 1, 1))
