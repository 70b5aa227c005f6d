"""Knowledge base (知识库): search and read for every signed-in role, edit for admin/supervisor.

Search answers carry safe HTML highlights (`title_html`, `snippet_html`: the text
escaped, ``<mark>`` around found words). A query with no words to look for is
422 naming ``query.q``; a bad article field is 422 naming it (``body.title``);
an unknown id is 404. Every change is written to the audit log.

The work is `hotline.kb.service.KnowledgeService` (``runtime.services.kb``); a
change's ``kb.article_*`` event is committed with the article and then published
on the runtime's bus (`publish_stored`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from hotline.api.deps import CurrentUser, Runtime, client_of, require
from hotline.api.errors import InvalidRequestError
from hotline.api.responses import errors
from hotline.api.roles import Role
from hotline.api.schemas import Ok
from hotline.api.users import User
from hotline.kb import Article, ArticleDraft, ArticleKind, EmptyQueryError, InvalidArticleError
from hotline.kb import model as kb_model
from hotline.kb.ports import SEARCH_LIMIT_MAX, Hit
from hotline.live import LiveHotline

router = APIRouter(prefix="/api/kb", tags=["kb"])

Editor = Annotated[User, Depends(require(Role.ADMIN, Role.SUPERVISOR))]
ArticleIdPath = Annotated[int, Path(ge=1, le=2**31 - 1, description="the article's id")]
CategoryStr = Annotated[str, Field(min_length=1, max_length=kb_model.CATEGORY_MAX)]
TagStr = Annotated[str, Field(min_length=1, max_length=kb_model.TAG_MAX)]


class ArticleIn(BaseModel):
    """An article as an editor writes it (create, or replace every field)."""

    model_config = ConfigDict(extra="forbid")

    kind: ArticleKind = ArticleKind.FAQ
    title: str = Field(min_length=1, max_length=kb_model.TITLE_MAX)
    body: str = Field(min_length=1, max_length=kb_model.BODY_MAX)
    category: CategoryStr
    tags: list[TagStr] = Field(default_factory=list, max_length=kb_model.TAGS_MAX)
    owner: str = Field(default="", max_length=kb_model.OWNER_MAX)
    review_due: dt.date | None = Field(default=None, description="when the owner must review it")


class ArticleOut(BaseModel):
    id: int
    kind: ArticleKind
    title: str
    body: str
    category: str
    tags: list[str]
    owner: str
    review_due: dt.date | None
    created_at: float = Field(description="epoch seconds")
    updated_at: float = Field(description="epoch seconds")
    due_for_review: bool = Field(description="the review date has come (today or earlier)")


class HitOut(BaseModel):
    article: ArticleOut
    score: float = Field(description="higher is better; comparable within one answer only")
    title_html: str = Field(description="the title, HTML-escaped, found words in <mark>")
    snippet_html: str = Field(description="part of the body, HTML-escaped, words in <mark>")


def _out(article: Article, today: dt.date) -> dict[str, Any]:
    return {
        "id": article.id,
        "kind": article.kind,
        "title": article.title,
        "body": article.body,
        "category": article.category,
        "tags": list(article.tags),
        "owner": article.owner,
        "review_due": article.review_due,
        "created_at": article.created_at,
        "updated_at": article.updated_at,
        "due_for_review": article.due_for_review(today),
    }


def _hit(hit: Hit, today: dt.date) -> dict[str, Any]:
    return {
        "article": _out(hit.article, today),
        "score": hit.score,
        "title_html": hit.title_html,
        "snippet_html": hit.snippet_html,
    }


def _draft(body: ArticleIn) -> ArticleDraft:
    return ArticleDraft(
        kind=body.kind,
        title=body.title,
        body=body.body,
        category=body.category,
        tags=tuple(body.tags),
        owner=body.owner,
        review_due=body.review_due,
    )


def _today() -> dt.date:
    # review dates are calendar dates of the real world, not of a simulated day
    return dt.date.today()


def _check_category(category: str | None) -> None:
    if category is not None and kb_model.unstorable(category):
        raise InvalidRequestError(
            "category contains a NUL or surrogate character", field="query.category"
        )


async def _audit(
    request: Request, runtime: LiveHotline, user: User, action: str, article_id: int
) -> None:
    await run_in_threadpool(
        runtime.services.audit.record,
        username=user.username,
        role=user.role.value,
        action=action,
        subject_type="kb_article",
        subject_id=str(article_id),
        client=client_of(request),
    )


@router.get("/search", response_model=list[HitOut], responses=errors(401, 422))
async def search(
    _: CurrentUser,
    runtime: Runtime,
    q: Annotated[str, Query(min_length=1, max_length=200, description="words to look for")],
    kind: ArticleKind | None = None,
    category: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=SEARCH_LIMIT_MAX)] = 10,
) -> list[dict[str, Any]]:
    """The best articles for `q`, best first (titles and tags count more than the body)."""
    _check_category(category)
    kb = runtime.services.kb
    try:
        hits = await run_in_threadpool(kb.search, q, kind=kind, category=category, limit=limit)
    except EmptyQueryError as exc:
        raise InvalidRequestError(exc.message, field="query.q") from None
    today = _today()
    return [_hit(h, today) for h in hits]


@router.get("/articles", response_model=list[ArticleOut], responses=errors(401, 422))
async def list_articles(
    _: CurrentUser,
    runtime: Runtime,
    kind: ArticleKind | None = None,
    category: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    due_for_review: Annotated[
        bool | None, Query(description="true: only those due for review; false: the others")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[dict[str, Any]]:
    """Articles by category and title."""
    _check_category(category)
    today = _today()
    articles = await run_in_threadpool(
        runtime.services.kb.list,
        category=category,
        kind=kind,
        due_for_review=due_for_review,
        today=today,
        limit=limit,
        offset=offset,
    )
    return [_out(a, today) for a in articles]


@router.get("/articles/{article_id}", response_model=ArticleOut, responses=errors(401, 404, 422))
async def get_article(
    article_id: ArticleIdPath, _: CurrentUser, runtime: Runtime
) -> dict[str, Any]:
    article = await run_in_threadpool(runtime.services.kb.get, article_id)
    return _out(article, _today())


@router.post(
    "/articles",
    response_model=ArticleOut,
    status_code=201,
    responses=errors(401, 403, 422),
)
async def create_article(
    request: Request, body: ArticleIn, user: Editor, runtime: Runtime
) -> dict[str, Any]:
    """Add an article (administrator and supervisor)."""
    kb = runtime.services.kb
    try:
        outcome = await run_in_threadpool(kb.add, _draft(body), by=user.username)
    except InvalidArticleError as exc:
        raise InvalidRequestError(exc.message, field=f"body.{exc.field}") from None
    runtime.publish_stored(outcome.events)
    await _audit(request, runtime, user, "kb.article.created", outcome.article.id)
    return _out(outcome.article, _today())


@router.put(
    "/articles/{article_id}",
    response_model=ArticleOut,
    responses=errors(401, 403, 404, 422),
)
async def replace_article(
    request: Request, article_id: ArticleIdPath, body: ArticleIn, user: Editor, runtime: Runtime
) -> dict[str, Any]:
    """Replace every field of an article (administrator and supervisor)."""
    kb = runtime.services.kb
    try:
        outcome = await run_in_threadpool(kb.update, article_id, _draft(body), by=user.username)
    except InvalidArticleError as exc:
        raise InvalidRequestError(exc.message, field=f"body.{exc.field}") from None
    runtime.publish_stored(outcome.events)
    await _audit(request, runtime, user, "kb.article.updated", article_id)
    return _out(outcome.article, _today())


@router.delete("/articles/{article_id}", response_model=Ok, responses=errors(401, 403, 404, 422))
async def delete_article(
    request: Request, article_id: ArticleIdPath, user: Editor, runtime: Runtime
) -> Ok:
    """Delete an article (administrator and supervisor)."""
    outcome = await run_in_threadpool(runtime.services.kb.delete, article_id, by=user.username)
    runtime.publish_stored(outcome.events)
    await _audit(request, runtime, user, "kb.article.deleted", article_id)
    return Ok()
