"""The management figures over an imported queue_log are the hand-computed ones.

The log (2023-11-15, Asia/Shanghai; every queue's wrap-up 30 s): agents 1001
and 1002 members of `fault` from 0 s to 1000 s.

| call | story | waited | talk |
|---|---|---|---|
| c1 | rings 1001 100–110 unanswered; 1002 rings 110–115, answers, talks to 235 | 15 | 120 |
| c2 | abandons at 210 (short: 10 s) | 10 | |
| c3 | abandons at 345 | 45 | |
| c4 | 1001 rings 428–430, answers, blind transfer out at 490 | 30 | 60 |
| c5 | presses a key at 520: a callback | 20 | |
| c6 | times out at 900: blocked | 300 | |

Agent time, 2000 s in all: talking 180, wrap-up 60, ringing 10 + 5 + 2 = 17,
ready 1743.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterator
from pathlib import Path

import pytest

from hotline.interop.queue_log import Settings, import_queue_log
from hotline.metrics import Query, SlVariant
from hotline.store.analytics import figures
from hotline.store.db import Database
from tests.interop.support import log

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = Query(
    start=datetime.datetime(2023, 11, 15, tzinfo=SHANGHAI),
    end=datetime.datetime(2023, 11, 16, tzinfo=SHANGHAI),
    by="total",
)
LOG = log(
    (0, "MANAGER", "fault", "SIP/1001", "ADDMEMBER", ""),
    (0, "MANAGER", "fault", "SIP/1002", "ADDMEMBER", ""),
    (100, "c1", "fault", "NONE", "ENTERQUEUE", "", "13800000001", "1"),
    (110, "c1", "fault", "SIP/1001", "RINGNOANSWER", "10000"),
    (115, "c1", "fault", "SIP/1002", "CONNECT", "15", "u1", "5"),
    (200, "c2", "fault", "NONE", "ENTERQUEUE", "", "13800000002", "1"),
    (210, "c2", "fault", "NONE", "ABANDON", "1", "1", "10"),
    (235, "c1", "fault", "SIP/1002", "COMPLETECALLER", "15", "120", "1"),
    (300, "c3", "fault", "NONE", "ENTERQUEUE", "", "13800000003", "1"),
    (345, "c3", "fault", "NONE", "ABANDON", "1", "1", "45"),
    (400, "c4", "fault", "NONE", "ENTERQUEUE", "", "13800000004", "1"),
    (430, "c4", "fault", "SIP/1001", "CONNECT", "30", "u4", "2"),
    (490, "c4", "fault", "SIP/1001", "BLINDTRANSFER", "8002", "x", "30", "60", "1"),
    (500, "c5", "fault", "NONE", "ENTERQUEUE", "", "13800000005", "1"),
    (520, "c5", "fault", "NONE", "EXITWITHKEY", "1", "1", "1", "20"),
    (600, "c6", "fault", "NONE", "ENTERQUEUE", "", "13800000006", "1"),
    (900, "c6", "fault", "NONE", "EXITWITHTIMEOUT", "1", "1", "300"),
    (1000, "NONE", "fault", "SIP/1001", "REMOVEMEMBER", ""),
    (1000, "NONE", "fault", "SIP/1002", "REMOVEMEMBER", ""),
)


@pytest.fixture
def db(database_url: str, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "queue_log"
    path.write_text(LOG, encoding="utf-8")
    database = Database.open(database_url)
    import_queue_log([path], Settings(default_wrap_up=30.0), database)
    yield database
    database.close()


def test_the_day_by_hand(db):
    values = figures(db, DAY).total.values
    expected = {
        "total_calls": 6,
        "calls_answered": 2,
        "calls_abandoned": 2,
        "calls_blocked": 1,
        "calls_callback": 1,
        "abandoned_short": 1,
        "handled": 2,
        "abandon_rate": 1 / 3,  # c3 / (c1, c4, c3): c2 waited ≤ 20 s
        "service_level": 1 / 3,  # c1 within 20 s / (2 answered + 1 long abandon)
        "asa": (15 + 30) / 2,
        "abandon_time": (10 + 45) / 2,
        "queue_time": (15 + 10 + 45 + 30 + 20 + 300) / 6,
        "talk_time": (120 + 60) / 2,
        "hold_time": 0.0,  # the queue_log has no hold
        "acw": (30 + 30) / 2,
        "aht": (180 + 0 + 60) / 2,
        "ring_time": (5 + 2) / 2,
        "rings": (5 + 2) / 2 / 3,
        "transfer_rate": 1 / 2,
        "blocked_rate": 1 / 6,
        "answered_rate": 2 / 6,
        "callbacks_created": 1,
        "agents_logged_in": 2,
        "logged_in_hours": 2000 / 3600,
        "calls_per_hour": 2 / (2000 / 3600),
        "occupancy": (180 + 60) / 2000,
        "occupancy_seed": 180 / (180 + 1743 + 17),
    }
    assert {k: values[k] for k in expected} == pytest.approx(expected)


def test_service_level_variants(db):
    def level(variant: SlVariant) -> float | None:
        query = Query(start=DAY.start, end=DAY.end, by="total", sl_variant=variant)
        return figures(db, query).total.values["service_level"]

    assert level(SlVariant.ANSWERED) == pytest.approx(1 / 2)
    assert level(SlVariant.REMOVED) == pytest.approx(1 / 4)  # c5's callback joins the base


def test_by_agent(db):
    query = Query(start=DAY.start, end=DAY.end, by="agent")
    rows = {row.key: row.values for row in figures(db, query).rows}
    assert {a: (v["handled"], v["talk_time"], v["acw"]) for a, v in rows.items()} == {
        "1001": (1, 60.0, 30.0),
        "1002": (1, 120.0, 30.0),
    }
