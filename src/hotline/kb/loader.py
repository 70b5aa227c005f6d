"""Articles written as YAML files (one hotline's knowledge base under version control).

A file holds defaults for its articles and the list of them::

    category: 电费电价          # default for the articles below
    owner: 营销服务中心
    review_due: 2027-06-30
    articles:
      - kind: faq
        title: 如何查询电费？
        body: |
          ...
        tags: [电费查询, 户号]

An article's own ``kind``, ``category``, ``owner`` and ``review_due`` win over the
file's; ``kind`` defaults to ``faq``. Every problem of every file is reported at once,
each as ``file:line:column: path: message`` (`hotline.core.config.ConfigError`).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from hotline.core.config import ConfigError, ConfigProblem, PathPart, load_yaml, validate
from hotline.kb.errors import InvalidArticleError
from hotline.kb.model import ArticleDraft, ArticleKind


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


class ArticleEntry(_Strict):
    """One article in a YAML file; unset fields come from the file's defaults."""

    kind: ArticleKind | None = None
    title: str
    body: str
    category: str | None = None
    tags: list[str] = Field(default_factory=list)
    owner: str | None = None
    review_due: dt.date | None = None


class ArticleFile(_Strict):
    """A YAML file of articles: defaults, then the articles."""

    kind: ArticleKind = ArticleKind.FAQ
    category: str | None = None
    owner: str = ""
    review_due: dt.date | None = None
    articles: list[ArticleEntry] = Field(min_length=1)


def _path(field: str) -> tuple[PathPart, ...]:
    return tuple(int(part) if part.isdigit() else part for part in field.split("."))


def _load_file(path: Path) -> tuple[list[ArticleDraft], list[ConfigProblem]]:
    document = load_yaml(path)
    parsed = validate(document, ArticleFile)
    drafts: list[ArticleDraft] = []
    problems: list[ConfigProblem] = []
    for index, entry in enumerate(parsed.articles):
        where: tuple[PathPart, ...] = ("articles", index)
        category = entry.category if entry.category is not None else parsed.category
        if category is None:
            message = "missing required key 'category' (give it here or at the top of the file)"
            problems.append(document.problem(where, message))
            continue
        draft = ArticleDraft(
            kind=entry.kind or parsed.kind,
            title=entry.title,
            body=entry.body,
            category=category,
            tags=tuple(entry.tags),
            owner=entry.owner if entry.owner is not None else parsed.owner,
            review_due=entry.review_due if entry.review_due is not None else parsed.review_due,
        )
        try:
            drafts.append(draft.checked())
        except InvalidArticleError as exc:
            problems.append(document.problem((*where, *_path(exc.field)), exc.message))
    return drafts, problems


def load_articles(path: str | os.PathLike[str]) -> list[ArticleDraft]:
    """The articles of a YAML file, or of every ``*.yaml`` file of a directory (by name).

    Returns checked drafts, in file order. Raises `ConfigError` listing every
    problem of every file (syntax, unknown keys, a blank title, a missing
    category…) with its file and line; nothing is returned unless all are valid.
    """
    root = Path(path)
    if root.is_dir():
        files = sorted(root.glob("*.yaml"))
        if not files:
            raise ConfigError([ConfigProblem(os.fspath(root), None, None, "", "no *.yaml files")])
    else:
        files = [root]
    drafts: list[ArticleDraft] = []
    problems: list[ConfigProblem] = []
    for file in files:
        try:
            found, wrong = _load_file(file)
        except ConfigError as exc:
            problems.extend(exc.problems)
            continue
        drafts.extend(found)
        problems.extend(wrong)
    if problems:
        raise ConfigError(problems)
    return drafts
