"""Order accuracy (受理工单正确率) from the database: each accepted order's key fields
checked against its call (the calls ledger) and the customer's CRM record, as
`hotline.orders.accuracy` defines it. The order-accuracy page lists them; the reports
count them into the order-accuracy figure (`ExternalData.order_checks`)."""

from __future__ import annotations

from collections.abc import Iterable

from hotline.metrics.external import OrderCheck as CheckedOrder
from hotline.orders.accuracy import CallFacts, OrderCheck, check_order
from hotline.orders.model import OrderFilter
from hotline.store.db import Calls, Customers, Database
from hotline.store.db.crm import CustomerAccounts
from hotline.store.db.orders import Orders

LIMIT = 100_000
"""Orders checked at most in one period."""


def order_checks(
    db: Database,
    types: Iterable[str],
    start: float | None = None,
    end: float | None = None,
    *,
    limit: int = LIMIT,
) -> list[tuple[float, OrderCheck]]:
    """Each order accepted in [start, end) (both optional) with when it was accepted and
    its check."""
    calls, customers, accounts = Calls(db), Customers(db), CustomerAccounts(db)
    found = Orders(db).list(OrderFilter(created_from=start, created_to=end, limit=limit))
    checks = []
    for order in found:
        record = calls.get(order.call) if order.call else None
        call = None
        if record is not None and record.arrived_at is not None:
            call = CallFacts(record.caller or "", record.arrived_at, record.ended_at)
        customer = customers.by_phone(order.caller) if order.caller else None
        profile = accounts.get(customer.id) if customer is not None else None
        if profile is None or profile.updated_at is None:
            customer = None  # no CRM account (e.g. a simulated caller's made-up record)
        check = check_order(
            order.id,
            order.type,
            types,
            order.fields,
            caller=order.caller,
            accepted_at=order.created_at,
            call=call,
            crm_name=customer.name if customer is not None else None,
        )
        checks.append((order.created_at, check))
    return checks


def checked_orders(checks: list[tuple[float, OrderCheck]]) -> tuple[CheckedOrder, ...]:
    """The checks as the figures count them: when accepted, and whether correct."""
    return tuple(CheckedOrder(at, check.correct) for at, check in checks)
