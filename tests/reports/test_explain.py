"""The explanation of a management report (`hotline.reports.explain` and `words`) on
hand-made tables, one per cause: volume, handle time, staffing, adherence, and no
material change. Every expected number is worked out in the test from the rows."""

from __future__ import annotations

import math

import pytest

from hotline.reports import Cause, Move, Window, describe, explain
from hotline.reports.explain import best_run
from tests.reports.tables import BEFORE, DAY, Rows, halves, side

TIMES = halves("07:00", 12)  # 07:00 … 12:30
N = len(TIMES)


def flat(value: float) -> list[float]:
    return [value] * N


def rows(
    offered: list[float] | None = None,
    aht: list[float] | None = None,
    scheduled: list[float] | None = None,
    work_rate: list[float] | None = None,
    logged_in: list[float] | None = None,
    outcomes: dict[str, list[float | None]] | None = None,
    totals: dict[str, float | None] | None = None,
    schedule: bool = True,
) -> Rows:
    """Twelve half hours: 50 calls each, AHT 200 s, 10 agent hours scheduled and logged in,
    work rate 95%, unless told otherwise; the service figures unchanged unless told."""
    sched = scheduled or flat(10.0)
    base_totals: dict[str, float | None] = {
        "service_level": 0.85, "abandon_rate": 0.041, "asa": 10.0, "answered_rate": 0.95,
    }  # fmt: skip
    return Rows(
        offered=offered or flat(50),
        aht=aht or flat(200.0),
        logged_in=logged_in or list(sched),
        work_rate=(work_rate or flat(0.95)) if schedule else None,
        scheduled=sched if schedule else None,
        outcomes=outcomes or {},
        totals=base_totals | (totals or {}),
    )


def window_of(first: str, last: str) -> Window:
    return Window(f"{DAY} {first}", f"{DAY} {last}", "interval")


def test_a_volume_surge_explains_a_higher_abandon_rate():
    # 09:00–11:00 (rows 4–7): 59 calls a half hour instead of 50, i.e. 236 instead of 200
    offered = [59 if 4 <= i <= 7 else 50 for i in range(N)]
    abandon = [0.10 if 4 <= i <= 7 else 0.041 for i in range(N)]
    before = side(BEFORE, TIMES, rows(outcomes={"abandon_rate": flat(0.041)}))
    now = side(
        DAY,
        TIMES,
        rows(offered=offered, outcomes={"abandon_rate": abandon}, totals={"abandon_rate": 0.063}),
    )
    [finding] = explain(now, before)
    assert finding.kind == "worse"
    assert finding.moves == (Move("abandon_rate", 0.041, 0.063, pytest.approx(2.2)),)
    assert finding.window == window_of("09:00", "10:30")
    [volume] = finding.causes
    assert volume == Cause("volume", 200, 236, pytest.approx(math.log(236 / 200)))
    assert [c.driver for c in finding.steady] == ["handle_time", "staffing", "adherence"]
    assert [(c.previous, c.current) for c in finding.steady] == [
        (200.0, 200.0), (40.0, 40.0), (pytest.approx(0.95), pytest.approx(0.95)),
    ]  # fmt: skip
    assert describe(finding, "zh") == (
        "呼叫放弃率从 4.1% 升至 6.3%：09:00–11:00 来话量 +18%（200→236 通），"
        "平均处理时长、排班坐席工时、实际工作率基本未变。"
    )
    assert describe(finding, "en") == (
        "Abandon rate rose from 4.1% to 6.3%: between 09:00 and 11:00, calls +18% (200→236) "
        "while AHT, scheduled agent hours and actual work rate were about unchanged."
    )


def test_a_longer_handle_time_all_day_explains_a_lower_service_level():
    level = {"service_level": flat(0.88)}
    before = side(BEFORE, TIMES, rows(outcomes=level, totals={"service_level": 0.88}))
    now = side(
        DAY,
        TIMES,
        rows(
            aht=flat(240.0),
            outcomes={"service_level": flat(0.80)},
            totals={"service_level": 0.80},
        ),
    )
    [finding] = explain(now, before)
    assert finding.kind == "worse"
    assert [m.key for m in finding.moves] == ["service_level"]
    assert finding.window is None  # every half hour alike: the whole day
    [aht] = finding.causes
    assert (aht.driver, aht.previous, aht.current) == ("handle_time", 200.0, 240.0)
    assert aht.share == pytest.approx(math.log(1.2))
    assert {c.driver for c in finding.steady} == {"volume", "staffing", "adherence"}
    assert describe(finding, "zh") == (
        "服务水平从 88.0% 降至 80.0%：平均处理时长 +20%（200→240 秒），"
        "来话量、排班坐席工时、实际工作率基本未变。"
    )


