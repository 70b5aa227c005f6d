"""The IVR flow file format: a prompt catalogue and a graph of typed nodes (pydantic).

A flow is configuration, not code ("无需专业人员任意制定系统流程"): a YAML file
names its first node, the prompts it plays and its nodes by name. These models
check the shape of one file (types, unknown keys, DTMF keys, positive timeouts);
`hotline.ivr.loader` checks what spans the file (targets, prompts, queues) and
reports every problem with its line. The interpreter compiles a validated
`Flow` once into its own structures: no pydantic object is built per call.

Node types: ``play``, ``menu``, ``collect``, ``verify``, ``lookup``, ``branch``,
``set``, ``queue``, ``callback``, ``hangup``, ``survey``. Texts used as values
(``set`` variables, ``lookup`` arguments) may name variables as ``{name}``;
``{caller}``, ``{dialed}``, ``{tier}`` and ``{account}`` name the call's own
fields when no variable of that name is set.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    model_validator,
)

from hotline.core.config import ConfigProblem
from hotline.core.customer import ListMark, Tier

CHARS_PER_SECOND = 4.0
"""Speaking rate used to estimate a prompt's duration when the file gives none."""

DTMF_KEYS = frozenset("0123456789*#")
_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


def _scalar_text(value: Any) -> Any:
    """Numbers written unquoted (``value: 0``) are taken as their text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _dtmf_key(value: str) -> str:
    if len(value) != 1 or value not in DTMF_KEYS:
        raise ValueError(f"{value!r} is not one key: use 0-9, * or #")
    return value


def _time_of_day(value: str) -> str:
    if not _TIME.match(value):
        raise ValueError(f"{value!r} is not a time of day HH:MM (00:00 to 23:59)")
    return value


def template_fields(text: str) -> list[str]:
    """The ``{name}`` fields of a text; raises ValueError for anything fancier."""
    names: list[str] = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ValueError(f"bad braces in {text!r}: {exc}") from None
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ValueError(f"{{{name}}} in {text!r}: write variables as {{name}}")
        names.append(name)
    return names


def _template(value: str) -> str:
    template_fields(value)
    return value


Text = Annotated[str, BeforeValidator(_scalar_text)]
Template = Annotated[str, BeforeValidator(_scalar_text), AfterValidator(_template)]
DtmfKey = Annotated[str, AfterValidator(_dtmf_key)]
TimeOfDay = Annotated[str, AfterValidator(_time_of_day)]
NodeName = Annotated[str, Field(min_length=1)]
Seconds = Annotated[float, Field(gt=0)]
Retries = Annotated[int, Field(ge=1)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Prompt(_Model):
    """A recorded or synthesized prompt: its text and how long it plays (seconds).

    Without `duration`, it is estimated from the text at `CHARS_PER_SECOND`.
    """

    text: Template
    duration: Seconds

    @model_validator(mode="before")
    @classmethod
    def _estimate_duration(cls, data: Any) -> Any:
        if isinstance(data, dict) and "duration" not in data and isinstance(data.get("text"), str):
            return {**data, "duration": max(1.0, round(len(data["text"]) / CHARS_PER_SECOND, 1))}
        return data


# --- branch conditions -------------------------------------------------------------


class TimeWindow(_Model):
    """Local time of day ``from`` (inclusive) to ``to`` (exclusive); may wrap midnight.

    `weekdays` (ISO, 1 = Monday) restricts the days; a window that wraps midnight
    belongs to the day it starts (Friday 22:00-08:00 holds on Saturday 02:00).
    """

    start: TimeOfDay = Field(alias="from")
    end: TimeOfDay = Field(alias="to")
    weekdays: list[Annotated[int, Field(ge=1, le=7)]] | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> TimeWindow:
        if self.start == self.end:
            raise ValueError(f"the window from {self.start} to {self.end} is empty")
        return self


VarOp = Literal["eq", "ne", "gt", "ge", "lt", "le", "in", "set"]


def _value_or_values(value: Any) -> Any:
    if isinstance(value, list):
        return [_scalar_text(item) for item in value]
    if isinstance(value, dict):
        raise ValueError("expected one value or a list of values")
    return _scalar_text(value)


class VarTest(_Model):
    """A test on a flow variable; a variable not set fails every test.

    ``eq ne gt ge lt le`` compare numerically when both sides read as numbers,
    as text otherwise; ``in`` takes a list of values; ``set`` takes no value.
    """

    name: str
    op: VarOp
    value: Annotated[str | list[str] | None, BeforeValidator(_value_or_values)] = None

    @model_validator(mode="after")
    def _value_fits_op(self) -> VarTest:
        if self.op == "set" and self.value is not None:
            raise ValueError("op 'set' takes no value")
        if self.op == "in" and not isinstance(self.value, list):
            raise ValueError("op 'in' needs a list of values")
        if self.op not in ("set", "in") and not isinstance(self.value, str):
            raise ValueError(f"op {self.op!r} needs one value")
        return self


class Condition(_Model):
    """What a branch case tests; every key given must hold (and)."""

    tier: list[Tier] | None = None
    list_mark: list[ListMark] | None = None
    holiday: bool | None = None
    time: TimeWindow | None = None
    var: VarTest | None = None
    verified: bool | None = None
    account_known: bool | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Condition:
        if all(getattr(self, name) is None for name in type(self).model_fields):
            raise ValueError("a condition needs at least one test")
        return self


class Case(_Model):
    when: Condition
    goto: NodeName


# --- nodes -------------------------------------------------------------------------


class PlayNode(_Model):
    """Play a prompt, then go on."""

    type: Literal["play"]
    prompt: str
    next: NodeName


class MenuNode(_Model):
    """Play a prompt and wait for one key; a wrong or no key costs one of `retries` attempts."""

    type: Literal["menu"]
    prompt: str
    choices: dict[DtmfKey, NodeName] = Field(min_length=1)
    timeout: Seconds = 5.0
    retries: Retries = 3
    invalid_prompt: str | None = None
    on_fail: NodeName


class CollectNode(_Model):
    """Gather `min_digits` to `max_digits` digits into variable `var`."""

    type: Literal["collect"]
    prompt: str
    var: str
    max_digits: Annotated[int, Field(ge=1)]
    min_digits: Annotated[int, Field(ge=1)] = 1
    terminator: DtmfKey | None = "#"
    timeout: Seconds = 8.0
    retries: Retries = 3
    invalid_prompt: str | None = None
    next: NodeName
    on_fail: NodeName

    @model_validator(mode="after")
    def _digit_range(self) -> CollectNode:
        if self.min_digits > self.max_digits:
            raise ValueError(f"min_digits {self.min_digits} > max_digits {self.max_digits}")
        return self


VerifyMethod = Literal["bound_phone", "password", "password_or_bound_phone"]


class VerifyNode(_Model):
    """Verify the caller's identity for the account in variable `account_var`.

    Falls back to the call's known account. ``password_or_bound_phone`` asks no
    password when the calling number is bound to the account.
    """

    type: Literal["verify"]
    method: VerifyMethod
    account_var: str = "account"
    password_prompt: str | None = None
    max_digits: Annotated[int, Field(ge=1)] = 6
    terminator: DtmfKey | None = "#"
    timeout: Seconds = 8.0
    retries: Retries = 3
    invalid_prompt: str | None = None
    ok: NodeName
    fail: NodeName

    @model_validator(mode="after")
    def _password_prompt(self) -> VerifyNode:
        if self.method != "bound_phone" and self.password_prompt is None:
            raise ValueError(f"method {self.method!r} needs a password_prompt")
        return self


class LookupNode(_Model):
    """Call a named lookup; its result is merged into the variables. `failed` is where a
    lookup that could not answer (its system too slow or failing) goes; without it, the
    `not_found` branch."""

    type: Literal["lookup"]
    lookup: str
    args: dict[str, Template] = Field(default_factory=dict)
    ok: NodeName
    not_found: NodeName
    failed: NodeName | None = None


class BranchNode(_Model):
    """Go to the first case whose condition holds, else to `default`."""

    type: Literal["branch"]
    cases: list[Case] = Field(min_length=1)
    default: NodeName


class SetNode(_Model):
    """Set variables (values may name other variables), then go on."""

    type: Literal["set"]
    vars: dict[str, Template] = Field(min_length=1)
    next: NodeName


class QueueNode(_Model):
    """End the flow: queue the call for agents (after an optional prompt)."""

    type: Literal["queue"]
    queue: str
    prompt: str | None = None


class CallbackNode(_Model):
    """Offer a callback: `accept_key` goes to `accepted`, anything else or nothing to `declined`."""

    type: Literal["callback"]
    prompt: str
    accept_key: DtmfKey = "1"
    timeout: Seconds = 5.0
    accepted: NodeName
    declined: NodeName


class HangupNode(_Model):
    """End the flow after an optional prompt; ``outcome: callback`` asks for a callback.

    `queue` (callback only) names the queue whose agents should call back.
    """

    type: Literal["hangup"]
    prompt: str | None = None
    outcome: Literal["self_served", "callback", "failed"] = "self_served"
    queue: str | None = None

    @model_validator(mode="after")
    def _queue_for_callback(self) -> HangupNode:
        if self.queue is not None and self.outcome != "callback":
            raise ValueError("queue is only for outcome 'callback'")
        return self


class SurveyNode(_Model):
    """Ask for a 1-5 score for the agent who served the call; ends the flow."""

    type: Literal["survey"]
    prompt: str
    timeout: Seconds = 8.0
    retries: Retries = 1
    invalid_prompt: str | None = None
    thanks_prompt: str | None = None


Node = Annotated[
    PlayNode
    | MenuNode
    | CollectNode
    | VerifyNode
    | LookupNode
    | BranchNode
    | SetNode
    | QueueNode
    | CallbackNode
    | HangupNode
    | SurveyNode,
    Field(discriminator="type"),
]


class Flow(_Model):
    """One IVR flow: its name, first node, prompt catalogue and nodes by name."""

    flow: str = Field(min_length=1)
    description: str | None = None
    start: NodeName
    prompts: dict[str, Prompt]
    nodes: dict[str, Node] = Field(min_length=1)

    _warnings: tuple[ConfigProblem, ...] = PrivateAttr(default=())

    @property
    def name(self) -> str:
        return self.flow

    @property
    def warnings(self) -> tuple[ConfigProblem, ...]:
        """What the loader found odd but not wrong (unreachable nodes)."""
        return self._warnings

    def render(self, prompt: str, variables: Mapping[str, str]) -> str:
        """A prompt's text with its ``{variables}`` filled in (a missing one stays as is).

        For display: a real switch plays the prompt's recording, interpolating itself.
        """
        return self.prompts[prompt].text.format_map(_KeepMissing(variables))


class _KeepMissing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
