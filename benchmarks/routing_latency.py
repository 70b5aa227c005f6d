"""Routing decision latency of the ACD at call-centre scale.

A centre of 2,000 logged-in agents, 20 skills and 20 queues (one per skill, a
mix of strategies, one or two overflow stages admitting secondary-skill agents
after 30 / 60 s) keeps 5,000 contacts waiting (5 % high tier, 25 % middle,
70 % ordinary; some on the red or black list). Two kinds of routing decision
are timed, each single call on its own with `time.perf_counter_ns`:

- "agent ready": an agent in wrap-up is set ready (`ACD.set_ready`) and takes
  the best waiting head among the queues it serves. Outside the timed call the
  offered contact is answered and ended (the agent goes back to wrap-up) and a
  replacement contact joins the same queue, so 5,000 keep waiting.
- "contact arrives": a second centre where a few hundred agents are idle; a
  new contact is enqueued (`ACD.enqueue`) and the ACD searches the idle indexes
  for the agent to offer it to. Outside the timed call the offered contact is
  answered and ended, and another agent of the same main skill leaves wrap-up,
  so the number of idle agents stays the same. Those set_ready calls, which
  find nothing waiting and put the agent in the idle indexes, are timed too and
  reported apart ("ready -> idle", not part of the target).

A trivial Python operation of comparable shape (`heapq.heappush` + `heappop`
on a 5,000-entry heap) is timed the same way in the same run; p99 divided by
the baseline's p50 compares results across machines of different speed.

Wrap-up is made very long so agents leave it only when the benchmark says so;
simulated time advances a little after each decision (timers run then, outside
the timed section), so contacts wait long enough to reach the overflow stages.

Usage: python benchmarks/routing_latency.py [--json] [--decisions N] [--seed S] [--no-gc]
"""

from __future__ import annotations

import argparse
import datetime
import gc
import heapq
import json
import math
import os
import platform
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from hotline.core.clock import VirtualClock
from hotline.core.customer import ListMark, Tier
from hotline.core.events import EventBus
from hotline.core.ids import AgentId, CallId, QueueName, SkillName
from hotline.routing.acd import ACD
from hotline.routing.model import (
    AgentProfile,
    AgentState,
    MaxWaitAction,
    QueueSpec,
    Selector,
    Stage,
    Strategy,
)

AGENTS = 2_000
SKILLS = 20
WAITING = 5_000
IDLE = 300  # agents idle in the "contact arrives" phase (at least MIN_IDLE per skill)
MIN_IDLE = 5
DECISIONS = 20_000
WARMUP = 1_000  # decisions made, untimed, before measuring
BASELINE_HEAP = 5_000
TARGET_P99_US = 200.0
START = 1_780_000_000.0
WRAP_UP = 86_400.0  # agents leave wrap-up only when the benchmark sets them ready
STEP = 0.02  # simulated seconds between decisions: contacts wait ~100 s, past both overflows
STRATEGIES = (
    Strategy.LONGEST_IDLE,
    Strategy.FEWEST_CALLS,
    Strategy.LEAST_TALK,
    Strategy.TOP_SKILL,
    Strategy.ROUND_ROBIN,
)


# ---- the centre ---------------------------------------------------------------------------


class RecordingControl:
    """Call control that only records what the ACD asks of it."""

    def __init__(self) -> None:
        self.rings: list[tuple[CallId, AgentId]] = []
        self.cancelled: list[tuple[CallId, AgentId]] = []
        self.max_waits: list[tuple[CallId, QueueName, MaxWaitAction, float]] = []

    def ring(self, call: CallId, agent: AgentId, timeout: float) -> None:
        self.rings.append((call, agent))

    def cancel_ring(self, call: CallId, agent: AgentId) -> None:
        self.cancelled.append((call, agent))

    def max_wait_reached(
        self, call: CallId, queue: QueueName, action: MaxWaitAction, position: float
    ) -> None:
        self.max_waits.append((call, queue, action, position))


