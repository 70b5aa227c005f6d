"""The IVR interpreter: walks calls through their flows by driving the `Switch` port.

Entirely callback-driven: no thread, no asyncio, no wall time. Each switch
command carries a continuation; time of day comes from the engine's clock. A
busy simulated day runs about a million calls through here, so flows are
compiled once into slotted steps and a call costs a few small objects.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping

from hotline.core.clock import Clock, TimerHandle
from hotline.core.events import Event, EventBus
from hotline.core.ids import CallId
from hotline.ivr.conditions import ConditionCompiler
from hotline.ivr.context import CallContext, IvrExit
from hotline.ivr.errors import (
    CallInIvrError,
    InvalidFlowError,
    MissingLookupError,
    UnknownFlowError,
)
from hotline.ivr.events import IvrAborted, IvrEntered, IvrExited, IvrStopped
from hotline.ivr.flow import Flow, LookupNode
from hotline.ivr.loader import node_targets
from hotline.ivr.ports import HolidayCalendar, IdentityVerifier, Lookup, SlowLookup
from hotline.ivr.session import Session, Step, Then, ThenDigits, ThenLookup
from hotline.ivr.steps import build_step
from hotline.telephony.port import Switch

MAX_NODES_WITHOUT_INPUT = 200
"""A flow passing more nodes than this without waiting for the caller is looping."""

OnExit = Callable[[CallContext, IvrExit], None]


class _CompiledFlow:
    __slots__ = ("name", "start", "steps")

    def __init__(self, name: str, start: str, steps: dict[str, Step]) -> None:
        self.name = name
        self.start = start
        self.steps = steps


class _Engine:
    """The sessions of calls in flows, and the driver their steps run on."""

    __slots__ = ("bus", "clock", "sessions", "switch")

    def __init__(self, clock: Clock, bus: EventBus, switch: Switch) -> None:
        self.clock = clock
        self.bus = bus
        self.switch = switch
        self.sessions: dict[CallId, Session] = {}

    def now(self) -> float:
        return self.clock.now()

    def publish(self, event: Event) -> None:
        self.bus.publish(event)

    def play(self, session: Session, prompt: str, then: Then) -> None:
        if not session.alive:
            return
        session.token += 1
        token = session.token

        def played() -> None:
            if session.alive and session.token == token:
                session.token += 1  # a second call of this callback does nothing
                self.walk(session, then(session))

        self.switch.play(session.ctx.call, prompt, played)

    def collect(
        self,
        session: Session,
        prompt: str,
        *,
        max_digits: int,
        timeout: float,
        terminator: str | None,
        then: ThenDigits,
    ) -> None:
        if not session.alive:
            return
        session.token += 1
        token = session.token

        def typed(digits: str) -> None:
            if session.alive and session.token == token:
                session.token += 1
                self.walk(session, then(session, digits))

        self.switch.collect(
            session.ctx.call,
            prompt,
            max_digits=max_digits,
            timeout=timeout,
            terminator=terminator,
            on_digits=typed,
        )

    def lookup(
        self, session: Session, function: SlowLookup, args: Mapping[str, str], then: ThenLookup
    ) -> None:
        """Start a slow lookup and wait for it at most `function.timeout` seconds of engine
        time (then it failed: ``timeout``); a late or second answer is ignored."""
        if not session.alive:
            return
        session.token += 1
        token = session.token
        clock = self.clock
        timer: list[TimerHandle | None] = [None]

        def settle(result: Mapping[str, str] | None, failure: str | None) -> None:
            if session.alive and session.token == token:
                session.token += 1
                clock.cancel(timer[0])
                self.walk(session, then(session, result, failure))

        timer[0] = clock.call_later(function.timeout, settle, None, "timeout")
        function.start(
            session.ctx,
            args,
            lambda result: settle(result, None),
            lambda reason: settle(None, reason),
        )

    def finish(self, session: Session, exit: IvrExit) -> None:
        if not session.alive:
            return
        session.alive = False
        ctx = session.ctx
        del self.sessions[ctx.call]
        self.bus.publish(
            IvrExited(
                self.clock.now(),
                ctx.call,
                session.flow,
                exit.node,
                exit.kind,
                exit.outcome,
                exit.queue,
            )
        )
        session.on_exit(ctx, exit)

    def walk(self, session: Session, name: str | None) -> None:
        """Enter nodes until one waits for the caller or ends the flow."""
        steps = session.steps
        passed = 0
        while name is not None and session.alive:
            passed += 1
            if passed > MAX_NODES_WITHOUT_INPUT:
                self._abort(session, name)
                return
            session.node = name
            session.attempts = 0
            name = steps[name].enter(session)

    def _abort(self, session: Session, node: str) -> None:
        reason = (
            f"passed {MAX_NODES_WITHOUT_INPUT} nodes without waiting for the caller "
            "(a loop in the flow?)"
        )
        call = session.ctx.call
        self.bus.publish(IvrAborted(self.clock.now(), call, session.flow, node, reason))
        self.finish(session, IvrExit(kind="hangup", node=node, outcome="failed"))


class IvrRunner:
    """Runs IVR flows for calls, one flow at a time per call.

    Contract:
    - `start` walks the call from the flow's first node; the call must already
      be answered. The flow ends in exactly one `on_exit(ctx, exit)` call,
      unless `stop` comes first; `on_exit` may `start` another flow for the
      same call (the post-call survey).
    - The interpreter never hangs up, queues or bridges: the receiver of
      `on_exit` does what the exit says.
    - After `stop` no switch command is sent for the call and no callback of
      an earlier command has any effect.
    - Every step is an event on `bus` (``ivr.*``, ``survey.scored``).
    - A flow passing `MAX_NODES_WITHOUT_INPUT` nodes without waiting for the
      caller is aborted (``ivr.aborted``) and exits as a failed hangup.

    A plain `Lookup` runs synchronously; a `SlowLookup` is waited for (at most its
    `timeout`, then the node's `failed` branch: ``ivr.lookup_failed``). An exception
    from a lookup, the verifier or `on_exit` propagates to whoever ran the callback
    (a simulation stops).
    """

    __slots__ = ("_engine", "_flows")

    def __init__(
        self,
        *,
        clock: Clock,
        bus: EventBus,
        switch: Switch,
        flows: Mapping[str, Flow],
        lookups: Mapping[str, Lookup | SlowLookup],
        verifier: IdentityVerifier,
        calendar: HolidayCalendar,
        timezone: datetime.tzinfo,
    ) -> None:
        """Compile every flow; raises `MissingLookupError` or `InvalidFlowError`.

        `flows` are keyed by the name `start` is given; `timezone` is the
        hotline's, for time-of-day and holiday branches.
        """
        self._engine = engine = _Engine(clock, bus, switch)
        conditions = ConditionCompiler(clock=clock, timezone=timezone, calendar=calendar)
        self._flows: dict[str, _CompiledFlow] = {}
        for name, flow in flows.items():
            _check_flow(name, flow, lookups)
            steps = {
                node_name: build_step(
                    engine,
                    node_name,
                    node,
                    lookups=lookups,
                    verifier=verifier,
                    conditions=conditions,
                )
                for node_name, node in flow.nodes.items()
            }
            self._flows[name] = _CompiledFlow(name, flow.start, steps)

    def start(self, ctx: CallContext, flow: str, on_exit: OnExit) -> None:
        """Run `flow` for the call of `ctx`.

        Raises `UnknownFlowError` for a flow not given at construction and
        `CallInIvrError` when the call is already in a flow.
        """
        compiled = self._flows.get(flow)
        if compiled is None:
            known = ", ".join(sorted(self._flows))
            raise UnknownFlowError(f"no flow {flow!r} (known: {known})", flow=flow)
        engine = self._engine
        call = ctx.call
        running = engine.sessions.get(call)
        if running is not None:
            raise CallInIvrError(f"call {call} is already in flow {running.flow!r}", call=call)
        session = Session(ctx, flow, compiled.steps, on_exit)
        engine.sessions[call] = session
        engine.bus.publish(IvrEntered(engine.clock.now(), call, flow))
        engine.walk(session, compiled.start)

    def stop(self, call: CallId) -> None:
        """End the call's flow from outside (hang-up, call taken away); a no-op if none runs.

        Publishes ``ivr.stopped``; no switch command follows and `on_exit` is not called.
        """
        engine = self._engine
        session = engine.sessions.pop(call, None)
        if session is None:
            return
        session.alive = False
        engine.bus.publish(IvrStopped(engine.clock.now(), call, session.flow, session.node))

    def is_running(self, call: CallId) -> bool:
        """Whether the call is in a flow now."""
        return call in self._engine.sessions


def _check_flow(name: str, flow: Flow, lookups: Mapping[str, Lookup | SlowLookup]) -> None:
    """Refuse a flow naming a lookup not given, or nodes it lacks (built without the loader)."""
    missing = [] if flow.start in flow.nodes else [f"start -> {flow.start!r}"]
    for node_name, node in flow.nodes.items():
        if isinstance(node, LookupNode) and node.lookup not in lookups:
            raise MissingLookupError(
                f"flow {name!r} node {node_name!r} uses lookup {node.lookup!r}, which was "
                f"not given (given: {', '.join(sorted(lookups)) or 'none'})",
                flow=name,
                node=node_name,
                lookup=node.lookup,
            )
        for _, target in node_targets(node):
            if target not in flow.nodes:
                missing.append(f"{node_name} -> {target!r}")
    if missing:
        raise InvalidFlowError(
            f"flow {name!r} names nodes it lacks: {', '.join(missing)}", flow=name, missing=missing
        )
