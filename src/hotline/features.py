"""The product's features, each in its own folder, declared in one place.

A feature is a package (``hotline/handover/``) with a ``feature.py`` whose `FEATURE`
says what the feature adds: the modules that define its event classes and its
tables, its migrations folder (an Alembic branch), its API router, its console pages
and their templates and scripts, its words, its menu entries, its application
service, its background jobs and its CLI commands. The hubs — the event codec, the
database, the API, the console, the words, the runtime and the CLI — iterate
`features()` instead of being edited for every feature: adding one is its folder
plus one line in `FEATURES`.

Declarations name modules and attributes as text (``"hotline.handover.api:router"``):
a hub imports only the part it serves, when it serves it, so the store never pulls in
the web framework and no hub imports another.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FEATURES: tuple[str, ...] = (
    "hotline.handover",
    "hotline.mywork",
    "hotline.callbacks",
    "hotline.planning",
    "hotline.quality",
    "hotline.training",
    "hotline.incentives",
    "hotline.outbound",
)
"""Every feature's package, in menu order."""


@dataclass(frozen=True)
class NavEntry:
    """A console menu entry: the page's name, where it is, its label's word key, and the
    roles that see it (empty: everyone signed in)."""

    page: str
    href: str
    label: str
    roles: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Feature:
    """What one feature adds to the product (module paths as text; see the module doc).

    `service` is a factory ``(site, db, orders) -> service | None`` for the runtime's
    services (`hotline.live.services.Services.feature`); `jobs` a factory ``(runtime) ->
    list[Job]``; `commands` a function adding sub-commands to the CLI's sub-parsers.
    """

    name: str
    package: str
    events: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()
    migrations: str | None = None
    router: str | None = None
    pages: str | None = None
    templates: str | None = None
    static: str | None = None
    words: str | None = None
    nav: tuple[NavEntry, ...] = ()
    service: str | None = None
    jobs: str | None = None
    commands: str | None = None
    desk: str | None = None
    """A template of the feature's (in `templates`) that the agent desk shows: its panel,
    with its own script."""

    def folder(self, relative: str) -> Path:
        """A folder inside the feature's package (migrations, templates, static files)."""
        module = importlib.import_module(self.package)
        assert module.__file__ is not None
        return Path(module.__file__).parent / relative

    @property
    def migrations_folder(self) -> Path | None:
        return self.folder(self.migrations) if self.migrations else None

    @property
    def templates_folder(self) -> Path | None:
        return self.folder(self.templates) if self.templates else None

    @property
    def static_folder(self) -> Path | None:
        return self.folder(self.static) if self.static else None


def resolve(target: str) -> Any:
    """The object a declaration names: ``"package.module:attribute"``."""
    module, _, attribute = target.partition(":")
    found = importlib.import_module(module)
    return getattr(found, attribute) if attribute else found


@functools.cache
def features() -> tuple[Feature, ...]:
    """Every feature's declaration, in the order of `FEATURES`."""
    found = []
    for package in FEATURES:
        feature = importlib.import_module(f"{package}.feature").FEATURE
        if not isinstance(feature, Feature):
            raise TypeError(f"{package}.feature.FEATURE is not a Feature")
        found.append(feature)
    return tuple(found)


def import_all(part: Callable[[Feature], tuple[str, ...]]) -> None:
    """Import every feature's modules of one kind (their event classes or tables
    register themselves when imported)."""
    for feature in features():
        for module in part(feature):
            importlib.import_module(module)
