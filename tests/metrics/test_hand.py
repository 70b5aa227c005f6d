"""Every figure over the hand-made log of `handlog`, worked out by hand, on each engine.

The arithmetic is written out in each assertion (e.g. ``451 / 8800``) so it can be
checked against the story in `tests/metrics/handlog.py`.
"""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from hotline.core.ids import CallId
from hotline.metrics import (
    Cost,
    ExternalData,
    OrderCheck,
    QaScore,
    Query,
    Shift,
    SlVariant,
    StaffRecord,
)
from hotline.orders.events import OrderCreated
from hotline.store.analytics import figures
from tests.metrics.handlog import (
    DAY,
    SH,
    Log,
    S,
    T,
    consult_log,
    day_log,
    midnight_log,
    outbound_log,
)

NEXT_DAY = DAY + datetime.timedelta(days=1)


def q(**kwargs: object) -> Query:
    options: dict[str, object] = {"start": DAY, "end": NEXT_DAY, "by": "day"}
    options.update(kwargs)
    return Query(**options)  # type: ignore[arg-type]


def test_every_event_figure_of_the_day(load):
    table = figures(load(day_log().events), q())
    assert [r.key for r in table.rows] == ["2026-07-15"]
    v = table.rows[0].values
    assert v == table.total.values
    expected = {
        # calls, by arrival: c1 c2 c3 c4 c5 c6 c7 c8 c10
        "total_calls": 9, "calls_answered": 2, "calls_abandoned": 3, "calls_blocked": 1,
        "calls_self_served": 2, "calls_callback": 1,
        "queued_rate": 5 / 9, "blocked_rate": 1 / 9, "connection_rate_auto": 8 / 9,
        # queue: c1 (5 s), c2 (short abandon 10 s), c3 (abandon 40 s), c4 (first answer 34 s),
        # c8 (callback after 600 s)
        "offered": 5, "answered": 2, "abandoned": 2, "abandoned_short": 1,
        "service_level": 1 / (2 + 1), "abandon_rate": 1 / (2 + 1), "abandon_time": (10 + 40) / 2,
        "asa": (5 + 34) / 2, "rings": (5 + 4) / 3 / 2, "ring_time": (5 + 4) / 2,
        "queue_time": (5 + 10 + 40 + 34 + 600) / 5, "answered_rate": 2 / 5,
        "connection_rate_manual": 2 / 5,
        # conversations: 1001 c1 (185 talk incl. 30 hold, 30 ACW), 1002 c4 (56, transferred,
        # 20 ACW), 1003 c4 (100, 60 ACW)
        "handled": 3, "acw": (30 + 20 + 60) / 3, "aht": (185 + 56 + 100 + 110) / 3,
        "hold_time": 30 / 3, "talk_time": (155 + 56 + 100) / 3, "transfer_rate": 1 / 3,
        # agent time: talk 311, hold 30, wrap-up 110, ready 8326, ringing 23; logged in 9300
        "occupancy": 451 / 8800, "occupancy_seed": 341 / 8690,
        "calls_per_hour": 3 / (9300 / 3600), "logged_in_hours": 9300 / 3600,
        "agents_logged_in": 3,
        # surveys 5 and 3; callbacks cb1 (past due, open) cb2 (done in time)
        "satisfaction": 1 / 2, "survey_score": 4, "callbacks_created": 2,
        "callback_in_time": 1 / 2,
        # c1's caller called again at 10:00, c4's did not
        "fcr": 1 / 2,
        # orders: 1 complaint answered at once; 2 assigned; 3 answered at once, reopened
        # complaint rate: order 1 (a complaint) over the calls answered by an agent, c1 c4
        "complaint_rate": 1 / 2, "fcr_orders": 1 / 3, "return_visit_rate": 1 / 2,
    }  # fmt: skip
    for key, value in expected.items():
        assert v[key] == pytest.approx(value, rel=1e-12), key
    for key in ("cost_per_call", "qa_score", "work_rate", "attendance", "attrition",
                "order_accuracy"):  # fmt: skip
        assert v[key] is None, key
        assert table.missing[key], key
    # no call was placed: no rate, and nothing missing (as a half hour without calls)
    assert v["connection_rate_outbound"] is None
    assert "connection_rate_outbound" not in table.missing


