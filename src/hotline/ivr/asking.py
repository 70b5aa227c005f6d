"""Steps that ask the caller for keys, with retries: menu, collect, verify, survey.

Each allows `retries` attempts; a wrong or missing input plays the node's
invalid-input prompt (if any) and asks again, and the last failed attempt
publishes ``ivr.input_failed`` and takes the node's failure path.
"""

from __future__ import annotations

from hotline.ivr.context import IvrExit
from hotline.ivr.events import IdentityChecked, InputFailed, MenuChosen, SurveyScored
from hotline.ivr.flow import CollectNode, MenuNode, SurveyNode, VerifyNode
from hotline.ivr.ports import IdentityVerifier
from hotline.ivr.session import Driver, Session, Step


class AskStep(Step):
    """A node that asks for keys and allows `retries` attempts, with an invalid-input prompt.

    Subclasses set what to ask (`prompt`, `timeout`, and `max_digits` / `terminator`
    when more than one key is wanted) and handle the answer in `_got`.
    """

    __slots__ = ("invalid_prompt", "max_digits", "prompt", "retries", "terminator", "timeout")

    retries: int
    invalid_prompt: str | None
    prompt: str
    timeout: float
    max_digits: int
    terminator: str | None

    def enter(self, s: Session) -> str | None:
        self._ask(s)
        return None

    def _ask(self, s: Session) -> None:
        s.attempts += 1
        self.driver.collect(
            s,
            self.prompt,
            max_digits=self.max_digits,
            timeout=self.timeout,
            terminator=self.terminator,
            then=self._got,
        )

    def _got(self, s: Session, digits: str) -> str | None:
        raise NotImplementedError

    def _failed(self, s: Session) -> str | None:
        raise NotImplementedError

    def _again(self, s: Session) -> str | None:
        self._ask(s)
        return None

    def _retry(self, s: Session) -> str | None:
        """After a wrong or missing input: ask again, or take the failure path."""
        if s.attempts >= self.retries:
            self.driver.publish(InputFailed(self.driver.now(), s.ctx.call, self.name, s.attempts))
            return self._failed(s)
        if self.invalid_prompt is None:
            self._ask(s)
        else:
            self.driver.play(s, self.invalid_prompt, self._again)
        return None


class MenuStep(AskStep):
    __slots__ = ("choices", "on_fail")

    def __init__(self, driver: Driver, name: str, node: MenuNode) -> None:
        super().__init__(driver, name)
        self.prompt = node.prompt
        self.choices = dict(node.choices)
        self.timeout = node.timeout
        self.max_digits, self.terminator = 1, None
        self.retries = node.retries
        self.invalid_prompt = node.invalid_prompt
        self.on_fail = node.on_fail

    def _got(self, s: Session, digits: str) -> str | None:
        target = self.choices.get(digits)
        if target is None:
            return self._retry(s)
        self.driver.publish(MenuChosen(self.driver.now(), s.ctx.call, self.name, digits))
        return target

    def _failed(self, s: Session) -> str | None:
        return self.on_fail


class CollectStep(AskStep):
    __slots__ = ("min_digits", "next", "on_fail", "var")

    def __init__(self, driver: Driver, name: str, node: CollectNode) -> None:
        super().__init__(driver, name)
        self.prompt = node.prompt
        self.var = node.var
        self.min_digits = node.min_digits
        self.max_digits = node.max_digits
        self.terminator = node.terminator
        self.timeout = node.timeout
        self.retries = node.retries
        self.invalid_prompt = node.invalid_prompt
        self.next = node.next
        self.on_fail = node.on_fail

    def _got(self, s: Session, digits: str) -> str | None:
        if not self.min_digits <= len(digits) <= self.max_digits:
            return self._retry(s)
        s.ctx.variables[self.var] = digits
        return self.next

    def _failed(self, s: Session) -> str | None:
        return self.on_fail


class VerifyStep(AskStep):
    """Bound phone first (when the method allows it), then the password with retries."""

    __slots__ = ("account_var", "ask_password", "fail", "ok", "try_phone", "verifier")

    def __init__(
        self, driver: Driver, name: str, node: VerifyNode, verifier: IdentityVerifier
    ) -> None:
        super().__init__(driver, name)
        self.verifier = verifier
        self.try_phone = node.method != "password"
        self.ask_password = node.method != "bound_phone"
        self.account_var = node.account_var
        self.prompt = node.password_prompt or ""
        self.max_digits = node.max_digits
        self.terminator = node.terminator
        self.timeout = node.timeout
        self.retries = node.retries
        self.invalid_prompt = node.invalid_prompt
        self.ok = node.ok
        self.fail = node.fail

    def _account(self, s: Session) -> str | None:
        return s.ctx.variables.get(self.account_var) or s.ctx.account

    def enter(self, s: Session) -> str | None:
        account = self._account(s)
        if account is None:
            return self._checked(s, "bound_phone" if self.try_phone else "password", False)
        if self.try_phone and self.verifier.is_bound_phone(account, s.ctx.caller):
            return self._checked(s, "bound_phone", True)
        if not self.ask_password:
            return self._checked(s, "bound_phone", False)
        self._ask(s)
        return None

    def _got(self, s: Session, digits: str) -> str | None:
        account = self._account(s)
        if digits and account is not None and self.verifier.check_password(account, digits):
            return self._checked(s, "password", True)
        return self._retry(s)

    def _failed(self, s: Session) -> str | None:
        return self._checked(s, "password", False)

    def _checked(self, s: Session, method: str, ok: bool) -> str:
        ctx = s.ctx
        if ok:
            account = self._account(s)
            assert account is not None  # only a known account can be verified
            ctx.verified = True
            ctx.account = account
            ctx.variables[self.account_var] = account
        self.driver.publish(IdentityChecked(self.driver.now(), ctx.call, method, ok))
        return self.ok if ok else self.fail


class SurveyStep(AskStep):
    __slots__ = ("exit", "thanks_prompt")

    def __init__(self, driver: Driver, name: str, node: SurveyNode) -> None:
        super().__init__(driver, name)
        self.prompt = node.prompt
        self.timeout = node.timeout
        self.max_digits, self.terminator = 1, None
        self.retries = node.retries
        self.invalid_prompt = node.invalid_prompt
        self.thanks_prompt = node.thanks_prompt
        self.exit = IvrExit(kind="hangup", node=name, outcome="self_served")

    def _got(self, s: Session, digits: str) -> str | None:
        if len(digits) != 1 or digits not in "12345":
            return self._retry(s)
        ctx = s.ctx
        self.driver.publish(SurveyScored(self.driver.now(), ctx.call, ctx.agent, int(digits)))
        if self.thanks_prompt is None:
            return self._end(s)
        self.driver.play(s, self.thanks_prompt, self._end)
        return None

    def _failed(self, s: Session) -> str | None:
        return self._end(s)

    def _end(self, s: Session) -> str | None:
        self.driver.finish(s, self.exit)
        return None
