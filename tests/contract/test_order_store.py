"""The `OrderStore` port's contract (`hotline.orders.service`), run against every adapter:
`hotline.store.db.orders.Orders` on SQLite and on PostgreSQL (`database_url`).

The tests speak to the port only: orders made by the pure transitions of
`hotline.orders.lifecycle`, saved as `Change`s, read back with `get`, `list`,
`open_orders`, `answered`, `visits_of`, `due_visits` and `expedites`. What the desk
builds on top is tested in tests/orders.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest

from hotline.orders import lifecycle, visits
from hotline.orders.errors import StaleOrderError
from hotline.orders.model import (
    Change,
    Expedite,
    ExpediteStatus,
    Order,
    OrderFilter,
    OrderState,
    VisitStatus,
)
from hotline.orders.service import OrderStore
from hotline.store.db import Database, EventLog
from hotline.store.db.orders import Orders
from tests.orders.support import calendar, example, ts

QUERY = {
    "customer_name": "张三",
    "phone": "13800138000",
    "content": "电费为何比上月高出一倍？",
    "customer_type": "resident",
}
FAULT = {
    "customer_name": "李四",
    "phone": "13700137000",
    "address": "长宁路 1 号",
    "area": "s1",
    "area_class": "urban",
    "symptom": "整栋楼停电",
}


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    with Database.open(database_url) as database:
        yield database


@pytest.fixture
def store(db: Database) -> OrderStore:
    return Orders(db)


def new(type_name: str = "query", at: str = "2026-11-16 09:00", **extra: Any) -> Order:
    """A new order as the desk's 受理 makes it (not yet saved: id 0)."""
    fields = QUERY if type_name == "query" else FAULT
    kind = example().types[type_name]
    return lifecycle.new_order(kind, type_name, fields, by="9001", at=ts(at), **extra)


def created(store: OrderStore, type_name: str = "query", **extra: Any) -> Order:
    order = new(type_name, **extra)
    return store.save(Change(order, 0, len(order.steps))).order


def changed(store: OrderStore, before: Order, after: Order) -> Order:
    """Save `after`, made from the stored `before` by one transition."""
    return store.save(Change(after, before.version, len(after.steps) - len(before.steps))).order


def test_a_new_order_reads_back_as_saved_with_its_id_and_first_version(store: OrderStore) -> None:
    order = new(caller="13800138000", call="c17", note="客户来电咨询")
    outcome = store.save(Change(order, 0, len(order.steps)))
    saved = outcome.order
    assert saved.id > 0
    assert saved == dataclasses.replace(order, id=saved.id, version=1)
    assert store.get(saved.id) == saved
    second = created(store, "fault_report")
    assert second.id != saved.id
    assert store.get(saved.id) == saved  # each order keeps its own timeline


def test_an_unknown_order_is_none(store: OrderStore) -> None:
    assert store.get(1) is None
    saved = created(store)
    assert store.get(saved.id + 1) is None


def test_each_save_adds_the_new_steps_and_moves_the_version_on(store: OrderStore) -> None:
    first = created(store)
    assigned = changed(
        store, first, lifecycle.assign(first, "billing", by="lead", at=ts("2026-11-16 09:30"))
    )
    assert (assigned.version, assigned.state, assigned.department) == (
        2,
        OrderState.ASSIGNED,
        "billing",
    )
    expected = lifecycle.pause(assigned, by="lead", at=ts("2026-11-16 10:00"))
    paused = changed(store, assigned, expected)
    assert paused == dataclasses.replace(expected, version=3)
    assert paused.steps[:2] == assigned.steps  # earlier steps are never rewritten
    assert store.get(first.id) == paused


