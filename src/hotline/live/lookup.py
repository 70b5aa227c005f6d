"""Customer lookups of the live runtime chained: the CRM first, then another source
(the simulated callers in the demo)."""

from __future__ import annotations

from hotline.calls.ports import CallerInfo, CustomerDirectory
from hotline.ivr.ports import IdentityVerifier


class FirstKnown:
    """A `CustomerDirectory`: the first of two that knows the caller."""

    def __init__(self, first: CustomerDirectory, then: CustomerDirectory) -> None:
        self.first, self.then = first, then

    def identify(self, caller: str) -> CallerInfo | None:
        return self.first.identify(caller) or self.then.identify(caller)


class EitherVerifies:
    """An `IdentityVerifier`: the CRM's check, else the simulated caller's."""

    def __init__(self, first: IdentityVerifier, then: IdentityVerifier) -> None:
        self.first, self.then = first, then

    def is_bound_phone(self, account: str, phone: str) -> bool:
        return self.first.is_bound_phone(account, phone) or self.then.is_bound_phone(account, phone)

    def check_password(self, account: str, password: str) -> bool:
        return self.first.check_password(account, password) or self.then.check_password(
            account, password
        )
