"""One call's walk through a flow, and what compiled steps ask of the interpreter."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from hotline.core.events import Event
from hotline.ivr.context import CallContext, IvrExit
from hotline.ivr.ports import SlowLookup


class Session:
    """One call walking one flow; `token` tells a current wait from a stale one."""

    __slots__ = ("alive", "attempts", "ctx", "flow", "node", "on_exit", "steps", "token")

    def __init__(
        self,
        ctx: CallContext,
        flow: str,
        steps: Mapping[str, Step],
        on_exit: Callable[[CallContext, IvrExit], None],
    ) -> None:
        self.ctx = ctx
        self.flow = flow
        self.steps = steps
        self.on_exit = on_exit
        self.node = ""
        self.attempts = 0
        self.token = 0
        self.alive = True


Then = Callable[[Session], str | None]
"""A continuation after a prompt: the next node, or None when it waits or ended."""
ThenDigits = Callable[[Session, str], str | None]
"""A continuation after digits were collected (empty: none typed)."""
ThenLookup = Callable[[Session, Mapping[str, str] | None, str | None], str | None]
"""A continuation after a slow lookup: its variables (None: nothing found), and why it
could not answer (``timeout``, ``error``; None when it did)."""


class Driver(Protocol):
    """What steps ask of the interpreter."""

    def now(self) -> float: ...

    def publish(self, event: Event) -> None: ...

    def play(self, session: Session, prompt: str, then: Then) -> None: ...

    def collect(
        self,
        session: Session,
        prompt: str,
        *,
        max_digits: int,
        timeout: float,
        terminator: str | None,
        then: ThenDigits,
    ) -> None: ...

    def lookup(
        self, session: Session, function: SlowLookup, args: Mapping[str, str], then: ThenLookup
    ) -> None: ...

    def finish(self, session: Session, exit: IvrExit) -> None: ...


class Scope:
    """Template names: the call's variables, then its own fields; unknown names are empty."""

    __slots__ = ("ctx",)

    def __init__(self, ctx: CallContext) -> None:
        self.ctx = ctx

    def __getitem__(self, key: str) -> str:
        ctx = self.ctx
        value = ctx.variables.get(key)
        if value is not None:
            return value
        if key == "caller":
            return ctx.caller
        if key == "dialed":
            return ctx.dialed
        if key == "tier":
            return str(ctx.tier)
        if key == "account":
            return ctx.account or ""
        return ""


def render(template: str, ctx: CallContext) -> str:
    """A text with its ``{name}`` fields filled from the call (see `Scope`)."""
    return template.format_map(Scope(ctx)) if "{" in template else template


class Step:
    """A compiled node."""

    __slots__ = ("driver", "name")

    def __init__(self, driver: Driver, name: str) -> None:
        self.driver = driver
        self.name = name

    def enter(self, s: Session) -> str | None:
        raise NotImplementedError