def test_service_level_variants_threshold_and_short_abandons(load):
    source = load(day_log().events)
    levels = {
        variant: figures(source, q(by="total", sl_variant=variant)).total.values["service_level"]
        for variant in SlVariant
    }
    assert levels == {
        SlVariant.ANSWERED: 1 / 2,  # c1 within 20 s of c1, c4
        SlVariant.OFFERED: 1 / 3,  # + c3's long abandon
        SlVariant.REMOVED: 1 / 4,  # + c8 turned into a callback
    }
    wide = figures(source, q(by="total", sl_threshold=40)).total.values
    assert wide["service_level"] == 2 / 3  # c4 (34 s) is within 40 s
    strict = figures(source, q(by="total", short_abandon=5)).total.values
    assert strict["abandon_rate"] == 2 / 4  # c2 (10 s) is no longer a short abandon
    assert strict["service_level"] == 1 / 4
    assert strict["abandoned_short"] == 0


def test_half_hours_split_agent_time_and_show_empty_intervals(load):
    table = figures(load(day_log().events), q(by="interval"))
    rows = {r.key: r.values for r in table.rows}
    assert len(rows) == 48
    nine, half, ten = rows["2026-07-15 09:00"], rows["2026-07-15 09:30"], rows["2026-07-15 10:00"]
    assert nine["total_calls"] == 8
    assert ten["total_calls"] == 1
    assert half["total_calls"] == 0
    assert nine["offered"] == 5
    assert ten["offered"] == 0
    # agents logged in across 09:30 count in both half hours
    assert nine["logged_in_hours"] == 3 * 1800 / 3600
    assert half["logged_in_hours"] == (600 + 900 + 1800) / 3600
    assert half["agents_logged_in"] == 3
    assert half["calls_per_hour"] == 0.0
    assert ten["calls_per_hour"] is None  # nobody logged in
    early = rows["2026-07-15 08:30"]  # 1001: not ready 08:50-08:55, ready 08:55-09:00
    assert early["occupancy"] == 0.0
    assert early["logged_in_hours"] == 600 / 3600
    empty = rows["2026-07-15 03:00"]  # zero calls: counts are 0, rates have no value
    assert empty["total_calls"] == 0
    assert empty["service_level"] is None
    assert empty["asa"] is None
    assert empty["occupancy"] is None
    assert sum(r["total_calls"] or 0 for r in rows.values()) == 9


def test_by_queue_each_contact_counts_in_its_queue(load):
    table = figures(load(day_log().events), q(by="queue"))
    rows = {r.key: r.values for r in table.rows}
    assert list(rows) == ["complaint", "fault", "query", "vip"]
    fault, query, vip, complaint = rows["fault"], rows["query"], rows["vip"], rows["complaint"]
    assert (fault["offered"], fault["answered"], fault["abandoned"]) == (2, 1, 1)
    assert fault["service_level"] == 1.0  # c2's short abandon is left out
    assert fault["abandon_time"] == 10
    assert query["service_level"] == 0.0  # c3 abandoned after 40 s
    assert query["queue_time"] == (40 + 600) / 2
    assert query["asa"] is None
    assert vip["service_level"] == 0.0
    assert vip["asa"] == 34
    assert vip["transfer_rate"] == 1.0
    assert vip["handled"] == 1
    assert complaint["service_level"] == 1.0
    assert complaint["asa"] == 9
    assert complaint["acw"] == 60
    assert fault["total_calls"] is None
    assert table.missing["total_calls"] == "按队列分组时无定义"
    assert table.missing["occupancy"] == "按队列分组时无定义"


