"""Turn an event into an `events` row and back, exactly.

A row is ``(at, kind, call, agent, queue, data)``: the three columns every
filter uses, when the event has them as text fields, and every other field
in `data`, a JSON object keyed by field name. Reading looks the class up by
`kind` in `event_types()` and converts each value back by the dataclass
field's declared type, so enums come back as enums and floats as floats.

The layout of each event class is worked out once (the writer encodes
tens of thousands of events per second on the engine's process).
"""

from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from collections.abc import Callable, Mapping
from json.encoder import encode_basestring
from operator import attrgetter, call
from typing import Any

# Import the modules that register event classes, so every stored kind can be read.
import hotline.calls.events
import hotline.crm.events
import hotline.ivr.events
import hotline.kb.events
import hotline.orders.events
import hotline.routing.events
import hotline.users.events  # noqa: F401
from hotline.core.events import Event, event_types
from hotline.features import import_all
from hotline.store.db.errors import StoreError, UnknownEventKindError

import_all(lambda feature: feature.events)  # and every feature's (`hotline.features`)

COLUMNS = ("call", "agent", "queue")
"""Event fields that get their own indexed column (when they are text)."""

Row = tuple[float, str, str | None, str | None, str | None, str]
Convert = Callable[[Any], Any]


def _plain(value: object) -> object:
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"cannot store a {type(value).__name__} in an event row")


_to_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_plain).encode


def _base(annotation: Any) -> tuple[Any, bool]:
    """The annotation without Optional and NewType wrappers, and whether None is allowed."""
    optional = False
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        annotation = args[0] if len(args) == 1 else Any
    while hasattr(annotation, "__supertype__"):  # typing.NewType
        annotation = annotation.__supertype__
    return annotation, optional


def _converter(annotation: Any) -> Convert | None:
    """How to turn a JSON value back into the field's type (None: it already is)."""
    base, optional = _base(annotation)
    convert: Convert | None = None
    if isinstance(base, type):
        if issubclass(base, enum.Enum):
            convert = base
        elif base is bool:
            convert = bool
        elif base is float:
            convert = float  # JSON may give 3 for 3.0
        elif base is int:
            convert = int
    if convert is None or not optional:
        return convert
    inner = convert

    def maybe(value: Any) -> Any:
        return None if value is None else inner(value)

    return maybe


def _getter(names: tuple[str, ...]) -> Callable[[Event], tuple[Any, ...]]:
    """attrgetter that always returns a tuple, whatever the number of names."""
    if not names:
        return lambda _event: ()
    if len(names) == 1:
        name = names[0]
        return lambda event: (getattr(event, name),)
    return attrgetter(*names)


@dataclasses.dataclass(frozen=True, slots=True)
class Layout:
    """Where each field of one event class goes, and how it comes back."""

    cls: type[Event]
    columns: tuple[str | None, str | None, str | None]  # field stored in call/agent/queue
    data: tuple[str, ...]  # fields stored in the JSON object
    converters: Mapping[str, Convert]
    row: Callable[[Event], Row]  # the encoder, built once per class (the writer's hot path)

    def event(
        self,
        at: float,
        call: str | None,
        agent: str | None,
        queue: str | None,
        data: Mapping[str, Any] | str,
    ) -> Event:
        values = dict(json.loads(data) if isinstance(data, str) else data)
        for name, value in zip(self.columns, (call, agent, queue), strict=True):
            if name is not None:
                values[name] = value
        kwargs: dict[str, Any] = {}
        for field in dataclasses.fields(self.cls):
            if field.name == "at" or field.name not in values:
                continue  # a field added since (with a default) keeps its default
            value = values[field.name]
            convert = self.converters.get(field.name)
            kwargs[field.name] = value if convert is None or value is None else convert(value)
        try:
            return self.cls(at=float(at), **kwargs)
        except (TypeError, ValueError) as exc:
            raise StoreError(
                f"stored {self.cls.kind} event does not fit {self.cls.__name__}: {exc}",
                kind=self.cls.kind,
            ) from None


