"""What a previous run left open in the log, closed as lost when the hotline starts again.

A run killed by SIGKILL, a crash or a power cut writes no `call.ended` for its
calls in progress and leaves its seats logged in, some in a call. The log is the
truth of every figure, so a start on real calls (`LiveHotline.on_sip`) first reads
what it left (`read_leftovers`: the calls whose row has no ``ended_at``, their
events, and each seat's last state) and closes it through the engine's own restart
path (`close_leftovers`): the ACD takes the contacts and the seats' states from the
log (`ACD.restore`) and withdraws every contact as lost (waiting or ringing:
`contact.left`; in conversation: `contact.completed`, the agent to wrap-up), the
call controller adopts the calls and ends each as lost (`CallController.reconcile`:
one `call.ended` with ``by="lost"``), and every seat still logged in is logged out
(``by="restart"``): its phone's registration died with the old Kamailio, and the
seat comes back when the phone registers again. All of it is stamped with the time
of the log's newest event (the old run was alive then; nothing says how much longer),
so the downtime counts as nobody's talk, wait or ready time.

Callback tasks live in the engine's memory: every start (the demo's too) takes back
the tasks the log leaves pending (`read_callbacks`, `CallbackList.restore`), so they
can still be closed, and a caller who gets through closes them as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from hotline.calls.recovery import OpenCall, open_call
from hotline.core.events import Event
from hotline.core.ids import AgentId
from hotline.live.engine import Engine
from hotline.routing.callback import CallbackTask, pending_in_log
from hotline.routing.events import AgentStateChanged, CallbackClosed, CallbackCreated
from hotline.routing.model import AgentState
from hotline.routing.replay import AcdPicture, replay
from hotline.store.db import Calls, Database, EventLog
from hotline.store.db.eventlog import CHUNK

RESTART = "restart"
"""`AgentStateChanged.by` of the log-outs a start makes for the seats a killed run left."""

_CALL_EVENTS = 100_000
"""At most this many events are read per open call (a call has a few dozen)."""


@dataclass(frozen=True)
class Leftovers:
    """The open calls of the log, the ACD's picture of them and of the seats, and the
    engine time of the log's newest event (None: the log is empty)."""

    calls: tuple[OpenCall, ...]
    picture: AcdPicture
    last_at: float | None

    @property
    def seats_logged_in(self) -> list[AgentId]:
        return [a for a, s in self.picture.agents.items() if s.state is not AgentState.LOGGED_OUT]

    def __bool__(self) -> bool:
        return bool(self.calls or self.seats_logged_in)


def read_leftovers(db: Database, seats: Iterable[str]) -> Leftovers:
    """(Off the engine's thread: database reads.) What the log says is still open: the
    calls without an end and the last state of each of `seats`."""
    log = EventLog(db)
    calls: list[OpenCall] = []
    contact_events: list[Event] = []
    for call in Calls(db).open():
        events = [stored.event for stored in log.read(call=call, limit=_CALL_EVENTS)]
        found = open_call(events)
        if found is not None:
            calls.append(found)
            contact_events += [e for e in events if not isinstance(e, AgentStateChanged)]
    states: list[Event] = []
    for seat in seats:
        last = log.latest(AgentStateChanged.kind, agent=seat)
        if last is not None:
            states.append(last.event)
    picture = replay(contact_events, strict=False)
    picture.agents = replay(states, strict=False).agents  # each seat's newest state alone
    newest = log.read(since_id=log.last_id() - 1, limit=1)
    return Leftovers(tuple(calls), picture, newest[0].event.at if newest else None)


def close_leftovers(engine: Engine, leftovers: Leftovers) -> int:
    """(The engine's thread, before the switch runs, the clock at `leftovers.last_at`.)
    Close what a previous run left open, with events; returns the calls ended."""
    acd, controller = engine.acd, engine.controller
    # the contacts first: the ACD withdraws them as lost (no live call holds them), so no
    # seat it sets ready is offered a lost call; the controller then ends the calls
    acd.restore(leftovers.picture, ())
    for call in leftovers.calls:
        controller.adopt(call)
    closed = controller.reconcile()
    for agent in acd.agents.values():
        if agent.state is not AgentState.LOGGED_OUT:
            acd.logout(agent.id, by=RESTART)
    return closed


def read_callbacks(db: Database) -> tuple[list[CallbackTask], int]:
    """(Off the engine's thread: database reads.) The callback tasks the log leaves
    pending, and the highest task number it used (`routing.callback.pending_in_log`)."""
    log = EventLog(db)
    kinds = (CallbackCreated.kind, CallbackClosed.kind)

    def events() -> Iterator[Event]:
        last = 0
        while True:
            chunk = log.read(since_id=last, kinds=kinds, limit=CHUNK)
            for stored in chunk:
                yield stored.event
            if len(chunk) < CHUNK:
                return
            last = chunk[-1].id

    return pending_in_log(events())
