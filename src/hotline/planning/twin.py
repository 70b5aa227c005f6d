"""Staffing plans checked in the digital twin: the production engine simulates the plan.

A staffing plan from a formula (Erlang C / A per queue and half hour) assumes one
queue served by identical agents. The real centre has tiers, skills, overflow stages
and agents with several skills, who can answer one call at a time. The twin runs the
plan on the production routing engine (`hotline.sim.run.Simulation`: IVR, ACD, call
controller on a virtual clock) and measures what the reports would measure:

- demand per queue and half hour (calls offered, mean handle time, mean patience)
  becomes Poisson arrivals that reach exactly that queue (a generated IVR menu
  replaces the hotline's own: one key path per queue, so tiers and self-service in
  the real menus do not move calls between queues);
- the plan is a list of agent **groups**, each with its skills (queue names) and
  agents on duty per half hour; a multi-skill group is one pool of agents in the
  simulation, never counted once per skill;
- per queue and half hour: offered, answered, abandoned, ASA and the service level
  as `docs/metrics.md` defines it (variant b: answered within the queue's target
  over answered + abandoned after the short-abandon threshold; bucket of the time
  the contact first entered a queue), averaged over replications with a confidence
  half-width.

`check_plan` simulates the whole day (a backlog carries over between half hours),
raises the group serving each half hour that misses its goal by more than the noise,
and simulates again, for a few rounds. Same seeds, same answer; no wall clock
(`time.perf_counter` only measures how long the twin took).
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import statistics
import time
from collections.abc import Mapping, Sequence
from typing import Any

from hotline.calls.config import Hotline
from hotline.core.customer import Tier
from hotline.core.events import Event
from hotline.core.ids import CallId, QueueName
from hotline.ivr.flow import Flow, Prompt
from hotline.routing.events import (
    ContactAbandoned,
    ContactAnswered,
    ContactOverflowed,
    ContactQueued,
)
from hotline.routing.model import QueueSpec
from hotline.sim.run import Simulation
from hotline.sim.scenario import ScenarioModel
from hotline.wfm.erlang import agents_for_service_level

__all__ = [
    "AgentGroup",
    "GroupRaise",
    "IntervalCheck",
    "IntervalResult",
    "QueueDemand",
    "TwinCheck",
    "TwinOptions",
    "TwinRun",
    "check_plan",
    "simulate_plan",
    "twin_hotline",
    "twin_scenario",
]

SLOTS = 48
SLOT_S = 1800.0
_MENU_PROMPT = "twin_menu"

# Student t, 97.5 % quantile, for 1..30 degrees of freedom (1.96 beyond)
_T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


def _per_slot(value: float | Sequence[float], name: str) -> tuple[float, ...]:
    """A value for each of the 48 half hours: one number for all, or 48 numbers."""
    if isinstance(value, int | float):
        return (float(value),) * SLOTS
    values = tuple(float(v) for v in value)
    if len(values) != SLOTS:
        raise ValueError(f"{name} needs {SLOTS} half-hourly values, got {len(values)}")
    return values


# ---- input ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class QueueDemand:
    """One queue's expected traffic in each half hour of the day (48 values from midnight).

    `calls`: calls expected to be offered (Poisson arrivals at calls / 1800 s);
    `handle_s`: mean handle time (talk and wrap-up, seconds); `patience_s`: mean
    patience of a waiting caller (exponential; `math.inf`: nobody abandons).
    Build it with `QueueDemand.of`, which also takes one number for all half hours.
    """

    queue: str
    calls: tuple[float, ...]
    handle_s: tuple[float, ...]
    patience_s: tuple[float, ...]

    def __post_init__(self) -> None:
        for name in ("calls", "handle_s", "patience_s"):
            values = getattr(self, name)
            if len(values) != SLOTS:
                raise ValueError(f"{name} needs {SLOTS} half-hourly values, got {len(values)}")
        if any(not (c >= 0 and math.isfinite(c)) for c in self.calls):
            raise ValueError(f"calls of queue {self.queue!r} must be finite and >= 0")
        for slot, (c, h, p) in enumerate(
            zip(self.calls, self.handle_s, self.patience_s, strict=True)
        ):
            if c > 0 and not (h > 0 and math.isfinite(h)):
                raise ValueError(f"handle_s of queue {self.queue!r} at slot {slot} must be > 0")
            if c > 0 and not p > 0:
                raise ValueError(f"patience_s of queue {self.queue!r} at slot {slot} must be > 0")

    @classmethod
    def of(
        cls,
        queue: str,
        calls: Sequence[float],
        handle_s: float | Sequence[float],
        patience_s: float | Sequence[float] = math.inf,
    ) -> QueueDemand:
        """The demand with `handle_s` and `patience_s` given as one number or 48."""
        return cls(
            queue,
            _per_slot(calls, "calls"),
            _per_slot(handle_s, "handle_s"),
            _per_slot(patience_s, "patience_s"),
        )


@dataclasses.dataclass(frozen=True, slots=True)
class AgentGroup:
    """Agents alike in skills: on duty `agents[slot]` in each half hour.

    `skills` maps queue names to the level (1–10) at the queue's skill; `main` is the
    queue whose skill is the group's main one (default: the first). The routing
    engine offers a queue's calls at first only to agents whose main skill it is, and
    to the others through the queue's overflow stages (技能复用), exactly as live.
    A queue without a skill (served by agent groups) adds its groups to the agents.
    """

    name: str
    skills: tuple[tuple[str, int], ...]
    agents: tuple[int, ...]
    main: str | None = None

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("name of an agent group must not be empty")
        if not self.skills:
            raise ValueError(f"skills of group {self.name!r} must name at least one queue")
        for queue, level in self.skills:
            if not 1 <= level <= 10:
                raise ValueError(f"skills of group {self.name!r}: level of {queue!r} not 1–10")
        if len(self.agents) != SLOTS:
            raise ValueError(
                f"agents of group {self.name!r} needs {SLOTS} values, got {len(self.agents)}"
            )
        if any(n < 0 for n in self.agents):
            raise ValueError(f"agents of group {self.name!r} must be >= 0")
        if self.main is not None and self.main not in self.queues:
            raise ValueError(f"main of group {self.name!r} is not among its skills")

    @classmethod
    def of(
        cls,
        name: str,
        skills: Mapping[str, int] | Sequence[str],
        agents: int | Sequence[int],
        main: str | None = None,
        level: int = 5,
    ) -> AgentGroup:
        """A group from a mapping queue → level, or a list of queues all at `level`."""
        pairs = (
            tuple(skills.items())
            if isinstance(skills, Mapping)
            else tuple((q, level) for q in skills)
        )
        counts = (agents,) * SLOTS if isinstance(agents, int) else tuple(agents)
        return cls(name, pairs, counts, main)

    @property
    def queues(self) -> tuple[str, ...]:
        return tuple(q for q, _ in self.skills)

    @property
    def main_queue(self) -> str:
        return self.main or self.skills[0][0]

    def raised(self, extra: Sequence[int]) -> AgentGroup:
        """The same group with `extra[slot]` more agents in each half hour."""
        return dataclasses.replace(
            self, agents=tuple(a + e for a, e in zip(self.agents, extra, strict=True))
        )


@dataclasses.dataclass(frozen=True, slots=True)
class TwinOptions:
    """How the twin simulates and checks.

    `replications` runs with seeds `seed`, `seed + 1`, … (the same in every round, so
    rounds differ by the plan only); `max_rounds` raise-and-simulate rounds after the
    first simulation; `handle_cv` the handle time's coefficient of variation
    (1: exponential as Erlang assumes, else log-normal); `answer_after_s` how long an
    offered call rings before the agent picks up (the ring counts in the wait, as in
    the reports); `short_abandon_s` (default: the hotline's wallboard setting); `tiers`
    the callers' shares of each tier (高端 high, 中端 middle, 普通 ordinary): the routing
    gives them their tier's priority in every queue, as live.
    """

    replications: int = 5
    seed: int = 1
    max_rounds: int = 4
    handle_cv: float = 1.0
    answer_after_s: float = 3.0
    short_abandon_s: float | None = None
    tiers: tuple[tuple[str, float], ...] = (("ordinary", 1.0),)

    def __post_init__(self) -> None:
        if self.replications < 1:
            raise ValueError(f"replications must be >= 1, got {self.replications}")
        if self.max_rounds < 0:
            raise ValueError(f"max_rounds must be >= 0, got {self.max_rounds}")
        if not (self.handle_cv > 0 and math.isfinite(self.handle_cv)):
            raise ValueError(f"handle_cv must be > 0, got {self.handle_cv}")
        if not (self.answer_after_s >= 0 and math.isfinite(self.answer_after_s)):
            raise ValueError(f"answer_after_s must be >= 0, got {self.answer_after_s}")
        if self.short_abandon_s is not None and not self.short_abandon_s >= 0:
            raise ValueError(f"short_abandon_s must be >= 0, got {self.short_abandon_s}")
        known = {t.value for t in Tier}
        for name, share in self.tiers:
            if name not in known:
                raise ValueError(f"tier {name!r} is not one of {', '.join(sorted(known))}")
            if not (share >= 0 and math.isfinite(share)):
                raise ValueError(f"tier {name!r}: share must be >= 0, got {share}")
        if not sum(share for _, share in self.tiers) > 0:
            raise ValueError("tiers: the shares must add up to more than 0")

    def tier_mix(self) -> dict[str, float]:
        """The tiers' shares, each of the three named, adding up to 1."""
        total = sum(share for _, share in self.tiers)
        mix = dict.fromkeys((t.value for t in Tier), 0.0)
        for name, share in self.tiers:
            mix[name] += share / total
        return mix


# ---- output --------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class IntervalResult:
    """One queue's half hour, averaged over the replications.

    Counts are means per replication; `service_level` is pooled (answered within the
    target over the base, summed over replications; None without a base);
    `half_width` is its 95 % confidence half-width (the larger of Student's t over the
    replications' levels and the binomial one of the pooled level); `asa_s` the mean
    wait of the answered calls (ringing included).
    """

    queue: str
    slot: int
    offered: float
    answered: float
    abandoned: float
    abandoned_short: float
    base: float
    service_level: float | None
    half_width: float
    asa_s: float | None
    goal: float
    target_s: float

    @property
    def below_goal(self) -> bool:
        """Below the goal by more than the noise."""
        return self.service_level is not None and self.service_level + self.half_width < self.goal


@dataclasses.dataclass(frozen=True, slots=True)
class TwinRun:
    """One simulated plan: every queue of the demand, every half hour."""

    queues: tuple[str, ...]
    intervals: tuple[IntervalResult, ...]  # queue by queue, 48 half hours each
    seeds: tuple[int, ...]
    calls: int  # calls simulated, all replications
    wall_s: float

    def at(self, queue: str, slot: int) -> IntervalResult:
        return self.intervals[self.queues.index(queue) * SLOTS + slot]

    def day(self, queue: str) -> float | None:
        """The queue's service level over the whole day (pooled over half hours)."""
        start = self.queues.index(queue) * SLOTS
        rows = self.intervals[start : start + SLOTS]
        base = sum(r.base for r in rows)
        inside = sum(r.base * r.service_level for r in rows if r.service_level is not None)
        return inside / base if base else None


@dataclasses.dataclass(frozen=True, slots=True)
class GroupRaise:
    """Agents added to a group per half hour, over all rounds."""

    group: str
    added: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.added)


