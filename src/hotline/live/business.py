"""The IVR's business look-ups on real calls: the CRM's accounts, the orders' outages, and a
center's own system over HTTP, each run off the engine's loop.

- ``bill`` (本期电费): the CRM account named by the node's ``account`` argument (else the
  caller's own): ``amount`` its 本月电费, ``balance`` its 预付费余额 (0.00 for an account
  without prepayment), ``arrears`` its 欠费 (0.00 when none), ``due_date`` the
  configured day of the month (``lookups.due_day``). Not found: no such account, or an
  account without a bill.
- ``arrears`` (欠费): the same account's ``arrears`` and ``account``.
- ``outage`` (停电信息, "my area"): the caller's area is the address of the CRM
  customer whose contact or bound phone is the node's ``phone`` argument (else the
  caller's number), or of the caller's account. An outage is an open order of the
  handover's outage types (``outage_notice``: the notices the handover sheet lists);
  its ``area`` (停电区域) may name several areas separated by 、，,;； or spaces. The
  caller is in it when one of those names (two characters or more) is part of the
  address; the newest such notice answers: ``area`` the name that matched, ``cause``,
  ``restore_time`` its 预计恢复时间. An unknown caller has no known area: not found.
- a name listed under ``lookups.http``: the center's system (`hotline.interop.http_lookup`).

`OffLoop` makes a blocking look-up a `SlowLookup`: it runs in a worker thread and its
answer comes back on the engine's loop (after the live driver's catch-up), so a slow
database or system never blocks the loop; the IVR gives up after the timeout.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Protocol

from hotline.calls.config import Hotline
from hotline.crm.model import Profile
from hotline.interop.http_lookup import HttpLookup, LookupRequest, LookupUnavailableError
from hotline.ivr.context import CallContext
from hotline.ivr.flow import LookupNode
from hotline.ivr.ports import Lookup, LookupAnswer, LookupFailure, SlowLookup
from hotline.orders.model import OPEN_STATES, Order, OrderFilter

log = logging.getLogger(__name__)

Answering = Callable[[LookupRequest], Mapping[str, str] | None]
"""A blocking look-up: the variables found, None, or `LookupUnavailableError`."""
BUILT_IN = ("bill", "arrears", "outage")
_SEPARATORS = re.compile(r"[、，,;；\s]+")


class AccountSource(Protocol):
    """The CRM's customers (`hotline.store.db.crm.CustomerAccounts`)."""

    def find(self, *, q: str | None = None, limit: int = 50) -> list[Profile]: ...


class OrderSource(Protocol):
    """The work orders (`hotline.store.db.orders.Orders`)."""

    def list(self, where: OrderFilter | None = None) -> list[Order]: ...


def by_account(accounts: AccountSource, account: str) -> Profile | None:
    return next((p for p in accounts.find(q=account, limit=20) if p.account == account), None)


def by_phone(accounts: AccountSource, phone: str) -> Profile | None:
    found = accounts.find(q=phone, limit=20)
    return next((p for p in found if p.phone == phone), None) or next(
        (p for p in found if phone in p.bound_phones), None
    )


def bill(accounts: AccountSource, due_day: int) -> Answering:
    def answer(request: LookupRequest) -> Mapping[str, str] | None:
        account = request.args.get("account") or request.account
        profile = by_account(accounts, account) if account else None
        if profile is None or profile.facts.consumption.last_bill is None:
            return None
        used = profile.facts.consumption
        return {
            "account": profile.account,
            "amount": f"{used.last_bill:.2f}",
            "balance": f"{used.prepaid_balance or 0.0:.2f}",
            "arrears": f"{used.arrears or 0.0:.2f}",
            "due_date": f"{due_day}日",
        }

    return answer


def arrears(accounts: AccountSource) -> Answering:
    def answer(request: LookupRequest) -> Mapping[str, str] | None:
        account = request.args.get("account") or request.account
        profile = by_account(accounts, account) if account else None
        if profile is None:
            return None
        return {
            "account": profile.account,
            "arrears": f"{profile.facts.consumption.arrears or 0.0:.2f}",
        }

    return answer


def area_names(area: str) -> list[str]:
    """The names an outage notice's 停电区域 lists (two characters or more each)."""
    return [name for name in _SEPARATORS.split(area) if len(name) >= 2]


