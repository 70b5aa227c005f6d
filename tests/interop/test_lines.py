"""The queue_log file and the realtime-table exports are read alike; bad lines are located."""

from __future__ import annotations

import datetime
import gzip
import zoneinfo
from pathlib import Path

import pytest

from hotline.interop.errors import QueueLogFileError
from hotline.interop.queue_log import Line, Problem, parse_lines, read_file
from hotline.interop.queue_log.lines import parse_time

UTC = datetime.UTC
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def parsed(text: str, zone: datetime.tzinfo = UTC) -> list[Line | Problem]:
    return list(parse_lines(text.splitlines(keepends=True), source="q.log", zone=zone))


def test_file_lines_keep_every_parameter_and_their_line_numbers():
    records = parsed(
        "1366720340|1366720340.303267|MYQUEUE|SIP/8007|RINGNOANSWER|1000\r\n"
        "\n"
        "1366720341|NONE|NONE|NONE|QUEUESTART|\n"
        "1366720342|1366720340.303267|MYQUEUE|NONE|ENTERQUEUE||13800000001|1|张三\n"
    )
    assert records == [
        Line(
            "q.log", 1, 1366720340.0, "1366720340.303267", "MYQUEUE", "SIP/8007", "RINGNOANSWER",
            ("1000",),
        ),
        Line("q.log", 3, 1366720341.0, "NONE", "NONE", "NONE", "QUEUESTART", ("",)),
        Line(
            "q.log", 4, 1366720342.0, "1366720340.303267", "MYQUEUE", "NONE", "ENTERQUEUE",
            ("", "13800000001", "1", "张三"),
        ),
    ]  # fmt: skip
    first = records[0]
    assert isinstance(first, Line)
    assert first.seconds(0, "ringtime", scale=0.001) == 1.0
    assert first.seconds(1, "missing") is None
    assert first.text(5) == ""


def test_broken_lines_are_problems_with_their_place_and_the_rest_is_read():
    records = parsed(
        "1366720340|c1|q|NONE\n"
        "yesterday|c1|q|NONE|ENTERQUEUE||1|1\n"
        "1366720340|c1|q|NONE|ENTER QUEUE\n"
        "1366720341|c1|q|NONE|ABANDON|1|1|1\n"
    )
    assert [str(r) for r in records if isinstance(r, Problem)] == [
        "q.log:1: expected time|callid|queuename|agent|event[|data…], found 4 field(s)",
        "q.log:2: time 'yesterday' is neither epoch seconds nor a date and time",
        "q.log:3: event name 'ENTER QUEUE' is not an event",
    ]
    assert [r.number for r in records if isinstance(r, Line)] == [4]


def test_adaptive_realtime_table_export_with_data1_to_data5():
    """An ATTENDEDTRANSFER LINK has six parts: Asterisk leaves the last two in data5."""
    records = parsed(
        "id,time,callid,queuename,agent,event,data1,data2,data3,data4,data5\n"
        "7,2012-07-03 15:27:23.896208,1341343640.4,q1,Agent/3001,ATTENDEDTRANSFER,"
        'LINK,SIP/a-1,SIP/b-2,5,"60|1"\n'
        "8,2012-07-03 15:28:00,1341343640.5,q1,NONE,ENTERQUEUE,,0612345678,1,,\n",
        zone=SHANGHAI,
    )
    link, enter = records
    assert isinstance(link, Line)
    assert isinstance(enter, Line)
    assert link.data == ("LINK", "SIP/a-1", "SIP/b-2", "5", "60", "1")
    assert link.at == datetime.datetime(2012, 7, 3, 15, 27, 23, 896208, SHANGHAI).timestamp()
    assert (link.number, link.agent, link.event) == (2, "Agent/3001", "ATTENDEDTRANSFER")
    assert enter.data == ("", "0612345678", "1")


def test_old_realtime_table_with_one_data_column_tab_separated():
    records = parsed(
        "time\tcallid\tqueuename\tagent\tevent\tdata\n"
        "2012-07-03 15:27:23\tc1\tq1\tNONE\tABANDON\t1|1|47\n",
    )
    (line,) = records
    assert isinstance(line, Line)
    assert line.data == ("1", "1", "47")
    assert line.at == datetime.datetime(2012, 7, 3, 15, 27, 23, tzinfo=UTC).timestamp()


