"""A small hand-made event log (Wednesday 2026-07-15, Asia/Shanghai), written the way the
engine writes events, so every figure can be worked out by hand in the tests.

Times are seconds after 09:00 local (T). Agents: 1001 and 1002 (team 甲), 1003 and
1004 (team 乙; 1004 is scheduled but never logs in).

- c1  ordinary, caller 111: queued fault at 10, rings 1001, answered at 15 (waited 5,
      rang 5), hold 100-130, completed at 200 (talk 185, hold 30), wrap-up to 230;
      survey 5; order 1 (complaint) answered at once.
- c2  middle, caller 222: queued fault at 30, rings 1002, abandoned while ringing at 40
      (waited 10: a short abandon); callback task cb1, due at 3040, never closed.
- c3  ordinary, caller 333: queued query at 60, abandoned at 100 (waited 40).
- c4  high, caller 444: queued vip at 310, answered by 1002 at 344 (waited 34, rang 4),
      blind transfer to complaint at 400 (talk 56), wrap-up to 420; queued complaint at
      400, answered by 1003 at 409 (waited 9, rang 4), completed at 509 (talk 100),
      wrap-up to 569; survey 3.
- c5  self-served in the IVR (600-630).
- c6  blocked before the IVR (700-705).
- c7  hung up in the IVR (800-810).
- c8  ordinary, caller 888: queued query at 905, maximum wait at 1505 (waited 600):
      callback accepted (cb2, closed done at 3000).
- c10 ordinary, caller 111 again at 3600 (10:00): self-served. So c1 was not resolved
      first time; c4 was.
"""

from __future__ import annotations

import datetime
import zoneinfo

from hotline.calls.events import (
    CallArrived,
    CallEnded,
    CallOriginated,
    CallOutboundAnswered,
    CallOutboundFailed,
    Direction,
    Outcome,
    Phase,
)
from hotline.core.customer import ListMark, Tier
from hotline.core.events import Event
from hotline.core.ids import AgentId, CallbackId, CallId, QueueName
from hotline.ivr.events import IvrEntered, IvrStopped, SurveyScored
from hotline.orders.events import (
    OrderAnswered,
    OrderAssigned,
    OrderCreated,
    OrderReopened,
    OrderVisited,
    ReturnVisitScheduled,
)
from hotline.routing.events import (
    AgentStateChanged,
    CallbackClosed,
    CallbackCreated,
    CallHeld,
    CallRetrieved,
    ConsultAnswered,
    ConsultEnded,
    ConsultStarted,
    ContactAbandoned,
    ContactAnswered,
    ContactBlocked,
    ContactCompleted,
    ContactLeft,
    ContactOffered,
    ContactQueued,
    ContactTimedOut,
    ContactTransferred,
)
from hotline.routing.model import AgentState

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = datetime.datetime(2026, 7, 15, tzinfo=SH)
T = datetime.datetime(2026, 7, 15, 9, 0, tzinfo=SH).timestamp()

S = AgentState


