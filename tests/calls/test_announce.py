"""Queue announcements (排队播报) through the call controller on the simulated switch.

A small hotline (a welcome prompt, then the `query` queue) is written per test with
the announcement settings under test; callers are placed on `SimSwitch`, agents log in
on the ACD, and a `VirtualClock` runs the time. What the caller hears is the switch's
own record of the media commands it was given (`play`, `start_music`).
"""

from __future__ import annotations

import datetime
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hotline.calls.announce import estimate_minutes, read_number
from hotline.calls.config import Hotline, load_hotline
from hotline.calls.engine import build_engine
from hotline.calls.events import ContactAnnounced
from hotline.calls.ports import CallerInfo
from hotline.core.clock import VirtualClock
from hotline.core.config import ConfigError
from hotline.core.customer import Tier
from hotline.core.events import EventBus, EventRecorder
from hotline.core.ids import AgentId, CallId, QueueName
from hotline.ivr.context import CallContext
from hotline.routing.events import ContactAnswered, ContactOverflowed, ContactQueued
from hotline.store.db.codec import decode, encode
from hotline.telephony.sim import SimSwitch

EXAMPLE = Path(__file__).resolve().parents[2] / "examples/95598/hotline.yaml"
START = datetime.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp()
AGENT = AgentId("9001")
WELCOME = 2.0  # seconds of the test flow's welcome prompt, then the caller is queued

NUMERAL_TEXTS = ("零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "百")
ANNOUNCEMENTS = """\
announcements:
  position_before: {text: 您前面还有, duration: 1.0}
  position_after: {text: 位客户在等待, duration: 1.5}
  wait_before: {text: 预计等待, duration: 1.0}
  wait_after: {text: 分钟, duration: 0.5}
  numerals:
""" + "".join(
    f'    "{key}": {{text: {text}, duration: 0.5}}\n'
    for key, text in zip(
        ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "100"), NUMERAL_TEXTS, strict=True
    )
)


def since_start(at: float) -> float:
    """Seconds from the test's start, to the millisecond (exact to compare)."""
    return round(at - START, 3)


# one full announcement of a one-digit position and wait: 1 + 0.5 + 1.5 + 1 + 0.5 + 0.5
FULL = 5.0


def write_hotline(
    folder: Path,
    *,
    announce: str | None = "{first_after: 30, every: 60, handle_time: 30}",
    query_extra: str = "",
    announcements: str | None = ANNOUNCEMENTS,
    other_announce: str | None = "{first_after: 10, every: 20}",
) -> Path:
    """A hotline whose number plays a welcome prompt and queues the caller in `query`."""
    (folder / "ivr").mkdir()
    (folder / "ivr" / "main.yaml").write_text(
        textwrap.dedent(
            """\
            flow: main
            start: welcome
            prompts:
              welcome: {text: 欢迎致电, duration: 2.0}
              offer: {text: 如需回电请按1, duration: 4.0}
            nodes:
              welcome: {type: play, prompt: welcome, next: queue}
              queue: {type: queue, queue: query}
            """
        ),
        encoding="utf-8",
    )
    lines = [
        "name: 测试热线",
        "numbers: {'95598': main}",
        "ivr:",
        "  callback_offer: {prompt: offer, accept_key: '1', timeout: 5}",
        "skills: {query: {}, other: {}}",
        "queues:",
        "  query:",
        "    skill: query",
        "    wrap_up: 30",
    ]
    if announce is not None:
        lines.append(f"    announce: {announce}")
    lines += [f"    {line}" for line in query_extra.splitlines()]
    lines += [
        "  other: {skill: other"
        + ("}" if other_announce is None else f", announce: {other_announce}}}"),
        "agents:",
        "  - {id: '9001', skills: {query: 5}}",
        "  - {id: '9002', skills: {other: 5}}",
    ]
    text = "\n".join(lines) + "\n" + (announcements or "")
    path = folder / "hotline.yaml"
    path.write_text(text, encoding="utf-8")
    return path