def build_roster(rng: random.Random) -> tuple[list[QueueSpec], list[AgentProfile]]:
    """20 queues (one per skill) and 2,000 agents with a main and 1–3 secondary skills."""
    skills = [SkillName(f"skill{i:02d}") for i in range(SKILLS)]
    queues = []
    for i, skill in enumerate(skills):
        stages = [Stage(0.0, Selector(skill))]
        if rng.random() < 0.5:  # two overflow stages: good secondaries first, then all
            stages.append(Stage(30.0, Selector(skill, min_level=5, secondary=True)))
            stages.append(Stage(60.0, Selector(skill, secondary=True)))
        else:
            stages.append(Stage(30.0, Selector(skill, secondary=True)))
        queues.append(
            QueueSpec(
                name=QueueName(f"q-{skill}"),
                stages=tuple(stages),
                strategy=STRATEGIES[i % len(STRATEGIES)],
                wrap_up=WRAP_UP,
            )
        )
    agents = []
    for n in range(AGENTS):
        main = rng.choice(skills)
        secondary = rng.sample([s for s in skills if s != main], rng.randint(1, 3))
        levels = {main: rng.randint(1, 10)} | {s: rng.randint(1, 10) for s in secondary}
        agents.append(AgentProfile(AgentId(str(10_000 + n)), f"agent {n}", levels, main))
    return queues, agents


def draw_customer(rng: random.Random) -> tuple[Tier, ListMark]:
    r = rng.random()
    tier = Tier.HIGH if r < 0.05 else Tier.MIDDLE if r < 0.30 else Tier.ORDINARY
    m = rng.random()
    mark = ListMark.RED if m < 0.03 else ListMark.BLACK if m < 0.05 else ListMark.NONE
    return tier, mark


class Centre:
    """One ACD on a virtual clock, with an event bus and the recording call control."""

    def __init__(self, queues: list[QueueSpec], agents: list[AgentProfile]) -> None:
        self.clock = VirtualClock(START)
        self.bus = EventBus()
        self.control = RecordingControl()
        self.acd = ACD(
            clock=self.clock,
            publish=self.bus.publish,
            queues=queues,
            agents=agents,
            control=self.control,
        )
        self.main = {p.id: p.main_skill for p in agents}
        self.queue_of_skill = {q.skill: q.name for q in queues}
        self._calls = 0

    def next_call(self, rng: random.Random) -> tuple[CallId, str, Tier, ListMark]:
        self._calls += 1
        tier, mark = draw_customer(rng)
        return CallId(f"call-{self._calls}"), f"tel-{self._calls}", tier, mark

    def enqueue(self, queue: QueueName, rng: random.Random) -> None:
        call, caller, tier, mark = self.next_call(rng)
        self.acd.enqueue(call, queue, caller=caller, tier=tier, list_mark=mark)

    def settle(self) -> list[tuple[QueueName, AgentId]]:
        """Answer and end every call the ACD rang: (queue, agent) of each, agent in wrap-up."""
        served = []
        rings = self.control.rings
        acd = self.acd
        while rings:
            call, agent = rings.pop(0)
            queue = acd.contact(call).queue.name
            acd.answered(call)
            acd.end_call(call, ended_by="agent")
            served.append((queue, agent))
        return served


def take_random(items: list[AgentId], rng: random.Random) -> AgentId:
    i = rng.randrange(len(items))
    chosen = items[i]
    items[i] = items[-1]
    items.pop()
    return chosen


# ---- phase A: an agent becomes ready ------------------------------------------------------


