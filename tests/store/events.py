"""Build plausible events of every registered kind from their type hints (test data)."""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from typing import Any

import hotline.store.db  # noqa: F401  (imports every event module)
from hotline.core.events import Event, event_types

AT = 1_784_131_162.548_449_5  # 2026-07-15 in Shanghai, with sub-second digits


def _value(name: str, annotation: Any, *, fill_optional: bool) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if not fill_optional:
            return None
        annotation = args[0]
    while hasattr(annotation, "__supertype__"):
        annotation = annotation.__supertype__
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return list(annotation)[-1]
    if annotation is bool:
        return True
    if annotation is int:
        return 7
    if annotation is float:
        return 1 / 3 + len(name)  # not a short decimal: the round trip must be exact
    samples = {"call": "c42", "agent": "1001", "queue": "general", "caller": "13800138000"}
    return samples.get(name, f"{name} 值")


def sample(cls: type[Event], *, fill_optional: bool = True, at: float = AT) -> Event:
    hints = typing.get_type_hints(cls)
    kwargs = {
        f.name: _value(f.name, hints[f.name], fill_optional=fill_optional)
        for f in dataclasses.fields(cls)
        if f.name != "at"
    }
    return cls(at=at, **kwargs)


def every_kind() -> list[Event]:
    """Two events of every registered kind: optional fields filled, and left None."""
    events: list[Event] = []
    for i, kind in enumerate(sorted(event_types())):
        cls = event_types()[kind]
        events.append(sample(cls, at=AT + i))
        events.append(sample(cls, fill_optional=False, at=AT + i + 0.5))
    return events
