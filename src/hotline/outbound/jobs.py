"""The outbound feature in a running hotline: the dialer on the engine, and the job that
feeds the standing campaigns from the hotline's own lists.

`build_jobs` (the feature's job factory, called once the runtime's engine exists) builds
the `Dialer` on the engine's clock, bus, controller and ACD — in `hotline demo` on the
simulated switch, in `hotline serve` on SIP — reads the stored campaigns back with what
the log says happened to them, and resumes the running ones. Every `FEED_EVERY` wall
seconds `OutboundFeed` puts on the standing campaigns:

- ``callbacks``: the pending callback tasks (中端客户 who abandoned, accepted callbacks,
  voicemails) — a task whose customer is reached is closed as ``done``;
- ``return_visits``: the return visits due now (their window was chosen when planned);
- ``bill_notice`` / ``arrears_reminder``: the open notice orders; every call is the
  order's contact attempt, so the third failure hands the order back (转纸质通知 / 升级处理);
- ``outage_notice``: the CRM's customers whose address lies in an open outage order's
  停电区域 (the IVR's rule, `hotline.live.business`), important ones (`important`) first;
  these calls are not the order's contact attempts.

A source with ``sms: first`` texts each new entry its template before the first call;
``sms: after`` texts an entry whose last call failed. The simulated gateway (the demo's)
reports delivery on the engine's clock; an HTTP gateway is called from a worker thread.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import os
import random
from collections.abc import Sequence
from typing import Any

from hotline.core.customer import ListMark, Tier
from hotline.core.errors import HotlineError
from hotline.core.events import Event
from hotline.core.ids import CallbackId
from hotline.crm.model import CustomerType, Profile
from hotline.live.business import area_names, open_outages
from hotline.orders.model import OPEN_STATES, OrderFilter
from hotline.outbound.campaign import CampaignSpec, Entry, Result
from hotline.outbound.config import OutboundConfig
from hotline.outbound.dialer import Dialer
from hotline.outbound.events import AttemptEnded, CampaignChanged, EntryClosed, EntryDialed
from hotline.outbound.service import OutboundDesk
from hotline.outbound.sms import OptOuts, SimulatedGateway, SmsError, SmsGateway, SmsSender
from hotline.outbound.sms_http import HttpGateway
from hotline.outbound.store import OptOutStore, fold

log = logging.getLogger(__name__)

FEED_EVERY = 15.0
"""Wall seconds between two feeds of the standing campaigns."""
KINDS = [AttemptEnded.kind, CampaignChanged.kind, EntryClosed.kind, EntryDialed.kind]
NOTICES = ("bill_notice", "arrears_reminder")


class OutboundFeed:
    """Feeds the standing campaigns and records the notice orders' contact attempts."""

    name = "outbound-feed"
    every = FEED_EVERY

    def __init__(
        self, runtime: Any, desk: OutboundDesk, dialer: Dialer, sms: SmsSender | None = None
    ) -> None:
        self.runtime = runtime
        self.desk = desk
        self.dialer = dialer
        self.sms = sms
        self.texts: list[tuple[str, str, dict[str, str], str, str]] = []
        """SMS to send: (number, template, variables, campaign, entry)."""
        self.published: collections.deque[Event] = collections.deque()
        """The SMS events, published on the engine's thread at the next round."""
        self.attempts: list[tuple[CampaignSpec, Entry, Result]] = []
        self._started: set[str] = set()
        self._one_at_a_time = asyncio.Lock()

    def on_attempt(self, spec: CampaignSpec, entry: Entry, result: Result) -> None:
        """On the engine's thread: a call of a campaign ended."""
        if entry.source.startswith("callback:") and result.reached:
            task = CallbackId(entry.source.removeprefix("callback:"))
            found = self.runtime.acd.callbacks.get(task)
            if found is not None and found.pending:
                self.runtime.acd.callbacks.close(task, "done", now=self.runtime.now(), by="外呼")
        elif entry.source.startswith("order:"):
            self.attempts.append((spec, entry, result))
        source = self.desk.config().source(spec.kind)
        last = not result.reached and entry.tries >= spec.max_tries
        if last and source is not None and source.sms == "after" and source.template:
            self._text(source.template, spec, entry)

    def _text(self, template: str, spec: CampaignSpec, entry: Entry) -> None:
        self.texts.append((entry.number, template, dict(entry.variables), spec.id, entry.id))

    # ---- on the engine's thread ----------------------------------------------------------

    def _callbacks(self) -> list[Entry]:
        return [
            Entry(
                str(task.id),
                task.caller,
                source=f"callback:{task.id}",
                due=task.created_at,
            )
            for task in self.runtime.acd.callbacks.pending()
        ]

    def _start(self, spec: CampaignSpec, entries: Sequence[Entry]) -> None:
        if not self.dialer.has(spec.id):
            self.dialer.add(spec)
        source = self.desk.config().source(spec.kind)
        if source is not None and source.sms == "first" and source.template:
            for entry in entries:
                if not self.dialer.knows(spec.id, entry.id):
                    self._text(source.template, spec, entry)
        self.dialer.extend(spec.id, entries)
        current = {entry.id for entry in entries}
        for kept in self.dialer.entries(spec.id):  # settled elsewhere since it was listed
            if kept.id not in current:
                self.dialer.withdraw(spec.id, kept.id, reason="resolved")
        if spec.id not in self._started and self.dialer.state(spec.id) == "new":
            self.dialer.start(spec.id, by="outbound.yaml")
        self._started.add(spec.id)

    # ---- in a worker thread ---------------------------------------------------------------

    def _gather(
        self, now: float, callbacks: list[Entry]
    ) -> tuple[list[tuple[CampaignSpec, list[Entry]]], list[Event]]:
        desk = self.desk
        events: list[Event] = []
        fed: list[tuple[CampaignSpec, list[Entry]]] = []
        for spec in filter(None, [desk.standing("callbacks", at=now)]):
            fed.append((spec, callbacks))
        orders = self.runtime.services.orders
        if orders is not None:
            visits = desk.standing("return_visits", at=now)
            if visits is not None:
                fed.append((visits, self._visits(orders, now)))
            for kind in NOTICES:
                notice = desk.standing(kind, at=now)
                if notice is not None:
                    fed.append((notice, self._notices(orders, kind)))
            outage = desk.standing("outage_notice", at=now)
            if outage is not None:
                fed.append((outage, self._outages(orders)))
            events = self._record_attempts(orders)
        for spec, entries in fed:
            desk.add_entries(spec.id, entries)
        return fed, events

    def _visits(self, orders: Any, now: float) -> list[Entry]:
        entries = []
        for visit in orders.store.due_visits(until=now):
            order = orders.get(visit.order)
            phone = str(order.fields.get("phone") or order.caller or "")
            if not phone:
                continue
            entries.append(
                Entry(
                    f"v{visit.id}",
                    phone,
                    str(order.fields.get("customer_name") or ""),
                    "business" if visit.window.value == "business" else "resident",
                    source=f"visit:{visit.id}",
                    variables={"order": str(order.id)},
                    due=visit.scheduled_at,
                )
            )
        return entries

    def _notices(self, orders: Any, kind: str) -> list[Entry]:
        entries = []
        where = OrderFilter(states=sorted(OPEN_STATES), type=kind, limit=100_000)
        for order in orders.store.list(where):  # only this type's, chosen by the store
            phone = str(order.fields.get("phone") or order.caller or "")
            account = str(order.fields.get("account") or "")
            if not phone and account:  # a notice names the account: the CRM knows its phone
                found = self.runtime.services.crm.lookup(account=account)
                phone = found[0].phone if found else ""
            if not phone:
                continue
            variables = {k: str(v) for k, v in order.fields.items() if v is not None}
            entries.append(
                Entry(f"o{order.id}", phone, source=f"order:{order.id}", variables=variables)
            )
        return entries

    def _outages(self, orders: Any) -> list[Entry]:
        """停电告知: for each open outage order (orders.yaml's outage types, newest first),
        the CRM's customers whose address contains one of the names its 停电区域 lists,
        one entry per phone in the CRM's order (the dialer calls the `important` ones
        first), the order's fields (and the customer's account) as the notice's variables.
        The database finds the area's customers (`by_address`), not a loop over all."""
        settings = self.desk.site.config.orders
        types = settings.handover_outage_types if settings is not None else frozenset()
        accounts = self.runtime.services.crm.accounts
        entries: list[Entry] = []
        for order in open_outages(orders.store, sorted(types)):
            found: dict[int, Profile] = {}
            for name in area_names(str(order.fields.get("area") or "")):
                for profile in accounts.by_address(name):
                    found.setdefault(profile.customer_id, profile)
            fields = {k: str(v) for k, v in order.fields.items() if v is not None}
            # two accounts on one phone get one call: the important account's, if either is
            by_phone: dict[str, Profile] = {}
            for profile in sorted(found.values(), key=lambda p: (not important(p), p.customer_id)):
                if profile.phone:
                    by_phone.setdefault(profile.phone, profile)
            for profile in sorted(by_phone.values(), key=lambda p: p.customer_id):
                business = profile.facts.customer_type is CustomerType.BUSINESS
                entries.append(
                    Entry(
                        f"o{order.id}-{profile.account}",
                        profile.phone,
                        profile.name,
                        "business" if business else "resident",
                        important(profile),
                        source=f"outage:{order.id}",
                        variables=fields | {"account": profile.account, "order": str(order.id)},
                    )
                )
        return entries

    def _record_attempts(self, orders: Any) -> list[Event]:
        """Each finished call to a notice order is the order's contact attempt."""
        done, self.attempts = self.attempts, []
        events: list[Event] = []
        for spec, entry, result in done:
            order_id = int(entry.source.removeprefix("order:"))
            channel = "auto_call" if spec.prompt is not None else "outbound"
            try:
                outcome = orders.attempt(
                    order_id, reached=result.reached, channel=channel, by="外呼"
                )
            except HotlineError as e:  # closed meanwhile, or not delivered by this channel
                log.warning("order %s: contact attempt not recorded: %s", order_id, e)
                continue
            events += outcome.events
        return events

    async def run_once(self) -> None:
        async with self._one_at_a_time:
            await self._feed()

    async def _feed(self) -> None:
        now = self.runtime.now()  # on the engine's thread (this loop)
        callbacks = self._callbacks()
        fed, events = await asyncio.to_thread(self._gather, now, callbacks)
        self.runtime.publish_stored(events)
        self.runtime.now()
        for spec, entries in fed:
            self._start(spec, entries)
        await self._send_texts()
        while self.published:
            self.runtime.bus.publish(self.published.popleft())

    async def _send_texts(self) -> None:
        texts, self.texts = self.texts, []
        if self.sms is None or not texts:
            return
        sender = self.sms

        def send_all() -> None:
            for number, template, variables, campaign, entry in texts:
                try:
                    sender.send(number, template, variables, campaign=campaign, entry=entry)
                except SmsError as e:  # a refused message or a missing variable: said, not retried
                    log.warning(
                        "SMS %s to entry %s of %s not sent: %s", template, entry, campaign, e
                    )

        if isinstance(sender.gateway, SimulatedGateway):
            send_all()  # on the engine's clock: here, on its thread
        else:
            await asyncio.to_thread(send_all)


