"""Schedule adherence (遵守率) and attendance (出勤率): the published schedule against the
agents' states folded from the event log's ``agent.state_changed`` records.

Pure: no I/O and no clock; "now" is a parameter. Time is epoch seconds throughout.

What counts as in adherence (the scheduled activity matches the actual one):

| scheduled | in adherence                                                    | otherwise |
|-----------|-----------------------------------------------------------------|-----------|
| work      | ready, ringing, talking, hold, wrap_up (`WORK_STATES`);         | out       |
|           | not_ready with a reason in `WORK_REASONS` (none by default:     |           |
|           | busy, meeting, training, login, missed, unreachable and         |           |
|           | supervisor are unscheduled time off the phones);                |           |
|           | not_ready with a reason in `BREAK_REASONS` (小休) until the       |           |
|           | shift's break allowance is used up — the first minutes of       |           |
|           | breaks are in, the rest is out and is the shift's break overrun |           |
| meal      | logged_out, away (`MEAL_STATES`); not_ready with a reason in     | out       |
|           | `MEAL_REASONS` (用餐)                                            |           |

Breaks are unplaced in the schedule (a count and minutes per shift), hence the
allowance; only break time inside the shift's planned work uses it. Time outside every
shift is not scheduled and counts nowhere. An agent's state before its first change
is that change's `previous` (with no reason); an agent without changes is logged out.

Per shift: a late log-in is the first log-in after the shift's start (the agent was
logged out at the start), counted in full when it passes `grace`; an early log-out is
the last log-out before the shift's end (the agent is not logged in at the end), counted
when it passes `grace`; a shift without any logged-in moment is absent. Attendance is
present agent-shifts / scheduled agent-shifts, where present means logged in at some
moment of the shift — the "logged in during their shift" of docs/metrics.md row 15.
"""

from __future__ import annotations

import bisect
import datetime
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol, cast

from hotline.wfm.schedule import AgentWeek
from hotline.wfm.shifts import SLOTS_PER_DAY, Shift

__all__ = [
    "BREAK_REASONS",
    "MEAL_REASONS",
    "MEAL_STATES",
    "WORK_REASONS",
    "WORK_STATES",
    "Activity",
    "AdherenceReport",
    "AdherenceTotals",
    "Attendance",
    "IntervalAdherence",
    "OutOfAdherence",
    "Planned",
    "PlannedShift",
    "Record",
    "Rules",
    "ShiftAdherence",
    "StateChange",
    "Timeline",
    "adherence",
    "attendance",
    "live",
    "per_agent",
    "planned_from_week",
    "timelines",
    "totals",
    "work_spans",
]

Activity = Literal["work", "meal"]
State = tuple[str, str]
"""An actual state: (agent state, not-ready reason or "")."""

KIND = "agent.state_changed"
WORK_STATES = frozenset({"ready", "ringing", "talking", "hold", "wrap_up"})
WORK_REASONS: frozenset[str] = frozenset()
BREAK_REASONS = frozenset({"break"})
MEAL_STATES = frozenset({"logged_out", "away"})
MEAL_REASONS = frozenset({"meal"})
LOGGED_OUT: State = ("logged_out", "")

# what an actual state is, for the two activities (see the table above)
_WORKING, _BREAK, _RESTING, _OTHER = range(4)


@dataclass(frozen=True, slots=True)
class Rules:
    """The reason sets of the table above, the grace for late log-ins and early
    log-outs, and the interval grid: `interval` seconds counted from `phase` (0 fits
    every zone whose UTC offset is a whole number of half hours, Asia/Shanghai
    included)."""

    work_reasons: frozenset[str] = WORK_REASONS
    break_reasons: frozenset[str] = BREAK_REASONS
    meal_states: frozenset[str] = MEAL_STATES
    meal_reasons: frozenset[str] = MEAL_REASONS
    grace: float = 60.0
    interval: float = 1800.0
    phase: float = 0.0

    def __post_init__(self) -> None:
        if self.grace < 0:
            raise ValueError(f"grace must be >= 0 seconds, got {self.grace}")
        if self.interval <= 0:
            raise ValueError(f"interval must be > 0 seconds, got {self.interval}")

    def kind(self, state: State) -> int:
        """The state's class: working, on break, resting (meal-like) or other."""
        name, reason = state
        if name in WORK_STATES or (name == "not_ready" and reason in self.work_reasons):
            return _WORKING
        if name == "not_ready" and reason in self.break_reasons:
            return _BREAK
        if name in self.meal_states or (name == "not_ready" and reason in self.meal_reasons):
            return _RESTING
        return _OTHER


