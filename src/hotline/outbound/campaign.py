"""A campaign (外呼任务) and its list: what is called, by whom, when, how often, and what
each call's end means for the entry.

A campaign either connects the answered customer to an agent of its `queue` (回访, 回呼,
催费 by a person) or plays its notice `prompt` (电费通知, 停电告知 as an automatic call). Each
entry is called in the calling window of its customer class (居民 after work, 企业 in
office hours, never at or after the cut-off), important customers first (停电告知: 重要客户
优先), again after a result-specific delay, up to `max_tries` calls; then it is closed with
`then` (转纸质通知 / 升级处理) for the list's owner.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from hotline.calls.events import Outcome
from hotline.core.errors import HotlineError
from hotline.core.ids import QueueName
from hotline.outbound.pacing import PacingName

CustomerClass = Literal["resident", "business"]
After = Literal["", "paper_notice", "escalate"]


class CampaignError(HotlineError):
    """A campaign that cannot be set up or changed as asked."""

    error_id = "bad-campaign"


class Result(enum.StrEnum):
    """How one call to an entry ended (`AttemptEnded.result`)."""

    REACHED = "reached"
    NOTIFIED = "notified"
    DROPPED = "dropped"
    HUNG_UP = "hung_up"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    UNREACHABLE = "unreachable"
    CANCELLED = "cancelled"
    FAILED = "failed"
    WRONG_PARTY = "wrong_party"  # answered, but not the customer (the agent says so)
    MACHINE = "machine"  # an answering machine or voice mail (the agent says so)

    @property
    def reached(self) -> bool:
        return self in (Result.REACHED, Result.NOTIFIED)

    @classmethod
    def of_call(cls, outcome: Outcome, cause: str) -> Result:
        """The result of a campaign's call from its `CallEnded` outcome and cause."""
        if outcome is Outcome.ANSWERED:
            return cls.REACHED
        if outcome is Outcome.NOTIFIED:
            return cls.NOTIFIED
        if outcome is Outcome.DROPPED:
            return cls.DROPPED
        if outcome is Outcome.ABANDONED:
            return cls.HUNG_UP
        if outcome is Outcome.NOT_REACHED:
            reason = cause.replace("-", "_")
            if reason in ("no_answer", "busy", "unreachable", "cancelled"):
                return cls(reason)
            return cls.UNREACHABLE if reason in ("rejected", "not_found") else cls.FAILED
        return cls.FAILED


DEFAULT_RETRY: Mapping[str, float] = MappingProxyType(
    {
        Result.NO_ANSWER: 3600.0,
        Result.BUSY: 900.0,
        Result.UNREACHABLE: 7200.0,
        Result.DROPPED: 1800.0,
        Result.HUNG_UP: 3600.0,
        Result.FAILED: 1800.0,
        Result.WRONG_PARTY: 86400.0,
        Result.MACHINE: 3600.0,
    }
)
"""Seconds before an entry is called again, by the last call's result."""


STANDING = frozenset(
    {"callbacks", "return_visits", "bill_notice", "arrears_reminder", "outage_notice"}
)


@dataclass(frozen=True, slots=True)
class CampaignSpec:
    """What a campaign does. Exactly one of `queue` (to an agent) and `prompt` (a notice).

    `windows` maps a customer class to a calendar window's name (`hotline.core.calendar`);
    a class without one is called in the working hours. `ring_timeout` is how long a
    customer's phone rings (at least 15 s: the minimum ring time); `drop_after` how long an
    answered customer may wait for an agent before the apology `drop_prompt` plays."""

    id: str
    name: str
    queue: QueueName | None = None
    prompt: str | None = None
    pacing: PacingName = "progressive"
    max_tries: int = 3
    retry: Mapping[str, float] = field(default_factory=lambda: DEFAULT_RETRY)
    windows: Mapping[str, str] = field(default_factory=dict)
    then: After = ""
    caller_id: str = "95598"
    ring_timeout: float = 25.0
    drop_cap: float = 0.03
    drop_window: float = 1800.0
    drop_after: float = 2.0
    drop_prompt: str | None = None
    kind: str = "imported"

    def __post_init__(self) -> None:
        if (self.queue is None) == (self.prompt is None):
            raise CampaignError(
                f"campaign {self.id!r}: either a queue (to agents) or a prompt (a notice)",
                campaign=self.id,
            )
        if not 1 <= self.max_tries <= 20:
            raise CampaignError(f"max_tries {self.max_tries}: from 1 to 20", campaign=self.id)
        if self.ring_timeout < 15.0:
            raise CampaignError(
                f"ring_timeout {self.ring_timeout} s: at least 15 s (the minimum ring time)",
                campaign=self.id,
            )
        if not 0.0 <= self.drop_cap < 0.5:
            raise CampaignError(f"drop_cap {self.drop_cap}: from 0 to 0.5", campaign=self.id)
        if self.drop_window <= 0 or self.drop_after < 0:
            raise CampaignError("drop_window above 0 s and drop_after 0 s or more")

    @property
    def standing(self) -> bool:
        """A campaign fed by the hotline's own lists (``outbound.yaml``'s sources): it
        never finishes, new entries keep coming."""
        return self.kind in STANDING

    def delay(self, result: Result) -> float:
        return float(self.retry.get(result, self.retry.get(Result.FAILED, 1800.0)))


class EntryState(enum.StrEnum):
    PENDING = "pending"
    HELD = "held"  # shown to an agent who decides whether to dial it (预览式)
    DIALING = "dialing"
    CLOSED = "closed"


Party = Literal["right", "wrong", "machine"]
"""Who answered, as the agent heard it: the customer (本人), someone else (非本人), or an
answering machine (答录机)."""
PARTIES: tuple[Party, ...] = ("right", "wrong", "machine")


@dataclass(slots=True)
class Entry:
    """One customer on a campaign's list. `source` names what it came from
    (``order:12`` for a notice order, ``callback:cb3``, ``visit:5``, ``import:3`` — the
    row), `variables` fill the notice's SMS template."""

    id: str
    number: str
    name: str = ""
    customer_class: CustomerClass = "resident"
    important: bool = False
    source: str = ""
    variables: Mapping[str, str] = field(default_factory=dict)
    due: float = 0.0
    tries: int = 0
    state: EntryState = EntryState.PENDING
    result: str = ""
    seq: int = 0

    @property
    def rank(self) -> tuple[int, float, int]:
        """Important customers first, then the earliest due, then the list's order."""
        return (0 if self.important else 1, self.due, self.seq)
