"""The knowledge-base API: every role searches and reads; only admin and supervisor edit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hotline.api import create_app
from hotline.api.routers.kb import router
from hotline.core.events import EventRecorder
from hotline.kb.events import ArticleAdded, ArticleDeleted, ArticleUpdated
from hotline.live import LiveHotline
from hotline.store.db import Audit, EventLog
from hotline.store.db.kb import seed_knowledge_base
from tests.api.conftest import USERS, login, make_runtime

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "95598" / "kb"
ARTICLE = {
    "kind": "faq",
    "title": "停电<b>报修</b>",
    "body": "请拨打95598报修。",
    "category": "停电报修",
    "tags": ["报修"],
    "review_due": "2020-01-01",
}


@pytest.fixture
def runtime(tmp_path: Path) -> LiveHotline:
    runtime = make_runtime(tmp_path)
    seed_knowledge_base(runtime.db, EXAMPLE)
    return runtime


@pytest.fixture
def client(runtime: LiveHotline) -> Iterator[TestClient]:
    app = create_app(runtime, secret="test-secret")
    app.include_router(router)
    with TestClient(app) as client:
        yield client


@pytest.mark.parametrize("username", list(USERS))
def test_every_role_searches_with_highlights(client, username):
    response = client.get(
        "/api/kb/search", params={"q": "峰谷电价"}, headers=login(client, username)
    )
    assert response.status_code == 200, response.text
    first = response.json()[0]
    assert first["article"]["title"] == "峰谷电价是怎么计算的？"
    assert first["title_html"] == "<mark>峰谷电价</mark>是怎么计算的？"
    assert "<mark>" in first["snippet_html"]


def test_search_filters_and_limit(client):
    agent = login(client, "9001")
    params = {"q": "投诉", "kind": "complaint_faq", "limit": 2}
    hits = client.get("/api/kb/search", params=params, headers=agent).json()
    assert len(hits) == 2
    assert {h["article"]["kind"] for h in hits} == {"complaint_faq"}
    scripts = client.get(
        "/api/kb/search", params={"q": "您好", "category": "服务话术"}, headers=agent
    ).json()
    assert [h["article"]["title"] for h in scripts] == ["开头语"]


def test_a_query_with_no_words_is_422_naming_q(client):
    response = client.get("/api/kb/search", params={"q": "，。！？"}, headers=login(client, "9001"))
    assert response.status_code == 422
    assert response.json()["error"] == "invalid-request"
    assert response.json()["field"] == "query.q"
    assert "no words" in response.json()["message"]


def test_not_logged_in_is_401(client):
    assert client.get("/api/kb/search", params={"q": "停电"}).status_code == 401
    assert client.get("/api/kb/articles").status_code == 401


@pytest.mark.parametrize("username", ["9001", "lead", "qa"])
def test_other_roles_may_not_edit(client, username):
    headers = login(client, username)
    assert client.post("/api/kb/articles", json=ARTICLE, headers=headers).status_code == 403
    assert client.put("/api/kb/articles/1", json=ARTICLE, headers=headers).status_code == 403
    assert client.delete("/api/kb/articles/1", headers=headers).status_code == 403


def test_supervisor_and_admin_edit_and_every_change_is_audited(client, runtime):
    supervisor, admin = login(client, "supervisor"), login(client, "admin")
    created = client.post("/api/kb/articles", json=ARTICLE, headers=supervisor)
    assert created.status_code == 201, created.text
    article = created.json()
    assert article["due_for_review"] is True
    due = client.get("/api/kb/articles", params={"due_for_review": "true"}, headers=admin).json()
    assert article["id"] in {a["id"] for a in due}

    changed = {**ARTICLE, "title": "增容办理", "review_due": None}
    response = client.put(f"/api/kb/articles/{article['id']}", json=changed, headers=admin)
    assert response.status_code == 200
    assert response.json()["due_for_review"] is False
    hits = client.get("/api/kb/search", params={"q": "增容办理"}, headers=admin).json()
    assert hits[0]["article"]["id"] == article["id"]

    assert client.delete(f"/api/kb/articles/{article['id']}", headers=admin).json() == {"ok": True}
    gone = client.get(f"/api/kb/articles/{article['id']}", headers=admin)
    assert gone.status_code == 404
    assert gone.json()["error"] == "no-such-article"
    entries = Audit(runtime.db).list()
    actions = sorted((e.id, e.username, e.action) for e in entries if "kb." in e.action)
    actions = [(user, action) for _, user, action in actions]
    assert actions == [
        ("supervisor", "kb.article.created"),
        ("admin", "kb.article.updated"),
        ("admin", "kb.article.deleted"),
    ]


def test_a_blank_title_is_422_naming_it_and_saves_nothing(client):
    admin = login(client, "admin")
    before = len(client.get("/api/kb/articles", params={"limit": 500}, headers=admin).json())
    response = client.post("/api/kb/articles", json={**ARTICLE, "title": "   "}, headers=admin)
    assert response.status_code == 422
    assert response.json()["field"] == "body.title"
    after = len(client.get("/api/kb/articles", params={"limit": 500}, headers=admin).json())
    assert after == before


def test_unknown_articles_are_404(client):
    admin = login(client, "admin")
    assert client.get("/api/kb/articles/999", headers=admin).status_code == 404
    assert client.put("/api/kb/articles/999", json=ARTICLE, headers=admin).status_code == 404
    assert client.delete("/api/kb/articles/999", headers=admin).status_code == 404


def test_every_change_is_published_on_the_bus_and_stored_once(client, runtime):
    seen = EventRecorder(runtime.bus)
    supervisor, admin = login(client, "supervisor"), login(client, "admin")
    article = client.post("/api/kb/articles", json=ARTICLE, headers=supervisor).json()
    changed = {**ARTICLE, "title": "增容办理", "category": "业扩报装"}
    assert client.put(f"/api/kb/articles/{article['id']}", json=changed, headers=admin).is_success
    assert client.delete(f"/api/kb/articles/{article['id']}", headers=admin).is_success
    published = [e for e in seen.events if e.kind.startswith("kb.")]
    assert [(type(e), e.article, e.title, e.category, e.by) for e in published] == [
        (ArticleAdded, article["id"], "停电<b>报修</b>", "停电报修", "supervisor"),
        (ArticleUpdated, article["id"], "增容办理", "业扩报装", "admin"),
        (ArticleDeleted, article["id"], "增容办理", "业扩报装", "admin"),
    ]
    runtime.flush()
    stored = [s.event for s in EventLog(runtime.db).read() if s.event.kind.startswith("kb.")]
    assert stored == published  # committed with each change; the writer did not add them again