def test_by_agent_and_team(load):
    source = load(day_log().events)
    agents = {r.key: r.values for r in figures(source, q(by="agent")).rows}
    assert list(agents) == ["1001", "1002", "1003"]
    a1, a2, a3 = agents["1001"], agents["1002"], agents["1003"]
    assert a1["handled"] == 1
    assert a1["aht"] == 185 + 30
    assert a1["hold_time"] == 30
    assert a1["asa"] == 5
    assert a1["rings"] == pytest.approx(5 / 3)
    assert a1["occupancy"] == pytest.approx((155 + 30 + 30) / (215 + 2480 + 5))
    assert a1["calls_per_hour"] == pytest.approx(1 / (3000 / 3600))
    assert a1["survey_score"] == 5
    assert a2["transfer_rate"] == 1.0
    assert a2["acw"] == 20
    assert a2["asa"] == 34
    assert a2["occupancy"] == pytest.approx((56 + 20) / (76 + 2410 + 14))
    assert a3["aht"] == 160
    assert a3["satisfaction"] == 0.0
    assert a1["service_level"] is None
    assert a1["abandon_rate"] is None
    teams = ExternalData(teams={"1001": "甲", "1002": "甲", "1003": "乙", "1004": "乙"})
    table = figures(source, q(by="team"), teams)
    rows = {r.key: r.values for r in table.rows}
    assert list(rows) == ["乙", "甲"]
    assert rows["甲"]["handled"] == 2
    assert rows["乙"]["handled"] == 1
    assert rows["甲"]["logged_in_hours"] == (3000 + 2700) / 3600


def test_by_tier_and_call_type(load):
    source = load(day_log().events)
    tiers = {r.key: r.values for r in figures(source, q(by="tier")).rows}
    assert list(tiers) == ["high", "middle", "ordinary"]
    assert [tiers[t]["total_calls"] for t in tiers] == [1, 1, 7]
    assert tiers["high"]["service_level"] == 0.0
    assert tiers["high"]["asa"] == 34
    assert tiers["high"]["handled"] == 2
    assert tiers["high"]["transfer_rate"] == 0.5
    assert tiers["middle"]["service_level"] is None  # only a short abandon
    assert tiers["ordinary"]["offered"] == 3
    assert tiers["ordinary"]["service_level"] == 1 / 2
    types = {r.key: r.values["total_calls"] for r in figures(source, q(by="call_type")).rows}
    assert types == {"fault": 2, "ivr": 4, "query": 2, "vip": 1}


def _outside() -> ExternalData:
    def at(hour: int, minute: int = 0) -> float:
        return datetime.datetime(2026, 7, 15, hour, minute, tzinfo=SH).timestamp()

    return ExternalData(
        costs=(Cost(datetime.date(2026, 7, 15), datetime.date(2026, 7, 15), 45.0),),
        shifts=(
            Shift("1001", at(8, 30), at(9, 30)),
            *(Shift(agent, at(9), at(10)) for agent in ("1002", "1003", "1004")),
        ),
        qa=(QaScore("1001", at(12), 90), QaScore("1001", at(12), 80), QaScore("1003", at(12), 70)),
        teams={"1001": "甲", "1002": "甲", "1003": "乙", "1004": "乙"},
        order_checks=(
            OrderCheck(T + 250, True), OrderCheck(T + 520, False), OrderCheck(T + 600, True),
        ),
    )  # fmt: skip


def test_figures_from_outside_data(load):
    source = load(day_log().events)
    extra = _outside()
    v = figures(source, q(), extra).total.values
    assert v["cost_per_call"] == 45 / 9
    # available time inside each agent's shift: 1001 08:55-09:30 (its 600 s after the
    # shift ended are not scheduled time), 1002 09:00-09:45 less 200 s away, 1003 09:00-10:00
    assert v["work_rate"] == pytest.approx((2100 + 2500 + 3600) / (4 * 3600))
    assert v["attendance"] == 3 / 4  # 1004 never logged in
    assert v["qa_score"] == 80
    assert v["order_accuracy"] == 2 / 3
    halves = {r.key: r.values for r in figures(source, q(by="interval"), extra).rows}
    nine = halves["2026-07-15 09:00"]
    assert nine["cost_per_call"] == pytest.approx(45 * 1800 / 86400 / 8)
    assert nine["work_rate"] == pytest.approx((1800 + 1600 + 1800) / (4 * 1800))  # 1002 away
    assert halves["2026-07-15 09:30"]["attendance"] == 2 / 3  # 1001's shift ended
    assert halves["2026-07-15 08:30"]["work_rate"] == pytest.approx(300 / 1800)
    teams = {r.key: r.values for r in figures(source, q(by="team"), extra).rows}
    assert teams["甲"]["attendance"] == 1.0
    assert teams["乙"]["attendance"] == 1 / 2
    assert teams["甲"]["qa_score"] == 85
    assert teams["乙"]["qa_score"] == 70
    agents = figures(source, q(by="agent"), extra)
    assert {r.key: r.values["attendance"] for r in agents.rows}["1004"] == 0.0
    assert "cost_per_call" in agents.missing


