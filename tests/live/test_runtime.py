"""The live runtime as the console uses it: a person at a seat takes a simulated call.

Each test runs the real engine, the real SQLite event log and the runtime's
commands on an asyncio loop. The clock is paused (speed 0) and moved with
`advance`, so the outcome does not depend on the machine's speed.
"""

from __future__ import annotations

import asyncio
import datetime
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from hotline.core.errors import HotlineError
from hotline.live import DemoSettings, LiveHotline, NoCallError, NotASeatError
from hotline.live.views import DeskView, IntervalCounts
from hotline.store.db import Agents, Calls, EventLog, Queues, Skills
from hotline.store.db.crm import CustomerAccounts, import_file

QUIET = Path(__file__).with_name("quiet.yaml")
CUSTOMERS = Path(__file__).parents[2] / "examples" / "95598" / "customers.csv"


def _run(body: Callable[[LiveHotline], Awaitable[None]], db: Path, **settings: Any) -> None:
    async def main() -> None:
        rt = LiveHotline.demo(
            DemoSettings(
                db_url=f"sqlite:///{db}",
                scenario=settings.pop("scenario", QUIET),
                speed=settings.pop("speed", 0.0),
                traffic=False,
                **settings,
            )
        )
        await rt.start()
        try:
            await body(rt)
        finally:
            await rt.stop()

    asyncio.run(main())


def _until(rt: LiveHotline, agent: str, phase: str | None, limit: float = 120.0) -> DeskView:
    """Advance engine time a second at a time until the seat's call is in `phase`."""
    for _ in range(int(limit)):
        view = rt.desks.view(agent)
        call = view.call
        if (call.phase if call is not None else None) == phase:
            return view
        rt.advance(1.0)
    raise AssertionError(f"seat {agent} never reached phase {phase!r}: {rt.desks.view(agent)}")


def test_a_person_at_a_seat_takes_a_call_from_ring_to_wrap_up(tmp_path: Path) -> None:
    async def body(rt: LiveHotline) -> None:
        rt.desks.login("9001", by="9001")
        assert rt.desks.view("9001").agent.state == "not_ready"
        rt.desks.ready("9001", by="9001")
        call = rt.call_in("13912345678", tier="high")

        ringing = _until(rt, "9001", "ringing")
        pop = ringing.call
        assert pop.id == call
        assert pop.caller == "13912345678"
        assert pop.tier == "high"
        assert pop.queue == "vip"  # VIPs go to the green channel; it overflows to 9001
        assert pop.customer.phone == "13912345678"
        assert pop.customer.tier == "high"
        assert "9001号客服代表" in ringing.scripts["greeting"]

        rt.desks.answer("9001")
        assert rt.desks.view("9001").call.phase == "talking"
        rt.advance(30)
        rt.desks.hold("9001")
        assert rt.desks.view("9001").call.phase == "held"
        rt.advance(10)
        rt.desks.retrieve("9001")
        rt.advance(20)
        rt.desks.hangup("9001")

        wrap = rt.desks.view("9001").call
        assert wrap.phase == "wrap_up"
        # the query queue's wrap-up is 45 s, counted from the hang-up
        assert wrap.wrap_up_ends == pytest.approx(rt.now() + 45.0)
        rt.advance(5)
        rt.desks.wrap_up("9001", "solved", note="电费已解释")
        assert rt.desks.view("9001").agent.state == "ready"
        assert rt.desks.view("9001").call is None

        rt.advance(60)  # the survey plays and the call ends
        rt.flush()
        events = [s.event for s in EventLog(rt.db).read(call=call, limit=500)]
        kinds = [e.kind for e in events]
        assert kinds.count("contact.answered") == 1
        assert "call.held" in kinds
        assert "call.retrieved" in kinds
        disposition = next(e for e in events if e.kind == "call.disposition")
        assert (disposition.agent, disposition.disposition, disposition.note) == (  # type: ignore[attr-defined]
            "9001",
            "solved",
            "电费已解释",
        )
        ended = [e for e in events if e.kind == "call.ended"]
        assert len(ended) == 1
        assert ended[0].outcome.value == "answered"  # type: ignore[attr-defined]

    _run(body, tmp_path / "live.db")