@dataclasses.dataclass(frozen=True, slots=True)
class IntervalCheck:
    """A queue's half hour before and after the twin's raises."""

    queue: str
    slot: int
    goal: float
    calls: float  # the demand's calls
    formula: float | None
    before: IntervalResult
    after: IntervalResult
    raised: bool  # this half hour of this queue asked for more agents in some round

    @property
    def met(self) -> bool:
        """Not below the goal beyond the noise; a raised half hour at the goal itself."""
        if self.calls <= 0 or self.after.service_level is None:
            return True
        if self.raised:
            return self.after.service_level >= self.goal
        return not self.after.below_goal

    @property
    def optimistic(self) -> bool:
        """The formula promised the goal; the simulation missed it beyond the noise."""
        return self.formula is not None and self.formula >= self.goal and self.before.below_goal


@dataclasses.dataclass(frozen=True, slots=True)
class TwinCheck:
    """The plan as given, as raised, and how each queue's half hours fared."""

    plan: tuple[AgentGroup, ...]
    raised_plan: tuple[AgentGroup, ...]
    raises: tuple[GroupRaise, ...]
    intervals: tuple[IntervalCheck, ...]
    runs: tuple[TwinRun, ...]  # the first simulation, then one per round
    unfixable: tuple[tuple[str, int], ...]  # short, but no group holds the queue's skill
    wall_s: float

    @property
    def met(self) -> bool:
        """Every planned half hour meets its goal in the last simulation (`IntervalCheck.met`)."""
        return all(i.met for i in self.intervals)

    @property
    def rounds(self) -> int:
        return len(self.runs) - 1


