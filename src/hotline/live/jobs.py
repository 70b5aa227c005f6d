"""Background jobs of a running hotline: work that runs every few seconds beside the engine.

A job is one round of work (`Job.run_once`) and how often it runs (`every`, wall
seconds, start to start). `run_job` loops one job on the runtime's event loop: a round
that raises `HotlineError` is logged and tried again at the next turn; a round that
takes longer than `every` is followed by a pause of a quarter of that, so the engine's
thread keeps most of the time. The wallboard's recount and the order deadline scan
are jobs now; the dialer, schedule adherence and QA sampling will be.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from hotline.core.errors import HotlineError
from hotline.core.events import Event
from hotline.orders.service import OrderDesk
from hotline.store.db.orders import Orders

log = logging.getLogger(__name__)

ORDER_SCAN_EVERY = 5.0
"""Wall seconds between two scans of the open orders' deadlines."""


class Job(Protocol):
    """Work that runs every `every` wall seconds while the hotline runs."""

    @property
    def name(self) -> str:
        """A short name for the task and the log (``wallboard-counts``)."""
        ...

    @property
    def every(self) -> float: ...

    async def run_once(self) -> None:
        """One round; database work off the engine's thread (`asyncio.to_thread`)."""
        ...


async def run_job(job: Job) -> None:
    """Run `job` round after round until cancelled."""
    while True:
        began = time.monotonic()
        try:
            await job.run_once()
        except HotlineError:
            log.exception("the %s job failed; trying again", job.name)
        every = job.every
        await asyncio.sleep(max(every - (time.monotonic() - began), every / 4))


class BoardRecount:
    """Recount the wallboard's figures from the log when something happened."""

    name = "wallboard-counts"

    def __init__(
        self, every: float, stale: Callable[[], bool], refresh: Callable[[], Awaitable[None]]
    ) -> None:
        """`stale()`: whether the board has changes not counted yet; `refresh()`: count."""
        self.every = every
        self._stale = stale
        self._refresh = refresh

    async def run_once(self) -> None:
        if self._stale():
            await self._refresh()


class OrderScan:
    """Raise an expedite task (催办) for each order deadline that ran out, publish the
    orders' events, and keep the count of open expedite tasks for the wallboard."""

    name = "order-deadlines"
    every = ORDER_SCAN_EVERY

    def __init__(
        self, desk: OrderDesk, store: Orders, publish: Callable[[Sequence[Event]], None]
    ) -> None:
        """`publish` hands events the store already committed to the live subscribers."""
        self._desk = desk
        self._store = store
        self._publish = publish
        self.open_expedites = 0

    async def run_once(self) -> None:
        outcomes = await asyncio.to_thread(self._desk.scan)
        for outcome in outcomes:
            self._publish(outcome.events)
        open_tasks = await asyncio.to_thread(self._store.expedites)
        self.open_expedites = len(open_tasks)
