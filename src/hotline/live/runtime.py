"""The hotline running live: the engine on a wall-time clock, its events stored and streamed.

`LiveHotline` is the runtime the API and the console talk to. It holds one engine
(IVR, ACD, call controller and their switch: `hotline.live.engine.Engine`), drives
its clock with a `LiveDriver`, appends every event to the database's event log
through the batching writer (never blocking the engine), folds the wallboard, fans
the events out to live subscribers, and runs the background jobs
(`hotline.live.jobs`). What people do at their seats is `desks`
(`hotline.live.desk.Desks`); what the API calls besides the engine is `services`
(`hotline.live.services`). Every command runs on the engine's own thread (the
asyncio loop), stamped with the engine time of the moment it is made.

Build one with `hotline.live.build` (`LiveHotline.demo`: the example day with
simulated callers; `LiveHotline.on_sip`: real calls behind Kamailio). While a
person's seat rings, talks or wraps up, the demo's clock runs at real time (1×) so
the person can handle the call; otherwise at the demo's speed.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from hotline.calls.events import (
    CallIntercepted,
    CallMonitorEnded,
    CallMonitorFailed,
    CallMonitorStarted,
)
from hotline.calls.ports import CallerInfo
from hotline.core.clock import VirtualClock
from hotline.core.customer import ListMark, Tier
from hotline.core.errors import HotlineError
from hotline.core.events import Event
from hotline.core.ids import CallId
from hotline.crm.config import CrmConfig
from hotline.features import features, resolve
from hotline.live.board import Board
from hotline.live.callers import CallerRecords
from hotline.live.desk import Desks, NoCallError, NotASeatError
from hotline.live.driver import LiveDriver
from hotline.live.engine import Engine, SeatPhones
from hotline.live.feed import LiveFeed
from hotline.live.jobs import BoardRecount, Job, OrderScan, run_job
from hotline.live.mobiles import MobileSeats
from hotline.live.recordings import Recordings
from hotline.live.recovery import Leftovers, close_leftovers, read_callbacks
from hotline.live.services import build_services
from hotline.live.softphones import Softphones
from hotline.live.supervise import Supervisors
from hotline.live.views import AlertView, BoardView
from hotline.routing.acd import ACD
from hotline.sim.backoffice import BackOffice
from hotline.sim.run import Simulation
from hotline.sim.scenario import ScenarioModel
from hotline.sip.process import ProcessError, WorkdirLock
from hotline.site import Site
from hotline.store.db import Agents, CallLedger, Database, EventLog, Queues, Skills

if TYPE_CHECKING:
    from hotline.live.build import DemoSettings
    from hotline.sip.serve import ServeSettings

log = logging.getLogger(__name__)

__all__ = ["COUNTED", "LiveHotline", "NoCallError", "NotASeatError", "Service"]

COUNTED = "board.counted"
"""The live feed's record saying the wallboard's counts were recounted (not an event)."""


class WorkdirInUseError(HotlineError):
    error_id = "workdir-in-use"


SUPERVISION_CHANGES = (CallMonitorStarted, CallMonitorEnded, CallMonitorFailed, CallIntercepted)
"""The events after which a supervisor's phone may have joined or left a call."""


