"""The engine's invariants over random hotlines and days (hypothesis).

Every arriving contact ends in exactly one outcome; no agent is offered two
contacts at once; a queue always offers its best waiting contact (VIP first,
black list last, first come first served); the event log alone reconstructs
every agent's state at any moment.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotline.calls.events import CallArrived, CallEnded, Outcome
from hotline.core.customer import ListMark
from hotline.core.events import Event
from hotline.routing.events import (
    ConsultEnded,
    ConsultStarted,
    ContactAbandoned,
    ContactAnswered,
    ContactBlocked,
    ContactCompleted,
    ContactLeft,
    ContactOffered,
    ContactOfferFailed,
    ContactOverflowed,
    ContactQueued,
    ContactRingNoAnswer,
    ContactTimedOut,
    ContactTransferred,
)
from hotline.routing.model import CALL_STATES
from hotline.routing.replay import replay
from hotline.sim.run import Simulation

from .builders import hotline, scenario

STRATEGIES = ["longest_idle", "fewest_calls", "least_talk", "top_skill", "round_robin"]


@st.composite
def days(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    names = ["fault", "query", "complaint"][: draw(st.integers(1, 3))]
    queues: dict[str, Any] = {}
    for name in names:
        q: dict[str, Any] = {
            "skill": name,
            "strategy": draw(st.sampled_from(STRATEGIES)),
            "wrap_up": draw(st.sampled_from([0, 5, 30])),
            "ring_timeout": draw(st.sampled_from([6, 12])),
            "resume_abandoned_within": draw(st.sampled_from([0, 60])),
        }
        if draw(st.booleans()):
            q["overflow"] = [{"after": draw(st.sampled_from([5, 20, 40])), "secondary": True}]
        if draw(st.booleans()):
            q["max_wait"] = draw(st.sampled_from([30, 90]))
            others = [n for n in names if n != name]
            actions = ["callback", "voicemail", "hangup"] + (["overflow"] if others else [])
            q["on_max_wait"] = action = draw(st.sampled_from(actions))
            if action == "overflow":
                q["overflow_to"] = draw(st.sampled_from(others))
        if draw(st.booleans()):
            q["max_waiting"] = draw(st.integers(2, 8))
        queues[name] = q
    config = {
        "name": "prop",
        "numbers": {"100": "main"},
        "skills": {n: {} for n in names},
        "queues": queues,
        "ivr": {
            "survey": "survey" if draw(st.booleans()) else None,
            "callback_offer": {"prompt": "callback_offer", "thanks_prompt": "callback_thanks"}
            if draw(st.booleans())
            else None,
        },
    }
    teams = []
    # every queue has someone on duty all day who serves it first (otherwise patient callers
    # of an unstaffed queue would rightly wait forever)
    for i in range(len(names) + draw(st.integers(0, 2))):
        main = names[i] if i < len(names) else draw(st.sampled_from(names))
        skills = {main: draw(st.integers(1, 10))}
        for other in names:
            if other != main and draw(st.booleans()):
                skills[other] = draw(st.integers(1, 10))
        team: dict[str, Any] = {
            "team": f"t{i}",
            "count": draw(st.integers(1, 4)),
            "skills": skills,
            "main": main,
        }
        if i >= len(names) and draw(st.booleans()):
            team["shift"] = "part"
        teams.append(team)
    high = draw(st.sampled_from([0.0, 0.1, 0.3]))
    middle = draw(st.sampled_from([0.0, 0.3]))
    patience = draw(
        st.sampled_from(
            [
                {"dist": "never"},
                {"dist": "exponential", "mean": 30},
                {"dist": "exponential", "mean": 200},
            ]
        )
    )
    day = {
        "seed": draw(st.integers(0, 2**31)),
        "hours": 1,
        # callers who never give up must be served within the run's drain time
        "arrivals": {
            "rate": draw(
                st.sampled_from(
                    [0.01, 0.05] if patience["dist"] == "never" else [0.01, 0.05, 0.15, 0.3]
                )
            )
        },
        "tiers": {
            "high": high,
            "middle": middle,
            "ordinary": 1 - high - middle,
            "red": draw(st.sampled_from([0.0, 0.1])),
            "black": draw(st.sampled_from([0.0, 0.1])),
        },
        "intents": [
            {
                "transfer": {"share": 0.2, "to": draw(st.sampled_from(names))}
                if draw(st.booleans())
                else None,
                "hold": {"share": 0.3, "length": {"dist": "uniform", "low": 5, "high": 40}}
                if draw(st.booleans())
                else None,
                "consult": {
                    "share": 0.3,
                    "to": draw(st.sampled_from(names)),
                    "length": {"dist": "uniform", "low": 2, "high": 30},
                    "complete": draw(st.sampled_from([0.0, 0.5, 1.0])),
                }
                if draw(st.booleans())
                else None,
                "name": n,
                "share": 1,
                "digits": [str(i + 1)],
                "talk": {"dist": "exponential", "mean": 60},
                "acw": {"dist": "uniform", "low": 0, "high": 20},
            }
            for i, n in enumerate(names)
        ]
        + [{"name": "self", "share": draw(st.sampled_from([0, 1])), "digits": ["9"]}],
        "patience": patience,
        "callback_accept": draw(st.sampled_from([0.0, 0.5])),
        "ivr_hangup": draw(st.sampled_from([0.0, 0.2])),
        "redial": {
            "probability": draw(st.sampled_from([0.0, 0.5])),
            "after": {"dist": "exponential", "mean": 30},
        },
        "agents": {
            "miss": draw(st.sampled_from([0.0, 0.2])),
            "answer_after": {"dist": "uniform", "low": 1, "high": 8},
        },
        "shifts": {"part": {"start": "00:20", "end": "00:50"}},
        "roster": teams,
    }
    return config, day


class Checker:
    """Checks the invariants as the events stream out of a run."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.waiting: dict[str, dict[str, tuple[int, float, ListMark]]] = {}
        self.with_agent: dict[str, str] = {}  # agent -> call offered or talking
        self.agent_of: dict[str, str] = {}  # call -> agent
        self.place: dict[str, tuple[int, float, ListMark]] = {}  # call -> last known place
        self.abandoned_place: dict[tuple[str, str], float] = {}
        self.caller_of: dict[str, str] = {}
        self.consulted: dict[str, str] = {}  # agent rung or talking in a consultation -> call

    def __call__(self, e: Event) -> None:
        self.events.append(e)
        if isinstance(e, ContactQueued):
            self.caller_of[e.call] = e.caller
            position = e.at
            if e.resumed:
                position = self.abandoned_place[(e.caller, e.queue)]
            elif e.call in self.place and self.place[e.call][1] < e.at:
                position = self.place[e.call][1]  # a declined callback offer keeps its place
            self._wait(e.queue, e.call, (e.priority, position, e.list_mark))
        elif isinstance(e, ContactOffered):
            waiting = self.waiting[e.queue]
            mine = waiting.pop(e.call)
            for other, (priority, position, _) in waiting.items():
                assert priority <= mine[0], f"{e.call} offered while higher-priority {other} waits"
                if priority == mine[0]:
                    assert position >= mine[1], f"{e.call} offered before earlier {other}"
            if mine[2] is ListMark.BLACK:
                others = [c for c, place in waiting.items() if place[2] is not ListMark.BLACK]
                assert not others, f"black-listed {e.call} offered while {others} wait"
            assert e.agent not in self.with_agent, (
                f"{e.agent} offered {e.call} while on {self.with_agent[e.agent]}"
            )
            assert e.agent not in self.consulted, f"{e.agent} offered {e.call} while consulted"
            self.with_agent[e.agent] = e.call
            self.agent_of[e.call] = e.agent
        elif isinstance(e, (ContactRingNoAnswer, ContactOfferFailed)):
            self._free(e.call)
            self._wait(e.queue, e.call, self.place[e.call])
        elif isinstance(e, ContactAbandoned):
            self._free(e.call)
            self.waiting[e.queue].pop(e.call, None)
            self.abandoned_place[(self.caller_of[e.call], e.queue)] = self.place[e.call][1]
        elif isinstance(e, (ContactCompleted, ContactTransferred, ContactLeft)):
            self._free(e.call)
            self.waiting.get(e.queue, {}).pop(e.call, None)
            if isinstance(e, ContactTransferred):
                del self.place[e.call]  # it queues anew, at the back of the other queue
        elif isinstance(e, ContactTimedOut):
            self.waiting[e.queue].pop(e.call, None)
        elif isinstance(e, ContactOverflowed):
            priority, position, mark = self.place[e.call]
            self._wait(e.to_queue, e.call, (priority, position, mark))
        elif isinstance(e, ConsultStarted):
            assert self.with_agent.get(e.agent) == e.call, f"{e.agent} consults off its call"
            assert e.target not in self.with_agent, f"{e.target} consulted while on a call"
            assert e.target not in self.consulted, f"{e.target} consulted twice at once"
            self.consulted[e.target] = e.call
        elif isinstance(e, ConsultEnded):
            assert self.consulted.pop(e.target) == e.call
            if e.outcome == "transferred":  # the caller is the colleague's now
                self._free(e.call)
                self.with_agent[e.target] = e.call
                self.agent_of[e.call] = e.target

    def _wait(self, queue: str, call: str, place: tuple[int, float, ListMark]) -> None:
        self.waiting.setdefault(queue, {})[call] = place
        self.place[call] = place

    def _free(self, call: str) -> None:
        agent = self.agent_of.pop(call, None)
        if agent is not None and self.with_agent.get(agent) == call:
            del self.with_agent[agent]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(days())