def test_the_run_stores_its_skills_queues_and_roster(tmp_path: Path) -> None:
    async def body(rt: LiveHotline) -> None:
        agents = {a.id: a for a in Agents(rt.db).list()}
        assert set(agents) == set(rt.acd.agents)
        assert agents["9001"].human
        assert not agents["1001"].human
        assert agents["1002"].team == "值班长"
        assert agents["1002"].skills == {"escalation": 8}
        assert {s.name for s in Skills(rt.db).list()} == set(rt.hotline.model.skills)
        lead = Queues(rt.db).get("shift_lead")
        assert lead is not None
        assert lead.title == "值班长 (升级与转接)"
        assert lead.spec["skill"] == "escalation"

    _run(body, tmp_path / "live.db")


def test_an_unanswered_ring_sets_the_seat_not_ready_and_requeues_the_caller(
    tmp_path: Path,
) -> None:
    async def body(rt: LiveHotline) -> None:
        rt.desks.login("9001")
        rt.desks.ready("9001")
        call = rt.call_in("13900000001")
        _until(rt, "9001", "ringing")
        rt.advance(13)  # the query queue rings an agent 12 s
        view = rt.desks.view("9001")
        assert view.agent.state == "not_ready"
        assert view.agent.reason == "missed"
        assert view.call is None
        with pytest.raises(NoCallError):
            rt.desks.answer("9001")
        board = rt.board()
        query = next(q for q in board.queues if q.name == "query")
        assert query.waiting == 1  # back in its place, waiting for the next agent
        (waiting,) = query.waiting_calls  # the wallboard lists it, the number masked
        assert (waiting.call, waiting.caller, waiting.tier) == (call, "139****0001", "ordinary")
        assert waiting.waited_s >= 13
        rt.desks.ready("9001")
        assert _until(rt, "9001", "ringing").call.id == call

    _run(body, tmp_path / "live.db")


def test_transfer_sends_the_caller_to_another_queue_and_the_seat_to_wrap_up(
    tmp_path: Path,
) -> None:
    async def body(rt: LiveHotline) -> None:
        rt.desks.login("9001")
        rt.desks.ready("9001")
        call = rt.call_in("13900000002")
        _until(rt, "9001", "ringing")
        rt.desks.answer("9001")
        rt.advance(15)
        with pytest.raises(HotlineError, match="no queue"):
            rt.desks.transfer("9001", "nowhere")
        rt.desks.transfer("9001", "shift_lead")
        assert rt.desks.view("9001").call.phase == "wrap_up"
        await rt.refresh_board()
        board = rt.board()
        lead = next(q for q in board.queues if q.name == "shift_lead")
        assert lead.offered == 1
        # one call, offered to two queues: the cards' sum exceeds the total by the transfer
        assert (board.totals.offered, board.totals.queue_offered) == (1, 2)
        assert (board.totals.answered, board.totals.queue_answered) == (1, 1)
        rt.flush()
        kinds = [s.event.kind for s in EventLog(rt.db).read(call=call, limit=500)]
        assert "contact.transferred" in kinds

    _run(body, tmp_path / "live.db")


def test_simulated_agents_do_not_take_desk_commands_but_supervisors_can_force_them(
    tmp_path: Path,
) -> None:
    async def body(rt: LiveHotline) -> None:
        with pytest.raises(NotASeatError):
            rt.desks.ready("1001")
        rt.desks.force_state("1001", "not_ready", supervisor="supervisor", reason="supervisor")
        agent = next(a for a in rt.board().agents if a.id == "1001")
        assert agent.state == "not_ready"
        assert agent.human is False
        with pytest.raises(HotlineError, match="unknown agent state"):
            rt.desks.force_state("1001", "asleep", supervisor="supervisor")

    _run(body, tmp_path / "live.db")


