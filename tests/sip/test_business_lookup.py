"""The IVR's outage look-up on real calls, answered from the CRM and the work orders: the
whole product (`LiveHotline.on_sip`: Kamailio, Hotline, the database) and a SIPp caller on
the trunk whose number is a CRM customer's. The caller types 2 (故障报修) during the
greeting; with no outage notice in force the look-up finds nothing (故障专席); once the
shift lead has recorded an outage notice naming the customer's street, the next call
hears it (``ivr.lookup_done`` found)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hotline.api import create_app
from hotline.live import LiveHotline
from hotline.sip.serve import ServeSettings
from hotline.site import Site
from hotline.store.db import EventLog
from hotline.store.db.crm import import_file
from tests.sip.test_end_to_end import EXAMPLE, SCENARIOS
from tests.sip.test_live_sip import CALLER, CUSTOMERS_HEADER, tone, until
from tests.support.sip import free_port, need, serve_settings, sipp

pytestmark = pytest.mark.realtime

NOTICE = {"area": "东三环、朝阳区建国路", "cause": "10kV线路检修", "outage_kind": "planned",
          "restore_at": "17:30"}  # fmt: skip
"""A notice whose second area is part of the customer's address (北京市朝阳区建国路1号)."""
CUSTOMER_ROW = (  # an ordinary household (not 高端: a VIP skips the menu for the VIP desk)
    f"1101000098,赵敏,{CALLER},110105198001011238,北京市朝阳区建国路1号,居民,"
    "120,24,70,150,140,0,,,,,"
)


def call_in(tmp_path: Path, runtime: LiveHotline, settings: ServeSettings, carrier: int) -> str:
    """One call of the customer (2 typed ahead); returns its id once it has ended."""
    log = EventLog(runtime.db)
    known = {s.event.call for s in log.read(kinds=["call.ended"])}  # type: ignore[attr-defined]
    caller = sipp(
        SCENARIOS / "customer_presses_2.xml",
        (settings.host, settings.kamailio_port),
        tmp_path,
        service="95598",
        extra=("-d", "30000"),  # the greetings (a holiday's too) and the look-up's result
        port=carrier,
    )
    rc = caller.wait(90)
    assert caller.stderr is not None
    assert rc == 0, caller.stderr.read().decode(errors="replace")

    def ended() -> Any:
        runtime.flush()
        calls = [s.event.call for s in log.read(kinds=["call.ended"])]  # type: ignore[attr-defined]
        return [c for c in calls if c not in known]

    [call] = until(ended, 10)
    return str(call)


def test_the_outage_in_a_customers_area_is_read_from_the_orders(
    tmp_path: Path, prompts: Path
) -> None:
    need("kamailio", "sipp", "sox")
    tone(tmp_path / "caller_tone.wav", 400, ulaw=True)
    carrier = free_port()  # the SIPp caller calls from the trunk: its caller ID is trusted
    settings = serve_settings(tmp_path, prompts, call_prefix="b1-", trunk=("127.0.0.1", carrier))
    runtime = LiveHotline.on_sip(
        Site.load(EXAMPLE), settings, db_url=f"sqlite:///{tmp_path / 'hotline.db'}"
    )
    customers = tmp_path / "customers.csv"
    customers.write_text(f"{CUSTOMERS_HEADER}\n{CUSTOMER_ROW}\n", encoding="utf-8")
    assert import_file(runtime.db, customers, runtime.crm_config, by="test").created == 1
    orders = runtime.services.orders
    assert orders is not None
    log = EventLog(runtime.db)

    def looked_up(call: str) -> dict[str, Any]:
        [done] = [s.event.to_record() for s in log.read(call=call, kinds=["ivr.lookup_done"])]
        return done

    with TestClient(create_app(runtime, secret="test-secret")):
        first = call_in(tmp_path, runtime, settings, carrier)
        orders.create("outage_notice", NOTICE, by="lead")
        second = call_in(tmp_path, runtime, settings, carrier)

    assert (looked_up(first)["lookup"], looked_up(first)["found"]) == ("outage", False)
    assert (looked_up(second)["lookup"], looked_up(second)["found"]) == ("outage", True)
    for call in (first, second):
        [chosen] = [s.event.to_record() for s in log.read(call=call, kinds=["ivr.menu_chosen"])]
        assert chosen["choice"] == "2"
        assert not log.read(call=call, kinds=["ivr.lookup_failed"])
    exits = {
        call: [s.event.to_record()["node"] for s in log.read(call=call, kinds=["ivr.exited"])]
        for call in (first, second)
    }
    assert exits[first] == ["to_fault"]  # nothing known: straight to the fault desk
    assert exits[second] == []  # still hearing the outage when it hung up (no queue)
