"""QA verdicts on order accuracy (质检改判): a QA inspector overrules the automatic check
of one item of one order, with a reason.

`overrule` is the command: it checks the request against the order's present check and
gives the `Verdict` to store; `VerdictStore` is the port that keeps every verdict (the
latest per item counts, the earlier ones stay as history). The audit row is the
caller's (the API writes it beside the verdict).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from hotline.orders.accuracy import OrderCheck, Verdict
from hotline.orders.errors import OrderError

REASON_MAX = 500
"""The longest reason kept, in characters."""


class VerdictError(OrderError):
    """A verdict refused; `part` names what is wrong: ``field`` (an item this order is not
    checked on), ``reason`` (missing or too long) or ``ok`` (already the verdict)."""

    error_id = "invalid-verdict"

    def __init__(self, message: str, *, part: str, item: str) -> None:
        super().__init__(message, part=part, item=item)
        self.part = part
        self.item = item


class VerdictStore(Protocol):
    """Where QA verdicts are kept (`hotline.store.db.verdicts.OrderVerdicts`)."""

    def add(self, verdict: Verdict) -> Verdict:
        """Keep `verdict`; returns it with its id. Raises `NoSuchOrderError` when the
        order does not exist."""
        ...

    def latest(self, orders: Iterable[int]) -> Mapping[int, Mapping[str, Verdict]]:
        """The latest verdict per item of each of `orders` that has any."""
        ...

    def history(self, order: int) -> list[Verdict]:
        """Every verdict on `order`, newest first."""
        ...


def overrule(check: OrderCheck, item: str, ok: bool, reason: str, *, by: str, at: float) -> Verdict:
    """The verdict `ok` on `item` of the checked order, by `by` at `at`. Raises
    `VerdictError` when the order is not checked on `item`, the reason is blank or longer
    than `REASON_MAX`, or `ok` is already the verdict in effect."""
    found = check.item(item)
    if found is None:
        raise VerdictError(
            f"order {check.order} is not checked on {item!r}", part="field", item=item
        )
    reason = reason.strip()
    if not reason:
        raise VerdictError("a verdict needs a reason", part="reason", item=item)
    if len(reason) > REASON_MAX:
        raise VerdictError(f"reason longer than {REASON_MAX}", part="reason", item=item)
    if found.ok == ok:
        raise VerdictError(f"{item!r} is already judged {ok}", part="ok", item=item)
    return Verdict(check.order, item, ok, found.ok, reason, by, at)
