"""Fakes for IVR tests: a scripted caller on a fake switch, identity and lookup fakes."""

from __future__ import annotations

import datetime
from collections import deque
from collections.abc import Callable, Collection, Mapping
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hotline.core.clock import TimerHandle, VirtualClock
from hotline.core.customer import ListMark, Tier
from hotline.core.events import EventBus, EventRecorder
from hotline.core.ids import AgentId, CallId
from hotline.ivr import (
    CallContext,
    ChineseHolidayCalendar,
    Flow,
    IvrExit,
    IvrRunner,
    Lookup,
    parse_flow,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
QUEUES = ("complaint", "english", "fault", "query", "vip")
LOOKUPS = ("bill", "outage")


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> float:
    """Epoch seconds of a local time in Shanghai."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI).timestamp()


class FakeSwitch:
    """The `Switch` port with a scripted caller, timed on a `VirtualClock`.

    `script` holds what the caller types at each `collect`, in order ("" types
    nothing). Keys start after the prompt, one a second; without a terminator
    or enough digits the switch waits `timeout` after the last key. A new media
    command replaces the pending one, as the port's contract says.
    """

    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        self.durations: dict[str, float] = {}
        self.script: deque[str] = deque()
        self.log: list[tuple[Any, ...]] = []
        self._pending: dict[CallId, TimerHandle] = {}

    def caller_types(self, *keys: str) -> None:
        self.script.extend(keys)

    def prompts(self) -> list[str]:
        """Every prompt played or used to collect, in order."""
        return [entry[2] for entry in self.log if entry[0] in ("play", "collect")]

    def _media(self, call: CallId, handle: TimerHandle) -> None:
        self.clock.cancel(self._pending.get(call))
        self._pending[call] = handle

    def play(self, call: CallId, prompt: str, on_done: Callable[[], None]) -> None:
        self.log.append(("play", call, prompt))
        self._media(call, self.clock.call_later(self.durations[prompt], on_done))

    def collect(
        self,
        call: CallId,
        prompt: str | None,
        *,
        max_digits: int,
        timeout: float,
        terminator: str | None,
        on_digits: Callable[[str], None],
    ) -> None:
        self.log.append(("collect", call, prompt, max_digits, timeout, terminator))
        keys = self.script.popleft() if self.script else ""
        spoken = self.durations[prompt] if prompt is not None else 0.0
        if terminator is not None and terminator in keys:
            end = keys.index(terminator)
            typed, delay = keys[:end][:max_digits], end + 1.0
        elif len(keys) >= max_digits:
            typed, delay = keys[:max_digits], float(max_digits)
        else:
            typed, delay = keys, len(keys) + timeout
        self._media(call, self.clock.call_later(spoken + delay, on_digits, typed))

    def answer(self, call: CallId) -> None:
        self.log.append(("answer", call))

    def start_music(self, call: CallId) -> None:
        self.log.append(("music", call))

    def ring_agent(self, call: CallId, agent: AgentId, timeout: float) -> None:
        self.log.append(("ring", call, agent))

    def cancel_ring(self, call: CallId, agent: AgentId) -> None:
        self.log.append(("cancel_ring", call, agent))

    def bridge(self, call: CallId, agent: AgentId) -> None:
        self.log.append(("bridge", call, agent))

    def unbridge(self, call: CallId) -> None:
        self.log.append(("unbridge", call))

    def hold(self, call: CallId) -> None:
        self.log.append(("hold", call))

    def retrieve(self, call: CallId) -> None:
        self.log.append(("retrieve", call))

    def hangup(self, call: CallId, cause: str) -> None:
        self.log.append(("hangup", call, cause))

    def live_calls(self) -> Collection[CallId]:
        return list(self._pending)


class FakeVerifier:
    """Accounts with their bound phones and query passwords."""

    def __init__(self) -> None:
        self.bound = {("1234567890", "13800000001")}
        self.passwords = {"1234567890": "123456", "9876543210": "654321"}
        self.password_checks: list[tuple[str, str]] = []

    def is_bound_phone(self, account: str, phone: str) -> bool:
        return (account, phone) in self.bound

    def check_password(self, account: str, password: str) -> bool:
        self.password_checks.append((account, password))
        return self.passwords.get(account) == password


class FakeLookups:
    """``bill`` by account and ``outage`` by calling number, recording every call."""

    def __init__(self) -> None:
        self.bills = {
            "1234567890": {"amount": "128.50", "due_date": "2025-10-25", "balance": "0.00"},
            "9876543210": {"amount": "56.20", "due_date": "2025-10-25", "balance": "12.00"},
        }
        self.outages = {
            "13900000009": {"area": "西湖区", "cause": "线路检修", "restore_time": "18:00"}
        }
        self.calls: list[tuple[str, dict[str, str]]] = []

    def bill(self, ctx: CallContext, args: Mapping[str, str]) -> Mapping[str, str] | None:
        self.calls.append(("bill", dict(args)))
        return self.bills.get(args.get("account", ""))

    def outage(self, ctx: CallContext, args: Mapping[str, str]) -> Mapping[str, str] | None:
        self.calls.append(("outage", dict(args)))
        return self.outages.get(args.get("phone", ""))

    def as_mapping(self) -> dict[str, Lookup]:
        return {"bill": self.bill, "outage": self.outage}


class Harness:
    """A clock, a bus with a recorder, the fakes, and runners on them."""

    def __init__(self, start: float) -> None:
        self.clock = VirtualClock(start=start)
        self.bus = EventBus()
        self.events = EventRecorder(self.bus)
        self.switch = FakeSwitch(self.clock)
        self.verifier = FakeVerifier()
        self.lookups = FakeLookups()
        self.exits: list[tuple[CallContext, IvrExit]] = []
        self.runner: IvrRunner | None = None

    def flow(self, text: str, *, file: str = "test.yaml") -> Flow:
        return parse_flow(text, file=file, known_queues=QUEUES, known_lookups=LOOKUPS)

    def build(self, *flows: Flow) -> IvrRunner:
        for flow in flows:
            self.switch.durations.update({n: p.duration for n, p in flow.prompts.items()})
        self.runner = IvrRunner(
            clock=self.clock,
            bus=self.bus,
            switch=self.switch,
            flows={flow.flow: flow for flow in flows},
            lookups=self.lookups.as_mapping(),
            verifier=self.verifier,
            calendar=ChineseHolidayCalendar(),
            timezone=SHANGHAI,
        )
        return self.runner

    def call(
        self,
        flow: str,
        *keys: str,
        call: str = "c1",
        caller: str = "13800000001",
        tier: Tier = Tier.ORDINARY,
        list_mark: ListMark = ListMark.NONE,
        account: str | None = None,
        agent: str | None = None,
        run: bool = True,
    ) -> CallContext:
        """Start a call in `flow` with the caller typing `keys`, and run the clock."""
        assert self.runner is not None, "build a runner first"
        self.switch.caller_types(*keys)
        ctx = CallContext(
            call=CallId(call),
            caller=caller,
            dialed="95598",
            arrived_at=self.clock.now(),
            tier=tier,
            list_mark=list_mark,
            account=account,
            agent=AgentId(agent) if agent is not None else None,
        )
        self.runner.start(ctx, flow, lambda c, e: self.exits.append((c, e)))
        if run:
            self.clock.run()
        return ctx

    @property
    def exit(self) -> IvrExit:
        assert len(self.exits) == 1, self.exits
        return self.exits[0][1]


@pytest.fixture
def harness() -> Harness:
    """A harness at 10:00 on Wednesday 2025-10-15, a working day."""
    return Harness(at(2025, 10, 15))


@pytest.fixture
def harness_at() -> Callable[..., Harness]:
    """A harness factory: ``harness_at(2025, 10, 1, 23, 30)`` starts then (Shanghai time)."""
    return lambda *when: Harness(at(*when))
