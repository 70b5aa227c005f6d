"""Branch conditions compiled once into plain predicates on a call's context.

Time of day and holidays are read from the engine's clock in the hotline's time
zone, never from wall time, so a simulated day branches as a live one would. A ``time``
window is a core `Window` (`hotline.core.windows`): the same test as every other window
of local time in the product.
"""

from __future__ import annotations

import datetime
import math
import operator
from collections.abc import Callable
from typing import Any

from hotline.core.clock import Clock
from hotline.core.windows import Window, parse_span
from hotline.ivr.context import CallContext
from hotline.ivr.flow import Condition, TimeWindow, VarTest
from hotline.ivr.ports import HolidayCalendar

Predicate = Callable[[CallContext], bool]

_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "ge": operator.ge,
    "lt": operator.lt,
    "le": operator.le,
}


def as_number(text: str) -> float | None:
    """The text's value as a finite number, or None when it does not read as one."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class ConditionCompiler:
    """Turns `Condition` models into predicates bound to a clock, zone and calendar."""

    __slots__ = ("_calendar", "_clock", "_zone")

    def __init__(
        self, *, clock: Clock, timezone: datetime.tzinfo, calendar: HolidayCalendar
    ) -> None:
        self._clock = clock
        self._zone = timezone
        self._calendar = calendar

    def local_now(self) -> datetime.datetime:
        """The engine's time in the hotline's zone."""
        return datetime.datetime.fromtimestamp(self._clock.now(), self._zone)

    def compile(self, condition: Condition) -> Predicate:
        """A predicate that holds when every test of `condition` holds."""
        tests: list[Predicate] = []
        if condition.tier is not None:
            tiers = frozenset(condition.tier)
            tests.append(lambda ctx: ctx.tier in tiers)
        if condition.list_mark is not None:
            marks = frozenset(condition.list_mark)
            tests.append(lambda ctx: ctx.list_mark in marks)
        if condition.verified is not None:
            verified = condition.verified
            tests.append(lambda ctx: ctx.verified is verified)
        if condition.account_known is not None:
            known = condition.account_known
            tests.append(lambda ctx: (ctx.account is not None) is known)
        if condition.var is not None:
            tests.append(self._var(condition.var))
        if condition.holiday is not None:
            holiday = condition.holiday
            calendar = self._calendar
            tests.append(lambda ctx: calendar.is_holiday(self.local_now().date()) is holiday)
        if condition.time is not None:
            tests.append(self._time(condition.time))
        if len(tests) == 1:
            return tests[0]
        return lambda ctx: all(test(ctx) for test in tests)

    def _is_workday(self, day: datetime.date) -> bool:
        return not self._calendar.is_holiday(day)

    def _time(self, window: TimeWindow) -> Predicate:
        hours = Window(
            name="time",
            spans=(parse_span(f"{window.start}-{window.end}"),),
            weekdays=frozenset(window.weekdays) if window.weekdays else None,
        )
        return lambda ctx: hours.contains(self.local_now(), self._is_workday)

    @staticmethod
    def _var(test: VarTest) -> Predicate:
        name, op, value = test.name, test.op, test.value
        if op == "set":
            return lambda ctx: name in ctx.variables
        if isinstance(value, list):
            values = frozenset(value)
            return lambda ctx: ctx.variables.get(name) in values
        assert value is not None  # VarTest refuses other ops without one value
        compare = _ORDER[op]
        number = as_number(value)

        def holds(ctx: CallContext) -> bool:
            actual = ctx.variables.get(name)
            if actual is None:
                return False
            if number is not None:
                actual_number = as_number(actual)
                if actual_number is not None:
                    return compare(actual_number, number)
            return compare(actual, value)

        return holds
