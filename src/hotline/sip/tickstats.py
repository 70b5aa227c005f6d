"""`TickStats`: how late the media pacer's 20 ms ticks start, cheap enough to count always."""

from __future__ import annotations


class TickStats:
    """How late the pacer's ticks start: a histogram in 0.25 ms steps (the last step
    holds everything from 100 ms on), the worst lateness, and frames sent against
    frames due. Cheap enough to run always; `snapshot` reads and restarts it."""

    STEP = 0.00025
    STEPS = 400

    def __init__(self) -> None:
        self.counts = [0] * (self.STEPS + 1)
        self.ticks = 0
        self.worst = 0.0
        self.frames_due = 0
        self.frames_sent = 0

    def record(self, lateness: float) -> None:
        self.ticks += 1
        if lateness > self.worst:
            self.worst = lateness
        self.counts[min(int(lateness / self.STEP), self.STEPS) if lateness > 0 else 0] += 1

    def percentile(self, q: float) -> float:
        """The lateness (seconds, upper edge of its step) that a share `q` of ticks stay
        within; 0.0 with no ticks."""
        if self.ticks == 0:
            return 0.0
        target = q * self.ticks
        seen = 0
        for i, n in enumerate(self.counts):
            seen += n
            if seen >= target:
                return min((i + 1) * self.STEP, self.worst)
        return self.worst

    def snapshot(self) -> TickStats:
        """These figures so far; counting starts again from zero."""
        copy = TickStats()
        copy.counts, copy.ticks, copy.worst = self.counts, self.ticks, self.worst
        copy.frames_due, copy.frames_sent = self.frames_due, self.frames_sent
        self.counts = [0] * (self.STEPS + 1)
        self.ticks = self.frames_due = self.frames_sent = 0
        self.worst = 0.0
        return copy
