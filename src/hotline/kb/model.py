"""Knowledge-base articles (知识库): what one is, what makes it valid, when it needs review.

An article is an answer an agent reads or says on a call: a plain article, an FAQ
entry (问题库), a script (话术: greeting, closing, calming words) or a complaint FAQ
(投诉问题库). Every article has an owner who keeps it right and an optional review
date; once that date has come the article is *due for review* and is flagged
wherever it is shown, so outdated answers get noticed rather than read out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum

from hotline.kb.errors import InvalidArticleError

TITLE_MAX = 200
BODY_MAX = 20_000
CATEGORY_MAX = 64
OWNER_MAX = 64
TAG_MAX = 32
TAGS_MAX = 16


class ArticleKind(enum.StrEnum):
    """What an article is for (stored as its value)."""

    ARTICLE = "article"  # 知识文章
    FAQ = "faq"  # 常见问题
    SCRIPT = "script"  # 话术
    COMPLAINT_FAQ = "complaint_faq"  # 投诉问题库


@dataclasses.dataclass(frozen=True, slots=True)
class ArticleDraft:
    """The fields an editor writes; `checked()` returns the cleaned, valid draft."""

    kind: ArticleKind
    title: str
    body: str
    category: str
    tags: tuple[str, ...] = ()
    owner: str = ""
    review_due: dt.date | None = None

    def checked(self) -> ArticleDraft:
        """The draft with surrounding spaces trimmed and duplicate tags dropped.

        Raises `InvalidArticleError` naming the first bad field: an empty title,
        body or category, a text over its length limit, an empty or too long tag,
        too many tags.
        """
        title = self.title.strip()
        body = self.body.strip()
        category = self.category.strip()
        owner = self.owner.strip()
        _require("title", title, TITLE_MAX)
        _require("body", body, BODY_MAX)
        _require("category", category, CATEGORY_MAX)
        if len(owner) > OWNER_MAX or unstorable(owner):
            raise InvalidArticleError(
                f"owner must be at most {OWNER_MAX} characters, without NUL or surrogates",
                field="owner",
            )
        tags: dict[str, None] = {}
        for index, raw in enumerate(self.tags):
            tag = raw.strip()
            if not tag or len(tag) > TAG_MAX or unstorable(tag):
                raise InvalidArticleError(
                    f"tag {index + 1} must have 1 to {TAG_MAX} characters", field=f"tags.{index}"
                )
            tags.setdefault(tag, None)
        if len(tags) > TAGS_MAX:
            raise InvalidArticleError(f"{len(tags)} tags; at most {TAGS_MAX} allowed", field="tags")
        return dataclasses.replace(
            self,
            kind=ArticleKind(self.kind),
            title=title,
            body=body,
            category=category,
            owner=owner,
            tags=tuple(tags),
        )


def unstorable(text: str) -> bool:
    """Whether `text` holds a character no database text column takes (NUL, a lone
    surrogate): refused up front, so it is a clear 422 and not a driver error."""
    return "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text)


def _require(field: str, value: str, limit: int) -> None:
    if unstorable(value):
        raise InvalidArticleError(f"{field} contains a NUL or surrogate character", field=field)
    if not value:
        raise InvalidArticleError(f"{field} is required and may not be blank", field=field)
    if len(value) > limit:
        raise InvalidArticleError(
            f"{field} is {len(value)} characters long; at most {limit} allowed", field=field
        )


@dataclasses.dataclass(frozen=True, slots=True)
class Article:
    """A stored article. Times are epoch seconds, like every record of Hotline."""

    id: int
    kind: ArticleKind
    title: str
    body: str
    category: str
    tags: tuple[str, ...]
    owner: str
    review_due: dt.date | None
    created_at: float
    updated_at: float

    def due_for_review(self, today: dt.date) -> bool:
        """Whether the review date has come (on the date itself, too); no date: never."""
        return self.review_due is not None and self.review_due <= today

    def draft(self) -> ArticleDraft:
        """The editable fields, to change some with `dataclasses.replace` and save."""
        return ArticleDraft(
            kind=self.kind,
            title=self.title,
            body=self.body,
            category=self.category,
            tags=self.tags,
            owner=self.owner,
            review_due=self.review_due,
        )