# ---- the twin's hotline and scenario ---------------------------------------------------


def _digits(index: int, width: int) -> list[str]:
    return list(f"{index:0{width}d}")


def twin_hotline(hotline: Hotline, queues: Sequence[str]) -> tuple[Hotline, dict[str, list[str]]]:
    """The hotline with its main number's flow replaced by a menu that leads each key path
    straight to one queue; returns it and the keys for each queue.

    Routing (queues, stages, tiers, skills, maximum waits) is untouched; only how a
    caller reaches a queue changes, so demand per queue lands in that queue. The old
    flow's prompts stay in the catalogue (the callback offer may play one of them).
    """
    flow_name = hotline.model.numbers[hotline.main_number]
    old = hotline.flows[flow_name]
    width = len(str(max(len(queues) - 1, 0)))
    keys = {q: _digits(i, width) for i, q in enumerate(queues)}
    nodes: dict[str, Any] = {}
    for queue, path in keys.items():
        for depth in range(width):
            menu = "twin_m" + "".join(path[:depth])
            child = "twin_m" + "".join(path[: depth + 1]) if depth + 1 < width else f"twin_q{queue}"
            node = nodes.setdefault(
                menu,
                {"type": "menu", "prompt": _MENU_PROMPT, "choices": {}, "timeout": 5.0},
            )
            node["choices"][path[depth]] = child
        nodes[f"twin_q{queue}"] = {"type": "queue", "queue": queue}
    first = f"twin_q{queues[0]}"
    for node in nodes.values():
        if node["type"] == "menu":
            node["on_fail"] = first
    prompts: dict[str, Prompt] = {**old.prompts, _MENU_PROMPT: Prompt(text="twin", duration=2.0)}
    flow = Flow.model_validate(
        {"flow": flow_name, "start": "twin_m", "prompts": prompts, "nodes": nodes}
    )
    return dataclasses.replace(hotline, flows={**hotline.flows, flow_name: flow}), keys