def test_engine_invariants_hold_on_random_days(day: tuple[dict[str, Any], dict[str, Any]]) -> None:
    config, plan = day
    sim = Simulation(scenario(plan), hotline(config))
    checker = Checker()
    sim.subscribe(checker)
    snapshots: list[tuple[int, dict[str, str]]] = []

    def snapshot() -> None:
        states = {a.id: a.state.value for a in sim.acd.agents.values()}
        snapshots.append((len(checker.events), states))

    for minute in range(5, 80, 7):
        sim.clock.call_at(sim.start + minute * 60 + 0.5, snapshot)
    result = sim.run()

    # every arriving contact ends exactly once, with one outcome
    arrived = [e.call for e in checker.events if isinstance(e, CallArrived)]
    ended = Counter(e.call for e in checker.events if isinstance(e, CallEnded))
    assert result.unfinished_calls == 0
    assert set(arrived) == set(ended)
    assert all(n == 1 for n in ended.values())
    answered = {e.call for e in checker.events if isinstance(e, ContactAnswered)}
    for e in checker.events:
        if isinstance(e, CallEnded):
            assert (e.outcome is Outcome.ANSWERED) == (e.call in answered), e
    blocked = {e.call for e in checker.events if isinstance(e, ContactBlocked)}
    for e in checker.events:
        if isinstance(e, CallEnded) and e.call in blocked and e.call not in answered:
            assert e.outcome is Outcome.BLOCKED

    # nothing is left hanging: no contact in the ACD, no agent bound to a call
    assert not checker.with_agent
    assert not checker.consulted
    assert not sim.acd.consults
    assert all(a.state not in CALL_STATES for a in sim.acd.agents.values())
    assert not any(sim.acd.has_contact(c) for c in arrived)

    # the log alone gives every agent's state at every snapshot
    for upto, states in snapshots:
        picture = replay(checker.events[:upto])
        rebuilt = {a: s.state.value for a, s in picture.agents.items()}
        assert {a: s for a, s in states.items() if s != "logged_out"} == {
            a: s for a, s in rebuilt.items() if s != "logged_out"
        }