def outage(accounts: AccountSource, orders: OrderSource, types: Collection[str]) -> Answering:
    def answer(request: LookupRequest) -> Mapping[str, str] | None:
        phone = request.args.get("phone") or request.caller
        profile = by_phone(accounts, phone) if phone else None
        if profile is None and request.account:
            profile = by_account(accounts, request.account)
        if profile is None or not profile.address:
            return None
        return outage_at(profile.address, open_outages(orders, types))

    return answer


def open_outages(orders: OrderSource, types: Iterable[str]) -> list[Order]:
    """The open outage notices, newest first."""
    found = [
        order
        for kind in types
        for order in orders.list(OrderFilter(states=sorted(OPEN_STATES), type=kind, limit=1000))
    ]
    return sorted(found, key=lambda o: (o.created_at, o.id), reverse=True)


def outage_at(address: str, notices: Iterable[Order]) -> Mapping[str, str] | None:
    """The first notice (of `notices`, newest first) whose 停电区域 names part of `address`."""
    for notice in notices:
        for name in area_names(str(notice.fields.get("area", ""))):
            if name in address:
                return {
                    "area": name,
                    "cause": str(notice.fields.get("cause", "")),
                    "restore_time": str(notice.fields.get("restore_at", "")),
                }
    return None


class OffLoop:
    """A blocking look-up as a `SlowLookup`: run by `executor`, answered on the engine's
    loop (`catch_up` first, so engine time is the time of the answer)."""

    def __init__(
        self,
        name: str,
        function: Answering,
        *,
        timeout: float,
        executor: Executor,
        catch_up: Callable[[], None],
    ) -> None:
        self.name = name
        self.timeout = timeout
        self._function = function
        self._executor = executor
        self._catch_up = catch_up

    def start(
        self, ctx: CallContext, args: Mapping[str, str], answer: LookupAnswer, fail: LookupFailure
    ) -> None:
        loop = asyncio.get_running_loop()  # the engine's: commands come from its callbacks
        request = LookupRequest(
            self.name, ctx.call, ctx.caller, ctx.dialed, ctx.account, dict(args)
        )
        future = self._executor.submit(self._function, request)

        def back(done: Future[Mapping[str, str] | None]) -> None:
            loop.call_soon_threadsafe(self._deliver, done, answer, fail)

        future.add_done_callback(back)

    def _deliver(
        self, done: Future[Mapping[str, str] | None], answer: LookupAnswer, fail: LookupFailure
    ) -> None:
        self._catch_up()
        error = done.exception()
        if error is None:
            answer(done.result())
        elif isinstance(error, LookupUnavailableError):
            log.warning("look-up %s: %s", self.name, error)
            fail(error.reason)
        else:
            log.error("look-up %s failed", self.name, exc_info=error)
            fail("error")


def _nothing_found(ctx: CallContext, args: Mapping[str, str]) -> Mapping[str, str] | None:
    return None


def business_lookups(
    hotline: Hotline,
    *,
    accounts: AccountSource,
    orders: OrderSource,
    outage_types: Collection[str],
    catch_up: Callable[[], None],
    executor: Executor | None = None,
) -> dict[str, Lookup | SlowLookup]:
    """Every look-up the flows of `hotline` name, answered as the module says (a name that
    is neither built in nor the HTTP system's finds nothing)."""
    settings = hotline.model.lookups
    pool = executor or ThreadPoolExecutor(max_workers=8, thread_name_prefix="hotline-lookup")
    http = settings.http
    remote = HttpLookup(http.url, timeout=http.timeout) if http is not None else None
    built_in: dict[str, Answering] = {
        "bill": bill(accounts, settings.due_day),
        "arrears": arrears(accounts),
        "outage": outage(accounts, orders, outage_types),
    }
    names = {
        node.lookup
        for flow in hotline.flows.values()
        for node in flow.nodes.values()
        if isinstance(node, LookupNode)
    }
    lookups: dict[str, Lookup | SlowLookup] = {}
    for name in sorted(names):
        if remote is not None and http is not None and name in http.names:
            lookups[name] = OffLoop(
                name, remote, timeout=http.timeout, executor=pool, catch_up=catch_up
            )
        elif name in built_in:
            lookups[name] = OffLoop(
                name, built_in[name], timeout=settings.timeout, executor=pool, catch_up=catch_up
            )
        else:
            lookups[name] = _nothing_found
    return lookups
