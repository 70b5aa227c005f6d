"""The simulated agents work the published roster (排班) instead of their scenario team's
shifts: in at the start, 用餐 at the meal, out at the end; the others keep the scenario."""

from __future__ import annotations

from pathlib import Path

from hotline.routing.events import AgentStateChanged
from hotline.routing.model import AgentState
from hotline.sim.population import RosterShift
from hotline.sim.run import Simulation, load_scenario

WEEKDAY = Path(__file__).parents[2] / "examples" / "95598" / "scenarios" / "weekday.yaml"
HOUR = 3600.0


def test_named_agents_follow_the_roster_and_the_others_their_scenario_shift() -> None:
    scenario, hotline = load_scenario(WEEKDAY)
    sim = Simulation(scenario, hotline, seed=3)
    changes: list[AgentStateChanged] = []
    sim.subscribe(lambda e: changes.append(e) if isinstance(e, AgentStateChanged) else None)
    t0 = sim.start  # local midnight
    # 1001 and 1002 are on the scenario's early shift (07:00–16:00); the roster moves 1001
    shift = RosterShift(
        "1001", t0 + 10 * HOUR, t0 + 18 * HOUR, meal=(t0 + 13 * HOUR, t0 + 13.5 * HOUR)
    )
    sim.clock.run(until=t0 + 1)
    assert (
        sim.population.follow_roster([shift, RosterShift("9001", t0, t0 + HOUR)]) == 1
    )  # 9001 is no simulated agent (a person's seat): not moved
    state = sim.acd.state_of
    sim.clock.run(until=t0 + 8 * HOUR)
    assert state("1001") is AgentState.LOGGED_OUT
    assert state("1002") is not AgentState.LOGGED_OUT
    sim.clock.run(until=t0 + 10.5 * HOUR)  # at most 15 minutes late
    assert state("1001") is not AgentState.LOGGED_OUT
    sim.clock.run(until=t0 + 19 * HOUR)  # at most 5 minutes over
    assert state("1001") is AgentState.LOGGED_OUT
    mine = [c for c in changes if c.agent == "1001"]
    logins = [c.at for c in mine if c.previous is AgentState.LOGGED_OUT]
    assert len(logins) == 1
    assert t0 + 10 * HOUR - 300 <= logins[0] <= t0 + 10 * HOUR + 900
    meals = [c.at for c in mine if c.state is AgentState.NOT_READY and c.reason == "meal"]
    assert len(meals) == 1
    assert t0 + 13 * HOUR <= meals[0] <= t0 + 13.5 * HOUR
    assert not any(
        c.state is AgentState.LOGGED_OUT and t0 + 15 * HOUR < c.at < t0 + 17 * HOUR for c in mine
    )


def test_an_empty_roster_gives_the_agents_back_to_the_scenario() -> None:
    scenario, hotline = load_scenario(WEEKDAY)
    sim = Simulation(scenario, hotline, seed=3)
    t0 = sim.start
    sim.clock.run(until=t0 + 9 * HOUR)
    assert sim.acd.state_of("1001") is not AgentState.LOGGED_OUT  # early shift 07:00–16:00
    sim.population.follow_roster([RosterShift("1001", t0 + 20 * HOUR, t0 + 23 * HOUR)])
    sim.clock.run(until=t0 + 9.5 * HOUR)
    assert sim.acd.state_of("1001") is AgentState.LOGGED_OUT
    sim.population.follow_roster([])
    sim.clock.run(until=t0 + 10 * HOUR)
    assert sim.acd.state_of("1001") is not AgentState.LOGGED_OUT
    sim.clock.run(until=t0 + 17 * HOUR)
    assert sim.acd.state_of("1001") is AgentState.LOGGED_OUT  # its scenario shift ended at 16:00


def test_reserve_agents_work_only_what_the_roster_gives_them() -> None:
    """1061 is in the weekday scenario's reserve (投诉组 后备): logged out all day without
    a roster, on duty for its rostered shift, and out again when the roster is taken back."""
    scenario, hotline = load_scenario(WEEKDAY)
    sim = Simulation(scenario, hotline, seed=3)
    changes: list[AgentStateChanged] = []
    sim.subscribe(lambda e: changes.append(e) if isinstance(e, AgentStateChanged) else None)
    t0 = sim.start
    sim.clock.run(until=t0 + 12 * HOUR)
    assert sim.acd.state_of("1061") is AgentState.LOGGED_OUT
    assert not [c for c in changes if c.agent == "1061"]
    sim.population.follow_roster([RosterShift("1061", t0 + 13 * HOUR, t0 + 20 * HOUR)])
    sim.clock.run(until=t0 + 13.5 * HOUR)
    assert sim.acd.state_of("1061") is not AgentState.LOGGED_OUT
    sim.population.follow_roster([])  # the week unpublished: back to no shift at all
    sim.clock.run(until=t0 + 14 * HOUR)
    assert sim.acd.state_of("1061") is AgentState.LOGGED_OUT


def test_the_dialer_is_told_when_an_agent_leaves_at_its_shifts_end() -> None:
    """`Population.leaves`: the scenario's shift end (1001: early shift, 16:00), then the
    published roster's drawn end once 1001 follows it (18:00, up to 5 minutes over or
    20 minutes early) — the outbound dialer places no call for an agent about to leave."""
    scenario, hotline = load_scenario(WEEKDAY)
    sim = Simulation(scenario, hotline, seed=3)
    t0 = sim.start
    leaves = sim.population.leaves
    assert leaves("1001", t0 + 15.99 * HOUR, t0 + 16.01 * HOUR)
    assert not leaves("1001", t0 + 15 * HOUR, t0 + 15.9 * HOUR)
    assert not leaves("9001", t0, t0 + 24 * HOUR)  # a person's seat: it logs out by itself
    sim.clock.run(until=t0 + 1)
    sim.population.follow_roster([RosterShift("1001", t0 + 10 * HOUR, t0 + 18 * HOUR)])
    assert not leaves("1001", t0 + 15.99 * HOUR, t0 + 16.01 * HOUR)  # the roster's now
    assert leaves("1001", t0 + 17.6 * HOUR, t0 + 18.1 * HOUR)