def _shifts(counts: Sequence[int]) -> list[tuple[int, int, int]]:
    """Agents on duty per half hour as contiguous shifts (start slot, end slot, agents):
    an increase starts a shift, a decrease ends the latest started (last in, first out)."""
    shifts: list[tuple[int, int, int]] = []
    open_: list[list[int]] = []  # [start, agents]
    previous = 0
    for slot, n in enumerate([*counts, 0]):
        if n > previous:
            open_.append([slot, n - previous])
        drop = previous - n
        while drop > 0:
            start, agents = open_[-1]
            ended = min(agents, drop)
            shifts.append((start, slot, ended))
            drop -= ended
            if ended == agents:
                open_.pop()
            else:
                open_[-1][1] = agents - ended
        previous = n
    return shifts


def _clock(slot: int) -> str:
    return f"{slot // 2 % 24:02d}:{slot % 2 * 30:02d}"


def _roster(
    hotline: Hotline, plan: Sequence[AgentGroup]
) -> tuple[dict[str, dict[str, str]], list[dict[str, Any]]]:
    """The plan as scenario shifts and teams (one team per group and shift)."""
    queues = hotline.model.queues
    shifts: dict[str, dict[str, str]] = {}
    teams: list[dict[str, Any]] = []
    for group in plan:
        skills: dict[str, int] = {}
        groups: set[str] = set()
        for queue, level in group.skills:
            skill = queues[QueueName(queue)].skill
            if skill is None:
                groups.update(queues[QueueName(queue)].groups)
            else:
                skills[skill] = max(level, skills.get(skill, 0))
        main = queues[QueueName(group.main_queue)].skill
        for start, end, agents in _shifts(group.agents):
            name = f"{_clock(start)}-{_clock(end)}"
            shifts[name] = {"start": _clock(start), "end": _clock(end)}
            teams.append(
                {
                    "team": group.name,
                    "count": agents,
                    "skills": skills,
                    "main": main if main in skills else None,
                    "groups": sorted(groups),
                    "shift": name,
                }
            )
    return shifts, teams


