"""Agents' states rebuilt from queue membership, pauses and the calls they were offered.

Asterisk logs no agent state as such. An agent's Hotline state is derived at
every step from what the log does say:

- **logged in** while it is a member of a queue (ADDMEMBER … REMOVEMEMBER), or
  logged in as an Asterisk agent (AGENTLOGIN / AGENTCALLBACKLOGIN … LOGOFF), or,
  for a static member the log never adds, from the first line that names it;
- **not ready** (示忙) while paused in every queue it is a member of (PAUSE,
  PAUSEALL; ADDMEMBER with ``PAUSED``), with the pause reason mapped onto
  Hotline's reasons (`pause_reason`);
- **ringing**, **talking**, **wrap-up** from the contact events of its calls:
  offered → ringing; answered → talking; completed or transferred → wrap-up
  for the queue's wrap-up seconds (Asterisk's ``wrapuptime``, from the
  settings), ended early by its next offer or by the agent pausing, unpausing
  or leaving; a ring that ends unanswered or
  that the caller left → back to ready or not ready. A call state wins over
  the pause (a pause during a call applies after it, as in the engine);
- **ready** otherwise.

Each change is one `AgentStateChanged` whose `previous` is the state written
before, so `hotline.routing.replay.replay(strict=True)` accepts the log. An
offer to an agent already in another call (``ringinuse=yes``, or overlapping
rings of ``ringall``) leaves the agent's state alone and is counted
(`overlaps`). At the end of the log every agent still logged in is logged out,
so each import starts and ends with every agent logged out.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field

from hotline.core.events import Event
from hotline.core.ids import AgentId, CallId
from hotline.interop.queue_log.lines import Line, Problem
from hotline.interop.queue_log.names import NO_ONE, agent_id
from hotline.interop.queue_log.settings import Settings
from hotline.routing.events import (
    AgentStateChanged,
    ContactAbandoned,
    ContactAnswered,
    ContactCompleted,
    ContactLeft,
    ContactOffered,
    ContactOfferFailed,
    ContactRingNoAnswer,
    ContactTransferred,
)
from hotline.routing.model import AgentState, NotReadyReason

MEMBER_EVENTS = frozenset(
    {
        "ADDMEMBER", "REMOVEMEMBER", "PAUSE", "UNPAUSE", "PAUSEALL", "UNPAUSEALL",
        "AGENTLOGIN", "AGENTLOGOFF", "AGENTCALLBACKLOGIN", "AGENTCALLBACKLOGOFF",
    }
)  # fmt: skip

_REASONS = {
    "auto-pause": NotReadyReason.MISSED,  # Asterisk's autopause after a ring-no-answer
    "busy": NotReadyReason.BUSY,
    "示忙": NotReadyReason.BUSY,
    "break": NotReadyReason.BREAK,
    "rest": NotReadyReason.BREAK,
    "小休": NotReadyReason.BREAK,
    "休息": NotReadyReason.BREAK,
    "lunch": NotReadyReason.MEAL,
    "meal": NotReadyReason.MEAL,
    "dinner": NotReadyReason.MEAL,
    "用餐": NotReadyReason.MEAL,
    "meeting": NotReadyReason.MEETING,
    "会议": NotReadyReason.MEETING,
    "training": NotReadyReason.TRAINING,
    "培训": NotReadyReason.TRAINING,
}


def pause_reason(text: str) -> NotReadyReason:
    """Hotline's not-ready reason for an Asterisk pause reason (``busy`` when unknown)."""
    return _REASONS.get(text.strip().lower(), NotReadyReason.BUSY)


Shown = tuple[AgentState, str, CallId | None]


