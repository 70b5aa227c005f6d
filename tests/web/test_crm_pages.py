"""The customer pages (/customers, /customers/{id}, /customers/import) per role and language."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from hotline.web import i18n_crm
from hotline.web.i18n import translate

READERS = ("lead", "qa", "supervisor", "admin")
LIST_KEEPERS = ("lead", "supervisor")
IMPORTERS = ("supervisor", "admin")


@pytest.fixture(autouse=True)
def _fresh_cookies(client: TestClient) -> None:
    client.cookies.clear()


def _get(client: TestClient, token: str, path: str, **params: str) -> tuple[int, str]:
    response = client.get(path, headers={"Authorization": f"Bearer {token}"}, params=params)
    return response.status_code, response.text


@pytest.mark.parametrize("path", ["/customers", "/customers/1", "/customers/import"])
def test_without_a_session_the_pages_send_the_browser_to_login(
    client: TestClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


@pytest.mark.parametrize("user", READERS)
def test_the_list_in_chinese_and_english(
    client: TestClient, tokens: dict[str, str], user: str
) -> None:
    status, page = _get(client, tokens[user], "/customers")
    assert status == 200, page[:300]
    assert "<h1>客户</h1>" in page
    assert 'id="crm-q"' in page
    assert ">高端</option>" in page
    assert ">黑名单</option>" in page
    assert '<a href="/customers" id="nav-customers" class="active">客户</a>' in page
    assert "/static/js/customers.js" in page
    assert ('href="/customers/import"' in page) is (user in IMPORTERS)
    status, english = _get(client, tokens[user], "/customers", lang="en")
    assert status == 200
    assert "<h1>Customers</h1>" in english
    assert ">Red list</option>" in english
    assert "All tiers" in english
    assert "高端" not in english


@pytest.mark.parametrize("user", READERS)
def test_the_customer_page_and_who_gets_the_list_form(
    client: TestClient, tokens: dict[str, str], user: str
) -> None:
    status, page = _get(client, tokens[user], "/customers/7")
    assert status == 200, page[:300]
    assert 'data-customer="7"' in page
    for node in ("crm-facts", "crm-scoring", "crm-hints", "crm-list-history", "crm-contacts"):
        assert f'id="{node}"' in page
    assert "服务提示" in page
    assert "接触历史" in page
    assert "生命周期" in page
    assert "/static/js/customers_detail.js" in page
    assert ('id="crm-list-form"' in page) is (user in LIST_KEEPERS)
    status, english = _get(client, tokens[user], "/customers/7", lang="en")
    assert status == 200
    assert "Contact history" in english
    assert "Tier and score" in english


@pytest.mark.parametrize("user", IMPORTERS)
def test_the_import_page_for_admin_and_supervisor(
    client: TestClient, tokens: dict[str, str], user: str
) -> None:
    status, page = _get(client, tokens[user], "/customers/import")
    assert status == 200, page[:300]
    assert 'id="crm-file"' in page
    assert 'type="file"' in page
    assert 'id="crm-rejected"' in page
    assert "行号" in page
    assert "导入报告" in page
    assert "/static/js/customers_import.js" in page
    status, english = _get(client, tokens[user], "/customers/import", lang="en")
    assert "Import report" in english
    assert "Rejected rows" in english


@pytest.mark.parametrize(
    ("user", "path"),
    [
        ("9001", "/customers"),
        ("9001", "/customers/1"),
        ("9001", "/customers/import"),
        ("lead", "/customers/import"),
        ("qa", "/customers/import"),
    ],
)
def test_forbidden_roles_get_the_403_page(
    client: TestClient, tokens: dict[str, str], user: str, path: str
) -> None:
    status, page = _get(client, tokens[user], path)
    assert status == 403
    assert "无权访问" in page
    assert 'id="crm-' not in page


@pytest.mark.parametrize("user", ["9001", *READERS])
def test_the_nav_link_only_for_those_who_may_search(
    client: TestClient, tokens: dict[str, str], user: str
) -> None:
    home = "/desk" if user.isdigit() else "/board"
    _, page = _get(client, tokens[user], home)
    assert ('id="nav-customers"' in page) is (user in READERS)


def test_a_link_with_unknown_filters_or_markup_is_harmless(
    client: TestClient, tokens: dict[str, str]
) -> None:
    _, page = _get(
        client, tokens["qa"], "/customers", q='"><script>x</script>', tier="vip", list_mark="grey"
    )
    assert "<script>x</script>" not in page
    assert " selected>" not in page
    _, linked = _get(client, tokens["qa"], "/customers", q="胡霞", tier="high", list_mark="red")
    assert '<option value="high" selected>' in linked
    assert '<option value="red" selected>' in linked
    assert 'value="胡霞"' in linked


def test_the_import_through_the_api_reports_rows_the_page_shows(
    client: TestClient, tokens: dict[str, str]
) -> None:
    csv = (
        "户号,户名,联系电话,欠费\nWEB-0001,测试甲,13800138000,12.5\nWEB-0002,测试乙,12345,0\n"
    ).encode()
    response = client.post(
        "/api/crm/import",
        files={"file": ("c.csv", csv, "text/csv")},
        headers={"Authorization": f"Bearer {tokens['supervisor']}"},
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["created"] == 1
    assert [(p["row"], p["column"]) for p in report["rejected"]] == [(3, "联系电话")]


def test_the_crm_words_are_complete_and_prefixed() -> None:
    assert set(i18n_crm.ZH) == set(i18n_crm.EN)
    assert all(key.startswith("crm.") for key in i18n_crm.ZH)
    assert all(translate("zh", key) == text for key, text in i18n_crm.ZH.items())
    assert translate("en", "crm.count", n=3) == "3 found"