# --- the plan ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Planned:
    """One scheduled activity of an agent over [start, end)."""

    agent: str
    start: float
    end: float
    activity: Activity


@dataclass(frozen=True, slots=True)
class PlannedShift:
    """A scheduled shift [start, end) with its meal [start, end) inside, if any, and the
    seconds of (unplaced) breaks it allows; `name` is the shift's name in wfm.yaml."""

    agent: str
    start: float
    end: float
    meal: tuple[float, float] | None = None
    break_seconds: float = 0.0
    name: str = ""

    def __post_init__(self) -> None:
        if not self.end > self.start:
            raise ValueError(f"end must be after start, got [{self.start}, {self.end})")
        if self.meal is not None and not self.start <= self.meal[0] < self.meal[1] <= self.end:
            raise ValueError(f"meal {self.meal} must lie inside [{self.start}, {self.end})")
        if self.break_seconds < 0:
            raise ValueError(f"break_seconds must be >= 0, got {self.break_seconds}")

    def spans(self) -> tuple[Planned, ...]:
        """The shift as activities in time order: work, meal, work (empty ones left out)."""
        if self.meal is None:
            return (Planned(self.agent, self.start, self.end, "work"),)
        (m0, m1), a = self.meal, self.agent
        pieces: tuple[tuple[float, float, Activity], ...] = (
            (self.start, m0, "work"),
            (m0, m1, "meal"),
            (m1, self.end, "work"),
        )
        return tuple(Planned(a, s, e, act) for s, e, act in pieces if e > s)


def planned_from_week(
    week_start: datetime.date,
    tz: datetime.tzinfo,
    weeks: Iterable[AgentWeek],
    shifts: Mapping[str, Shift] | None = None,
) -> list[PlannedShift]:
    """A published week as shifts in epoch seconds. Slots count half hours of local time
    from `week_start` (a Monday) 00:00 in `tz`, not wrapped (a Sunday night shift ends
    the next Monday); each boundary is its local date and time read in `tz`, so a shift
    across a DST change lasts its real length. `shifts` (`WfmConfig.shifts`) gives each
    shift's break allowance; without it shifts allow no breaks.

    Raises ValueError when `week_start` is not a Monday or a shift is not in `shifts`.
    """
    if week_start.weekday() != 0:
        raise ValueError(f"week_start must be a Monday, got {week_start} ({week_start:%A})")
    out: list[PlannedShift] = []
    for week in weeks:
        for day in week.days:
            if day is None:
                continue
            breaks = 0.0
            if shifts is not None:
                if day.shift not in shifts:
                    raise ValueError(f"shifts has no shift {day.shift!r} (agent {week.agent})")
                breaks = 60.0 * shifts[day.shift].break_minutes
            meal = None
            if day.meal is not None:
                meal = (
                    _instant(week_start, day.meal[0], tz),
                    _instant(week_start, day.meal[1], tz),
                )
            start, end = _instant(week_start, day.start, tz), _instant(week_start, day.end, tz)
            out.append(PlannedShift(week.agent, start, end, meal, breaks, day.shift))
    return out


