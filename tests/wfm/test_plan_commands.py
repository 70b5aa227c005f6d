"""`hotline forecast`, `hotline staff` and `hotline schedule` with --json, and their
clear refusals (no history, a bad line, a week that is no date)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hotline.cli import main

EXAMPLE = Path(__file__).parents[2] / "examples" / "95598"
HOTLINE = EXAMPLE / "hotline.yaml"
HISTORY = EXAMPLE / "history.csv"
WEEK = "2026-12-07"  # the Monday after the example's eight weeks


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_forecast_json_gives_each_queue_a_week_of_half_hours_and_its_back_test(capsys) -> None:
    code, out, _ = run(
        capsys,
        "forecast",
        "--hotline",
        str(HOTLINE),
        "--history",
        str(HISTORY),
        "--week",
        WEEK,
        "--json",
    )
    assert code == 0
    plan = json.loads(out)
    assert plan["week_start"] == WEEK
    for queue in ("query", "fault", "complaint", "vip", "english"):
        forecast = plan["forecast"][queue]
        assert len(forecast["offered"]) == 336
        methods = {a["method"] for a in forecast["accuracy"]}
        assert methods == {"last_week", "same_type_mean", "mstl"}
        best = min(forecast["accuracy"], key=lambda a: a["wape"])
        assert forecast["method"] == best["method"]  # chosen by the back-test
    # the example's weeks are alike (simulated, no holiday): the forecast week is close to
    # the history's last week, counted by hand from the CSV
    last_week = sum(
        int(line.split(",")[2])
        for line in HISTORY.read_text(encoding="utf-8").splitlines()[1:]
        if "2026-11-30" <= line.split(",")[1][:10] <= "2026-12-06"
    )
    week = sum(sum(f["offered"]) for f in plan["forecast"].values())
    assert week == pytest.approx(last_week, rel=0.05)


def test_a_special_day_multiplies_that_days_forecast(capsys) -> None:
    args = (
        "forecast",
        "--hotline",
        str(HOTLINE),
        "--history",
        str(HISTORY),
        "--week",
        WEEK,
        "--json",
    )
    plain = json.loads(run(capsys, *args)[1])
    hot = json.loads(run(capsys, *args, "--special", "2026-12-09:1.5:fault:高温")[1])
    wednesday = slice(2 * 48, 3 * 48)
    for queue in plain["forecast"]:
        before = sum(plain["forecast"][queue]["offered"][wednesday])
        after = sum(hot["forecast"][queue]["offered"][wednesday])
        factor = 1.5 if queue == "fault" else 1.0
        assert after == pytest.approx(before * factor, rel=0.01)
        assert sum(hot["forecast"][queue]["offered"][:96]) == pytest.approx(
            sum(plain["forecast"][queue]["offered"][:96]), rel=0.01
        )


def test_staff_json_needs_more_agents_where_more_calls_come(capsys) -> None:
    code, out, _ = run(
        capsys,
        "staff",
        "--hotline",
        str(HOTLINE),
        "--history",
        str(HISTORY),
        "--week",
        WEEK,
        "--json",
    )
    assert code == 0
    staffing = json.loads(out)["staffing"]
    query = staffing["query"]
    assert query["target"] == {"level": 0.85, "seconds": 20.0}
    assert staffing["vip"]["target"] == {"level": 0.9, "seconds": 20.0}
    monday_10, monday_04 = 20, 8
    assert query["scheduled"][monday_10] > query["scheduled"][monday_04]
    for q in staffing.values():
        for on, scheduled in zip(q["on_phones"], q["scheduled"], strict=True):
            assert scheduled >= on  # the shrinkage only adds
        for level, on in zip(q["service_level"], q["on_phones"], strict=True):
            if on and level is not None:
                assert level >= q["target"]["level"] - 1e-9


def test_bad_input_is_refused_in_one_line_naming_the_place(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "forecast", "--hotline", str(HOTLINE), "--week", WEEK)
    assert code == 2
    assert "no history" in err
    bad = tmp_path / "bad.csv"
    bad.write_text("queue,interval_start,offered\nquery,2026-11-02 08:00,x\n", encoding="utf-8")
    code, _, err = run(
        capsys, "forecast", "--hotline", str(HOTLINE), "--history", str(bad), "--week", WEEK
    )
    assert code == 2
    assert f"{bad}:2: column offered" in err
    code, _, err = run(
        capsys,
        "forecast",
        "--hotline",
        str(HOTLINE),
        "--history",
        str(HISTORY),
        "--week",
        WEEK,
        "--special",
        "2026-12-09:fast",
    )
    assert code == 2
    assert "factor 'fast' is not a number" in err


def test_rules_no_week_can_keep_are_refused_naming_the_agent_and_the_rule(
    capsys, tmp_path: Path
) -> None:
    rules = (EXAMPLE / "wfm.yaml").read_text(encoding="utf-8")
    # 9003 works 7d5s (five days) but is now on leave six days of the seven
    rules = rules.replace("leave: [sat, sun]}", "leave: [mon, tue, wed, thu, fri, sat]}")
    (tmp_path / "wfm.yaml").write_text(rules, encoding="utf-8")
    code, _, err = run(
        capsys, "schedule", "--hotline", str(HOTLINE), "--wfm", str(tmp_path / "wfm.yaml"),
        "--history", str(HISTORY), "--week", WEEK, "--time-limit", "10",
    )  # fmt: skip
    assert code == 2
    assert "agent 9003" in err
    assert "leave" in err