class Log:
    """Appends engine-like events; times are seconds after `origin`."""

    def __init__(self, origin: float = T) -> None:
        self.origin = origin
        self.events: list[Event] = []
        self._state: dict[str, AgentState] = {}
        self._caller: dict[str, str] = {}
        self._tier: dict[str, Tier] = {}

    def at(self, t: float) -> float:
        return self.origin + t

    def agent(self, t: float, agent: str, state: AgentState, call: str | None = None) -> None:
        previous = self._state.get(agent, S.LOGGED_OUT)
        self._state[agent] = state
        reason = "login" if state is S.NOT_READY and previous is S.LOGGED_OUT else ""
        self.events.append(
            AgentStateChanged(
                self.at(t), AgentId(agent), state, previous, reason,
                CallId(call) if call else None,
            )
        )  # fmt: skip

    def arrive(
        self, t: float, call: str, caller: str, tier: Tier = Tier.ORDINARY, ivr: bool = True
    ) -> None:
        self._caller[call], self._tier[call] = caller, tier
        self.events.append(
            CallArrived(self.at(t), CallId(call), caller, "95598", tier, ListMark.NONE)
        )
        if ivr:
            self.events.append(IvrEntered(self.at(t), CallId(call), "main"))

    def queue(self, t: float, call: str, queue: str) -> None:
        self.events.append(
            ContactQueued(
                self.at(t), CallId(call), QueueName(queue), self._caller[call],
                self._tier[call], ListMark.NONE, 100,
            )
        )  # fmt: skip

    def offer(self, t: float, call: str, queue: str, agent: str, waited: float) -> None:
        self.events.append(
            ContactOffered(self.at(t), CallId(call), QueueName(queue), AgentId(agent), waited)
        )
        self.agent(t, agent, S.RINGING, call)

    def answer(
        self, t: float, call: str, queue: str, agent: str, waited: float, rang: float
    ) -> None:
        self.events.append(
            ContactAnswered(
                self.at(t), CallId(call), QueueName(queue), AgentId(agent), waited, rang
            )
        )
        self.agent(t, agent, S.TALKING, call)

    def hold(self, t: float, t_back: float, call: str, agent: str) -> None:
        self.events.append(CallHeld(self.at(t), CallId(call), AgentId(agent)))
        self.agent(t, agent, S.HOLD, call)
        self.events.append(CallRetrieved(self.at(t_back), CallId(call), AgentId(agent), t_back - t))
        self.agent(t_back, agent, S.TALKING, call)

    def complete(
        self, t: float, call: str, queue: str, agent: str, talk: float, hold: float = 0.0
    ) -> None:
        self.events.append(
            ContactCompleted(
                self.at(t), CallId(call), QueueName(queue), AgentId(agent), talk, hold, "agent"
            )
        )
        self.agent(t, agent, S.WRAP_UP, call)

    def end(self, t: float, call: str, outcome: Outcome, phase: Phase) -> None:
        arrived = next(e.at for e in self.events if isinstance(e, CallArrived) and e.call == call)
        self.events.append(
            CallEnded(self.at(t), CallId(call), outcome, phase, "caller", self.at(t) - arrived)
        )

    def add(self, event: Event) -> None:
        self.events.append(event)