def agent_ready_phase(
    queues: list[QueueSpec], agents: list[AgentProfile], rng: random.Random, n: int, warmup: int
) -> tuple[list[int], dict[str, Any]]:
    centre = Centre(queues, agents)
    acd, clock = centre.acd, centre.clock
    names = [q.name for q in queues]
    for profile in agents:
        acd.login(profile.id)  # not ready ("login") while the queues fill
    # 5,000 to keep waiting, plus one per agent for the set-up calls; spread over time
    target = Counter(rng.choice(names) for _ in range(WAITING))
    extra = Counter(centre.queue_of_skill[p.main_skill] for p in agents)
    fill = [name for name in names for _ in range(target[name] + extra[name])]
    rng.shuffle(fill)
    for name in fill:
        centre.enqueue(name, rng)
        clock.advance(STEP)
    order = [p.id for p in agents]
    rng.shuffle(order)
    for agent_id in order:  # each takes a contact, answers it and goes to wrap-up
        acd.set_ready(agent_id)
        centre.settle()
        clock.advance(STEP)
    for name in names:  # exactly `target` waiting per queue
        queue = acd.queue(name)
        while queue.size < target[name]:
            centre.enqueue(name, rng)
        for contact in queue.waiting()[target[name] :]:
            acd.withdraw(contact.call, "benchmark-trim")
    centre.settle()
    wrapping = [a.id for a in acd.agents.values() if a.state is AgentState.WRAP_UP]
    assert len(wrapping) == AGENTS, "every agent should be in wrap-up"
    assert sum(acd.queue(name).size for name in names) == WAITING

    def keep_up(served: list[tuple[QueueName, AgentId]]) -> None:
        """Served agents go back to the wrap-up pool; each served contact is replaced."""
        while served:
            queue, agent_id = served.pop()
            wrapping.append(agent_id)
            centre.enqueue(queue, rng)
            served.extend(centre.settle())

    samples: list[int] = []
    stats = Counter[str]()
    clock_ns = time.perf_counter_ns
    set_ready = acd.set_ready
    gc.collect()
    for i in range(warmup + n):
        agent_id = take_random(wrapping, rng)
        t0 = clock_ns()
        set_ready(agent_id)
        t1 = clock_ns()
        if i >= warmup:
            samples.append(t1 - t0)
        served = centre.settle()
        if not served:
            stats["went idle"] += 1
        elif centre.queue_of_skill[centre.main[agent_id]] == served[0][0]:
            stats["took main queue"] += 1
        else:
            stats["took secondary queue"] += 1
        keep_up(served)
        clock.advance(STEP)
        keep_up(centre.settle())
    stats["waiting at end"] = sum(acd.queue(name).size for name in names)
    stats["events published"] = centre.bus.published
    return samples, dict(stats)


# ---- phase B: a contact arrives -----------------------------------------------------------


