"""`hotline simulate --campaign LIST`: a list and a pacing tried on the 95598 example's day,
its 外呼 figures checked against the event log, and bad input refused before the run."""

from __future__ import annotations

import csv
import datetime
import json
import math
import shutil
import zoneinfo
from pathlib import Path

import pytest

from hotline.cli import main
from hotline.outbound.simulate import campaign_on
from hotline.sim.run import Simulation, load_scenario

EXAMPLE = Path(__file__).parents[2] / "examples" / "95598"
SCENARIO = EXAMPLE / "scenarios" / "weekday.yaml"
ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")  # the example's time zone
DO_NOT_CALL = "13800000000"  # examples/95598/outbound.yaml's do_not_call


def write_list(path: Path, entries: int, *, business_only: bool = False) -> Path:
    """`entries` customers, half 居民 half 企业 (or all 企业), every tenth important; the
    first row is a do-not-call number, and its number comes once more on the last row."""
    lines = ["电话,姓名,客户类别,重要客户,金额"]
    for i in range(entries):
        number = DO_NOT_CALL if i == 0 else f"139{i:08d}"
        kind = "企业" if business_only or i % 2 else "居民"
        lines.append(f"{number},客户{i},{kind},{'是' if i % 10 == 0 else '否'},{i}.50")
    lines.append(f"{DO_NOT_CALL},重复,居民,否,0")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def simulate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["simulate", str(SCENARIO), "--quiet", *args])
    out, err = capsys.readouterr()
    return code, out, err


def from_log(events: Path) -> dict[str, object]:
    """The campaign's figures counted straight from the event file, and its drop rate per
    half hour of local time."""
    with events.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    dialed = [r for r in rows if r["kind"] == "outbound.dialed" and r["campaign"] == "simulate"]
    calls = {r["call"] for r in dialed}
    closed = [r for r in rows if r["kind"] == "outbound.entry_closed"]
    windows: dict[datetime.datetime, list[int]] = {}
    for r in rows:
        if r.get("call") not in calls:
            continue
        dropped = r["kind"] == "contact.left" and r["reason"] == "dropped"
        if r["kind"] == "call.outbound_answered" or dropped:
            local = datetime.datetime.fromtimestamp(float(r["at"]), ZONE)
            start = local.replace(minute=local.minute // 30 * 30, second=0, microsecond=0)
            windows.setdefault(start, [0, 0])[1 if dropped else 0] += 1
    finished = [
        r
        for r in rows
        if r["kind"] == "outbound.campaign_changed" and r["campaign_state"] == "finished"
    ]
    return {
        "calls": len(dialed),
        "first_call": min(float(r["at"]) for r in dialed),
        "reached": sum(r["result"] in ("reached", "notified") for r in closed),
        "exhausted": sum(r["reason"] == "tries" for r in closed),
        "skipped": sum(r["result"] == "skipped" for r in closed),
        "do_not_call": sum(r["reason"] == "do_not_call" for r in closed),
        "closed": len(closed),
        "answered": sum(a for a, _ in windows.values()),
        "dropped": sum(d for _, d in windows.values()),
        "windows": windows,
        "finished": [float(r["at"]) for r in finished],
    }


def table_rows(out: str) -> dict[str, str]:
    """The 外呼 table's rows as printed: label → value."""
    section = out[out.index("外呼 outbound campaign") :]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip("│ ").split("│")]
        if len(cells) == 2 and cells[0]:
            rows[cells[0]] = cells[1]
    return rows