def _talk(mean: float, cv: float) -> dict[str, Any]:
    if cv == 1.0:
        return {"dist": "exponential", "mean": mean}
    return {"dist": "lognormal", "mean": mean, "sd": cv * mean}


def _patience(mean: float) -> dict[str, Any]:
    return {"dist": "never"} if math.isinf(mean) else {"dist": "exponential", "mean": mean}


def twin_scenario(
    hotline: Hotline,
    day: datetime.date,
    demand: Sequence[QueueDemand],
    plan: Sequence[AgentGroup],
    keys: Mapping[str, list[str]],
    options: TwinOptions = TwinOptions(),
) -> ScenarioModel:
    """The scenario of one simulated day: one intent per queue and half hour (its calls
    only in that half hour, its handle time and patience), the plan as the roster, and
    callers who neither redial, hang up in the menus, take callbacks nor answer surveys."""
    totals = [sum(d.calls[s] for d in demand) for s in range(SLOTS)]
    if sum(totals) <= 0:
        raise ValueError("demand has no calls in any half hour")
    intents = []
    for d in demand:
        for slot in range(SLOTS):
            if d.calls[slot] <= 0:
                continue
            profile = [0.0] * SLOTS
            profile[slot] = 1.0
            intents.append(
                {
                    "name": f"{d.queue}@{slot}",
                    "share": d.calls[slot],
                    "profile": profile,
                    "patience": _patience(d.patience_s[slot]),
                    "digits": keys[d.queue],
                    "talk": _talk(d.handle_s[slot], options.handle_cv),
                    "caller_hangs_up": 0.5,
                }
            )
    shifts, roster = _roster(hotline, plan)
    return ScenarioModel.model_validate(
        {
            "name": "digital twin",
            "hotline": str(hotline.path),
            "start": day,
            "seed": options.seed,
            "dialed": hotline.main_number,
            "arrivals": {"per_day": sum(totals), "profile": totals},
            "tiers": _exact(options.tier_mix()),
            "intents": intents,
            "survey": {"answer": 0},
            "agents": {"answer_after": {"dist": "fixed", "value": options.answer_after_s}},
            "shifts": shifts,
            "roster": roster,
        }
    )


def _exact(mix: dict[str, float]) -> dict[str, float]:
    """Shares rounded to 6 places that still add up to 1 (the scenario checks the sum)."""
    rounded = {k: round(v, 6) for k, v in mix.items()}
    rounded["ordinary"] = round(1.0 - rounded["high"] - rounded["middle"], 6)
    return rounded


