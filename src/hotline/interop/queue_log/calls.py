"""One caller's queue_log lines (one Asterisk uniqueid) folded into Hotline's call events.

A `CallStory` is fed the lines of one call in time order and keeps the call's
state: waiting in a queue, talking with an agent, between two queues (it left
one and may enter another: overflow, transfer, key exit) or ended (it hung
up). Each line that fits produces the events the engine would have written;
a line that does not fit (a CONNECT while already talking, say) is returned as
a `Problem` and skipped. The mapping, line by line, is in docs/metrics.md
("Asterisk queue_log import").

Times come from the lines; every duration (`waited`, `rang`, `talk`) is
computed from them, so the events obey the engine's invariants
(``waited = at - entered``, ``talk = completed.at - answered.at``) whatever
rounding Asterisk applied to the numbers it writes. Those numbers are checked
to be numbers. A ring's start, which Asterisk does not log, is the line's time
minus the ring time it does log.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from hotline.calls.events import CallArrived, CallEnded, Outcome, Phase
from hotline.core.events import Event
from hotline.core.ids import AgentId, CallbackId, CallId, QueueName
from hotline.interop.queue_log.lines import Line, Problem, UnreadableLineError
from hotline.interop.queue_log.names import NO_ONE, agent_id
from hotline.interop.queue_log.settings import Settings
from hotline.routing.events import (
    CallbackCreated,
    ContactAbandoned,
    ContactAnswered,
    ContactCompleted,
    ContactLeft,
    ContactOffered,
    ContactOfferFailed,
    ContactOverflowed,
    ContactQueued,
    ContactRingNoAnswer,
    ContactTimedOut,
    ContactTransferred,
)

CALL_EVENTS = frozenset(
    {
        "DID", "ENTERQUEUE", "RINGNOANSWER", "RINGCANCELED", "AGENTDUMP", "SYSCOMPAT",
        "CONNECT", "COMPLETECALLER", "COMPLETEAGENT", "TRANSFER", "BLINDTRANSFER",
        "ATTENDEDTRANSFER", "ABANDON", "EXITWITHTIMEOUT", "EXITEMPTY", "EXITWITHKEY", "WITHDRAW",
    }
)  # fmt: skip
"""Events whose callid is a caller's channel."""

Emitted = tuple[float, int, int, Event]
"""(time, line order, emission order, event): how the converter sorts every event."""

Status = Literal["new", "waiting", "talking", "between", "ended", "orphan"]
ExitKind = Literal["complete", "transfer", "timeout", "empty", "withdraw", "key"]

_EXITS: dict[str, tuple[ExitKind, int]] = {  # event -> kind, index of its waittime
    "EXITWITHTIMEOUT": ("timeout", 2),
    "EXITEMPTY": ("empty", 2),
    "WITHDRAW": ("withdraw", 2),
    "EXITWITHKEY": ("key", 3),
}
_LEFT_REASON = {"empty": "empty", "withdraw": "withdrawn", "key": "exit-key"}


@dataclass(slots=True)
class _Exit:
    """How the call left its last queue; what it means depends on whether it comes back."""

    kind: ExitKind
    at: float
    seq: int
    queue: QueueName
    waited: float
    by: str = ""  # complete: who hung up
    agent: AgentId | None = None  # transfer
    talk: float = 0.0  # transfer
    destination: str = ""  # transfer: where Asterisk sent it


