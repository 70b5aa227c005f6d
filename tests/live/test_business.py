"""The IVR's business look-ups on real calls (`hotline.live.business`): the bill and arrears
from the CRM's accounts, the outage in the caller's area from the open outage notices,
and a center's system over HTTP (a real server: good, slow, failing), each run off the
engine's loop, the caller falling back to the queue when the system does not answer."""

from __future__ import annotations

import asyncio
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hotline.calls.config import load_hotline
from hotline.core.clock import VirtualClock
from hotline.core.events import EventRecorder
from hotline.core.ids import AgentId, CallId
from hotline.interop.http_lookup import LookupRequest
from hotline.live.business import bill, business_lookups, outage
from hotline.live.driver import LiveDriver
from hotline.live.services import Services, build_services
from hotline.sip.serve import SipHotline
from hotline.site import Site
from hotline.store.db import Database
from hotline.store.db.crm import CustomerAccounts
from hotline.store.db.orders import Orders
from hotline.telephony.sim import SimSwitch
from tests.support.lookup_server import SLOW, LookupServer, lookup_server

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples/95598/hotline.yaml"
CUSTOMERS = ROOT / "examples/95598/customers.csv"
CHENGDU = ("5101000001", "17000005525")  # 成都市武侯区天河北路224号…, 本月电费 490.57
HANGZHOU = ("3301000002", "17100003923")  # 杭州市西湖区文三路28号…
ARREARS = "4401000004"  # 广州: 本月电费 62.55, 欠费 197.03, 预付费余额 72.5
OUTAGE = {"area": "武侯区天河北路、天府大道", "cause": "10kV线路故障", "outage_kind": "fault",
          "restore_at": "18:00"}  # fmt: skip


@dataclass
class Store:
    services: Services
    accounts: CustomerAccounts
    orders: Orders


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    db = Database.open(f"sqlite:///{tmp_path / 'hotline.db'}")
    services = build_services(Site.load(EXAMPLE), db, time.time)
    report = services.crm.import_upload(CUSTOMERS.read_bytes(), "customers.csv", by="admin")
    assert report.report.created > 0
    try:
        yield Store(services, CustomerAccounts(db), Orders(db))
    finally:
        db.close()


def asked(lookup: str, caller: str, own: str | None = None, **args: str) -> LookupRequest:
    """A request for `caller` (whose CRM account the call knows is `own`) with `args`."""
    return LookupRequest(lookup, "s1", caller, "95598", own, args)


def test_the_bill_is_the_crm_accounts(store: Store) -> None:
    answer = bill(store.accounts, due_day=25)
    assert answer(asked("bill", "13900000000", CHENGDU[0])) == {
        "account": CHENGDU[0],
        "amount": "490.57",
        "balance": "0.00",
        "arrears": "0.00",
        "due_date": "25日",
    }
    owing = answer(asked("bill", "13900000000", "x", account=ARREARS))  # typed wins
    assert owing is not None
    assert (owing["amount"], owing["arrears"], owing["balance"]) == ("62.55", "197.03", "72.50")
    assert answer(asked("bill", "13900000000", "9999999999")) is None
    assert answer(asked("bill", "13900000000")) is None  # no account known or typed


def test_an_outage_is_an_open_notice_naming_part_of_the_callers_address(store: Store) -> None:
    answer = outage(store.accounts, store.orders, {"outage_notice"})
    assert answer(asked("outage", CHENGDU[1])) is None  # no notice yet
    orders = store.services.orders
    assert orders is not None
    created = orders.create("outage_notice", OUTAGE, by="lead").order
    assert answer(asked("outage", CHENGDU[1])) == {
        "area": "武侯区天河北路",
        "cause": "10kV线路故障",
        "restore_time": "18:00",
    }
    assert answer(asked("outage", "13900000000", phone=CHENGDU[1])) is not None  # the argument
    assert answer(asked("outage", HANGZHOU[1])) is None  # another city
    assert answer(asked("outage", "13900000000")) is None  # unknown caller: no known area
    orders.answer(created.id, by="lead", note="已恢复供电")
    orders.archive(created.id, by="lead")
    assert answer(asked("outage", CHENGDU[1])) is None  # closed: no longer in force


FLOW = """\
flow: main
start: check
prompts:
  found: {text: 查到了, duration: 0.5}
  busy: {text: 系统繁忙，正在为您转接人工服务, duration: 0.5}
nodes:
  check:
    type: lookup
    lookup: bill
    args: {account: "{account}"}
    ok: say
    not_found: missing
    failed: fallback
  say: {type: hangup, prompt: found, outcome: self_served}
  missing: {type: queue, queue: query}
  fallback: {type: queue, queue: query, prompt: busy}
""".replace("{account}", CHENGDU[0])


def write_hotline(folder: Path, http: str | None) -> Path:
    (folder / "ivr").mkdir(exist_ok=True)
    (folder / "ivr" / "main.yaml").write_text(FLOW, encoding="utf-8")
    text = textwrap.dedent(
        """\
        name: 测试热线
        numbers: {'95598': main}
        skills: {query: {}}
        queues:
          query: {skill: query}
        lookups:
          timeout: 1.0
        """
    )
    if http is not None:
        text += f"  http: {{url: '{http}', timeout: 1.0, names: [bill]}}\n"
    path = folder / "hotline.yaml"
    path.write_text(text, encoding="utf-8")
    return path