def _instant(week_start: datetime.date, slot: int, tz: datetime.tzinfo) -> float:
    day, index = divmod(slot, SLOTS_PER_DAY)
    clock = datetime.time(index // 2, 30 * (index % 2), tzinfo=tz)
    return datetime.datetime.combine(week_start + datetime.timedelta(days=day), clock).timestamp()


def work_spans(planned: Iterable[PlannedShift]) -> list[Planned]:
    """The planned work (meals left out), one span per piece: what the reports' schedule
    (`metrics.external.Shift(agent, start, end)`) should hold, so that `work_rate` is
    measured against the time the agent was meant to work."""
    return [s for p in planned for s in p.spans() if s.activity == "work"]


# --- the actual states ----------------------------------------------------------------


class Record(Protocol):
    """A log record: an `Event`, or any record with a kind and a time."""

    @property
    def kind(self) -> str: ...
    @property
    def at(self) -> float: ...


class StateChange(Record, Protocol):
    """What is read of an ``agent.state_changed`` record: `AgentStateChanged`, or any
    record with these fields (states as `AgentState` or their string values)."""

    @property
    def agent(self) -> str: ...
    @property
    def state(self) -> object: ...
    @property
    def previous(self) -> object: ...
    @property
    def reason(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Timeline:
    """An agent's states: `initial` until `times[0]`, then `states[i]` from `times[i]`."""

    agent: str
    initial: State = LOGGED_OUT
    times: tuple[float, ...] = ()
    states: tuple[State, ...] = ()

    def at(self, t: float) -> State:
        """The state at `t`, after every change made at `t`."""
        i = bisect.bisect_right(self.times, t)
        return self.states[i - 1] if i else self.initial


def timelines(events: Iterable[Record]) -> dict[str, Timeline]:
    """Each agent's timeline from the log's ``agent.state_changed`` events (others are
    skipped). Events at the same time keep the log's order."""
    times: dict[str, list[float]] = {}
    states: dict[str, list[State]] = {}
    first: dict[str, tuple[float, State]] = {}  # the earliest change and its `previous`
    disordered: set[str] = set()
    pairs: dict[tuple[object, object], State] = {}  # one tuple per distinct state
    for e in cast(Iterable[StateChange], events):  # the others are skipped unread
        if e.kind != KIND:
            continue
        agent, at = str(e.agent), float(e.at)
        raw, reason = e.state, e.reason or ""
        pair = pairs.get((raw, reason))
        if pair is None:
            pair = pairs[(raw, reason)] = (_text(raw), str(reason))
        ts = times.get(agent)
        if ts is None:
            ts = times[agent] = []
            states[agent] = []
            first[agent] = (at, (_text(e.previous), ""))
        elif at < ts[-1]:
            disordered.add(agent)
            if at < first[agent][0]:
                first[agent] = (at, (_text(e.previous), ""))
        ts.append(at)
        states[agent].append(pair)
    out: dict[str, Timeline] = {}
    for agent, ts in times.items():
        st = states[agent]
        if agent in disordered:
            order = sorted(range(len(ts)), key=ts.__getitem__)  # stable: ties keep log order
            ts, st = [ts[i] for i in order], [st[i] for i in order]
        out[agent] = Timeline(agent, first[agent][1], tuple(ts), tuple(st))
    return out


def _text(state: object) -> str:
    return str(getattr(state, "value", state))


# --- adherence ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IntervalAdherence:
    """An agent's scheduled seconds in one interval [start, start + Rules.interval),
    split into in and out of adherence (in + out == scheduled)."""

    agent: str
    start: float
    in_adherence: float
    out: float

    @property
    def scheduled(self) -> float:
        return self.in_adherence + self.out

    @property
    def adherence(self) -> float:
        """in / scheduled, in [0, 1]."""
        return self.in_adherence / self.scheduled


@dataclass(frozen=True, slots=True)
class ShiftAdherence:
    """One scheduled shift against the log. `late_login` and `early_logout` are seconds
    (0 within the grace) and None when the agent never logged in during the shift;
    `break_taken` is the break time inside planned work, `break_overrun` its part past
    the allowance."""

    shift: PlannedShift
    in_adherence: float
    out: float
    late_login: float | None
    early_logout: float | None
    break_taken: float
    break_overrun: float

    @property
    def scheduled(self) -> float:
        return self.in_adherence + self.out

    @property
    def absent(self) -> bool:
        """No logged-in moment during the shift."""
        return self.late_login is None

    @property
    def adherence(self) -> float:
        return self.in_adherence / self.scheduled


@dataclass(frozen=True, slots=True)
class AdherenceReport:
    """Per shift and per agent and interval (both sorted by agent, then time)."""

    shifts: tuple[ShiftAdherence, ...]
    intervals: tuple[IntervalAdherence, ...]

    @property
    def adherence(self) -> float | None:
        """Σ in / Σ scheduled over every shift; None when nothing is scheduled."""
        scheduled = sum(s.scheduled for s in self.shifts)
        return sum(s.in_adherence for s in self.shifts) / scheduled if scheduled else None


@dataclass(slots=True)
class _Sweep:
    """What one pass over a shift found, up to where it stopped, and the pass's cursor
    into the interval cells (pieces come in time order, so it mostly stays put)."""

    rules: Rules
    kinds: dict[State, int]
    cells: dict[int, list[float]] | None = None
    in_adherence: float = 0.0
    out: float = 0.0
    first_on: float | None = None
    last_on: float | None = None  # the end of the last logged-in piece
    break_taken: float = 0.0
    break_overrun: float = 0.0
    out_since: float | None = None  # the start of the trailing run out of adherence
    cell: list[float] = field(default_factory=lambda: [0.0, 0.0])
    edges: tuple[float, float] = (math.inf, -math.inf)  # the cursor's cell [from, to)


def _sweep(shift: PlannedShift, timeline: Timeline, until: float, sw: _Sweep) -> None:
    """Walk the shift's pieces of constant activity and state over [start, until): one
    step per state change, activity boundary and interval edge, never per second."""
    times, states, n = timeline.times, timeline.states, len(timeline.times)
    i = bisect.bisect_right(times, shift.start)
    state = states[i - 1] if i else timeline.initial
    for span in shift.spans():
        stop, t, meal = min(span.end, until), span.start, span.activity == "meal"
        while t < stop:
            nxt = times[i] if i < n and times[i] < stop else stop
            if nxt > t:
                kind = sw.kinds.get(state)
                if kind is None:
                    kind = sw.kinds[state] = sw.rules.kind(state)
                if state[0] != "logged_out":
                    if sw.first_on is None:
                        sw.first_on = t
                    sw.last_on = nxt
                if meal:
                    _account(t, nxt, kind == _RESTING, sw)
                elif kind == _BREAK:
                    _take_break(t, nxt, shift.break_seconds, sw)
                else:
                    _account(t, nxt, kind == _WORKING, sw)
                t = nxt
            if t < stop:
                state = states[i]
                i += 1


def _take_break(t0: float, t1: float, allowance: float, sw: _Sweep) -> None:
    """A break in planned work: in adherence while the shift's allowance lasts."""
    allowed = max(0.0, min(allowance - sw.break_taken, t1 - t0))
    sw.break_taken += t1 - t0
    sw.break_overrun += t1 - t0 - allowed
    if allowed > 0:
        _account(t0, t0 + allowed, True, sw)
    if t0 + allowed < t1:
        _account(t0 + allowed, t1, False, sw)


def _account(t0: float, t1: float, ok: bool, sw: _Sweep) -> None:
    """Count [t0, t1) in or out of adherence, in total and per interval."""
    if ok:
        sw.in_adherence += t1 - t0
        sw.out_since = None
    else:
        sw.out += t1 - t0
        if sw.out_since is None:
            sw.out_since = t0
    if sw.cells is None:
        return
    col = 0 if ok else 1
    while t0 < t1:
        low, high = sw.edges
        if not low <= t0 < high:
            width, phase = sw.rules.interval, sw.rules.phase
            k = math.floor((t0 - phase) / width)
            sw.cell = sw.cells.setdefault(k, [0.0, 0.0])
            low, high = sw.edges = (phase + k * width, phase + (k + 1) * width)
        edge = t1 if t1 < high else high
        sw.cell[col] += edge - t0
        t0 = edge


def adherence(
    planned: Iterable[PlannedShift],
    timelines: Mapping[str, Timeline],
    *,
    rules: Rules = Rules(),
) -> AdherenceReport:
    """Adherence of every planned shift and of every agent's intervals (see the module's
    table); agents missing from `timelines` were logged out throughout. An agent's
    overlapping shifts are each judged in full (their intervals then count twice)."""
    shifts: list[ShiftAdherence] = []
    intervals: list[IntervalAdherence] = []
    agent: str | None = None
    cells: dict[int, list[float]] = {}
    kinds: dict[State, int] = {}
    for shift in sorted(planned, key=lambda p: (p.agent, p.start, p.end)):
        if shift.agent != agent:
            intervals += _intervals(agent, cells, rules)
            agent, cells = shift.agent, {}
        sw = _Sweep(rules, kinds, cells)
        _sweep(shift, timelines.get(shift.agent) or Timeline(shift.agent), shift.end, sw)
        shifts.append(_judge(shift, sw, rules))
    intervals += _intervals(agent, cells, rules)
    return AdherenceReport(tuple(shifts), tuple(intervals))


def _intervals(
    agent: str | None, cells: dict[int, list[float]], rules: Rules
) -> list[IntervalAdherence]:
    return [
        IntervalAdherence(agent or "", rules.phase + k * rules.interval, v[0], v[1])
        for k, v in sorted(cells.items())
    ]


def _judge(shift: PlannedShift, sw: _Sweep, rules: Rules) -> ShiftAdherence:
    late = early = None
    if sw.first_on is not None and sw.last_on is not None:
        late = sw.first_on - shift.start
        late = late if late > rules.grace else 0.0
        early = shift.end - sw.last_on
        early = early if early > rules.grace else 0.0
    return ShiftAdherence(
        shift, sw.in_adherence, sw.out, late, early, sw.break_taken, sw.break_overrun
    )


@dataclass(frozen=True, slots=True)
class Attendance:
    """Scheduled agent-shifts and those where the agent logged in (出勤)."""

    scheduled: int
    present: int

    @property
    def rate(self) -> float | None:
        """present / scheduled (出勤率); None when nothing is scheduled."""
        return self.present / self.scheduled if self.scheduled else None


def attendance(
    shifts: Iterable[ShiftAdherence], *, start: float = -math.inf, end: float = math.inf
) -> Attendance:
    """Attendance over the shifts that start in [start, end)."""
    scheduled = present = 0
    for s in shifts:
        if start <= s.shift.start < end:
            scheduled += 1
            present += not s.absent
    return Attendance(scheduled, present)


@dataclass(frozen=True, slots=True)
class AdherenceTotals:
    """Ended shifts summed (one agent's, or everyone's): adherence Σ in / Σ scheduled,
    attendance (shifts with a log-in / shifts), and how often and how long agents logged
    in late, left early and overran their breaks."""

    agent: str | None
    shifts: int
    scheduled: float
    in_adherence: float
    absent: int
    late: int
    late_seconds: float
    early: int
    early_seconds: float
    overrun: int
    overrun_seconds: float

    @property
    def adherence(self) -> float | None:
        return self.in_adherence / self.scheduled if self.scheduled else None

    @property
    def attendance(self) -> Attendance:
        return Attendance(self.shifts, self.shifts - self.absent)


def totals(shifts: Iterable[ShiftAdherence], agent: str | None = None) -> AdherenceTotals:
    """The sums of `shifts` (see `AdherenceTotals`), labelled `agent`."""
    count = absent = late = early = overrun = 0
    scheduled = inside = late_s = early_s = overrun_s = 0.0
    for s in shifts:
        count += 1
        scheduled += s.scheduled
        inside += s.in_adherence
        absent += s.absent
        if s.late_login:
            late, late_s = late + 1, late_s + s.late_login
        if s.early_logout:
            early, early_s = early + 1, early_s + s.early_logout
        if s.break_overrun > 0:
            overrun, overrun_s = overrun + 1, overrun_s + s.break_overrun
    return AdherenceTotals(
        agent, count, scheduled, inside, absent, late, late_s, early, early_s, overrun, overrun_s
    )


def per_agent(shifts: Iterable[ShiftAdherence]) -> list[AdherenceTotals]:
    """`totals` of each agent's shifts, lowest adherence first (then by agent)."""
    by_agent: dict[str, list[ShiftAdherence]] = {}
    for s in shifts:
        by_agent.setdefault(s.shift.agent, []).append(s)
    rows = [totals(items, agent) for agent, items in by_agent.items()]
    rows.sort(key=lambda r: (1.0 if r.adherence is None else r.adherence, r.agent or ""))
    return rows


# --- live --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OutOfAdherence:
    """An agent out of adherence now, without a break since `since`: what the schedule
    says (`scheduled`) and what the agent is doing (`state`, `reason`)."""

    agent: str
    since: float
    scheduled: Activity
    state: str
    reason: str
    shift: PlannedShift


def live(
    now: float,
    planned: Iterable[PlannedShift],
    timelines: Mapping[str, Timeline],
    *,
    rules: Rules = Rules(),
) -> list[OutOfAdherence]:
    """The agents whose shift covers `now` and who are out of adherence at `now` (after
    the changes made at `now`), longest out first. Changes after `now` are not read."""
    out: list[OutOfAdherence] = []
    kinds: dict[State, int] = {}
    for shift in planned:
        if not shift.start <= now < shift.end:
            continue
        timeline = timelines.get(shift.agent) or Timeline(shift.agent)
        sw = _Sweep(rules, kinds)
        _sweep(shift, timeline, now, sw)
        meal = shift.meal is not None and shift.meal[0] <= now < shift.meal[1]
        state = timeline.at(now)
        kind = rules.kind(state)
        if meal:
            ok = kind == _RESTING
        elif kind == _BREAK:
            ok = sw.break_taken < shift.break_seconds
        else:
            ok = kind == _WORKING
        if not ok:
            since = sw.out_since if sw.out_since is not None else now
            activity: Activity = "meal" if meal else "work"
            out.append(OutOfAdherence(shift.agent, since, activity, state[0], state[1], shift))
    out.sort(key=lambda o: (o.since, o.agent))
    return out
