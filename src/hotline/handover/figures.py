"""交接班's figures: what a shift did, from the event log, as the reports count it, and the
feature's service factory.

The calls' figures come from the figures engine (`hotline.store.analytics.measure_groups`
folded by `hotline.metrics.formulas.values`: the reports' SQL and formulas, with the
hotline's own service-level threshold, variant and short abandons, `Settings.of`), so a
sheet says what the reports say of the same hours. Apart from the store's tables because
the figures engine itself loads the feature tables (an import cycle otherwise).
"""

from __future__ import annotations

import datetime

import sqlalchemy as sa

from hotline.handover.service import HandoverDesk
from hotline.handover.sheet import ShiftFigures
from hotline.handover.store import Handovers
from hotline.metrics import Query
from hotline.metrics.formulas import values
from hotline.orders.service import OrderDesk
from hotline.reports.service import Settings
from hotline.site import Site
from hotline.store.analytics import measure_groups
from hotline.store.db.database import Database
from hotline.store.db.orders import Orders
from hotline.store.db.schema import EventRow

FIGURES = ("offered", "answered", "abandoned", "service_level")


class ShiftCounter:
    """A shift's figures over the log of `db` (SQLite or PostgreSQL)."""

    def __init__(self, db: Database, settings: Settings | None = None) -> None:
        """`settings`: the reports' thresholds the figures count with (the hotline's own,
        `Settings.of`; the reports' defaults when left out)."""
        self.db = db
        self.settings = settings or Settings()

    def figures(self, start: float, end: float) -> ShiftFigures:
        """The shift's figures over [start, end): the calls' from the figures engine (the
        reports' SQL and formulas, with the hotline's service-level threshold, variant and
        short abandons), orders taken from ``order.created``, orders overdue as the
        orders with an ``order.overdue`` in the period (each once)."""
        tz = self.settings.timezone
        begin = datetime.datetime.fromtimestamp(start, tz)
        finish = datetime.datetime.fromtimestamp(max(end, start + 1e-3), tz)
        query = Query(
            start=begin,
            end=finish,
            by="total",
            figures=FIGURES,
            sl_threshold=self.settings.sl_threshold,
            sl_variant=self.settings.sl_variant,
            short_abandon=self.settings.short_abandon,
        )
        found = measure_groups(self.db, [query])[0].get("total", {})
        zero = dict.fromkeys(
            ("q_offered", "q_answered", "q_abandoned", "q_abandoned_short", "q_in_sl"), 0.0
        )
        measures = zero | {"q_callback": 0.0, "orders_created": 0.0} | found
        figure = values(measures, query)
        events_t: sa.Table = EventRow.__table__  # type: ignore[assignment]
        with self.db.engine.connect() as c:
            overdue = {
                int(data["order"])
                for (data,) in c.execute(
                    sa.select(events_t.c.data)
                    .where(events_t.c.kind == "order.overdue")
                    .where(events_t.c.at >= start, events_t.c.at < end)
                )
            }
        return ShiftFigures(
            start=start,
            end=end,
            offered=int(figure["offered"] or 0),
            answered=int(figure["answered"] or 0),
            service_level=figure["service_level"],
            abandoned=int(figure["abandoned"] or 0),
            orders_taken=int(measures["orders_created"]),
            orders_overdue=len(overdue),
        )


def build_service(site: Site, db: Database, orders: OrderDesk | None) -> HandoverDesk | None:
    """The handover desk on `db` (the feature's service factory; none without work
    orders: the sheet lists orders)."""
    if orders is None:
        return None
    store = Orders(db)
    config = orders.config
    return HandoverDesk(
        Handovers(db),
        store,
        lambda now: OrderDesk(config, store, lambda: now),
        ShiftCounter(db, Settings.of(site.hotline)),
    )


__all__ = ["ShiftCounter", "build_service"]
