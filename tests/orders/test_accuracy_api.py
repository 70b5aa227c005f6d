"""The order-accuracy API: the QA inspector's figure by hand, each type's own content field
read, and the QA verdicts (质检改判) — who may give them, what is refused, the audit row,
the figure they change."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hotline.api import create_app
from hotline.api.routers import order_accuracy, orders
from hotline.live import LiveHotline
from tests.api.conftest import login
from tests.orders.test_api import agent, create, runtime  # noqa: F401 - fixtures

QUERY = {"customer_name": "赵六", "phone": "13600136000", "content": "询问电费为何上涨"}
FAULT = {
    "customer_name": "赵六",
    "phone": "13600136000",
    "address": "解放路8号3单元",
    "area": "解放路",
    "area_class": "urban",
    "symptom": "单户停电，邻居家有电",  # the fault's content: it has no `content` field
}


@pytest.fixture
def client(runtime: LiveHotline) -> Iterator[TestClient]:  # noqa: F811 - with this router too
    app = create_app(runtime, secret="test-secret")
    app.include_router(orders.router)
    app.include_router(order_accuracy.router)
    with TestClient(app) as client:
        yield client


def test_accuracy_counts_each_wrong_key_field(
    client: TestClient,
    runtime: LiveHotline,  # noqa: F811
    agent: dict[str, str],  # noqa: F811 - on a call from 13600136000
) -> None:
    assert create(client, agent, "query", QUERY).status_code == 201
    short = dict(QUERY, content="电费")  # too short to say what was asked
    assert create(client, agent, "query", short).status_code == 201
    qa = login(client, "qa")
    figure = client.get("/api/order-accuracy", headers=qa).json()
    assert (figure["orders"], figure["correct"]) == (2, 1)
    assert figure["query_key_field_rate"] == pytest.approx(9 / 10)
    assert figure["wrong_fields"]["content"] == 1
    assert [list(o["wrong"]) for o in figure["wrong_orders"]] == [["content"]]
    assert client.get("/api/order-accuracy", headers=agent).status_code == 403
    # the reports count the same checks into the order-accuracy figure (受理工单正确率);
    # a report of today runs up to now, and the paused clock stands at the orders' time
    runtime.clock.run(until=runtime.now() + 60)
    report = client.get("/api/reports/figures", params={"by": "day"}, headers=qa).json()
    assert report["current"]["total"]["values"]["order_accuracy"] == pytest.approx(1 / 2)


def test_the_period_is_the_hotlines_local_days(
    client: TestClient,
    runtime: LiveHotline,  # noqa: F811
    agent: dict[str, str],  # noqa: F811
) -> None:
    """The page opens on the last 30 days of the hotline's clock (not the browser's), the
    chosen days are local days with the last included, and a bad day names the parameter."""
    assert create(client, agent, "query", QUERY).status_code == 201
    qa = login(client, "qa")
    zone = runtime.hotline.timezone
    today = datetime.datetime.fromtimestamp(runtime.now(), zone).date()
    figure = client.get("/api/order-accuracy", headers=qa).json()
    month_ago = today - datetime.timedelta(days=29)
    assert (figure["from"], figure["to"], figure["orders"]) == (
        month_ago.isoformat(),
        today.isoformat(),
        1,
    )
    day = {"from": today.isoformat(), "to": today.isoformat()}
    assert client.get("/api/order-accuracy", params=day, headers=qa).json()["orders"] == 1
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    before = {"from": yesterday, "to": yesterday}
    assert client.get("/api/order-accuracy", params=before, headers=qa).json()["orders"] == 0
    wrong = client.get("/api/order-accuracy", params={"from": "2026-13-01"}, headers=qa)
    assert wrong.status_code == 422
    assert wrong.json()["field"] == "query.from"
    swapped = {"from": today.isoformat(), "to": yesterday}
    backwards = client.get("/api/order-accuracy", params=swapped, headers=qa)
    assert (backwards.status_code, backwards.json()["field"]) == (422, "query.to")


def _verdict(
    client: TestClient, headers: dict[str, str], order: int, field: str, correct: bool, reason: str
) -> Any:
    return client.post(
        f"/api/order-accuracy/orders/{order}/verdicts",
        json={"field": field, "correct": correct, "reason": reason},
        headers=headers,
    )


def test_a_fault_report_is_checked_on_its_symptom(
    client: TestClient,
    agent: dict[str, str],  # noqa: F811
) -> None:
    fault = create(client, agent, "fault_report", FAULT)
    assert fault.status_code == 201
    qa = login(client, "qa")
    figure = client.get("/api/order-accuracy", headers=qa).json()
    assert (figure["orders"], figure["correct"], figure["wrong_orders"]) == (1, 1, [])
    items = client.get(f"/api/order-accuracy/orders/{fault.json()['id']}", headers=qa).json()
    content = next(i for i in items["items"] if i["field"] == "content")
    assert (content["source"], content["source_label"]) == ("symptom", "故障现象")
    assert (content["automatic"], content["problem"], content["correct"]) == (True, "", True)
    assert items["type_label"] == "故障报修"


def test_qa_overrules_a_verdict_and_the_figure_follows(
    client: TestClient,
    runtime: LiveHotline,  # noqa: F811
    agent: dict[str, str],  # noqa: F811 - on a call from 13600136000
) -> None:
    fault = create(client, agent, "fault_report", FAULT).json()["id"]
    query = create(client, agent, "query", QUERY).json()["id"]
    qa = login(client, "qa")
    before = client.get("/api/order-accuracy", headers=qa).json()
    assert (before["orders"], before["correct"], before["other_rate"]) == (2, 2, 1.0)

    # only the QA inspector gives verdicts; the reason is required, naming the item
    assert _verdict(client, agent, fault, "content", False, "太短").status_code == 403
    supervisor = login(client, "supervisor")
    assert _verdict(client, supervisor, fault, "content", False, "太短").status_code == 403
    missing = _verdict(client, qa, fault, "content", False, "  ")
    assert missing.status_code == 422
    assert missing.json()["field"] == "body.reason"
    assert missing.json()["message"] == "改判理由（受理内容（故障现象））：必填，请写明为何改判"
    same = _verdict(client, qa, fault, "content", True, "确认无误")
    assert (same.status_code, same.json()["field"]) == (422, "body.correct")
    unknown = _verdict(client, qa, fault, "address", False, "地址不全")
    assert (unknown.status_code, unknown.json()["field"]) == (422, "body.field")
    assert _verdict(client, qa, 999_999, "content", False, "无此工单").status_code == 404
    assert client.get("/api/order-accuracy/orders/999999", headers=qa).status_code == 404

    # 故障现象 judged wrong: the fault order is no longer correct
    reason = "未写明是否整栋停电"
    answer = _verdict(client, qa, fault, "content", False, reason)
    assert answer.status_code == 201, answer.text
    content = next(i for i in answer.json()["items"] if i["field"] == "content")
    assert (content["automatic"], content["correct"]) == (True, False)
    assert content["verdict"]["by"] == "qa"
    assert (content["verdict"]["was"], content["verdict"]["reason"]) == (True, reason)
    rows = runtime.services.audit.list(action="order.accuracy_verdict")
    assert len(rows) == 1
    assert (rows[0].username, rows[0].role, rows[0].subject_type) == ("qa", "qa", "order")
    assert rows[0].subject_id == str(fault)
    assert rows[0].detail == {
        "field": "content",
        "from": True,
        "to": False,
        "reason": reason,
        "verdict": content["verdict"]["id"],
    }
    figure = client.get("/api/order-accuracy", headers=qa).json()
    # by hand: 2 orders, the fault one now wrong → 1/2; the other types 0/1; the query 5/5
    assert (figure["orders"], figure["correct"], figure["rate"]) == (2, 1, 0.5)
    assert (figure["other_rate"], figure["query_key_field_rate"]) == (0.0, 1.0)
    assert figure["wrong_fields"]["content"] == 1
    assert [(o["order"], o["wrong"]) for o in figure["wrong_orders"]] == [
        (fault, {"content": "qa"})
    ]
    assert [o["order"] for o in figure["reviewed_orders"]] == [fault]

    # the query's name judged wrong, then right again: the latest wins, both are kept
    assert _verdict(client, qa, query, "name", False, "姓名与户主不符").status_code == 201
    figure = client.get("/api/order-accuracy", headers=qa).json()
    assert figure["query_key_field_rate"] == pytest.approx(4 / 5)
    again = _verdict(client, qa, query, "name", True, "复核：户主已更名")
    assert again.status_code == 201
    assert [v["reason"] for v in again.json()["history"]] == ["复核：户主已更名", "姓名与户主不符"]
    figure = client.get("/api/order-accuracy", headers=qa).json()
    assert (figure["correct"], figure["query_key_field_rate"]) == (1, 1.0)

    # the reports count the verdicts too
    runtime.clock.run(until=runtime.now() + 60)
    report = client.get("/api/reports/figures", params={"by": "day"}, headers=qa).json()
    assert report["current"]["total"]["values"]["order_accuracy"] == pytest.approx(1 / 2)