class HeardSwitch(SimSwitch):
    """The simulated switch, keeping what each caller was made to hear and when."""

    def __init__(self, clock: VirtualClock, parties: Callers, seconds: Mapping[str, float]):
        super().__init__(clock, parties, seconds)
        self.clock = clock
        self.heard: list[tuple[float, CallId, str]] = []

    def play(self, call: CallId, prompt: str, on_done: Callable[[], None]) -> None:
        self.heard.append((since_start(self.clock.now()), call, prompt))
        super().play(call, prompt, on_done)

    def start_music(self, call: CallId) -> None:
        self.heard.append((since_start(self.clock.now()), call, "music"))
        super().start_music(call)


class Callers:
    """Callers (they press `offer_key` at the callback offer, 1 s in) and agent phones
    (they answer after `answer_after` s; a conversation lasts `talk` s, the caller ends it)."""

    def __init__(self) -> None:
        self.answer_after = 5.0
        self.talk = 120.0
        self.offer_key: str | None = None

    def respond(
        self, call: CallId, prompt: str | None, max_digits: int
    ) -> tuple[str, float] | None:
        return None if self.offer_key is None else (self.offer_key, 1.0)

    def waiting_started(self, call: CallId) -> None:
        pass

    def ring(self, call: CallId, agent: AgentId, timeout: float) -> float | None:
        return self.answer_after

    def bridged(self, call: CallId, agent: AgentId) -> tuple[float | None, bool]:
        return self.talk, True

    def conversation_ended(self, call: CallId, agent: AgentId) -> None:
        pass

    def call_ended(self, call: CallId) -> None:
        pass


class Directory:
    def __init__(self, known: Mapping[str, CallerInfo]) -> None:
        self.known = dict(known)

    def identify(self, caller: str) -> CallerInfo | None:
        return self.known.get(caller)


class _NoVerifier:
    def is_bound_phone(self, account: str, phone: str) -> bool:
        return False

    def check_password(self, account: str, password: str) -> bool:
        return False


def _nothing(ctx: CallContext, args: Mapping[str, str]) -> Mapping[str, str] | None:
    return None


class Engine:
    """ACD, IVR and call controller of `hotline` on a `HeardSwitch`; nobody logged in."""

    def __init__(self, hotline: Hotline, **known: CallerInfo) -> None:
        self.hotline = hotline
        self.clock = clock = VirtualClock(START)
        bus = EventBus()
        self.events = EventRecorder(bus)
        self.callers = Callers()
        self.switch = switch = HeardSwitch(clock, self.callers, hotline.prompt_seconds())
        engine = build_engine(
            hotline,
            clock=clock,
            bus=bus,
            switch=switch,
            agents=list(hotline.agents),
            directory=Directory(known),
            verifier=_NoVerifier(),
            lookups={},
        )
        self.acd, self.controller = engine.acd, engine.controller

    def call(self, name: str, caller: str | None = None) -> CallId:
        call = CallId(name)
        self.switch.place_call(call, caller or f"139{len(self.switch.live_calls()):08d}", "95598")
        return call

    def run_until(self, seconds: float) -> None:
        self.clock.run(until=START + seconds)

    def announced(self, call: CallId) -> list[tuple[float, int | None, int | None]]:
        return [
            (since_start(e.at), e.ahead, e.wait_minutes)
            for e in self.events.of(ContactAnnounced)
            if e.call == call
        ]

    def queues_announced(self, call: CallId) -> list[tuple[float, str]]:
        return [
            (since_start(e.at), e.queue) for e in self.events.of(ContactAnnounced) if e.call == call
        ]

    def heard(self, call: CallId, since: float = 0.0) -> list[tuple[float, str]]:
        return [(t, what) for t, c, what in self.switch.heard if c == call and t >= since]


