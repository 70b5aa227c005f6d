"""Building a live hotline: the demo's simulated day, or real calls behind Kamailio.

The composition root of a running hotline: the site's configuration (`hotline.site`),
the database, the engine on its clock and switch, and the services
(`hotline.live.services`) come together here, and nowhere else.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hotline.core.clock import VirtualClock
from hotline.live.business import business_lookups
from hotline.live.demo_activity import an_outage, back_office, earlier_handovers
from hotline.live.driver import LiveDriver
from hotline.live.engine import SimulatedPhones, SipPhones
from hotline.live.lookup import EitherVerifies, FirstKnown
from hotline.live.mobiles import MobileSeats
from hotline.live.phones import provider as phone_credentials
from hotline.live.recovery import read_leftovers
from hotline.live.runtime import LiveHotline
from hotline.live.softphones import SoftphoneEdge, Softphones
from hotline.sim.run import Simulation, load_scenario
from hotline.sip.process import WorkdirLock
from hotline.site import Site
from hotline.store.db import Database, EventLog
from hotline.store.db.crm import CustomerAccounts, crm_directory
from hotline.store.db.orders import Orders

if TYPE_CHECKING:
    from hotline.sip.serve import ServeSettings

EXAMPLE_SCENARIO = Path(__file__).resolve().parents[3] / "examples/95598/scenarios/weekday.yaml"


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
    recordings: Path | None = None  # the conversations' WAV files (the back office writes them)
    backoffice: bool = False
    """Run the simulated back office (`hotline.sim.backoffice`, ``backoffice.yaml`` next to
    the hotline's file): simulated agents' orders, departments, 督办, 回访, recordings."""


def demo(settings: DemoSettings) -> LiveHotline:
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
    runtime = LiveHotline(
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
    if settings.backoffice:
        back_office(runtime, sim, settings.recordings)
        earlier_handovers(runtime, sim, start_at)
        an_outage(runtime, start_at)
    return runtime


def on_sip(site: Site, settings: ServeSettings, *, db_url: str) -> LiveHotline:
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
        softphones = Softphones(settings.realm)
        service = SipService(
            hotline,
            settings,
            clock=clock,
            catch_up=driver.catch_up,
            directory=crm,
            verifier=crm_verifier,
            credentials=phone_credentials(db, settings.realm),
            browser_credentials=softphones.active,
            lookups=business_lookups(
                hotline,
                accounts=CustomerAccounts(db),
                orders=Orders(db),
                outage_types=site.config.orders.handover_outage_types
                if site.config.orders is not None
                else (),
                catch_up=driver.catch_up,
            ),
        )
    except BaseException:
        db.close()
        raise
    engine = service.engine
    runtime = LiveHotline(
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
    if service.ws_url is not None:
        softphones.edge = SoftphoneEdge(
            ws_url=service.ws_url,
            domain=service.sip_domain,
            numbers=tuple(hotline.model.numbers),
            frame_origins=settings.webcall_origins,
        )
    runtime.softphones = softphones
    if settings.trunk is not None:  # a mobile is reached through the carrier's trunk
        runtime.mobiles = MobileSeats(db, dial_plan=settings.dial_plan, apply=service.set_mobile)
    return runtime