def day_log() -> Log:
    """The log described in the module docstring."""
    log = Log()
    a = log.at
    # agents log in
    log.agent(-600, "1001", S.NOT_READY)
    log.agent(-300, "1001", S.READY)
    log.agent(0, "1002", S.READY)
    log.agent(0, "1003", S.READY)
    # c1: answered, held, completed, survey, order 1
    log.arrive(0, "c1", "111")
    log.queue(10, "c1", "fault")
    log.offer(10, "c1", "fault", "1001", 0.0)
    log.answer(15, "c1", "fault", "1001", 5.0, 5.0)
    # c2: abandoned while ringing, short; callback task
    log.arrive(20, "c2", "222", Tier.MIDDLE)
    log.queue(30, "c2", "fault")
    log.offer(30, "c2", "fault", "1002", 0.0)
    log.add(ContactAbandoned(a(40), CallId("c2"), QueueName("fault"), 10.0, True, AgentId("1002")))
    log.agent(40, "1002", S.READY)
    cb1 = CallbackCreated(
        a(40), CallbackId("cb1"), CallId("c2"), "222", QueueName("fault"), Tier.MIDDLE, a(3040),
        "abandoned",
    )  # fmt: skip
    log.add(cb1)
    log.end(40, "c2", Outcome.ABANDONED, Phase.RINGING)
    # c3: abandoned in queue after 40 s
    log.arrive(50, "c3", "333")
    log.queue(60, "c3", "query")
    log.hold(100, 130, "c1", "1001")
    log.add(ContactAbandoned(a(100), CallId("c3"), QueueName("query"), 40.0))
    log.end(100, "c3", Outcome.ABANDONED, Phase.QUEUE)
    log.complete(200, "c1", "fault", "1001", 185.0, 30.0)
    log.add(SurveyScored(a(205), CallId("c1"), AgentId("1001"), 5))
    log.end(210, "c1", Outcome.ANSWERED, Phase.SURVEY)
    log.agent(230, "1001", S.READY)
    log.add(OrderCreated(a(250), 1, "complaint", "1001", CallId("c1")))
    log.add(OrderAnswered(a(260), 1, "complaint", "1001", None))
    log.add(ReturnVisitScheduled(a(270), 1, "complaint", "resident", a(5000), a(90000)))
    # c4: VIP, answered late, blind transfer to complaint, answered there
    log.arrive(300, "c4", "444", Tier.HIGH)
    log.queue(310, "c4", "vip")
    log.offer(340, "c4", "vip", "1002", 30.0)
    log.answer(344, "c4", "vip", "1002", 34.0, 4.0)
    log.add(
        ContactTransferred(
            a(400), CallId("c4"), QueueName("vip"), AgentId("1002"), QueueName("complaint"), 56.0
        )
    )
    log.agent(400, "1002", S.WRAP_UP, "c4")
    log.queue(400, "c4", "complaint")
    log.offer(405, "c4", "complaint", "1003", 5.0)
    log.answer(409, "c4", "complaint", "1003", 9.0, 4.0)
    log.agent(420, "1002", S.READY)
    log.complete(509, "c4", "complaint", "1003", 100.0)
    log.add(SurveyScored(a(515), CallId("c4"), AgentId("1003"), 3))
    log.end(520, "c4", Outcome.ANSWERED, Phase.SURVEY)
    log.add(OrderCreated(a(520), 2, "fault_report", "1003", CallId("c4")))
    log.add(OrderAssigned(a(530), 2, "fault_report", "1003", "供电所"))
    log.agent(569, "1003", S.READY)
    # c5 self-served, c6 blocked before the IVR, c7 hung up in the IVR
    log.arrive(600, "c5", "555")
    log.end(630, "c5", Outcome.SELF_SERVED, Phase.IVR)
    log.add(OrderCreated(a(600), 3, "query", "1001"))
    log.add(OrderAnswered(a(610), 3, "query", "1001", None))
    log.arrive(700, "c6", "666", ivr=False)
    log.add(ContactBlocked(a(700), CallId("c6"), QueueName("fault"), "queue-full"))
    log.end(705, "c6", Outcome.BLOCKED, Phase.QUEUE)
    log.arrive(800, "c7", "777")
    log.add(IvrStopped(a(810), CallId("c7"), "main", "main_menu"))
    log.end(810, "c7", Outcome.ABANDONED, Phase.IVR)
    # c8: maximum wait, callback accepted
    log.arrive(900, "c8", "888")
    log.queue(905, "c8", "query")
    log.agent(1000, "1002", S.AWAY)
    log.agent(1200, "1002", S.READY)
    log.add(ContactTimedOut(a(1505), CallId("c8"), QueueName("query"), 600.0, "callback"))
    log.add(ContactLeft(a(1505), CallId("c8"), QueueName("query"), 600.0, "callback"))
    log.add(
        CallbackCreated(
            a(1505), CallbackId("cb2"), CallId("c8"), "888", QueueName("query"), Tier.ORDINARY,
            a(1505 + 86400), "accepted_offer",
        )
    )  # fmt: skip
    log.end(1510, "c8", Outcome.CALLBACK, Phase.QUEUE)
    log.agent(2400, "1001", S.LOGGED_OUT)
    log.agent(2700, "1002", S.LOGGED_OUT)
    log.add(CallbackClosed(a(3000), CallbackId("cb2"), "done"))
    log.add(OrderAnswered(a(3000), 2, "fault_report", "供电所", "供电所"))
    log.add(ReturnVisitScheduled(a(3100), 2, "fault_report", "resident", a(9000), a(90000)))
    # c10: c1's caller calls again
    log.arrive(3600, "c10", "111")
    log.end(3630, "c10", Outcome.SELF_SERVED, Phase.IVR)
    log.agent(3600, "1003", S.LOGGED_OUT)
    log.add(OrderReopened(a(4000), 3, "query", "qa", 2))
    log.add(OrderVisited(a(5000), 1, "complaint", "qa", 5, True))
    return log


def consult_log() -> Log:
    """c20: 1001 answers (complaint queue), consults the shift lead 1002 at 60 (the caller
    on hold), hands over at 90; 1002 completes at 200; wrap-ups to 120 and 230."""
    log = Log()
    a = log.at
    log.agent(-100, "1001", S.READY)
    log.agent(-100, "1002", S.READY)
    log.arrive(-20, "c20", "2020")
    log.queue(-10, "c20", "complaint")
    log.offer(-10, "c20", "complaint", "1001", 0.0)
    log.answer(0, "c20", "complaint", "1001", 10.0, 10.0)
    log.add(CallHeld(a(60), CallId("c20"), AgentId("1001")))
    log.agent(60, "1001", S.HOLD, "c20")
    log.add(
        ConsultStarted(
            a(60), CallId("c20"), QueueName("complaint"), AgentId("1001"),
            QueueName("shift_lead"), AgentId("1002"),
        )
    )  # fmt: skip
    log.agent(60, "1002", S.RINGING, "c20")
    log.add(ConsultAnswered(a(65), CallId("c20"), AgentId("1001"), AgentId("1002"), 5.0))
    log.agent(65, "1002", S.TALKING, "c20")
    log.add(
        ConsultEnded(
            a(90), CallId("c20"), QueueName("complaint"), AgentId("1001"), AgentId("1002"),
            "transferred", 90.0,
        )
    )  # fmt: skip
    log.agent(90, "1001", S.WRAP_UP, "c20")
    log.agent(120, "1001", S.READY)
    log.complete(200, "c20", "complaint", "1002", 110.0)
    log.end(200, "c20", Outcome.ANSWERED, Phase.TALKING)
    log.agent(230, "1002", S.READY)
    return log


