"""The demo's simulated back office on the real order service and a real SQLite store.

Calls are "served" straight into `BackOffice.served` (what the population tells it when
a simulated agent ends a conversation); the clock is a `VirtualClock` run by hand. What
is checked is what the event log and the orders hold afterwards.
"""

from __future__ import annotations

import collections
import datetime
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from hotline.calls.events import CallDisposition
from hotline.core.clock import VirtualClock
from hotline.core.config import ConfigError
from hotline.core.events import Event, EventBus
from hotline.core.ids import AgentId, CallId
from hotline.orders.config import load_order_types
from hotline.orders.events import OrderCreated
from hotline.orders.model import OrderState
from hotline.orders.service import OrderDesk
from hotline.sim.backoffice import BackOffice, load_backoffice
from hotline.store.db import Database, EventLog
from hotline.store.db.orders import Orders

EXAMPLE = Path(__file__).parents[2] / "examples" / "95598"
INTENTS = ["电费自助查询", "故障报修", "业务咨询", "投诉举报", "English service", "人工服务"]
TZ = datetime.timezone(datetime.timedelta(hours=8))
START = datetime.datetime(2026, 7, 15, 0, 0, tzinfo=TZ).timestamp()  # a Wednesday
DISPOSITIONS = ["solved", "order_created", "transferred", "callback", "complaint", "invalid"]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    with Database.open(f"sqlite:///{tmp_path / 'orders.db'}") as database:
        yield database


def _office(
    db: Database, clock: VirtualClock, *, late: float | None = None, recordings: Path | None = None
) -> tuple[BackOffice, OrderDesk, list[Event]]:
    config = load_order_types(EXAMPLE / "orders.yaml")
    desk = OrderDesk(config, Orders(db), clock.now)
    model = load_backoffice(
        EXAMPLE / "backoffice.yaml", intents=INTENTS, orders=config, dispositions=DISPOSITIONS
    )
    if late is not None:
        departments = model.departments.model_copy(update={"late": late})
        model = model.model_copy(update={"departments": departments})
    published: list[Event] = []
    bus = EventBus()
    bus.subscribe(published.append)
    office = BackOffice(
        model,
        clock=clock,
        desk=desk,
        publish=published.extend,
        bus=bus,
        seed=11,
        timezone=TZ,
        recordings=recordings,
    )
    office.start()
    return office, desk, published


def _serve(office: BackOffice, clock: VirtualClock, intent: str, calls: int, every: float) -> None:
    for i in range(calls):
        office.served(CallId(f"c{intent}-{i}"), AgentId("1001"), intent, f"139{i:08d}")
        clock.run(until=clock.now() + every)


def test_simulated_agents_take_orders_by_their_intents_configured_shares(db: Database) -> None:
    clock = VirtualClock(START + 8 * 3600)
    office, desk, published = _office(db, clock)
    _serve(office, clock, "业务咨询", 600, 30.0)
    clock.run(until=clock.now() + 120)

    records = EventLog(db).read(since_id=0, limit=100_000)
    created = [r.event for r in records if isinstance(r.event, OrderCreated)]
    types = collections.Counter(e.type for e in created)
    # shares 0.30 query, 0.20 consultation, 0.10 service_application of 600 calls
    assert abs(types["query"] - 180) < 40
    assert abs(types["consultation"] - 120) < 35
    assert abs(types["service_application"] - 60) < 25
    assert set(types) == {"query", "consultation", "service_application"}
    # every call closed with a disposition: an order, or answered at once with a note
    dispositions = collections.Counter(
        e.disposition for e in published if isinstance(e, CallDisposition)
    )
    assert dispositions["order_created"] == sum(types.values())
    assert dispositions["solved"] == 600 - sum(types.values())
    # the orders carry the call, the caller and plausible fields
    order = desk.store.list()[0]
    assert order.call is not None
    assert order.call.startswith("c业务咨询-")
    assert order.fields["phone"] == order.caller
    assert len(str(order.fields["customer_name"])) >= 2
    assert [e for e in published if e.kind == "order.created"]  # handed to the live stream


def test_late_departments_miss_deadlines_and_the_lead_chases_them(db: Database) -> None:
    clock = VirtualClock(START + 8 * 3600)
    office, _, _ = _office(db, clock, late=1.0)
    _serve(office, clock, "故障报修", 60, 60.0)
    clock.run(until=clock.now() + 6 * 3600)

    kinds = collections.Counter(r.event.kind for r in EventLog(db).read(since_id=0, limit=100_000))
    assert kinds["order.assigned"] >= 40
    assert kinds["order.followed_up"] >= 40  # the repair team's 到达现场 …
    assert kinds["order.overdue"] >= 40  # … after the 45-minute deadline: 催办
    assert kinds["order.expedited"] >= 10  # the simulated 值班长's 督办
    assert kinds["order.answered"] >= 20


