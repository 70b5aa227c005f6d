"""GET /api/order-accuracy: the QA inspector's order-accuracy figure, by hand."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from hotline.api import create_app
from hotline.api.routers import order_accuracy, orders
from hotline.live import LiveHotline
from tests.api.conftest import login
from tests.orders.test_api import agent, create, runtime  # noqa: F401 - fixtures

QUERY = {"customer_name": "赵六", "phone": "13600136000", "content": "询问电费为何上涨"}


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
