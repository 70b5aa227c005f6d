"""The hotline running live: the engine on a wall-time clock, its events stored and streamed.

`LiveHotline` is what the API and the console talk to. It holds one engine (IVR,
ACD, call controller and their switch: `hotline.live.engine.Engine`), drives its clock with a
`LiveDriver`, appends every event to the database's event log through the
batching writer (never blocking the engine), folds the wallboard, and fans the
events out to live subscribers. People act through its commands: an agent at a
seat logs in, answers, holds, transfers, hangs up and closes wrap-up; a
supervisor forces states. Every command runs on the engine's own thread (the
asyncio loop), stamped with the engine time of the moment it is made.

In the demo (`LiveHotline.demo`) callers and the scenario's roster are
simulated; the seats of ``hotline.yaml``'s `agents` are left to people. While a
person's seat rings, talks or wraps up, the clock runs at real time (1×) so the
person can handle the call; otherwise at the demo's speed.

On real calls (`LiveHotline.on_sip`, `hotline serve`) the engine runs on the SIP
switch behind Kamailio, the clock at 1×; every seat is a person's with a real
phone: the phone answers (the desk cannot), the desk does the rest.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime
import hashlib
import itertools
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from hotline.calls.events import CallArrived, CallDisposition, CallEnded
from hotline.calls.ports import CallerInfo
from hotline.core.clock import VirtualClock
from hotline.core.customer import ListMark, Tier
from hotline.core.errors import HotlineError
from hotline.core.events import Event
from hotline.core.ids import AgentId, CallId, QueueName
from hotline.crm.config import CrmConfig
from hotline.crm.hints import hint_fields, hints_for
from hotline.live.board import Board
from hotline.live.driver import LiveDriver
from hotline.live.engine import Engine, SeatPhones, SimulatedPhones, SipPhones
from hotline.live.feed import LiveFeed
from hotline.live.lookup import EitherVerifies, FirstKnown
from hotline.live.phones import provider as phone_credentials
from hotline.live.recordings import Recordings
from hotline.live.recovery import Leftovers, close_leftovers, read_leftovers
from hotline.live.services import build_services
from hotline.orders.model import OPEN_STATES
from hotline.routing.acd import ACD
from hotline.routing.events import (
    AgentStateChanged,
    ConsultEnded,
    ConsultStarted,
    ContactOffered,
)
from hotline.routing.model import AgentState, NotReadyReason
from hotline.routing.queue import Agent, ContactState
from hotline.sim.run import Simulation, load_scenario
from hotline.sim.scenario import ScenarioModel
from hotline.sip.process import ProcessError, WorkdirLock
from hotline.site import Site
from hotline.store.db import (
    Agents,
    CallLedger,
    Calls,
    Customers,
    Database,
    EventLog,
    Queues,
    Skills,
)
from hotline.store.db.crm import CustomerAccounts, crm_directory
from hotline.store.db.orders import OrderFilter

if TYPE_CHECKING:
    from hotline.sip.serve import ServeSettings

log = logging.getLogger(__name__)

EXAMPLE_SCENARIO = Path(__file__).resolve().parents[3] / "examples/95598/scenarios/weekday.yaml"

_SEAT_BUSY = frozenset(
    {AgentState.RINGING, AgentState.TALKING, AgentState.HOLD, AgentState.WRAP_UP}
)
_PHASES = {
    AgentState.RINGING: "ringing",
    AgentState.TALKING: "talking",
    AgentState.HOLD: "held",
    AgentState.WRAP_UP: "wrap_up",
}
ORDER_SCAN_EVERY = 5.0
"""Wall seconds between two scans of the open orders' deadlines."""


COUNTED = "board.counted"
"""The live feed's record saying the wallboard's counts were recounted (not an event)."""


class NotASeatError(HotlineError):
    error_id = "not-a-seat"


class NoCallError(HotlineError):
    error_id = "no-call"


class WorkdirInUseError(HotlineError):
    error_id = "workdir-in-use"


