"""The knowledge base page (/kb) and the desk's panel as each role gets them, in both languages."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from hotline.web import i18n_kb
from hotline.web.i18n import translate
from hotline.web.pages import templates

ROLES = ("9001", "lead", "qa", "supervisor", "admin")
EDITORS = ("supervisor", "admin")


@pytest.fixture(autouse=True)
def _fresh_cookies(client: TestClient) -> None:
    client.cookies.clear()


def _page(client: TestClient, token: str, **params: str) -> str:
    response = client.get("/kb", headers={"Authorization": f"Bearer {token}"}, params=params)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def test_without_a_session_the_page_sends_the_browser_to_login(client: TestClient) -> None:
    response = client.get("/kb")
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


@pytest.mark.parametrize("user", ROLES)
def test_every_role_gets_the_search_in_chinese_and_english(
    client: TestClient, tokens: dict[str, str], user: str
) -> None:
    page = _page(client, tokens[user])
    assert '<html lang="zh-CN"' in page
    assert "<h1>知识库</h1>" in page
    assert 'id="kb-q"' in page
    assert "全部类型" in page
    assert ">常见问题</option>" in page
    assert ">投诉问题库</option>" in page
    assert "全部分类" in page
    assert '<a href="/kb" id="nav-kb" class="active">知识库</a>' in page
    assert "/static/js/kb.js" in page
    english = _page(client, tokens[user], lang="en")
    assert '<html lang="en"' in english
    assert "<h1>Knowledge base</h1>" in english
    assert ">Complaint FAQ</option>" in english
    assert "All categories" in english
    assert "知识库" not in english


@pytest.mark.parametrize("user", ROLES)
def test_only_admin_and_supervisor_get_the_editor(
    client: TestClient, tokens: dict[str, str], user: str
) -> None:
    page = _page(client, tokens[user])
    editor = user in EDITORS
    assert ('id="kb-editor"' in page) is editor
    assert ('id="kb-new"' in page) is editor
    assert ('id="kb-delete"' in page) is editor
    assert ('data-can-edit="true"' in page) is editor
    if editor:
        # one error slot per field the API may name (body.title → title …)
        for field in ("title", "kind", "category", "tags", "owner", "review_due", "body"):
            assert f'data-error-for="{field}"' in page
        assert "新建文章" in page
        assert "New article" in _page(client, tokens[user], lang="en")


@pytest.mark.parametrize("user", ROLES)
def test_every_page_links_to_the_knowledge_base(
    client: TestClient, tokens: dict[str, str], user: str
) -> None:
    home = "/desk" if user.isdigit() else "/board"
    page = client.get(home, headers={"Authorization": f"Bearer {tokens[user]}"}).text
    assert '<a href="/kb" id="nav-kb">知识库</a>' in page


def test_the_categories_in_use_are_the_filter_escaped(
    client: TestClient, tokens: dict[str, str]
) -> None:
    category = '停电<b>"报修"</b>'
    article = {"title": "测试文章", "body": "正文", "category": category, "kind": "script"}
    created = client.post(
        "/api/kb/articles",
        json=article,
        headers={"Authorization": f"Bearer {tokens['supervisor']}"},
    )
    assert created.status_code == 201, created.text
    page = _page(client, tokens["9001"])
    assert f'<option value="{escape(category)}">{escape(category)}</option>' in page
    assert "<b>" not in page.split('id="kb-category"')[1].split("</select>")[0]
    # a link to a category in use selects it; the search words come back in the box
    linked = _page(client, tokens["9001"], q="停电", kind="script", category=category)
    assert f'<option value="{escape(category)}" selected>' in linked
    assert '<option value="script" selected>' in linked
    assert 'value="停电"' in linked


def test_a_link_with_unknown_filters_or_markup_is_harmless(
    client: TestClient, tokens: dict[str, str]
) -> None:
    page = _page(
        client, tokens["qa"], q='"><script>alert(1)</script>', kind="poem", category="无此分类"
    )
    assert "<script>alert(1)</script>" not in page
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page
    assert " selected>" not in page  # neither the unknown kind nor the unknown category
    assert 'data-article=""' in _page(client, tokens["qa"], article="12; DROP")
    assert 'data-article="12"' in _page(client, tokens["qa"], article="12")


@pytest.mark.parametrize(
    ("lang", "heading", "button"), [("zh", "知识库", "搜索"), ("en", "Knowledge base", "Search")]
)
def test_the_desk_panel_renders_on_its_own_in_both_languages(
    lang: str, heading: str, button: str
) -> None:
    def t(key: str, **params: object) -> str:
        return translate(lang, key, **params)

    panel = templates.get_template("kb_panel.html").render(t=t)
    assert f"<h2>{heading}</h2>" in panel
    assert f'<button type="submit" id="kbp-submit">{button}</button>' in panel
    for node in ('id="kb-panel"', 'id="kbp-q"', 'id="kbp-hits"', 'id="kbp-article"'):
        assert node in panel
    assert 'href="/kb"' in panel


def test_the_knowledge_base_words_are_complete_and_prefixed() -> None:
    assert set(i18n_kb.ZH) == set(i18n_kb.EN)
    assert all(key.startswith("kb.") for key in i18n_kb.ZH)
    assert all(translate("zh", key) == text for key, text in i18n_kb.ZH.items())
    assert translate("en", "kb.count", n=3) == "3 found"