def important(profile: Profile) -> bool:
    """An important customer (重要客户), called first with an outage notice: one of the CRM's
    高端 (VIP) tier or on its 红名单 (重点保供电 users, hospitals, deputies …)."""
    return profile.tier is Tier.HIGH or profile.list_status.mark is ListMark.RED


def sms_sender(runtime: Any, config: OutboundConfig, publish: Any) -> SmsSender | None:
    """The SMS sender of ``outbound.yaml``'s ``sms`` (none without one): the simulated
    gateway (reports on the engine's clock) or the HTTP one (its token from the
    environment variable `token_env`). Its opt-outs are read back from the database and
    each new one (or one taken off) is kept there before the sender honours it."""
    sms = config.model.sms
    if sms is None:
        return None
    senders: list[SmsSender] = []

    def report(message: str, delivered: bool, reason: str) -> None:
        senders[0].report(message, delivered, reason)

    gateway: SmsGateway
    if sms.gateway == "simulated":
        gateway = SimulatedGateway(runtime.clock, report, random.Random(7))
    else:
        token = os.environ.get(sms.gateway.token_env) if sms.gateway.token_env else None
        gateway = HttpGateway(sms.gateway.url, timeout=sms.gateway.timeout, token=token)
    kept = OptOutStore(runtime.db)
    opt_outs = OptOuts(kept=kept.load(), on_add=kept.add, on_remove=kept.remove)
    sender = SmsSender(gateway, config.templates, opt_outs, publish, runtime.clock)
    senders.append(sender)
    return sender


