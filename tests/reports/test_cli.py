"""`hotline management-report`: the daily or monthly report written to an HTML file, and
bad input refused in one line naming the option."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hotline.cli import main
from hotline.store.db import Database
from tests.reports.conftest import hand_events, load

WEEKDAY = Path(__file__).resolve().parents[2] / "examples" / "95598" / "scenarios" / "weekday.yaml"


@pytest.fixture(scope="module")
def db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "hand.db"
    db = Database.open(f"sqlite:///{path}")
    load(db, hand_events())
    db.close()
    return path


def test_the_daily_report_is_written_with_its_explanation(db_file, tmp_path, capsys):
    out = tmp_path / "daily.html"
    args = ["--day", "2026-07-15", "--db", str(db_file), "--out", str(out)]
    assert main(["management-report", *args]) == 0
    assert capsys.readouterr().out.strip() == f"{out}: day report 2026-07-15, 1 findings"
    page = out.read_text("utf-8")
    assert "运营日报" in page
    findings = re.findall(r'<p class="finding">(.*?)</p>', page)
    assert findings == [
        "呼叫放弃率从 0.0% 升至 33.3%，服务水平从 50.0% 降至 33.3%，人工接通率从 50.0% 降至 40.0%："
        "09:00–09:30 来话量 +25%（4→5 通），平均处理时长、签入坐席工时基本未变"
        "（无排班数据，未判断实际工作率）。"
    ]
    assert 'id="report-toolbar"' not in page  # a file has no console links
    assert page.count("<svg") == 5
    assert '<tr data-figure="total_calls">' in page


def test_the_monthly_report_in_english_with_the_scenario_s_schedule(db_file, tmp_path):
    out = tmp_path / "monthly.html"
    args = ["management-report", "--month", "2026-07", "--db", str(db_file), "--out", str(out)]
    assert main([*args, "--lang", "en", "--scenario", str(WEEKDAY)]) == 0
    page = out.read_text("utf-8")
    assert "Monthly management report" in page
    # June holds no events at all: no change is worked out against it
    assert (
        "No data for the previous period (the month before: no calls, no agent time) "
        "to compare with." in page
    )
    work = re.search(r'<tr data-figure="work_rate">(.*?)</tr>', page, re.S)
    assert work is not None
    assert "no data for the previous period" in work.group(1)
    assert "pp" not in work.group(1)


def test_report_sets_the_log_against_the_roster_as_the_console_does(tmp_path, capsys):
    """A log of other days than the scenario's own (a demo run today): the console sets
    it against the roster on the days the log holds, and so does `hotline report` (it
    used to apply the roster to the scenario's dates and print — for the work rate)."""
    import datetime
    import json

    from hotline.metrics import Query
    from hotline.reports.schedule import hotline_data, log_days
    from hotline.site import SiteConfig
    from hotline.store.analytics import figures
    from tests.metrics.handlog import SH, day_log
    from tests.reports.conftest import earlier

    weeks = 3 * 7 * 86400.0  # 2026-08-05, a Wednesday too
    path = tmp_path / "later.db"
    db = Database.open(f"sqlite:///{path}")
    load(db, [earlier(e, -weeks) for e in day_log().events])
    args = ["report", "--from", "2026-08-05", "--to", "2026-08-05", "--db", str(path)]
    assert main([*args, "--scenario", str(WEEKDAY), "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)["total"]["work_rate"]
    from hotline.sim.run import load_scenario

    scenario = load_scenario(WEEKDAY)[0]
    site = SiteConfig.load(WEEKDAY.parents[1] / "hotline.yaml")
    extra = hotline_data(site, scenario, log_days(db, SH))
    day = datetime.datetime(2026, 8, 5, tzinfo=SH)
    query = Query(start=day, end=day + datetime.timedelta(days=1), by="day")
    console = figures(db, query, extra).total.values["work_rate"]
    db.close()
    assert console is not None
    assert printed == pytest.approx(console)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2026-7"], "hotline: --month：不是月份（格式 YYYY-MM）：'2026-7'"),
        (["--day", "2026-07-15", "--db", "/nonexistent/x.db"], "/nonexistent/x.db: no such"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(db_file, tmp_path, capsys, args, message):
    command = ["management-report", *args, "--out", str(tmp_path / "x.html")]
    if "--db" not in args:
        command += ["--db", str(db_file)]
    assert main(command) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) or message in err
    assert len(err.strip().splitlines()) == 1


def test_an_unwritable_output_file_is_exit_1(db_file, capsys):
    args = ["--day", "2026-07-15", "--db", str(db_file), "--out", "/nonexistent/dir/x.html"]
    assert main(["management-report", *args]) == 1
    assert "--out /nonexistent/dir/x.html" in capsys.readouterr().err
