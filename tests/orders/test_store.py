"""The work-order store and desk on SQLite and PostgreSQL: timeline, filters, atomic
saves, stale copies refused, expedite tasks and return visits."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from hotline.orders import lifecycle
from hotline.orders.errors import InvalidFieldsError, StaleOrderError
from hotline.orders.model import (
    Change,
    Expedite,
    ExpediteStatus,
    Order,
    OrderState,
    VisitStatus,
)
from hotline.orders.service import IdempotencyKeyReusedError, OrderDesk
from hotline.store.db import Database
from hotline.store.db.orders import OrderFilter, Orders
from hotline.store.db.schema import Base
from tests.orders.support import Clock, example, local, ts

QUERY = {
    "customer_name": "张三",
    "phone": "13800138000",
    "content": "电费",
    "customer_type": "resident",
}


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    with Database.open(database_url) as database:
        yield database


def desk(db: Database, start: str = "2026-11-16 09:00") -> tuple[OrderDesk, Clock]:
    clock = Clock(start)
    return OrderDesk(example(), Orders(db), clock), clock


def test_migration_matches_the_tables(db: Database) -> None:
    assert "0004_departments" in db.schema_revisions()
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [
        d
        for d in differences
        if "order" in repr(d) or "expedite" in repr(d) or "return_visit" in repr(d)
    ] == []


def test_create_get_and_filter(db: Database) -> None:
    d, clock = desk(db)
    first = d.create("query", QUERY, by="9001", caller="13800138000", call="c1").order
    clock.set("2026-11-16 10:00")
    second = d.create(
        "fault_report",
        {
            "customer_name": "李",
            "phone": "1",
            "address": "a",
            "area": "s1",
            "area_class": "urban",
            "symptom": "x",
        },
        by="9002",
        call="c2",
    ).order
    d.assign(second.id, "repair", by="lead")
    got = d.get(first.id)
    assert got.fields == QUERY
    assert got.caller == "13800138000"
    assert got.call == "c1"
    assert [s.kind.value for s in d.get(second.id).steps] == ["accepted", "assigned"]
    store = Orders(db)
    assert [o.id for o in store.list()] == [second.id, first.id]
    assert [o.id for o in store.list(OrderFilter(created_by="9001"))] == [first.id]
    assert [o.id for o in store.list(OrderFilter(states=[OrderState.ASSIGNED]))] == [second.id]
    assert [o.id for o in store.list(OrderFilter(department="repair"))] == [second.id]
    assert [o.id for o in store.list(OrderFilter(call="c1"))] == [first.id]
    assert [o.id for o in store.list(OrderFilter(type="query"))] == [first.id]
    window = OrderFilter(created_from=ts("2026-11-16 09:30"), created_to=ts("2026-11-16 11:00"))
    assert [o.id for o in store.list(window)] == [second.id]


def test_bad_fields_save_nothing(db: Database) -> None:
    d, _ = desk(db)
    with pytest.raises(InvalidFieldsError):
        d.create("query", {"content": "x"}, by="9001")
    assert Orders(db).list() == []


def test_a_stale_copy_is_refused(db: Database) -> None:
    d, _ = desk(db)
    order = d.create("query", QUERY, by="9001").order
    d.assign(order.id, "billing", by="lead")
    stale = lifecycle.assign(order, "marketing", by="other", at=ts("2026-11-16 09:10"))
    with pytest.raises(StaleOrderError, match="changed meanwhile"):
        Orders(db).save(Change(stale, order.version, 1))
    assert d.get(order.id).department == "billing"


def test_a_failed_save_leaves_nothing_half_written(db: Database) -> None:
    d, _ = desk(db)
    order = d.create("query", QUERY, by="9001").order
    after = lifecycle.assign(order, "billing", by="lead", at=ts("2026-11-16 09:10"))
    task = Expedite(0, order.id, 1, "x", 0.0, 0.0)
    with pytest.raises(StaleOrderError):  # the same expedite twice breaks a unique key
        Orders(db).save(Change(after, order.version, 1, expedites=(task, task)))
    again = d.get(order.id)
    assert again.state is OrderState.ACCEPTED
    assert len(again.steps) == 1
    assert again.version == order.version
    with db.engine.connect() as c:
        assert c.execute(sa.text("SELECT count(*) FROM expedites")).scalar_one() == 0


def test_overdue_scan_raises_one_expedite_and_expediting_closes_it(db: Database) -> None:
    d, clock = desk(db, "2026-11-16 10:00")
    fault = d.create(
        "fault_report",
        {
            "customer_name": "李",
            "phone": "1",
            "address": "a",
            "area": "s1",
            "area_class": "suburban",
            "symptom": "x",
        },
        by="9001",
    ).order
    d.assign(fault.id, "repair", by="lead")
    clock.set("2026-11-16 11:00")
    assert d.scan() == []  # 60 of 90 minutes
    clock.set("2026-11-16 11:31")
    outcomes = d.scan()
    assert [e.kind for o in outcomes for e in o.events] == ["order.overdue"]
    tasks = Orders(db).expedites()
    assert [(t.order, t.deadline, local(t.due_at)) for t in tasks] == [
        (fault.id, "arrival", "2026-11-16 11:30")
    ]
    assert d.scan() == []  # raised once
    done = d.expedite(fault.id, by="lead", note="已电话催办抢修班")
    assert [e.kind for e in done.events] == ["order.expedited"]
    assert Orders(db).expedites() == []
    closed = Orders(db).expedites(status=ExpediteStatus.DONE)
    assert closed[0].done_by == "lead"


def test_answer_plans_the_visit_and_an_unsatisfied_visit_reopens(db: Database) -> None:
    d, clock = desk(db)
    order = d.create("query", QUERY, by="9001").order
    d.assign(order.id, "billing", by="lead")
    clock.set("2026-11-16 15:00")
    answered = d.answer(order.id, by="lead", note="已核实")
    assert [e.kind for e in answered.events] == ["order.answered", "order.visit_scheduled"]
    (due,) = Orders(db).due_visits()
    assert (local(due.scheduled_at), local(due.due_at)) == ("2026-11-16 18:00", "2026-11-17 15:00")
    with pytest.raises(Exception, match="waits for its return visit"):
        d.archive(order.id, by="lead")
    clock.set("2026-11-16 18:05")
    visited = d.visit(order.id, score=1, opinion="还是不清楚", by="9001")
    assert [e.kind for e in visited.events] == ["order.visited", "order.reopened"]
    assert visited.order.state is OrderState.ASSIGNED
    assert visited.order.round == 2
    (done,) = Orders(db).visits_of(order.id)
    assert (done.status, done.score, done.satisfied, done.done_by) == (
        VisitStatus.DONE,
        1,
        False,
        "9001",
    )
    assert Orders(db).due_visits() == []
    clock.set("2026-11-17 10:00")
    d.answer(order.id, by="lead")
    clock.set("2026-11-17 18:30")
    assert d.visit(order.id, score=5, opinion="满意", by="9001").order.state is OrderState.VISITED
    assert d.archive(order.id, by="lead").order.state is OrderState.ARCHIVED


def test_outage_sample_plans_visits_for_five_percent(db: Database) -> None:
    d, clock = desk(db, "2026-11-16 20:00")
    for i in range(40):
        fields = {
            "customer_name": f"户{i}",
            "phone": "1",
            "address": "a",
            "area": f"街{i % 4}",
            "area_class": "urban",
            "symptom": "停电",
            "outage": "OUT-1",
        }
        made = d.create("fault_report", fields, by="9001").order
        d.assign(made.id, "repair", by="lead")
        d.answer(made.id, by="lead")
    clock.set("2026-11-16 22:30")  # restored after 22:00: the visits are the next day
    outcomes = d.sample_outage("OUT-1", seed=3)
    assert len(outcomes) == 2  # ceil(5 % of 40)
    planned = Orders(db).due_visits()
    assert len({d.get(v.order).fields["area"] for v in planned}) == 2
    assert all(v.sampled and local(v.scheduled_at) == "2026-11-17 18:00" for v in planned)
    # a second draw takes only from the reports not yet planned
    again = {o.order.id for o in d.sample_outage("OUT-1", seed=3)}
    assert len(again) == 2
    assert not again & {v.order for v in planned}


def test_an_idempotency_key_makes_one_order_and_survives_a_restart(database_url: str) -> None:
    with Database.open(database_url) as db:
        d, _ = desk(db)
        first = d.create("query", QUERY, by="9001", call="c1", idempotency_key="k-1")
        again = d.create("query", QUERY, by="9001", call="c1", idempotency_key="k-1")
        assert (first.replayed, again.replayed) == (False, True)
        assert again.order.id == first.order.id
        assert again.events == []  # nothing saved, nothing to publish
        other_user = d.create("query", QUERY, by="9002", call="c2", idempotency_key="k-1")
        assert other_user.order.id != first.order.id  # the key is unique per user
        with pytest.raises(IdempotencyKeyReusedError):  # same key, another request
            d.create("query", {**QUERY, "content": "别的事"}, by="9001", idempotency_key="k-1")
    with Database.open(database_url) as reopened:  # a restart: the key is in the table
        d, _ = desk(reopened)
        after = d.create("query", QUERY, by="9001", call="c1", idempotency_key="k-1")
        assert (after.replayed, after.order.id) == (True, first.order.id)
        assert len(Orders(reopened).list(OrderFilter(created_by="9001"))) == 1


class _LateOrders(Orders):
    """The store as a request sees it when another request with the same key saves
    between its look-up and its save: the first look-up misses."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.missed = False

    def created_with(self, created_by: str, idempotency_key: str) -> Order | None:
        if not self.missed:
            self.missed = True
            return None
        return super().created_with(created_by, idempotency_key)


def test_two_racing_requests_with_one_key_make_one_order(db: Database) -> None:
    d, clock = desk(db)
    first = d.create("query", QUERY, by="9001", idempotency_key="race")
    late = OrderDesk(example(), _LateOrders(db), clock)
    second = late.create("query", QUERY, by="9001", idempotency_key="race")
    assert (second.replayed, second.order.id) == (True, first.order.id)
    with pytest.raises(StaleOrderError):  # the store itself refuses a second row
        Orders(db).save(
            Change(
                order=dataclasses.replace(first.order, id=0, steps=first.order.steps[:1]),
                version=0,
                steps=1,
            ),
            idempotency_key="race",
        )
    assert len(Orders(db).list()) == 1
