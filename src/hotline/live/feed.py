"""A live subscriber's stream of event records, bounded: a reader that falls too far
behind is told it lagged (`feed.lagged`) instead of holding the engine's memory."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

FEED_LIMIT = 5000
"""Records a live subscriber may fall behind by before it is told it lagged."""


class LiveFeed:
    """One subscriber's stream of event records (an async iterator)."""

    def __init__(self, on_close: Callable[[LiveFeed], None]) -> None:
        self._on_close = on_close
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.lagged = False

    def put(self, record: dict[str, Any]) -> None:
        if self._queue.qsize() >= FEED_LIMIT:
            if not self.lagged:
                self.lagged = True
                self._queue.put_nowait({"kind": "feed.lagged", "at": record["at"]})
            return
        self._queue.put_nowait(record)

    async def get(self) -> dict[str, Any]:
        record = await self._queue.get()
        if record["kind"] == "feed.lagged":
            self.lagged = False
        return record

    def __aiter__(self) -> AsyncIterator[dict[str, Any]]:
        return self

    async def __anext__(self) -> dict[str, Any]:
        return await self.get()

    def close(self) -> None:
        self._on_close(self)
