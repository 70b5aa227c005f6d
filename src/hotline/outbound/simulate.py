"""A campaign on `hotline simulate`'s twin: a supervisor tries a list and a pacing on a
simulated day before running them on the floor.

`campaign_on` reads the list as the 外呼管理 import reads it (`hotline.outbound.lists`),
takes the calling windows, tries, retry delays and drop cap from ``outbound.yaml`` beside
hotline.yaml (else the defaults), and builds the `Dialer` on the simulation's engine —
clock, bus, call controller and ACD — as `hotline.outbound.jobs.build_jobs` builds it on a
running hotline, with the do-not-call numbers and the CRM's black list checked before each
call. The called customers answer by the scenario's ``called`` shares. `CampaignTrial`
folds the run's events into the figures `hotline simulate` prints after its own: like every
figure of the simulator they come from the event log, not from the dialer's counters.
"""

from __future__ import annotations

import datetime
import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from hotline.calls.events import CallOutboundAnswered
from hotline.core.events import Event
from hotline.core.ids import AgentId, CallId, QueueName
from hotline.outbound.campaign import CampaignError, CampaignSpec, Result
from hotline.outbound.config import OutboundConfig, load_outbound, parse_outbound
from hotline.outbound.dialer import Dialer
from hotline.outbound.events import CampaignChanged, EntryClosed, EntryDialed
from hotline.outbound.lists import ListError, ListReport, parse_list
from hotline.outbound.pacing import PacingName
from hotline.routing.events import AgentStateChanged, ContactLeft
from hotline.routing.model import AgentState

if TYPE_CHECKING:
    from hotline.calls.config import Hotline
    from hotline.sim.run import Simulation

OUTBOUND_FILE = "outbound.yaml"
CAMPAIGN_ID = "simulate"
SHOWN_PROBLEMS = 20
"""Bad rows named in the refusal of a list (the rest are counted)."""
_BUSY = (AgentState.TALKING, AgentState.HOLD, AgentState.WRAP_UP)
_AVAILABLE = (AgentState.READY, AgentState.RINGING)
_REACHED = frozenset({Result.REACHED.value, Result.NOTIFIED.value})
_PACING_WORDS = {
    "preview": "预览式 preview",
    "progressive": "渐进式 progressive",
    "adaptive": "自适应 adaptive",
    "predictive": "预测式 predictive",
}


def outbound_config(hotline: Hotline) -> OutboundConfig:
    """``outbound.yaml`` beside `hotline`'s hotline.yaml, else every default (no windows:
    each class is called in the working hours). A wrong file raises `ConfigError`."""
    file = hotline.path.parent / OUTBOUND_FILE
    if file.is_file():
        return load_outbound(file)
    return parse_outbound("{}", file=str(file))


def read_list(path: Path) -> ListReport:
    """The call list at `path` (CSV or XLSX), every row good.

    Raises `ListError` naming the file when it cannot be read or taken at all, and when
    any row is bad: each bad row with its row number and column (a trial of part of a list
    would report on a list nobody meant to call). A number repeated on a later row is
    kept once, as the 外呼管理 import keeps it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ListError(f"无法读取 (cannot read): {exc.strerror}", file=str(path)) from None
    report = parse_list(data, str(path))
    if report.problems:
        shown = "\n".join(f"  {p}" for p in report.problems[:SHOWN_PROBLEMS])
        more = len(report.problems) - SHOWN_PROBLEMS
        if more > 0:
            shown += f"\n  … 另有 {more} 处 ({more} more)"
        raise ListError(
            f"{report.skipped_rows} 行有误, 改正后再模拟 "
            f"({report.skipped_rows} bad rows; fix them and run again):\n{shown}",
            file=str(path),
            rows=report.skipped_rows,
        )
    return report


def default_queue(config: OutboundConfig) -> str | None:
    """The queue of ``outbound.yaml``'s first standing campaign that has one."""
    return next((s.queue for s in config.model.sources.values() if s.queue is not None), None)


