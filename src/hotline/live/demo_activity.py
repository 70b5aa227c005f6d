"""`hotline demo` as a living center: the back office and the earlier shifts' handovers.

Wired by `hotline.live.build.demo` when `DemoSettings.backoffice` is on. The simulated
back office (`hotline.sim.backoffice`) works on the runtime's order service from the
day's midnight on, so the night before the start time already left orders, answers,
visits and 催办 behind; the earlier shifts of the roster that ended by the start time
get their handover sheets (交班, then 接班 by the next shift's lead) through the
handover feature's service, on the engine's clock. Nothing here writes a table itself.
"""

from __future__ import annotations

import asyncio
import collections
import datetime
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from hotline.core.config import ConfigError, ConfigProblem
from hotline.core.errors import HotlineError
from hotline.handover.service import HandoverDesk
from hotline.handover.shifts import ShiftWindow, roster_plan
from hotline.live.business import open_outages
from hotline.sim.backoffice import BackOffice, Work, load_backoffice
from hotline.sim.run import Simulation

if TYPE_CHECKING:
    from hotline.live.runtime import LiveHotline

log = logging.getLogger(__name__)

BACKOFFICE = "backoffice.yaml"
"""The back office's file, next to the hotline's (like ``customers.csv``)."""
BACKOFFICE_EVERY = 0.2
"""Wall seconds between two rounds of the back office's queued order commands."""
TAKE_OVER_AFTER = 30.0
"""Engine seconds after a sheet is handed over that the next shift's lead takes over."""


@runtime_checkable
class NeedsRecordings(Protocol):
    """A feature's service that keeps some calls' recordings from being pruned (quality
    inspection: the calls sampled or scored)."""

    def needs_recording(self, call: str) -> bool: ...


def back_office(runtime: LiveHotline, sim: Simulation, recordings: Path | None) -> BackOffice:
    """The simulated back office on the runtime's order service, told of every
    conversation a simulated agent ends (the night before the start time included);
    raises `ConfigError` for a missing or wrong ``backoffice.yaml``."""
    desk = runtime.services.orders
    file = runtime.hotline.path.parent / BACKOFFICE
    if desk is None or not file.is_file():
        message = "the demo's back office needs this file, and orders.yaml beside it"
        raise ConfigError([ConfigProblem(str(file), None, None, "", message)])
    model = load_backoffice(
        file,
        intents=[i.name for i in sim.scenario.intents],
        orders=desk.config,
        dispositions=runtime.hotline.model.desk.dispositions,
    )
    office = BackOffice(
        model,
        clock=sim.clock,
        desk=desk,
        publish=runtime.publish_stored,
        bus=sim.bus,
        seed=sim.scenario.seed,
        timezone=runtime.hotline.timezone,
        recordings=recordings,
    )
    sim.population.on_served = office.served
    inspection = runtime.services.features.get("qa")
    if isinstance(inspection, NeedsRecordings):
        office.retain = inspection.needs_recording
    office.start()
    runtime.backoffice = office
    runtime.jobs.append(BackOfficeWork(office))
    return office


class BackOfficeWork:
    """While the demo runs live, the back office's order commands run here, off the
    engine's thread (the night before the start time ran them at once, in `start`)."""

    name = "demo-back-office"
    every = BACKOFFICE_EVERY

    def __init__(self, office: BackOffice) -> None:
        self._office = office

    async def run_once(self) -> None:
        office = self._office
        office.deferred = True  # from the first round on: the clock follows the wall now
        work = office.take_work()
        if not work:
            return
        await asyncio.to_thread(_run_all, office, work)
        office.finish(work)


def _run_all(office: BackOffice, work: Sequence[Work]) -> None:
    for piece in work:
        piece.run(office.desk_at(piece.at))


