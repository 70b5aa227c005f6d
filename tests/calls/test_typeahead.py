"""Type-ahead on the example hotline (examples/95598) on the simulated switch: a key
pressed during a greeting is the main menu's choice, without the menu's prompt."""

from __future__ import annotations

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hotline.calls.config import load_hotline
from hotline.core.clock import VirtualClock
from hotline.core.events import EventRecorder
from hotline.core.ids import AgentId, CallId
from hotline.sip.serve import SipHotline
from hotline.telephony.sim import SimSwitch

EXAMPLE = Path(__file__).resolve().parents[2] / "examples/95598/hotline.yaml"
SHANGHAI = ZoneInfo("Asia/Shanghai")
WORKDAY_10AM = datetime.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI).timestamp()
NATIONAL_DAY_10AM = datetime.datetime(2026, 10, 1, 10, 0, tzinfo=SHANGHAI).timestamp()
CALL = CallId("c1")


class Silent:
    """A caller who types nothing when asked (only what the test presses), an agent who
    answers after 1 s and talks for `talk` seconds, then hangs up."""

    def __init__(self, talk: float = 30.0) -> None:
        self.talk = talk

    def respond(
        self, call: CallId, prompt: str | None, max_digits: int
    ) -> tuple[str, float] | None:
        return None

    def waiting_started(self, call: CallId) -> None:
        pass

    def ring(self, call: CallId, agent: AgentId, timeout: float) -> float | None:
        return 1.0

    def bridged(self, call: CallId, agent: AgentId) -> tuple[float | None, bool]:
        return self.talk, False

    def conversation_ended(self, call: CallId, agent: AgentId) -> None:
        pass

    def call_ended(self, call: CallId) -> None:
        pass


def run(start: float, presses: list[tuple[float, str]], *, talk: float = 30.0) -> EventRecorder:
    hotline = load_hotline(EXAMPLE)
    clock = VirtualClock(start)
    switch = SimSwitch(clock, Silent(talk), hotline.prompt_seconds())
    engine = SipHotline(hotline, clock=clock, switch=switch)
    recorder = EventRecorder(engine.bus)
    engine.follow_phones({"9001", "9002", "9003"})
    switch.place_call(CALL, "13800138000", "95598")
    for after, digits in presses:
        clock.call_later(after, switch.press, CALL, digits)
    clock.run(until=start + 120)
    return recorder


def of(recorder: EventRecorder, kind: str) -> list[dict[str, object]]:
    return [e.to_record() for e in recorder if e.kind == kind]


def test_3_pressed_during_the_greeting_is_the_main_menus_choice_at_once() -> None:
    events = run(WORKDAY_10AM, [(1.0, "3")])
    [chosen] = of(events, "ivr.menu_chosen")
    assert (chosen["node"], chosen["choice"]) == ("main_menu", "3")
    # the welcome prompt (4.5 s) played to its end; the menu's 12 s prompt was not played
    assert chosen["at"] == WORKDAY_10AM + 4.5
    exited = of(events, "ivr.exited")[0]  # the main flow's (the survey's follows)
    assert (exited["node"], exited["queue"]) == ("to_query", "query")
    assert [e["node"] for e in of(events, "ivr.input_failed")] == ["survey"]  # nothing typed there


def test_3_pressed_during_the_holiday_greeting_reaches_the_branch_for_3() -> None:
    # on a holiday the welcome (4.5 s) is followed by the holiday greeting (7 s)
    events = run(NATIONAL_DAY_10AM, [(6.0, "3")])
    [chosen] = of(events, "ivr.menu_chosen")
    assert chosen["choice"] == "3"
    assert chosen["at"] == NATIONAL_DAY_10AM + 4.5 + 7.0
    exited = of(events, "ivr.exited")[0]  # the main flow's (the survey's follows)
    assert exited["queue"] == "query"


def test_without_a_key_the_menu_asks_and_fails_to_the_agent_queue() -> None:
    events = run(WORKDAY_10AM, [])
    assert of(events, "ivr.menu_chosen") == []
    [failed] = of(events, "ivr.input_failed")
    assert failed["node"] == "main_menu"


def test_keys_pressed_while_talking_to_the_agent_do_not_rate_the_call() -> None:
    # 3 during the greeting; 5 during the conversation; the survey then hears nothing
    events = run(WORKDAY_10AM, [(1.0, "3"), (12.0, "5")], talk=10.0)
    assert of(events, "contact.answered") or of(events, "call.answered")
    assert of(events, "survey.scored") == []
    # and 5 pressed during the survey's own question is heard
    events = run(WORKDAY_10AM, [(1.0, "3"), (25.0, "5")], talk=10.0)
    [scored] = of(events, "survey.scored")
    assert scored["score"] == 5
