"""The application services of a running hotline, built once by the composition root.

`build_services` is the one place where a site's configuration meets the
database: each service gets the configuration part and the store adapters it
needs, and the API and the console call services, never the store. A service
that follows configuration reloads asks `site.config` each time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from hotline.crm.service import CrmService
from hotline.features import features as all_features
from hotline.features import resolve
from hotline.kb.service import KnowledgeService
from hotline.live.phones import Phones
from hotline.orders.service import OrderDesk
from hotline.orders.verdicts import VerdictStore
from hotline.site import Site
from hotline.store.db import Audit, Calls, ConfigDocuments, Customers, Database, Users
from hotline.store.db.crm import CustomerAccounts
from hotline.store.db.kb import KnowledgeBase
from hotline.store.db.orders import Orders
from hotline.store.db.verdicts import OrderVerdicts
from hotline.users import AuditLog, UserStore

S = TypeVar("S")


@dataclass
class Services:
    """What the API and the console use besides the engine."""

    site: Site
    orders: OrderDesk | None
    """Work orders (None: the site has no ``orders.yaml``)."""
    order_store: Orders
    crm: CrmService
    """Customers: search, the customer page, lists, imports, tiers (``crm.yaml`` as it is
    now: an edited file is read again)."""
    kb: KnowledgeService
    """The knowledge base (知识库): search, read, and edit articles."""
    audit: AuditLog
    """The audit log: who read or changed what."""
    users: UserStore
    """Console users (登录账号); the edge hashes and checks passwords (`hotline.api.users`)."""
    calls: Calls
    """The call records (one row per call, for the desk's history and recordings)."""
    documents: ConfigDocuments
    """Configuration documents edited in the console, every version kept."""
    phones: Phones
    """The agents' SIP phones' credentials."""
    verdicts: VerdictStore
    """The QA inspectors' verdicts on order accuracy (质检改判), every one kept."""
    features: dict[str, object] = field(default_factory=dict)
    """Each feature's service by the feature's name (`hotline.features`), when it has one."""

    def feature(self, name: str, kind: type[S]) -> S | None:
        """The service of feature `name`, checked to be a `kind` (None: the feature has no
        service on this site, e.g. handover without work orders)."""
        service = self.features.get(name)
        if service is None:
            return None
        if not isinstance(service, kind):
            raise TypeError(f"the {name} feature's service is not a {kind.__name__}")
        return service


def build_services(site: Site, db: Database, now: Callable[[], float]) -> Services:
    """Every service of `site` on `db`; `now` is the engine's time as last run (services
    may read it from worker threads: it must not run the clock)."""
    order_store = Orders(db)
    config = site.config
    orders = None
    if config.orders is not None:
        orders = OrderDesk(config.orders, order_store, now)
    crm = CrmService(lambda: site.fresh().crm, CustomerAccounts(db), Customers(db), now)
    services = Services(
        site=site,
        orders=orders,
        order_store=order_store,
        crm=crm,
        kb=KnowledgeService(KnowledgeBase(db), now),
        audit=Audit(db),
        users=Users(db),
        calls=Calls(db),
        documents=ConfigDocuments(db),
        phones=Phones(db),
        verdicts=OrderVerdicts(db),
    )
    for feature in all_features():
        if feature.service is not None:
            service = resolve(feature.service)(site, db, orders)
            if service is not None:
                services.features[feature.name] = service
    return services