def test_a_change_from_a_stale_copy_is_refused_and_writes_nothing(
    store: OrderStore, db: Database
) -> None:
    first = created(store)
    changed(store, first, lifecycle.assign(first, "billing", by="lead", at=ts("2026-11-16 09:10")))
    logged = EventLog(db).count()
    stale = lifecycle.assign(first, "marketing", by="other", at=ts("2026-11-16 09:20"))
    with pytest.raises(StaleOrderError):
        store.save(Change(stale, first.version, 1))
    with pytest.raises(StaleOrderError):  # the version decides, also for a change of no step
        store.save(Change(first, first.version, 0))
    kept = store.get(first.id)
    assert kept is not None
    assert (kept.version, kept.department, len(kept.steps)) == (2, "billing", 2)
    assert EventLog(db).count() == logged  # nor its event


def test_the_events_returned_are_already_in_the_log(store: OrderStore, db: Database) -> None:
    first = store.save(Change(new(), 0, 1))
    after = lifecycle.assign(first.order, "billing", by="lead", at=ts("2026-11-16 09:30"))
    second = store.save(Change(after, first.order.version, 1))
    kinds = [e.kind for e in first.events + second.events]
    assert kinds == ["order.created", "order.assigned"]
    assert list(EventLog(db).events()) == first.events + second.events


def test_open_and_answered_orders_are_listed_by_state_and_type(store: OrderStore) -> None:
    waiting = created(store)
    at = ts("2026-11-16 11:00")
    answered = created(store)
    answered = changed(store, answered, lifecycle.assign(answered, "billing", by="lead", at=at))
    answered = changed(store, answered, lifecycle.answer(answered, by="lead", at=at + 60))
    fault = created(store, "fault_report")
    fault = changed(store, fault, lifecycle.assign(fault, "repair", by="lead", at=at))
    fault = changed(store, fault, lifecycle.answer(fault, by="lead", at=at + 60))
    visited = changed(
        store, fault, lifecycle.visit(fault, score=5, opinion="满意", by="9001", at=at + 120)
    )
    assert visited.state is OrderState.VISITED  # no longer open
    assert sorted(o.id for o in store.open_orders()) == sorted([waiting.id, answered.id])
    assert [o.id for o in store.answered("query")] == [answered.id]
    assert store.answered("fault_report") == []
    assert all(o.state is OrderState.ANSWERED for o in store.answered("query"))


def test_a_visit_saved_with_a_change_reads_back_with_its_order(store: OrderStore) -> None:
    order = created(store)
    at = ts("2026-11-16 15:00")
    order = changed(store, order, lifecycle.assign(order, "billing", by="lead", at=at - 600))
    after = lifecycle.answer(order, by="lead", at=at)
    plan = visits.plan_visit(after, example(), calendar(), answered_at=at, at=at)
    answered = store.save(Change(after, order.version, 1, visits=(plan,))).order
    (due,) = store.visits_of(answered.id)
    assert due.id > 0
    assert due == dataclasses.replace(plan, id=due.id, order=answered.id)
    done = dataclasses.replace(
        due,
        status=VisitStatus.DONE,
        done_at=at + 3600,
        done_by="9001",
        opinion="满意",
        score=5,
        satisfied=True,
    )
    visited = lifecycle.visit(answered, score=5, opinion="满意", by="9001", at=at + 3600)
    store.save(Change(visited, answered.version, 1, visit_done=done))
    assert store.visits_of(answered.id) == [done]
    assert store.visits_of(answered.id + 1) == []


