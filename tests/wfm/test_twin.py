"""The digital twin checks staffing plans on the production engine (`hotline.planning.twin`).

Small centres on a few busy hours of one day (the hotline built in code, its own menu
replaced by the twin's): the simulated level agrees with Erlang C where Erlang C holds,
a plan short in some half hours is raised there and nowhere else, and a multi-skill
group is staffed as one pool of agents, not once per skill. Seeded: the same runs
every time.
"""

from __future__ import annotations

import datetime
import math

import pytest

from hotline.planning.twin import (
    SLOTS,
    AgentGroup,
    QueueDemand,
    TwinOptions,
    _shifts,
    check_plan,
    simulate_plan,
    twin_hotline,
    twin_scenario,
)
from hotline.wfm.erlang import agents_for_service_level, average_speed_of_answer, service_level
from tests.sim.builders import hotline

DAY = datetime.date(2026, 7, 15)
AHT = 180.0
TARGET = 20.0
GOAL = 0.8


def _queue(skill: str, groups: list[str] | None = None) -> dict[str, object]:
    return {
        "skill": skill,
        "groups": groups or [],
        "wrap_up": 1,  # the twin's callers end wrap-up at once: handle time is all talk
        "service_level": {"target": TARGET, "goal": GOAL},
    }


ONE = hotline(
    {
        "name": "one",
        "numbers": {"100": "main"},
        "skills": {"any": {}},
        "queues": {"any": _queue("any")},
    },
    survey=False,
)
# Both queues admit the "multi" group's agents from the first second (`groups`).
TWO = hotline(
    {
        "name": "two",
        "numbers": {"100": "main"},
        "skills": {"a": {}, "b": {}},
        "queues": {"a": _queue("a", ["multi"]), "b": _queue("b", ["multi"])},
    },
    survey=False,
)


def busy(slots: range, value: float) -> list[float]:
    """`value` in the given half hours, 0 elsewhere."""
    return [value if s in slots else 0.0 for s in range(SLOTS)]


def test_single_queue_agrees_with_erlang_c_in_each_half_hour():
    # 16 Erlangs for four hours, staffed by Erlang C for 80/20; exponential talk, no
    # abandons, no ringing: M/M/N. The first half hour starts empty (better than steady
    # state) and is left out.
    load, hours = 16.0, range(18, 26)
    calls = busy(hours, load * 1800 / AHT)
    agents = agents_for_service_level(load, AHT, TARGET, GOAL)
    run = simulate_plan(
        ONE,
        DAY,
        [QueueDemand.of("any", calls, AHT)],
        [AgentGroup.of("all", ["any"], [int(agents * (c > 0)) for c in calls])],
        TwinOptions(replications=40, answer_after_s=0.0),
    )
    theory = service_level(agents, load, AHT, TARGET)
    assert 0.8 <= theory < 0.9
    steady = [run.at("any", s) for s in hours[1:]]
    for r in steady:
        assert r.offered == pytest.approx(160.0, abs=10.0)  # Poisson: sd 2 over 40 runs
        assert r.abandoned == 0
        assert r.service_level is not None
        assert abs(r.service_level - theory) <= r.half_width + 0.02, (r.slot, r.service_level)
    pooled = sum(r.service_level * r.base for r in steady if r.service_level) / sum(
        r.base for r in steady
    )
    assert pooled == pytest.approx(theory, abs=0.03)
    asa = sum(r.asa_s * r.answered for r in steady if r.asa_s is not None) / sum(
        r.answered for r in steady
    )
    assert asa == pytest.approx(average_speed_of_answer(agents, load, AHT), rel=0.25)
    assert run.day("any") is not None


