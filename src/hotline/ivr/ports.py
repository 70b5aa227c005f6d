"""What the IVR needs from outside: lookups, identity checks and a holiday calendar."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Protocol

from hotline.ivr.context import CallContext


class Lookup(Protocol):
    """A named query of a business system (a bill, an outage in the caller's area).

    Gets the call and the node's rendered arguments; returns variables to merge
    into the call's variables, or None when nothing is found. Runs synchronously
    on the engine's thread: an adapter keeps it fast (or answers from a cache).
    """

    def __call__(self, ctx: CallContext, args: Mapping[str, str]) -> Mapping[str, str] | None: ...


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