def test_the_wallboard_counts_today_and_computes_service_level_by_hand(tmp_path: Path) -> None:
    async def body(rt: LiveHotline) -> None:
        rt.desks.login("9001")
        rt.desks.ready("9001")
        first = rt.call_in("13900000011")
        second = rt.call_in("13900000012")
        _until(rt, "9001", "ringing")
        rt.desks.answer("9001")  # the first caller waited a few seconds: within 20 s
        rt.advance(40)
        rt.desks.hangup("9001")
        rt.desks.wrap_up("9001", "solved", note="已解答")
        _until(rt, "9001", "ringing")
        # the second caller has waited more than 20 s by now: answered late
        rt.desks.answer("9001")
        await rt.refresh_board()
        board = rt.board()
        assert board.figures_at == datetime.datetime.fromtimestamp(
            rt.now(), rt.hotline.timezone
        ).strftime("%H:%M:%S")
        query = next(q for q in board.queues if q.name == "query")
        assert (query.offered, query.answered, query.abandoned) == (2, 2, 0)
        assert query.service_level.value == pytest.approx(1 / 2)
        assert query.service_level.by_tier["ordinary"].value == pytest.approx(1 / 2)
        assert board.totals.service_level.value == pytest.approx(1 / 2)
        slot = datetime.datetime.fromtimestamp(rt.now(), rt.hotline.timezone)
        start = f"{slot.hour:02d}:{30 * (slot.minute // 30):02d}"
        assert IntervalCounts(start, offered=2, answered=2, abandoned=0) in board.intervals
        assert {first, second}

    _run(body, tmp_path / "live.db")


def test_the_wallboard_recounts_by_itself_after_something_happened(tmp_path: Path) -> None:
    async def body(rt: LiveHotline) -> None:
        rt.desks.login("9001")
        rt.desks.ready("9001")
        rt.call_in("13900000021")
        _until(rt, "9001", "ringing")
        rt.desks.answer("9001")
        every = rt.hotline.model.wallboard.refresh
        deadline = time.monotonic() + every * 5
        while rt.board().totals.answered < 1:
            assert time.monotonic() < deadline, "the wallboard was not recounted"
            await asyncio.sleep(0.1)
        query = next(q for q in rt.board().queues if q.name == "query")
        assert (query.offered, query.answered) == (1, 1)
        assert query.window.answered == 1  # within the last half hour too

    _run(body, tmp_path / "live.db")


def test_the_clock_runs_at_real_time_while_a_person_handles_a_call(tmp_path: Path) -> None:
    async def body(rt: LiveHotline) -> None:
        rt.set_speed(500.0)  # a ring of 12 s would pass in 24 ms at this speed
        await asyncio.sleep(0.05)
        assert rt.speed == 500.0
        rt.desks.login("9001")
        rt.desks.ready("9001")
        rt.call_in("13900000021")
        for _ in range(200):
            await asyncio.sleep(0.02)
            if rt.desks.view("9001").call is not None:
                break
        await asyncio.sleep(0.01)
        assert rt.desks.view("9001").call.phase == "ringing"
        assert rt.speed == 1.0
        await asyncio.sleep(0.3)  # at 1× the ring has 12 s to go: still ringing
        assert rt.desks.view("9001").call.phase == "ringing"
        rt.desks.answer("9001")
        rt.desks.hangup("9001")
        rt.desks.wrap_up("9001", "solved", note="已解答")
        await asyncio.sleep(0.01)
        assert rt.speed == 500.0

    _run(body, tmp_path / "live.db", speed=0.0)


