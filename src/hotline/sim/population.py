"""Synthetic callers and agents: they dial, press keys, wait, talk, hang up and log in.

`Population` is the simulator's side of the switch (`Parties`) and the CRM
(`CustomerDirectory`): every decision a person would make is drawn here from
the scenario's distributions, with one seeded random generator, in the order
the virtual clock asks for them, so a seed always gives the same day.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import itertools
import math
import random
from collections.abc import Callable, Mapping, Sequence

from hotline.calls.ports import AgentDesk, CallerInfo
from hotline.core.clock import ClockError, TimerHandle, VirtualClock
from hotline.core.customer import ListMark, Tier
from hotline.core.errors import HotlineError
from hotline.core.ids import AgentId, CallId, QueueName, SkillName
from hotline.routing.acd import ACD
from hotline.routing.model import AgentProfile, AgentState, NotReadyReason
from hotline.sim.scenario import IntentModel, ScenarioModel, TeamModel
from hotline.telephony.sim import SimSwitch

_TIERS = (Tier.HIGH, Tier.MIDDLE, Tier.ORDINARY)


class _Intent:
    __slots__ = (
        "acw",
        "caller_hangs_up",
        "consult",
        "consult_complete",
        "consult_length",
        "consult_to",
        "digits",
        "hold",
        "hold_length",
        "name",
        "patience",
        "talk",
        "transfer",
        "transfer_to",
    )

    def __init__(self, model: IntentModel, rng: random.Random) -> None:
        self.name = model.name
        self.digits = tuple(model.digits)
        self.talk = model.talk.sampler(rng)
        self.acw = model.acw.sampler(rng)
        self.caller_hangs_up = model.caller_hangs_up
        self.transfer = model.transfer.share if model.transfer is not None else 0.0
        self.transfer_to = QueueName(model.transfer.to) if model.transfer is not None else None
        self.hold = model.hold.share if model.hold is not None else 0.0
        self.hold_length = model.hold.length.sampler(rng) if model.hold is not None else None
        consult = model.consult
        self.consult = consult.share if consult is not None else 0.0
        self.consult_to = QueueName(consult.to) if consult is not None else None
        self.consult_length = consult.length.sampler(rng) if consult is not None else None
        self.consult_complete = consult.complete if consult is not None else 0.0
        self.patience = model.patience.sampler(rng) if model.patience is not None else None


class _Caller:
    __slots__ = (
        "account",
        "info",
        "intent",
        "keys_used",
        "number",
        "patience",
        "served",
        "timer",
        "transferred",
    )

    def __init__(self, number: str, info: CallerInfo, intent: _Intent, patience: float):
        self.number = number
        self.info = info
        self.intent = intent
        self.patience = patience
        self.keys_used = 0
        self.served = False  # a conversation happened: next prompts are the survey
        self.transferred = False
        self.timer: TimerHandle | None = None
        self.account = info.account


def _slot_intent_cums(intents: Sequence[IntentModel]) -> list[list[float]] | None:
    """Per half hour, the cumulative intent shares weighted by the intents' `profile`;
    None when no intent has a profile; an empty list for a half hour where all weigh 0."""
    if all(i.profile is None for i in intents):
        return None
    cums: list[list[float]] = []
    for slot in range(48):
        weights = [i.share * (i.profile[slot] if i.profile is not None else 1.0) for i in intents]
        cum = list(itertools.accumulate(weights))
        # divided by the last sum itself: the top is exactly 1.0 (a draw below 1 always lands)
        cums.append([c / cum[-1] for c in cum] if cum[-1] > 0 else [])
    return cums


def agent_profiles(scenario: ScenarioModel) -> list[tuple[AgentProfile, TeamModel]]:
    """The roster as agent profiles: 工号 1001, 1002 … in roster order."""
    profiles = []
    numbers = itertools.count(1001)
    for team in scenario.roster:
        main: SkillName | None = team.main or next(iter(team.skills), None)
        for _ in range(team.count):
            agent_id = AgentId(str(next(numbers)))
            profile = AgentProfile(
                agent_id,
                f"{team.team}{agent_id}",
                dict(team.skills),
                main,
                frozenset(team.groups) | {team.team},
            )
            profiles.append((profile, team))
    return profiles


@dataclasses.dataclass(frozen=True, slots=True)
class RosterShift:
    """One agent's published shift as the simulator follows it: epoch seconds [start,
    end), the meal (start, end) if any, and the short breaks (start, end)."""

    agent: AgentId
    start: float
    end: float
    meal: tuple[float, float] | None = None
    breaks: tuple[tuple[float, float], ...] = ()


class Population:
    """Callers and agents of one simulated run."""

    def __init__(
        self,
        scenario: ScenarioModel,
        clock: VirtualClock,
        timezone: datetime.tzinfo,
        callback_keys: Mapping[str, str] | None = None,
        *,
        call_prefix: str = "c",
    ) -> None:
        """`callback_keys` maps each prompt that offers a callback to the key accepting it;
        call ids are `call_prefix` and a sequence number (a live run keeps them unique)."""
        self.scenario = scenario
        self.rng = rng = random.Random(scenario.seed)
        self._clock = clock
        self._tz = timezone
        self._callback_keys = dict(callback_keys or {})
        self.switch: SimSwitch | None = None
        self.acd: ACD | None = None
        self._desk: AgentDesk | None = None
        self._callers: dict[CallId, _Caller] = {}
        self._by_number: dict[str, CallerInfo] = {}
        self._intents = [_Intent(i, rng) for i in scenario.intents]
        total = sum(i.share for i in scenario.intents)
        self._intent_cum = list(itertools.accumulate(i.share / total for i in scenario.intents))
        self._slot_intent_cum = _slot_intent_cums(scenario.intents)
        self._slot_starts: list[float] = []
        mix = scenario.tiers
        self._tier_cum = list(itertools.accumulate((mix.high, mix.middle, mix.ordinary)))
        self._patience = scenario.patience.sampler(rng)
        self._ivr_hangup_after = scenario.ivr_hangup_after.sampler(rng)
        self._redial_after = scenario.redial.after.sampler(rng)
        self._answer_after = scenario.agents.answer_after.sampler(rng)
        self._back_after_miss = scenario.agents.back_after_miss.sampler(rng)
        scores = sorted(scenario.survey.scores.items())
        self._score_values = [str(s) for s, _ in scores]
        self._score_cum = list(itertools.accumulate(w for _, w in scores))
        self._seq = itertools.count(1)
        self._dialed = scenario.dialed or ""
        self._call_prefix = call_prefix
        self._arrival: TimerHandle | None = None
        self._known: list[str] = []
        self._known_share = 0.0
        self._simulated: set[AgentId] = set()
        self._teams: dict[AgentId, TeamModel] = {}
        self._followed: set[AgentId] = set()
        self._roster_generation = 0
        self._shift_ends: dict[AgentId, list[float]] = {}  # the scenario's log-outs
        self._roster_ends: dict[AgentId, list[float]] = {}  # the published roster's, drawn
        self.on_served: Callable[[CallId, AgentId, str, str], None] | None = None
        """Told when a simulated agent ends a conversation: the call, the agent, the
        caller's intent and number (the demo's back office records the order then)."""

    def bind(self, switch: SimSwitch, acd: ACD, desk: AgentDesk, dialed: str) -> None:
        """Connect to the switch, the ACD, and the desk agents act through."""
        self.switch = switch
        self.acd = acd
        self._desk = desk
        self._dialed = self._dialed or dialed

    # ---- arrivals -----------------------------------------------------------------------

    def schedule_days(self, first: datetime.date, days: int) -> None:
        """Plan the arrival process: one pending arrival at a time, slot rate by slot rate."""
        slots: list[tuple[float, float]] = []  # (slot start epoch, rate per second)
        for d in range(days):
            day = first + datetime.timedelta(days=d)
            midnight = datetime.datetime.combine(day, datetime.time(0), self._tz).timestamp()
            for i, rate in enumerate(self.scenario.arrivals.slot_rates(day)):
                slots.append((midnight + i * 1800.0, rate))
        if self.scenario.hours is not None:
            cut = slots[0][0] + self.scenario.hours * 3600.0
            slots = [(t, r) for t, r in slots if t < cut]
        self._slots = slots
        self._slot_starts = [s for s, _ in slots]
        self._end = slots[-1][0] + 1800.0
        self._next_arrival(slots[0][0])

    def stop_arrivals(self) -> None:
        """No more scenario arrivals (calls placed with `dial` still come in)."""
        self._clock.cancel(self._arrival)
        self._arrival = None

    def _next_arrival(self, t: float) -> None:
        """Draw the next arrival after `t` of the piecewise-constant Poisson process."""
        i = bisect.bisect_right(self._slot_starts, t) - 1
        slots = self._slots
        expo = self.rng.expovariate
        while i < len(slots):
            start, rate = slots[i]
            slot_end = start + 1800.0
            if rate > 0:
                t = max(t, start) + expo(rate)
                if t < slot_end:
                    self._arrival = self._clock.call_at(t, self._arrive)
                    return
            t = slot_end
            i += 1

    def add_known_callers(self, numbers: Sequence[str], share: float) -> None:
        """From now on, `share` of the arriving callers are these customers (the demo's
        CRM customers calling in), the others made-up numbers."""
        self._known = list(numbers)
        self._known_share = share if self._known else 0.0

    def _arrive(self) -> None:
        if self._known_share and self.rng.random() < self._known_share:
            number = self.rng.choice(self._known)
        else:
            number = f"13{next(self._seq):09d}"
        self._dial(number, None)
        self._next_arrival(self._clock.now())

    def dial(self, number: str, info: CallerInfo | None = None) -> CallId:
        """A caller dials the hotline now (outside the scenario's arrivals: a test, a demo)."""
        return self._dial(number, info)

    def _dial(self, number: str, info: CallerInfo | None) -> CallId:
        rng = self.rng
        if info is None:
            tier = _TIERS[bisect.bisect_left(self._tier_cum, rng.random() * self._tier_cum[-1])]
            draw = rng.random()
            mix = self.scenario.tiers
            mark = (
                ListMark.RED
                if draw < mix.red
                else ListMark.BLACK
                if draw < mix.red + mix.black
                else ListMark.NONE
            )
            info = CallerInfo(tier, mark, "A" + number[-8:])
        self._by_number[number] = info  # known while the call lasts (a redial brings it back)
        intent = self._intents[bisect.bisect_left(self._intent_cum_now(), rng.random())]
        call = CallId(f"{self._call_prefix}{next(self._seq)}")
        patience = intent.patience() if intent.patience is not None else self._patience()
        self._callers[call] = _Caller(number, info, intent, patience)
        assert self.switch is not None
        if self.scenario.ivr_hangup and rng.random() < self.scenario.ivr_hangup:
            self._clock.call_later(self._ivr_hangup_after(), self._leave_ivr, call)
        self.switch.place_call(call, number, self._dialed)
        return call

    def _intent_cum_now(self) -> list[float]:
        """The cumulative intent shares of the current half hour (intents' `profile`)."""
        if self._slot_intent_cum is None or not self._slot_starts:
            return self._intent_cum
        i = bisect.bisect_right(self._slot_starts, self._clock.now()) - 1
        i = min(max(i, 0), len(self._slot_starts) - 1)  # a redial after the last slot
        return self._slot_intent_cum[i % 48] or self._intent_cum

    def _leave_ivr(self, call: CallId) -> None:
        """A caller who gives up on the menus: hangs up if still in them."""
        assert self.switch is not None
        if self.switch.in_ivr(call):
            self.switch.caller_hangs_up(call)

    # ---- CustomerDirectory --------------------------------------------------------------

    def identify(self, caller: str) -> CallerInfo | None:
        return self._by_number.get(caller)

    def is_bound_phone(self, account: str, phone: str) -> bool:
        info = self._by_number.get(phone)
        return info is not None and info.account == account

    def check_password(self, account: str, password: str) -> bool:
        return False  # simulated callers identify by their bound phone

    # ---- Parties (the switch asks) ------------------------------------------------------

    def respond(
        self, call: CallId, prompt: str | None, max_digits: int
    ) -> tuple[str, float] | None:
        caller = self._callers.get(call)
        if caller is None:
            return None
        accept = self._callback_keys.get(prompt) if prompt is not None else None
        if accept is not None:  # a callback offer: the caller takes it or waits on
            if self.rng.random() < self.scenario.callback_accept:
                return accept, 2.0
            return None
        if caller.served:
            if self.rng.random() >= self.scenario.survey.answer:
                return None
            i = bisect.bisect_left(self._score_cum, self.rng.random() * self._score_cum[-1])
            return self._score_values[i], 2.0
        digits = caller.intent.digits
        if caller.keys_used >= len(digits):
            return None
        caller.keys_used += 1
        return digits[caller.keys_used - 1], 1.0 + self.rng.random()  # 1–2 s into the prompt

    def waiting_started(self, call: CallId) -> None:
        caller = self._callers.get(call)
        if caller is not None and caller.patience != math.inf:
            caller.timer = self._clock.call_later(caller.patience, self._give_up, call)

    def _give_up(self, call: CallId) -> None:
        caller = self._callers.get(call)
        if caller is None or caller.served:
            return
        assert self.switch is not None
        self.switch.caller_hangs_up(call)
        redial = self.scenario.redial.probability
        if redial > 0 and self.rng.random() < redial:
            self._clock.call_later(self._redial_after(), self._dial, caller.number, caller.info)

    def ring(self, call: CallId, agent: AgentId, timeout: float) -> float | None:
        miss = self.scenario.agents.miss
        after = self._answer_after()
        if after >= timeout or (miss > 0 and self.rng.random() < miss):
            # the ACD sets the agent not ready ("missed") when the ring times out;
            # the agent notices and comes back a little later
            back = timeout + self._back_after_miss()
            self._clock.call_later(back, self._ready_if, agent, AgentState.NOT_READY)
            return None
        return after

    def caller_served(self, call: CallId) -> None:
        """The caller is with an agent: patience stops, the next prompts are the survey."""
        caller = self._callers[call]
        caller.served = True
        self._clock.cancel(caller.timer)

    def caller_info(self, call: CallId) -> CallerInfo | None:
        caller = self._callers.get(call)
        return None if caller is None else caller.info

    def bridged(self, call: CallId, agent: AgentId) -> tuple[float | None, bool]:
        self.caller_served(call)
        caller = self._callers[call]
        intent = caller.intent
        talk = intent.talk()
        rng, later = self.rng, self._clock.call_later
        if intent.transfer and not caller.transferred and rng.random() < intent.transfer:
            caller.transferred = True  # partway through, the agent hands the caller on
            later(talk * rng.random(), self._transfer, call, intent.transfer_to)
        elif (
            intent.consult
            and intent.consult_length is not None
            and not caller.transferred
            and rng.random() < intent.consult
        ):
            caller.transferred = True  # asks a colleague first, then maybe hands over
            start, length = talk * rng.random(), intent.consult_length()
            complete = rng.random() < intent.consult_complete
            later(start, self._consult, call, agent, intent.consult_to, length, complete)
            talk += length
        elif intent.hold and intent.hold_length is not None and rng.random() < intent.hold:
            start, length = talk * rng.random(), intent.hold_length()
            later(start, self._hold, call)
            later(start + length, self._retrieve, call)
            talk += length
        return talk, rng.random() < intent.caller_hangs_up

    @property
    def desk(self) -> AgentDesk:
        assert self._desk is not None, "bind() the population before running"
        return self._desk

    # the agent's desk actions, planned at the start of a conversation; the call may
    # have ended by the time they come due (a restart drill), then they do nothing

    def _transfer(self, call: CallId, queue: QueueName) -> None:
        if self.desk.in_conversation(call):
            self.desk.transfer(call, queue)

    def _consult(
        self, call: CallId, agent: AgentId, queue: QueueName, length: float, complete: bool
    ) -> None:
        desk = self.desk
        if not desk.in_conversation(call) or desk.agent_of(call) != agent:
            return
        try:
            desk.consult(call, queue)
        except ClockError:
            raise  # a bug, not "nobody free": the run stops loudly
        except HotlineError:
            return  # nobody free to consult: the agent carries on alone
        self._clock.call_later(length, self._end_consult, call, agent, complete)

    def _end_consult(self, call: CallId, agent: AgentId, complete: bool) -> None:
        desk = self.desk
        if desk.agent_of(call) != agent:
            return  # the call ended meanwhile, or is with someone else
        state = desk.consulting(call)
        if state == "talking" and complete:
            desk.complete_consult(call)
            return
        if state is not None:
            desk.cancel_consult(call)
        if desk.on_hold(call):  # also after the colleague's phone rang out
            desk.retrieve(call)

    def _hold(self, call: CallId) -> None:
        if self.desk.in_conversation(call) and not self.desk.on_hold(call):
            self.desk.hold(call)

    def _retrieve(self, call: CallId) -> None:
        if self.desk.on_hold(call):
            self.desk.retrieve(call)

    def conversation_ended(self, call: CallId, agent: AgentId) -> None:
        caller = self._callers.get(call)
        if caller is None:
            return
        acw = caller.intent.acw()
        self._clock.call_later(acw, self._ready_if, agent, AgentState.WRAP_UP)
        if self.on_served is not None:
            self.on_served(call, agent, caller.intent.name, caller.number)

    def call_ended(self, call: CallId) -> None:
        caller = self._callers.pop(call, None)
        if caller is not None:
            self._clock.cancel(caller.timer)
            self._by_number.pop(caller.number, None)

    def _ready_if(self, agent_id: AgentId, expected: AgentState) -> None:
        assert self.acd is not None
        agent = self.acd.agents[agent_id]
        if agent.state is expected and agent.pending is None:
            self.acd.set_ready(agent_id)

    # ---- agents' shifts -----------------------------------------------------------------

    def schedule_shifts(
        self, profiles: list[tuple[AgentProfile, TeamModel]], first: datetime.date, days: int
    ) -> None:
        """Log agents in at the start of their shifts (ready) and out at the end."""
        start = datetime.datetime.combine(first, datetime.time(0), self._tz).timestamp()
        self._simulated = {profile.id for profile, _ in profiles}
        self._teams = {profile.id: team for profile, team in profiles}
        for profile, team in profiles:
            if team.reserve:  # logged in only by a published roster (follow_roster)
                continue
            if team.shift is None:
                self._clock.call_at(start, self._login, profile.id)
                continue
            shift = self.scenario.shifts[team.shift]
            begin_t = datetime.time.fromisoformat(shift.start)
            end_t = datetime.time.fromisoformat(shift.end)
            for d in range(-1, days):
                day = first + datetime.timedelta(days=d)
                begin = datetime.datetime.combine(day, begin_t, self._tz).timestamp()
                end_day = day + datetime.timedelta(days=1) if end_t <= begin_t else day
                end = datetime.datetime.combine(end_day, end_t, self._tz).timestamp()
                if end <= start:
                    continue
                self._clock.call_at(max(begin, start), self._login, profile.id)
                self._clock.call_at(end, self._logout, profile.id)
                self._shift_ends.setdefault(profile.id, []).append(end)

    def _login(self, agent_id: AgentId) -> None:
        assert self.acd is not None
        if agent_id in self._followed:  # the published roster decides for this agent
            return
        if self.acd.agents[agent_id].state is AgentState.LOGGED_OUT:
            self.acd.login(agent_id, ready=True)

    def _logout(self, agent_id: AgentId) -> None:
        assert self.acd is not None
        if agent_id in self._followed:
            return
        self.acd.logout(agent_id)

    def leaves(self, agent: AgentId, start: float, until: float) -> bool:
        """Whether simulated agent `agent` logs out at its shift's end after `start` and by
        `until` (the outbound dialer places no call for an agent about to leave)."""
        ends = self._roster_ends if agent in self._followed else self._shift_ends
        return any(start < end <= until for end in ends.get(agent, ()))

    # ---- the published roster (排班) --------------------------------------------------

    def follow_roster(self, shifts: Sequence[RosterShift]) -> int:
        """From now on the simulated agents named in `shifts` work those shifts instead of
        their scenario team's: they log in at the start, take the meal (not ready 用餐)
        and the breaks (小休), and log out at the end — as people do: a few minutes early
        or late, now and then a late log-in or an overrun break, drawn per shift from the
        scenario's seed (the same roster gives the same day). Agents the roster does
        not name keep their scenario shifts; an empty roster gives every agent back to
        the scenario. Returns the number of simulated agents following it."""
        assert self.acd is not None
        now = self._clock.now()
        self._roster_generation += 1
        generation = self._roster_generation
        simulated = self._simulated
        mine = [s for s in shifts if s.agent in simulated]
        previous = self._followed
        self._followed = {s.agent for s in mine}
        self._roster_ends = {}
        on_now: set[AgentId] = set()
        for shift in mine:
            if shift.end <= now:
                continue
            rng = random.Random(f"{self.scenario.seed}:{shift.agent}:{shift.start:.0f}")
            late = rng.random() < 0.08
            begin = shift.start + (rng.uniform(120, 900) if late else -rng.uniform(0, 300))
            early = rng.random() < 0.04
            end = shift.end + (-rng.uniform(300, 1200) if early else rng.uniform(0, 300))
            if begin <= now < end:
                on_now.add(shift.agent)
            elif begin > now:
                self._clock.call_at(begin, self._roster_in, shift.agent, generation)
            self._clock.call_at(end, self._roster_out, shift.agent, generation)
            self._roster_ends.setdefault(shift.agent, []).append(end)
            pauses = [(a, b, NotReadyReason.BREAK) for a, b in shift.breaks]
            if shift.meal is not None:
                pauses.append((shift.meal[0], shift.meal[1], NotReadyReason.MEAL))
            for start, stop, reason in pauses:
                over = rng.uniform(300, 900) if rng.random() < 0.1 else rng.uniform(-60, 60)
                if stop + over > now and start < end:
                    go = max(start + rng.uniform(0, 120), now)
                    self._clock.call_at(go, self._roster_pause, shift.agent, generation, reason)
                    self._clock.call_at(stop + over, self._roster_back, shift.agent, generation)
        acd = self.acd
        for agent in self._followed:
            state = acd.agents[agent].state
            if agent in on_now and state is AgentState.LOGGED_OUT:
                acd.login(agent, ready=True)
            elif agent not in on_now and state is not AgentState.LOGGED_OUT:
                acd.logout(agent)
        for agent in previous - self._followed:  # back to the scenario's shifts
            self._back_to_scenario(agent)
        return len(self._followed)

    def _back_to_scenario(self, agent: AgentId) -> None:
        assert self.acd is not None
        on = self._on_scenario_shift(agent, self._clock.now())
        state = self.acd.agents[agent].state
        if on and state is AgentState.LOGGED_OUT:
            self.acd.login(agent, ready=True)
        elif not on and state is not AgentState.LOGGED_OUT:
            self.acd.logout(agent)

    def _on_scenario_shift(self, agent: AgentId, now: float) -> bool:
        team = self._teams.get(agent)
        if team is not None and team.reserve:
            return False
        if team is None or team.shift is None:
            return True
        shift = self.scenario.shifts[team.shift]
        local = datetime.datetime.fromtimestamp(now, self._tz)
        begin_t = datetime.time.fromisoformat(shift.start)
        end_t = datetime.time.fromisoformat(shift.end)
        t = local.time()
        return begin_t <= t < end_t if begin_t < end_t else (t >= begin_t or t < end_t)

    def _roster_in(self, agent: AgentId, generation: int) -> None:
        assert self.acd is not None
        current = generation == self._roster_generation and agent in self._followed
        if current and self.acd.agents[agent].state is AgentState.LOGGED_OUT:
            self.acd.login(agent, ready=True)

    def _roster_out(self, agent: AgentId, generation: int) -> None:
        assert self.acd is not None
        current = generation == self._roster_generation and agent in self._followed
        if current and self.acd.agents[agent].state is not AgentState.LOGGED_OUT:
            self.acd.logout(agent)

    def _roster_pause(self, agent: AgentId, generation: int, reason: NotReadyReason) -> None:
        assert self.acd is not None
        if generation != self._roster_generation or agent not in self._followed:
            return
        if self.acd.agents[agent].state not in (AgentState.LOGGED_OUT, AgentState.NOT_READY):
            self.acd.set_not_ready(agent, reason)

    def _roster_back(self, agent: AgentId, generation: int) -> None:
        assert self.acd is not None
        if generation != self._roster_generation or agent not in self._followed:
            return
        if self.acd.agents[agent].state is AgentState.NOT_READY:
            self.acd.set_ready(agent)

    @property
    def ends_at(self) -> float:
        return self._end