def build_jobs(runtime: Any) -> list[OutboundFeed]:
    """The feature's jobs (`hotline.features.Feature.jobs`): the dialer on the engine and
    the feed; none on a site without ``outbound.yaml``."""
    desk = runtime.services.feature("outbound", OutboundDesk)
    if desk is None or not desk.file.is_file():
        return []
    config = desk.config()
    engine = runtime.engine
    feed: OutboundFeed | None = None

    def on_attempt(spec: CampaignSpec, entry: Entry, result: Result) -> None:
        if feed is not None:
            feed.on_attempt(spec, entry, result)

    dialer = Dialer(
        clock=runtime.clock,
        bus=runtime.bus,
        controller=engine.controller,
        acd=engine.acd,
        calendar=config.calendar,
        may_call=config.may_call(engine.controller.directory),  # do-not-call, 黑名单
        on_attempt=on_attempt,
        # the demo's simulated agents leave at their shifts' end; live agents log out
        # themselves, unannounced
        leaves=runtime.sim.population.leaves if runtime.sim is not None else None,
    )
    feed = OutboundFeed(runtime, desk, dialer)
    feed.sms = sms_sender(runtime, config, feed.published.append)
    desk.dialer = dialer
    stored = desk.stored()
    states = fold(stored, (s.event for s in runtime.log.read(kinds=KINDS, limit=10_000_000)))
    for campaign in stored:
        state = states.get(campaign.spec.id, "new")
        dialer.add(campaign.spec, campaign.entries, state=state)
    return [feed]