@pytest.fixture
def hotline(tmp_path: Path) -> Hotline:
    return load_hotline(write_hotline(tmp_path))


def number(n: int) -> list[str]:
    return [f"announce_number_{key}" for key in read_number(n)]


# ---- what is read, in which order -------------------------------------------------------


def test_the_fourth_caller_hears_three_ahead_and_two_minutes_in_order(hotline: Hotline) -> None:
    engine = Engine(hotline)
    calls = [engine.call(f"c{i}") for i in range(1, 5)]
    engine.run_until(WELCOME + 30 + 10)
    # nobody is logged in: the estimate shares the configured 30 s among 1 agent at least,
    # so (3 ahead + 1) × 30 s = 2 minutes
    assert engine.announced(calls[3]) == [(WELCOME + 30, 3, 2)]
    expected = [
        "announce_position_before",
        "announce_number_3",
        "announce_position_after",
        "announce_wait_before",
        "announce_number_2",
        "announce_wait_after",
        "music",
    ]
    heard = engine.heard(calls[3], since=WELCOME + 1)
    assert [what for _, what in heard] == expected
    # a chain: each prompt starts when the one before it ends, then the music resumes
    times = [t for t, _ in heard]
    assert times == pytest.approx([WELCOME + 30 + d for d in (0.0, 1.0, 1.5, 3.0, 4.0, 4.5, FULL)])
    assert [e[1:] for c in calls for e in engine.announced(c)] == [
        (0, 1),
        (1, 1),
        (2, 2),
        (3, 2),
    ]


def test_position_follows_the_acds_order_with_priorities(hotline: Hotline) -> None:
    engine = Engine(hotline, **{"13900000009": CallerInfo(tier=Tier.HIGH)})
    ordinary = engine.call("c1")
    engine.run_until(5)
    vip = engine.call("c2", caller="13900000009")  # queued 5 s later, served first
    engine.run_until(WELCOME + 5 + 31)
    # the VIP came later but the queue serves it first: it is ahead of the ordinary caller
    assert engine.announced(ordinary) == [(WELCOME + 30, 1, 1)]
    assert engine.announced(vip) == [(WELCOME + 5 + 30, 0, 1)]


def test_numbers_above_nine_are_chains_of_numerals(hotline: Hotline) -> None:
    engine = Engine(hotline)
    calls = [engine.call(f"c{i}") for i in range(1, 14)]
    engine.run_until(WELCOME + 40)
    last = calls[-1]
    # 12 ahead, (12 + 1) × 30 s = 6.5 → 7 minutes
    assert engine.announced(last) == [(WELCOME + 30, 12, 7)]
    heard = [what for _, what in engine.heard(last, since=WELCOME + 1)]
    assert heard == [
        "announce_position_before",
        "announce_number_10",
        "announce_number_2",
        "announce_position_after",
        "announce_wait_before",
        "announce_number_7",
        "announce_wait_after",
        "music",
    ]


def test_position_only_or_wait_only(tmp_path: Path) -> None:
    for sub, announce, played, event in [
        ("p", "{first_after: 20, every: 60, wait: false}", "position", (1, None)),
        # the default handle time, 300 s: (1 + 1) × 300 s = 10 minutes
        ("w", "{first_after: 20, every: 60, position: false}", "wait", (None, 10)),
    ]:
        folder = tmp_path / sub
        folder.mkdir()
        engine = Engine(load_hotline(write_hotline(folder, announce=announce)))
        engine.call("c1")
        second = engine.call("c2")
        engine.run_until(WELCOME + 30)
        assert [e[1:] for e in engine.announced(second)] == [event]
        heard = [what for _, what in engine.heard(second, since=WELCOME + 1)]
        assert heard[0] == f"announce_{played}_before"
        assert heard[-2:] == [f"announce_{played}_after", "music"]
        other = "wait" if played == "position" else "position"
        assert not any(what.startswith(f"announce_{other}") for what in heard)


# ---- when -------------------------------------------------------------------------------


