"""Run a scenario: the real engine (IVR, ACD, call controller) on a virtual clock.

The simulator is not a model of the hotline, it is the hotline, fed by
synthetic callers and agents through the simulated switch. Everything it
reports is folded from the events the engine publishes.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import os
import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from hotline.calls.config import Hotline, load_hotline
from hotline.calls.engine import build_acd, build_engine
from hotline.calls.ports import CustomerDirectory
from hotline.core.clock import VirtualClock
from hotline.core.config import ConfigError, load_model
from hotline.core.events import Event, EventBus
from hotline.core.ids import AgentId, CallId
from hotline.ivr.context import CallContext
from hotline.ivr.flow import CallbackNode
from hotline.ivr.ports import IdentityVerifier
from hotline.routing.acd import ACD
from hotline.routing.model import AgentProfile
from hotline.routing.replay import replay
from hotline.sim.population import Population, agent_profiles
from hotline.sim.scenario import ScenarioModel
from hotline.sim.seats import SeatedParties
from hotline.sim.summary import RunSummary
from hotline.telephony.customers import ChanceCustomers
from hotline.telephony.sim import SimSwitch

DRAIN_LIMIT = 6 * 3600.0
"""After the last arrival, calls still in progress get at most this long to finish."""


def load_scenario(path: str | os.PathLike[str]) -> tuple[ScenarioModel, Hotline]:
    """Read a scenario and the hotline it names; raises `ConfigError` with every problem."""
    file = Path(path)
    scenario, document = load_model(file, ScenarioModel)
    hotline_path = file.parent / scenario.hotline
    if not hotline_path.is_file():
        raise ConfigError([document.problem(("hotline",), f"no hotline file at {hotline_path}")])
    hotline = load_hotline(hotline_path)
    skills = set(hotline.model.skills)
    problems = [
        document.problem(p, m) for p, m in scenario.problems(skills, set(hotline.model.queues))
    ]
    if problems:
        raise ConfigError(problems)
    return scenario, hotline


def _bill(ctx: CallContext, args: Mapping[str, str]) -> Mapping[str, str] | None:
    """A synthetic bill, the same for the same account (no random draw: seeds stay aligned)."""
    account = args.get("account") or ctx.account
    if not account:
        return None
    digest = int(hashlib.blake2b(account.encode(), digest_size=4).hexdigest(), 16)
    amount = 30 + digest % 47000 / 100
    return {"amount": f"{amount:.2f}", "due_date": "25日", "balance": f"{digest % 5000 / 100:.2f}"}


def _no_outage(ctx: CallContext, args: Mapping[str, str]) -> Mapping[str, str] | None:
    return None


def callback_keys(hotline: Hotline) -> dict[str, str]:
    """Every prompt that offers a callback, with the key that accepts it."""
    keys: dict[str, str] = {}
    for flow in hotline.flows.values():
        for node in flow.nodes.values():
            if isinstance(node, CallbackNode):
                keys[node.prompt] = node.accept_key
    offer = hotline.model.ivr.callback_offer
    if offer is not None:
        keys[offer.prompt] = offer.accept_key
    return keys


class Simulation:
    """One run of a scenario on one hotline, from local midnight of the start date."""

    def __init__(
        self,
        scenario: ScenarioModel,
        hotline: Hotline,
        *,
        seed: int | None = None,
        seats: Sequence[AgentProfile] = (),
        on_ring: Callable[[CallId, AgentId], None] | None = None,
        call_prefix: str = "c",
        directory: Callable[[Population], CustomerDirectory] | None = None,
        verifier: Callable[[Population], IdentityVerifier] | None = None,
    ) -> None:
        """`seats` are agents besides the scenario's roster whose phones are left to people
        (`SeatedParties`); `on_ring` is told when one of them rings. `directory` and
        `verifier` build the customer lookup and the identity check from the population
        (default: the population itself, which knows its simulated callers)."""
        if seed is not None:
            scenario = scenario.model_copy(update={"seed": seed})
        self.scenario = scenario
        self.hotline = hotline
        tz = hotline.timezone
        start = datetime.datetime.combine(scenario.start, datetime.time(0), tz).timestamp()
        self.clock = clock = VirtualClock(start)
        self.bus = bus = EventBus()
        self.summary = RunSummary(
            origin=start,
            queues={q.name: (q.service_level_target, q.service_level_goal) for q in hotline.queues},
        )
        self.summary.attach(bus)
        self.population = population = Population(
            scenario, clock, tz, callback_keys(hotline), call_prefix=call_prefix
        )
        self.parties = parties = SeatedParties(population, [s.id for s in seats], on_ring)
        called = scenario.called
        talk = called.talk.sampler(random.Random(scenario.seed * 7919 + 1))
        customers = ChanceCustomers(  # whom the hotline calls (外呼), on their own generator
            random.Random(scenario.seed * 7919),
            answer=called.answer,
            busy=called.busy,
            answer_after=called.answer_after,
            talk=lambda rng: max(5.0, talk()),
        )
        self.switch = switch = SimSwitch(
            clock, parties, hotline.prompt_seconds(), customers=customers
        )
        profiles = agent_profiles(scenario)
        engine = build_engine(
            hotline,
            clock=clock,
            bus=bus,
            switch=switch,
            agents=[p for p, _ in profiles] + list(seats),
            verifier=population if verifier is None else verifier(population),
            directory=population if directory is None else directory(population),
            lookups={"bill": _bill, "outage": _no_outage},
        )
        self.acd = acd = engine.acd
        self.controller = controller = engine.controller
        population.bind(switch, acd, controller, hotline.main_number)
        population.schedule_shifts(profiles, scenario.start, scenario.days)
        population.schedule_days(scenario.start, scenario.days)
        self.start = start

    def restart_engine(self, log: Iterable[Event]) -> ACD:
        """Drill: the routing engine restarts now and rebuilds itself from the event log.

        The old ACD stops; a new one takes the agents' states and the queues
        from `log` (everything published so far), then matches the switch's
        live calls. Calls and agents carry on with it.
        """
        old = self.acd
        old.shutdown()
        acd = build_acd(
            self.hotline,
            clock=self.clock,
            bus=self.bus,
            agents=[a.profile for a in old.agents.values()],
            control=self.controller,
        )
        acd.restore(replay(log), self.switch.live_calls())
        self.controller.replace_acd(acd)
        self.population.acd = acd
        self.acd = acd
        return acd

    def subscribe(self, handler: Callable[[Event], None]) -> None:
        self.bus.subscribe(handler)

    def run(self, progress: Callable[[float], None] | None = None) -> RunResult:
        """Run the whole scenario; `progress` gets the fraction of simulated time done."""
        began = time.perf_counter()
        clock = self.clock
        end = self.population.ends_at
        step = 900.0
        t = max(self.start, clock.now())  # a run may continue one already under way
        while t < end:
            t = min(t + step, end)
            clock.run(until=t)
            if progress is not None:
                progress((t - self.start) / (end - self.start))
        drain_until = end + DRAIN_LIMIT
        while self.switch.live_calls() and clock.now() < drain_until:
            clock.run(until=min(clock.now() + step, drain_until))
        self.summary.close(clock.now())
        return RunResult(
            summary=self.summary.as_dict(),
            events=self.bus.published,
            simulated_s=clock.now() - self.start,
            wall_s=time.perf_counter() - began,
            unfinished_calls=len(self.switch.live_calls()),
        )


@dataclasses.dataclass(frozen=True)
class RunResult:
    summary: dict[str, object]
    events: int
    simulated_s: float
    wall_s: float
    unfinished_calls: int