def test_fewer_scheduled_agents_explain_a_lower_service_level():
    # 10:00–12:00 (rows 6–9): 8 scheduled agent hours a half hour instead of 10
    scheduled = [8.0 if 6 <= i <= 9 else 10.0 for i in range(N)]
    level = [0.70 if 6 <= i <= 9 else 0.85 for i in range(N)]
    before = side(BEFORE, TIMES, rows(outcomes={"service_level": flat(0.85)}))
    now = side(
        DAY,
        TIMES,
        rows(
            scheduled=scheduled,
            outcomes={"service_level": level},
            totals={"service_level": 0.80},
        ),
    )
    [finding] = explain(now, before)
    assert finding.window == window_of("10:00", "11:30")
    [staffing] = finding.causes
    assert (staffing.driver, staffing.previous, staffing.current) == ("staffing", 40.0, 32.0)
    assert staffing.share == pytest.approx(-math.log(32 / 40))
    assert staffing.scheduled
    assert describe(finding, "zh") == (
        "服务水平从 85.0% 降至 80.0%：10:00–12:00 排班坐席工时 -20%（40.0→32.0 小时），"
        "来话量、平均处理时长、实际工作率基本未变。"
    )
    assert "between 10:00 and 12:00, scheduled agent hours -20% (40.0→32.0 h)" in describe(
        finding, "en"
    )


def test_a_lower_work_rate_explains_a_lower_service_level():
    # 10:00–12:00: agents scheduled as before, but available 76% of it instead of 95%
    rate = [0.76 if 6 <= i <= 9 else 0.95 for i in range(N)]
    level = [0.70 if 6 <= i <= 9 else 0.85 for i in range(N)]
    before = side(BEFORE, TIMES, rows(outcomes={"service_level": flat(0.85)}))
    now = side(
        DAY,
        TIMES,
        rows(work_rate=rate, outcomes={"service_level": level}, totals={"service_level": 0.80}),
    )
    [finding] = explain(now, before)
    assert finding.window == window_of("10:00", "11:30")
    [adherence] = finding.causes
    assert adherence.driver == "adherence"
    assert (adherence.previous, adherence.current) == (pytest.approx(0.95), pytest.approx(0.76))
    assert adherence.share == pytest.approx(-math.log(0.76 / 0.95))
    assert {c.driver for c in finding.steady} == {"volume", "handle_time", "staffing"}
    assert describe(finding, "zh") == (
        "服务水平从 85.0% 降至 80.0%：10:00–12:00 实际工作率从 95.0% 降至 76.0%，"
        "来话量、平均处理时长、排班坐席工时基本未变。"
    )


def test_small_changes_are_no_material_change():
    before = side(BEFORE, TIMES, rows(totals={"abandon_rate": 0.030}))
    now = side(
        DAY,
        TIMES,
        rows(
            offered=[51 if i < 6 else 50 for i in range(N)],  # 606 calls instead of 600
            totals={"service_level": 0.855, "abandon_rate": 0.032, "asa": 10.5,
                    "answered_rate": 0.952},
        ),
    )  # fmt: skip
    [finding] = explain(now, before)
    assert finding.kind == "steady"
    assert finding.causes == ()
    assert {c.driver for c in finding.steady} == {"volume", "handle_time", "staffing", "adherence"}
    volume = next(c for c in finding.steady if c.driver == "volume")
    assert volume.share == pytest.approx(math.log(606 / 600))
    assert describe(finding, "zh") == "服务水平、呼叫放弃率、平均应答速度与前一日相比无明显变化。"
    assert describe(finding, "en", "month") == (
        "Service level, abandon rate and ASA about the same as the month before."
    )


def test_more_calls_met_by_more_agents_leave_the_service_steady():
    before = side(BEFORE, TIMES, rows())
    now = side(DAY, TIMES, rows(offered=flat(60), scheduled=flat(12.0)))
    [finding] = explain(now, before)
    assert finding.kind == "steady"
    assert [(c.driver, c.previous, c.current) for c in finding.causes] == [
        ("volume", 600, 720), ("staffing", 120.0, 144.0),
    ]  # fmt: skip
    assert finding.causes[0].share == pytest.approx(math.log(1.2))
    assert finding.causes[1].share == pytest.approx(-math.log(1.2))
    assert describe(finding, "zh") == (
        "服务水平、呼叫放弃率、平均应答速度与前一日相比无明显变化；"
        "来话量 +20%（600→720 通），排班坐席工时 +20%（120.0→144.0 小时）。"
    )


def test_fewer_calls_explain_a_better_service():
    before = side(BEFORE, TIMES, rows(totals={"service_level": 0.80}))
    now = side(DAY, TIMES, rows(offered=flat(40), totals={"service_level": 0.90}))
    [finding] = explain(now, before)
    assert finding.kind == "better"
    [volume] = finding.causes
    assert (volume.driver, volume.previous, volume.current) == ("volume", 600, 480)
    assert volume.share == pytest.approx(math.log(0.8))
    assert describe(finding, "zh").startswith(
        "服务水平从 80.0% 升至 90.0%：来话量 -20%（600→480 通）"
    )