def test_first_after_then_every(hotline: Hotline) -> None:
    engine = Engine(hotline)
    call = engine.call("c1")
    engine.run_until(WELCOME + 200)
    assert [t for t, _, _ in engine.announced(call)] == pytest.approx(
        [WELCOME + 30, WELCOME + 90, WELCOME + 150]
    )
    queued = engine.events.of(ContactQueued)[0]
    assert since_start(queued.at) == WELCOME


def test_other_timings_are_taken_from_the_queue(tmp_path: Path) -> None:
    hotline = load_hotline(write_hotline(tmp_path, announce="{first_after: 0, every: 15}"))
    engine = Engine(hotline)
    call = engine.call("c1")
    engine.run_until(WELCOME + 50)
    assert [t for t, _, _ in engine.announced(call)] == pytest.approx(
        [WELCOME, WELCOME + 15, WELCOME + 30, WELCOME + 45]
    )


def test_off_by_default(tmp_path: Path) -> None:
    hotline = load_hotline(
        write_hotline(tmp_path, announce=None, announcements=None, other_announce=None)
    )
    assert not hotline.announcement_plan().queues
    engine = Engine(hotline)
    call = engine.call("c1")
    engine.run_until(WELCOME + 600)
    assert engine.announced(call) == []
    assert [what for _, what in engine.heard(call)] == ["welcome", "music"]


# ---- none once the caller has left the queue ---------------------------------------------


def test_none_after_the_caller_is_answered(hotline: Hotline) -> None:
    engine = Engine(hotline)
    call = engine.call("c1")
    engine.run_until(WELCOME + 100)  # announced at 30 and 90
    engine.acd.login(AGENT, ready=True)
    engine.run_until(WELCOME + 1000)
    answered = since_start(engine.events.of(ContactAnswered)[0].at)
    assert answered == WELCOME + 105
    assert [t for t, _, _ in engine.announced(call)] == pytest.approx([WELCOME + 30, WELCOME + 90])


def test_an_announcement_is_cut_when_the_agent_is_rung(hotline: Hotline) -> None:
    engine = Engine(hotline)
    call = engine.call("c1")
    engine.run_until(WELCOME + 31.2)  # the announcement plays from 30 to 35
    engine.acd.login(AGENT, ready=True)  # offered at once: the phone rings for 5 s
    engine.run_until(WELCOME + 300)
    assert engine.heard(call, since=WELCOME + 1) == [
        (WELCOME + 30, "announce_position_before"),
        (WELCOME + 31, "announce_number_0"),
        (WELCOME + 31.2, "music"),  # cut: music while the phone rings
    ]
    assert since_start(engine.events.of(ContactAnswered)[0].at) == WELCOME + 36.2
    assert len(engine.announced(call)) == 1


def test_none_while_ringing_and_on_after_a_ring_no_answer(hotline: Hotline) -> None:
    engine = Engine(hotline)
    engine.callers.answer_after = 1000.0  # the phone rings out after the queue's 12 s
    call = engine.call("c1")
    engine.run_until(WELCOME + 85)
    engine.acd.login(AGENT, ready=True)  # rings 85–97 over the announcement due at 90
    engine.run_until(WELCOME + 160)
    assert [t for t, _, _ in engine.announced(call)] == pytest.approx([WELCOME + 30, WELCOME + 150])


def test_none_after_the_caller_hangs_up(hotline: Hotline) -> None:
    engine = Engine(hotline)
    call = engine.call("c1")
    other = engine.call("c2")
    engine.run_until(WELCOME + 30.5)  # during the first announcement
    engine.switch.caller_hangs_up(call)
    engine.run_until(WELCOME + 500)
    assert len(engine.announced(call)) == 1
    assert engine.heard(call)[-1] == (WELCOME + 30, "announce_position_before")
    # the other caller's go on (32, 92 … 452), one place further ahead once c1 left
    announced = engine.announced(other)
    assert [t for t, _, _ in announced] == [WELCOME + 30 + 60 * k for k in range(8)]
    assert [ahead for _, ahead, _ in announced[:2]] == [1, 0]


