"""QA verdicts on order accuracy in the database: every verdict kept, the latest counts,
an order that does not exist refused; SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hotline.orders.accuracy import Verdict
from hotline.orders.errors import NoSuchOrderError
from hotline.orders.service import OrderDesk
from hotline.store.db import Database
from hotline.store.db.orders import Orders
from hotline.store.db.verdicts import OrderVerdicts
from tests.orders.support import Clock, example

FAULT = {
    "customer_name": "张三",
    "phone": "13800138000",
    "address": "解放路 1 号",
    "area": "解放路",
    "area_class": "urban",
    "symptom": "整栋楼停电",
}


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    with Database.open(database_url) as database:
        yield database


def _order(db: Database) -> int:
    desk = OrderDesk(example(), Orders(db), Clock("2026-11-16 09:00"))
    return desk.create("fault_report", FAULT, by="lead").order.id


def test_every_verdict_is_kept_and_the_latest_counts(db: Database) -> None:
    order = _order(db)
    store = OrderVerdicts(db)
    first = store.add(Verdict(order, "content", False, True, "未写明停电范围", "qa", 100.0))
    second = store.add(Verdict(order, "content", True, False, "复听录音：已写明", "qa2", 200.0))
    name = store.add(Verdict(order, "name", False, True, "姓名写错", "qa", 150.0))
    assert first.id is not None
    assert second.id is not None
    assert second.id > first.id
    assert store.latest([order, order + 1]) == {order: {"content": second, "name": name}}
    assert store.history(order) == [name, second, first]
    assert store.latest([]) == {}


def test_a_verdict_on_no_order_is_refused(db: Database) -> None:
    with pytest.raises(NoSuchOrderError):
        OrderVerdicts(db).add(Verdict(4242, "content", False, True, "无此工单", "qa", 1.0))