def contact_arrives_phase(
    queues: list[QueueSpec], agents: list[AgentProfile], rng: random.Random, n: int, warmup: int
) -> tuple[list[int], list[int], dict[str, Any]]:
    centre = Centre(queues, agents)
    acd, clock = centre.acd, centre.clock
    names = [q.name for q in queues]
    by_skill: dict[SkillName | None, list[AgentId]] = {}
    for profile in agents:
        by_skill.setdefault(profile.main_skill, []).append(profile.id)
    idle: list[AgentId] = []
    wrapping: dict[SkillName | None, list[AgentId]] = {}
    for skill, members in by_skill.items():
        k = min(len(members), max(MIN_IDLE, round(IDLE * len(members) / AGENTS)))
        chosen = set(rng.sample(members, k))
        idle.extend(a for a in members if a in chosen)
        wrapping[skill] = [a for a in members if a not in chosen]
    # the busy agents: ready, offered a contact of their main queue, answered, wrap-up
    for members in wrapping.values():
        for agent_id in members:
            acd.login(agent_id, ready=True)
    for skill, members in wrapping.items():
        for _ in members:
            centre.enqueue(centre.queue_of_skill[skill], rng)
            centre.settle()
            clock.advance(STEP)
    for agent_id in idle:
        acd.login(agent_id, ready=True)
        clock.advance(STEP)
    counts = acd.counts()
    assert counts.get(AgentState.READY) == len(idle), counts
    assert counts.get(AgentState.WRAP_UP) == AGENTS - len(idle), counts

    samples: list[int] = []
    idle_samples: list[int] = []  # set_ready calls that found nothing and indexed the agent
    stats = Counter[str]()
    clock_ns = time.perf_counter_ns
    enqueue = acd.enqueue
    ready = AgentState.READY

    def keep_up(served: list[tuple[QueueName, AgentId]], record: bool) -> None:
        """A served agent goes to wrap-up; another of its main skill becomes ready instead."""
        while served:
            _, agent_id = served.pop()
            pool = wrapping[centre.main[agent_id]]
            replacement = take_random(pool, rng) if pool else None
            pool.append(agent_id)
            if replacement is not None:
                t0 = clock_ns()
                acd.set_ready(replacement)
                t1 = clock_ns()
                if record and acd.agents[replacement].state is ready:
                    idle_samples.append(t1 - t0)
            served.extend(centre.settle())

    gc.collect()
    for i in range(warmup + n):
        name = rng.choice(names)
        call, caller, tier, mark = centre.next_call(rng)
        t0 = clock_ns()
        enqueue(call, name, caller=caller, tier=tier, list_mark=mark)
        t1 = clock_ns()
        if i >= warmup:
            samples.append(t1 - t0)
        served = centre.settle()
        stats["offered at once" if served else "left waiting"] += 1
        keep_up(served, i >= warmup)
        clock.advance(STEP)
        keep_up(centre.settle(), i >= warmup)
    stats["idle agents"] = len(idle)
    stats["idle at end"] = acd.counts().get(AgentState.READY, 0)
    stats["waiting at end"] = sum(acd.queue(name).size for name in names)
    return samples, idle_samples, dict(stats)


# ---- baseline -----------------------------------------------------------------------------


def baseline_phase(rng: random.Random, n: int, warmup: int) -> list[int]:
    """heappush + heappop on a 5,000-entry heap, timed like a decision."""
    heap = [(rng.random(), i) for i in range(BASELINE_HEAP)]
    heapq.heapify(heap)
    items = [(rng.random(), BASELINE_HEAP + i) for i in range(warmup + n)]
    push, pop = heapq.heappush, heapq.heappop
    clock_ns = time.perf_counter_ns
    samples: list[int] = []
    gc.collect()
    for i, item in enumerate(items):
        t0 = clock_ns()
        push(heap, item)
        pop(heap)
        t1 = clock_ns()
        if i >= warmup:
            samples.append(t1 - t0)
    return samples


# ---- reporting ----------------------------------------------------------------------------


def summary(samples_ns: list[int]) -> dict[str, float]:
    """p50 / p90 / p99 (nearest rank) and max, in microseconds."""
    ordered = sorted(samples_ns)
    count = len(ordered)

    def rank(q: float) -> float:
        return ordered[max(0, math.ceil(q * count) - 1)] / 1000.0

    return {
        "n": count,
        "p50_us": rank(0.50),
        "p90_us": rank(0.90),
        "p99_us": rank(0.99),
        "p999_us": rank(0.999),
        "max_us": ordered[-1] / 1000.0,
        "mean_us": round(sum(ordered) / count / 1000.0, 3),
    }


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def machine() -> dict[str, Any]:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "processor": platform.processor() or cpu_model() or "unknown",
        "machine": platform.machine(),
        "nproc": usable,
        "cpu_count": os.cpu_count(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
    }


def timed(fn: Callable[[], Any], gc_on: bool) -> Any:
    if not gc_on:
        gc.disable()
    try:
        return fn()
    finally:
        gc.enable()