def test_progressive_figures_agree_with_the_event_log(tmp_path, capsys):
    listed = write_list(tmp_path / "回访名单.csv", 200)
    events = tmp_path / "day.csv"
    code, out, _ = simulate(
        capsys,
        "--json",
        "--campaign",
        str(listed),
        "--pacing",
        "progressive",
        "--events",
        str(events),
    )
    assert code == 0
    figures = json.loads(out)["outbound"]
    log = from_log(events)
    assert figures["queue"] == "outbound"  # outbound.yaml's first standing campaign's queue
    assert figures["pacing"] == "progressive"
    assert figures["entries"] == 200
    assert figures["duplicates"] == 1
    assert figures["calls"] == log["calls"] > 200  # some customers were called again
    assert figures["reached"] == log["reached"] > 0
    assert figures["exhausted"] == log["exhausted"]
    assert figures["skipped"] == log["skipped"] == log["do_not_call"] == 1
    assert figures["pending"] == 200 - log["closed"]
    assert (
        figures["reached"] + figures["exhausted"] + figures["skipped"] + figures["pending"] == 200
    )
    assert figures["answered"] == log["answered"] >= figures["reached"]
    assert figures["dropped"] == log["dropped"]
    rated = {start: d / a for start, (a, d) in log["windows"].items() if a}
    assert figures["worst_window_rate"] == max(rated.values())
    assert figures["windows_over_cap"] == sum(r > 0.03 for r in rated.values())
    assert figures["drop_cap"] == 0.03
    assert figures["agents"] == 6
    assert 0 < figures["occupancy"] < 1
    if log["finished"]:
        finished = datetime.datetime.fromtimestamp(log["finished"][0], ZONE)
        assert figures["finished_at"] == finished.strftime("%Y-%m-%d %H:%M")
    else:
        assert figures["finished_at"] is None
        assert figures["pending"] > 0
    # residents are called after work (18:00–21:00), businesses in office hours only
    first = datetime.datetime.fromtimestamp(log["first_call"], ZONE)
    assert datetime.time(8, 30) <= first.time() < datetime.time(12)

    code, printed, _ = simulate(capsys, "--campaign", str(listed), "--pacing", "progressive")
    assert code == 0
    rows = table_rows(printed)
    assert rows["呼叫次数 calls placed"] == f"{log['calls']:,}"
    assert rows["已接通客户 reached"] == f"{log['reached']:,}"
    assert rows["待拨 still pending"] == f"{figures['pending']:,}"
    assert rows["次数用尽 exhausted"] == f"{log['exhausted']:,}"
    assert rows["跳过 skipped"] == "1"
    assert rows["客户接听 answered"] == f"{log['answered']:,}"
    assert rows["放弃 dropped (no agent in time)"] == f"{log['dropped']:,}"
    finished_row = next(v for k, v in rows.items() if k.startswith("名单完成"))
    assert finished_row == (figures["finished_at"] or "未完成 not finished by the end")


def test_predictive_keeps_every_half_hour_within_the_cap(tmp_path, capsys):
    """Businesses in office hours, the campaign started at 10:00 and paced predictively:
    no half hour passes the 3 % cap, and the list is done within the day."""
    listed = write_list(tmp_path / "催费.csv", 200, business_only=True)
    events = tmp_path / "day.csv"
    code, out, _ = simulate(
        capsys,
        "--json",
        "--campaign",
        str(listed),
        "--pacing",
        "predictive",
        "--campaign-start",
        "10:00",
        "--events",
        str(events),
    )
    assert code == 0
    figures = json.loads(out)["outbound"]
    log = from_log(events)
    assert figures["pacing"] == "predictive"
    assert figures["started_at"] == "2026-07-15 10:00"
    assert datetime.datetime.fromtimestamp(log["first_call"], ZONE).time() >= datetime.time(10)
    assert figures["calls"] == log["calls"]
    assert figures["answered"] == log["answered"] > 50
    assert figures["dropped"] == log["dropped"]
    for start, (answered, dropped) in log["windows"].items():
        assert dropped <= math.floor(0.03 * answered), start
    assert figures["windows_over_cap"] == 0
    assert figures["worst_window_rate"] <= figures["drop_cap"]
    assert figures["pending"] == 0  # 200 businesses in a day of office hours
    finished = datetime.datetime.fromtimestamp(log["finished"][0], ZONE)
    assert figures["finished_at"] == finished.strftime("%Y-%m-%d %H:%M")


