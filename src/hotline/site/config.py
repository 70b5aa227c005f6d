"""`SiteConfig`: every configuration file of one hotline, read and checked together."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from hotline.calls.config import Hotline, load_hotline
from hotline.core.calendar import BusinessCalendar
from hotline.core.config import ConfigError, ConfigProblem
from hotline.crm.config import CrmConfig, load_crm_config
from hotline.metrics import MetricsConfig, load_metrics_config
from hotline.orders.config import OrderConfig, load_order_types

ORDERS_FILE = "orders.yaml"
CRM_FILE = "crm.yaml"
METRICS_FILE = "metrics.yaml"
KB_FOLDER = "kb"

T = TypeVar("T")


@dataclass(frozen=True)
class SiteConfig:
    """One hotline's configuration as read at one moment.

    `orders` and `metrics` are None when the site has no such file (no work orders;
    no outside figures); a site without ``crm.yaml`` scores with the defaults.
    """

    hotline: Hotline
    orders: OrderConfig | None
    crm: CrmConfig
    metrics: MetricsConfig | None

    @classmethod
    def load(
        cls, hotline_file: str | os.PathLike[str], *, hotline: Hotline | None = None
    ) -> SiteConfig:
        """Read ``hotline.yaml`` (with its flows) and the files beside it; `hotline`, when
        given, is that file as already read (a scenario names it). Raises `ConfigError`
        naming every problem of every file (nothing is half-read)."""
        hotline_path = Path(hotline_file)
        problems: list[ConfigProblem] = []
        if hotline is None:
            hotline = _checked(problems, lambda: load_hotline(hotline_path))
        folder = hotline_path.parent
        orders = crm = metrics = None
        if (folder / ORDERS_FILE).is_file():
            orders = _checked(problems, lambda: load_order_types(folder / ORDERS_FILE))
        if (folder / CRM_FILE).is_file():
            crm = _checked(problems, lambda: load_crm_config(folder / CRM_FILE))
        if (folder / METRICS_FILE).is_file():
            metrics = _checked(problems, lambda: load_metrics_config(folder / METRICS_FILE))
        if problems or hotline is None:
            raise ConfigError(problems)
        return cls(hotline=hotline, orders=orders, crm=crm or CrmConfig(), metrics=metrics)

    @property
    def folder(self) -> Path:
        """The site's folder (where ``hotline.yaml`` is)."""
        return Path(self.hotline.path).parent

    @property
    def kb_folder(self) -> Path | None:
        """The knowledge base's seed articles (``kb/``), when the site has them."""
        folder = self.folder / KB_FOLDER
        return folder if folder.is_dir() else None

    def calendar(self) -> BusinessCalendar:
        """The site's one business calendar: ``orders.yaml``'s (holidays, 调休, working
        hours, named windows) when there is one, else the hotline's time zone with the
        default working hours."""
        if self.orders is not None:
            return self.orders.calendar()
        return BusinessCalendar(self.hotline.timezone)


def _checked(problems: list[ConfigProblem], load: Callable[[], T]) -> T | None:
    try:
        return load()
    except ConfigError as e:
        problems.extend(e.problems)
        return None


class Site:
    """The current configuration of a running hotline; `reload` reads the folder again.

    Parts that may follow a reload (the CRM's scoring, the order types) ask
    `config` each time; the engine's routing model is the one it was built with
    (`hotline serve` restarts to change queues and flows).
    """

    def __init__(self, config: SiteConfig) -> None:
        self._config = config
        self._lock = threading.Lock()
        self._listeners: list[Callable[[SiteConfig], None]] = []
        self._stamp = _stamp(config.folder)

    @classmethod
    def load(cls, hotline_file: str | os.PathLike[str], *, hotline: Hotline | None = None) -> Site:
        return cls(SiteConfig.load(hotline_file, hotline=hotline))

    @property
    def config(self) -> SiteConfig:
        return self._config

    @property
    def hotline(self) -> Hotline:
        return self._config.hotline

    def on_reload(self, listener: Callable[[SiteConfig], None]) -> None:
        """Call `listener` with the new configuration after each successful reload."""
        self._listeners.append(listener)

    def fresh(self) -> SiteConfig:
        """The configuration, read again first when one of the site's files changed since
        it was read (an administrator edited ``crm.yaml``); raises `ConfigError` when the
        changed files are refused, and keeps the configuration in use."""
        if _stamp(self._config.folder) != self._stamp:
            return self.reload()
        return self._config

    def reload(self) -> SiteConfig:
        """Read the site's files again; on any problem raise `ConfigError` and keep the
        configuration in use. The hotline file is the one first loaded."""
        stamp = _stamp(self._config.folder)
        fresh = SiteConfig.load(self._config.hotline.path)
        with self._lock:
            self._config = fresh
            self._stamp = stamp
        for listener in self._listeners:
            listener(fresh)
        return fresh


def _stamp(folder: Path) -> tuple[tuple[str, float], ...]:
    """The site's top-level files and their modification times (what `fresh` compares)."""
    stamps = []
    for name in (ORDERS_FILE, CRM_FILE, METRICS_FILE):
        with contextlib.suppress(OSError):
            stamps.append((name, (folder / name).stat().st_mtime))
    return tuple(stamps)