def test_none_after_an_overflow(tmp_path: Path) -> None:
    extra = "max_wait: 100\non_max_wait: overflow\noverflow_to: other"
    engine = Engine(load_hotline(write_hotline(tmp_path, query_extra=extra)))
    call = engine.call("c1")
    engine.run_until(WELCOME + 400)
    assert since_start(engine.events.of(ContactOverflowed)[0].at) == WELCOME + 100
    assert [t for t, _, _ in engine.announced(call)] == pytest.approx([WELCOME + 30, WELCOME + 90])


def test_a_caller_transferred_to_another_queue_hears_that_queues_announcements(
    hotline: Hotline,
) -> None:
    engine = Engine(hotline)
    engine.acd.login(AGENT, ready=True)
    call = engine.call("c1")  # rung at 2, answered at 7
    engine.run_until(40)
    engine.controller.transfer(call, QueueName("other"))  # nobody of `other` is logged in
    engine.run_until(100)
    # `other` announces 10 s after entry, then every 20 s; query's never did (answered at 7)
    assert engine.queues_announced(call) == [
        (50, "other"),
        (70, "other"),
        (90, "other"),
    ]


def test_the_callback_offer_replaces_an_announcement_and_declining_resumes_them(
    tmp_path: Path,
) -> None:
    extra = "max_wait: 93\non_max_wait: callback"
    engine = Engine(load_hotline(write_hotline(tmp_path, query_extra=extra)))
    engine.callers.offer_key = "2"  # keep waiting
    call = engine.call("c1")
    engine.run_until(WELCOME + 200)
    heard = engine.heard(call, since=WELCOME + 90)
    # the announcement at 90 is replaced by the offer (a collect) at 93; declined at 94
    assert heard[:3] == [
        (WELCOME + 90, "announce_position_before"),
        (WELCOME + 91, "announce_number_0"),
        (WELCOME + 91.5, "announce_position_after"),
    ]
    assert (WELCOME + 94, "music") in heard
    assert [t for t, _, _ in engine.announced(call)] == pytest.approx(
        [WELCOME + 30, WELCOME + 90, WELCOME + 150]
    )


def test_accepting_the_callback_offer_ends_them(tmp_path: Path) -> None:
    extra = "max_wait: 93\non_max_wait: callback"
    engine = Engine(load_hotline(write_hotline(tmp_path, query_extra=extra)))
    engine.callers.offer_key = "1"
    call = engine.call("c1")
    engine.run_until(WELCOME + 400)
    assert len(engine.announced(call)) == 2
    assert call not in engine.switch.live_calls()


# ---- the wait estimate ------------------------------------------------------------------


def test_the_estimate_uses_the_queues_recent_conversations_and_agents(hotline: Hotline) -> None:
    engine = Engine(hotline)
    engine.callers.talk = 150.0
    engine.acd.login(AGENT, ready=True)
    engine.call("c1")  # rung at 2, answered at 7, talks 150 s, then 30 s wrap-up
    engine.run_until(10)
    engine.acd.set_not_ready(AGENT)  # after its call: still logged in, takes no call
    second = engine.call("c2")  # queued at 12: announced at 42, 102, 162
    engine.run_until(170)
    # before the first conversation ended (at 157): the configured 30 s → 1 minute;
    # after it: 150 s talk + 30 s wrap-up = 180 s for its 1 logged-in agent → 3 minutes
    assert engine.announced(second) == [(42, 0, 1), (102, 0, 1), (162, 0, 3)]
    assert estimate_minutes(0, 180.0, 1) == 3
    assert estimate_minutes(5, 180.0, 3) == 6  # 6 × 180 / 3 = 360 s
    assert estimate_minutes(0, 10.0, 4) == 1  # at least a minute
    assert estimate_minutes(2, 40.0, 0) == 2  # nobody logged in counts as one agent