@dataclass(frozen=True, slots=True)
class CampaignFigures:
    """What the trial gave, as `hotline simulate` prints it (see `rows`).

    `worst_window_*` is the half hour (the drop cap's window, from local midnight) with
    the highest share of dropped over answered calls; `occupancy` is that of the agents
    the campaign's queue admits (inbound work included), over the run; `finished_at` is
    None when entries were still open at the end."""

    list_file: str
    queue: str
    pacing: str
    started_at: str
    entries: int
    duplicates: int
    calls: int
    reached: int
    pending: int
    exhausted: int
    skipped: int
    answered: int
    dropped: int
    drop_cap: float
    drop_window_s: float
    worst_window_start: str | None
    worst_window_rate: float | None
    windows_over_cap: int
    agents: int
    occupancy: float | None
    finished_at: str | None

    def as_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}

    def rows(self) -> list[tuple[str, str]]:
        """The figures as (label, value) rows, Chinese first with English beside."""
        if self.worst_window_rate is None or self.worst_window_start is None:
            worst = "— (无接听 nothing answered)"
        else:
            met = "✓" if self.worst_window_rate <= self.drop_cap else "✗"
            worst = f"{_percent(self.worst_window_rate)} {met} ({self.worst_window_start[5:]} 起)"
        return [
            ("名单 list", self.list_file),
            ("队列 queue", self.queue),
            ("外呼方式 pacing", _PACING_WORDS.get(self.pacing, self.pacing)),
            ("开始 started", self.started_at),
            ("名单条数 entries", f"{self.entries:,}"),
            ("呼叫次数 calls placed", f"{self.calls:,}"),
            ("已接通客户 reached", f"{self.reached:,}"),
            ("待拨 still pending", f"{self.pending:,}"),
            ("次数用尽 exhausted", f"{self.exhausted:,}"),
            ("跳过 skipped", f"{self.skipped:,}"),
            ("客户接听 answered", f"{self.answered:,}"),
            ("放弃 dropped (no agent in time)", f"{self.dropped:,}"),
            ("最差半小时放弃率 worst half hour", worst),
            ("放弃率上限 drop cap", _percent(self.drop_cap)),
            ("超上限的半小时 half hours over", f"{self.windows_over_cap:,}"),
            (f"坐席占用率 occupancy ({self.agents} agents)", _percent(self.occupancy)),
            ("名单完成 list finished", self.finished_at or "未完成 not finished by the end"),
        ]


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


@dataclass
class CampaignTrial:
    """A campaign running on a simulation: its dialer, and the fold of its events."""

    spec: CampaignSpec
    dialer: Dialer
    list_file: str
    entries: int
    duplicates: int
    started_at: float
    agents: frozenset[AgentId]
    local: Callable[[float], datetime.datetime]
    offset: float
    """Seconds from UTC of local time: the drop windows start at local midnight."""
    calls: set[CallId] = field(default_factory=set)
    placed: int = 0
    closed: dict[str, int] = field(default_factory=dict)  # result or reason → entries
    windows: dict[int, list[int]] = field(default_factory=dict)  # window → [answered, dropped]
    finished: float | None = None
    state_time: dict[AgentState, float] = field(default_factory=dict)
    _since: dict[AgentId, tuple[AgentState, float]] = field(default_factory=dict)

    def follow(self, e: Event) -> None:
        """Fold one event of the bus (subscribed by `campaign_on`)."""
        if isinstance(e, EntryDialed) and e.campaign == self.spec.id:
            self.placed += 1
            self.calls.add(CallId(e.call))
        elif isinstance(e, EntryClosed) and e.campaign == self.spec.id:
            key = "tries" if e.reason == "tries" else e.result
            self.closed[key] = self.closed.get(key, 0) + 1
        elif isinstance(e, CallOutboundAnswered) and e.call in self.calls:
            self._window(e.at)[0] += 1
        elif isinstance(e, ContactLeft) and e.call in self.calls and e.reason == "dropped":
            self._window(e.at)[1] += 1
        elif isinstance(e, CampaignChanged) and e.campaign == self.spec.id:
            if e.campaign_state == "finished":
                self.finished = e.at
        elif isinstance(e, AgentStateChanged) and e.agent in self.agents:
            self._agent(e.agent, e.state, e.at)

    def _window(self, at: float) -> list[int]:
        key = math.floor((at + self.offset) / self.spec.drop_window)
        return self.windows.setdefault(key, [0, 0])

    def _agent(self, agent: AgentId, state: AgentState, at: float) -> None:
        previous = self._since.get(agent)
        if previous is not None:
            self.state_time[previous[0]] = self.state_time.get(previous[0], 0.0) + at - previous[1]
        self._since[agent] = (state, at)

    def figures(self, end: float) -> CampaignFigures:
        """The figures at `end` (the run's last moment); agents' time is counted up to it."""
        for agent, (state, _) in list(self._since.items()):
            self._agent(agent, state, end)
        busy = sum(self.state_time.get(s, 0.0) for s in _BUSY)
        available = sum(self.state_time.get(s, 0.0) for s in _AVAILABLE)
        rated = [
            (dropped / answered, key)
            for key, (answered, dropped) in self.windows.items()
            if answered
        ]
        worst = max(rated, key=lambda r: (r[0], -r[1]), default=None)  # the first on a tie
        window = self.spec.drop_window
        reached = sum(self.closed.get(r, 0) for r in _REACHED)
        return CampaignFigures(
            list_file=self.list_file,
            queue=str(self.spec.queue),
            pacing=self.spec.pacing,
            started_at=self._when(self.started_at),
            entries=self.entries,
            duplicates=self.duplicates,
            calls=self.placed,
            reached=reached,
            pending=self.entries - sum(self.closed.values()),
            exhausted=self.closed.get("tries", 0),
            skipped=self.closed.get("skipped", 0),
            answered=sum(a for a, _ in self.windows.values()),
            dropped=sum(d for _, d in self.windows.values()),
            drop_cap=self.spec.drop_cap,
            drop_window_s=window,
            worst_window_start=None
            if worst is None
            else self._when(worst[1] * window - self.offset),
            worst_window_rate=None if worst is None else worst[0],
            windows_over_cap=sum(rate > self.spec.drop_cap for rate, _ in rated),
            agents=len(self.agents),
            occupancy=busy / (busy + available) if busy + available else None,
            finished_at=None if self.finished is None else self._when(self.finished),
        )

    def _when(self, t: float) -> str:
        return self.local(t).strftime("%Y-%m-%d %H:%M")