@dataclass(slots=True)
class _Agent:
    id: AgentId
    login: bool = False  # AGENTLOGIN / AGENTCALLBACKLOGIN
    implicit: bool = False  # a static member: named by a line while not logged in
    queues: set[str] = field(default_factory=set)
    paused: dict[str, str] = field(default_factory=dict)  # queue -> reason
    paused_all: str | None = None  # PAUSEALL's reason
    reason: str = ""  # the latest pause reason
    stage: AgentState | None = None  # ringing, talking, wrap_up
    call: CallId | None = None
    wrap_until: float = 0.0
    shown: Shown = (AgentState.LOGGED_OUT, "", None)

    @property
    def present(self) -> bool:
        return self.login or self.implicit or bool(self.queues)

    def state(self) -> Shown:
        if self.stage is not None:
            return (self.stage, "", self.call)
        if not self.present:
            return (AgentState.LOGGED_OUT, "", None)
        paused = self.paused_all is not None or (
            bool(self.queues) and all(q in self.paused for q in self.queues)
        )
        if paused:
            return (AgentState.NOT_READY, pause_reason(self.reason).value, None)
        return (AgentState.READY, "", None)

    def log_off(self) -> None:
        self.login = self.implicit = False
        self.queues.clear()
        self.paused.clear()
        self.paused_all = None


