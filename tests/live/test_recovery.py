"""A run killed in the middle of its calls: the next start on real calls closes them as lost.

The killed run is the engine itself (`SipHotline`, as `hotline serve` runs it) on the
simulated switch with scripted callers, its events written to a database through the
same writer and calls ledger; it then simply stops, with no shutdown (what SIGKILL
leaves): a conversation with agent 9001, a caller waiting in queue, a caller in the
IVR. `LiveHotline.on_sip` then starts on that database with a real Kamailio and SIP
endpoint on loopback, and stops.
"""

from __future__ import annotations

import asyncio
import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hotline.calls.config import load_hotline
from hotline.core.clock import VirtualClock
from hotline.core.events import Event
from hotline.core.ids import AgentId, CallId
from hotline.live import LiveHotline
from hotline.live.recovery import RESTART
from hotline.routing.model import AgentState
from hotline.routing.replay import replay
from hotline.sip.serve import ServeSettings, SipHotline
from hotline.site import Site
from hotline.store.db import CallLedger, Calls, Database, EventLog
from hotline.telephony.sim import SimSwitch
from tests.support.sip import free_port, need

EXAMPLE = Path(__file__).resolve().parents[2] / "examples/95598/hotline.yaml"
KILLED_AT_START = datetime.datetime(
    2025, 11, 26, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")
).timestamp()
"""The killed run's start: a past working day in office hours (no holiday greeting)."""


class _Callers:
    """k1 and k2 press 3 at the main menu, k3 never gets that far; 9001 answers at once and
    talks until someone hangs up."""

    def respond(
        self, call: CallId, prompt: str | None, max_digits: int
    ) -> tuple[str, float] | None:
        return ("3", 2.0) if prompt == "menu_main" and call != "k3" else None

    def waiting_started(self, call: CallId) -> None:
        pass

    def ring(self, call: CallId, agent: AgentId, timeout: float) -> float | None:
        return 0.5

    def bridged(self, call: CallId, agent: AgentId) -> tuple[float | None, bool]:
        return None, False

    def conversation_ended(self, call: CallId, agent: AgentId) -> None:
        pass

    def call_ended(self, call: CallId) -> None:
        pass


def _killed_run(url: str) -> float:
    """Run the engine into three calls in progress and stop writing; the last event's time."""
    hotline = load_hotline(EXAMPLE)
    with Database.open(url) as db:
        writer = EventLog(db).writer()
        CallLedger(writer)
        clock = VirtualClock(KILLED_AT_START)
        switch = SimSwitch(clock, _Callers(), hotline.prompt_seconds())
        engine = SipHotline(hotline, clock=clock, switch=switch)
        engine.bus.subscribe(writer.append)
        engine.follow_phones({"9001"})
        switch.place_call(CallId("k1"), "13800138001", "95598")
        clock.run(until=clock.now() + 40)
        switch.place_call(CallId("k2"), "13800138002", "95598")
        clock.run(until=clock.now() + 40)
        switch.place_call(CallId("k3"), "13800138003", "95598")
        clock.run(until=clock.now() + 2)
        assert engine.acd.state_of(AgentId("9001")) is AgentState.TALKING
        assert set(switch.live_calls()) == {"k1", "k2", "k3"}
        writer.close()  # what was published is in the log; nothing else happens: "killed"
        last = EventLog(db).read(since_id=EventLog(db).last_id() - 1, limit=1)
        return last[0].event.at


def _start_and_stop(tmp_path: Path, url: str) -> None:
    settings = ServeSettings(
        workdir=tmp_path / "sip", kamailio_port=free_port(), sip_port=free_port()
    )
    runtime = LiveHotline.on_sip(Site.load(EXAMPLE), settings, db_url=url)

    async def run() -> None:
        try:
            await runtime.start()
        finally:
            await runtime.stop()

    asyncio.run(run())


def _events(url: str) -> list[Event]:
    with Database.open(url) as db:
        return list(EventLog(db).events())


def test_a_start_ends_the_calls_a_killed_run_left_as_lost_and_frees_its_seats(
    tmp_path: Path,
) -> None:
    need("kamailio", "kamcmd")
    url = f"sqlite:///{tmp_path / 'hotline.db'}"
    last_at = _killed_run(url)
    with Database.open(url) as db:
        rows = [Calls(db).get(c) for c in ("k1", "k2", "k3")]
    assert [r.ended_at for r in rows if r is not None] == [None, None, None]
    before = len(_events(url))

    _start_and_stop(tmp_path, url)

    events = _events(url)
    closing = events[before:]
    ended = {e.call: e for e in closing if e.kind == "call.ended"}  # type: ignore[attr-defined]
    assert sorted(ended) == ["k1", "k2", "k3"]
    assert [e for e in events if e.kind == "call.ended"] == list(ended.values())  # one each
    outcomes = {c: (e.outcome, e.phase, e.by) for c, e in ended.items()}  # type: ignore[attr-defined]
    assert outcomes == {
        "k1": ("answered", "talking", "lost"),
        "k2": ("blocked", "queue", "lost"),
        "k3": ("blocked", "ivr", "lost"),
    }
    # stamped when the killed run was last seen alive, not when the new one started
    assert {e.at for e in closing} == {last_at}
    kinds = [(e.kind, getattr(e, "call", None)) for e in closing]
    assert ("contact.completed", "k1") in kinds  # 9001's conversation is over
    assert ("contact.left", "k2") in kinds  # the waiting caller left the queue
    [completed] = [e for e in closing if e.kind == "contact.completed"]
    assert completed.ended_by == "lost"  # type: ignore[attr-defined]
    nine = [e for e in closing if e.kind == "agent.state_changed"]
    assert [(e.previous, e.state, e.by) for e in nine] == [  # type: ignore[attr-defined]
        (AgentState.TALKING, AgentState.WRAP_UP, None),
        (AgentState.WRAP_UP, AgentState.LOGGED_OUT, RESTART),
    ]
    # the log agrees with itself from the first event on: no seat left in a call, no contact
    picture = replay(events, strict=True)
    assert picture.contacts == {}
    assert {s.state for s in picture.agents.values()} == {AgentState.LOGGED_OUT}
    with Database.open(url) as db:
        ended_rows = {c: Calls(db).get(c) for c in ("k1", "k2", "k3")}
    assert {c: (r.ended_at, r.outcome) for c, r in ended_rows.items() if r is not None} == {
        "k1": (last_at, "answered"),
        "k2": (last_at, "blocked"),
        "k3": (last_at, "blocked"),
    }

    _start_and_stop(tmp_path, url)  # a second start finds nothing left to close
    assert len(_events(url)) == len(events)
