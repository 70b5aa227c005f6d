"""The console pages as each role gets them: who may open which page, in which language."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from hotline.api.users import create_user
from tests.web.conftest import PASSWORD

PAGES = ("/", "/desk", "/board", "/admin")
WATCHERS = ("supervisor", "lead", "qa", "admin")


@pytest.fixture(autouse=True)
def _fresh_cookies(client: TestClient) -> None:
    """Each test starts without cookies (the language choice, a session) from the one before."""
    client.cookies.clear()


def _get(client: TestClient, path: str, token: str | None = None, **params: str) -> str:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.get(path, headers=headers, params=params)
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("text/html")
    return response.text


@pytest.mark.parametrize("path", PAGES)
def test_without_a_session_every_page_sends_the_browser_to_login(
    client: TestClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


def test_a_forged_session_cookie_counts_as_no_session(client: TestClient) -> None:
    response = client.get("/board", headers={"Cookie": "hotline_session=v1.e30.forged"})
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


@pytest.mark.parametrize(
    ("user", "home"),
    [
        ("9001", "/desk"),
        ("supervisor", "/board"),
        ("lead", "/board"),
        ("qa", "/board"),
        ("admin", "/board"),
    ],
)
def test_the_root_sends_each_role_to_its_home_page(
    client: TestClient, tokens: dict[str, str], user: str, home: str
) -> None:
    response = client.get("/", headers={"Authorization": f"Bearer {tokens[user]}"})
    assert response.status_code == 303
    assert response.headers["location"] == home


def test_the_login_page_is_chinese_by_default_and_english_on_request(client: TestClient) -> None:
    page = _get(client, "/login")
    assert '<html lang="zh-CN"' in page
    assert "登录热线服务平台" in page
    assert "用户名 / 工号" in page
    assert "/static/js/login.js" in page
    english = _get(client, "/login", lang="en")
    assert '<html lang="en"' in english
    assert "Log in to the hotline platform" in english
    assert "登录热线服务平台" not in english


def test_the_language_switch_is_remembered_in_a_cookie(client: TestClient) -> None:
    response = client.get("/login", params={"lang": "en"})
    assert response.cookies.get("lang") == "en"
    again = client.get("/login", headers={"Cookie": "lang=en"})
    assert "Log in to the hotline platform" in again.text
    assert "lang=" not in again.headers.get("set-cookie", "")  # already chosen: not set again
    still = client.get("/login", params={"lang": "fr"})  # unknown: the remembered choice stands
    assert "Log in to the hotline platform" in still.text
    client.cookies.clear()
    unknown = client.get("/login", params={"lang": "fr"})
    assert "登录热线服务平台" in unknown.text
    assert "set-cookie" not in unknown.headers


def test_the_agent_desk_shows_the_seat_its_buttons_and_the_scripts(
    client: TestClient, tokens: dict[str, str]
) -> None:
    page = _get(client, "/desk", tokens["9001"])
    assert 'data-agent="9001"' in page
    for label in ("坐席工作台", "签入", "示闲", "示忙", "小休", "离开", "签出"):
        assert label in page
    for label in ("来电弹屏", "接听", "保持", "取回", "转接", "挂断", "事后处理", "完成"):
        assert label in page
    assert "暂无工单" in page  # open work orders: none yet
    assert "开头语" in page
    assert "结束语" in page
    assert "我是9001号客服代表" in page  # SPEC §3 greeting until the live desk arrives
    # reasons an agent may pick (routing.model.AGENT_REASONS), not the engine's own
    assert '<option value="break">小休</option>' in page
    assert '<option value="training">培训</option>' in page
    assert 'value="missed"' not in page
    assert 'value="supervisor"' not in page
    # blind transfer to any queue, the shift lead's included
    assert '<option value="shift_lead">值班长 (升级与转接)</option>' in page
    assert "客服代表" in page  # the role in the top bar
    assert 'href="/board"' not in page
    assert 'href="/admin"' not in page


def test_the_agent_desk_in_english(client: TestClient, tokens: dict[str, str]) -> None:
    page = _get(client, "/desk", tokens["9001"], lang="en")
    for label in ("Agent desk", "Log in", "Ready", "Not ready", "Answer", "Hang up", "Transfer"):
        assert label in page
    assert "No work orders" in page
    assert "This is agent 9001" in page


@pytest.mark.parametrize("user", WATCHERS)
def test_the_desk_is_refused_to_roles_without_a_seat(
    client: TestClient, tokens: dict[str, str], user: str
) -> None:
    response = client.get("/desk", headers={"Authorization": f"Bearer {tokens[user]}"})
    assert response.status_code == 403
    assert "无权访问" in response.text
    assert 'href="/board"' in response.text  # back to their own home page
    assert "签入" not in response.text


@pytest.mark.parametrize("user", WATCHERS)
def test_the_wallboard_for_every_watcher(
    client: TestClient, tokens: dict[str, str], user: str
) -> None:
    page = _get(client, "/board", tokens[user])
    for label in ("实时监控", "排队数", "最长等待", "接通", "放弃", "服务水平", "坐席状态", "告警"):
        assert label in page
    assert "今日半小时话务量" in page
    assert "/static/vendor/echarts.min.js" in page
    assert "图表组件未安装" in page  # shown by the script only when ECharts is missing
    # only the supervisor and the administrator may change the demo's speed
    assert ('<button type="button" data-speed="60"' in page) is (user in ("supervisor", "admin"))


def test_the_wallboard_lists_waiting_callers_masked_and_lets_leads_force_states(
    client: TestClient, tokens: dict[str, str]
) -> None:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    call = runtime.call_in("13912345678")
    for _ in range(120):  # through the IVR into a queue where no agent is signed in
        waiting = [q for q in runtime.board().queues if q.waiting_calls]
        if waiting:
            break
        runtime.advance(1)
    assert [c.call for q in waiting for c in q.waiting_calls] == [call]
    for user in ("supervisor", "lead", "qa"):
        page = _get(client, "/board", tokens[user])
        assert f'data-call="{call}"' in page
        assert "139****5678" in page
        assert "13912345678" not in page  # no role reads a number in clear on the wallboard
        assert ('id="force"' in page) is (user in ("supervisor", "lead"))
        assert ("点击坐席可设置其状态" in page) is (user in ("supervisor", "lead"))
    api = client.get("/api/board", headers={"Authorization": f"Bearer {tokens['qa']}"}).json()
    listed = [c for q in api["queues"] for c in q["waiting_calls"]]
    assert [(c["call"], c["caller"]) for c in listed] == [(call, "139****5678")]


def test_the_wallboard_in_english(client: TestClient, tokens: dict[str, str]) -> None:
    page = _get(client, "/board", tokens["supervisor"], lang="en")
    for label in ("Wallboard", "Waiting", "Longest wait", "Service level", "Alerts"):
        assert label in page


def test_the_wallboard_is_refused_to_agents(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.get("/board", headers={"Authorization": f"Bearer {tokens['9001']}"})
    assert response.status_code == 403
    assert 'href="/desk"' in response.text
    assert "排队数" not in response.text


def test_administration_lists_the_configuration_the_hotline_runs(
    client: TestClient, tokens: dict[str, str]
) -> None:
    page = _get(client, "/admin", tokens["admin"])
    assert "系统管理" in page
    for title in ("故障报修", "业务查询与咨询", "VIP专席 (绿色通道)", "值班长 (升级与转接)"):
        assert title in page  # queues
    assert "最长空闲" in page  # a strategy, translated
    for tier in ("高端", "红名单", "中端", "普通", "黑名单"):
        assert tier in page
    assert "目标 90% / 20 秒" in page  # the VIP service-level goal (SPEC §2)
    assert "24 小时内回呼" in page  # middle tier called back within 24 h
    assert "坐席9001" in page  # the seats of hotline.yaml
    assert '<option value="hotline.yaml">' in page
    assert '<option value="ivr/main.yaml">' in page
    english = _get(client, "/admin", tokens["admin"], lang="en")
    assert "Administration" in english
    assert "Validate and save" in english


@pytest.mark.parametrize("user", ["9001", "supervisor", "lead", "qa"])
def test_administration_is_for_the_administrator_only(
    client: TestClient, tokens: dict[str, str], user: str
) -> None:
    response = client.get("/admin", headers={"Authorization": f"Bearer {tokens[user]}"})
    assert response.status_code == 403
    assert 'id="doc-text"' not in response.text
    assert "故障报修" not in response.text


def test_the_top_bar_names_the_user_their_role_and_their_pages(
    client: TestClient, tokens: dict[str, str]
) -> None:
    page = _get(client, "/board", tokens["lead"])
    assert "lead 用户" in page
    assert "值班长" in page
    assert 'id="logout"' in page
    assert 'class="active">实时监控' in page
    assert 'href="/admin"' not in page
    assert 'href="/admin"' in _get(client, "/board", tokens["admin"])


def test_a_display_name_is_shown_as_text_never_as_markup(client: TestClient) -> None:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    create_user(runtime.services.users, "qa2", PASSWORD, "qa", display_name="<script>x()</script>")
    login = client.post("/api/auth/login", json={"username": "qa2", "password": PASSWORD})
    page = _get(client, "/board", login.json()["token"])
    assert "<script>x()</script>" not in page
    assert "&lt;script&gt;x()&lt;/script&gt;" in page


@pytest.mark.parametrize(
    "path", ["/static/css/console.css", "/static/js/console.js", "/static/js/desk.js"]
)
def test_the_console_serves_its_own_files(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert len(response.content) > 500


def test_an_unknown_page_is_a_console_page_in_the_users_language(
    client: TestClient, tokens: dict[str, str]
) -> None:
    headers = {"Authorization": f"Bearer {tokens['supervisor']}"}
    page = client.get("/no-such-page/<b>x</b>", headers=headers)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "页面不存在" in page.text
    assert "没有这个页面：/no-such-page/&lt;b&gt;x&lt;/b&gt;" in page.text  # escaped
    assert 'href="/board"' in page.text  # back to the supervisor's home, with the menu
    english = client.get("/no-such-page", headers=headers, params={"lang": "en"})
    assert "Page not found" in english.text
    client.cookies.clear()
    anonymous = client.get("/no-such-page")
    assert anonymous.status_code == 404
    assert "去登录" in anonymous.text
    api = client.get("/api/no-such-route", headers=headers)
    assert (api.status_code, api.json()["error"]) == (404, "not-found")  # the API keeps JSON
