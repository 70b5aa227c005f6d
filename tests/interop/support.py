"""Helpers for the queue_log tests: write a log from rows, import it, check the engine's rules."""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from collections.abc import Sequence
from typing import TypeVar

import pytest

from hotline.calls.events import CallArrived, CallEnded, Outcome
from hotline.core.events import Event
from hotline.interop.queue_log import Conversion, Settings, convert, parse_lines
from hotline.routing.events import (
    AgentStateChanged,
    ContactAbandoned,
    ContactAnswered,
    ContactCompleted,
    ContactLeft,
    ContactOffered,
    ContactOfferFailed,
    ContactOverflowed,
    ContactQueued,
    ContactRingNoAnswer,
    ContactTimedOut,
    ContactTransferred,
)
from hotline.routing.model import CALL_STATES, AgentState
from hotline.routing.replay import replay

T = 1_700_000_000  # 2023-11-15 06:13:20 +08:00: every log's time 0
UTC = datetime.UTC

Row = tuple[object, ...]


def log(*rows: Row) -> str:
    """queue_log text: each row is (seconds after T, callid, queue, agent, event, *data)."""
    return "\n".join("|".join([str(T + int(r[0])), *map(str, r[1:])]) for r in rows) + "\n"


def imported(text: str, settings: Settings | None = None, source: str = "q.log") -> Conversion:
    """Convert queue_log `text` and check every invariant on the events."""
    records = parse_lines(text.splitlines(), source=source, zone=UTC)
    conversion = convert(records, settings or Settings(), files=(source,))
    check_invariants(conversion.events)
    return conversion


def of(events: Sequence[Event], call: str) -> list[tuple[float, str]]:
    """(seconds after T, kind) of one call's events, agents' states left out."""
    return [
        (e.at - T, e.kind)
        for e in events
        if getattr(e, "call", None) == call and not isinstance(e, AgentStateChanged)
    ]


E = TypeVar("E", bound=Event)


def only(events: Sequence[Event], cls: type[E]) -> list[E]:
    return [e for e in events if isinstance(e, cls)]


def states(events: Sequence[Event], agent: str) -> list[tuple[float, str, str]]:
    """(seconds after T, state, reason) of one agent."""
    return [
        (e.at - T, e.state.value, e.reason)
        for e in only(events, AgentStateChanged)
        if e.agent == agent
    ]


def check_invariants(events: Sequence[Event]) -> None:
    """What the engine guarantees of its own log, checked on imported events."""
    assert all(a.at <= b.at for a, b in itertools.pairwise(events)), "not in time order"
    picture = replay(events, strict=True)  # every `previous` is the state written before
    assert picture.contacts == {}, "contacts left in the ACD"
    assert all(s.state is AgentState.LOGGED_OUT for s in picture.agents.values())
    for e in only(events, AgentStateChanged):
        assert (e.call is not None) == (e.state in CALL_STATES or e.state is AgentState.WRAP_UP)
    _check_calls(events)
    _check_contacts(events)


def _check_calls(events: Sequence[Event]) -> None:
    arrived: dict[str, CallArrived] = {}
    ended: dict[str, CallEnded] = {}
    answered: set[str] = set()
    for e in events:
        call = getattr(e, "call", None)
        if isinstance(e, CallArrived):
            assert call not in arrived, f"{call} arrived twice"
            arrived[e.call] = e
        elif isinstance(e, CallEnded):
            assert e.call in arrived, f"{call} ended but never came"
            assert e.call not in ended, f"{call} ended twice"
            assert e.duration == pytest.approx(e.at - arrived[e.call].at)
            ended[e.call] = e
        elif call is not None and not isinstance(e, AgentStateChanged):
            assert call in arrived, f"{e} before its call"
            assert call not in ended, f"{e} after its call"
            if isinstance(e, ContactAnswered):
                answered.add(call)
    assert arrived.keys() == ended.keys(), "every arrived call ends exactly once"
    for call, end in ended.items():
        assert (end.outcome is Outcome.ANSWERED) == (call in answered)


def _check_contacts(events: Sequence[Event]) -> None:
    entered: dict[str, float] = {}
    talking: dict[str, float] = {}
    offers: dict[str, set[str]] = defaultdict(set)
    for e in events:
        if isinstance(e, ContactQueued):
            assert not offers[e.call]
            assert e.call not in talking
            entered[e.call] = e.at
        elif isinstance(e, ContactOffered):
            assert e.agent not in offers[e.call]
            offers[e.call].add(e.agent)
            assert e.waited == pytest.approx(e.at - entered[e.call])
        elif isinstance(e, (ContactRingNoAnswer, ContactOfferFailed)):
            offers[e.call].remove(e.agent)
        elif isinstance(e, ContactAnswered):
            offers[e.call].remove(e.agent)
            assert e.waited == pytest.approx(e.at - entered[e.call])
            talking[e.call] = e.at
        elif isinstance(e, (ContactCompleted, ContactTransferred)):
            assert e.talk == pytest.approx(e.at - talking.pop(e.call))
        elif isinstance(e, (ContactAbandoned, ContactLeft, ContactTimedOut, ContactOverflowed)):
            assert e.waited == pytest.approx(e.at - entered[e.call])
            if not isinstance(e, (ContactTimedOut, ContactOverflowed)):
                offers.pop(e.call, None)
    assert not any(offers.values()), "an offer was never closed"
    assert not talking, "a conversation never ended"
