"""The API's request and response models (pydantic), separate from the domain's types.

They make the OpenAPI schema at ``/openapi.json`` precise: enums for states,
roles, tiers and reasons, length limits and patterns where the values are
known. Views of the runtime's snapshots (board, desk) allow extra keys, so a
field the runtime adds reaches clients before this file names it.
"""

from __future__ import annotations

import enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from hotline.api.roles import Role
from hotline.core.customer import ListMark, Tier
from hotline.routing.model import AgentState, Strategy

NAME_PATTERN = r"^[A-Za-z0-9_.-]+$"
AgentIdStr = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")]
QueueNameStr = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class _Out(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Open(BaseModel):
    """A view of a runtime snapshot: known fields typed, any others passed through."""

    model_config = ConfigDict(extra="allow")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- errors and plain answers -------------------------------------------------------


class ErrorBody(_Out):
    error: str = Field(description="stable error id, e.g. `no-such-agent`, `invalid-request`")
    message: str
    field: str | None = Field(default=None, description="the parameter at fault (422)")
    problems: list[str] | None = Field(
        default=None, description="configuration problems as `file:line:col: path: message`"
    )
    rule: str | None = Field(
        default=None,
        description="the password rule broken (`weak-password`): `too-short`, `too-long`, "
        "`unprintable`, `common`, `contains-username`, `unchanged`",
    )


class Health(_Out):
    status: Literal["ok"] = "ok"


class Ok(_Out):
    ok: Literal[True] = True


# --- auth and users -------------------------------------------------------------------


class LoginRequest(_In):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class UserOut(_Out):
    username: str
    role: Role
    agent_id: str | None = None
    display_name: str = ""
    department: str | None = Field(
        default=None, description="a 处理部门 user's department (orders.yaml `departments` key)"
    )
    must_change_password: bool = Field(
        default=False,
        description="the password was set by someone else: only `GET /api/auth/me`, "
        "`POST /api/auth/logout` and `POST /api/auth/password` are allowed until it is changed",
    )


class LoginOut(UserOut):
    token: str = Field(description="the session token, also set as the `hotline_session` cookie")


class UserRecord(UserOut):
    active: bool = True


DepartmentStr = Annotated[str, Field(min_length=1, max_length=64)]
"""A key of orders.yaml `departments` (checked against the configuration by the route)."""

# Lengths are the policy's (`hotline.api.passwords`), checked with words naming the rule;
# the schema only bounds the size of the body.
PasswordStr = Annotated[str, Field(min_length=1, max_length=256)]


class UserCreate(_In):
    username: str = Field(min_length=1, max_length=64, pattern=NAME_PATTERN)
    password: PasswordStr = Field(description="to be changed by the user at the first log-in")
    role: Role
    agent_id: AgentIdStr | None = None
    display_name: str = Field(default="", max_length=64)
    department: DepartmentStr | None = Field(
        default=None, description="required for the role `department` (处理部门), else absent"
    )


class PasswordChange(_In):
    current_password: PasswordStr
    new_password: PasswordStr


class PasswordReset(_In):
    password: PasswordStr = Field(description="to be changed by the user at the next log-in")


class RoleChange(_In):
    role: Role
    agent_id: AgentIdStr | None = Field(
        default=None, description="the seat of an agent (default: the username)"
    )
    department: DepartmentStr | None = Field(
        default=None, description="required for the role `department` (处理部门), else absent"
    )


# --- agents and the desk ----------------------------------------------------------------


class StateCommand(enum.StrEnum):
    """States a user may ask for (签入/示闲/示忙/离开/签出)."""

    LOGGED_IN = "logged_in"
    READY = "ready"
    NOT_READY = "not_ready"
    AWAY = "away"
    LOGGED_OUT = "logged_out"


class AgentReason(enum.StrEnum):
    """The not-ready reasons a person may pick; `routing.model.AGENT_REASONS` (a test keeps
    them equal). The engine sets the others (login, missed, unreachable, supervisor)."""

    BUSY = "busy"  # 示忙
    BREAK = "break"  # 小休
    MEAL = "meal"  # 用餐
    MEETING = "meeting"  # 会议
    TRAINING = "training"  # 培训


class StateRequest(_In):
    state: StateCommand
    reason: AgentReason | None = Field(
        default=None, description="for `not_ready`: why (default `busy`)"
    )


class AgentOut(_Open):
    id: str
    name: str = ""
    team: str | None = None
    state: AgentState
    reason: str = ""
    since: float | None = None
    in_state_s: float | None = None
    call: str | None = None
    human: bool = False


class DeskAgent(_Open):
    id: str
    name: str = ""
    state: AgentState
    reason: str = ""
    since: float | None = None
    in_state_s: float | None = None


class CustomerHint(_Out):
    rule: str
    message: str
    level: str = "info"


class CustomerOut(_Out):
    id: int
    name: str = ""
    phone: str | None = None
    id_number: str | None = None
    account: str | None = None
    address: str | None = None
    tier: Tier
    list_mark: ListMark = ListMark.NONE
    list_reason: str = ""
    masked: bool = Field(description="true when the numbers are masked for this user's role")
    lifecycle: str | None = Field(default=None, description="CRM lifecycle stage (生命周期)")
    score: float | None = Field(default=None, description="CRM tier score")
    customer_type: str | None = None
    hints: list[CustomerHint] = Field(default=[], description="hints from consumption data")


class HistoryItem(_Open):
    call: str
    at: float | None = None
    outcome: str | None = None
    agent: str | None = None
    disposition: str | None = None


class DeskPhase(enum.StrEnum):
    RINGING = "ringing"
    TALKING = "talking"
    HELD = "held"
    WRAP_UP = "wrap_up"


class DeskConsult(_Out):
    """A consultation (咨询转接) about the desk's call: asked by this seat, or rung to it."""

    role: Literal["asking", "consulted"]
    agent: str = Field(description="the agent who asked")
    target: str = Field(description="the colleague consulted")
    to_queue: str
    phase: Literal["ringing", "talking"]


class DeskCall(_Open):
    id: str
    phase: DeskPhase
    caller: str
    queue: str | None = None
    tier: Tier
    list_mark: ListMark = ListMark.NONE
    waited_s: float | None = None
    since: float | None = None
    wrap_up_ends: float | None = None
    customer: CustomerOut | None = None
    history: list[HistoryItem] = []
    orders: list[dict[str, Any]] = []
    consult: DeskConsult | None = None
    outbound: bool = False
    """The hotline called this customer (外呼): the desk says 外呼, not 来电."""


class NamedTitle(_Out):
    name: str
    title: str = ""


class Disposition(_Out):
    code: str
    title: str = ""
    note_required: bool = Field(
        default=True, description="whether wrap-up with it needs a note (desk.note_optional)"
    )


class DeskOut(_Open):
    agent: DeskAgent
    call: DeskCall | None = None
    queues: list[NamedTitle] = []
    scripts: dict[str, str] = {}
    dispositions: list[Disposition] = []


class TransferRequest(_In):
    queue: QueueNameStr


class ConsultRequest(_In):
    queue: QueueNameStr = Field(description="the queue to take a free colleague from")


class WrapUpRequest(_In):
    disposition: str = Field(min_length=1, max_length=64, pattern=NAME_PATTERN)
    note: str = Field(default="", max_length=2000)
    then: Literal["ready", "not_ready"] = "ready"


# --- queues, skills, the wallboard --------------------------------------------------------


class QueueOut(_Out):
    name: str
    title: str = ""
    skill: str | None = None
    strategy: Strategy
    ring_timeout: float
    wrap_up: float
    max_wait: float | None = None
    service_level_target: float
    service_level_goal: float


class TierLevel(_Open):
    value: float | None = None
    goal: float | None = None
    target_s: float | None = None


class ServiceLevel(TierLevel):
    by_tier: dict[str, TierLevel] | None = None


class WindowStats(_Open):
    """The rolling window's counts (the last `window_s` seconds)."""

    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    service_level: float | None = None


class WaitingCallOut(_Open):
    """A caller waiting in the queue (the number masked for every role)."""

    call: str
    tier: str
    waited_s: float
    caller: str


class QueueStats(_Open):
    name: str
    title: str = ""
    waiting: int = 0
    longest_wait_s: float | None = None
    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    service_level: ServiceLevel | None = None
    alerts: list[str] = []
    window: WindowStats | None = None
    waiting_calls: list[WaitingCallOut] = []
    """The longest-waiting callers first, at most 10."""


class Totals(_Open):
    waiting: int = 0
    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    service_level: ServiceLevel | None = None
    window: WindowStats | None = None


class Interval(_Open):
    start: str
    offered: int = 0
    answered: int = 0
    abandoned: int = 0


class AlertOut(_Open):
    queue: str | None = None
    kind: str
    value: float | None = None
    threshold: float | None = None
    message: dict[str, str] = {}


class BoardOut(_Open):
    at: float
    local: str | None = None
    speed: float | None = None
    counted_to: float | None = None
    """Engine time the counted figures run to (they are recounted from the stored log)."""
    figures_at: str | None = None
    window_s: float | None = None
    queues: list[QueueStats] = []
    totals: Totals | None = None
    agents: list[AgentOut] = []
    intervals: list[Interval] = []
    alerts: list[AlertOut] = []


# --- calls, events, audit ---------------------------------------------------------------------


class CallOut(_Open):
    call: str
    arrived_at: float | None = None
    caller: str | None = None
    dialed: str | None = None
    tier: str | None = None
    list_mark: str | None = None
    queue: str | None = None
    agent: str | None = None
    answered_at: float | None = None
    ended_at: float | None = None
    outcome: str | None = None
    phase: str | None = None
    wait_s: float | None = None
    talk_s: float | None = None
    hold_s: float | None = None
    disposition: str | None = None
    note: str | None = None


class EventOut(_Open):
    id: int
    kind: str
    at: float


class AuditOut(_Out):
    id: int
    at: float
    username: str
    role: str
    action: str
    subject_type: str | None = None
    subject_id: str | None = None
    detail: dict[str, Any] | None = None
    client: str | None = None


# --- configuration and demo -----------------------------------------------------------------------


CONFIG_NAME_PATTERN = r"^(hotline\.yaml|ivr/[A-Za-z0-9_-]{1,64}\.yaml)$"


class ConfigDocumentOut(_Out):
    name: str
    text: str
    version: int | None = Field(description="stored version; null when read from the file")
    updated_by: str | None = None
    updated_at: float | None = None


class ConfigListItem(_Out):
    name: str
    version: int | None = None
    updated_by: str | None = None
    updated_at: float | None = None


class ConfigPut(_In):
    text: str = Field(max_length=200_000, description="the whole YAML document")


class ConfigSaved(_Out):
    name: str
    version: int
    message: str = Field(description="when the change takes effect")


class SpeedRequest(_In):
    speed: float = Field(ge=0, le=3600, description="simulated seconds per wall second")


class SpeedOut(_Out):
    speed: float
