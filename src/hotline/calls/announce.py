"""Queue announcements (排队播报): callers on hold hear their place and the expected wait.

A queue with `announce` set (`routing.config.AnnounceModel`) interrupts its hold
music at `first_after` seconds in the queue and every `every` seconds after
(times counted from entering the queue): "您前面还有 N 位客户在等待" and/or
"预计等待 M 分钟", then the music resumes. The sentences are a chain of prompts
played one after the other (each `play`'s `on_done` starts the next); numbers are
read in Chinese from numeral prompts (`read_number`). The prompts are the
hotline's `announcements` (`AnnouncementsModel`), defined once for all queues.

What is read:
- N, the callers ahead: the contacts waiting in the same queue that the ACD would
  serve first (its order: priority, then place in line);
- M, the estimated wait: (N + 1) × the queue's handle time ÷ the agents logged in
  who may take its contacts (at any stage; at least 1), in minutes rounded up, at
  least 1. The handle time is the mean talk time of the queue's last
  `RECENT_CONVERSATIONS` conversations plus its `wrap_up`, or the configured
  `handle_time` until it has had one. Numbers above 999 are read as 999.

An announcement is skipped (the schedule goes on) while the contact rings an agent,
hears the callback offer or is still hearing the previous announcement; the
schedule ends for good when the call leaves the queue it was started for (answered,
abandoned, overflowed, transferred, called back, hung up). The call controller
cuts an announcement short when it rings an agent: the port promises music while
an agent's phone rings. Each announcement is one `ContactAnnounced` event.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, field_validator

from hotline.calls.events import ContactAnnounced
from hotline.core.clock import Clock, TimerHandle
from hotline.core.events import Event
from hotline.core.ids import CallId, QueueName
from hotline.ivr.flow import Prompt
from hotline.routing.acd import ACD
from hotline.routing.config import AnnounceModel
from hotline.routing.model import AgentState
from hotline.routing.queue import ContactState
from hotline.telephony.port import Switch

NUMERALS = ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "100")
"""The numeral prompts' keys: 零 一 二 … 九, 十 and 百."""

MAX_READ = 999
"""The largest number the numerals read; larger figures are read as this."""

RECENT_CONVERSATIONS = 20
"""How many of a queue's latest conversations its mean talk time is taken over."""

PROMPT_PREFIX = "announce_"
"""Announcement prompts are named ``announce_<key>`` (``announce_position_before``,
``announce_number_7``) in the prompt catalogue and as WAV files."""


def read_number(n: int) -> tuple[str, ...]:
    """The numeral keys that read `n` (0–999) in Chinese: 12 → 十二 ("10", "2"),
    20 → 二十, 105 → 一百零五, 110 → 一百一十. Raises `ValueError` outside 0–999."""
    if not 0 <= n <= MAX_READ:
        raise ValueError(f"only 0 to {MAX_READ} can be read, not {n}")
    if n < 10:
        return (str(n),)
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    keys: list[str] = []
    if hundreds:
        keys += [str(hundreds), "100"]
        if rest == 0:
            return tuple(keys)
        if tens == 0:
            return (*keys, "0", str(units))  # 一百零五
        keys += [str(tens), "10"]  # 一百一十: after 百 the ten is read with its digit
    elif tens > 1:
        keys += [str(tens), "10"]
    else:
        keys.append("10")  # 十二, not 一十二
    if units:
        keys.append(str(units))
    return tuple(keys)


