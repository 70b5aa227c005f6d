"""Customer attributes the engine routes on: value tier and importance list."""

from __future__ import annotations

import enum


class Tier(enum.StrEnum):
    """Customer value tier from ARPU, tenure and credit (高端 / 中端 / 普通)."""

    HIGH = "high"  # 高端, the VIP green channel (绿色通道)
    MIDDLE = "middle"  # 中端, called back within 24 h when not reached
    ORDINARY = "ordinary"  # 普通


class ListMark(enum.StrEnum):
    """Importance list a customer is on (红名单 / 黑名单), or none."""

    RED = "red"
    NONE = "none"
    BLACK = "black"
