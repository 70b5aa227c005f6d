"""An import lands in SQLite and PostgreSQL whole, in one transaction, and only once."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from hotline.calls.events import CallArrived
from hotline.core.customer import Tier
from hotline.core.events import Event
from hotline.interop.errors import AlreadyImportedError, ImportWriteError
from hotline.interop.queue_log import Settings, import_queue_log, write
from hotline.store.db import Calls, Customers, Database, EventLog
from tests.interop.support import T, log, only

DAY = log(
    (0, "MANAGER", "fault", "SIP/1001", "ADDMEMBER", ""),
    (0, "MANAGER", "fault", "SIP/1002", "ADDMEMBER", ""),
    (100, "c1", "fault", "NONE", "ENTERQUEUE", "", "13800000001", "1"),
    (104, "c1", "fault", "SIP/1001", "CONNECT", "4", "u1", "3"),
    (184, "c1", "fault", "SIP/1001", "COMPLETECALLER", "4", "80", "1"),
    (200, "c2", "fault", "NONE", "ENTERQUEUE", "", "13800000002", "1"),
    (215, "c2", "fault", "SIP/1002", "RINGNOANSWER", "15000"),
    (230, "c2", "fault", "NONE", "ABANDON", "1", "1", "30"),
    (300, "c3", "fault", "NONE", "ENTERQUEUE", "", "13800000003", "1"),
    (306, "c3", "fault", "SIP/1002", "CONNECT", "6", "u3", "2"),
    (900, "NONE", "fault", "SIP/1001", "REMOVEMEMBER", ""),
)  # c3 is still talking when the log ends: left for the next file


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database.open(database_url)
    yield database
    database.close()


@pytest.fixture
def day(tmp_path: Path) -> Path:
    path = tmp_path / "queue_log"
    path.write_text(DAY, encoding="utf-8")
    return path


def test_events_and_calls_table_come_back_as_converted(db, day):
    Customers(db).upsert(account="0100000001", name="王芳", phone="13800000001", tier="high")
    conversion = import_queue_log([day], Settings(default_wrap_up=20.0), db)
    assert conversion.report.written
    assert list(EventLog(db).events()) == conversion.events
    arrived = only(conversion.events, CallArrived)
    assert [(a.call, a.tier) for a in arrived] == [("c1", Tier.HIGH), ("c2", Tier.ORDINARY)]
    c1 = Calls(db).get("c1")
    assert c1 is not None
    assert (c1.queue, c1.agent, c1.outcome, c1.wait_s, c1.talk_s) == (
        "fault",
        "1001",
        "answered",
        4.0,
        80.0,
    )
    assert (c1.arrived_at, c1.ended_at) == (T + 100, T + 184)
    c2 = Calls(db).get("c2")
    assert c2 is not None
    assert (c2.outcome, c2.wait_s) == ("abandoned", 30.0)
    assert Calls(db).get("c3") is None
    assert conversion.report.unfinished == ["c3"]
    assert conversion.report.unknown_agents == []  # no configuration, no agents in the database


def test_the_same_log_twice_is_refused_and_nothing_more_is_written(db, day):
    import_queue_log([day], Settings(), db)
    count = EventLog(db).count()
    with pytest.raises(AlreadyImportedError, match=r"2 of the 2 calls of this log are already in"):
        import_queue_log([day], Settings(), db)
    assert EventLog(db).count() == count


def test_one_commit_for_the_whole_import(db, day):
    events = import_queue_log([day], Settings(), db, dry_run=True).events
    commits: list[int] = []
    write(db, events, on_commit=lambda first, batch: commits.append(len(batch)))
    assert commits == [len(events)]
    assert EventLog(db).count() == len(events)


def test_a_failure_in_the_transaction_leaves_nothing(db, day):
    conversion = import_queue_log([day], Settings(), db, dry_run=True)
    assert not conversion.report.written
    assert EventLog(db).count() == 0

    def broken(connection: Connection, batch: Sequence[Event]) -> None:
        connection.execute(sa.text("SELECT * FROM no_such_table"))  # after the events' INSERT

    with pytest.raises(ImportWriteError, match="nothing was written"):
        write(db, conversion.events, folds=[broken])
    assert EventLog(db).count() == 0
    assert Calls(db).count() == 0