# ---- reading numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "chinese"),
    [
        (0, "零"),
        (7, "七"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (99, "九十九"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (999, "九百九十九"),
    ],
)
def test_numbers_are_read_in_chinese(n: int, chinese: str) -> None:
    example = load_hotline(EXAMPLE)
    assert example.model.announcements is not None
    numerals = example.model.announcements.numerals
    assert "".join(numerals[key].text for key in read_number(n)) == chinese


@pytest.mark.parametrize("n", [-1, 1000])
def test_numbers_outside_what_the_numerals_read_are_refused(n: int) -> None:
    with pytest.raises(ValueError, match="0 to 999"):
        read_number(n)


# ---- the example hotline, events ----------------------------------------------------------


def test_the_example_announces_in_query_and_fault_and_knows_the_prompts() -> None:
    from hotline.sip.serve import prompt_texts

    example = load_hotline(EXAMPLE)
    plan = example.announcement_plan()
    assert set(plan.queues) == {QueueName("query"), QueueName("fault")}
    seconds = example.prompt_seconds()
    texts = prompt_texts(example)
    assert texts["announce_position_before"] == "您前面还有"
    assert texts["announce_number_100"] == "百"
    names = {n for n in seconds if n.startswith("announce_")}
    assert len(names) == 16
    assert names <= texts.keys()
    assert "welcome" in seconds  # the flows' prompts are still there
    assert "welcome" in texts


def test_the_event_is_stored_and_read_back() -> None:
    for event in (
        ContactAnnounced(START, CallId("c1"), QueueName("query"), 3, 2),
        ContactAnnounced(START, CallId("c1"), QueueName("query"), None, 4),
    ):
        at, kind, call, agent, queue, data = encode(event)
        assert (kind, call, queue) == ("contact.announced", "c1", "query")
        assert decode(at, kind, call, agent, queue, data) == event


# ---- configuration errors -------------------------------------------------------------------


def _error(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_hotline(path)
    return str(caught.value)


def test_an_announcing_queue_needs_the_prompts(tmp_path: Path) -> None:
    message = _error(write_hotline(tmp_path, announcements=None))
    assert "hotline.yaml:10:" in message  # the line of `announce:`
    assert "queues.query.announce: announcements need the prompts" in message


@pytest.mark.parametrize(
    ("announce", "found"),
    [
        ("{every: 0}", "queues.query.announce.every: Input should be greater than 0"),
        ("{first_after: -5}", "queues.query.announce.first_after: Input should be greater"),
        ("{position: false, wait: false}", "an announcement needs position: true or wait: true"),
        ("{every: 60, louder: true}", "queues.query.announce.louder: unknown key 'louder'"),
        ("{handle_time: soon}", "queues.query.announce.handle_time: Input should be a valid"),
    ],
)
def test_bad_announce_settings_are_named(tmp_path: Path, announce: str, found: str) -> None:
    message = _error(write_hotline(tmp_path, announce=announce))
    assert "hotline.yaml:10:" in message
    assert found in message


def test_missing_or_unknown_numerals_are_named(tmp_path: Path) -> None:
    broken = ANNOUNCEMENTS.replace('    "100": {text: 百, duration: 0.5}\n', "")
    broken += '    "1000": {text: 千, duration: 0.5}\n'
    message = _error(write_hotline(tmp_path, announcements=broken))
    assert "announcements.numerals: " in message
    assert "missing 100; unknown 1000" in message
    assert "hotline.yaml:" in message


def test_a_missing_announcement_prompt_is_named(tmp_path: Path) -> None:
    broken = ANNOUNCEMENTS.replace("  wait_after: {text: 分钟, duration: 0.5}\n", "")
    message = _error(write_hotline(tmp_path, announcements=broken))
    assert "announcements: missing required key 'wait_after'" in message
