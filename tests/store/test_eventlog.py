"""The event log keeps every event exactly, in order, whatever writes it and however fast."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from hotline.core.events import EventBus, event_types
from hotline.routing.events import AgentStateChanged, ContactOffered
from hotline.routing.model import AgentState
from hotline.store.db import Database, EventLog, StoreError, WriterStoppedError
from tests.store.events import AT, every_kind, sample


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database.open(database_url)
    yield database
    database.close()


def test_every_registered_kind_comes_back_as_the_same_event(db):
    events = every_kind()
    assert {e.kind for e in events} == set(event_types())
    log = EventLog(db)
    with log.writer() as writer:
        for e in events:
            writer.append(e)
    back = [s.event for s in log.read(limit=len(events) + 10)]
    assert back == events
    assert [type(e) for e in back] == [type(e) for e in events]
    state = next(e for e in back if isinstance(e, AgentStateChanged))
    assert state.state is AgentState.LOGGED_OUT or isinstance(state.state, AgentState)


def test_ids_follow_append_order_and_acknowledge_only_committed_events(db):
    log = EventLog(db)
    seen: list[tuple[int, int]] = []
    writer = log.writer(
        batch=10, interval=0.01, on_commit=lambda first, b: seen.append((first, len(b)))
    )
    events = [sample(ContactOffered, at=AT + i) for i in range(35)]
    for e in events:
        writer.append(e)
    writer.flush(timeout=10)
    assert writer.committed == 35
    assert log.count() == 35
    stored = log.read()
    assert [s.id for s in stored] == list(range(1, 36))
    assert [s.event for s in stored] == events
    # every commit reported its ids; together they cover the log once, in order
    covered = [first + i for first, n in seen for i in range(n)]
    assert covered == list(range(1, 36))
    assert all(n <= 10 for _, n in seen)
    writer.close()


def test_concurrent_appends_from_several_threads_are_all_committed_once(db):
    log = EventLog(db)
    writer = log.writer(batch=500, interval=0.01)
    threads, per_thread = 4, 2500

    def produce(t: int) -> None:
        for i in range(per_thread):
            writer.append(sample(ContactOffered, at=AT + t * 10_000 + i))

    workers = [threading.Thread(target=produce, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    writer.close()
    assert writer.committed == threads * per_thread
    stamps = [e.at for e in log.events()]
    assert sorted(stamps) == sorted(
        AT + t * 10_000 + i for t in range(threads) for i in range(per_thread)
    )
    # each thread's events stay in that thread's order
    for t in range(threads):
        mine = [s for s in stamps if AT + t * 10_000 <= s < AT + (t + 1) * 10_000]
        assert mine == sorted(mine)


def test_read_filters_by_id_kind_call_agent_and_time(db):
    log = EventLog(db)
    bus = EventBus()
    with log.writer() as writer:
        bus.subscribe(writer)
        for i in range(20):
            call, agent = f"c{i % 4}", f"10{i % 2}"
            bus.publish(
                ContactOffered(at=AT + i, call=call, queue="general", agent=agent, waited=i)
            )
            bus.publish(
                AgentStateChanged(
                    at=AT + i,
                    agent=agent,
                    state=AgentState.RINGING,
                    previous=AgentState.READY,
                    call=call,
                )
            )
    assert log.count() == 40
    offered = log.read(kinds=["contact.offered"])
    assert len(offered) == 20
    assert all(isinstance(s.event, ContactOffered) for s in offered)
    assert {s.event.call for s in log.read(call="c1")} == {"c1"}  # type: ignore[attr-defined]
    assert len(log.read(call="c1")) == 10
    assert len(log.read(agent="101", kinds=["agent.state_changed"])) == 10
    window = log.read(start=AT + 5, end=AT + 8)
    assert sorted({s.event.at for s in window}) == [AT + 5, AT + 6, AT + 7]
    later = log.read(since_id=30)
    assert [s.id for s in later] == list(range(31, 41))
    assert len(log.read(limit=7)) == 7
    assert list(log.events()) == [s.event for s in log.read(limit=100)]


def test_a_closed_writer_refuses_events_instead_of_dropping_them(db):
    writer = EventLog(db).writer()
    writer.append(sample(ContactOffered))
    writer.close()
    assert EventLog(db).count() == 1
    with pytest.raises(WriterStoppedError):
        writer.append(sample(ContactOffered))


def test_a_writer_that_cannot_store_an_event_says_so(db):
    writer = EventLog(db).writer(interval=0.01)
    bad = sample(ContactOffered)
    bad.waited = object()  # type: ignore[assignment]
    writer.append(bad)
    with pytest.raises(StoreError, match="event writer stopped"):
        writer.flush(timeout=10)
    with pytest.raises(WriterStoppedError):
        writer.append(sample(ContactOffered))