# ---- measuring --------------------------------------------------------------------------


class _Counts:
    __slots__ = ("abandoned", "abandoned_long", "answered", "in_target", "offered", "wait")

    def __init__(self) -> None:
        self.offered = 0
        self.answered = 0
        self.in_target = 0
        self.abandoned = 0
        self.abandoned_long = 0
        self.wait = 0.0


class _Fold:
    """Per queue and half hour, as the reports count queue figures: each contact in its
    queue (an overflowed one in the queue it moved to), bucketed by when the call first
    entered a queue."""

    def __init__(self, origin: float, targets: Mapping[str, float], short: float) -> None:
        self.origin = origin
        self.targets = targets
        self.short = short
        self.slot_of: dict[CallId, int] = {}
        self.counts: dict[tuple[str, int], _Counts] = {}

    def _at(self, queue: str, call: CallId) -> _Counts:
        key = (queue, self.slot_of.get(call, SLOTS - 1))
        counts = self.counts.get(key)
        if counts is None:
            counts = self.counts[key] = _Counts()
        return counts

    TYPES = (ContactQueued, ContactOverflowed, ContactAnswered, ContactAbandoned)

    def __call__(self, e: Event) -> None:
        if isinstance(e, ContactAnswered):
            self.answered(e)
        elif isinstance(e, ContactAbandoned):
            self.abandoned(e)
        elif isinstance(e, ContactQueued):
            self.queued(e)
        elif isinstance(e, ContactOverflowed):
            self.overflowed(e)

    def queued(self, e: ContactQueued) -> None:
        if e.resumed:
            return
        if e.call not in self.slot_of:
            slot = int((e.at - self.origin) // SLOT_S)
            self.slot_of[e.call] = min(max(slot, 0), SLOTS - 1)  # the drain: last half hour
        self._at(e.queue, e.call).offered += 1

    def overflowed(self, e: ContactOverflowed) -> None:
        self._at(e.queue, e.call).offered -= 1
        self._at(e.to_queue, e.call).offered += 1

    def answered(self, e: ContactAnswered) -> None:
        counts = self._at(e.queue, e.call)
        counts.answered += 1
        counts.wait += e.waited
        target = self.targets.get(e.queue)
        counts.in_target += target is not None and e.waited <= target

    def abandoned(self, e: ContactAbandoned) -> None:
        counts = self._at(e.queue, e.call)
        counts.abandoned += 1
        counts.abandoned_long += e.waited > self.short


def _half_width(levels: Sequence[float], pooled: float, base: int) -> float:
    """95 % half-width: Student's t over replications, at least the binomial one."""
    binomial = 1.96 * math.sqrt(pooled * (1 - pooled) / base) if base else 0.0
    if len(levels) < 2:
        return binomial
    df = len(levels) - 1
    t = _T975[df - 1] if df <= len(_T975) else 1.96
    return max(binomial, t * statistics.stdev(levels) / math.sqrt(len(levels)))


def _summarise(
    queue: str, slot: int, reps: Sequence[_Counts | None], target: float, goal: float
) -> IntervalResult:
    counts = [c or _Counts() for c in reps]
    n = len(counts)
    base = [c.answered + c.abandoned_long for c in counts]
    inside = sum(c.in_target for c in counts)
    answered = sum(c.answered for c in counts)
    total = sum(base)
    pooled = inside / total if total else None
    levels = [c.in_target / b for c, b in zip(counts, base, strict=True) if b]
    return IntervalResult(
        queue=queue,
        slot=slot,
        offered=sum(c.offered for c in counts) / n,
        answered=answered / n,
        abandoned=sum(c.abandoned for c in counts) / n,
        abandoned_short=sum(c.abandoned - c.abandoned_long for c in counts) / n,
        base=total / n,
        service_level=pooled,
        half_width=_half_width(levels, pooled, total) if pooled is not None else 0.0,
        asa_s=sum(c.wait for c in counts) / answered if answered else None,
        goal=goal,
        target_s=target,
    )


def _check_names(
    hotline: Hotline, demand: Sequence[QueueDemand], plan: Sequence[AgentGroup]
) -> None:
    known = hotline.model.queues
    listed = ", ".join(sorted(known))
    seen: set[str] = set()
    for d in demand:
        if d.queue not in known:
            raise ValueError(f"demand names unknown queue {d.queue!r} (known: {listed})")
        if d.queue in seen:
            raise ValueError(f"demand names queue {d.queue!r} twice")
        seen.add(d.queue)
    names = [g.name for g in plan]
    for g in plan:
        if names.count(g.name) > 1:
            raise ValueError(f"plan names group {g.name!r} twice")
        for q in g.queues:
            if q not in known:
                raise ValueError(
                    f"plan group {g.name!r} names unknown queue {q!r} (known: {listed})"
                )


def simulate_plan(
    hotline: Hotline,
    day: datetime.date,
    demand: Sequence[QueueDemand],
    plan: Sequence[AgentGroup],
    options: TwinOptions = TwinOptions(),
) -> TwinRun:
    """Simulate the whole day `options.replications` times on the production engine and
    measure each demand queue's half hours (see `IntervalResult`)."""
    _check_names(hotline, demand, plan)
    began = time.perf_counter()
    queues = tuple(d.queue for d in demand)
    twin, keys = twin_hotline(hotline, list(hotline.model.queues))
    scenario = twin_scenario(twin, day, demand, plan, keys, options)
    specs: dict[str, QueueSpec] = {q.name: q for q in hotline.queues}
    targets = {name: spec.service_level_target for name, spec in specs.items()}
    short = (
        hotline.model.wallboard.short_abandon
        if options.short_abandon_s is None
        else options.short_abandon_s
    )
    seeds = tuple(options.seed + r for r in range(options.replications))
    folds: list[_Fold] = []
    calls = 0
    for seed in seeds:
        sim = Simulation(scenario, twin, seed=seed)
        fold = _Fold(sim.start, targets, short)
        sim.bus.subscribe(fold, types=_Fold.TYPES)
        result = sim.run()
        calls += int(result.summary["contacts"])  # type: ignore[call-overload]
        folds.append(fold)
    intervals = tuple(
        _summarise(
            q,
            s,
            [f.counts.get((q, s)) for f in folds],
            specs[q].service_level_target,
            specs[q].service_level_goal,
        )
        for q in queues
        for s in range(SLOTS)
    )
    return TwinRun(queues, intervals, seeds, calls, time.perf_counter() - began)


# ---- checking and raising ----------------------------------------------------------------


def _group_for(plan: Sequence[AgentGroup], queue: str, slot: int) -> int | None:
    """The group to raise for a short queue: the largest whose main skill it is, else the
    smallest holding it (in this half hour; the first listed on ties)."""
    mains = [i for i, g in enumerate(plan) if g.main_queue == queue]
    if mains:
        return max(mains, key=lambda i: (plan[i].agents[slot], -i))
    holders = [i for i, g in enumerate(plan) if queue in g.queues]
    if holders:
        return min(holders, key=lambda i: (plan[i].agents[slot], i))
    return None


def _erlang_step(result: IntervalResult, demand: QueueDemand, serving: int) -> int:
    """The Erlang C shortfall: the agents that would meet the goal minus the agents the
    queue has in effect — those Erlang C says give the simulated level, but no more than
    the `serving` agents holding the queue's skill (abandons lift the simulated level
    above Erlang C's, which would understate an overloaded queue's shortfall)."""
    calls, handle = demand.calls[result.slot], demand.handle_s[result.slot]
    if calls <= 0 or result.service_level is None:
        return 1
    load = calls * handle / SLOT_S
    needed = agents_for_service_level(load, handle, result.target_s, min(result.goal, 0.999))
    level = result.service_level
    equivalent = (
        math.floor(load)
        if level <= 0.0
        else agents_for_service_level(load, handle, result.target_s, min(level, 0.999))
    )
    return max(needed - min(equivalent, serving), 1)


def _short(result: IntervalResult, demand: QueueDemand, raised_before: bool) -> bool:
    """A half hour to raise: planned calls, and below the goal beyond the noise; once
    raised, until the simulated level itself reaches the goal (it is known to be short)."""
    if demand.calls[result.slot] <= 0 or result.service_level is None:
        return False  # a call spilled over from the half hour before: nothing was planned
    return result.below_goal or (raised_before and result.service_level < result.goal)


def check_plan(
    hotline: Hotline,
    day: datetime.date,
    demand: Sequence[QueueDemand],
    plan: Sequence[AgentGroup],
    *,
    formula: Mapping[str, Sequence[float | None]] | None = None,
    options: TwinOptions = TwinOptions(),
) -> TwinCheck:
    """Simulate `plan`; raise it where a queue's half hour misses its goal beyond the
    noise; simulate again; up to `options.max_rounds` rounds.

    Each short half hour raises one group in that half hour only: the group whose main
    skill the queue is, else the smallest group holding it, by the larger of the Erlang
    step (`_erlang_step`), one agent and 10 % of the group; a raised half hour is raised
    again until its simulated level reaches the goal. Half hours without planned calls
    (a call that spilled over from the half hour before) are never raised. `formula`
    (optional) gives the formula's level per queue and half hour, kept beside the simulated.
    """
    began = time.perf_counter()
    by_queue = {d.queue: d for d in demand}
    if formula is not None:
        for queue, levels in formula.items():
            if queue not in by_queue:
                raise ValueError(f"formula names queue {queue!r}, which has no demand")
            if len(levels) != SLOTS:
                raise ValueError(f"formula of queue {queue!r} needs {SLOTS} values")
    groups = list(plan)
    added = [[0] * SLOTS for _ in groups]
    raised: set[tuple[str, int]] = set()
    unfixable: set[tuple[str, int]] = set()
    runs = [simulate_plan(hotline, day, demand, groups, options)]
    for _ in range(options.max_rounds):
        extra = [[0] * SLOTS for _ in groups]
        for result in runs[-1].intervals:
            if not _short(result, by_queue[result.queue], (result.queue, result.slot) in raised):
                continue
            index = _group_for(groups, result.queue, result.slot)
            if index is None:
                unfixable.add((result.queue, result.slot))
                continue
            step = max(
                _erlang_step(
                    result,
                    by_queue[result.queue],
                    sum(g.agents[result.slot] for g in groups if result.queue in g.queues),
                ),
                math.ceil(0.1 * groups[index].agents[result.slot]),
            )
            extra[index][result.slot] += step
            raised.add((result.queue, result.slot))
        if not any(any(row) for row in extra):
            break
        groups = [g.raised(e) for g, e in zip(groups, extra, strict=True)]
        added = [
            [a + e for a, e in zip(row, more, strict=True)]
            for row, more in zip(added, extra, strict=True)
        ]
        runs.append(simulate_plan(hotline, day, demand, groups, options))
    first, last = runs[0], runs[-1]
    intervals = tuple(
        IntervalCheck(
            queue=q,
            slot=s,
            goal=first.at(q, s).goal,
            calls=by_queue[q].calls[s],
            formula=None if formula is None or q not in formula else formula[q][s],
            before=first.at(q, s),
            after=last.at(q, s),
            raised=(q, s) in raised,
        )
        for q in first.queues
        for s in range(SLOTS)
    )
    return TwinCheck(
        plan=tuple(plan),
        raised_plan=tuple(groups),
        raises=tuple(GroupRaise(g.name, tuple(a)) for g, a in zip(plan, added, strict=True)),
        intervals=intervals,
        runs=tuple(runs),
        unfixable=tuple(sorted(unfixable)),
        wall_s=time.perf_counter() - began,
    )
