"""Helpers of the work-order tests: local times in Shanghai, the example configuration."""

from __future__ import annotations

import datetime
import zoneinfo
from pathlib import Path

from hotline.orders.calendar import BusinessCalendar
from hotline.orders.config import OrderConfig, load_order_types

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "95598" / "orders.yaml"


def ts(text: str) -> float:
    """``"2026-10-09 10:00"`` in Shanghai as epoch seconds."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).timestamp()


def local(t: float) -> str:
    return datetime.datetime.fromtimestamp(t, SHANGHAI).strftime("%Y-%m-%d %H:%M")


def example() -> OrderConfig:
    return load_order_types(EXAMPLE)


def calendar(config: OrderConfig | None = None) -> BusinessCalendar:
    config = config or example()
    return BusinessCalendar(config.timezone, config.working_hours)


class Clock:
    """A settable clock for the desk (the engine's clock in production)."""

    def __init__(self, start: str) -> None:
        self.t = ts(start)

    def __call__(self) -> float:
        return self.t

    def set(self, text: str) -> None:
        self.t = ts(text)
