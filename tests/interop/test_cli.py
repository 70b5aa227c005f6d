"""`hotline import queue-log` as an administrator runs it: report, located problems, exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hotline.routing.events import AgentStateChanged
from hotline.routing.model import AgentState
from hotline.store.db import Database, EventLog
from tests.interop.support import log

EXAMPLE = Path(__file__).parents[2] / "examples" / "95598" / "hotline.yaml"


def _hotline(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hotline.cli", "import", "queue-log", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_import_reports_and_names_the_lines_it_left_out(tmp_path: Path):
    path = tmp_path / "queue_log"
    path.write_text(
        log(
            (0, "c1", "fault", "NONE", "ENTERQUEUE", "", "13800000001", "1"),
            (5, "c1", "fault", "SIP/1001", "CONNECT", "5", "u", "2"),
            (65, "c1", "fault", "SIP/1001", "COMPLETEAGENT", "5", "60", "1"),
            (70, "c2", "sales", "NONE", "ENTERQUEUE", "", "13800000002", "1"),
            (75, "c2", "sales", "NONE", "ABANDON", "1", "1", "5"),
        )
        + "1700000080|c3|fault\n",
        encoding="utf-8",
    )
    db = tmp_path / "hotline.db"
    first = _hotline(str(path), "--db", str(db), "--config", str(EXAMPLE))
    assert first.returncode == 1, first.stderr  # a line was left out, the rest imported
    assert first.stderr.splitlines() == [
        f"{path}:6: expected time|callid|queuename|agent|event[|data…], found 3 field(s)"
    ]
    out = first.stdout
    assert f"{path}: 5 lines read, 1 not imported" in out
    assert "time span: 2023-11-15 06:13:20 – 2023-11-15 06:14:35 (Asia/Shanghai)" in out
    assert "calls: 2 imported (1 abandoned, 1 answered), 2 queue entries" in out
    assert "agents: 1: 1001 (SIP/1001)" in out
    assert "queues not in the configuration: sales" in out
    assert "agents not in the configuration: 1001" in out
    with Database.open(f"sqlite:///{db}") as opened:
        states = [e for e in EventLog(opened).events() if isinstance(e, AgentStateChanged)]
    wrap = [e for e in states if e.state is AgentState.WRAP_UP]
    after = [e for e in states if e.previous is AgentState.WRAP_UP]
    assert after[0].at - wrap[0].at == 60.0  # the fault queue's wrap_up in hotline.yaml

    again = _hotline(str(path), "--db", str(db))
    assert again.returncode == 2
    assert again.stderr.startswith("hotline: 2 of the 2 calls of this log are already in")
    assert len(again.stderr.splitlines()) == 1


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