def test_attrition_per_year_from_staff_records(load):
    staff = ExternalData(
        staff=(
            StaffRecord("1001", datetime.date(2025, 1, 1)),
            StaffRecord("1002", datetime.date(2025, 1, 1), datetime.date(2026, 7, 15)),
            StaffRecord("1003", datetime.date(2026, 7, 10)),
            StaffRecord("1005", datetime.date(2024, 1, 1), datetime.date(2026, 8, 10)),
            StaffRecord("1004", datetime.date(2024, 1, 1), datetime.date(2026, 7, 2), False),
        ),
        teams={"1001": "甲", "1002": "甲", "1003": "乙", "1005": "乙"},
    )
    july = {"start": datetime.datetime(2026, 7, 1, tzinfo=SH),
            "end": datetime.datetime(2026, 8, 1, tzinfo=SH)}  # fmt: skip
    source = load(day_log().events)
    month = figures(source, q(by="month", **july), staff)
    # headcount 3 on July 1st (1001, 1002, 1005) and 3 on the 31st (1001, 1003, 1005)
    assert month.rows[0].values["attrition"] == pytest.approx(1 / (3 * 31 / 365))
    teams = {
        r.key: r.values["attrition"] for r in figures(source, q(by="team", **july), staff).rows
    }
    assert teams["甲"] == pytest.approx(1 / (1.5 * 31 / 365))
    assert teams["乙"] == 0.0
    halves = figures(source, q(by="interval"), staff)
    assert halves.missing["attrition"] == "流失率按天或更长时段统计，不能按半小时"


def test_a_consult_transfer_is_two_conversations(load):
    v = figures(load(consult_log().events), q(by="total")).total.values
    # 1001: talk 90 of which 30 on hold (the consultation), ACW 30; 1002: talk 110, ACW 30
    assert v["handled"] == 2
    assert v["transfer_rate"] == 1 / 2
    assert v["hold_time"] == 30 / 2
    assert v["talk_time"] == (60 + 110) / 2
    assert v["aht"] == (90 + 30 + 110 + 30) / 2
    assert v["answered"] == 1
    assert v["asa"] == 10


def test_a_call_across_midnight(load):
    source = load(midnight_log().events)
    days = figures(source, q(end=DAY + datetime.timedelta(days=2)))
    first, second = (r.values for r in days.rows)
    # queued at 23:59:55: counted on the 15th; answered on the 16th: handled on the 16th
    assert (first["total_calls"], first["offered"], first["answered"]) == (1, 1, 1)
    assert first["asa"] == 15
    assert first["handled"] == 0
    assert first["logged_in_hours"] == 1.0
    assert first["occupancy"] == 0.0
    assert (second["total_calls"], second["offered"], second["handled"]) == (0, 0, 1)
    assert second["aht"] == 150
    assert second["acw"] == 30
    assert second["logged_in_hours"] == 1.0
    assert second["occupancy"] == pytest.approx(150 / 3600)
    only_first = figures(source, q()).total.values  # the 15th alone still sees the answer
    assert only_first["answered"] == 1
    assert only_first["asa"] == 15


def test_no_calls_at_all(load):
    table = figures(load([]), q(by="interval"))
    assert len(table.rows) == 48
    assert table.total.values["total_calls"] == 0
    assert table.total.values["service_level"] is None
    assert table.total.values["aht"] is None


def test_only_the_figures_asked_for(load):
    table = figures(load(day_log().events), q(figures=("asa", "service_level")))
    assert set(table.total.values) == {"service_level", "asa"}


def test_the_work_rate_leaves_out_agents_without_a_shift(load):
    """An agent taking calls without a shift in the row (a trainee, the shift lead) is not
    set against a schedule that does not count them: the rate stays a share of the
    scheduled time instead of passing 100%."""
    source = load(day_log().events)
    extra = _outside()
    unscheduled = dataclasses.replace(
        extra, shifts=tuple(s for s in extra.shifts if s.agent != "1003")
    )
    halves = {r.key: r.values for r in figures(source, q(by="interval"), unscheduled).rows}
    assert halves["2026-07-15 09:00"]["work_rate"] == pytest.approx((1800 + 1600) / (3 * 1800))
    no_shifts = dataclasses.replace(extra, shifts=())
    assert figures(source, q(), no_shifts).total.values["work_rate"] is None