def midnight_log() -> Log:
    """c30 arrives at 23:59:50 on the 15th, is queued at 23:59:55, answered by 1001 at
    00:00:10 on the 16th (waited 15, rang 15), completed at 00:02:10 (talk 120), wrap-up
    to 00:02:40. 1001 is logged in from 23:00 to 01:00."""
    log = Log(origin=datetime.datetime(2026, 7, 16, tzinfo=SH).timestamp())
    log.agent(-3600, "1001", S.READY)
    log.arrive(-10, "c30", "3030")
    log.queue(-5, "c30", "fault")
    log.offer(-5, "c30", "fault", "1001", 0.0)
    log.answer(10, "c30", "fault", "1001", 15.0, 15.0)
    log.complete(130, "c30", "fault", "1001", 120.0)
    log.end(130, "c30", Outcome.ANSWERED, Phase.TALKING)
    log.agent(160, "1001", S.READY)
    log.agent(3600, "1001", S.LOGGED_OUT)
    return log


def outbound_log() -> Log:
    """Outbound calls (外呼) placed by the hotline at 09:00 + t:
    - o1 to 5551 at 0: answered at 10 (rang 10), queued `query` at 10, rung 1001 at 10,
      answered at 14 (waited 4, rang 4), completed at 74 (talk 60), wrap-up to 94;
    - o2 to 5552 at 20: no answer after 30 s (failed at 50);
    - o3 to 5553 at 1900 (09:31:40): busy at once (failed at 1901).
    One inbound call for comparison: c1 from 111 queued `query` at 100, answered by
    1001 at 110 (waited 10, rang 0), completed at 170 (talk 60)."""
    log = Log()
    a = log.at
    log.agent(-100, "1001", S.READY)

    def originate(t: float, call: str, number: str) -> None:
        log._caller[call], log._tier[call] = number, Tier.ORDINARY
        log.add(
            CallOriginated(
                a(t), CallId(call), number, "95598", "queue", "query", Tier.ORDINARY,
                ListMark.NONE,
            )
        )  # fmt: skip

    originate(0, "o1", "5551")
    log.add(CallOutboundAnswered(a(10), CallId("o1"), "5551", 10.0))
    log.queue(10, "o1", "query")
    log.offer(10, "o1", "query", "1001", 0.0)
    log.answer(14, "o1", "query", "1001", 4.0, 4.0)
    log.complete(74, "o1", "query", "1001", 60.0)
    log.add(
        CallEnded(a(74), CallId("o1"), Outcome.ANSWERED, Phase.TALKING, "agent", 74.0,
                  Direction.OUTBOUND)
    )  # fmt: skip
    log.agent(94, "1001", S.READY)
    originate(20, "o2", "5552")
    log.add(CallOutboundFailed(a(50), CallId("o2"), "5552", "no-answer", 30.0))
    log.add(
        CallEnded(a(50), CallId("o2"), Outcome.NOT_REACHED, Phase.DIALING, "system", 30.0,
                  Direction.OUTBOUND)
    )  # fmt: skip
    originate(1900, "o3", "5553")
    log.add(CallOutboundFailed(a(1901), CallId("o3"), "5553", "busy", 1.0))
    log.add(
        CallEnded(a(1901), CallId("o3"), Outcome.NOT_REACHED, Phase.DIALING, "system", 1.0,
                  Direction.OUTBOUND)
    )  # fmt: skip
    log.arrive(95, "c1", "111", ivr=False)
    log.queue(100, "c1", "query")
    log.offer(110, "c1", "query", "1001", 10.0)
    log.answer(110, "c1", "query", "1001", 10.0, 0.0)
    log.complete(170, "c1", "query", "1001", 60.0)
    log.end(170, "c1", Outcome.ANSWERED, Phase.TALKING)
    log.agent(190, "1001", S.READY)
    log.events.sort(key=lambda e: e.at)
    return log
