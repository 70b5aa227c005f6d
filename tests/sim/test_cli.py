"""`hotline simulate`, `report` and `demo` as a user runs them: figures, files, defaults, help."""

from __future__ import annotations

import csv
import datetime
import json
import subprocess
import sys
import zoneinfo
from pathlib import Path

import pyarrow.parquet as pq

SCENARIO = Path(__file__).parents[2] / "examples" / "95598" / "scenarios" / "weekday.yaml"


def hotline(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hotline.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


def test_json_summary_accounts_for_every_contact():
    summary = json.loads(hotline("simulate", str(SCENARIO), "--json").stdout)
    outcomes = ("answered", "abandoned", "ivr_abandoned", "self_served", "callback", "blocked")
    assert sum(summary[k] for k in outcomes) == summary["contacts"]
    assert summary["abandoned"] == summary["abandoned_short"] + summary["abandoned_excluding_short"]
    assert 4000 < summary["contacts"] < 5200  # 4,500 expected on a Wednesday (Poisson)
    assert summary["unfinished_calls"] == 0
    assert summary["ivr_abandoned"] > 0  # the example's callers give up in the menus at times
    assert 0 < summary["service_level"] <= 1
    assert set(summary["service_level_by_tier"]) == {"high", "middle", "ordinary"}
    queues = summary["service_level_by_queue"]
    assert set(queues) == {
        "fault",
        "query",
        "complaint",
        "vip",
        "english",
        "shift_lead",
        "outbound",
    }
    assert queues["vip"]["goal"] == 0.90  # hotline.yaml: VIP 90% in 20 s, the others 85%
    assert queues["fault"]["goal"] == 0.85
    assert sum(q["answered"] for q in queues.values()) >= summary["answered"]  # + transfers


def test_same_seed_same_events_other_seed_other_events(tmp_path):
    first, second, other = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    hotline("simulate", str(SCENARIO), "--quiet", "--events", str(first))
    hotline("simulate", str(SCENARIO), "--quiet", "--events", str(second))
    hotline("simulate", str(SCENARIO), "--quiet", "--seed", "7", "--events", str(other))
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()
    with first.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    kinds = {r["kind"] for r in rows}
    assert {
        "call.arrived",
        "contact.queued",
        "contact.answered",
        "agent.state_changed",
        "call.ended",
    } <= kinds
    assert [float(r["at"]) for r in rows] == sorted(float(r["at"]) for r in rows)


def test_parquet_events_hold_every_event(tmp_path):
    out = tmp_path / "day.parquet"
    result = hotline("simulate", str(SCENARIO), "--json", "--events", str(out))
    table = pq.read_table(out)
    assert table.num_rows == json.loads(result.stdout)["events"]
    kinds = table.column("kind").to_pylist()
    ended = kinds.count("call.ended")
    assert ended == kinds.count("call.arrived")


def test_report_without_dates_is_of_today(tmp_path):
    """A new user's first `hotline report --db …` shows today, not an argparse error."""
    zone = zoneinfo.ZoneInfo("Asia/Shanghai")  # the example hotline.yaml's time zone
    today = datetime.datetime.now(zone).date()
    midnight = int(datetime.datetime.combine(today, datetime.time(0), zone).timestamp())
    rows = [
        (60, "t1", "fault", "NONE", "ENTERQUEUE", "", "13800000001", "1"),
        (65, "t1", "fault", "SIP/1001", "CONNECT", "5", "u", "2"),
        (125, "t1", "fault", "SIP/1001", "COMPLETEAGENT", "5", "60", "1"),
    ]
    log = tmp_path / "queue_log"
    log.write_text("".join("|".join([str(midnight + r[0]), *r[1:]]) + "\n" for r in rows))
    db = str(tmp_path / "today.db")
    hotline("import", "queue-log", str(log), "--db", db)

    report = json.loads(hotline("report", "--db", db, "--by", "total", "--format", "json").stdout)
    assert report["query"]["start"] == f"{today}T00:00:00+08:00"
    assert report["query"]["end"] == f"{today + datetime.timedelta(days=1)}T00:00:00+08:00"
    assert report["total"]["total_calls"] == 1
    yesterday = str(today - datetime.timedelta(days=1))
    one_day = hotline(
        "report", "--db", db, "--by", "total", "--format", "json", "--from", yesterday
    )
    other = json.loads(one_day.stdout)
    assert other["query"]["start"] == f"{yesterday}T00:00:00+08:00"
    assert other["query"]["end"] == f"{today}T00:00:00+08:00"
    assert not other["total"]["total_calls"]


def test_help_shows_the_date_format_and_what_demo_does():
    report = hotline("report", "--help").stdout
    assert "--from YYYY-MM-DD" in report
    assert "--to YYYY-MM-DD" in report
    assert "without --from and --to, the report is of today" in " ".join(report.split())
    demo = " ".join(hotline("demo", "--help").stdout.split())
    assert "Run the example 95598 hotline live in one process, with the web console" in demo
