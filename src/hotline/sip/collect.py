"""Gathering DTMF keys for one `Switch.collect`: the prompt, the keys, the timeout.

The prompt is interrupted by the first key; the inter-key timeout (on the engine's
clock) starts when the prompt is over and again after each key; the collect ends
with `max_digits` keys, the terminator (not included), or the timeout (what was
typed so far, maybe nothing). The owner routes keys in and is told when it ends.
"""

from __future__ import annotations

from collections.abc import Callable

from hotline.core.clock import Clock, TimerHandle


class Collector:
    """One collect in progress. `cancel` ends it without calling `on_digits`."""

    def __init__(
        self,
        clock: Clock,
        *,
        max_digits: int,
        timeout: float,
        terminator: str | None,
        on_digits: Callable[[str], None],
        stop_prompt: Callable[[], None],
        on_end: Callable[[Collector], None],
    ) -> None:
        """`stop_prompt` silences the prompt (first key); `on_end` runs before `on_digits`."""
        self._clock = clock
        self.max_digits = max(1, max_digits)
        self.timeout = timeout
        self.terminator = terminator
        self._on_digits = on_digits
        self._stop_prompt = stop_prompt
        self._on_end = on_end
        self.digits = ""
        self.prompt_over = False
        self.done = False
        self._timer: TimerHandle | None = None

    def prompt_ended(self) -> None:
        """The prompt played to its end (or there was none): the timeout starts."""
        if self.done or self.prompt_over:
            return
        self.prompt_over = True
        self._arm()

    def key(self, digit: str) -> None:
        if self.done:
            return
        if not self.prompt_over:
            self.prompt_over = True
            self._stop_prompt()
        if digit == self.terminator:
            self._finish()
            return
        self.digits += digit
        if len(self.digits) >= self.max_digits:
            self._finish()
        else:
            self._arm()

    def cancel(self) -> None:
        self.done = True
        self._clock.cancel(self._timer)
        self._timer = None

    def _arm(self) -> None:
        self._clock.cancel(self._timer)
        self._timer = self._clock.call_later(self.timeout, self._finish)

    def _finish(self) -> None:
        if self.done:
            return
        self.cancel()
        self._on_end(self)
        self._on_digits(self.digits)