def test_calls_land_in_their_queue_and_half_hour_with_that_queues_patience():
    calls_a, calls_b = busy(range(18, 19), 100.0), busy(range(19, 20), 50.0)
    run = simulate_plan(
        TWO,
        DAY,
        [QueueDemand.of("a", calls_a, AHT, 30.0), QueueDemand.of("b", calls_b, AHT)],
        [AgentGroup.of("solo_a", ["a"], 1), AgentGroup.of("solo_b", ["b"], 1)],
        TwinOptions(replications=1),
    )
    assert run.at("a", 18).offered == pytest.approx(100, abs=40)  # Poisson sd 10
    assert run.at("b", 19).offered == pytest.approx(50, abs=28)  # sd 7
    assert run.at("b", 18).offered == 0
    assert run.at("a", 19).offered <= 2  # a call queued after 09:30 by its IVR seconds
    assert sum(run.at(q, s).offered for q in ("a", "b") for s in range(SLOTS)) == run.calls
    # one agent, 100 calls of 3 minutes, 30 s patience: most of queue a gives up;
    # queue b's callers never do
    assert run.at("a", 18).abandoned > 0.5 * run.at("a", 18).offered
    assert sum(run.at("b", s).abandoned for s in range(SLOTS)) == 0


def test_a_plan_short_in_two_half_hours_is_raised_there_only():
    load, hours, short = 16.0, range(16, 28), (20, 21)
    calls = busy(hours, load * 1800 / AHT)
    generous = agents_for_service_level(load, AHT, TARGET, 0.95)  # 23 agents
    agents = [generous if c else 0 for c in calls]
    for s in short:
        agents[s] = 13  # under the load: a queue that only abandons keeps finite
    check = check_plan(
        ONE,
        DAY,
        [QueueDemand.of("any", calls, AHT, 180.0)],
        [AgentGroup.of("all", ["any"], agents)],
        options=TwinOptions(replications=6, answer_after_s=0.0),
    )
    needed = agents_for_service_level(load, AHT, TARGET, GOAL)  # 20
    (raise_,) = check.raises
    # the Erlang C shortfall from the 13 agents on duty, in the two half hours only
    assert raise_.added == tuple(needed - 13 if s in short else 0 for s in range(SLOTS))
    assert check.rounds == 1
    for i in check.intervals:
        assert i.raised == (i.slot in short)
        if i.slot in short:
            assert i.before.below_goal
            assert i.after.service_level is not None
            assert i.after.service_level >= GOAL
    assert check.met
    assert check.raised_plan[0].agents[20] == needed
    assert check.unfixable == ()


def test_a_multi_skill_group_is_staffed_as_one_pool_not_once_per_skill():
    # Queues a and b, 8 Erlangs each. "multi" answers both, "solo" only a. Counting each
    # multi-skill agent in every skill, Erlang C says both queues are staffed: b sees the
    # 11 agents it needs alone, a sees 14. But 14 agents carry 16 Erlangs.
    load, hours = 8.0, range(18, 26)
    calls = busy(hours, load * 1800 / AHT)
    alone = agents_for_service_level(load, AHT, TARGET, GOAL)
    pooled = agents_for_service_level(2 * load, AHT, TARGET, GOAL)
    assert (alone, pooled) == (11, 20)
    multi = AgentGroup.of("multi", ["a", "b"], [alone if c else 0 for c in calls])
    solo = AgentGroup.of("solo", ["a"], [3 if c else 0 for c in calls])
    naive = {
        "a": [service_level(alone + 3, load, AHT, TARGET) if c else None for c in calls],
        "b": [service_level(alone, load, AHT, TARGET) if c else None for c in calls],
    }
    check = check_plan(
        TWO,
        DAY,
        [QueueDemand.of("a", calls, AHT, 180.0), QueueDemand.of("b", calls, AHT, 180.0)],
        [multi, solo],
        formula=naive,
        options=TwinOptions(replications=4, answer_after_s=0.0),
    )
    b_half_hours = [i for i in check.intervals if i.queue == "b" and i.calls > 0]
    assert len(b_half_hours) == len(hours)
    assert all(i.optimistic for i in b_half_hours)  # the formula promised, the twin did not
    raised = {r.group: r.added for r in check.raises}
    assert sum(raised["solo"]) == 0  # b's calls are multi's: a raise of solo would not help
    assert all(raised["multi"][s] > 0 for s in hours)
    assert check.met
    final = check.raised_plan
    for s in hours[1:]:  # the first half hour starts empty
        assert sum(g.agents[s] for g in final) >= pooled - 1