def test_a_restarted_demo_starts_the_day_after_the_one_in_the_database(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    days: list[datetime.date] = []

    async def body(rt: LiveHotline) -> None:
        rt.call_in("13900000031")
        rt.advance(5)
        days.append(datetime.datetime.fromtimestamp(rt.now(), rt.hotline.timezone).date())

    _run(body, db)
    _run(body, db)
    assert days[1] == days[0] + datetime.timedelta(days=1)


def test_consult_transfer_hands_the_caller_to_the_shift_lead(tmp_path: Path) -> None:
    async def body(rt: LiveHotline) -> None:
        rt.desks.login("9001")
        rt.desks.ready("9001")
        call = rt.call_in("13900000041")
        _until(rt, "9001", "ringing")
        rt.desks.answer("9001")
        rt.advance(20)
        lead = rt.desks.consult("9001", "shift_lead")
        assert lead == "1002"  # the quiet day's shift lead (after the English agent 1001)
        consult = rt.desks.view("9001").call.consult
        assert consult.phase == "ringing"
        assert (consult.role, consult.target) == ("asking", "1002")
        assert rt.desks.view("9001").call.phase == "held"  # the caller waits on hold
        rt.advance(4)  # the simulated lead answers after 3 s
        assert rt.desks.view("9001").call.consult.phase == "talking"
        rt.advance(30)
        assert rt.desks.complete_transfer("9001") == "1002"
        assert rt.desks.view("9001").call.phase == "wrap_up"
        lead_state = next(a for a in rt.board().agents if a.id == "1002")
        assert (lead_state.state, lead_state.call) == ("talking", call)
        rt.desks.wrap_up("9001", "transferred")
        rt.advance(200)  # the lead talks 120 s, then the survey
        rt.flush()
        events = [s.event for s in EventLog(rt.db).read(call=call, limit=500)]
        ended = next(e for e in events if e.kind == "consult.ended")
        assert ended.outcome == "transferred"  # type: ignore[attr-defined]
        assert ended.talk == pytest.approx(54.0)  # type: ignore[attr-defined]  # 20 + 4 + 30 s
        completed = [e for e in events if e.kind == "contact.completed"]
        assert [e.agent for e in completed] == ["1002"]  # type: ignore[attr-defined]
        assert [e.kind for e in events].count("contact.answered") == 1
        ended_call = next(e for e in events if e.kind == "call.ended")
        assert ended_call.outcome.value == "answered"  # type: ignore[attr-defined]

    _run(body, tmp_path / "live.db")


def test_a_cancelled_consultation_leaves_the_caller_with_the_agent(tmp_path: Path) -> None:
    async def body(rt: LiveHotline) -> None:
        rt.desks.login("9001")
        rt.desks.ready("9001")
        rt.call_in("13900000051")
        _until(rt, "9001", "ringing")
        rt.desks.answer("9001")
        rt.desks.consult("9001", "shift_lead")
        with pytest.raises(HotlineError, match="no answered consultation"):
            rt.desks.complete_transfer("9001")
        rt.advance(5)
        rt.desks.cancel_consult("9001")
        lead_state = next(a for a in rt.board().agents if a.id == "1002")
        assert lead_state.state == "ready"  # free again at once
        assert rt.desks.view("9001").call.consult is None
        rt.desks.retrieve("9001")
        assert rt.desks.view("9001").call.phase == "talking"
        # with the lead busy elsewhere no consultation can start: refused, nothing changes
        rt.desks.force_state("1002", "not_ready", supervisor="supervisor")
        with pytest.raises(HotlineError, match="no agent of queue 'shift_lead' is free"):
            rt.desks.consult("9001", "shift_lead")
        assert rt.desks.view("9001").call.phase == "talking"

    _run(body, tmp_path / "live.db")


def test_the_caller_hanging_up_during_a_consultation_frees_the_colleague(tmp_path: Path) -> None:
    async def body(rt: LiveHotline) -> None:
        rt.desks.login("9001")
        rt.desks.ready("9001")
        call = rt.call_in("13900000061")
        _until(rt, "9001", "ringing")
        rt.desks.answer("9001")
        rt.desks.consult("9001", "shift_lead")
        rt.advance(5)
        rt.sim.switch.caller_hangs_up(call)
        rt.advance(1)
        assert rt.desks.view("9001").call.phase == "wrap_up"
        lead_state = next(a for a in rt.board().agents if a.id == "1002")
        assert lead_state.state == "ready"
        rt.flush()
        outcomes = [
            s.event.outcome  # type: ignore[attr-defined]
            for s in EventLog(rt.db).read(call=call, kinds=["consult.ended"])
        ]
        assert outcomes == ["call_ended"]

    _run(body, tmp_path / "live.db")


def test_the_live_hotline_runs_on_sqlite_and_postgresql(database_url: str) -> None:
    async def main() -> None:
        rt = LiveHotline.demo(
            DemoSettings(db_url=database_url, scenario=QUIET, speed=0.0, traffic=False)
        )
        await rt.start()
        try:
            rt.desks.login("9001")
            rt.desks.ready("9001")
            call = rt.call_in("13900000071")
            _until(rt, "9001", "ringing")
            rt.desks.answer("9001")
            rt.advance(30)
            rt.desks.hangup("9001")
            rt.desks.wrap_up("9001", "solved", note="已解答")
            await rt.commit()
            kinds = [s.event.kind for s in EventLog(rt.db).read(call=call, limit=100)]
            assert kinds[0] == "call.arrived"
            assert "call.disposition" in kinds
            record = Calls(rt.db).get(call)
            assert record is not None
            assert (record.agent, record.disposition, record.note) == ("9001", "solved", "已解答")
        finally:
            await rt.stop()

    asyncio.run(main())


def test_a_crm_customer_calling_in_is_routed_by_its_tier_and_popped_with_hints(
    tmp_path: Path,
) -> None:
    async def body(rt: LiveHotline) -> None:
        report = import_file(rt.db, CUSTOMERS, rt.crm_config, by="test")
        assert not report.rejected
        rt.desks.login("9001")
        rt.desks.ready("9001")
        rt.call_in("13700007363")  # 郑伟 in customers.csv: 197.03 元 in arrears
        view = _until(rt, "9001", "ringing")
        customer = view.call.customer
        assert customer.name == "郑伟"
        profile = CustomerAccounts(rt.db).get(customer.id)
        assert profile is not None
        assert view.call.tier == profile.tier.value  # routed by the CRM's tier
        assert customer.lifecycle == profile.lifecycle.value
        messages = [h.message for h in customer.hints]
        assert any("欠费 197.03 元" in m for m in messages)

    _run(body, tmp_path / "live.db")


def test_the_callers_open_orders_pop_up_and_overdue_ones_alert_the_wallboard(
    tmp_path: Path,
) -> None:
    async def body(rt: LiveHotline) -> None:
        desk = rt.orders
        assert desk is not None
        order = desk.create(
            "query",
            {"customer_name": "李娜", "phone": "13900000081", "content": "电费为何上涨"},
            by="9001",
            caller="13900000081",
        ).order
        desk.assign(order.id, "billing", by="lead")
        rt.desks.login("9001")
        rt.desks.ready("9001")
        rt.call_in("13900000081")
        view = _until(rt, "9001", "ringing")
        assert [(o.id, o.title) for o in view.call.orders] == [(order.id, "业务查询")]

        rt.advance(5 * 86400)  # the department's 2 working days run out
        for _ in range(100):  # the deadline scan runs every few wall seconds, off-thread
            if rt.board().orders_overdue:
                break
            await asyncio.sleep(0.1)
        board = rt.board()
        assert board.orders_overdue == 1
        assert any(a.kind == "orders_overdue" for a in board.alerts)

    _run(body, tmp_path / "live.db")


def test_the_demo_runs_at_real_time_while_a_supervisor_listens_in(tmp_path: Path) -> None:
    """监听 a simulated agent's call in the demo: the clock drops to 1× while the
    supervisor's phone is on the call (a conversation at 500× would be over at once), and
    goes back to the demo's speed when the supervisor leaves."""
    example = Path(__file__).parents[2] / "examples" / "95598" / "hotline.yaml"
    english = QUIET.read_text(encoding="utf-8")
    english = english.replace("../../examples/95598/hotline.yaml", str(example))
    english = english.replace('digits: ["3"]', 'digits: ["9"]')  # to the English desk
    english = english.replace("talk: {dist: fixed, value: 120}", "talk: {dist: fixed, value: 3600}")
    scenario = tmp_path / "english.yaml"
    scenario.write_text(english, encoding="utf-8")

    async def body(rt: LiveHotline) -> None:
        rt.set_speed(500.0)
        rt.call_in("13900000031")
        talking = None
        for _ in range(400):
            await asyncio.sleep(0.02)
            talking = next((a for a in rt.board().agents if a.state == "talking"), None)
            if talking is not None:
                break
        assert talking is not None, "the English desk never answered"
        assert rt.speed == 500.0  # a simulated conversation runs at the demo's speed
        rt.supervisors.monitor(talking.id, extension="lead", by="lead", mode="listen")
        await asyncio.sleep(0.05)
        assert rt.speed == 1.0
        rt.supervisors.end(talking.id, by="lead")
        await asyncio.sleep(0.05)
        assert rt.speed == 500.0

    _run(body, tmp_path / "live.db", scenario=scenario)
