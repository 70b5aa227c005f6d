"""What each node type does, compiled once per flow into a plain slotted object.

A step's `enter` either returns the name of the next node (the interpreter
goes on at once) or returns None after asking the driver to wait for the
caller (a prompt, digits) or to end the flow. Waits resume in a continuation
that answers the same way. Steps hold no per-call state: that is the
`Session` (attempts at the current node, the context). This module holds the
steps that do not ask for keys, and builds every step; `asking` the others.
"""

from __future__ import annotations

from collections.abc import Mapping

from hotline.ivr.asking import CollectStep, MenuStep, SurveyStep, VerifyStep
from hotline.ivr.conditions import ConditionCompiler, Predicate
from hotline.ivr.context import IvrExit
from hotline.ivr.events import CallbackOffered, LookupDone, LookupFailed
from hotline.ivr.flow import (
    BranchNode,
    CallbackNode,
    CollectNode,
    HangupNode,
    LookupNode,
    MenuNode,
    Node,
    PlayNode,
    QueueNode,
    SetNode,
    SurveyNode,
    VerifyNode,
)
from hotline.ivr.ports import IdentityVerifier, Lookup, SlowLookup
from hotline.ivr.session import Driver, Session, Step, render


class PlayStep(Step):
    __slots__ = ("next", "prompt")

    def __init__(self, driver: Driver, name: str, node: PlayNode) -> None:
        super().__init__(driver, name)
        self.prompt = node.prompt
        self.next = node.next

    def enter(self, s: Session) -> str | None:
        self.driver.play(s, self.prompt, self._played)
        return None

    def _played(self, s: Session) -> str | None:
        return self.next


class EndStep(Step):
    """Queue and hangup nodes: an optional prompt, then the exit."""

    __slots__ = ("exit", "prompt")

    def __init__(self, driver: Driver, name: str, node: QueueNode | HangupNode) -> None:
        super().__init__(driver, name)
        self.prompt = node.prompt
        if isinstance(node, QueueNode):
            self.exit = IvrExit(kind="queue", node=name, queue=node.queue, outcome="queued")
        elif node.outcome == "callback":
            self.exit = IvrExit(kind="callback", node=name, queue=node.queue, outcome="callback")
        else:
            self.exit = IvrExit(kind="hangup", node=name, outcome=node.outcome)

    def enter(self, s: Session) -> str | None:
        if self.prompt is None:
            self.driver.finish(s, self.exit)
        else:
            self.driver.play(s, self.prompt, self._end)
        return None

    def _end(self, s: Session) -> str | None:
        self.driver.finish(s, self.exit)
        return None


class LookupStep(Step):
    __slots__ = ("args", "failed", "function", "lookup", "not_found", "ok", "slow")

    def __init__(
        self, driver: Driver, name: str, node: LookupNode, function: Lookup | SlowLookup
    ) -> None:
        super().__init__(driver, name)
        self.lookup = node.lookup
        self.function = function
        self.slow = function if isinstance(function, SlowLookup) else None
        self.args = tuple(node.args.items())
        self.ok = node.ok
        self.not_found = node.not_found
        self.failed = node.failed if node.failed is not None else node.not_found

    def enter(self, s: Session) -> str | None:
        ctx = s.ctx
        args = {key: render(value, ctx) for key, value in self.args}
        if self.slow is not None:
            self.driver.lookup(s, self.slow, args, self._answered)
            return None
        assert not isinstance(self.function, SlowLookup)
        return self._answered(s, self.function(ctx, args), None)

    def _answered(
        self, s: Session, result: Mapping[str, str] | None, failure: str | None
    ) -> str | None:
        ctx = s.ctx
        if failure is not None:
            self.driver.publish(LookupFailed(self.driver.now(), ctx.call, self.lookup, failure))
            return self.failed
        found = result is not None
        self.driver.publish(LookupDone(self.driver.now(), ctx.call, self.lookup, found))
        if result is None:
            return self.not_found
        ctx.variables.update(result)
        return self.ok


class BranchStep(Step):
    __slots__ = ("cases", "default")

    def __init__(
        self, driver: Driver, name: str, node: BranchNode, conditions: ConditionCompiler
    ) -> None:
        super().__init__(driver, name)
        self.cases: tuple[tuple[Predicate, str], ...] = tuple(
            (conditions.compile(case.when), case.goto) for case in node.cases
        )
        self.default = node.default

    def enter(self, s: Session) -> str | None:
        ctx = s.ctx
        for holds, goto in self.cases:
            if holds(ctx):
                return goto
        return self.default


class SetStep(Step):
    __slots__ = ("next", "values")

    def __init__(self, driver: Driver, name: str, node: SetNode) -> None:
        super().__init__(driver, name)
        self.values = tuple(node.vars.items())
        self.next = node.next

    def enter(self, s: Session) -> str | None:
        ctx = s.ctx
        for key, value in self.values:  # in order: a value may name one set just before
            ctx.variables[key] = render(value, ctx)
        return self.next


class CallbackStep(Step):
    __slots__ = ("accept_key", "accepted", "declined", "prompt", "timeout")

    def __init__(self, driver: Driver, name: str, node: CallbackNode) -> None:
        super().__init__(driver, name)
        self.prompt = node.prompt
        self.accept_key = node.accept_key
        self.timeout = node.timeout
        self.accepted = node.accepted
        self.declined = node.declined

    def enter(self, s: Session) -> str | None:
        self.driver.collect(
            s, self.prompt, max_digits=1, timeout=self.timeout, terminator=None, then=self._got
        )
        return None

    def _got(self, s: Session, digits: str) -> str | None:
        accepted = digits == self.accept_key
        self.driver.publish(CallbackOffered(self.driver.now(), s.ctx.call, self.name, accepted))
        return self.accepted if accepted else self.declined


def build_step(
    driver: Driver,
    name: str,
    node: Node,
    *,
    lookups: Mapping[str, Lookup | SlowLookup],
    verifier: IdentityVerifier,
    conditions: ConditionCompiler,
) -> Step:
    """The step for one node; `lookups` must hold the lookup a lookup node names."""
    match node:
        case PlayNode():
            return PlayStep(driver, name, node)
        case MenuNode():
            return MenuStep(driver, name, node)
        case CollectNode():
            return CollectStep(driver, name, node)
        case VerifyNode():
            return VerifyStep(driver, name, node, verifier)
        case LookupNode():
            return LookupStep(driver, name, node, lookups[node.lookup])
        case BranchNode():
            return BranchStep(driver, name, node, conditions)
        case SetNode():
            return SetStep(driver, name, node)
        case QueueNode() | HangupNode():
            return EndStep(driver, name, node)
        case CallbackNode():
            return CallbackStep(driver, name, node)
        case SurveyNode():
            return SurveyStep(driver, name, node)