def test_without_a_schedule_staffing_is_logged_in_time_and_adherence_is_unknown():
    offered = [59 if 4 <= i <= 7 else 50 for i in range(N)]
    abandon = [0.10 if 4 <= i <= 7 else 0.041 for i in range(N)]
    before = side(BEFORE, TIMES, rows(outcomes={"abandon_rate": flat(0.041)}, schedule=False))
    now = side(
        DAY,
        TIMES,
        rows(
            offered=offered,
            outcomes={"abandon_rate": abandon},
            totals={"abandon_rate": 0.063},
            schedule=False,
        ),
    )
    [finding] = explain(now, before)
    assert finding.unknown == ("adherence",)
    staffing = next(c for c in finding.steady if c.driver == "staffing")
    assert not staffing.scheduled
    assert (staffing.previous, staffing.current) == (40.0, 40.0)  # logged-in hours 09:00–11:00
    assert describe(finding, "zh") == (
        "呼叫放弃率从 4.1% 升至 6.3%：09:00–11:00 来话量 +18%（200→236 通），"
        "平均处理时长、签入坐席工时基本未变（无排班数据，未判断实际工作率）。"
    )


def test_a_move_nothing_explains_says_so():
    before = side(BEFORE, TIMES, rows(totals={"service_level": 0.90}))
    now = side(DAY, TIMES, rows(totals={"service_level": 0.80}))
    [finding] = explain(now, before)
    assert finding.kind == "worse"
    assert finding.causes == ()
    assert "不足以解释" in describe(finding, "zh")
    assert "do not explain it" in describe(finding, "en")


def test_no_calls_now_or_before():
    empty = rows(offered=flat(0))
    assert [f.kind for f in explain(side(DAY, TIMES, empty), side(BEFORE, TIMES, rows()))] == [
        "no_calls"
    ]
    [finding] = explain(side(DAY, TIMES, rows()), side(BEFORE, TIMES, empty))
    assert finding.kind == "no_previous"
    assert describe(finding, "zh", "month") == "上月无来话，无法比较。"


def test_a_month_compares_calls_and_hours_per_day_and_names_days():
    july = [f"2026-07-{d:02d}" for d in range(1, 32)]
    june = [f"2026-06-{d:02d}" for d in range(1, 31)]

    def month(days: list[str], level: list[float], total: float) -> Rows:
        n = len(days)
        return Rows(
            offered=[1000] * n,
            aht=[200.0] * n,
            logged_in=[300.0] * n,
            outcomes={"service_level": level},
            totals={"service_level": total, "abandon_rate": 0.03, "asa": 10.0,
                    "answered_rate": 0.95},
        )  # fmt: skip

    # 3–9 July: service level 60% instead of 85%; calls and hours per day the same
    july_level = [0.60 if 3 <= d <= 9 else 0.85 for d in range(1, 32)]
    now = side(DAY, july, month(july, july_level, 0.80), by="day")
    before = side(BEFORE, june, month(june, [0.85] * 30, 0.85), by="day")
    [finding] = explain(now, before)
    assert finding.window == Window("2026-07-03", "2026-07-09", "day")
    volume = next(c for c in finding.steady if c.driver == "volume")
    assert (volume.previous, volume.current) == (7000, 7000)  # 3–9 July against 3–9 June
    assert describe(finding, "zh", "month").startswith(
        "服务水平从 85.0% 降至 80.0%：7月3日–7月9日 "
    )
    assert "between Jul 3 and Jul 9, " in describe(finding, "en", "month")

    # spread over the whole month: no window, calls per day (31 000 / 31 against 30 000 / 30)
    now = side(DAY, july, month(july, [0.80] * 31, 0.80), by="day")
    [finding] = explain(now, before)
    assert finding.window is None
    volume = next(c for c in finding.steady if c.driver == "volume")
    assert (volume.previous, volume.current, volume.per_day) == (1000, 1000, True)


@pytest.mark.parametrize(
    ("gains", "run"),
    [
        ([0.0, 1.0, 5.0, 5.0, 0.5, -3.0, 4.0], (1, 6)),  # 12.5 over six rows; no weak edge
        ([0.1, 3.0, 3.0, 0.1], (1, 2)),  # edges under a quarter of the mean are dropped
        ([2.0, 2.0, 2.0], (0, 2)),  # alike: all of them
        ([-1.0, 0.0, -2.0], None),  # nothing gains
        ([1.0, -5.0, 3.0], (2, 2)),
    ],
)
def test_the_window_is_the_largest_run(gains, run):
    assert best_run(gains) == run