class AnnouncementsModel(BaseModel):
    """The prompts of queue announcements (the top-level ``announcements`` of hotline.yaml).

    A position announcement plays `position_before`, the number, `position_after`;
    a wait announcement `wait_before`, the number, `wait_after`. `numerals` has one
    prompt for each of 0–9, 10 and 100.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    position_before: Prompt
    position_after: Prompt
    wait_before: Prompt
    wait_after: Prompt
    numerals: dict[str, Prompt]

    @field_validator("numerals")
    @classmethod
    def _every_numeral(cls, numerals: dict[str, Prompt]) -> dict[str, Prompt]:
        missing = [k for k in NUMERALS if k not in numerals]
        extra = [k for k in numerals if k not in NUMERALS]
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"missing {', '.join(missing)}")
            if extra:
                parts.append(f"unknown {', '.join(extra)}")
            raise ValueError(
                f"one prompt for each of {', '.join(NUMERALS)} is needed ({'; '.join(parts)})"
            )
        return numerals

    def prompts(self) -> dict[str, Prompt]:
        """Every announcement prompt by its catalogue name (``announce_...``)."""
        named = {
            "position_before": self.position_before,
            "position_after": self.position_after,
            "wait_before": self.wait_before,
            "wait_after": self.wait_after,
        }
        named.update({f"number_{key}": self.numerals[key] for key in NUMERALS})
        return {PROMPT_PREFIX + key: prompt for key, prompt in named.items()}


@dataclass(frozen=True, slots=True)
class AnnounceSpec:
    """One queue's announcements: when, what, and the handle time assumed at first."""

    first_after: float
    every: float
    position: bool
    wait: bool
    handle_time: float

    @classmethod
    def of(cls, model: AnnounceModel) -> AnnounceSpec:
        return cls(model.first_after, model.every, model.position, model.wait, model.handle_time)


@dataclass(frozen=True, slots=True)
class AnnouncementPlan:
    """Which queues announce, and how; empty when none does (then nothing is scheduled)."""

    queues: Mapping[QueueName, AnnounceSpec] = field(default_factory=dict)


def estimate_minutes(ahead: int, handle_time: float, agents: int) -> int:
    """The wait read to a caller with `ahead` callers before it: (ahead + 1) handle times
    shared by `agents` agents (at least 1), in whole minutes rounded up, at least 1."""
    seconds = (ahead + 1) * handle_time / max(1, agents)
    return max(1, math.ceil(seconds / 60 - 1e-9))


def _number(n: int) -> list[str]:
    return [f"{PROMPT_PREFIX}number_{key}" for key in read_number(n)]


@dataclass(slots=True)
class _Schedule:
    call: CallId
    queue: QueueName
    spec: AnnounceSpec
    entered_at: float
    count: int = 0  # announcement times passed (played or skipped)
    timer: TimerHandle | None = None
    playing: int = 0  # the chain in progress (its token), 0 when none


Hearing = Callable[[CallId], bool | None]
"""Whether a call can hear an announcement now: True; False (not now: it rings an
agent, hears the callback offer); None (it is no longer waiting in a queue)."""


