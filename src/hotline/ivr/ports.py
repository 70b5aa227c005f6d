"""What the IVR needs from outside: lookups, identity checks and a holiday calendar."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Protocol, runtime_checkable

from hotline.ivr.context import CallContext


class Lookup(Protocol):
    """A named query of a business system (a bill, an outage in the caller's area).

    Gets the call and the node's rendered arguments; returns variables to merge
    into the call's variables, or None when nothing is found. Runs synchronously
    on the engine's thread: an adapter keeps it fast (or answers from a cache).
    """

    def __call__(self, ctx: CallContext, args: Mapping[str, str]) -> Mapping[str, str] | None: ...


LookupAnswer = Callable[[Mapping[str, str] | None], None]
"""Where a `SlowLookup` sends its result: the variables, or None when nothing is found."""
LookupFailure = Callable[[str], None]
"""Where a `SlowLookup` says it could not answer (a reason for the log: ``error``)."""


@runtime_checkable
class SlowLookup(Protocol):
    """A named query whose answer comes later (a database, a center's own system over HTTP).

    `start` must return at once; exactly one of `answer` or `fail` is to be called later,
    on the engine's thread and clock (never from inside `start`). The IVR waits at most
    `timeout` seconds of engine time: then the node's `failed` branch is taken and a late
    answer is ignored. The caller hears silence meanwhile.
    """

    timeout: float

    def start(
        self,
        ctx: CallContext,
        args: Mapping[str, str],
        answer: LookupAnswer,
        fail: LookupFailure,
    ) -> None: ...


class IdentityVerifier(Protocol):
    """Identity checks before account data is read out (95598 第十三条: privacy)."""

    def is_bound_phone(self, account: str, phone: str) -> bool:
        """Whether `phone` is a number bound to `account`."""
        ...

    def check_password(self, account: str, password: str) -> bool:
        """Whether `password` is the account's query password."""
        ...


class HolidayCalendar(Protocol):
    """Which local dates are days off (for holiday greetings and opening hours)."""

    def is_holiday(self, day: datetime.date) -> bool: ...
