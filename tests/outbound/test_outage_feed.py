"""停电告知 fed from outage orders (`OutboundFeed._outages`): an open outage order over an area
puts the CRM's customers whose address lies in it on the ``outage_notice`` campaign — the
important customer (红名单 / 高端) called first, nobody outside the area — the notice's SMS
names the order's area and times, the calls are not the order's contact attempts, and an
order closed before its calls withdraws the pending ones. On the demo's simulated switch,
which starts at 08:00: the example's ``daytime`` window opens at 09:00."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hotline.api import create_app
from hotline.core.customer import ListMark, Tier
from hotline.crm.model import (
    AccountFacts,
    CustomerType,
    LifecycleStage,
    ListStatus,
    Profile,
)
from hotline.live import LiveHotline
from hotline.live.build import DemoSettings
from hotline.outbound.events import EntryClosed, EntryDialed
from hotline.outbound.jobs import important
from hotline.store.db.eventlog import EventLog
from tests.api.conftest import SCENARIO, advance

HEADER = (
    "户号,户名,联系电话,证件号码,地址,客户类型,ARPU(元),在网月数,信用分,本月电费,近6月平均电费,"
    "欠费,预付费余额,绑定电话,客户经理,名单,名单原因"
)
CUSTOMERS = [  # the important one registered last: the dialer, not the list, puts it first
    "5101900001,刘洋,13811110001,,成都市高新区光华村街12号3栋,居民,80,24,60,,,,,,,,",
    "5101900002,陈静,13811110002,,成都市青羊区光华大道88号,居民,90,24,60,,,,,,,,",
    "5101900003,赵敏,13811110003,,成都市锦江区春熙路1号,居民,90,24,60,,,,,,,,",  # outside
    "5101900004,成都市第五人民医院,028-61111111,,成都市青羊区光华大道100号,非居民,500,24,60,"
    ",,,,,王经理,红名单,重点保供电用户（医疗）",
]
OUTAGE = {
    "area": "光华大道、光华村街",
    "cause": "10kV线路检修",
    "outage_kind": "planned",
    "restore_at": "12月7日18:00",
}


@pytest.fixture
def hotline(tmp_path: Path) -> Iterator[tuple[LiveHotline, TestClient]]:
    runtime = LiveHotline.demo(
        DemoSettings(
            db_url=f"sqlite:///{tmp_path / 'hotline.db'}",
            scenario=SCENARIO,
            speed=0.0,
            traffic=False,
        )
    )
    with TestClient(create_app(runtime, secret="test-secret")) as client:
        data = ("\n".join([HEADER, *CUSTOMERS]) + "\n").encode("utf-8")
        outcome = runtime.services.crm.import_upload(data, "光华.csv", by="admin")
        assert (outcome.report.created, outcome.report.rejected) == (4, ())
        yield runtime, client


def feed_once(runtime: LiveHotline, client: TestClient) -> object:
    feed = next(job for job in runtime.jobs if job.name == "outbound-feed")
    client.portal.call(feed.run_once)  # type: ignore[union-attr]
    return feed


def logged(runtime: LiveHotline) -> list:
    runtime.flush()
    return [s.event for s in EventLog(runtime.db).read(limit=1_000_000)]


def test_the_area_s_customers_are_called_the_important_one_first(hotline) -> None:
    runtime, client = hotline
    orders = runtime.services.orders
    order = orders.create("outage_notice", OUTAGE, by="lead").order
    feed = feed_once(runtime, client)

    entries = feed.dialer.entries("outage_notice")
    assert [(e.id, e.number, e.name, e.customer_class, e.important) for e in entries] == [
        (f"o{order.id}-5101900001", "13811110001", "刘洋", "resident", False),
        (f"o{order.id}-5101900002", "13811110002", "陈静", "resident", False),
        (f"o{order.id}-5101900004", "02861111111", "成都市第五人民医院", "business", True),
    ]
    assert {e.source for e in entries} == {f"outage:{order.id}"}
    # the notice's SMS, as the example's template renders it from the order's fields
    hospital = entries[2]
    assert hospital.variables["account"] == "5101900004"
    assert feed.sms.template("outage").render(hospital.variables) == (
        "【国网XX供电公司】尊敬的客户，因10kV线路检修，光华大道、光华村街停电，"
        "预计12月7日18:00前恢复供电，给您带来不便，敬请谅解。"
    )

    advance(client, runtime, 3600.0 + 600.0)  # 08:00 → 09:10: the daytime window opened at 9
    log = logged(runtime)
    dialed = [e.entry for e in log if isinstance(e, EntryDialed) and e.campaign == "outage_notice"]
    assert dialed[:3] == [hospital.id, entries[0].id, entries[1].id]
    assert f"o{order.id}-5101900003" not in dialed  # 春熙路 is not in the area
    # a notice call is not the outage order's contact attempt (only bill/arrears notices are)
    feed_once(runtime, client)
    assert [e for e in logged(runtime) if e.kind == "order.contact_attempted"] == []


def test_an_order_closed_before_its_calls_withdraws_them(hotline) -> None:
    runtime, client = hotline
    orders = runtime.services.orders
    order = orders.create("outage_notice", OUTAGE, by="lead").order
    feed = feed_once(runtime, client)  # 08:00: listed, not called before 09:00
    assert len(feed.dialer.entries("outage_notice")) == 3

    orders.answer(order.id, by="lead", note="已恢复供电")
    orders.archive(order.id, by="lead")
    feed_once(runtime, client)
    advance(client, runtime, 2 * 3600.0)  # past 09:00: they would have been called
    log = logged(runtime)
    assert [e for e in log if isinstance(e, EntryDialed)] == []
    closed = [e for e in log if isinstance(e, EntryClosed) and e.campaign == "outage_notice"]
    assert sorted((e.entry, e.result, e.reason) for e in closed) == [
        (f"o{order.id}-{account}", "skipped", "resolved")
        for account in ("5101900001", "5101900002", "5101900004")
    ]


def test_a_new_outage_s_important_customer_goes_before_those_still_waiting(hotline) -> None:
    """A second order's hospital, listed after the first order's residents, is still called
    before them: the dialer takes important entries first, whatever came first."""
    runtime, client = hotline
    orders = runtime.services.orders
    first = orders.create("outage_notice", {**OUTAGE, "area": "光华村街"}, by="lead").order
    feed = feed_once(runtime, client)
    assert [e.id for e in feed.dialer.entries("outage_notice")] == [f"o{first.id}-5101900001"]
    second = orders.create("outage_notice", {**OUTAGE, "area": "青羊区光华大道"}, by="lead").order
    feed_once(runtime, client)
    advance(client, runtime, 3600.0 + 600.0)
    dialed = [
        e.entry
        for e in logged(runtime)
        if isinstance(e, EntryDialed) and e.campaign == "outage_notice"
    ]
    assert dialed[:3] == [
        f"o{second.id}-5101900004",
        f"o{first.id}-5101900001",
        f"o{second.id}-5101900002",
    ]


def profile(tier: Tier, mark: ListMark) -> Profile:
    return Profile(
        customer_id=1,
        name="张伟",
        phone="13800138000",
        account="0101000001",
        id_number="",
        address="成都市青羊区光华大道1号",
        facts=AccountFacts(customer_type=CustomerType.RESIDENT),
        tier=tier,
        score=0.0,
        lifecycle=LifecycleStage.STABLE,
        list_status=ListStatus(mark=mark),
    )


@pytest.mark.parametrize(
    ("tier", "mark", "expected"),
    [
        (Tier.HIGH, ListMark.NONE, True),  # 高端 (VIP)
        (Tier.ORDINARY, ListMark.RED, True),  # 红名单
        (Tier.MIDDLE, ListMark.NONE, False),
        (Tier.ORDINARY, ListMark.BLACK, False),
    ],
)
def test_important_is_the_high_tier_or_the_red_list(tier, mark, expected) -> None:
    assert important(profile(tier, mark)) is expected