class AgentBook:
    """Every agent's state; `member` and `contact` take the log in time order and append
    the resulting `AgentStateChanged` events to `out`."""

    def __init__(self, settings: Settings, out: list[Event]) -> None:
        self.settings = settings
        self.out = out
        self.agents: dict[AgentId, _Agent] = {}
        self.reasons: Counter[tuple[str, str]] = Counter()  # (Asterisk reason, Hotline reason)
        self.overlaps = 0
        self.logged_out_at_end = 0
        self._ringing: dict[CallId, set[AgentId]] = {}
        self._wraps: list[tuple[float, str, CallId]] = []

    def _agent(self, agent: str) -> _Agent:
        key = AgentId(agent)
        found = self.agents.get(key)
        if found is None:
            found = self.agents[key] = _Agent(key)
        return found

    # -- time ---------------------------------------------------------------------------

    def advance(self, at: float) -> None:
        """End every wrap-up due by `at`, at its own time."""
        while self._wraps and self._wraps[0][0] <= at:
            until, agent, call = heapq.heappop(self._wraps)
            a = self.agents[AgentId(agent)]
            if a.stage is AgentState.WRAP_UP and a.call == call and a.wrap_until == until:
                a.stage, a.call = None, None
                self._show(a, until)

    def close(self, at: float) -> float:
        """The end of the log: wrap-ups end, then everyone still logged in logs out at `at`
        (or when the last wrap-up ends, if later). Returns that time."""
        end = max([at, *(w[0] for w in self._wraps)])
        self.advance(end)
        for agent in sorted(self.agents):
            a = self.agents[agent]
            if a.shown[0] is AgentState.LOGGED_OUT:
                continue
            a.stage, a.call = None, None
            a.log_off()
            self.logged_out_at_end += 1
            self._show(a, end)
        return end

    # -- membership and pauses ----------------------------------------------------------

    def member(self, line: Line) -> Problem | None:
        """Apply one member line (ADDMEMBER, PAUSE, AGENTLOGIN …)."""
        agent = agent_id(line.agent)
        if agent is None:
            return line.problem(f"{line.event} names no agent")
        a = self._agent(agent)
        queue = "" if line.queue in NO_ONE else line.queue
        event = line.event
        if event in ("ADDMEMBER", "REMOVEMEMBER", "PAUSE", "UNPAUSE") and not queue:
            if event not in ("PAUSE", "UNPAUSE"):
                return line.problem(f"{event} names no queue")
            event += "ALL"  # an old PAUSE without a queue pauses everywhere
        if event == "ADDMEMBER":
            a.queues.add(queue)
            if line.text(0).upper() == "PAUSED":
                a.paused[queue] = ""
        elif event == "REMOVEMEMBER":
            a.queues.discard(queue)
            a.paused.pop(queue, None)
            if not a.queues:
                a.implicit = False
        elif event == "PAUSE":
            a.queues.add(queue)
            a.paused[queue] = a.reason = self._reason(line.text(0))
        elif event == "UNPAUSE":
            if a.paused_all is not None:  # unpaused here only: still paused everywhere else
                a.paused.update(dict.fromkeys(a.queues - {queue}, a.paused_all))
                a.paused_all = None
            a.queues.add(queue)
            a.paused.pop(queue, None)
        elif event == "PAUSEALL":
            a.paused_all = a.reason = self._reason(line.text(0))
            a.implicit = a.implicit or not a.present
        elif event == "UNPAUSEALL":
            a.paused_all = None
            a.paused.clear()
            a.implicit = a.implicit or not a.present
        elif event in ("AGENTLOGIN", "AGENTCALLBACKLOGIN"):
            a.login = True
        else:  # AGENTLOGOFF, AGENTCALLBACKLOGOFF
            a.log_off()
        if a.stage is AgentState.WRAP_UP and event != "ADDMEMBER":
            a.stage, a.call = None, None  # the agent acted: wrap-up is over (as in the engine)
        self._show(a, line.at)
        return None

    def _reason(self, text: str) -> str:
        self.reasons[(text, pause_reason(text).value)] += 1
        return text

    # -- calls ----------------------------------------------------------------------------

    def contact(self, event: Event) -> None:
        """Follow a contact event the converter has just written."""
        if isinstance(event, ContactOffered):
            a = self._agent(event.agent)
            if not a.present:  # a static member: logged in (ready) as it is first rung
                a.implicit = True
                self._show(a, event.at)
            if a.stage is AgentState.WRAP_UP:  # the next offer ends wrap-up, as "ready" would
                a.stage, a.call = None, None
                self._show(a, event.at)
            if a.stage is None:
                a.stage, a.call = AgentState.RINGING, event.call
                self._ringing.setdefault(event.call, set()).add(a.id)
                self._show(a, event.at)
            elif a.call != event.call:
                self.overlaps += 1
        elif isinstance(event, (ContactRingNoAnswer, ContactOfferFailed)):
            self._ring_over(event.call, event.agent, event.at)
        elif isinstance(event, ContactAnswered):
            a = self._agent(event.agent)
            if a.stage is AgentState.RINGING and a.call == event.call:
                self._ring_over(event.call, a.id, event.at, show=False)
                a.stage, a.call = AgentState.TALKING, event.call
                self._show(a, event.at)
            else:
                self.overlaps += 1
        elif isinstance(event, (ContactAbandoned, ContactLeft)):
            for agent in sorted(self._ringing.get(event.call, ())):
                self._ring_over(event.call, agent, event.at)
        elif isinstance(event, (ContactCompleted, ContactTransferred)):
            talker = self.agents.get(event.agent)
            if talker is None or talker.stage is not AgentState.TALKING:
                return
            if talker.call != event.call:
                return
            wrap = self.settings.wrap_up_of(event.queue)
            if wrap > 0:
                talker.stage, talker.wrap_until = AgentState.WRAP_UP, event.at + wrap
                heapq.heappush(self._wraps, (talker.wrap_until, talker.id, event.call))
            else:
                talker.stage, talker.call = None, None
            self._show(talker, event.at)

    def _ring_over(self, call: CallId, agent: AgentId, at: float, *, show: bool = True) -> None:
        ringing = self._ringing.get(call)
        if ringing is None or agent not in ringing:
            return
        ringing.discard(agent)
        if not ringing:
            del self._ringing[call]
        a = self.agents[agent]
        if show and a.stage is AgentState.RINGING and a.call == call:
            a.stage, a.call = None, None
            self._show(a, at)

    def _show(self, a: _Agent, at: float) -> None:
        now = a.state()
        if now == a.shown:
            return
        state, reason, call = now
        self.out.append(AgentStateChanged(at, a.id, state, a.shown[0], reason, call))
        a.shown = now
