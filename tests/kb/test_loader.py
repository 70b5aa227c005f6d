"""YAML articles: defaults from the file, every problem reported with its file and line."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from hotline.core.config import ConfigError
from hotline.kb import ArticleKind, load_articles

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "95598" / "kb"

GOOD = """\
category: 电费电价
owner: 营销
review_due: 2027-06-30
articles:
  - title: 如何查询电费？
    body: 登录网上国网查询。
    tags: [电费查询]
  - title: 开头语
    kind: script
    category: 话术
    body: 您好，国家电网95598。
    review_due: 2026-01-01
"""


def _write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def test_articles_take_the_file_defaults_unless_they_set_their_own(tmp_path):
    first, second = load_articles(_write(tmp_path, "a.yaml", GOOD))
    assert (first.kind, first.category, first.owner) == (ArticleKind.FAQ, "电费电价", "营销")
    assert first.review_due == dt.date(2027, 6, 30)
    assert first.tags == ("电费查询",)
    assert (second.kind, second.category, second.review_due) == (
        ArticleKind.SCRIPT,
        "话术",
        dt.date(2026, 1, 1),
    )


def test_every_problem_of_every_file_is_reported_with_file_and_line(tmp_path):
    _write(
        tmp_path,
        "a.yaml",
        """\
articles:
  - title: "  "
    category: 停电
    body: 正文
  - title: 没有分类
    body: 正文
""",
    )
    _write(
        tmp_path,
        "b.yaml",
        """\
category: x
articles:
  - title: 好标题
    body: 正文
    colour: red
  - title: 错误类型
    kind: memo
    body: 正文
""",
    )
    with pytest.raises(ConfigError) as caught:
        load_articles(tmp_path)
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    assert str(caught.value).splitlines() == [
        f"{a}:2:5: articles.0.title: title is required and may not be blank",
        f"{a}:5:5: articles.1: missing required key 'category' "
        "(give it here or at the top of the file)",
        f"{b}:5:5: articles.0.colour: unknown key 'colour'",
        f"{b}:7:5: articles.1.kind: Input should be 'article', 'faq', 'script' or 'complaint_faq'",
    ]


def test_a_missing_category_names_the_article(tmp_path):
    path = _write(tmp_path, "c.yaml", "articles:\n  - title: 标题\n    body: 正文\n")
    with pytest.raises(ConfigError, match=r"c\.yaml:2:5: articles\.0: missing required key"):
        load_articles(path)


def test_broken_yaml_and_an_empty_directory_are_clear(tmp_path):
    path = _write(tmp_path, "d.yaml", "articles: [\n")
    with pytest.raises(ConfigError, match=r"d\.yaml:2:1: YAML syntax"):
        load_articles(path)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ConfigError, match=r"no \*\.yaml files"):
        load_articles(empty)


def test_the_example_hotline_ships_every_kind_of_article():
    articles = load_articles(EXAMPLE)
    assert 30 <= len(articles) <= 40
    assert set(Counter(a.kind for a in articles)) == set(ArticleKind)
    assert len({a.title for a in articles}) == len(articles)
