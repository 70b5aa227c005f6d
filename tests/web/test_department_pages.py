"""The department's pages (我的部门工单, an order's 跟进) and the shift lead's 新建工单 without a
call, as each role gets them; the orders themselves come from the API (tested there)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from hotline.api.users import create_user
from hotline.app import build_app
from hotline.live import DemoSettings, LiveHotline
from hotline.web import i18n_department
from tests.web.conftest import PASSWORD, QUIET

USERS = {"lead": "shift_lead", "supervisor": "supervisor", "9001": "agent", "qa": "qa"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("department") / "web.db"
    runtime = LiveHotline.demo(
        DemoSettings(db_url=f"sqlite:///{db}", scenario=QUIET, speed=0.0, traffic=False)
    )
    users = runtime.services.users
    for username, role in USERS.items():
        create_user(users, username, PASSWORD, role)
    create_user(users, "qiangxiu", PASSWORD, "department", department="repair")
    with TestClient(build_app(runtime), follow_redirects=False) as test_client:
        yield test_client


def _response(client: TestClient, path: str, username: str) -> Response:
    client.cookies.clear()
    login = {"username": username, "password": PASSWORD}
    token = client.post("/api/auth/login", json=login).json()["token"]
    client.cookies.clear()
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


def _get(client: TestClient, path: str, username: str) -> tuple[int, str]:
    response = _response(client, path, username)
    return response.status_code, response.text


def test_both_languages_have_every_word() -> None:
    assert set(i18n_department.ZH) == set(i18n_department.EN)


def test_a_department_lands_on_its_orders(client: TestClient) -> None:
    home = _response(client, "/", "qiangxiu")
    assert (home.status_code, home.headers["location"]) == (303, "/orders/department")
    status, page = _get(client, "/orders/department", "qiangxiu")
    assert status == 200
    assert "我的部门工单" in page
    assert "抢修班：交办给本部门的工单" in page
    assert 'id="nav-calls"' not in page  # the center's pages are not theirs
    for path in ("/orders", "/desk", "/board", "/customers", "/orders/new"):
        assert _get(client, path, "qiangxiu")[0] == 403, path
    assert _get(client, "/orders/department", "lead")[0] == 403


QUERY = {"customer_name": "张三", "phone": "13800138000", "content": "查询上月电费"}


def test_the_order_page_offers_follow_up_to_the_department(client: TestClient) -> None:
    orders = client.app.state.runtime.services.orders  # type: ignore[attr-defined]
    taken = orders.create("query", QUERY, by="9001").order.id
    orders.assign(taken, "repair", by="lead")
    status, page = _get(client, f"/orders/{taken}", "qiangxiu")
    assert status == 200
    assert 'id="follow-up-form"' in page
    assert "发生时间" in page
    assert 'id="btn-answer"' in page
    assert 'id="btn-assign"' not in page
    assert 'href="/orders/department"' in page
    agent = _get(client, f"/orders/{taken}", "9001")[1]
    assert 'id="follow-up-form"' not in agent


@pytest.mark.parametrize("username", ["lead", "supervisor"])
def test_the_lead_records_an_order_without_a_call(client: TestClient, username: str) -> None:
    status, page = _get(client, "/orders/new", username)
    assert status == 200
    assert 'id="nav-orders-new"' in page
    for source in ("来信", "来访", "网站", "电话"):
        assert f">{source}</option>" in page
    assert "/static/js/orders_new.js" in page


@pytest.mark.parametrize("username", ["9001", "qa"])
def test_others_may_not_record_one(client: TestClient, username: str) -> None:
    assert _get(client, "/orders/new", username)[0] == 403
