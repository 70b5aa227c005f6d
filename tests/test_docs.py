"""The reference docs keep up with the code: every event kind, config key and node type.

`docs/events.md` must name every registered event `kind`, and
`docs/configuration.md` every top-level key of the hotline file, the scenario
file and the IVR flow file, and every IVR node type. Names count only when
written as code (in backticks), the way the docs write keys.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import re
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

import hotline
from hotline.calls.config import HotlineModel
from hotline.core.events import event_types
from hotline.ivr.flow import Flow
from hotline.sim.scenario import ScenarioModel
from hotline.store.eventfile import _column_type

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _import_event_modules() -> list[str]:
    """Import every `hotline.<package>.events` module, so every event class is registered."""
    found = []
    for module in pkgutil.walk_packages(hotline.__path__, prefix="hotline."):
        if module.name.rsplit(".", 1)[-1] == "events":
            importlib.import_module(module.name)
            found.append(module.name)
    return found


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation names, through unions, Annotated and containers."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    models: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        models += _models_in(arg)
    return models


def _node_types() -> list[str]:
    """The `type` tag of every node model of a flow's `nodes`."""
    types = []
    for model in _models_in(Flow.model_fields["nodes"].annotation):
        (tag,) = typing.get_args(model.model_fields["type"].annotation)
        types.append(tag)
    return types


def _missing(doc: str, names: list[str]) -> list[str]:
    text = (DOCS / doc).read_text(encoding="utf-8")
    return [name for name in names if f"`{name}`" not in text]


def test_every_events_module_is_found() -> None:
    modules = _import_event_modules()
    assert {"hotline.routing.events", "hotline.calls.events", "hotline.ivr.events"} <= set(modules)


def test_events_doc_names_every_event_kind() -> None:
    _import_event_modules()
    kinds = sorted(event_types())
    assert len(kinds) >= 30  # the kinds of routing, calls and IVR
    missing = _missing("events.md", kinds)
    assert not missing, f"docs/events.md does not document the event kinds {missing}"
    # the overview table lists each kind once, under the count it states
    text = (DOCS / "events.md").read_text(encoding="utf-8")
    start = text.index("registered kinds, by area")
    table = text[start : text.index("\n## ", start)]
    listed = set(re.findall(r"`([a-z_]+\.[a-z_]+)`", table))
    assert sorted(set(kinds) - listed) == [], "kinds missing from the overview table"
    assert f"The {len(kinds)} registered kinds" in text


@pytest.mark.parametrize(
    ("model", "what"),
    [
        (HotlineModel, "hotline.yaml key"),
        (ScenarioModel, "scenario key"),
        (Flow, "IVR flow key"),
    ],
)
def test_configuration_doc_names_every_top_level_key(model: type[BaseModel], what: str) -> None:
    missing = _missing("configuration.md", list(model.model_fields))
    assert not missing, f"docs/configuration.md does not document the {what}s {missing}"


def test_configuration_doc_names_every_ivr_node_type() -> None:
    types = _node_types()
    assert {"play", "menu", "queue", "survey"} <= set(types)
    missing = _missing("configuration.md", types)
    assert not missing, f"docs/configuration.md does not document the IVR node types {missing}"


def test_a_field_name_means_one_kind_of_value_in_every_event() -> None:
    """An event file (Parquet) has one column per field name: a name that is text in one
    kind and a number in another would turn the numbers into text and break the figures
    read from the file (training's ``stage`` once clashed with ``contact.stage_reached``)."""
    _import_event_modules()
    seen: dict[str, dict[str, list[str]]] = {}
    for kind, cls in sorted(event_types().items()):
        hints = typing.get_type_hints(cls)
        for field in dataclasses.fields(cls):
            column = _column_type(hints[field.name])
            column = "number" if column in ("int", "float") else column
            seen.setdefault(field.name, {}).setdefault(column, []).append(kind)
    clashes = {name: kinds for name, kinds in seen.items() if len(kinds) > 1}
    assert clashes == {}
