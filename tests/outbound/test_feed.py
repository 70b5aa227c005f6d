"""The standing campaigns in a running hotline (`hotline.outbound.jobs`): the feed puts the
open 电费通知 orders on the automatic notice campaign, the dialer calls them in the calling
window, every call is the order's contact attempt, and the third failed call hands the order
back to the shift lead as 转纸质通知 — the 95598 rule, on the demo's simulated switch — and
the customer gets the notice by SMS instead."""

from __future__ import annotations

from pathlib import Path

import yaml
from fastapi.testclient import TestClient

from hotline.api import create_app
from hotline.live import LiveHotline
from hotline.live.build import DemoSettings
from hotline.orders.model import ExpediteStatus
from hotline.outbound.events import AttemptEnded, EntryDialed
from hotline.store.db.eventlog import EventLog
from tests.api.conftest import SCENARIO, advance

BILL = {
    "account": "5101000001",  # 胡霞, 17000005525 in the example's customers.csv
    "read_date": "2026-07-10",
    "reading": 4512,
    "usage": 230,
    "amount": "128.80",
    "amount_due": "128.80",
}


def nobody_answers(tmp_path: Path) -> Path:
    """The API tests' quiet day, with called customers who never pick up."""
    scenario = yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))
    scenario["hotline"] = str((SCENARIO.parent / scenario["hotline"]).resolve())
    scenario["called"] = {"answer": 0.0, "busy": 0.0}
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(scenario, allow_unicode=True), encoding="utf-8")
    return path


def test_the_third_unanswered_notice_call_hands_the_order_back_for_a_paper_notice(
    tmp_path: Path,
) -> None:
    runtime = LiveHotline.demo(
        DemoSettings(
            db_url=f"sqlite:///{tmp_path / 'hotline.db'}",
            scenario=nobody_answers(tmp_path),
            speed=0.0,
            traffic=False,
        )
    )
    with TestClient(create_app(runtime, secret="test-secret")) as client:
        customers = runtime.hotline.path.parent / "customers.csv"  # the notice's phone
        runtime.services.crm.import_upload(customers.read_bytes(), "customers.csv", by="admin")
        orders = runtime.services.orders
        assert orders is not None
        order = orders.create("bill_notice", BILL, by="dianfei").order
        feed = next(job for job in runtime.jobs if job.name == "outbound-feed")
        for _ in range(6):  # the feed every hour of engine time
            client.portal.call(feed.run_once)  # type: ignore[union-attr]
            advance(client, runtime, 3700.0)
        client.portal.call(feed.run_once)  # type: ignore[union-attr]
        advance(client, runtime, 60.0)  # the SMS's delivery report comes on the clock
        client.portal.call(feed.run_once)  # type: ignore[union-attr]
        runtime.flush()

        log = [s.event for s in EventLog(runtime.db).read(limit=1_000_000)]
        dialed = [e for e in log if isinstance(e, EntryDialed) and e.entry == f"o{order.id}"]
        assert [e.tries for e in dialed] == [1, 2, 3]  # three calls, then no more
        ended = [e for e in log if isinstance(e, AttemptEnded) and e.entry == f"o{order.id}"]
        assert [(e.result, e.tries) for e in ended] == [("no_answer", t) for t in (1, 2, 3)]
        attempts = [
            e
            for e in log
            if e.kind == "order.contact_attempted" and getattr(e, "order", None) == order.id
        ]
        assert [(a.failed, a.then, a.channel) for a in attempts] == [  # type: ignore[attr-defined]
            (1, None, "auto_call"),
            (2, None, "auto_call"),
            (3, "paper_notice", "auto_call"),
        ]
        tasks = [
            t for t in orders.store.expedites(status=ExpediteStatus.OPEN) if t.order == order.id
        ]
        assert [t.deadline for t in tasks] == ["paper_notice"]


def test_a_callback_settled_at_the_desk_before_its_call_is_not_dialled(tmp_path: Path) -> None:
    """24小时回呼: the feed lists the pending callback task (before 09:00 the campaign's
    window is closed); an agent calls back by hand and closes it: the entry is withdrawn."""
    from hotline.core.customer import Tier
    from hotline.core.ids import CallId, QueueName
    from hotline.outbound.events import EntryClosed

    runtime = LiveHotline.demo(
        DemoSettings(
            db_url=f"sqlite:///{tmp_path / 'hotline.db'}",
            scenario=SCENARIO,
            speed=0.0,
            traffic=False,
        )
    )
    with TestClient(create_app(runtime, secret="test-secret")) as client:
        callbacks = runtime.acd.callbacks

        def create() -> str:
            task = callbacks.create(
                now=runtime.now(),
                call=CallId("c-test"),
                caller="13912345678",
                queue=QueueName("query"),
                tier=Tier.MIDDLE,
                within=86400.0,
                reason="abandoned",
            )
            return str(task.id)

        task = client.portal.call(create)  # type: ignore[union-attr]
        feed = next(job for job in runtime.jobs if job.name == "outbound-feed")
        client.portal.call(feed.run_once)  # type: ignore[union-attr]
        assert [e.id for e in feed.dialer.entries("callbacks")] == [task]  # type: ignore[attr-defined]

        def close() -> None:
            callbacks.close(task, "done", now=runtime.now(), by="9001")  # type: ignore[arg-type]

        client.portal.call(close)  # type: ignore[union-attr]
        client.portal.call(feed.run_once)  # type: ignore[union-attr]
        advance(client, runtime, 3 * 3600.0)  # past 09:00: it would have been called
        runtime.flush()
        log = [s.event for s in EventLog(runtime.db).read(limit=1_000_000)]
        assert [e for e in log if isinstance(e, EntryDialed)] == []
        [closed] = [e for e in log if isinstance(e, EntryClosed)]
        assert (closed.entry, closed.result, closed.reason) == (task, "skipped", "resolved")
