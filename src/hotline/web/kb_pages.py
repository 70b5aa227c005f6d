"""The knowledge base page (知识库): search, read and, for admin and supervisor, edit articles.

The page is a server-rendered shell in the viewer's language: the search form with the kind
and category filters (the categories in use come from the database, so a new category shows
up without a deploy), and for editors the article form. Hits, articles and every change go
through the REST API (`/api/kb/...`) from `static/js/kb.js`, so the API's role checks, its
validation (shown field by field in the form) and its audit log apply to the console exactly
as to any other client. Every signed-in role may search and read: an agent needs an answer
while the caller waits, whoever they are.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from hotline.api.deps import get_runtime
from hotline.api.roles import Role
from hotline.kb import ArticleKind
from hotline.kb import model as kb_model
from hotline.web.pages import render, to_login, viewer

router = APIRouter(include_in_schema=False)

EDITOR_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})  # as the API's POST/PUT/DELETE allow
QUERY_MAX = 200  # the API's limit on `q`

# The input limits of the article form, the model's own (the API enforces them as well).
LIMITS = {
    "title": kb_model.TITLE_MAX,
    "body": kb_model.BODY_MAX,
    "category": kb_model.CATEGORY_MAX,
    "owner": kb_model.OWNER_MAX,
    "tags": kb_model.TAGS_MAX,
    "tag": kb_model.TAG_MAX,
}


def _initial(request: Request, categories: list[str]) -> dict[str, str]:
    """The search a link asked for (``/kb?q=停电&kind=faq&article=12``), unknown values dropped.

    A shared link or a reload shows the same search; a kind or category that does not exist
    (any more) is ignored rather than filtering everything away.
    """
    params = request.query_params
    kind = params.get("kind", "")
    category = params.get("category", "")
    article = params.get("article", "")
    return {
        "q": params.get("q", "")[:QUERY_MAX],
        "kind": kind if kind in {k.value for k in ArticleKind} else "",
        "category": category if category in categories else "",
        "article": article if article.isdigit() and len(article) <= 10 else "",
    }


@router.get("/kb", response_class=HTMLResponse)
async def kb_page(request: Request) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    runtime = get_runtime(request)
    categories = await run_in_threadpool(runtime.services.kb.categories)
    return render(
        request,
        "kb.html",
        "kb",
        user,
        kinds=[kind.value for kind in ArticleKind],
        categories=categories,
        can_edit=user.role in EDITOR_ROLES,
        initial=_initial(request, categories),
        limits=LIMITS,
        query_max=QUERY_MAX,
    )