_BOOL = {True: "true", False: "false"}.__getitem__


def _json_piece(annotation: Any) -> Callable[[Any], str]:
    """A C-level function that renders one field's value as JSON text, chosen by its type.

    A float renders as its repr, the shortest text that reads back to the same
    float; a string (or string enum) is quoted and escaped by the json module's
    own encoder. Anything else, or an optional field, takes the general path.
    """
    base, optional = _base(annotation)
    piece: Callable[[Any], str] = _to_json
    if isinstance(base, type):
        if issubclass(base, str):
            piece = encode_basestring
        elif base is float:
            piece = _float_json
        elif base is bool:
            piece = _BOOL
        elif base is int:
            piece = int.__repr__
    if not optional or piece is _to_json:
        return piece
    inner = piece

    def maybe(value: Any) -> str:
        return "null" if value is None else inner(value)

    return maybe


def _float_json(value: float) -> str:
    text = repr(value)  # an int given for a float field is the same number
    if text[-1] in "0123456789":  # finite
        return text
    return _to_json(value)  # NaN / Infinity, as json.dumps writes them


def _row_function(
    kind: str, columns: list[str | None], data: tuple[str, ...], hints: Mapping[str, Any]
) -> Callable[[Event], Row]:
    """The encoder of one event class: attribute getters and JSON pieces, all C-level calls.

    `data` is rendered with a template ``{"name":%s,...}`` filled by one JSON
    function per field (`_json_piece`): twice as fast as `json.dumps` on a
    dict, which matters on the writer thread that shares the engine's GIL.
    """
    present = [c for c in columns if c is not None]
    head = _getter(("at", *present))
    # where each of call/agent/queue sits in head's tuple (plus a None at the end)
    call_, agent_, queue_ = (
        present.index(c) + 1 if c is not None else len(present) + 1 for c in columns
    )
    get_data = _getter(data)
    template = "{" + ",".join(f'"{name}":%s' for name in data) + "}"  # names are identifiers
    pieces = tuple(_json_piece(hints[name]) for name in data)
    none = (None,)

    def row(event: Event) -> Row:
        v = head(event) + none
        text = template % tuple(map(call, pieces, get_data(event)))
        return (v[0], kind, v[call_], v[agent_], v[queue_], text)

    return row


def _layout_of(cls: type[Event]) -> Layout:
    hints = typing.get_type_hints(cls)
    fields = [f.name for f in dataclasses.fields(cls) if f.name != "at"]
    columns: list[str | None] = []
    for name in COLUMNS:
        base, _ = _base(hints[name]) if name in fields else (None, False)
        columns.append(name if base is str else None)
    data = tuple(n for n in fields if n not in columns)
    converters = {n: c for n in fields if (c := _converter(hints[n])) is not None}
    return Layout(
        cls=cls,
        columns=(columns[0], columns[1], columns[2]),
        data=data,
        converters=converters,
        row=_row_function(cls.kind, columns, data, hints),
    )


_LAYOUTS: dict[type[Event], Layout] = {}


def layout(cls: type[Event]) -> Layout:
    """The (cached) layout of an event class."""
    found = _LAYOUTS.get(cls)
    if found is None:
        found = _LAYOUTS[cls] = _layout_of(cls)
    return found


def encode(event: Event) -> Row:
    """The row for one event."""
    found = _LAYOUTS.get(type(event))
    if found is None:
        found = layout(type(event))
    return found.row(event)


def decode(
    at: float,
    kind: str,
    call: str | None,
    agent: str | None,
    queue: str | None,
    data: Mapping[str, Any] | str,
) -> Event:
    """The event a row holds; raises `UnknownEventKindError` for an unregistered kind."""
    cls = event_types().get(kind)
    if cls is None:
        raise UnknownEventKindError(
            f"stored event kind {kind!r} has no event class (is its module imported?)", kind=kind
        )
    return layout(cls).event(at, call, agent, queue, data)