def run(decisions: int, seed: int, gc_on: bool) -> dict[str, Any]:
    started = time.perf_counter()
    queues, agents = build_roster(random.Random(seed))
    base = timed(lambda: baseline_phase(random.Random(seed + 1), decisions, WARMUP), gc_on)
    ready, ready_stats = timed(
        lambda: agent_ready_phase(queues, agents, random.Random(seed + 2), decisions, WARMUP),
        gc_on,
    )
    arrive, to_idle, arrive_stats = timed(
        lambda: contact_arrives_phase(queues, agents, random.Random(seed + 3), decisions, WARMUP),
        gc_on,
    )
    baseline = summary(base)
    results = {"agent_ready": summary(ready), "contact_arrives": summary(arrive)}
    extra = {"agent_ready_to_idle": summary(to_idle)}
    for result in (*results.values(), *extra.values()):
        result["p99_over_baseline_p50"] = round(result["p99_us"] / baseline["p50_us"], 2)
    return {
        "benchmark": "routing_latency",
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "setup": {
            "agents": AGENTS,
            "skills": SKILLS,
            "queues": len(queues),
            "strategies": dict(Counter(q.strategy.value for q in queues)),
            "queues_with_two_overflow_stages": sum(len(q.stages) == 3 for q in queues),
            "waiting": WAITING,
            "idle_agents_contact_phase": arrive_stats["idle agents"],
            "decisions": decisions,
            "warmup": WARMUP,
            "seed": seed,
            "gc": "enabled" if gc_on else "disabled while timing",
        },
        "results": results,
        "extra": extra,
        "baseline": {"operation": f"heappush+heappop, {BASELINE_HEAP}-entry heap", **baseline},
        "checks": {"agent_ready": ready_stats, "contact_arrives": arrive_stats},
        "target_p99_us": TARGET_P99_US,
        "target_met": all(r["p99_us"] < TARGET_P99_US for r in results.values()),
        "elapsed_s": round(time.perf_counter() - started, 1),
    }


def print_table(report: dict[str, Any]) -> None:
    m, s = report["machine"], report["setup"]
    print(
        f"ACD routing latency: {s['agents']} agents, {s['skills']} skills, {s['queues']} queues, "
        f"{s['waiting']} waiting; {s['idle_agents_contact_phase']} idle when contacts arrive"
    )
    print(f"machine: {m['processor']} ({m['machine']}), nproc {m['nproc']}, {m['python']}")
    print(f"date: {report['date']}   seed {s['seed']}   gc {s['gc']}")
    print()
    header = (
        f"{'decision':<18}{'n':>7}{'p50 µs':>10}{'p90 µs':>10}{'p99 µs':>10}{'max µs':>10}"
        f"{'p99/base-p50':>14}"
    )
    print(header)
    print("-" * len(header))
    rows = [
        ("agent ready", report["results"]["agent_ready"]),
        ("contact arrives", report["results"]["contact_arrives"]),
        ("(ready -> idle)", report["extra"]["agent_ready_to_idle"]),
        ("baseline heap", report["baseline"]),
    ]
    for label, r in rows:
        ratio = r.get("p99_over_baseline_p50")
        print(
            f"{label:<18}{r['n']:>7}{r['p50_us']:>10.1f}{r['p90_us']:>10.1f}{r['p99_us']:>10.1f}"
            f"{r['max_us']:>10.1f}{'-' if ratio is None else f'{ratio:.1f}':>14}"
        )
    print()
    print("(ready -> idle): set_ready finding nothing to take (extra, not in the target)")
    print(f"baseline: {report['baseline']['operation']}")
    for phase, checks in report["checks"].items():
        print(f"{phase}: " + ", ".join(f"{k} {v}" for k, v in checks.items()))
    met = "met" if report["target_met"] else "NOT met"
    print(f"target p99 < {report['target_p99_us']:.0f} µs (on a 2-core machine): {met}")
    print(f"elapsed: {report['elapsed_s']} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--decisions", type=int, default=DECISIONS, help="timed per type")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--no-gc", action="store_true", help="disable the garbage collector while timing"
    )
    args = parser.parse_args(argv)
    report = run(args.decisions, args.seed, gc_on=not args.no_gc)
    if args.json:
        json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        print_table(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