class CallStory:
    """Folds one call's lines into events (`events`); see the module docstring."""

    def __init__(self, call: str, settings: Settings, order: Iterator[int]) -> None:
        self.call = CallId(call)
        self.settings = settings
        self._order = order
        self.status: Status = "new"
        self.events: list[Emitted] = []
        self.dialed = ""
        self.caller = ""
        self.info = settings.caller("")
        self.arrived_at = 0.0
        self.answered_ever = False
        self.queue = QueueName("")
        self.entered = 0.0  # the contact's entry: `waited` counts from here (overflow keeps it)
        self.joined = 0.0  # entry into the current queue: no ring starts before it
        self.agent: AgentId | None = None
        self.answered_at = 0.0
        self.exit: _Exit | None = None
        self.cancelled: list[tuple[Line, int, AgentId, float]] = []  # RINGCANCELED lines
        self.dropped: AgentId | None = None  # SYSCOMPAT: the next ABANDON is the system's
        self.last = (0.0, 0)  # time and order of its last line that counted
        self.outcome: Outcome | None = None
        self.lost = False  # cut by an Asterisk restart

    # -- feeding ------------------------------------------------------------------------

    def feed(self, line: Line, seq: int) -> list[Problem]:
        """Take the call's next line; returns the problems (the line skipped, or an earlier
        RINGCANCELED that this line shows was not the caller leaving)."""
        if self.status == "orphan":
            return []
        if self.status == "new" and line.event not in ("ENTERQUEUE", "DID"):
            self.status = "orphan"  # the call entered its queue before this log begins
            return []
        try:
            return self._feed(line, seq)
        except UnreadableLineError as exc:
            return [line.problem(str(exc))]

    def _feed(self, line: Line, seq: int) -> list[Problem]:
        event = line.event
        if event == "DID":
            if self.status == "new":
                self.dialed = line.text(0)
            return []
        if event == "ENTERQUEUE":
            return self._enter(line, seq)
        if self.status != "waiting" and event in _WAITING_ONLY:
            return [line.problem(f"{event} does not fit: the call is {self._where()}")]
        if self.status != "talking" and event in _TALKING_ONLY:
            return [line.problem(f"{event} does not fit: the call is {self._where()}")]
        if event == "RINGCANCELED":
            agent = self._agent(line)
            start = self._ring_start(line.at, line.seconds(0, "ringtime", scale=0.001))
            self.cancelled.append((line, seq, agent, start))
            return []
        problems = self._leftover_rings(event)
        self.last = (line.at, seq)
        dropped, self.dropped = self.dropped, None  # only the line right after SYSCOMPAT
        if event == "RINGNOANSWER":
            agent = self._agent(line)
            start = self._ring_start(line.at, line.seconds(0, "ringtime", scale=0.001))
            self._offer(start, seq, agent)
            self._emit(line.at, seq, ContactRingNoAnswer, agent=agent, rang=line.at - start)
        elif event in ("AGENTDUMP", "SYSCOMPAT"):
            agent = self._agent(line)
            self._offer(line.at, seq, agent)
            reason = "agent-dump" if event == "AGENTDUMP" else "syscompat"
            self._emit(line.at, seq, ContactOfferFailed, agent=agent, reason=reason)
            self.dropped = agent if event == "SYSCOMPAT" else None
        elif event == "CONNECT":
            self._connect(line, seq)
        elif event in ("COMPLETECALLER", "COMPLETEAGENT"):
            line.seconds(0, "holdtime")
            line.seconds(1, "calltime")
            by_caller = event == "COMPLETECALLER"
            assert self.agent is not None  # talking
            self._emit(
                line.at, seq, ContactCompleted, agent=self.agent,
                talk=line.at - self.answered_at, hold=0.0,
                ended_by="caller" if by_caller else "agent",
            )  # fmt: skip
            self._leave(
                _Exit(
                    "complete", line.at, seq, self.queue, 0.0, "caller" if by_caller else "system"
                )
            )
        elif event in ("TRANSFER", "BLINDTRANSFER", "ATTENDEDTRANSFER"):
            self._transfer(line, seq)
        elif event == "ABANDON":
            self._abandon(line, seq, dropped=dropped is not None)
        else:
            kind, index = _EXITS[event]
            line.seconds(index, "waittime")
            self._leave(_Exit(kind, line.at, seq, self.queue, line.at - self.entered))
        return problems

    def _where(self) -> str:
        if self.status == "waiting":
            return f"waiting in queue {self.queue}"
        if self.status == "talking":
            return f"talking with {self.agent} (queue {self.queue})"
        if self.status == "between":
            return f"out of queue {self.queue}"
        return "over (the caller hung up)" if self.status == "ended" else "not yet in a queue"

    def _agent(self, line: Line) -> AgentId:
        agent = agent_id(line.agent)
        if agent is None:
            raise UnreadableLineError(f"{line.event} names no agent")
        return AgentId(agent)

    def _ring_start(self, at: float, rang: float | None) -> float:
        return max(self.joined, at - (rang or 0.0))

    def _leftover_rings(self, event: str) -> list[Problem]:
        """RINGCANCELED lines are the caller leaving; only ABANDON or EXITWITHKEY may follow."""
        if not self.cancelled or event in ("ABANDON", "EXITWITHKEY"):
            return []
        lines, self.cancelled = self.cancelled, []
        return [
            line.problem(f"RINGCANCELED not followed by the caller leaving (next: {event})")
            for line, _, _, _ in lines
        ]

    def _enter(self, line: Line, seq: int) -> list[Problem]:
        if self.status in ("waiting", "talking", "ended"):
            return [line.problem(f"ENTERQUEUE does not fit: the call is {self._where()}")]
        problems = self._leftover_rings("ENTERQUEUE")
        queue = QueueName(line.queue)
        if queue in NO_ONE:
            return [*problems, line.problem("ENTERQUEUE names no queue")]
        self.last = (line.at, seq)
        if self.status == "new":
            self.caller = line.text(1)
            self.info = self.settings.caller(self.caller)
            self.arrived_at = line.at
            self._emit(
                line.at, seq, CallArrived, caller=self.caller, dialed=self.dialed,
                tier=self.info.tier, list_mark=self.info.list_mark,
            )  # fmt: skip
        overflow = self.exit is not None and self.exit.kind == "timeout"
        self._close_exit(queue)
        self.status, self.queue, self.joined = "waiting", queue, line.at
        if not overflow:
            self.entered = line.at
            self._emit(
                line.at, seq, ContactQueued, queue=queue, caller=self.caller,
                tier=self.info.tier, list_mark=self.info.list_mark,
                priority=self.settings.priority(queue, self.info.tier, self.info.list_mark),
                resumed=False,
            )  # fmt: skip
        return problems

    def _connect(self, line: Line, seq: int) -> None:
        agent = self._agent(line)
        line.seconds(0, "holdtime")
        start = self._ring_start(line.at, line.seconds(2, "ringtime"))
        self._offer(start, seq, agent)
        self._emit(
            line.at, seq, ContactAnswered, agent=agent,
            waited=line.at - self.entered, rang=line.at - start,
        )  # fmt: skip
        self.status, self.agent, self.answered_at = "talking", agent, line.at
        self.answered_ever = True

    def _transfer(self, line: Line, seq: int) -> None:
        first = line.text(0)
        if line.event == "ATTENDEDTRANSFER":
            link = first.upper() == "LINK"
            destination = f"link:{line.text(1)},{line.text(2)}" if link else first.lower()
            if not link:
                destination += f":{line.text(1)}"
            numbers = 3 if link else 2
        else:
            context = line.text(1)
            destination = f"{first}@{context}" if context else first
            numbers = 2
        line.seconds(numbers, "holdtime")
        line.seconds(numbers + 1, "calltime")
        talk = line.at - self.answered_at
        self._leave(
            _Exit("transfer", line.at, seq, self.queue, 0.0, "", self.agent, talk, destination)
        )

    def _abandon(self, line: Line, seq: int, *, dropped: bool) -> None:
        waited = line.at - self.entered
        if dropped:  # SYSCOMPAT: Asterisk dropped the call, then logs ABANDON
            self._emit(line.at, seq, ContactLeft, waited=waited, reason="syscompat")
            self._end(line.at, seq, Outcome.BLOCKED, Phase.RINGING, "system")
            return
        rings = self._flush_cancelled()
        member = agent_id(line.agent)
        if member is not None and not rings:  # the caller hung up as the agent answered
            self._offer(line.at, seq, AgentId(member))
            rings = [AgentId(member)]
        self._emit(
            line.at, seq, ContactAbandoned, waited=waited,
            ringing=bool(rings), agent=rings[0] if rings else None,
        )  # fmt: skip
        phase = Phase.RINGING if rings else Phase.QUEUE
        self._end(line.at, seq, Outcome.ABANDONED, phase, "caller")

    def _flush_cancelled(self) -> list[AgentId]:
        """The rings the caller's leaving cut short, as offers (the leaving event closes them)."""
        rings, self.cancelled = self.cancelled, []
        for _, seq, agent, start in rings:
            self._offer(start, seq, agent)
        return [agent for _, _, agent, _ in rings]

    def _leave(self, exit: _Exit) -> None:
        if exit.kind == "key":
            self._flush_cancelled()
        self.status, self.exit, self.agent = "between", exit, None

    # -- what an exit means, once it is known whether the call came back ------------------

    def _close_exit(self, back_in: QueueName | None) -> None:
        """Write the events of the pending exit; `back_in` is the queue it entered next."""
        exit, self.exit = self.exit, None
        if exit is None:
            return
        at, seq = exit.at, exit.seq
        if exit.kind == "complete":
            if back_in is None:
                self._end(at, seq, Outcome.ANSWERED, Phase.TALKING, exit.by)
        elif exit.kind == "transfer":
            assert exit.agent is not None
            self._emit(
                at, seq, ContactTransferred, queue=exit.queue, agent=exit.agent,
                to_queue=QueueName(back_in or exit.destination), talk=exit.talk,
            )  # fmt: skip
            if back_in is None:
                self._end(at, seq, Outcome.ANSWERED, Phase.TALKING, "transfer")
        elif exit.kind == "timeout":
            action = "overflow" if back_in is not None else "hangup"
            self._emit(
                at, seq, ContactTimedOut, queue=exit.queue, waited=exit.waited, action=action
            )
            if back_in is not None:
                self._emit(
                    at, seq, ContactOverflowed, queue=exit.queue, to_queue=back_in,
                    waited=exit.waited,
                )  # fmt: skip
            else:
                self._emit(
                    at, seq, ContactLeft, queue=exit.queue, waited=exit.waited, reason="max-wait"
                )
                self._end(at, seq, Outcome.BLOCKED, Phase.QUEUE, "system")
        elif exit.kind == "key" and back_in is None and self.settings.key_exit == "callback":
            self._emit(
                at, seq, ContactLeft, queue=exit.queue, waited=exit.waited, reason="callback"
            )
            self._emit(
                at, seq, CallbackCreated, task=CallbackId(f"{self.call}-cb"),
                caller=self.caller, queue=exit.queue, tier=self.info.tier,
                due=at + self.settings.callback_within, reason="accepted_offer",
            )  # fmt: skip
            self._end(at, seq, Outcome.CALLBACK, Phase.QUEUE, "system")
        else:
            reason = _LEFT_REASON[exit.kind]
            self._emit(at, seq, ContactLeft, queue=exit.queue, waited=exit.waited, reason=reason)
            if back_in is None:
                self._end(at, seq, Outcome.BLOCKED, Phase.QUEUE, "system")

    # -- the end of the log -------------------------------------------------------------

    def finish(
        self, restarts: Sequence[tuple[float, int]]
    ) -> Literal["imported", "unfinished", "orphan", "none"]:
        """Close the story at the end of the log.

        A call still in a queue or in conversation was cut by an Asterisk restart
        (QUEUESTART after its last line: ended as ``lost``, as the engine's reconcile
        does), or goes on after the log ends: then it is not imported at all. A call
        whose first line is not ENTERQUEUE began before the log (``orphan``); one with
        only a DID line never entered a queue (``none``).
        """
        if self.status in ("new", "orphan"):
            return "none" if self.status == "new" else "orphan"
        if self.status == "between":
            self._close_exit(None)
        elif self.status in ("waiting", "talking"):
            restart = next((r for r in restarts if r > self.last), None)
            if restart is None:
                self.events.clear()
                return "unfinished"
            self._lost(*restart)
        return "imported"

    def _lost(self, at: float, seq: int) -> None:
        self.lost = True
        if self.status == "talking":
            assert self.agent is not None
            self._emit(
                at, seq, ContactCompleted, agent=self.agent, talk=at - self.answered_at,
                hold=0.0, ended_by="lost",
            )  # fmt: skip
            self._end(at, seq, Outcome.ANSWERED, Phase.TALKING, "lost")
            return
        rings = self._flush_cancelled()
        self._emit(at, seq, ContactLeft, waited=at - self.entered, reason="lost")
        self._end(at, seq, Outcome.BLOCKED, Phase.RINGING if rings else Phase.QUEUE, "lost")

    # -- writing events -----------------------------------------------------------------

    def _offer(self, at: float, seq: int, agent: AgentId) -> None:
        self._emit(at, seq, ContactOffered, agent=agent, waited=at - self.entered)

    def _end(self, at: float, seq: int, outcome: Outcome, phase: Phase, by: str) -> None:
        final = Outcome.ANSWERED if self.answered_ever else outcome
        self.outcome = final
        self._emit(
            at, seq, CallEnded, outcome=final, phase=phase, by=by, duration=at - self.arrived_at
        )
        self.status = "ended"

    def _emit(self, at: float, seq: int, cls: type[Event], **fields: object) -> None:
        if cls is not CallArrived and cls is not CallEnded and cls is not CallbackCreated:
            fields.setdefault("queue", self.queue)
        event = cls(at=at, call=self.call, **fields)  # type: ignore[call-arg]
        self.events.append((at, seq, next(self._order), event))


_WAITING_ONLY = frozenset(
    {"RINGNOANSWER", "RINGCANCELED", "AGENTDUMP", "SYSCOMPAT", "CONNECT", "ABANDON", *_EXITS}
)
_TALKING_ONLY = frozenset(
    {"COMPLETECALLER", "COMPLETEAGENT", "TRANSFER", "BLINDTRANSFER", "ATTENDEDTRANSFER"}
)
