"""Errors of the work-order domain: one family under `HotlineError`, each with a stable id.

`CalendarError` (a deadline or visit time the calendar cannot find) is the core
calendar's, re-exported here.
"""

from __future__ import annotations

from hotline.core.calendar import CalendarError as CalendarError
from hotline.core.errors import HotlineError


class OrderError(HotlineError):
    """A work-order command was refused."""

    error_id = "order-error"


class NoSuchOrderError(OrderError):
    """No order with that id (the API answers 404: the id starts with ``no-such-``)."""

    error_id = "no-such-order"


class NoSuchOrderTypeError(OrderError):
    """The order type named is not configured."""

    error_id = "no-such-order-type"


class InvalidFieldsError(OrderError):
    """Fields of an order are missing, unknown or of the wrong type; `problems` maps each
    field name to what is wrong with it."""

    error_id = "invalid-order-fields"

    def __init__(self, message: str, problems: dict[str, str]) -> None:
        super().__init__(message, problems=problems)
        self.problems = problems


class TransitionError(OrderError):
    """The command is not allowed in the order's present state (the API answers 409)."""

    error_id = "invalid-order-transition"


class StaleOrderError(OrderError):
    """The order changed since it was read (someone else acted on it first)."""

    error_id = "order-changed"


class ReportedTimeError(OrderError):
    """A follow-up or answer reported for a time it cannot have happened at: in the future
    (`bound` ``future``) or before the order entered its state (``before_state``); `at`
    and `limit` are the times (the API answers 422 naming the time field)."""

    error_id = "invalid-reported-time"
