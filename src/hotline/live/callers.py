"""What the desk knows about a caller: the customer record, past contacts, open orders.

Read from the store once per call (the desk view is rebuilt twice a second per seat,
on the engine's thread). The demo's simulated callers get a made-up customer record on
their first call; on real calls an unknown caller has none.
"""

from __future__ import annotations

import dataclasses

from hotline.core.ids import CallId
from hotline.crm.hints import hint_fields, hints_for
from hotline.live.views import CustomerCard, CustomerHint, OpenOrder, PastContact
from hotline.orders.model import OPEN_STATES, OrderFilter
from hotline.sim.customers import synthetic_customer
from hotline.site import Site
from hotline.store.db import Calls, Customers, Database
from hotline.store.db.crm import CustomerAccounts
from hotline.store.db.orders import Orders

HISTORY = 10
"""Past contacts shown at the desk."""

OPEN_ORDERS = 10
"""Open orders shown at the desk."""


class CallerRecords:
    """The desk's reads about a caller, from the store and the site's configuration."""

    def __init__(self, site: Site, db: Database, *, simulated: bool) -> None:
        """`simulated`: callers are the demo's, and an unknown one gets a made-up record."""
        self._site = site
        self._customers = Customers(db)
        self._accounts = CustomerAccounts(db)
        self._calls = Calls(db)
        self._orders = Orders(db)
        self._simulated = simulated

    def customer(self, phone: str, arrived_as: tuple[str, str] | None) -> CustomerCard | None:
        """The customer calling from `phone`; `arrived_as` (the tier and list mark the
        call arrived with, when known) makes up a simulated caller's record."""
        if not phone:
            return None
        record = self._customers.by_phone(phone)
        if record is None and self._simulated and arrived_as is not None:
            record = self._customers.upsert(**synthetic_customer(phone, *arrived_as))
        if record is None:
            return None
        card = CustomerCard(**dataclasses.asdict(record))
        profile = self._accounts.get(record.id)
        if profile is None:
            return card
        hints = hints_for(self._site.config.crm.hints, hint_fields(profile))
        return dataclasses.replace(
            card,
            lifecycle=profile.lifecycle.value,
            score=round(profile.score, 1),
            customer_type=profile.facts.customer_type.value,
            hints=[CustomerHint(h.rule, h.message, h.level.value) for h in hints],
        )

    def history(self, phone: str, current: CallId) -> list[PastContact]:
        """The caller's earlier calls, newest first, without the current one."""
        if not phone:
            return []
        return [
            PastContact(
                call=c.call,
                at=c.arrived_at,
                queue=c.queue,
                agent=c.agent,
                outcome=c.outcome,
                disposition=c.disposition,
                note=c.note,
            )
            for c in self._calls.list(caller=phone, limit=HISTORY + 1)
            if c.call != current
        ][:HISTORY]

    def open_orders(self, phone: str) -> list[OpenOrder]:
        """The caller's open work orders (未结工单), newest first; none without orders.yaml."""
        orders = self._site.config.orders
        if not phone or orders is None:
            return []
        found = self._orders.list(
            OrderFilter(caller=phone, states=sorted(OPEN_STATES), limit=OPEN_ORDERS)
        )
        types = orders.types
        return [
            OpenOrder(
                id=o.id,
                type=o.type,
                title=types[o.type].label if o.type in types else o.type,
                state=o.state.value,
                created_at=o.created_at,
            )
            for o in found
        ]
