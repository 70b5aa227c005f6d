"""The engine put together: one ACD, one IVR interpreter and one call controller on a switch.

This is the only place the engine is wired. The simulator (`hotline simulate`, and
`hotline demo`, which runs a `Simulation`) and real calls (`hotline serve`, through
`hotline.sip.serve.SipHotline`) both call `build_engine`; they differ only in what
they pass: the switch, the agents, who the callers are, the business lookups and
the outbound call ids. Everything else comes from the hotline's configuration.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from hotline.calls.config import Hotline
from hotline.calls.controller import CallController
from hotline.calls.ports import CustomerDirectory
from hotline.core.clock import Clock
from hotline.core.events import EventBus
from hotline.ivr.holidays import ChineseHolidayCalendar
from hotline.ivr.interpreter import IvrRunner
from hotline.ivr.ports import HolidayCalendar, IdentityVerifier, Lookup, SlowLookup
from hotline.routing.acd import ACD
from hotline.routing.model import AgentProfile
from hotline.routing.ports import CallControl
from hotline.telephony.port import Switch, SwitchListener


class AttachableSwitch(Switch, Protocol):
    """A switch that reports to one listener: `SimSwitch` or `SipSwitch`."""

    def attach(self, listener: SwitchListener) -> None: ...


@dataclass(frozen=True, slots=True)
class CallEngine:
    """The wired engine: the controller is the ACD's call control and the switch's listener."""

    acd: ACD
    ivr: IvrRunner
    controller: CallController


def build_acd(
    hotline: Hotline,
    *,
    clock: Clock,
    bus: EventBus,
    agents: Iterable[AgentProfile],
    control: CallControl | None = None,
) -> ACD:
    """An ACD of `hotline`'s queues, tiers and time zone for `agents`, publishing on `bus`.

    Without `control` it rings nobody until `ACD.attach` (as `build_engine` does); a
    restarted ACD (`ACD.restore`) is given the running controller."""
    return ACD(
        clock=clock,
        publish=bus.publish,
        queues=hotline.queues,
        agents=agents,
        control=control,
        tiers=hotline.tiers,
        timezone=hotline.timezone,
    )


def build_engine(
    hotline: Hotline,
    *,
    clock: Clock,
    bus: EventBus,
    switch: AttachableSwitch,
    agents: Iterable[AgentProfile],
    directory: CustomerDirectory,
    verifier: IdentityVerifier,
    lookups: Mapping[str, Lookup | SlowLookup],
    calendar: HolidayCalendar | None = None,
    outbound_prefix: str = "o",
) -> CallEngine:
    """Wire `hotline`'s engine on `switch`: ACD, IVR interpreter and call controller,
    publishing on `bus`, then attach the controller to the ACD and to the switch.

    `agents` are the ACD's roster; `directory` says who a caller is at arrival,
    `verifier` checks identities and `lookups` answer the flows' lookup nodes (one
    for each name they use). `calendar` gives the days off (default: the Chinese
    public holidays). Calls the controller places get ids `outbound_prefix` and a
    counter. Raises what `IvrRunner` raises for a flow it cannot compile.
    """
    acd = build_acd(hotline, clock=clock, bus=bus, agents=agents)
    ivr = IvrRunner(
        clock=clock,
        bus=bus,
        switch=switch,
        flows=hotline.flows,
        lookups=lookups,
        verifier=verifier,
        calendar=ChineseHolidayCalendar() if calendar is None else calendar,
        timezone=hotline.timezone,
    )
    settings = hotline.model.ivr
    controller = CallController(
        clock=clock,
        publish=bus.publish,
        switch=switch,
        acd=acd,
        ivr=ivr,
        directory=directory,
        entry_flows=hotline.model.numbers,
        default_flow=hotline.model.numbers[hotline.main_number],
        survey_flow=settings.survey,
        callback_offer=settings.callback_offer,
        voicemail=settings.voicemail,
        outbound_prefix=outbound_prefix,
        announcements=hotline.announcement_plan(),
    )
    acd.attach(controller)
    switch.attach(controller)
    return CallEngine(acd=acd, ivr=ivr, controller=controller)