def earlier_handovers(runtime: LiveHotline, sim: Simulation, start_at: float) -> None:
    """Plan a handover sheet for each roster shift that ends after the day's midnight and
    by `start_at`, at its end, taken over by the next lead a little later."""
    desk = runtime.services.feature("handover", HandoverDesk)
    if desk is None:
        return
    tz = runtime.hotline.timezone
    plan = roster_plan(sim.scenario, tz)
    midnight = sim.start
    today = datetime.datetime.fromtimestamp(midnight, tz).date()
    windows = [
        plan.window(shift.name, today + datetime.timedelta(days=d))
        for d in (-1, 0)
        for shift in plan.shifts
    ]
    ended = sorted(
        (w for w in windows if midnight < w.end <= start_at), key=lambda w: (w.end, w.name)
    )
    for window in ended:
        sim.clock.call_at(window.end, _hand_over, runtime, desk, window)


def _hand_over(runtime: LiveHotline, desk: HandoverDesk, window: ShiftWindow) -> None:
    now = runtime.clock.now()
    plan = roster_plan(runtime.scenario, runtime.hotline.timezone)
    try:
        saved = desk.hand_over(
            now,
            plan=plan,
            outgoing=f"{window.label}值班长",
            notes=f"{window.label}{window.hours}: 系统运行正常, 未结工单已列入交接",
            no_exceptions=True,
            shift=window,
        )
    except HotlineError as e:  # the database already has this shift's sheet (a restart)
        log.info("no handover sheet for the %s shift: %s", window.label, e)
        return
    runtime.publish_stored(saved.events)
    runtime.clock.call_later(TAKE_OVER_AFTER, _take_over, runtime, desk, saved.record.id)


def _take_over(runtime: LiveHotline, desk: HandoverDesk, sheet: int) -> None:
    try:
        saved = desk.acknowledge(
            sheet, by="接班值班长", at=runtime.clock.now(), remark="已接班, 情况清楚"
        )
    except HotlineError as e:
        log.info("handover sheet %d not taken over: %s", sheet, e)
        return
    runtime.publish_stored(saved.events)


OUTAGE_AFTER = 60.0
"""Engine seconds after the start that the demo's dispatch (调度) reports an outage."""
_DISTRICT = re.compile(r"^.+?[市省].*?[区县]")


def an_outage(runtime: LiveHotline, start_at: float) -> None:
    """The demo's 停电告知: a minute into the run, dispatch reports a fault outage over the
    district where the CRM has the most customers, so the standing 停电告知 campaign of
    ``outbound.yaml`` has a list (important customers first) from the first minutes.
    Nothing when an outage notice is open already (a restart) or the site has no such
    order type."""
    orders = runtime.services.orders
    if orders is None:
        return
    types = orders.config.handover_outage_types
    kind = "outage_notice" if "outage_notice" in types else next(iter(sorted(types)), None)
    if kind is None or kind not in orders.config.types:
        return
    runtime.clock.call_at(start_at + OUTAGE_AFTER, _report_outage, runtime, kind)


def _report_outage(runtime: LiveHotline, kind: str) -> None:
    orders = runtime.services.orders
    assert orders is not None
    if open_outages(orders.store, [kind]):
        return
    districts = collections.Counter(
        found.group(0)
        for profile in runtime.services.crm.find(limit=10_000)
        if (found := _DISTRICT.match(profile.address or ""))
    )
    if not districts:
        return
    area = districts.most_common(1)[0][0]
    tz = runtime.hotline.timezone
    restore = datetime.datetime.fromtimestamp(runtime.clock.now() + 4 * 3600, tz)
    fields = {
        "area": area,
        "cause": "10kV线路故障抢修",
        "outage_kind": "fault",
        "restore_at": f"{restore:%H:%M}",
    }
    try:
        outcome = orders.create(kind, fields, by="调度（模拟）")
    except HotlineError as e:  # orders.yaml's type wants other fields
        log.info("no demo outage notice: %s", e)
        return
    runtime.publish_stored(outcome.events)