class Announcer:
    """Schedules and plays the announcements of every waiting call (one per controller).

    The controller tells it when a call enters a queue (`start`), when it leaves
    (`stop`), when another media command takes over the caller's leg (`interrupt`),
    and how long each conversation of a queue lasted (`conversation_ended`).
    """

    def __init__(
        self,
        *,
        clock: Clock,
        publish: Callable[[Event], None],
        switch: Switch,
        acd: ACD,
        plan: AnnouncementPlan,
        hearing: Hearing,
    ) -> None:
        self._clock = clock
        self._publish = publish
        self._switch = switch
        self.acd = acd  # replaced with the controller's when the routing engine restarts
        self._plan = plan
        self._hearing = hearing
        self._schedules: dict[CallId, _Schedule] = {}
        self._talks: dict[QueueName, deque[float]] = {}
        self._tokens = 0

    def start(self, call: CallId, queue: QueueName) -> None:
        """`call` entered `queue` now: schedule its announcements if the queue has them."""
        self.stop(call)
        spec = self._plan.queues.get(queue)
        if spec is None:
            return
        schedule = _Schedule(call, queue, spec, self._clock.now())
        self._schedules[call] = schedule
        schedule.timer = self._clock.call_later(spec.first_after, self._due, schedule)

    def stop(self, call: CallId) -> None:
        """No more announcements for `call`; one in progress is left to the caller's next
        media command (the controller's)."""
        schedule = self._schedules.pop(call, None)
        if schedule is not None:
            self._clock.cancel(schedule.timer)
            schedule.playing = 0

    def interrupt(self, call: CallId) -> bool:
        """Another media command takes the caller's leg now: the announcement in progress
        (if any) ends without resuming the music. True when one was in progress."""
        schedule = self._schedules.get(call)
        if schedule is None or not schedule.playing:
            return False
        schedule.playing = 0
        return True

    def conversation_ended(self, queue: QueueName, talk: float) -> None:
        """A conversation answered from `queue` lasted `talk` seconds (hold included)."""
        talks = self._talks.get(queue)
        if talks is None:
            talks = self._talks[queue] = deque(maxlen=RECENT_CONVERSATIONS)
        talks.append(talk)

    def handle_time(self, queue: QueueName) -> float:
        """The handle time the wait estimate of `queue` uses now (seconds)."""
        talks = self._talks.get(queue)
        if talks:
            return sum(talks) / len(talks) + self.acd.queue(queue).spec.wrap_up
        spec = self._plan.queues.get(queue)
        return spec.handle_time if spec is not None else 0.0

    def scheduled(self, call: CallId) -> bool:
        return call in self._schedules

    # ---- internals ----------------------------------------------------------------------

    def _due(self, schedule: _Schedule) -> None:
        call = schedule.call
        if self._schedules.get(call) is not schedule:
            return
        spec = schedule.spec
        schedule.count += 1
        hearing = self._hearing(call)
        acd = self.acd
        if hearing is None or not acd.has_contact(call):
            self.stop(call)
            return
        contact = acd.contact(call)
        if contact.queue.name != schedule.queue:
            self.stop(call)  # overflowed to another queue: this queue's announcements end
            return
        due = schedule.entered_at + spec.first_after + schedule.count * spec.every
        schedule.timer = self._clock.call_at(due, self._due, schedule)
        if not hearing or schedule.playing or contact.state is not ContactState.QUEUED:
            return
        ahead = min(acd.waiting(schedule.queue).index(contact), MAX_READ)
        names: list[str] = []
        minutes: int | None = None
        if spec.position:
            names += [f"{PROMPT_PREFIX}position_before", *_number(ahead)]
            names.append(f"{PROMPT_PREFIX}position_after")
        if spec.wait:
            agents = self._agents(schedule.queue)
            minutes = min(estimate_minutes(ahead, self.handle_time(schedule.queue), agents), 999)
            names += [f"{PROMPT_PREFIX}wait_before", *_number(minutes)]
            names.append(f"{PROMPT_PREFIX}wait_after")
        self._tokens += 1
        schedule.playing = self._tokens
        self._publish(
            ContactAnnounced(
                self._clock.now(),
                call,
                schedule.queue,
                ahead if spec.position else None,
                minutes,
            )
        )
        self._play(schedule, schedule.playing, tuple(names), 0)

    def _play(self, schedule: _Schedule, token: int, names: tuple[str, ...], i: int) -> None:
        if schedule.playing != token or self._schedules.get(schedule.call) is not schedule:
            return  # stopped or interrupted meanwhile
        if i == len(names):
            schedule.playing = 0
            self._switch.start_music(schedule.call)
            return
        self._switch.play(
            schedule.call, names[i], lambda: self._play(schedule, token, names, i + 1)
        )

    def _agents(self, queue: QueueName) -> int:
        """Agents logged in now who may take a contact of `queue` (at any of its stages)."""
        target = self.acd.queue(queue)
        out = AgentState.LOGGED_OUT
        return sum(
            1
            for agent in self.acd.agents.values()
            if agent.state is not out and any(q is target for q, _ in agent.serves)
        )
