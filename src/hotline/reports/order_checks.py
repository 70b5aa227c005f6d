"""Order accuracy (受理工单正确率) from the database: each accepted order's key fields
checked against its call (the calls ledger) and the customer's CRM record, as
`hotline.orders.accuracy` defines it — each type's own content field — with the QA
inspector's latest verdicts (`hotline.store.db.verdicts`) in place of the automatic ones.
The order-accuracy page lists them; the reports count them into the order-accuracy
figure (`ExternalData.order_checks`)."""

from __future__ import annotations

from collections.abc import Mapping

from hotline.metrics.external import OrderCheck as CheckedOrder
from hotline.orders.accuracy import NAME_FIELD, CallFacts, OrderCheck, check_order
from hotline.orders.config import OrderType
from hotline.orders.model import Order, OrderFilter
from hotline.store.db import Calls, Customers, Database
from hotline.store.db.crm import CustomerAccounts
from hotline.store.db.orders import Orders
from hotline.store.db.verdicts import OrderVerdicts

LIMIT = 100_000
"""Orders checked at most in one period."""


def order_checks(
    db: Database,
    types: Mapping[str, OrderType],
    start: float | None = None,
    end: float | None = None,
    *,
    limit: int = LIMIT,
) -> list[tuple[float, OrderCheck]]:
    """Each order accepted in [start, end) (both optional) with when it was accepted and
    its check."""
    found = Orders(db).list(OrderFilter(created_from=start, created_to=end, limit=limit))
    return [(order.created_at, check) for order, check in _checks(db, types, found)]


def order_check(db: Database, types: Mapping[str, OrderType], order_id: int) -> OrderCheck | None:
    """The check of one order (None: no such order)."""
    order = Orders(db).get(order_id)
    if order is None:
        return None
    return _checks(db, types, [order])[0][1]


def _read_fields(kind: OrderType | None) -> tuple[str | None, str | None]:
    """The fields the content and name checks read on an order of type `kind`: its content
    field and ``customer_name``, None where the type has none. A type gone from the
    configuration keeps the defaults (and fails its category)."""
    if kind is None:
        return "content", NAME_FIELD
    content = kind.content
    name = kind.field(NAME_FIELD)
    return (content.name if content is not None else None), (NAME_FIELD if name else None)


def _checks(
    db: Database, types: Mapping[str, OrderType], found: list[Order]
) -> list[tuple[Order, OrderCheck]]:
    calls, customers, accounts = Calls(db), Customers(db), CustomerAccounts(db)
    verdicts = OrderVerdicts(db).latest(order.id for order in found)
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
        content_field, name_field = _read_fields(types.get(order.type))
        check = check_order(
            order.id,
            order.type,
            types,
            order.fields,
            caller=order.caller,
            accepted_at=order.created_at,
            call=call,
            crm_name=customer.name if customer is not None else None,
            content_field=content_field,
            name_field=name_field,
            verdicts=verdicts.get(order.id),
        )
        checks.append((order, check))
    return checks


def checked_orders(checks: list[tuple[float, OrderCheck]]) -> tuple[CheckedOrder, ...]:
    """The checks as the figures count them: when accepted, and whether correct."""
    return tuple(CheckedOrder(at, check.correct) for at, check in checks)
