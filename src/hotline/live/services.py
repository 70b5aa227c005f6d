"""The application services of a running hotline, built once by the composition root.

`build_services` is the one place where a site's configuration meets the
database: each service gets the configuration part and the store adapters it
needs, and the API and the console call services, never the store. A service
that follows configuration reloads asks `site.config` each time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hotline.orders.service import OrderDesk
from hotline.site import Site
from hotline.store.db import Database
from hotline.store.db.orders import Orders


@dataclass
class Services:
    """What the API and the console use besides the engine."""

    site: Site
    db: Database
    """The database itself, for what has no service yet (on its way out of the API)."""
    orders: OrderDesk | None
    """Work orders (None: the site has no ``orders.yaml``)."""
    order_store: Orders


def build_services(site: Site, db: Database, now: Callable[[], float]) -> Services:
    """Every service of `site` on `db`; `now` is the engine's time as last run (services
    may read it from worker threads: it must not run the clock)."""
    order_store = Orders(db)
    config = site.config
    orders = None
    if config.orders is not None:
        orders = OrderDesk(config.orders, order_store, now)
    return Services(site=site, db=db, orders=orders, order_store=order_store)