def test_residents_called_in_the_evening_keep_every_half_hour_within_the_cap(tmp_path, capsys):
    """Half the list are residents, called after work by the 中班 until it logs off at
    21:00 (the dialer places no call a customer could answer after a simulated agent's
    shift ends): no half hour passes the cap, the evening's included."""
    listed = write_list(tmp_path / "回访.csv", 200)
    events = tmp_path / "day.csv"
    code, out, _ = simulate(
        capsys, "--json", "--campaign", str(listed), "--pacing", "predictive",
        "--events", str(events),
    )  # fmt: skip
    assert code == 0
    figures = json.loads(out)["outbound"]
    log = from_log(events)
    late = [start for start in log["windows"] if start.hour >= 20]
    assert late, "the residents were called in the evening"
    for start, (answered, dropped) in log["windows"].items():
        assert dropped <= math.floor(0.03 * answered), start
    assert figures["windows_over_cap"] == 0


def test_figures_match_the_dialers_own_counts(tmp_path):
    """The figures folded from the events against the dialer's counters."""
    scenario, hotline = load_scenario(SCENARIO)
    sim = Simulation(scenario.model_copy(update={"hours": 20.0}), hotline)
    trial = campaign_on(sim, write_list(tmp_path / "l.csv", 120), pacing="predictive")
    result = sim.run()
    figures = trial.figures(sim.clock.now())
    progress = trial.dialer.progress("simulate")
    assert result.unfinished_calls == 0
    assert figures.entries == progress.entries == 120
    assert figures.calls == progress.calls
    assert figures.reached == progress.reached
    assert figures.exhausted == progress.exhausted
    assert figures.skipped == progress.skipped == 1
    assert figures.pending == progress.entries - progress.closed > 0  # residents: after 20:00
    assert figures.answered == progress.answered
    assert figures.dropped == progress.dropped
    assert trial.dialer.state("simulate") == "stopped"  # stopped when the arrivals ended


def test_a_bad_list_is_refused_naming_file_row_and_column(tmp_path, capsys):
    bad = tmp_path / "名单.csv"
    bad.write_text(
        "电话,姓名,客户类别\n13900000001,甲,居民\n1234,乙,居民\n13900000003,丙,工厂\n",
        encoding="utf-8",
    )
    code, out, err = simulate(capsys, "--campaign", str(bad))
    assert code == 2
    assert "Traceback" not in err
    assert "模拟结果" not in out
    assert f"{bad} 第 3 行「电话」" in err
    assert f"{bad} 第 4 行「客户类别」" in err
    assert "2 行有误" in err

    code, _, err = simulate(capsys, "--campaign", str(tmp_path / "missing.csv"))
    assert code == 2
    assert "missing.csv" in err


def test_preview_unknown_queue_and_options_without_a_list_are_refused(tmp_path, capsys):
    listed = write_list(tmp_path / "l.csv", 5)
    code, _, err = simulate(capsys, "--campaign", str(listed), "--pacing", "preview")
    assert code == 2
    assert "预览式" in err
    assert "preview pacing places no calls" in err
    code, _, err = simulate(capsys, "--campaign", str(listed), "--queue", "nosuch")
    assert code == 2
    assert "nosuch" in err
    assert "outbound" in err
    code, _, err = simulate(capsys, "--pacing", "predictive")
    assert code == 2
    assert "need --campaign" in err


def test_without_outbound_yaml_the_queue_is_required(tmp_path, capsys):
    site = tmp_path / "95598"
    shutil.copytree(EXAMPLE, site)
    (site / "outbound.yaml").unlink()
    listed = write_list(tmp_path / "l.csv", 5)
    scenario = site / "scenarios" / "weekday.yaml"
    code = main(["simulate", str(scenario), "--quiet", "--campaign", str(listed)])
    err = capsys.readouterr().err
    assert code == 2
    assert "--queue" in err