def campaign_on(
    sim: Simulation,
    list_path: Path,
    *,
    queue: str | None = None,
    pacing: PacingName | None = None,
    start: datetime.time | None = None,
) -> CampaignTrial:
    """Put the list at `list_path` on `sim` as a campaign, before the run.

    The answered customers go to `queue` (default: ``outbound.yaml``'s first standing
    campaign's queue), paced by `pacing` (default: ``outbound.yaml``'s); the campaign
    starts at `start` on the first day (default: the run's start — each entry still waits
    for its calling window) and stops when the scenario's arrivals end, what is still
    pending staying so. Raises `ListError` for a bad list, `CampaignError` for no or an
    unknown queue, a preview pacing (the agents dial those by hand) or a start past the
    run's end, `ConfigError` for a wrong ``outbound.yaml``."""
    hotline = sim.hotline
    config = outbound_config(hotline)
    chosen = queue or default_queue(config)
    if chosen is None:
        raise CampaignError(
            f"没有指定队列: 请用 --queue, {hotline.path.parent / OUTBOUND_FILE} 未给出 "
            "(no queue: give --queue; no outbound.yaml source names one)"
        )
    known = sorted(str(q) for q in hotline.model.queues)
    if chosen not in known:
        raise CampaignError(
            f"--queue {chosen}: 没有这个队列 (no such queue); 已有 known: {', '.join(known)}",
            queue=chosen,
        )
    paced: PacingName = pacing or config.model.defaults.pacing
    if paced == "preview":
        raise CampaignError(
            "预览式外呼由坐席逐条拨打, 模拟中不会自动拨号; 请选 --pacing progressive、"
            "adaptive 或 predictive (preview pacing places no calls by itself: the agents "
            "dial from the record)",
            pacing=paced,
        )
    report = read_list(list_path)
    entries = [row.entry() for row in report.rows]
    spec = config.spec(CAMPAIGN_ID, list_path.stem, queue=chosen, pacing=paced, kind="imported")
    tz = hotline.timezone
    begins = sim.start
    if start is not None:
        begins = datetime.datetime.combine(sim.scenario.start, start, tz).timestamp()
    ends = sim.population.ends_at
    if begins >= ends:
        raise CampaignError(
            f"--campaign-start {start}: 模拟已结束 (after the run's end)", start=str(start)
        )
    dialer = Dialer(
        clock=sim.clock,
        bus=sim.bus,
        controller=sim.controller,
        acd=sim.acd,
        calendar=config.calendar,
        may_call=config.may_call(sim.controller.directory),
        leaves=sim.population.leaves,
    )
    admits = sim.acd.queue(QueueName(chosen)).spec.stages[0].selector.admits
    utc = config.calendar.local(begins).utcoffset()
    trial = CampaignTrial(
        spec=spec,
        dialer=dialer,
        list_file=report.file,
        entries=len(entries),
        duplicates=report.duplicates,
        started_at=begins,
        agents=frozenset(a.id for a in sim.acd.agents.values() if admits(a.profile)),
        local=functools.partial(datetime.datetime.fromtimestamp, tz=tz),
        offset=utc.total_seconds() if utc is not None else 0.0,
    )
    sim.bus.subscribe(
        trial.follow,
        (
            EntryDialed,
            EntryClosed,
            CampaignChanged,
            CallOutboundAnswered,
            ContactLeft,
            AgentStateChanged,
        ),
    )
    dialer.add(spec, entries)
    sim.clock.call_at(begins, functools.partial(dialer.start, spec.id, by="hotline simulate"))
    sim.clock.call_at(ends, functools.partial(dialer.stop, spec.id, by="hotline simulate"))
    return trial