def test_psql_aligned_output():
    rows = [
        "  time  | callid | queuename |  agent   |  event  | data1 | data2 | data3 | data4 | data5",
        "--------+--------+-----------+----------+---------+-------+-------+-------+-------+------",
        " 2012-07-03 15:28:07.348244 | NONE | q2 | Agent/3001 | UNPAUSE |  |  |  |  |",
        " 2012-07-03 15:28:06.249357 | NONE | NONE | Agent/3001 | AGENTCALLBACKLOGOFF "
        "| 1002@pcm-dev | 43 | CommandLogoff |  |",
        "(2 rows)",
    ]
    records = parsed("\n".join(rows))
    assert [(r.event, r.queue, r.data) for r in records if isinstance(r, Line)] == [
        ("UNPAUSE", "q2", ()),
        ("AGENTCALLBACKLOGOFF", "NONE", ("1002@pcm-dev", "43", "CommandLogoff")),
    ]


def test_time_forms():
    assert parse_time("1366720340", UTC) == 1366720340.0
    assert parse_time("1366720340.25", UTC) == 1366720340.25
    assert parse_time("2023-11-15 06:13:20", SHANGHAI) == 1_700_000_000.0
    assert parse_time("2023-11-14T22:13:20+00:00", SHANGHAI) == 1_700_000_000.0


def test_times_outside_1990_to_2100_are_broken_lines_not_calls():
    assert parse_time("631152000", UTC) == 631152000.0  # 1990-01-01 00:00 UTC
    assert parse_time("2099-12-31 23:59:59", UTC) == 4102444799.0
    for broken in ("100000000000000", "1700000000000", "9" * 400, "3000-01-01 00:00:00", "0"):
        with pytest.raises(ValueError, match="is not between 1990 and 2100"):
            parse_time(broken, UTC)
    (problem, line) = parsed(
        "100000000000000|c1|q|NONE|ENTERQUEUE||1|1\n1700000000|c1|q|NONE|ABANDON|1|1|1\n"
    )
    assert str(problem) == "q.log:1: time '100000000000000' is not between 1990 and 2100"
    assert isinstance(line, Line)


def test_a_huge_line_is_quoted_by_its_first_80_characters():
    """A 5 MB line (a binary blob pasted in, a runaway dialplan) must not flood the terminal."""
    huge = "x" * 5_000_000
    problems = [
        str(r)
        for r in parsed(
            f"{huge}|c1|q|NONE|ENTERQUEUE\n"
            f"1700000000|c1|q|NONE|{huge}\n"
            f"1700000000|c1|q|NONE|ENTERQUEUE||{huge}|1\n"
        )
        if isinstance(r, Problem)
    ]
    assert problems == [
        f"q.log:1: time '{'x' * 80}…' is neither epoch seconds nor a date and time",
        f"q.log:2: event name '{'x' * 80}…' is not an event",
    ]
    (ring,) = [r for r in parsed(f"1700000000|c1|q|A|RINGNOANSWER|{huge}\n") if isinstance(r, Line)]
    with pytest.raises(ValueError, match="is not a number") as raised:
        ring.seconds(0, "ringtime")
    assert str(raised.value) == f"RINGNOANSWER ringtime '{'x' * 80}…' is not a number"


def test_gzipped_and_gb18030_files(tmp_path: Path):
    packed = tmp_path / "queue_log.1.gz"
    packed.write_bytes(gzip.compress(b"1366720340|c1|q|NONE|ENTERQUEUE||1|1\n"))
    legacy = tmp_path / "queue_log"
    legacy.write_bytes("1366720340|c1|q|NONE|ENTERQUEUE||1|1|王五\n".encode("gb18030"))
    (a,) = read_file(packed, UTC)
    (b,) = read_file(legacy, UTC)
    assert isinstance(a, Line)
    assert isinstance(b, Line)
    assert a.event == "ENTERQUEUE"
    assert b.text(3) == "王五"


def test_files_that_cannot_be_read_at_all(tmp_path: Path):
    with pytest.raises(QueueLogFileError, match="cannot read the file"):
        list(read_file(tmp_path / "nothing", UTC))
    binary = tmp_path / "queue_log.db"
    binary.write_bytes(b"SQLite format 3\x00\x00\x00")
    with pytest.raises(QueueLogFileError, match="not a text file"):
        list(read_file(binary, UTC))
    broken = tmp_path / "queue_log.gz"
    broken.write_bytes(b"\x1f\x8b not really gzip")
    with pytest.raises(QueueLogFileError, match=f"{broken}: cannot read the file"):
        list(read_file(broken, UTC))