def test_departments_on_time_raise_no_expedites(db: Database) -> None:
    clock = VirtualClock(START + 8 * 3600)
    office, _, _ = _office(db, clock, late=0.0)
    _serve(office, clock, "故障报修", 60, 60.0)
    clock.run(until=clock.now() + 6 * 3600)

    kinds = collections.Counter(r.event.kind for r in EventLog(db).read(since_id=0, limit=100_000))
    assert kinds["order.assigned"] >= 40
    assert kinds["order.overdue"] == 0
    assert kinds["order.expedited"] == 0


def test_answered_orders_are_visited_and_complaints_arrive(db: Database) -> None:
    clock = VirtualClock(START + 8 * 3600)
    office, desk, published = _office(db, clock)
    _serve(office, clock, "投诉举报", 80, 60.0)
    clock.run(until=clock.now() + 12 * 3600)

    orders = desk.store.list()
    assert sum(o.type == "complaint" for o in orders) >= 50
    states = collections.Counter(o.state for o in orders)
    assert states[OrderState.VISITED] + states[OrderState.ARCHIVED] >= 20
    visited = [e for e in published if e.kind == "order.visited"]
    assert visited
    codes = {e.disposition for e in published if isinstance(e, CallDisposition)}
    assert "complaint" in codes  # 投诉受理


def test_a_seed_gives_the_same_back_office_day(tmp_path: Path) -> None:
    def day(name: str) -> list[tuple[str, float]]:
        with Database.open(f"sqlite:///{tmp_path / name}") as db:
            clock = VirtualClock(START + 8 * 3600)
            office, _, published = _office(db, clock)
            _serve(office, clock, "人工服务", 100, 40.0)
            clock.run(until=clock.now() + 3 * 3600)
            return [(e.kind, e.at) for e in published]

    assert day("a.db") == day("b.db")


def test_answered_calls_get_a_short_playable_recording(db: Database, tmp_path: Path) -> None:
    clock = VirtualClock(START + 8 * 3600)
    folder = tmp_path / "recordings"
    office, _, _ = _office(db, clock, recordings=folder)
    _serve(office, clock, "电费自助查询", 3, 30.0)

    files = sorted(folder.glob("*.wav"))
    assert [f.name for f in files] == [f"c电费自助查询-{i}-1001.wav" for i in range(3)]
    with wave.open(str(files[0]), "rb") as wav:
        assert wav.getnchannels() == 2  # caller left, agent right, as the SIP switch records
        assert wav.getframerate() == 8000
        assert 8 <= wav.getnframes() / 8000 <= 20


def test_recordings_keep_only_the_latest_calls(db: Database, tmp_path: Path) -> None:
    clock = VirtualClock(START + 8 * 3600)
    folder = tmp_path / "recordings"
    office, _, _ = _office(db, clock, recordings=folder)
    office.model = office.model.model_copy(
        update={"recordings": office.model.recordings.model_copy(update={"keep": 4})}
    )
    _serve(office, clock, "电费自助查询", 10, 30.0)
    assert sorted(f.name for f in folder.glob("*.wav")) == [
        f"c电费自助查询-{i}-1001.wav" for i in range(6, 10)
    ]


def test_a_wrong_back_office_file_is_refused_with_its_lines(tmp_path: Path) -> None:
    text = (EXAMPLE / "backoffice.yaml").read_text(encoding="utf-8")
    text = text.replace("业务咨询: {query: 0.30", "业务咨詢: {query: 0.90")
    text = text.replace("answered: solved", "answered: fixed")
    bad = tmp_path / "backoffice.yaml"
    bad.write_text(text, encoding="utf-8")
    config = load_order_types(EXAMPLE / "orders.yaml")
    with pytest.raises(ConfigError) as caught:
        load_backoffice(bad, intents=INTENTS, orders=config, dispositions=DISPOSITIONS)
    message = str(caught.value)
    assert "backoffice.yaml:9" in message
    assert "no intent '业务咨詢'" in message
    assert "shares add up to over 1" in message
    assert "no disposition 'fixed'" in message


def test_a_required_field_without_phrases_is_refused(tmp_path: Path) -> None:
    text = (EXAMPLE / "backoffice.yaml").read_text(encoding="utf-8")
    text = text.replace("      symptom: [", "      other: [")
    bad = tmp_path / "backoffice.yaml"
    bad.write_text(text, encoding="utf-8")
    config = load_order_types(EXAMPLE / "orders.yaml")
    with pytest.raises(ConfigError, match=r"no phrases.fields.fault_report.symptom list"):
        load_backoffice(bad, intents=INTENTS, orders=config, dispositions=DISPOSITIONS)