class Service(Protocol):
    """What runs beside the engine and starts and stops with it (Kamailio, the SIP endpoint)."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class LiveHotline:
    """One hotline, live. Build with `demo` or `on_sip`; `await start()` on the running loop."""

    sip_realm = "hotline"
    """The digest realm of the agents' phones (`ServeSettings.realm` on real calls)."""
    softphones: Softphones | None = None
    """The browser softphones' session credentials (real calls only)."""
    mobiles: MobileSeats | None = None
    """Agents rung on a mobile through the trunk (real calls with a trunk only)."""

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
        self.db = db
        self.log = EventLog(db)
        self.engine = engine
        self.sim = sim
        self.service = service
        self.phones = phones
        self.recordings = Recordings(recordings, lambda: self.acd.agents.keys())
        self._base_speed = speed
        self._start_at = start_at
        self.seats = tuple(self.hotline.agents)
        self.bus = engine.bus
        self.clock = clock
        self._driver = driver if driver is not None else LiveDriver(clock, speed)
        self._feeds: set[LiveFeed] = set()
        self._seq = itertools.count(1)
        # the engine's time as last run, without catching the clock up: services and jobs
        # read it from worker threads, and only the loop's thread runs the clock
        self.services = build_services(site, db, self.clock.now)
        self.orders = self.services.orders
        self.desks = Desks(
            engine=engine,
            clock=clock,
            phones=phones,
            hotline=self.hotline,
            callers=CallerRecords(site, db, simulated=sim is not None),
            catch_up=self._catch_up,
            speed=lambda: self.speed,
            on_busy=self._seat_busy,
            real_calls=sim is None,
        )
        self.human_seats = self.desks.human_seats
        self.supervisors = Supervisors(
            engine=engine, catch_up=self._catch_up, settle=self.desks.settle
        )
        self.board_fold = Board(self.hotline, lambda: self.acd)
        self.board_fold.attach(self.bus)
        self.bus.subscribe(self.desks.track)
        self.bus.subscribe(self._follow_supervision)
        self._writer = self.log.writer()
        self.bus.subscribe(self._writer.append)
        self.ledger = CallLedger(self._writer)  # folds the writer's batches into `calls`
        self.bus.subscribe(self._fan_out)
        self._counting = asyncio.Lock()
        self.order_scan: OrderScan | None = None
        self.backoffice: BackOffice | None = None  # the demo's simulated back office
        self.jobs: list[Job] = [
            BoardRecount(
                self.hotline.model.wallboard.refresh,
                lambda: self.board_fold.stale(self.now()),
                self.refresh_board,
            )
        ]
        if self.orders is not None:
            self.order_scan = OrderScan(self.orders, self.services.order_store, self.publish_stored)
            self.jobs.append(self.order_scan)
        for feature in features():  # each feature's own jobs (`hotline.features`)
            if feature.jobs is not None:
                self.jobs.extend(resolve(feature.jobs)(self))
        self._tasks: list[asyncio.Task[None]] = []
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
        """The example hotline's day, live, with simulated callers and agents
        (`hotline.live.build.demo`)."""
        from hotline.live.build import demo

        return demo(settings)

    @classmethod
    def on_sip(cls, site: Site, settings: ServeSettings, *, db_url: str) -> LiveHotline:
        """The hotline on real calls (`hotline.live.build.on_sip`)."""
        from hotline.live.build import on_sip

        return on_sip(site, settings, db_url=db_url)

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
        if self.mobiles is not None:  # 移动坐席 ring where they asked before the restart
            self.mobiles.restore(await asyncio.to_thread(self.mobiles.kept))
        pending, numbered = await asyncio.to_thread(read_callbacks, self.db)
        taken = self.acd.callbacks.restore(pending, numbered=numbered)
        if taken:
            log.info("%d callback task(s) of the previous run still pending", taken)
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
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(run_job(job), name=f"hotline-{job.name}") for job in self.jobs
        ]

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

    async def stop(self) -> None:
        """Stop the service (every real call is hung up and ends as ``lost``), the clock and
        the writer (what was published is committed), then close the database. A second
        `stop` does nothing."""
        if self._closed:
            return
        self._closed = True
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        if self.service is not None and self._running:
            await self.service.stop()
            self._catch_up()
            self.engine.controller.reconcile()  # the calls the stop cut, ended in the log
            self.desks.settle()
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
        if self.desks.busy or self.supervisors.active:
            speed = min(speed, 1.0)  # a person talks (or listens in): real time
        self._driver.set_speed(speed)

    def _catch_up(self) -> None:
        self._driver.catch_up()

    def flush(self, timeout: float = 5.0) -> None:
        """Wait until every event so far is committed to the database."""
        self._writer.flush(timeout)

    async def commit(self, timeout: float = 5.0) -> None:
        """Wait, without blocking the engine, until every event so far is committed:
        what a person is told is done is in the database (at most one batch interval)."""
        await asyncio.to_thread(self._writer.flush, timeout)

    # ---- the event bus -------------------------------------------------------------------

    def _seat_busy(self, busy: bool) -> None:
        """A person's seat took a call, or is free again: not from inside the clock's run,
        stop the run here (the rest of a fast batch must not pass at the old speed: the
        ring would time out at once), and change the speed at the loop's next turn; at
        1× or less nothing changes (stopping would only make engine time lag the wall)."""
        if self._driver.started and self._base_speed > 1.0:
            if busy:
                self.clock.stop()
            self._driver.loop.call_soon(self._apply_speed)

    def _follow_supervision(self, e: Event) -> None:
        """A supervisor's phone joined or left a call (班长席): the demo runs at 1× while
        one is on a call, as while a person's seat has one."""
        if isinstance(e, SUPERVISION_CHANGES):
            self._seat_busy(self.supervisors.active)

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

    def board(self) -> BoardView:
        """The wallboard now, with the clock's speed, the overdue orders and who is a person."""
        snapshot = self.board_fold.snapshot(self.now())
        overdue = self.order_scan.open_expedites if self.order_scan is not None else 0
        alerts = list(snapshot.alerts)
        if overdue:
            alerts.append(
                AlertView(
                    queue="",
                    kind="orders_overdue",
                    value=overdue,
                    threshold=0,
                    message={
                        "zh": f"{overdue} 张工单超过时限, 待值班长催办",
                        "en": f"{overdue} work orders past their deadline, "
                        "for the shift lead to chase",
                    },
                )
            )
        return dataclasses.replace(
            snapshot,
            speed=self.speed,
            base_speed=self._base_speed,
            orders_overdue=overdue,
            alerts=alerts,
            agents=[
                dataclasses.replace(
                    agent,
                    human=agent.id in self.human_seats,
                    supervision=self.supervisors.tile(agent.id),
                )
                for agent in snapshot.agents
            ],
        )

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
        self.desks.settle()
        return call
