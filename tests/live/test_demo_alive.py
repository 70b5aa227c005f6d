"""`hotline demo` as a living center: at its start time every page already has data.

The example day runs with its back office (`DemoSettings.backoffice`) on the real
SQLite store, the clock paused and moved with `advance`: the night before 08:00 ran at
start, so orders, answers, visits, complaints, 催办, recordings and the earlier shifts'
handover sheets exist at once, all made by simulated agents and departments through
the services, never by the seats people take.
"""

from __future__ import annotations

import asyncio
import collections
from pathlib import Path

from hotline.handover.service import HandoverDesk
from hotline.live import DemoSettings, LiveHotline
from hotline.orders.model import OrderState
from hotline.store.db import Calls, EventLog


def test_the_demo_has_orders_visits_complaints_recordings_and_handovers_at_start(
    tmp_path: Path,
) -> None:
    async def main() -> None:
        rt = LiveHotline.demo(
            DemoSettings(
                db_url=f"sqlite:///{tmp_path / 'demo.db'}",
                speed=0.0,
                seed=3,
                backoffice=True,
                recordings=tmp_path / "recordings",
            )
        )
        await rt.start()
        try:
            rt.advance(120)  # the night shift's sheet is taken over just after 08:00
            await rt.commit()
            orders = rt.services.order_store.list()
            states = collections.Counter(o.state for o in orders)
            assert len(orders) >= 100
            assert states[OrderState.ASSIGNED] > 0
            assert states[OrderState.ANSWERED] + states[OrderState.VISITED] > 0
            assert states[OrderState.ARCHIVED] > 0
            assert any(o.type == "complaint" for o in orders)
            seats = {s.id for s in rt.seats}
            assert not any(o.created_by in seats for o in orders)  # people's seats untouched
            kinds = collections.Counter(
                r.event.kind for r in EventLog(rt.db).read(since_id=0, limit=1_000_000)
            )
            for kind in ("order.assigned", "order.followed_up", "order.answered"):
                assert kinds[kind] > 0, kind
            assert kinds["order.visited"] > 0
            assert kinds["order.overdue"] > 0  # 催办
            assert kinds["order.expedited"] > 0  # 督办
            assert kinds["call.disposition"] > 0

            # the calls' records carry the wrap-up, and the latest calls have a recording
            with_order = next(o for o in orders if o.call is not None)
            record = Calls(rt.db).get(with_order.call or "")
            assert record is not None
            assert record.disposition in {"order_created", "complaint"}
            recorded = sorted((tmp_path / "recordings").glob("*.wav"))
            assert 0 < len(recorded) <= 120
            call = recorded[-1].name.rsplit("-", 1)[0]
            found = rt.recordings.of_call(call)
            assert [r.name for r in found] == [recorded[-1].name]
            assert found[0].seconds is not None
            assert found[0].seconds >= 8

            handover = rt.services.feature("handover", HandoverDesk)
            assert handover is not None
            sheets = handover.recent(10)
            assert [s.shift.label for s in sheets if s.shift is not None] == ["夜班", "晚班"]
            assert all(s.status == "acknowledged" for s in sheets)
        finally:
            await rt.stop()

    asyncio.run(main())