def test_list_filters_and_pages_newest_first(store: OrderStore) -> None:
    first = created(store, caller="13800138000", call="c1")
    second = created(store, "fault_report", at="2026-11-16 10:00", call="c2")
    second = changed(
        store, second, lifecycle.assign(second, "repair", by="lead", at=ts("2026-11-16 10:05"))
    )
    third = store.save(Change(new(at="2026-11-16 11:00", caller="13700137000"), 0, 1)).order
    other = new(at="2026-11-16 12:00")
    fourth = store.save(Change(dataclasses.replace(other, created_by="9002"), 0, 1)).order

    def ids(**where: Any) -> list[int]:
        return [o.id for o in store.list(OrderFilter(**where))]

    assert [o.id for o in store.list()] == [fourth.id, third.id, second.id, first.id]
    assert store.list()[2] == second  # each with its timeline
    assert ids(type="query") == [fourth.id, third.id, first.id]
    assert ids(states=[OrderState.ASSIGNED]) == [second.id]
    assert ids(states=[OrderState.ACCEPTED, OrderState.ASSIGNED], type="fault_report") == [
        second.id
    ]
    assert ids(department="repair") == [second.id]
    assert ids(created_by="9002") == [fourth.id]
    assert ids(caller="13800138000") == [first.id]
    assert ids(call="c2") == [second.id]
    window = {"created_from": ts("2026-11-16 10:00"), "created_to": ts("2026-11-16 12:00")}
    assert ids(**window) == [third.id, second.id]  # the start counts, the end does not
    assert ids(limit=2) == [fourth.id, third.id]
    assert ids(limit=2, offset=2) == [second.id, first.id]
    assert ids(type="complaint") == []


def test_due_visits_come_earliest_first_until_they_are_done(store: OrderStore) -> None:
    at = ts("2026-11-16 15:00")
    planned = []
    for hours in (2, 0, 1):  # answered in this order: the visits are due in another
        order = created(store)
        order = changed(store, order, lifecycle.assign(order, "billing", by="lead", at=at))
        answered_at = at + hours * 3600
        after = lifecycle.answer(order, by="lead", at=answered_at)
        plan = visits.plan_visit(after, example(), calendar(), answered_at=answered_at, at=at)
        saved = store.save(Change(after, order.version, 1, visits=(plan,))).order
        planned.append((plan.scheduled_at, saved.id))
    due = store.due_visits()
    assert [(v.scheduled_at, v.order) for v in due] == sorted(planned)
    assert all(v.status is VisitStatus.DUE for v in due)
    latest = max(planned)
    assert [v.order for v in store.due_visits(until=latest[0])] == [
        o for t, o in sorted(planned) if t < latest[0]
    ]
    assert [v.order for v in store.due_visits(orders=[latest[1]])] == [latest[1]]
    last = store.get(latest[1])
    assert last is not None
    (visit,) = store.due_visits(orders=[last.id])
    done = dataclasses.replace(
        visit,
        status=VisitStatus.DONE,
        done_at=at + 86400,
        done_by="9001",
        score=5,
        opinion="满意",
        satisfied=True,
    )
    visited = lifecycle.visit(last, score=5, opinion="满意", by="9001", at=at + 86400)
    store.save(Change(visited, last.version, 1, visit_done=done))
    assert latest[1] not in [v.order for v in store.due_visits()]
    assert len(store.due_visits()) == 2


def test_expedite_tasks_stay_open_until_a_change_closes_them(store: OrderStore) -> None:
    order = created(store, "fault_report")
    at = ts("2026-11-16 11:31")
    order = changed(store, order, lifecycle.assign(order, "repair", by="lead", at=at - 3600))
    task = Expedite(0, order.id, order.round, "arrival", at - 60, at)
    raised = store.save(Change(order, order.version, 0, expedites=(task,))).order
    (open_task,) = store.expedites()
    assert open_task.id > 0
    assert open_task == dataclasses.replace(task, id=open_task.id)
    assert store.expedites(status=ExpediteStatus.DONE) == []
    chased = lifecycle.expedite(raised, by="lead", at=at + 600, note="已电话催办抢修班")
    store.save(Change(chased, raised.version, 1, close_expedites_by="lead"))
    assert store.expedites() == []
    (closed,) = store.expedites(status=ExpediteStatus.DONE)
    assert (closed.id, closed.done_by, closed.done_at) == (open_task.id, "lead", at + 600)
    assert store.expedites(status=None) == [closed]
