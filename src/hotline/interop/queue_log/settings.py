"""What the queue_log does not say and the import needs: wrap-up, priorities, callers' tiers."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from hotline.calls.config import Hotline
from hotline.calls.ports import CallerInfo, CustomerDirectory
from hotline.core.customer import ListMark, Tier
from hotline.routing.model import TierPolicy

KeyExit = Literal["callback", "blocked"]
"""What a caller who left a queue with a key (EXITWITHKEY) and never came back became."""

_UNKNOWN = CallerInfo()


@dataclass(frozen=True, slots=True)
class Settings:
    """How to fill in what Asterisk does not log.

    - `wrap_up`: seconds of after-call work (事后处理) per queue: Asterisk's
      ``wrapuptime``, which the queue_log never mentions; `default_wrap_up` for
      queues not listed (Asterisk's default is 0);
    - `tiers`, `fixed_priority`: the priority written in ``contact.queued``;
    - `callback_within`: the due time of a callback task (key exits);
    - `key_exit`: see `KeyExit`;
    - `directory`: the callers' tier and list (the CRM), ``ordinary``/``none``
      for unknown numbers;
    - `zone`: the zone of dates in a table export without an offset;
    - `known_queues`, `known_agents`: names the hotline knows (configuration,
      database); the report lists the log's other names.
    """

    wrap_up: Mapping[str, float] = field(default_factory=dict)
    default_wrap_up: float = 0.0
    tiers: TierPolicy = field(default_factory=TierPolicy)
    fixed_priority: Mapping[str, int] = field(default_factory=dict)
    callback_within: float = 86_400.0
    key_exit: KeyExit = "callback"
    directory: CustomerDirectory | None = None
    zone: datetime.tzinfo = field(default_factory=lambda: zoneinfo.ZoneInfo("Asia/Shanghai"))
    known_queues: frozenset[str] | None = None  # the report lists the others, when given
    known_agents: frozenset[str] | None = None

    @classmethod
    def from_hotline(cls, hotline: Hotline, **overrides: object) -> Settings:
        """Wrap-up, priorities, callback deadline, time zone, queues and agents of `hotline`."""
        values: dict[str, object] = {
            "wrap_up": {q.name: q.wrap_up for q in hotline.queues},
            "tiers": hotline.tiers,
            "fixed_priority": {
                q.name: q.fixed_priority for q in hotline.queues if q.fixed_priority is not None
            },
            "callback_within": hotline.tiers.callback_within,
            "zone": hotline.timezone,
            "known_queues": frozenset(q.name for q in hotline.queues),
            "known_agents": frozenset(a.id for a in hotline.agents),
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

    def wrap_up_of(self, queue: str) -> float:
        return self.wrap_up.get(queue, self.default_wrap_up)

    def caller(self, number: str) -> CallerInfo:
        if self.directory is None or not number:
            return _UNKNOWN
        return self.directory.identify(number) or _UNKNOWN

    def priority(self, queue: str, tier: Tier, mark: ListMark) -> int:
        """As the ACD gives it: the queue's fixed priority, except for the black list."""
        fixed = self.fixed_priority.get(queue)
        if fixed is not None and mark is not ListMark.BLACK:
            return fixed
        return self.tiers.priority(tier, mark)
