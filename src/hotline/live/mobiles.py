"""Agents who take calls on a mobile (移动坐席, 远程坐席): an agent away from the center
(at home, on the road) chooses at the desk to be rung on a mobile or landline number
instead of the extension's phone; the call reaches them through the trunk showing the
hotline's number, and they work it at the same desk (customer card, orders, transfer).

The number is kept (`hotline.store.db.sip.AgentMobiles`) so that a restart of `hotline
serve` rings the same place, and checked against the dial plan the trunk may call
(`ServeSettings.dial_plan`): a number Kamailio would refuse is refused at the desk, not
at the next call. Without a trunk no number can be reached and the choice is off.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from hotline.core.errors import HotlineError
from hotline.core.ids import AgentId
from hotline.store.db import Database
from hotline.store.db.sip import AgentMobiles

_SEPARATORS = re.compile(r"[\s\-()（）]")


class MobileNumberError(HotlineError):
    """The number cannot be rung: not digits, or not a number the trunk may call."""

    error_id = "bad-mobile-number"


def normalize(number: str, dial_plan: str) -> str:
    """`number` as the trunk dials it (spaces, dashes and brackets dropped; a leading +86
    or 0086 too); raises `MobileNumberError` when it is not one the dial plan allows."""
    digits = _SEPARATORS.sub("", number)
    for country in ("+86", "0086"):
        if digits.startswith(country):
            digits = digits[len(country) :]
    if not digits:
        raise MobileNumberError("请填写手机号码 (the number is empty)")
    if not digits.isdigit():
        raise MobileNumberError(f"号码只能包含数字：{number!r} (digits only)")
    if not re.fullmatch(dial_plan, digits):
        raise MobileNumberError(
            f"本热线的中继不能呼叫 {digits}：请填写 11 位手机号码或带区号的固定电话 "
            "(not a number the trunk's dial plan allows)"
        )
    return digits


class MobileSeats:
    """Where each agent's calls ring: their mobile, or (no entry) their extension's phone.
    `apply` tells the switch (`SipService.set_mobile`); it runs on the engine's loop."""

    def __init__(
        self,
        db: Database,
        *,
        dial_plan: str,
        apply: Callable[[AgentId, str | None], None],
    ) -> None:
        self._store = AgentMobiles(db)
        self.dial_plan = dial_plan
        self._apply = apply
        self._numbers: dict[str, str] = {}

    def kept(self) -> dict[str, str]:
        """The numbers kept from earlier runs (a worker thread may read them)."""
        return self._store.all()

    def restore(self, kept: dict[str, str]) -> None:
        """Give the kept numbers to the switch (at start, on the engine's loop)."""
        for agent, number in kept.items():
            self.use(agent, number)

    def of(self, agent: str) -> str | None:
        """The number `agent`'s calls ring, or None for the extension's phone."""
        return self._numbers.get(agent)

    def check(self, number: str) -> str:
        """The number as it will be dialled; raises `MobileNumberError`."""
        return normalize(number, self.dial_plan)

    def save(self, agent: str, number: str | None, *, by: str, at: float) -> None:
        """Keep the choice (a worker thread may do this: it only writes the table)."""
        self._store.set(agent, number, by=by, at=at)

    def use(self, agent: str, number: str | None) -> None:
        """Ring `agent` on `number` (None: the extension's phone) from the next call on
        (on the engine's loop, after `save`)."""
        if number is None:
            self._numbers.pop(agent, None)
        else:
            self._numbers[agent] = number
        self._apply(AgentId(agent), number)