def test_the_work_rate_counts_only_time_inside_the_shift(load):
    """1001 is scheduled 09:10-10:00 but logs in at 08:50 and out at 10:10, with a
    not-ready break 09:15-09:20; 1002 has no shift. Only available time inside the shift
    counts: the early start and the late finish are not set against the schedule (they
    used to be, giving 125% in the 09:00 half hour and 150% over the day)."""
    log = Log()
    log.agent(-600, "1001", S.READY)  # 08:50
    log.agent(900, "1001", S.NOT_READY)  # 09:15
    log.agent(1200, "1001", S.READY)  # 09:20
    log.agent(4200, "1001", S.LOGGED_OUT)  # 10:10
    log.agent(0, "1002", S.READY)
    log.agent(3600, "1002", S.LOGGED_OUT)
    shift = Shift("1001", T + 600, T + 3600)
    source = load(log.events)
    halves = {
        r.key: r.values["work_rate"]
        for r in figures(source, q(by="interval"), ExternalData(shifts=(shift,))).rows
    }
    # 09:00: scheduled 09:10-09:30 (1200 s), available 09:10-09:15 and 09:20-09:30
    assert halves["2026-07-15 09:00"] == pytest.approx((300 + 600) / 1200)
    assert halves["2026-07-15 09:30"] == pytest.approx(1800 / 1800)
    assert halves["2026-07-15 08:30"] is None  # no shift: nothing scheduled
    assert halves["2026-07-15 10:00"] is None
    day = figures(source, q(), ExternalData(shifts=(shift,))).total.values
    assert day["work_rate"] == pytest.approx((300 + 600 + 1800) / 3000)
    # the same shift given twice (two overlapping roster lines) is still one shift
    twice = ExternalData(shifts=(shift, Shift("1001", T + 600, T + 1800)))
    assert figures(source, q(), twice).total.values["work_rate"] == pytest.approx(2700 / 3000)


def test_the_complaint_rate_counts_complaint_orders_over_answered_calls(load):
    """The complaint rate counts the work orders of type complaint (投诉) taken, by when
    each was taken, over the calls an agent answered: the self-served, blocked and
    abandoned calls could bring no complaint. Orders of other types do not count."""
    log = day_log()
    log.add(OrderCreated(log.at(3000), 4, "complaint", "1003", CallId("c4")))  # 09:50
    log.add(OrderCreated(log.at(3100), 5, "consultation", "1003", CallId("c4")))
    source = load(log.events)
    day = figures(source, q()).total.values
    assert day["complaint_rate"] == 2 / 2  # orders 1 and 4; answered c1 and c4
    halves = {r.key: r.values["complaint_rate"] for r in figures(source, q(by="interval")).rows}
    assert halves["2026-07-15 09:00"] == 1 / 2  # order 1 at 09:04; c1 and c4 arrived then
    assert halves["2026-07-15 09:30"] is None  # order 4, but no call answered: no base
    assert halves["2026-07-15 10:00"] is None  # c10 self-served: no call answered


def test_outbound_calls_have_their_own_connection_rate_and_stay_out_of_the_queue_figures(load):
    """Three calls placed (o1 answered, o2 not answered, o3 busy in the next half hour) and
    one inbound caller: the outbound connection rate counts each call by when it was
    placed; the service level, offered and ASA are the inbound caller's alone, while
    the agent's handled conversations and talk time include the outbound one."""
    source = load(outbound_log().events)
    v = figures(source, q()).total.values
    assert v["connection_rate_outbound"] == pytest.approx(1 / 3)
    assert v["offered"] == 1  # c1 only
    assert v["asa"] == 10.0
    assert v["total_calls"] == 1  # calls arrived
    assert v["handled"] == 2  # 1001 talked with o1 and c1
    halves = {r.key: r.values for r in figures(source, q(by="interval")).rows}
    assert halves["2026-07-15 09:00"]["connection_rate_outbound"] == pytest.approx(1 / 2)
    assert halves["2026-07-15 09:30"]["connection_rate_outbound"] == 0.0
    queues = {r.key: r.values for r in figures(source, q(by="queue")).rows}
    assert queues["query"]["offered"] == 1
    agents = figures(source, q(by="agent"))
    assert agents.rows[0].values["connection_rate_outbound"] is None  # not split by agent
