"""A caller's keys: one `collect` in progress (`Collector`) and the keys typed ahead of it.

The rule both switches follow (type-ahead, as hardware IVRs do it):

- A key pressed while no `collect` runs (during a `play`, between steps, with hold music)
  is kept in the call's `KeyBuffer`, at most `TYPEAHEAD_LIMIT` keys (the oldest go
  first beyond that). Keys pressed while the caller talks with an agent are not kept,
  and the buffer is emptied when the call is bridged.
- The next `collect` takes the buffered keys as if they were pressed the moment it
  starts: its prompt is not played at all (the keys interrupt it at once), and the keys
  count as typed. What the collect does not take (keys after its terminator or beyond
  its `max_digits`) stays buffered for the collect after it, in order.
- When the buffered keys finish the collect (`max_digits` reached or the terminator among
  them), its result comes at once, from a zero-delay timer of the engine's clock (never
  from inside the `collect` command); when they do not, the collect goes on from them:
  the inter-key timeout runs from its start, further keys come in as usual.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from hotline.core.clock import Clock, TimerHandle

TYPEAHEAD_LIMIT = 32
"""Keys kept per call while no collect runs; beyond it the oldest are dropped."""


class KeyBuffer:
    """The keys one call typed ahead, oldest first, at most `limit`."""

    __slots__ = ("_keys",)

    def __init__(self, limit: int = TYPEAHEAD_LIMIT) -> None:
        self._keys: deque[str] = deque(maxlen=limit)

    def add(self, digit: str) -> None:
        self._keys.append(digit)

    def take_for(self, max_digits: int, terminator: str | None) -> str:
        """The keys a collect of `max_digits` (ended by `terminator`) takes, removed from
        the buffer: up to and including the terminator, or `max_digits` keys, whichever
        comes first. The rest stays."""
        taken: list[str] = []
        keys = self._keys
        while keys and len(taken) < max(1, max_digits):
            digit = keys.popleft()
            taken.append(digit)
            if digit == terminator:
                break
        return "".join(taken)

    def put_back(self, digits: str) -> None:
        """Return keys taken but not used (their collect was replaced first), in order."""
        self._keys.extendleft(reversed(digits))

    def clear(self) -> None:
        self._keys.clear()

    def __len__(self) -> int:
        return len(self._keys)

    def __str__(self) -> str:
        return "".join(self._keys)


class Collector:
    """One collect in progress: the first key stops the prompt, the inter-key timeout (on
    the engine's clock) starts when the prompt is over and again after each key; the
    collect ends with `max_digits` keys, the terminator (not included), or the timeout
    (what was typed so far, maybe nothing). `cancel` ends it without calling `on_digits`.
    """

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


def feed_later(clock: Clock, collect: Collector, keys: str, buffer: KeyBuffer) -> None:
    """Give `collect` the typed-ahead `keys` on a zero-delay timer of `clock` (a switch
    reports from timers, never inside its commands); if the collect was replaced before
    the timer, the keys go back to `buffer`."""

    def feed() -> None:
        if collect.done:
            buffer.put_back(keys)
            return
        for digit in keys:
            collect.key(digit)

    clock.call_later(0.0, feed)