def test_the_same_seeds_give_the_same_answer_and_other_seeds_another():
    demand = [QueueDemand.of("any", busy(range(18, 20), 120.0), AHT, 120.0)]
    plan = [AgentGroup.of("all", ["any"], [13 if s in (18, 19) else 0 for s in range(SLOTS)])]
    one = simulate_plan(ONE, DAY, demand, plan, TwinOptions(replications=2, seed=7))
    two = simulate_plan(ONE, DAY, demand, plan, TwinOptions(replications=2, seed=7))
    other = simulate_plan(ONE, DAY, demand, plan, TwinOptions(replications=2, seed=8))
    assert one.intervals == two.intervals
    assert one.seeds == (7, 8)
    assert one.intervals != other.intervals


def test_agents_per_half_hour_become_contiguous_shifts():
    # 0 2 3 1 1 0 …: two agents 01:00-01:30 and one 01:00-02:30 (last in, first out:
    # the one started at 01:30 leaves first)
    counts = [0, 2, 3, 1, 1] + [0] * (SLOTS - 5)
    assert sorted(_shifts(counts)) == [(1, 3, 1), (1, 5, 1), (2, 3, 1)]
    assert _shifts([4] * SLOTS) == [(0, SLOTS, 4)]
    on_duty = [0] * SLOTS
    for start, end, agents in _shifts([3, 1, 4, 1, 5, 9, 2, 6] + [5] * (SLOTS - 8)):
        for s in range(start, end):
            on_duty[s] += agents
    assert on_duty == [3, 1, 4, 1, 5, 9, 2, 6] + [5] * (SLOTS - 8)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: QueueDemand.of("any", [1.0] * 47, AHT), "calls needs 48"),
        (lambda: QueueDemand.of("any", [1.0] * SLOTS, 0.0), "handle_s of queue 'any'"),
        (lambda: QueueDemand.of("any", [-1.0] * SLOTS, AHT), "calls of queue 'any'"),
        (lambda: AgentGroup.of("g", ["any"], [1] * 47), "agents of group 'g'"),
        (lambda: AgentGroup.of("g", ["any"], 1, main="other"), "main of group 'g'"),
        (lambda: AgentGroup.of("g", {"any": 11}, 1), "level of 'any'"),
        (lambda: TwinOptions(replications=0), "replications"),
        (lambda: TwinOptions(tiers=(("gold", 1.0),)), "tier 'gold'"),
        (lambda: TwinOptions(tiers=(("high", 0.0),)), "more than 0"),
    ],
)
def test_bad_input_is_refused_naming_the_parameter(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_unknown_queues_are_refused_by_name():
    demand = [QueueDemand.of("nope", busy(range(18, 19), 10.0), AHT)]
    with pytest.raises(ValueError, match="unknown queue 'nope'"):
        simulate_plan(ONE, DAY, demand, [AgentGroup.of("all", ["any"], 1)])
    demand = [QueueDemand.of("any", busy(range(18, 19), 10.0), AHT)]
    with pytest.raises(ValueError, match="group 'all' names unknown queue 'x'"):
        simulate_plan(ONE, DAY, demand, [AgentGroup.of("all", ["x"], 1)])
    with pytest.raises(ValueError, match="no calls"):
        simulate_plan(ONE, DAY, [QueueDemand.of("any", [0.0] * SLOTS, AHT)], [])
    assert math.isinf(QueueDemand.of("any", [0.0] * SLOTS, AHT).patience_s[0])


def test_the_callers_tiers_are_the_mix_the_twin_is_given():
    """The log's tier counts become the simulated callers' shares (all three tiers named,
    adding up to 1); without a mix every caller is ordinary."""
    hot, keys = twin_hotline(ONE, ["any"])
    demand = [QueueDemand.of("any", busy(range(18, 19), 10.0), AHT)]
    plan = [AgentGroup.of("all", ["any"], 1)]
    mixed = TwinOptions(tiers=(("high", 30.0), ("ordinary", 90.0), ("middle", 30.0)))
    tiers = twin_scenario(hot, DAY, demand, plan, keys, mixed).tiers
    assert (tiers.high, tiers.middle, tiers.ordinary) == (0.2, 0.2, 0.6)
    plain = twin_scenario(hot, DAY, demand, plan, keys).tiers
    assert (plain.high, plain.middle, plain.ordinary) == (0.0, 0.0, 1.0)