class Caller:
    """A caller who types nothing; nobody answers."""

    def respond(
        self, call: CallId, prompt: str | None, max_digits: int
    ) -> tuple[str, float] | None:
        return None

    def waiting_started(self, call: CallId) -> None:
        pass

    def ring(self, call: CallId, agent: AgentId, timeout: float) -> float | None:
        return None

    def bridged(self, call: CallId, agent: AgentId) -> tuple[float | None, bool]:
        return None, False

    def conversation_ended(self, call: CallId, agent: AgentId) -> None:
        pass

    def call_ended(self, call: CallId) -> None:
        pass


@dataclass
class Run:
    events: list[dict[str, object]]
    waited: float  # engine seconds from the call's arrival to the lookup's result
    worst_gap: float  # the longest the asyncio loop was kept from a 10 ms ticker


def one_call(tmp_path: Path, store: Store, http: str | None) -> Run:
    hotline = load_hotline(write_hotline(tmp_path, http))

    async def run() -> Run:
        clock = VirtualClock(1_780_000_000.0)
        driver = LiveDriver(clock, 1.0)
        driver.start()
        lookups = business_lookups(
            hotline,
            accounts=store.accounts,
            orders=store.orders,
            outage_types=(),
            catch_up=driver.catch_up,
        )
        switch = SimSwitch(clock, Caller(), hotline.prompt_seconds())
        engine = SipHotline(hotline, clock=clock, switch=switch, lookups=lookups)
        recorder = EventRecorder(engine.bus)
        worst = 0.0
        switch.place_call(CallId("c1"), "13800138000", "95598")
        loop = asyncio.get_running_loop()
        last = loop.time()
        deadline = last + 8.0
        while loop.time() < deadline and "ivr.exited" not in [e.kind for e in recorder]:
            await asyncio.sleep(0.01)
            now = loop.time()
            worst, last = max(worst, now - last), now
        await driver.stop()
        events = [e.to_record() for e in recorder]
        arrived = next(float(e["at"]) for e in events if e["kind"] == "call.arrived")
        result = next(
            float(e["at"]) for e in events if e["kind"] in ("ivr.lookup_done", "ivr.lookup_failed")
        )
        return Run(events, result - arrived, worst)

    return asyncio.run(run())


def kinds(run: Run) -> list[str]:
    return [str(e["kind"]) for e in run.events]


def exit_node(run: Run) -> str:
    return str(next(e for e in run.events if e["kind"] == "ivr.exited")["node"])


def test_the_crm_answers_the_bill_off_the_loop(tmp_path: Path, store: Store) -> None:
    run = one_call(tmp_path, store, None)
    [done] = [e for e in run.events if e["kind"] == "ivr.lookup_done"]
    assert (done["lookup"], done["found"]) == ("bill", True)
    assert exit_node(run) == "say"
    assert run.waited < 0.5


@pytest.fixture
def server() -> Iterator[LookupServer]:
    with lookup_server() as running:
        yield running


def test_a_centers_system_answers_over_http(
    tmp_path: Path, store: Store, server: LookupServer
) -> None:
    run = one_call(tmp_path, store, server.url("/good"))
    assert next(e for e in run.events if e["kind"] == "ivr.lookup_done")["found"] is True
    assert exit_node(run) == "say"
    assert server.requests[0]["args"] == {"account": CHENGDU[0]}
    assert server.requests[0]["caller"] == "13800138000"


def test_nothing_found_takes_the_not_found_branch(
    tmp_path: Path, store: Store, server: LookupServer
) -> None:
    run = one_call(tmp_path, store, server.url("/none"))
    assert exit_node(run) == "missing"


def test_a_slow_system_never_holds_the_call_nor_the_loop(
    tmp_path: Path, store: Store, server: LookupServer
) -> None:
    run = one_call(tmp_path, store, server.url("/slow"))
    [failed] = [e for e in run.events if e["kind"] == "ivr.lookup_failed"]
    assert (failed["lookup"], failed["reason"]) == ("bill", "timeout")
    assert "ivr.lookup_done" not in kinds(run)
    assert 0.9 <= run.waited < 1.5 < SLOW  # the configured 1 s, not the system's 3 s
    assert exit_node(run) == "fallback"  # the caller hears the fallback and is queued
    assert "contact.queued" in kinds(run)
    assert run.worst_gap < 0.25  # the loop ran on while the system was slow


def test_a_failing_system_falls_back_at_once(
    tmp_path: Path, store: Store, server: LookupServer
) -> None:
    run = one_call(tmp_path, store, server.url("/fail"))
    [failed] = [e for e in run.events if e["kind"] == "ivr.lookup_failed"]
    assert failed["reason"] == "error"
    assert run.waited < 0.5
    assert exit_node(run) == "fallback"


def test_http_names_must_be_lookups_of_the_flows(tmp_path: Path) -> None:
    from hotline.core.config import ConfigError

    path = write_hotline(tmp_path, "http://127.0.0.1:9/x")
    path.write_text(path.read_text().replace("names: [bill]", "names: [bil]"), encoding="utf-8")
    with pytest.raises(ConfigError, match="no flow uses lookup 'bil'"):
        load_hotline(path)
    path.write_text(path.read_text().replace("http://127.0.0.1:9/x", "ftp://x"), encoding="utf-8")
    with pytest.raises(ConfigError, match="url"):
        load_hotline(path)