class Service(Protocol):
    """What runs beside the engine and starts and stops with it (Kamailio, the SIP endpoint)."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass(frozen=True)
class DemoSettings:
    """How `hotline demo` runs: the database, the scenario and how fast a day passes."""

    db_url: str
    scenario: Path = EXAMPLE_SCENARIO
    speed: float = 60.0
    start_time: str = "08:00"
    seed: int | None = None
    traffic: bool = True  # False: no scenario arrivals (tests place calls with call_in)
    days: int = 7
    recordings: Path | None = None  # the conversations' WAV files (none on the simulated switch)


@dataclass
class _DeskCall:
    call: CallId
    queue: QueueName
    waited: float
    consult_from: AgentId | None = None  # rung for a consultation by this agent
    # the customer record and contact history, read once per call: the desk view is
    # rebuilt for every snapshot (twice a second per seat), on the engine's thread
    lookup: tuple[dict[str, Any] | None, list[dict[str, Any]]] | None = None


@dataclass
class _CallInfo:
    caller: str
    tier: Tier
    list_mark: ListMark
    arrived_at: float


@dataclass
class _State:
    calls: dict[CallId, _CallInfo] = field(default_factory=dict)
    desk: dict[AgentId, _DeskCall] = field(default_factory=dict)
    busy_seats: set[AgentId] = field(default_factory=set)


class LiveHotline:
    """One hotline, live. Build with `demo` or `on_sip`; `await start()` on the running loop."""

    sip_realm = "hotline"
    """The digest realm of the agents' phones (`ServeSettings.realm` on real calls)."""

    def __init__(
        self,
        *,
        engine: Engine,
        clock: VirtualClock,
        phones: SeatPhones,
        site: Site,
        db: Database,
        speed: float,
        start_at: float | None,
        sim: Simulation | None = None,
        service: Service | None = None,
        driver: LiveDriver | None = None,
        recordings: Path | None = None,
        leftovers: Leftovers | None = None,
        lock: WorkdirLock | None = None,
    ) -> None:
        """`engine` runs on `clock`, which `driver` (default: a new one at `speed`) follows
        from `start` on: from `start_at` (engine time), or from the wall clock's present
        when None. `sim` is the demo's simulation (its callers make `call_in` work; unknown
        callers get a made-up customer record); `service` is started and stopped with the
        runtime (real calls: Kamailio and the SIP endpoint); `recordings` is the folder of
        the conversations' WAV files. `leftovers` (what a killed run left open) are closed
        by `start`, with `clock` at their time, once `lock` (the working folder's) is held."""
        self.site = site
        self.hotline = site.hotline  # the engine's: queues and flows change with a restart
        hotline = self.hotline
        self.db = db
        self.log = EventLog(db)
        self.engine = engine
        self.sim = sim
        self.service = service
        self.phones = phones
        self.recordings = Recordings(recordings, lambda: self.acd.agents.keys())
        self._base_speed = speed
        self._start_at = start_at
        self.seats = tuple(hotline.agents)
        self.human_seats = {s.id for s in self.seats}
        self.bus = engine.bus
        self.clock = clock
        self._state = _State()
        self._feeds: set[LiveFeed] = set()
        self._seq = itertools.count(1)
        self.board_fold = Board(hotline, lambda: self.acd)
        self.board_fold.attach(self.bus)
        self.bus.subscribe(self._track)
        self._writer = self.log.writer()
        self.bus.subscribe(self._writer.append)
        self.ledger = CallLedger(self._writer)  # folds the writer's batches into `calls`
        self.bus.subscribe(self._fan_out)
        self._driver = driver if driver is not None else LiveDriver(clock, speed)
        self._customers = Customers(db)
        self._calls = Calls(db)
        self.accounts = CustomerAccounts(db)
        # the engine's time as last run, without catching the clock up: the deadline
        # scan reads it from a worker thread, and only the loop's thread runs the clock
        self.services = build_services(site, db, self.clock.now)
        self.orders = self.services.orders
        self._orders = self.services.order_store
        self._open_expedites = 0
        self._scanner: asyncio.Task[None] | None = None
        self._counter: asyncio.Task[None] | None = None
        self._counting = asyncio.Lock()
        self._running = False  # started, and not stopped yet
        self._closed = False
        self._leftovers = leftovers
        self._lock = lock

    @property
    def crm_config(self) -> CrmConfig:
        """The site's ``crm.yaml`` as last (re)loaded."""
        return self.site.config.crm

    # ---- building -----------------------------------------------------------------------

    @classmethod
    def demo(cls, settings: DemoSettings) -> LiveHotline:
        """The example hotline's day, live, with simulated callers and agents.

        The day starts at `start_time` today (the hotline's time zone); when the
        database already holds a later day (a restart), on the day after it, so a
        day's figures are never mixed with another run's.
        """
        scenario, hotline = load_scenario(settings.scenario)
        site = Site.load(hotline.path, hotline=hotline)
        db = Database.open(settings.db_url)
        tz = hotline.timezone
        day = datetime.datetime.now(tz).date()
        stored = EventLog(db)
        last = stored.read(since_id=stored.last_id() - 1, limit=1)
        if last:
            last_day = datetime.datetime.fromtimestamp(last[0].event.at, tz).date()
            if last_day >= day:
                day = last_day + datetime.timedelta(days=1)
        begin = datetime.time.fromisoformat(settings.start_time)
        start_at = datetime.datetime.combine(day, begin, tz).timestamp()
        scenario = scenario.model_copy(update={"start": day, "days": settings.days})
        # the CRM's customers first (tier and lists at arrival, identity checks), then the
        # simulated callers the population makes up
        crm, crm_verifier = crm_directory(db)
        sim = Simulation(
            scenario,
            hotline,
            seed=settings.seed,
            seats=tuple(hotline.agents),
            call_prefix=f"c{day:%y%m%d}-",
            directory=lambda population: FirstKnown(crm, population),
            verifier=lambda population: EitherVerifies(crm_verifier, population),
        )
        if not settings.traffic:
            sim.population.stop_arrivals()
        return cls(
            engine=sim,
            clock=sim.clock,
            phones=SimulatedPhones(sim.switch),
            site=site,
            db=db,
            speed=settings.speed,
            start_at=start_at,
            sim=sim,
            recordings=settings.recordings,
        )

    @classmethod
    def on_sip(cls, site: Site, settings: ServeSettings, *, db_url: str) -> LiveHotline:
        """The hotline on real calls: Kamailio, the SIP endpoint and the engine on a clock
        that follows the wall clock at 1× (`hotline serve`). Callers are looked up in the
        CRM's customers at arrival (tier, lists, identity checks); seats follow their
        phones' registrations, and may also log in from the desk. Recordings go to
        ``settings.recordings``."""
        from hotline.sip.serve import SipService

        hotline = site.hotline
        db = Database.open(db_url)
        try:
            crm, crm_verifier = crm_directory(db)
            leftovers = read_leftovers(db, (seat.id for seat in hotline.agents))
            now = time.time()
            if leftovers and leftovers.last_at is not None:
                now = min(now, leftovers.last_at)  # closed when the old run was last seen
            clock = VirtualClock(now)
            driver = LiveDriver(clock, 1.0)  # real calls: engine time is wall time
            service = SipService(
                hotline,
                settings,
                clock=clock,
                catch_up=driver.catch_up,
                directory=crm,
                verifier=crm_verifier,
                credentials=phone_credentials(db, settings.realm),
            )
        except BaseException:
            db.close()
            raise
        engine = service.engine
        runtime = cls(
            engine=engine,
            clock=clock,
            phones=SipPhones(engine.controller, clock),
            site=site,
            db=db,
            speed=1.0,
            start_at=None,
            service=service,
            driver=driver,
            recordings=settings.recordings,
            leftovers=leftovers,
            lock=WorkdirLock(settings.workdir / "hotline.lock"),
        )
        runtime.sip_realm = settings.realm
        return runtime

    @property
    def scenario(self) -> ScenarioModel | None:
        """The demo's scenario (its roster is the schedule); None on real calls."""
        return self.sim.scenario if self.sim is not None else None

    @property
    def real_calls(self) -> bool:
        """Whether calls come from real phones (no simulated callers, the clock at 1×)."""
        return self.sim is None

    @property
    def acd(self) -> ACD:
        return self.engine.acd

    def _store_setup(self) -> None:
        """Store the skills, queues and roster this run serves with (what the console and
        reports join events to)."""
        model = self.hotline.model
        skills = Skills(self.db)
        for skill_name, skill in model.skills.items():
            skills.upsert(skill_name, skill.title)
        queues = Queues(self.db)
        for queue_name, queue in model.queues.items():
            queues.upsert(queue_name, queue.title, queue.model_dump(mode="json"))
        agents = Agents(self.db)
        for agent in self.acd.agents.values():
            profile = agent.profile
            agents.upsert(
                agent.id,
                profile.name,
                team=min(profile.groups, default=""),
                skills={str(skill): level for skill, level in profile.skills.items()},
                human=agent.id in self.human_seats,
            )

    async def start(self) -> None:
        """Run the day up to its start time at once, then follow the wall clock; start the
        service (real calls) last, once the engine's clock runs. Raises `HotlineError` when
        the service cannot start (nothing is left running then). Once started, `start`
        does nothing (`hotline serve` starts the runtime before the app's lifespan does)."""
        if self._running or self._closed:
            return
        if self._lock is not None:
            try:
                self._lock.acquire()  # before the log is touched: no other Hotline runs here
            except ProcessError as e:
                raise WorkdirInUseError(f"{e}: not started") from e
        await asyncio.to_thread(self._store_setup)
        if self._leftovers:
            closed = close_leftovers(self.engine, self._leftovers)
            seats = len(self._leftovers.seats_logged_in)
            log.log(
                logging.WARNING if closed else logging.INFO,
                "the previous run left %d call(s) open, ended now as lost; %d seat(s) logged out",
                closed,
                seats,
            )
        self._leftovers = None
        start_at = self._start_at if self._start_at is not None else time.time()
        self.clock.run(until=max(start_at, self.clock.now()))
        self._driver.set_speed(self._base_speed)
        self._driver.start()
        if self.service is not None:
            try:
                await self.service.start()
            except BaseException:
                await self._driver.stop()
                raise
        self._running = True
        if self.orders is not None:
            self._scanner = asyncio.get_running_loop().create_task(
                self._scan_orders(), name="hotline-order-deadlines"
            )
        self._counter = asyncio.get_running_loop().create_task(
            self._count_board(), name="hotline-wallboard-counts"
        )

    async def refresh_board(self) -> None:
        """Count the wallboard's figures from the log up to now: the events so far are
        committed first, and the SQL runs off the engine's thread (one count at a time)."""
        async with self._counting:
            changes = self.board_fold.changes  # what happens from here on is counted next time
            now = self.now()
            await self.commit()
            await asyncio.to_thread(self.board_fold.refresh, self.db, now, changes)
        for feed in self._feeds:  # watchers' streams send a fresh snapshot with the counts
            feed.put({"kind": COUNTED, "at": now, "id": next(self._seq)})

    async def _count_board(self) -> None:
        """Recount the wallboard every `wallboard.refresh` wall seconds (start to start)
        when something happened; a count that takes longer is followed by a pause of a
        quarter of that, so the engine's thread keeps most of the time."""
        every = self.hotline.model.wallboard.refresh
        while True:
            began = time.monotonic()
            try:
                if self.board_fold.stale(self.now()):
                    await self.refresh_board()
            except HotlineError:
                log.exception("the wallboard could not be counted from the log; trying again")
            await asyncio.sleep(max(every - (time.monotonic() - began), every / 4))

    async def _scan_orders(self) -> None:
        """Every few seconds, raise an expedite task (催办) for each deadline that ran out
        (the database work off the engine's thread) and publish the orders' events."""
        desk = self.orders
        assert desk is not None
        while True:
            try:
                outcomes = await asyncio.to_thread(desk.scan)
                for outcome in outcomes:
                    self.publish_stored(outcome.events)
                open_tasks = await asyncio.to_thread(self._orders.expedites)
                self._open_expedites = len(open_tasks)
            except HotlineError:
                log.exception("the order deadline scan failed; trying again")
            await asyncio.sleep(ORDER_SCAN_EVERY)

    async def stop(self) -> None:
        """Stop the service (every real call is hung up and ends as ``lost``), the clock and
        the writer (what was published is committed), then close the database. A second
        `stop` does nothing."""
        if self._closed:
            return
        self._closed = True
        for task in (self._scanner, self._counter):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._scanner = self._counter = None
        if self.service is not None and self._running:
            await self.service.stop()
            self._catch_up()
            self.engine.controller.reconcile()  # the calls the stop cut, ended in the log
            self._settle()
        self._running = False
        await self._driver.stop()
        await asyncio.to_thread(self._writer.close)
        self.db.close()
        if self._lock is not None:
            self._lock.release()

    # ---- time ---------------------------------------------------------------------------

    def now(self) -> float:
        self._catch_up()
        return self.clock.now()

    @property
    def speed(self) -> float:
        return self._driver.speed

    @property
    def base_speed(self) -> float:
        return self._base_speed

    def set_speed(self, speed: float) -> None:
        """The demo's speed when no person is on a call (the clock is 1× while one is).
        Raises `HotlineError` on real calls, whose clock is the wall clock."""
        if speed < 0:
            raise ValueError("speed must be 0 or more")
        if self.real_calls:
            raise HotlineError("real calls run in real time: the speed cannot change")
        self._base_speed = speed
        self._apply_speed()

    def advance(self, seconds: float) -> None:
        """Move engine time forward now (tests; a paused demo). Raises `HotlineError` on
        real calls."""
        if self.real_calls:
            raise HotlineError("real calls run in real time: engine time cannot jump")
        if self._driver.started:
            self._driver.advance(seconds)
        else:
            self.clock.run(until=self.clock.now() + seconds)

    def _apply_speed(self) -> None:
        if not self._driver.started:
            return
        speed = self._base_speed
        if self._state.busy_seats:
            speed = min(speed, 1.0)
        self._driver.set_speed(speed)

    def _catch_up(self) -> None:
        self._driver.catch_up()

    def _settle(self) -> None:
        """Run what a command made due at once (the switch answers from a timer)."""
        self.clock.run(until=self.clock.now())

    def flush(self, timeout: float = 5.0) -> None:
        """Wait until every event so far is committed to the database."""
        self._writer.flush(timeout)

    async def commit(self, timeout: float = 5.0) -> None:
        """Wait, without blocking the engine, until every event so far is committed:
        what a person is told is done is in the database (at most one batch interval)."""
        await asyncio.to_thread(self._writer.flush, timeout)

    # ---- event tracking -----------------------------------------------------------------

    def _track(self, e: Event) -> None:
        state = self._state
        if isinstance(e, CallArrived):
            state.calls[e.call] = _CallInfo(e.caller, e.tier, e.list_mark, e.at)
        elif isinstance(e, ContactOffered):
            if e.agent in self.human_seats:
                state.desk[e.agent] = _DeskCall(e.call, e.queue, e.waited)
        elif isinstance(e, ConsultStarted):
            if e.target in self.human_seats:
                state.desk[e.target] = _DeskCall(e.call, e.to_queue, 0.0, e.agent)
        elif isinstance(e, ConsultEnded):
            desk = state.desk.get(e.target)
            if e.outcome == "transferred" and desk is not None:
                desk.consult_from = None  # the caller is this seat's now
        elif isinstance(e, AgentStateChanged) and e.agent in self.human_seats:
            busy = e.state in _SEAT_BUSY
            if busy != (e.agent in state.busy_seats):
                if busy:
                    state.busy_seats.add(e.agent)
                else:
                    state.busy_seats.discard(e.agent)
                # not from inside the clock's run: stop the run here (the rest of a fast
                # batch must not pass at the old speed: the ring would time out at once),
                # and change the speed at the loop's next turn; at 1× or less nothing
                # changes (stopping would only make engine time lag the wall clock)
                if self._driver.started and self._base_speed > 1.0:
                    if busy:
                        self.clock.stop()
                    self._driver.loop.call_soon(self._apply_speed)
            if not busy:
                desk = state.desk.pop(e.agent, None)
                if desk is not None:
                    self._forget_call(desk.call)
        elif isinstance(e, CallEnded) and all(d.call != e.call for d in state.desk.values()):
            state.calls.pop(e.call, None)

    def _forget_call(self, call: CallId) -> None:
        if call not in self.engine.switch.live_calls():
            self._state.calls.pop(call, None)

    def publish_stored(self, events: Sequence[Event]) -> None:
        """Publish events a repository already committed to the log with its record (the
        outbox: a saved order, a handover sheet). Every subscriber gets them once; the
        log's writer lets them pass instead of storing them a second time. Call it on
        the engine's thread, like every publish."""
        for e in events:
            self._writer.stored((e,))
            self.bus.publish(e)

    def _fan_out(self, e: Event) -> None:
        if not self._feeds:
            return
        record = e.to_record()
        record["id"] = next(self._seq)
        for feed in self._feeds:
            feed.put(record)

    def subscribe(self) -> LiveFeed:
        feed = LiveFeed(self._feeds.discard)
        self._feeds.add(feed)
        return feed

    # ---- views --------------------------------------------------------------------------

    def board(self) -> dict[str, Any]:
        snapshot = self.board_fold.snapshot(self.now())
        snapshot["speed"] = self.speed
        snapshot["base_speed"] = self._base_speed
        snapshot["orders_overdue"] = self._open_expedites
        if self._open_expedites:
            n = self._open_expedites
            snapshot["alerts"].append(
                {
                    "queue": "",
                    "kind": "orders_overdue",
                    "value": n,
                    "threshold": 0,
                    "message": {
                        "zh": f"{n} 张工单超过时限, 待值班长催办",
                        "en": f"{n} work orders past their deadline, for the shift lead to chase",
                    },
                }
            )
        for agent in snapshot["agents"]:
            agent["human"] = agent["id"] in self.human_seats
        return snapshot

    def desk(self, agent_id: str) -> dict[str, Any]:
        """What the agent desk shows for this seat; unmasked (the API masks by role)."""
        now = self.now()
        agent = self.acd.agent(AgentId(agent_id))
        model = self.hotline.model
        view: dict[str, Any] = {
            "at": now,
            "speed": self.speed,
            "agent": {
                "id": agent.id,
                "name": agent.profile.name,
                "state": agent.state.value,
                "reason": agent.reason,
                "since": agent.since,
                "in_state_s": round(max(0.0, now - agent.since), 1),
                "human": agent.id in self.human_seats,
                # a real phone rings: the agent answers on it, not at the desk
                "answers_on_phone": self.real_calls,
            },
            "call": self._desk_call(agent, now),
            "queues": [{"name": q.name, "title": q.title or q.name} for q in self.hotline.queues],
            "scripts": {
                "greeting": model.desk.greeting.format(
                    salutation=_salutation(now, self.hotline.timezone), agent=agent.id
                ),
                "closing": model.desk.closing,
            },
            "dispositions": [
                {"code": code, "title": title} for code, title in model.desk.dispositions.items()
            ],
        }
        return view

    def _desk_call(self, agent: Agent, now: float) -> dict[str, Any] | None:
        desk = self._state.desk.get(agent.id)
        phase = _PHASES.get(agent.state)
        if desk is None or phase is None:
            return None
        info = self._state.calls.get(desk.call)
        wrap_ends = None
        if agent.state is AgentState.WRAP_UP and agent.timer is not None:
            wrap_ends = agent.timer.when
        caller = info.caller if info is not None else ""
        if desk.lookup is None:
            desk.lookup = (self._customer(caller, info), self._history(caller, desk.call))
        customer, history = desk.lookup
        return {
            "id": desk.call,
            "phase": phase,
            "caller": caller,
            "queue": desk.queue,
            "tier": info.tier.value if info is not None else Tier.ORDINARY.value,
            "list_mark": info.list_mark.value if info is not None else ListMark.NONE.value,
            "waited_s": round(desk.waited, 1),
            "since": agent.since,
            "wrap_up_ends": wrap_ends,
            "customer": customer,
            "history": history,
            "orders": self._open_orders(caller),
            "consult": self._consult_view(agent, desk),
        }

    def _consult_view(self, agent: Agent, desk: _DeskCall) -> dict[str, Any] | None:
        """The consultation this seat asked for, or the one it is rung for."""
        if desk.consult_from is not None:
            consult = self.acd.consults.get(desk.call)
            answered = consult is not None and consult.answered_at is not None
            return {
                "role": "consulted",
                "agent": desk.consult_from,
                "target": agent.id,
                "to_queue": desk.queue,
                "phase": "talking" if answered else "ringing",
            }
        consult = self.acd.consults.get(desk.call)
        if consult is None or consult.agent is not agent:
            return None
        return {
            "role": "asking",
            "agent": agent.id,
            "target": consult.target.id,
            "to_queue": consult.to_queue,
            "phase": "talking" if consult.answered_at is not None else "ringing",
        }

    def _customer(self, phone: str, info: _CallInfo | None) -> dict[str, Any] | None:
        """The caller's customer record; the demo's simulated callers get one on first call
        (on real calls an unknown caller has none)."""
        if not phone:
            return None
        record = self._customers.by_phone(phone)
        if record is None and info is not None and self.sim is not None:
            record = self._customers.upsert(**_synthetic_customer(phone, info))
        if record is None:
            return None
        view = dataclasses.asdict(record)
        profile = self.accounts.get(record.id)
        if profile is not None:  # a CRM customer: stage, score and the consumption hints
            view["lifecycle"] = profile.lifecycle.value
            view["score"] = round(profile.score, 1)
            view["customer_type"] = profile.facts.customer_type.value
            view["hints"] = [
                {"rule": h.rule, "message": h.message, "level": h.level.value}
                for h in hints_for(self.crm_config.hints, hint_fields(profile))
            ]
        return view

    def _open_orders(self, phone: str) -> list[dict[str, Any]]:
        """The caller's open work orders (未结工单), newest first."""
        if not phone or self.orders is None:
            return []
        found = self._orders.list(OrderFilter(caller=phone, states=sorted(OPEN_STATES), limit=10))
        types = self.orders.config.types
        return [
            {
                "id": o.id,
                "type": o.type,
                "title": types[o.type].label if o.type in types else o.type,
                "state": o.state.value,
                "created_at": o.created_at,
            }
            for o in found
        ]

    def _history(self, phone: str, current: CallId) -> list[dict[str, Any]]:
        if not phone:
            return []
        return [
            {
                "call": c.call,
                "at": c.arrived_at,
                "queue": c.queue,
                "agent": c.agent,
                "outcome": c.outcome,
                "disposition": c.disposition,
                "note": c.note,
            }
            for c in self._calls.list(caller=phone, limit=11)
            if c.call != current
        ][:10]

    # ---- commands by the agent at a seat ------------------------------------------------

    def _seat(self, agent_id: str) -> Agent:
        agent = self.acd.agent(AgentId(agent_id))
        if agent.id not in self.human_seats:
            raise NotASeatError(
                f"agent {agent_id} is simulated; only seats taken by people accept desk commands",
                agent=agent_id,
            )
        self._catch_up()
        return agent

    def agent_login(self, agent_id: str, *, by: str | None = None) -> None:
        self._seat(agent_id)
        self.acd.login(AgentId(agent_id), by=by)
        self._settle()

    def agent_ready(self, agent_id: str, *, by: str | None = None) -> None:
        self._seat(agent_id)
        self.acd.set_ready(AgentId(agent_id), by=by)
        self._settle()

    def agent_not_ready(
        self, agent_id: str, reason: str = "busy", *, by: str | None = None
    ) -> None:
        self._seat(agent_id)
        try:
            why = NotReadyReason(reason)
        except ValueError:
            raise HotlineError(f"unknown not-ready reason {reason!r}", reason=reason) from None
        self.acd.set_not_ready(AgentId(agent_id), why, by=by)
        self._settle()

    def agent_away(self, agent_id: str, *, by: str | None = None) -> None:
        self._seat(agent_id)
        self.acd.set_away(AgentId(agent_id), by=by)
        self._settle()

    def agent_logout(self, agent_id: str, *, by: str | None = None) -> None:
        self._seat(agent_id)
        self.acd.logout(AgentId(agent_id), by=by)
        self._settle()

    def force_state(self, agent_id: str, state: str, *, supervisor: str, reason: str = "") -> None:
        """A supervisor sets any agent's state (simulated agents included)."""
        self._catch_up()
        try:
            target = AgentState(state)
        except ValueError:
            raise HotlineError(f"unknown agent state {state!r}", state=state) from None
        agent = self.acd.agent(AgentId(agent_id))
        if target is not AgentState.LOGGED_OUT and agent.state is AgentState.LOGGED_OUT:
            self.acd.login(agent.id, ready=target is AgentState.READY, by=supervisor)
            if target in (AgentState.READY, AgentState.NOT_READY) and not reason:
                self._settle()
                return
        self.acd.force_state(agent.id, target, supervisor=supervisor, reason=reason)
        self._settle()

    def _current(self, agent: Agent, *states: ContactState) -> CallId:
        contact = agent.contact
        if contact is None or contact.state not in states:
            wanted = "/".join(s.name.lower() for s in states)
            raise NoCallError(f"agent {agent.id} has no call {wanted} now", agent=agent.id)
        return contact.call

    def _consulted(self, agent: Agent) -> CallId | None:
        """The call this seat is rung (or talks) for in a consultation, if any."""
        desk = self._state.desk.get(agent.id)
        if desk is None or desk.consult_from is None or desk.call not in self.acd.consults:
            return None
        return desk.call

    def answer(self, agent_id: str) -> CallId:
        agent = self._seat(agent_id)
        consulted = self._consulted(agent)
        if consulted is not None and agent.state is AgentState.RINGING:
            if not self.phones.pick_up(consulted, agent.id):
                raise NoCallError(f"the consultation to {agent_id} is no longer ringing")
            self._settle()
            return consulted
        call = self._current(agent, ContactState.OFFERED)
        if not self.phones.pick_up(call, agent.id):
            raise NoCallError(f"the call to agent {agent_id} is no longer ringing", call=call)
        self._settle()
        return call

    def hangup(self, agent_id: str) -> CallId:
        """End the conversation; a consulted seat ends the consultation instead (the
        caller stays on hold with the agent who asked)."""
        agent = self._seat(agent_id)
        consulted = self._consulted(agent)
        if consulted is not None:
            self.engine.controller.cancel_consult(consulted)
            self._settle()
            return consulted
        call = self._current(agent, ContactState.TALKING, ContactState.HOLD)
        if self.engine.controller.on_hold(call):
            self.engine.controller.retrieve(call)
        if not self.phones.hang_up(call, agent.id):
            raise NoCallError(f"agent {agent_id} is not in a conversation", call=call)
        self._settle()
        return call

    def hold(self, agent_id: str) -> CallId:
        agent = self._seat(agent_id)
        call = self._current(agent, ContactState.TALKING)
        self.engine.controller.hold(call)
        self._settle()
        return call

    def retrieve(self, agent_id: str) -> CallId:
        agent = self._seat(agent_id)
        call = self._current(agent, ContactState.HOLD)
        self.engine.controller.retrieve(call)
        self._settle()
        return call

    def transfer(self, agent_id: str, queue: str) -> CallId:
        """Blind transfer (盲转) of the caller to `queue`; the agent goes to wrap-up."""
        agent = self._seat(agent_id)
        call = self._current(agent, ContactState.TALKING, ContactState.HOLD)
        if queue not in self.acd.queues:
            raise HotlineError(f"no queue named {queue!r}", queue=queue)
        if self.engine.controller.on_hold(call):
            self.engine.controller.retrieve(call)
        self.engine.controller.transfer(call, QueueName(queue))
        self._settle()
        return call

    def consult(self, agent_id: str, queue: str) -> str:
        """Consult transfer, first step (咨询): the caller on hold, the best free agent of
        `queue` rung (the shift lead: ``shift_lead``); returns that agent's 工号."""
        agent = self._seat(agent_id)
        call = self._current(agent, ContactState.TALKING, ContactState.HOLD)
        target = self.engine.controller.consult(call, QueueName(queue))
        self._settle()
        return target

    def complete_transfer(self, agent_id: str) -> str:
        """Consult transfer, last step (完成转接): the caller goes to the consulted agent."""
        agent = self._seat(agent_id)
        call = self._current(agent, ContactState.HOLD, ContactState.TALKING)
        target = self.engine.controller.complete_consult(call)
        self._settle()
        return target

    def cancel_consult(self, agent_id: str) -> CallId:
        """End the consultation; the caller stays on hold (取回 takes it back)."""
        agent = self._seat(agent_id)
        call = self._current(agent, ContactState.HOLD, ContactState.TALKING)
        self.engine.controller.cancel_consult(call)
        self._settle()
        return call

    def wrap_up(
        self, agent_id: str, disposition: str, note: str = "", then: str = "ready"
    ) -> CallId:
        """Close the call in wrap-up with a disposition; the agent goes ready or not ready."""
        agent = self._seat(agent_id)
        desk = self._state.desk.get(agent.id)
        if desk is None or agent.state is not AgentState.WRAP_UP:
            raise NoCallError(f"agent {agent_id} is not in wrap-up", agent=agent_id)
        if disposition not in self.hotline.model.desk.dispositions:
            known = ", ".join(self.hotline.model.desk.dispositions)
            raise HotlineError(
                f"unknown disposition {disposition!r} (known: {known})", disposition=disposition
            )
        if then not in ("ready", "not_ready"):
            raise HotlineError(f"then must be ready or not_ready, not {then!r}", then=then)
        call = desk.call
        self.bus.publish(
            CallDisposition(self.clock.now(), call, agent.id, disposition, note[:2000])
        )
        if then == "ready":
            self.acd.set_ready(agent.id)
        else:
            self.acd.set_not_ready(agent.id, NotReadyReason.BUSY)
        self._settle()
        return call

    # ---- simulated callers --------------------------------------------------------------

    def call_in(self, caller: str | None = None, *, tier: str | None = None) -> CallId:
        """A simulated caller dials the hotline now (tests; a demo button). Raises
        `HotlineError` on real calls, which only phones place."""
        if self.sim is None:
            raise HotlineError("no simulated callers on real calls: dial the hotline's number")
        self._catch_up()
        info = None
        if tier is not None:
            info = CallerInfo(Tier(tier), ListMark.NONE, "A" + (caller or "0")[-8:])
        number = caller or f"139{next(self._seq) % 10**8:08d}"
        call = self.sim.population.dial(number, info)
        self._settle()
        return call


_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛"]


def _synthetic_customer(phone: str, info: _CallInfo) -> dict[str, Any]:
    """A simulated caller's customer record, the same for the same number."""
    digest = int(hashlib.blake2b(phone.encode(), digest_size=8).hexdigest(), 16)
    name = _SURNAMES[digest % len(_SURNAMES)] + _GIVEN[(digest >> 8) % len(_GIVEN)]
    region = ["朝阳区", "海淀区", "东城区", "西城区", "丰台区"][(digest >> 16) % 5]
    return {
        "name": name,
        "phone": phone,
        "id_number": f"110105{1960 + digest % 45}{(digest >> 4) % 12 + 1:02d}"
        f"{(digest >> 9) % 28 + 1:02d}{digest % 10000:04d}",
        "account": f"01{digest % 10**8:08d}",
        "address": f"北京市{region}{(digest >> 20) % 200 + 1}号",
        "tier": info.tier.value,
        "list_mark": info.list_mark.value,
    }


def _salutation(at: float, tz: datetime.tzinfo) -> str:
    hour = datetime.datetime.fromtimestamp(at, tz).hour
    if hour < 11:
        return "早上好"
    if hour < 13:
        return "中午好"
    if hour < 18:
        return "下午好"
    return "晚上好"
