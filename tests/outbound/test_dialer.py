"""The dialer on the digital twin: the example hotline's engine with an outbound queue of
simulated agents, customers who answer, are busy or let it ring by chance, and campaigns
placed by the dialer on the virtual clock — what a supervisor relies on: one call per free
agent in progressive pacing, tries spaced and counted, the last failure handed back, the
calling windows of the Chinese calendar, the do-not-call list, important customers first,
a pause that cancels what rings, and the drop cap never passed in any window."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hotline.calls.config import load_hotline
from hotline.calls.events import CallOriginated, CallOutboundAnswered
from hotline.core.calendar import BusinessCalendar
from hotline.core.ids import AgentId
from hotline.core.windows import Window, parse_span
from hotline.orders.model import ExpediteStatus
from hotline.orders.service import OrderDesk
from hotline.outbound.campaign import CampaignSpec, Entry, Result
from hotline.outbound.events import AttemptEnded, EntryClosed, EntryDialed
from hotline.outbound.pacing import PacingName
from hotline.outbound.twin import OUTBOUND, Twin, build_twin, customers, with_outbound_floor
from hotline.routing.events import ContactLeft
from hotline.store.db import Database
from hotline.store.db.orders import Orders
from tests.orders.support import example

EXAMPLE = Path(__file__).resolve().parents[2] / "examples/95598/hotline.yaml"
SHANGHAI = ZoneInfo("Asia/Shanghai")
BASE = load_hotline(EXAMPLE)


def at(text: str) -> float:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).timestamp()


def local(t: float) -> str:
    return datetime.datetime.fromtimestamp(t, SHANGHAI).strftime("%Y-%m-%d %H:%M")


def twin(
    agents: int,
    start: str,
    *,
    answer: float = 1.0,
    busy: float = 0.0,
    talk: float = 60.0,
    seed: int = 1,
    calendar: BusinessCalendar | None = None,
    **options: object,
) -> Twin:
    hotline = with_outbound_floor(BASE, agents)
    called = customers(random.Random(seed), answer=answer, busy=busy, talk=talk)
    made = build_twin(hotline, start=at(start), customers=called, calendar=calendar, **options)  # type: ignore[arg-type]
    made.log_in(AgentId(str(7001 + i)) for i in range(agents))
    return made


def entries(n: int, **fields: object) -> list[Entry]:
    return [Entry(f"e{i}", f"139{i:08d}", **fields) for i in range(n)]  # type: ignore[arg-type]


def test_progressive_pacing_places_one_call_per_free_agent_and_reaches_the_whole_list() -> None:
    """3 agents, customers who all answer: never more calls ringing or talking than agents,
    never a drop, and every entry closed as reached on its first call."""
    t = twin(3, "2026-12-02 09:00")
    t.dialer.add(CampaignSpec("c", "回访", queue=OUTBOUND, pacing="progressive"), entries(30))
    t.dialer.start("c", by="lead")
    most = 0
    end = at("2026-12-02 12:00")
    while t.clock.now() < end:
        t.run_until(t.clock.now() + 1.0)
        progress = t.dialer.progress("c")
        most = max(most, progress.dialing)
        assert t.dialer.floor("c").waiting == 0
    progress = t.dialer.progress("c")
    assert most <= 3
    assert (progress.reached, progress.dropped, progress.calls) == (30, 0, 30)
    assert t.dialer.state("c") == "finished"
    assert {e.result for e in t.events.of(EntryClosed)} == {"reached"}


def test_a_notice_is_tried_three_times_an_hour_apart_then_handed_back_for_a_paper_notice(
    tmp_path: Path,
) -> None:
    """95598 电费通知: nobody answers; the dialer calls at 09:00, 10:00 and 11:00 (no-answer
    retried after an hour), each failure is the order's contact attempt, and the third hands
    the order back to the shift lead as 转纸质通知 (an expedite task)."""
    desks: list[OrderDesk] = []

    def attempted(spec: CampaignSpec, entry: Entry, result: Result) -> None:
        order_id = int(entry.source.removeprefix("order:"))
        desks[0].attempt(order_id, reached=result.reached, channel="auto_call", by="dialer")

    t = twin(0, "2026-12-02 09:00", answer=0.0, on_attempt=attempted)
    with Database.open(f"sqlite:///{tmp_path / 'orders.db'}") as db:
        desk = OrderDesk(example(), Orders(db), t.clock.now)
        desks.append(desk)
        bill = {
            "account": "0102030405",
            "read_date": "2026-11-10",
            "reading": 4512,
            "usage": 230,
            "amount": "128.80",
            "amount_due": "128.80",
        }
        order = desk.create("bill_notice", bill, by="billing").order
        notice = CampaignSpec(
            "bill", "电费通知", prompt="callback_thanks", then="paper_notice", ring_timeout=30
        )
        t.dialer.add(notice, [Entry("n1", "13900000001", source=f"order:{order.id}")])
        t.dialer.start("bill", by="billing")
        t.run_until(at("2026-12-02 18:00"))

        dialed = [local(e.at) for e in t.events.of(EntryDialed)]
        assert dialed == ["2026-12-02 09:00", "2026-12-02 10:00", "2026-12-02 11:01"]
        results = [(e.tries, e.result, e.next_at > 0) for e in t.events.of(AttemptEnded)]
        assert results == [(1, "no_answer", True), (2, "no_answer", True), (3, "no_answer", False)]
        [closed] = t.events.of(EntryClosed)
        assert (closed.result, closed.tries, closed.then) == ("no_answer", 3, "paper_notice")
        [task] = desk.store.expedites(status=ExpediteStatus.OPEN)
        assert (task.order, task.deadline) == (order.id, "paper_notice")


def _evening_calendar() -> BusinessCalendar:
    evening = Window("resident_evening", (parse_span("18:00-21:00"),), cutoff=datetime.time(22))
    return BusinessCalendar(SHANGHAI, windows=[evening])


def test_each_customer_class_is_called_in_its_window_on_the_chinese_calendar() -> None:
    """Residents after work (18:00–21:00 every day); businesses in office hours on working
    days. From Wednesday 30 September 2026 20:50, the eve of National Day: the resident is
    called at once; the business waits out the holiday (1–7 October) to Thursday 8 October
    08:30 — and the 调休 Saturday 10 October is a working day."""
    t = twin(2, "2026-09-30 20:50", calendar=_evening_calendar())
    spec = CampaignSpec(
        "v", "回访", queue=OUTBOUND, windows={"resident": "resident_evening"}, ring_timeout=20
    )
    t.dialer.add(
        spec,
        [
            Entry("home", "13900000001", customer_class="resident"),
            Entry("firm", "13900000002", customer_class="business"),
        ],
    )
    t.dialer.start("v", by="lead")
    t.run_until(at("2026-10-09 00:00"))
    dialed = {e.entry: local(e.at) for e in t.events.of(EntryDialed)}
    assert dialed == {"home": "2026-09-30 20:50", "firm": "2026-10-08 08:30"}
    assert _evening_calendar().is_workday(datetime.date(2026, 10, 10))


def test_a_resident_due_after_the_window_closes_waits_for_the_next_evening() -> None:
    t = twin(1, "2026-12-02 21:30", calendar=_evening_calendar())
    spec = CampaignSpec("v", "回访", queue=OUTBOUND, windows={"resident": "resident_evening"})
    t.dialer.add(spec, [Entry("home", "13900000001")])
    t.dialer.start("v", by="lead")
    t.run_until(at("2026-12-04 00:00"))
    assert [local(e.at) for e in t.events.of(EntryDialed)] == ["2026-12-03 18:00"]


def test_the_do_not_call_list_and_the_black_list_are_never_dialled() -> None:
    refused = {"13900000001": "do_not_call", "13900000003": "black_list"}
    t = twin(2, "2026-12-02 09:00", may_call=lambda entry: refused.get(entry.number))
    t.dialer.add(
        CampaignSpec("c", "催费", queue=OUTBOUND),
        [Entry(f"e{i}", f"1390000000{i}") for i in range(5)],
    )
    t.dialer.start("c", by="lead")
    t.run_until(at("2026-12-02 10:00"))
    numbers = {e.number for e in t.events.of(CallOriginated)}
    assert numbers == {"13900000000", "13900000002", "13900000004"}
    skipped = {e.entry: e.reason for e in t.events.of(EntryClosed) if e.result == "skipped"}
    assert skipped == {"e1": "do_not_call", "e3": "black_list"}


def test_important_customers_are_called_first() -> None:
    """停电告知: 重要客户优先 — the important entries, added last, are dialled first."""
    t = twin(1, "2026-12-02 09:00")
    ordinary = entries(3)
    important = [Entry(f"vip{i}", f"1380000000{i}", important=True) for i in range(2)]
    t.dialer.add(CampaignSpec("o", "停电告知", queue=OUTBOUND), [*ordinary, *important])
    t.dialer.start("o", by="dispatch")
    t.run_until(at("2026-12-02 11:00"))
    order = [e.entry for e in t.events.of(EntryDialed)]
    assert order[:2] == ["vip0", "vip1"]
    assert sorted(order[2:]) == ["e0", "e1", "e2"]


def test_a_pause_cancels_the_ringing_calls_without_counting_them_as_tries() -> None:
    t = twin(2, "2026-12-02 09:00", answer=0.0)
    t.dialer.add(CampaignSpec("c", "回访", queue=OUTBOUND, ring_timeout=30), entries(4))
    t.dialer.start("c", by="lead")
    t.run_until(at("2026-12-02 09:00") + 10)
    assert t.dialer.progress("c").dialing == 2
    t.dialer.pause("c", by="lead")
    t.run_until(at("2026-12-02 09:01"))
    assert t.dialer.progress("c").dialing == 0
    ended = [(e.result, e.tries) for e in t.events.of(AttemptEnded)]
    assert ended == [("cancelled", 0), ("cancelled", 0)]
    t.dialer.start("c", by="lead")
    t.run_until(at("2026-12-02 09:01") + 5)
    assert [e.tries for e in t.events.of(EntryDialed)][-2:] == [1, 1]


def drop_windows(
    t: Twin, window: float = 1800.0, campaign: str | None = None
) -> Iterator[tuple[int, int]]:
    """(answered, dropped) per window of the day, counted from the engine's events (of one
    campaign's calls when named)."""
    mine = {e.call for e in t.events.of(EntryDialed) if campaign in (None, e.campaign)}
    answered: Counter[int] = Counter()
    dropped: Counter[int] = Counter()
    offset = 8 * 3600.0  # Shanghai
    for e in t.events.of(CallOutboundAnswered):
        if e.call in mine:
            answered[int((e.at + offset) // window)] += 1
    for e in t.events.of(ContactLeft):
        if e.reason == "dropped" and e.call in mine:
            dropped[int((e.at + offset) // window)] += 1
    for key in sorted(answered.keys() | dropped.keys()):
        yield answered[key], dropped[key]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    agents=st.integers(1, 12),
    answer=st.floats(0.15, 0.95),
    busy=st.floats(0.0, 0.1),
    talk=st.floats(20.0, 300.0),
    seed=st.integers(0, 10_000),
    pacing=st.sampled_from(["predictive", "progressive"]),
    second=st.sampled_from([None, "predictive", "progressive"]),
)
def test_the_drop_cap_is_never_passed_in_any_window(
    agents: int,
    answer: float,
    busy: float,
    talk: float,
    seed: int,
    pacing: PacingName,
    second: PacingName | None,
) -> None:
    """Over random floors and lists, two hours of dialing, maybe two campaigns on the same
    agents: in every half hour, each campaign's dropped calls are at most 3 % of its
    answered ones."""
    assume(answer + busy <= 1.0)  # shares of the customers called
    t = twin(agents, "2026-12-02 09:00", answer=answer, busy=busy, talk=talk, seed=seed)
    names = ["a"] if second is None else ["a", "b"]
    for name, kind in zip(names, [pacing, second], strict=False):
        spec = CampaignSpec(name, "催费", queue=OUTBOUND, pacing=kind or pacing, ring_timeout=20)
        t.dialer.add(spec, [Entry(f"{name}{i}", f"13{i:09d}") for i in range(agents * 80)])
        t.dialer.start(name, by="lead")
    t.run_until(at("2026-12-02 11:00"))
    for name in names:
        for answered, dropped in drop_windows(t, campaign=name):
            assert dropped <= 0.03 * answered


def test_predictive_pacing_keeps_agents_busier_than_progressive_within_the_cap() -> None:
    """20 agents, 90 s calls, 30 % answer: in the same two hours predictive pacing reaches
    more customers than progressive, with drops within the cap in every window."""
    reached: dict[str, int] = {}
    for pacing in ("progressive", "predictive"):
        t = twin(20, "2026-12-02 09:00", answer=0.3, talk=90.0, seed=7)
        spec = CampaignSpec("c", "催费", queue=OUTBOUND, pacing=pacing)
        t.dialer.add(spec, entries(4000))
        t.dialer.start("c", by="lead")
        t.run_until(at("2026-12-02 11:00"))
        reached[pacing] = t.dialer.progress("c").reached
        assert all(d <= 0.03 * a for a, d in drop_windows(t))
    assert reached["predictive"] > 1.1 * reached["progressive"]
