"""The QA sampling policy (质检抽样): quotas met as counted by hand, new hires and low
scorers, every complaint in, evaluated calls never again, the spread over days and
queues, day-by-day queues adding up to the week, the daily cap per inspector, the seed,
the time zone, bad input, and properties over random weeks."""

from __future__ import annotations

import datetime
import random
import zoneinfo
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from hotline.quality.sampling import (
    AgentFacts,
    Calls,
    Sample,
    SamplingError,
    SamplingPolicy,
    assign,
    average_score,
    sample_day,
    sample_week,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MONDAY = datetime.date(2026, 6, 1)
POLICY = SamplingPolicy()
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def date(day: int) -> datetime.date:
    return MONDAY + datetime.timedelta(days=day)


def at(day: int, hour: float, zone: zoneinfo.ZoneInfo = SHANGHAI) -> float:
    """Epoch seconds of `hour` o'clock local time on day `day` of the week of 2026-06-01."""
    midnight = datetime.datetime.combine(date(day), datetime.time(), zone)
    return midnight.timestamp() + hour * 3600


@dataclass(frozen=True)
class Row:
    call: str
    agent: str
    day: int
    hour: float = 10.0
    queue: str = "q1"
    talk_s: float = 120.0
    hold_s: float = 0.0
    complaint: bool = False
    flags: tuple[str, ...] = ()
    evaluated: bool = False


def batch(rows: Sequence[Row]) -> Calls:
    return Calls(
        call_id=[r.call for r in rows],
        agent=[r.agent for r in rows],
        queue=[r.queue for r in rows],
        answered_at=[at(r.day, r.hour) for r in rows],
        talk_s=[r.talk_s for r in rows],
        hold_s=[r.hold_s for r in rows],
        complaint=[r.complaint for r in rows],
        flags=[r.flags for r in rows],
        already_evaluated=[r.evaluated for r in rows],
    )


def worked(agent: str, days: Sequence[int], per_day: int = 10, queue: str = "q1") -> list[Row]:
    return [
        Row(f"{agent}-{d}-{h}", agent, d, hour=8 + h, queue=queue)
        for d in days
        for h in range(per_day)
    ]


def days_of(samples: Sequence[Sample], agent: str) -> Counter[int]:
    return Counter((s.day - MONDAY).days for s in samples if s.agent == agent)


# A: 4 days, base quota 4; B: new hire, Mon–Fri; C: low scorer, Mon–Fri.
WEEK = worked("A", [MON, TUE, WED, THU]) + worked("B", range(5)) + worked("C", range(5))
FACTS = {
    "B": AgentFacts(hired_at=at(MON, 0) - 10 * 86_400, average_score=95.0),
    "C": AgentFacts(hired_at=at(MON, 0) - 400 * 86_400, average_score=72.5),
}


def test_the_week_meets_each_quota_exactly_base_new_hire_and_low_scorer() -> None:
    week = sample_week(batch(WEEK), FACTS, SHANGHAI, MONDAY, POLICY)
    assert Counter(s.agent for s in week) == {"A": 4, "B": 8, "C": 8}
    assert {s.agent: s.reasons for s in week} == {
        "A": ("quota",),
        "B": ("new_hire",),
        "C": ("low_score",),
    }


def test_four_picks_from_an_agent_who_worked_four_days_are_one_a_day() -> None:
    # T(k) = ceil(4(k+1)/7) = 1,2,2,3,3,4,4: Mon, Tue, Thu (Wed and Thu tie, the later
    # day wins), and on Saturday the one still owed comes from Wednesday.
    calls = batch(WEEK)
    assert days_of(sample_week(calls, FACTS, SHANGHAI, MONDAY, POLICY), "A") == {
        MON: 1, TUE: 1, WED: 1, THU: 1,
    }  # fmt: skip
    queues = [
        [(s.day - MONDAY).days for s in sample_day(calls, FACTS, SHANGHAI, date(d), POLICY)
         if s.agent == "A"]
        for d in range(7)
    ]  # fmt: skip
    assert queues == [[MON], [TUE], [], [THU], [], [WED], []]


def test_eight_picks_over_five_days_by_hand() -> None:
    # T = 2,3,4,5,6,7,8: Mon 2, Tue–Fri 1 each, then Saturday and Sunday catch up on the
    # least sampled days, latest first: Fri, then Thu.
    week = sample_week(batch(WEEK), FACTS, SHANGHAI, MONDAY, POLICY)
    assert days_of(week, "B") == {MON: 2, TUE: 1, WED: 1, THU: 2, FRI: 2}


def test_picks_spread_over_queues_before_two_from_one() -> None:
    rows = worked("A", [MON], queue="q1") + [
        replace(r, call=r.call + "b", queue="q2") for r in worked("A", [MON])
    ]
    week = sample_week(batch(rows), {}, SHANGHAI, MONDAY, POLICY)
    assert Counter(s.queue for s in week) == {"q1": 2, "q2": 2}


def test_a_fill_goes_to_an_untouched_stratum_before_a_lighter_day() -> None:
    # Complaints on Mon q1, Mon q2 and Tue q1 leave T(5) = 4 one short; Tuesday has fewer
    # calls taken (1 against 2), but Mon q3 is the only stratum with none.
    rows = [
        *worked("A", [MON], queue="q1"), *worked("A", [TUE], queue="q1"),
        *[replace(r, call=r.call + q, queue=q) for q in ("q2", "q3") for r in worked("A", [MON])],
        Row("c1", "A", MON, complaint=True), Row("c2", "A", MON, queue="q2", complaint=True),
        Row("c3", "A", TUE, complaint=True),
    ]  # fmt: skip
    week = sample_week(batch(rows), {}, SHANGHAI, MONDAY, POLICY)
    assert [(s.day, s.queue) for s in week if s.reasons == ("quota",)] == [(date(MON), "q3")]


def test_an_agents_sample_does_not_depend_on_the_other_calls_in_the_batch() -> None:
    rows = worked("A", range(7), per_day=20)
    alone = sample_week(batch(rows), {}, SHANGHAI, MONDAY, POLICY)
    other = [Row("Z-" + "x" * 60, "Z", MON), Row("Z-2", "Z", MON, hour=3)]
    mixed = sample_week(batch(other + rows), {}, SHANGHAI, MONDAY, POLICY)
    assert [s for s in mixed if s.agent == "A"] == list(alone)


def test_every_complaint_long_hold_and_flag_is_in_and_counts_toward_the_quota() -> None:
    rows = [
        *worked("A", [MON, TUE, WED, THU]),
        Row("A-c", "A", MON, complaint=True),
        Row("A-h61", "A", TUE, hold_s=61.0),
        Row("A-h60", "A", TUE, hold_s=60.0),  # not over 60 s
        Row("A-f", "A", WED, flags=("long_silence", "other")),
        Row("A-g", "A", WED, flags=("other",)),  # not a flag of the policy
        *[Row(f"D-c{i}", "D", MON, complaint=True) for i in range(6)],
        *worked("D", [TUE]),
    ]
    week = sample_week(batch(rows), {}, SHANGHAI, MONDAY, POLICY)
    reasons = {s.call: s.reasons for s in week}
    assert reasons["A-c"] == ("complaint",)
    assert reasons["A-h61"] == ("long_hold",)
    assert reasons["A-f"] == ("flag:long_silence",)
    assert "A-h60" not in reasons
    assert "A-g" not in reasons
    # A: three mandatory calls, one on each of Mon–Wed, meet T up to Wednesday; the
    # quota of 4 needs one more, from the only day without one: Thursday.
    assert [s.call.split("-")[1] for s in week if s.agent == "A" and s.reasons == ("quota",)] == [
        "3"
    ]
    # D: six complaints, more than the quota: all six and nothing more.
    assert sorted(s.call for s in week if s.agent == "D") == [f"D-c{i}" for i in range(6)]


def test_complaints_are_optional_when_the_policy_says_so() -> None:
    rows = [*worked("A", [MON]), Row("A-c", "A", MON, complaint=True)]
    policy = POLICY.model_copy(update={"all_complaints": False, "weekly_per_agent": 0})
    assert sample_week(batch(rows), {}, SHANGHAI, MONDAY, policy) == ()


def test_calls_already_evaluated_are_never_sampled_and_count_toward_the_quota() -> None:
    rows = [
        Row("e1", "A", MON, evaluated=True),
        Row("e2", "A", MON, evaluated=True, complaint=True),
        *[Row(f"n{i}", "A", MON, hour=9 + i) for i in range(5)],
    ]
    week = sample_week(batch(rows), {}, SHANGHAI, MONDAY, POLICY)
    assert len(week) == 2  # 4 − the two evaluated
    assert not {"e1", "e2"} & {s.call for s in week}


def test_day_by_day_queues_add_up_to_the_week() -> None:
    rows = [*WEEK, Row("A-c", "A", TUE, complaint=True), Row("C-h", "C", SUN, hold_s=300.0)]
    calls = batch(rows)
    week = sample_week(calls, FACTS, SHANGHAI, MONDAY, POLICY)
    days = [s for d in range(7) for s in sample_day(calls, FACTS, SHANGHAI, date(d), POLICY)]
    assert sorted(days, key=lambda s: s.call) == sorted(week, key=lambda s: s.call)
    # A day's queue needs only the calls so far: later days change nothing.
    so_far = batch([r for r in rows if r.day <= WED])
    assert sample_day(so_far, FACTS, SHANGHAI, date(WED), POLICY) == sample_day(
        calls, FACTS, SHANGHAI, date(WED), POLICY
    )


def test_rebuilding_each_day_with_the_queues_handed_out_marked_meets_the_quota() -> None:
    rows = list(WEEK)
    handed: set[str] = set()
    for d in range(7):
        calls = batch([replace(r, evaluated=r.call in handed) for r in rows])
        queue = sample_day(calls, FACTS, SHANGHAI, date(d), POLICY)
        assert not handed & {s.call for s in queue}
        handed |= {s.call for s in queue}
    assert Counter(c.split("-")[0] for c in handed) == {"A": 4, "B": 8, "C": 8}


def test_the_same_seed_gives_the_same_sample_and_another_seed_another() -> None:
    rows = [r for agent in "PQRS" for r in worked(agent, range(7), per_day=20)]
    shuffled = random.Random(3).sample(rows, len(rows))
    first = sample_week(batch(rows), {}, SHANGHAI, MONDAY, POLICY)
    assert sample_week(batch(shuffled), {}, SHANGHAI, MONDAY, POLICY) == first
    other = POLICY.model_copy(update={"seed": 1})
    again = sample_week(batch(rows), {}, SHANGHAI, MONDAY, other)
    assert {s.call for s in again} != {s.call for s in first}
    assert Counter(s.agent for s in again) == Counter(s.agent for s in first)


def test_days_and_weeks_are_read_in_the_hotlines_time_zone() -> None:
    # Sunday 23:30 in Shanghai is Sunday 15:30 UTC: the Sunday of this week. Monday 00:30
    # in Shanghai is still Sunday in UTC, but it belongs to next week here.
    rows = [Row("late", "A", SUN, hour=23.5), Row("next", "A", SUN, hour=24.5)]
    week = sample_week(batch(rows), {}, SHANGHAI, MONDAY, POLICY)
    assert [(s.call, s.day) for s in week] == [("late", date(SUN))]
    nxt = sample_week(batch(rows), {}, "Asia/Shanghai", date(SUN + 1), POLICY)
    assert [(s.call, s.day) for s in nxt] == [("next", date(SUN + 1))]
    in_utc = sample_week(batch(rows), {}, zoneinfo.ZoneInfo("UTC"), MONDAY, POLICY)
    assert [(s.call, s.day) for s in in_utc] == [("late", date(SUN)), ("next", date(SUN))]


def test_a_day_is_a_local_day_across_a_daylight_saving_change() -> None:
    # Berlin moves to summer time on Sunday 2026-03-29: that Sunday has 23 hours.
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    sunday = datetime.date(2026, 3, 29)
    late = datetime.datetime.combine(sunday, datetime.time(23, 30), berlin).timestamp()
    early = datetime.datetime.combine(sunday, datetime.time(0, 30), berlin).timestamp()
    calls = Calls(
        call_id=["late", "early"], agent=["A", "A"], queue=["q", "q"],
        answered_at=[late, early], talk_s=[60.0, 60.0], hold_s=[0.0, 0.0],
        complaint=[True, True], flags=[(), ()], already_evaluated=[False, False],
    )  # fmt: skip
    week = sample_week(calls, {}, berlin, sunday, POLICY)
    assert [(s.call, s.day) for s in week] == [("early", sunday), ("late", sunday)]


def test_the_week_starts_on_the_day_the_policy_names() -> None:
    rows = [Row("sun", "A", SUN), Row("mon", "A", MON + 7)]
    policy = POLICY.model_copy(update={"week_start": "sunday"})
    week = sample_week(batch(rows), {}, SHANGHAI, date(MON + 7), policy)
    assert {s.call for s in week} == {"sun", "mon"}


def test_the_daily_cap_deals_complaints_first_and_reports_the_rest() -> None:
    day = date(MON)
    complaints = [Sample(f"c{i}", "A", "q", day, ("complaint",)) for i in range(3)]
    holds = [Sample(f"h{i}", "B", "q", day, ("long_hold",)) for i in range(2)]
    quota = [Sample(f"p{i}", "A", "q", day, ("quota",)) for i in range(5)]
    # x has one already: room for 1; y room for 2. The lightest load gets each call.
    dealt = assign([*quota, *holds, *complaints], ["x", "y"], 2, {"x": 1})
    assert [s.call for s in dealt.queues["y"]] == ["c0", "c2"]
    assert [s.call for s in dealt.queues["x"]] == ["c1"]
    assert dealt.load == {"x": 2, "y": 2}
    assert [s.call for s in dealt.over_capacity] == ["h0", "h1", "p0", "p1", "p2", "p3", "p4"]
    assert dealt.over_capacity_mandatory == 2
    assert dealt.over_capacity_by_reason == {"long_hold": 2, "quota": 5}


def test_left_over_quota_is_spread_over_agents() -> None:
    day = date(MON)
    samples = [Sample(f"p{i}", "P", "q", day, ("quota",)) for i in range(3)]
    samples.append(Sample("q0", "Q", "q", day, ("quota",)))
    dealt = assign(samples, ["x"], 2, {})
    assert [s.call for s in dealt.queues["x"]] == ["p0", "q0"]


def test_bad_assignments_are_refused() -> None:
    with pytest.raises(SamplingError, match="named twice"):
        assign([], ["x", "x"], 3, {})
    with pytest.raises(SamplingError, match="negative"):
        assign([], ["x"], -1, {})


def test_bad_calls_are_refused_with_the_column_named() -> None:
    good: dict[str, Any] = {
        "call_id": ["a", "b"], "agent": ["A", "A"], "queue": ["q", "q"],
        "answered_at": [at(MON, 9), at(MON, 10)], "talk_s": [1.0, 2.0], "hold_s": [0.0, 0.0],
        "complaint": [False, False], "flags": [(), ()], "already_evaluated": [False, False],
    }  # fmt: skip
    with pytest.raises(SamplingError, match=r"different lengths: .*agent=1"):
        Calls(**(good | {"agent": ["A"]}))
    with pytest.raises(SamplingError, match=r"calls\.hold_s\[1\]"):
        Calls(**(good | {"hold_s": [0.0, -5.0]}))
    with pytest.raises(SamplingError, match=r"calls\.answered_at\[0\]"):
        Calls(**(good | {"answered_at": [float("nan"), 1.0]}))
    with pytest.raises(SamplingError, match=r"calls\.flags\[0\]"):
        Calls(**(good | {"flags": ["long_silence", ()]}))
    with pytest.raises(SamplingError, match=r"calls\.complaint"):
        Calls(**(good | {"complaint": [0, 1]}))
    twice = Calls(**(good | {"call_id": ["a", "a"]}))
    with pytest.raises(SamplingError, match="'a' appears twice"):
        sample_week(twice, {}, SHANGHAI, MONDAY, POLICY)
    with pytest.raises(SamplingError, match="unknown time zone 'Asia/Atlantis'"):
        sample_week(Calls(**good), {}, "Asia/Atlantis", MONDAY, POLICY)


def test_the_policy_is_checked_by_pydantic() -> None:
    assert SamplingPolicy.model_validate({"weekly_per_agent": 6}).weekly_per_agent == 6
    with pytest.raises(ValidationError, match="weekly_per_agent"):
        SamplingPolicy.model_validate({"weekly_per_agent": -1})
    with pytest.raises(ValidationError, match="Extra inputs"):
        SamplingPolicy.model_validate({"weekly_quota": 4})
    with pytest.raises(ValidationError, match="week_start"):
        SamplingPolicy.model_validate({"week_start": "someday"})
    assert all(f.description for f in SamplingPolicy.model_fields.values())


def test_the_recent_average_covers_the_lookback_before_the_week() -> None:
    start = at(MON, 0)
    scores = [(start - 31 * 86_400, 10.0), (start - 29 * 86_400, 70.0), (start - 60, 80.0)]
    scores.append((start + 60, 0.0))  # during the week: not yet
    assert average_score(scores, start, POLICY) == 75.0
    assert average_score([], start, POLICY) is None


# Properties over random weeks.

rows_strategy = st.lists(
    st.builds(
        Row,
        call=st.just(""),
        agent=st.sampled_from("ABCD"),
        day=st.integers(-1, 7),  # a day on each side of the week, to be ignored
        hour=st.floats(0, 23.99),
        queue=st.sampled_from(["q1", "q2", "q3"]),
        talk_s=st.floats(0, 600),
        hold_s=st.sampled_from([0.0, 30.0, 90.0]),
        complaint=st.booleans(),
        flags=st.sampled_from([(), ("over_talk",), ("music",)]),
        evaluated=st.booleans(),
    ),
    max_size=120,
)


@settings(max_examples=150, deadline=None)
@given(
    rows=rows_strategy,
    quota=st.integers(0, 9),
    spread=st.integers(1, 7),
    seed=st.integers(0, 2**32),
    min_talk=st.sampled_from([0.0, 60.0]),
)
def test_any_week_samples_within_quota_plus_mandatory(
    rows: list[Row], quota: int, spread: int, seed: int, min_talk: float
) -> None:
    rows = [replace(r, call=f"c{i}") for i, r in enumerate(rows)]
    policy = POLICY.model_copy(
        update={"weekly_per_agent": quota, "spread_days": spread, "seed": seed,
                "min_talk_s": min_talk}
    )  # fmt: skip
    calls = batch(rows)
    week = sample_week(calls, {}, SHANGHAI, MONDAY, policy)
    picked = {s.call for s in week}
    assert len(picked) == len(week)
    in_week = [r for r in rows if 0 <= r.day <= 6]

    def mandatory(r: Row) -> bool:
        return r.complaint or r.hold_s > 60 or "over_talk" in r.flags

    for agent in "ABCD":
        mine = [r for r in in_week if r.agent == agent]
        forced = {r.call for r in mine if mandatory(r) and not r.evaluated}
        done = sum(1 for r in mine if r.evaluated or mandatory(r))
        free = sum(1 for r in mine if not (r.evaluated or mandatory(r)) and r.talk_s >= min_talk)
        got = {s.call for s in week if s.agent == agent}
        assert forced <= got
        assert len(got) <= quota + len(forced)
        assert len(got) + done - len(forced) >= min(quota, done + free)
    assert not picked & {r.call for r in rows if r.evaluated or not 0 <= r.day <= 6}
    days = [s for d in range(7) for s in sample_day(calls, {}, SHANGHAI, date(d), policy)]
    assert sorted(days, key=lambda s: s.call) == sorted(week, key=lambda s: s.call)


@settings(max_examples=150, deadline=None)
@given(
    kinds=st.lists(st.sampled_from(["complaint", "long_hold", "quota", "new_hire"]), max_size=60),
    inspectors=st.integers(0, 4),
    cap=st.integers(0, 12),
    loads=st.lists(st.integers(0, 15), min_size=4, max_size=4),
)
def test_no_inspector_goes_over_the_cap_and_mandatory_calls_go_first(
    kinds: list[str], inspectors: int, cap: int, loads: list[int]
) -> None:
    samples = [Sample(f"c{i}", f"a{i % 3}", "q", MONDAY, (k,)) for i, k in enumerate(kinds)]
    names = [f"x{i}" for i in range(inspectors)]
    already = dict(zip(names, loads, strict=False))
    dealt = assign(samples, names, cap, already)
    handed = [s for q in dealt.queues.values() for s in q]
    assert sorted(s.call for s in [*handed, *dealt.over_capacity]) == sorted(
        s.call for s in samples
    )
    for name in names:
        assert len(dealt.queues[name]) <= max(0, cap - already[name])
        assert dealt.load[name] == already[name] + len(dealt.queues[name])
    room = sum(max(0, cap - already[n]) for n in names)
    assert len(handed) == min(room, len(samples))
    if any(not s.mandatory for s in handed):
        assert dealt.over_capacity_mandatory == 0
