"""`hotline import queue-log` as an administrator runs it: report, located problems, exit codes.

A log with a problem is written not at all, so that the corrected log imports afterwards.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from hotline.core.events import Event
from hotline.routing.events import AgentStateChanged
from hotline.routing.model import AgentState
from hotline.store.db import Database, EventLog
from tests.interop.support import T, log

EXAMPLE = Path(__file__).parents[2] / "examples" / "95598" / "hotline.yaml"


def _hotline(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hotline.cli", "import", "queue-log", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


DAY = log(
    (0, "c1", "fault", "NONE", "ENTERQUEUE", "", "13800000001", "1"),
    (5, "c1", "fault", "SIP/1001", "CONNECT", "5", "u", "2"),
    (65, "c1", "fault", "SIP/1001", "COMPLETEAGENT", "5", "60", "1"),
    (70, "c2", "sales", "NONE", "ENTERQUEUE", "", "13800000002", "1"),
    (75, "c2", "sales", "NONE", "ABANDON", "1", "1", "5"),
)


def _events(db: Path) -> list[Event]:
    if not db.exists():
        return []
    with Database.open(f"sqlite:///{db}") as opened:
        return list(EventLog(opened).events())


def test_a_broken_line_is_named_nothing_is_written_and_the_corrected_log_imports(tmp_path):
    path = tmp_path / "queue_log"
    path.write_text(DAY + "1700000080|c3|fault\n", encoding="utf-8")
    db = tmp_path / "hotline.db"
    first = _hotline(str(path), "--db", str(db), "--config", str(EXAMPLE))
    assert first.returncode == 1, first.stderr
    assert first.stderr.splitlines() == [
        f"{path}:6: expected time|callid|queuename|agent|event[|data…], found 3 field(s)"
    ]
    out = first.stdout
    assert f"{path}: 5 lines read, 1 with problems" in out
    assert "time span: 2023-11-15 06:13:20 – 2023-11-15 06:14:35 (Asia/Shanghai)" in out
    assert "calls: 2 imported (1 abandoned, 1 answered), 2 queue entries" in out
    assert "events not written: correct the line named above and import again" in out
    assert _events(db) == []  # not the five good lines either: they would be "already in"

    path.write_text(DAY, encoding="utf-8")  # the administrator removes the broken line
    fixed = _hotline(str(path), "--db", str(db), "--config", str(EXAMPLE))
    assert fixed.returncode == 0, fixed.stderr
    assert fixed.stderr == ""
    out = fixed.stdout
    assert f"{path}: 5 lines read, 0 with problems" in out
    assert "agents: 1: 1001 (SIP/1001)" in out
    assert "queues not in the configuration: sales" in out
    assert "agents not in the configuration: 1001" in out
    states = [e for e in _events(db) if isinstance(e, AgentStateChanged)]
    wrap = [e for e in states if e.state is AgentState.WRAP_UP]
    after = [e for e in states if e.previous is AgentState.WRAP_UP]
    assert after[0].at - wrap[0].at == 60.0  # the fault queue's wrap_up in hotline.yaml

    again = _hotline(str(path), "--db", str(db))
    assert again.returncode == 2
    assert again.stderr.startswith("hotline: 2 of the 2 calls of this log are already in")
    assert len(again.stderr.splitlines()) == 1


def test_an_absurd_time_is_refused_before_anything_is_written(tmp_path):
    """Epoch 1e14 is the year 3,170,843: stored, it broke every report that showed it."""
    path = tmp_path / "queue_log"
    path.write_text(DAY.replace("1700000065|", "100000000000000|"), encoding="utf-8")
    db = tmp_path / "hotline.db"
    bad = _hotline(str(path), "--db", str(db))
    assert bad.returncode == 1, bad.stderr
    assert bad.stderr.splitlines() == [
        f"{path}:3: time '100000000000000' is not between 1990 and 2100"
    ]
    assert "Traceback" not in bad.stdout + bad.stderr
    assert _events(db) == []

    path.write_text(DAY, encoding="utf-8")
    good = _hotline(str(path), "--db", str(db))
    assert good.returncode == 0, good.stderr
    events = _events(db)
    assert len([e for e in events if e.kind == "call.arrived"]) == 2
    assert max(e.at for e in events) == T + 75


def test_a_line_cut_inside_its_event_name_is_named_not_dropped_with_its_call(tmp_path):
    path = tmp_path / "queue_log"
    path.write_text(DAY.replace("ENTERQUEUE||13800000001|1", "ENTE", 1), encoding="utf-8")
    db = tmp_path / "hotline.db"
    cut = _hotline(str(path), "--db", str(db))
    assert cut.returncode == 1, cut.stderr
    assert cut.stderr.splitlines() == [
        f"{path}:1: event 'ENTE' is cut short or run into the next line "
        "(no such event; ENTERQUEUE?)"
    ]
    assert _events(db) == []
    run_together = _hotline(  # the cut line and the next one on one line
        str(_write(tmp_path / "q2", DAY.replace("ENTERQUEUE||13800000001|1\n", "ENTE", 1))),
        "--dry-run",
    )
    assert run_together.returncode == 1
    assert "event 'ENTE1700000005' is cut short" in run_together.stderr


def test_a_custom_event_is_still_counted_and_skipped(tmp_path):
    path = _write(tmp_path / "queue_log", DAY + log((80, "c2", "sales", "NONE", "MYNOTE", "x")))
    dry = _hotline(str(path), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "lines with nothing to import: MYNOTE ×1" in dry.stdout


def test_a_refused_write_is_one_line_without_callers_numbers(tmp_path):
    db = tmp_path / "hotline.db"
    Database.open(f"sqlite:///{db}").close()  # the schema, then a rule that refuses calls
    with sqlite3.connect(db) as connection:
        connection.execute(
            "CREATE TRIGGER no_calls BEFORE INSERT ON calls "
            "BEGIN SELECT RAISE(ABORT, 'no rows for 13800000001: read-only'); END"
        )
    path = _write(tmp_path / "queue_log", DAY)
    refused = _hotline(str(path), "--db", str(db))
    assert refused.returncode == 2
    assert refused.stderr == (
        "hotline: the database refused the import, nothing was written: "
        "event writer stopped after an error: no rows for …: read-only\n"
    )
    assert "13800000001" not in refused.stdout + refused.stderr  # nor the traceback's values
    assert _events(db) == []


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_dry_run_writes_nothing_and_missing_files_stop_it(tmp_path: Path):
    path = tmp_path / "queue_log"
    path.write_text(log((0, "NONE", "NONE", "NONE", "QUEUESTART")), encoding="utf-8")
    db = tmp_path / "never.db"
    dry = _hotline(str(path), "--db", str(db), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "0 events not written (dry run)" in dry.stdout
    assert not db.exists()

    missing = _hotline(str(path), str(tmp_path / "queue_log.1"), "--db", str(db))
    assert missing.returncode == 2
    assert missing.stderr == f"hotline: {tmp_path / 'queue_log.1'}: no such file\n"
    zone = _hotline(str(path), "--timezone", "Mars/Olympus", "--dry-run")
    assert zone.returncode == 2
    assert zone.stderr == "hotline: --timezone: unknown time zone 'Mars/Olympus'\n"
