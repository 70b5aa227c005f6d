"""The work-order pages (/orders, /orders/{id}, /visits) and the desk's 新建工单 panel, as each
role gets them, in Chinese and English; the orders themselves come from the API (tested there)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from hotline.web import i18n_orders

EVERYONE = ("9001", "lead", "supervisor", "qa", "admin")
MANAGERS = ("lead", "supervisor")


@pytest.fixture(autouse=True)
def _fresh_cookies(client: TestClient) -> None:
    client.cookies.clear()


def _get(client: TestClient, path: str, token: str, **params: str) -> str:
    response = client.get(path, headers={"Authorization": f"Bearer {token}"}, params=params)
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("text/html")
    return response.text


QUERY = {"customer_name": "张三", "phone": "13800138000", "content": "查询上月电费"}


@pytest.fixture
def order(client: TestClient) -> int:
    """An order agent 9001 took (the pages show it to its taker and to the managers)."""
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    return int(runtime.services.orders.create("query", QUERY, by="9001").order.id)


def test_the_catalogues_name_every_word_in_both_languages() -> None:
    assert set(i18n_orders.ZH) == set(i18n_orders.EN)
    assert all(k.startswith(("orders.", "visits.")) for k in i18n_orders.ZH)


@pytest.mark.parametrize("path", ["/orders", "/orders/1", "/visits"])
def test_without_a_session_the_pages_send_the_browser_to_login(
    client: TestClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


@pytest.mark.parametrize("user", EVERYONE)
def test_the_order_list_renders_its_filters_in_chinese_and_english(
    client: TestClient, tokens: dict[str, str], user: str
) -> None:
    page = _get(client, "/orders", tokens[user], state="answered", deadline="overdue")
    assert "<h1>工单</h1>" in page
    assert '<option value="answered" selected>已答复</option>' in page
    assert '<option value="overdue" selected>已超时</option>' in page
    assert '<option value="query">业务查询</option>' in page  # types from orders.yaml
    assert '<option value="fault_report">故障报修</option>' in page
    assert "/static/js/orders.js" in page

    english = _get(client, "/orders", tokens[user], lang="en")
    assert "<h1>Work orders</h1>" in english
    assert '<option value="visited">Visited</option>' in english
    assert '<option value="near">Near</option>' in english


def test_the_detail_offers_assign_and_archive_only_to_managers(
    client: TestClient, tokens: dict[str, str], order: int
) -> None:
    for user in MANAGERS:
        page = _get(client, f"/orders/{order}", tokens[user])
        assert f"<h1>工单 {order}</h1>" in page
        assert f'data-order="{order}"' in page
        assert 'id="btn-assign"' in page
        assert ">交办</button>" in page
        assert ">督办/催办</button>" in page
        assert ">归档</button>" in page
        assert ">重开</button>" in page
        assert ">答复</button>" in page
        assert 'id="visit-form"' in page
        assert '<option value="billing">电费管理中心</option>' in page  # the departments

    agent = _get(client, f"/orders/{order}", tokens["9001"])
    assert ">答复</button>" in agent
    assert 'id="visit-form"' in agent
    assert 'id="btn-assign"' not in agent
    assert 'id="btn-archive"' not in agent

    for reader in ("qa", "admin"):
        page = _get(client, f"/orders/{order}", tokens[reader])
        assert 'id="btn-assign"' not in page
        assert 'id="btn-answer"' not in page
        assert 'id="visit-form"' not in page

    english = _get(client, f"/orders/{order}", tokens["supervisor"], lang="en")
    assert f"<h1>Work order {order}</h1>" in english
    assert ">Assign</button>" in english
    assert ">Archive</button>" in english


def test_an_order_one_may_not_see_or_that_does_not_exist_is_a_console_page(
    client: TestClient, tokens: dict[str, str], order: int
) -> None:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    other = runtime.services.orders.create("query", QUERY, by="lead").order.id
    auth = {"Authorization": f"Bearer {tokens['9001']}"}
    refused = client.get(f"/orders/{other}", headers=auth)  # another's order: 403, not 加载中
    assert refused.status_code == 403
    assert "无权访问" in refused.text
    assert "加载中" not in refused.text
    for missing in ("/orders/999999", "/orders/99999999999999"):
        gone = client.get(missing, headers=auth)
        assert gone.status_code == 404
        assert "页面不存在" in gone.text
    english = client.get("/orders/999999", headers=auth, params={"lang": "en"})
    assert "Page not found" in english.text


@pytest.mark.parametrize("user", ["9001", *MANAGERS])
def test_the_visit_list_renders_for_those_who_visit(
    client: TestClient, tokens: dict[str, str], user: str
) -> None:
    page = _get(client, "/visits", tokens[user])
    assert "<h1>回访任务</h1>" in page
    assert "/static/js/visits.js" in page
    assert "<h1>Return visits</h1>" in _get(client, "/visits", tokens[user], lang="en")


@pytest.mark.parametrize("user", ["qa", "admin"])
def test_readers_may_not_open_the_visit_list(
    client: TestClient, tokens: dict[str, str], user: str
) -> None:
    response = client.get("/visits", headers={"Authorization": f"Bearer {tokens[user]}"})
    assert response.status_code == 403
    assert "无权访问" in response.text
    assert 'href="/board"' in response.text  # back to the reader's own home page


def test_the_menu_links_orders_for_watchers_and_visits_for_agents(
    client: TestClient, tokens: dict[str, str]
) -> None:
    board = _get(client, "/board", tokens["qa"])
    assert 'href="/orders" id="nav-orders"' in board
    assert ">工单</a>" in board
    assert 'id="nav-visits"' not in board
    lead = _get(client, "/board", tokens["lead"])
    assert 'id="nav-orders"' in lead
    assert 'id="nav-visits"' in lead
    desk = _get(client, "/desk", tokens["9001"])
    assert 'href="/visits" id="nav-visits"' in desk
    assert ">回访任务</a>" in desk
    assert 'id="nav-orders"' not in desk
    active = _get(client, "/orders", tokens["supervisor"])
    assert 'href="/orders" id="nav-orders" class="active"' in active


def test_the_desk_has_the_new_order_panel_in_both_languages(
    client: TestClient, tokens: dict[str, str]
) -> None:
    desk = _get(client, "/desk", tokens["9001"])
    assert 'id="order-new-panel" hidden' in desk  # shown by the script once a call talks
    assert "<h2>新建工单</h2>" in desk
    assert ">提交工单</button>" in desk
    assert desk.index("/static/js/orders_new.js") < desk.index("/static/js/desk.js")
    english = _get(client, "/desk", tokens["9001"], lang="en")
    assert "<h2>New work order</h2>" in english
    assert ">Submit order</button>" in english
