"""`hotline report` and `hotline export events`: formats, sources, and bad input answered in
one line."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from hotline.cli import main
from tests.metrics.conftest import load_database, write_parquet
from tests.metrics.handlog import day_log

DAY = ["--from", "2026-07-15", "--to", "2026-07-15"]


@pytest.fixture
def parquet(tmp_path):
    write_parquet(tmp_path / "day.parquet", day_log().events)
    return str(tmp_path / "day.parquet")


def test_csv_by_interval(parquet, capsys):
    assert main(["report", *DAY, "--by", "interval", "--format", "csv", "--parquet", parquet]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 48 + 1
    nine = next(r for r in rows if r["key"] == "2026-07-15 09:00")
    assert float(nine["total_calls"]) == 8
    assert rows[-1]["key"] == "total"
    assert float(rows[-1]["service_level"]) == pytest.approx(1 / 3)
    assert rows[-1]["cost_per_call"] == ""  # no value, not 0


def test_json_with_options(parquet, capsys):
    args = ["report", *DAY, "--by", "queue", "--format", "json", "--parquet", parquet,
            "--sl-variant", "removed", "--figures", "service_level,asa"]  # fmt: skip
    assert main(args) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["query"]["sl_variant"] == "removed"
    assert set(document["figures"]) == {"service_level", "asa"}
    assert document["total"]["service_level"] == pytest.approx(1 / 4)
    query = next(r for r in document["rows"] if r["key"] == "query")
    assert query["values"]["service_level"] == 0.0


def test_xlsx_and_table(parquet, tmp_path, capsys):
    out = tmp_path / "report.xlsx"
    args = ["report", *DAY, "--by", "agent", "--format", "xlsx", "--output", str(out)]
    assert main([*args, "--parquet", parquet]) == 0
    book = openpyxl.load_workbook(out)
    sheet = book["报表"]
    header = [c.value for c in sheet[1]]
    handled = header.index("处理通话 Conversations handled") + 1
    assert [sheet.cell(row=r, column=handled).value for r in range(2, 6)] == [1, 1, 1, 3]
    about = {row[0]: row for row in book["指标说明"].iter_rows(min_row=2, values_only=True)}
    assert about["service_level"][5] == "按坐席分组时无定义"
    capsys.readouterr()
    assert main(["report", *DAY, "--by", "total", "--parquet", parquet]) == 0
    text = capsys.readouterr().out
    assert "服务水平 Service level" in text
    assert "33.3%" in text
    assert "未配置成本" in text


def test_export_events_then_report_from_the_files(tmp_path, capsys):
    db = load_database(f"sqlite:///{tmp_path / 'h.db'}", day_log().events)
    db.close()
    out = tmp_path / "export"
    assert main(["export", "events", str(out), "--db", str(tmp_path / "h.db")]) == 0
    assert [p.name for p in sorted(out.iterdir())] == ["events-2026-07-15.parquet"]
    capsys.readouterr()
    for source in (["--db", str(tmp_path / "h.db")], ["--parquet", str(out)]):
        assert main(["report", *DAY, "--format", "json", *source]) == 0
        total = json.loads(capsys.readouterr().out)["total"]
        assert total["total_calls"] == 9
        assert total["aht"] == pytest.approx(451 / 3)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-07-16", "--to", "2026-07-15"], "before --from"),
        ([*DAY, "--db", "/nonexistent/h.db"], "no such database file"),
        ([*DAY, "--parquet", "/nonexistent"], "not a .parquet event file"),
        ([*DAY, "--format", "xlsx"], "give --output"),
    ],
)
def test_bad_input_is_one_line(args, message, parquet, capsys):
    if "--db" not in args and "--parquet" not in args:
        args = [*args, "--parquet", parquet]
    assert main(["report", *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "args",
    [
        ["--from", "15.7.2026", "--to", "2026-07-15"],
        [*DAY, "--figures", "nope"],
        [*DAY, "--by", "x"],
    ],
)
def test_bad_arguments_exit_2(args, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["report", *args])
    assert stop.value.code == 2
    assert "Traceback" not in capsys.readouterr().err
