"""Typed events and the bus that carries them.

Every transition of a call, a contact in queue or an agent is one event with a
stable name (`kind`), a timestamp from the engine's clock and plain fields.
The event log is the truth of every figure: reports, the wallboard and the
simulator's summary are folds over these events, never side counters.

Events are slotted dataclasses, treated as immutable once published. They are
not `frozen`: a frozen dataclass costs four times as much to build, and a busy
simulated day builds tens of millions of them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar, Generic, TypeVar

from hotline.core.errors import HotlineError


@dataclasses.dataclass(slots=True)
class Event:
    """Something that happened at time `at` (seconds since the epoch)."""

    kind: ClassVar[str] = "event"
    at: float

    def to_record(self) -> dict[str, Any]:
        """The event as a flat mapping: its kind and its fields, enums as their values."""
        record: dict[str, Any] = {"kind": self.kind}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            record[field.name] = getattr(value, "value", value)
        return record


E = TypeVar("E", bound=type[Event])
T = TypeVar("T")

_REGISTRY: dict[str, type[Event]] = {}


class DuplicateEventKindError(HotlineError):
    error_id = "duplicate-event-kind"


def event(cls: E) -> E:
    """Register an event class under its stable `kind` name.

    Stored events are looked up by this name, never by module path, so moving
    a class does not break a log written before the move.
    """
    kind = cls.kind
    if kind in _REGISTRY and _REGISTRY[kind] is not cls:
        raise DuplicateEventKindError(f"event kind {kind!r} is registered twice", kind=kind)
    _REGISTRY[kind] = cls
    return cls


def event_types() -> dict[str, type[Event]]:
    """Every registered event class by kind (import the domain packages first)."""
    return dict(_REGISTRY)


Handler = Callable[[Event], None]


class EventBus:
    """Synchronous publish/subscribe for events.

    Subscribers run inside `publish`: those for every event first, in
    subscription order, then those for the event's own type. A subscriber that
    raises propagates to the publisher (a simulation stops loudly). Subscribers
    must not publish recursively in a way that depends on delivery order.
    """

    __slots__ = ("_by_type", "_handlers", "published")

    def __init__(self) -> None:
        self._handlers: list[Handler] = []
        self._by_type: dict[type[Event], list[Handler]] = {}
        self.published = 0

    def subscribe(
        self, handler: Handler, types: Iterable[type[Event]] | None = None
    ) -> Callable[[], None]:
        """Add a handler for every event, or only for events of `types` (exact classes);
        returns a function that removes it."""
        lists = (
            [self._handlers] if types is None else [self._by_type.setdefault(t, []) for t in types]
        )
        for handlers in lists:
            handlers.append(handler)

        def unsubscribe() -> None:
            for handlers in lists:
                if handler in handlers:
                    handlers.remove(handler)

        return unsubscribe

    def publish(self, event: Event) -> None:
        self.published += 1
        for handler in self._handlers:
            handler(event)
        typed = self._by_type.get(type(event))
        if typed is not None:
            for handler in typed:
                handler(event)


class EventRecorder:
    """A subscriber that keeps every event in memory, in order (tests, small runs)."""

    def __init__(self, bus: EventBus | None = None) -> None:
        self.events: list[Event] = []
        if bus is not None:
            bus.subscribe(self.events.append)

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)

    def of(self, cls: type[Any]) -> list[Any]:
        """The recorded events of one class, in order."""
        return [e for e in self.events if isinstance(e, cls)]

    def kinds(self) -> list[str]:
        return [e.kind for e in self.events]


@dataclasses.dataclass(frozen=True, slots=True)
class Saved(Generic[T]):
    """A record as stored and the events committed with it (the outbox): in the log
    already, to be published to the live subscribers, never appended again."""

    record: T
    events: tuple[Event, ...]
