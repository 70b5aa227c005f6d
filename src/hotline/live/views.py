"""What the live hotline shows a seat: typed views, the seam between the runtime and the API.

The API turns a view into its JSON answer (`dataclasses.asdict`) and masks it by the
user's role there; the views themselves are unmasked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hotline.calls.outside import OutsideLeg, OutsideState
from hotline.core.ids import AgentId, CallId


@dataclass(frozen=True, slots=True)
class CustomerHint:
    """A hint from the customer's consumption data (``crm.yaml``'s rules)."""

    rule: str
    message: str
    level: str


@dataclass(frozen=True, slots=True)
class CustomerCard:
    """The caller's customer record, with the CRM's stage, score and hints when the CRM
    knows the customer (None otherwise)."""

    id: int
    name: str
    phone: str
    id_number: str
    account: str
    address: str
    tier: str
    list_mark: str
    list_reason: str
    created_at: float
    lifecycle: str | None = None
    score: float | None = None
    customer_type: str | None = None
    hints: list[CustomerHint] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PastContact:
    """An earlier call of the same caller (接触历史)."""

    call: str
    at: float | None
    queue: str | None
    agent: str | None
    outcome: str | None
    disposition: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class OpenOrder:
    """One of the caller's open work orders (未结工单)."""

    id: int
    type: str
    title: str
    state: str
    created_at: float


@dataclass(frozen=True, slots=True)
class ConsultView:
    """A consultation (咨询转接) about the desk's call: asked by this seat, or rung to it."""

    role: str  # "asking" or "consulted"
    agent: str
    target: str
    to_queue: str
    phase: str  # "ringing" or "talking"


@dataclass(frozen=True, slots=True)
class OutsideView:
    """The outside number the desk's agent called (外线咨询, 三方通话): `state` is
    ``dialing``, ``talking`` (the caller on hold) or ``conference``."""

    number: str
    state: str


def outside_view(leg: OutsideLeg | None) -> OutsideView | None:
    """What the desk shows of an outside party (none once the caller was transferred to it)."""
    if leg is None or leg.state is OutsideState.TRANSFERRED:
        return None
    return OutsideView(leg.number, leg.state.value)


@dataclass(frozen=True, slots=True)
class DeskCallView:
    """The call at a seat: ringing, talking, held or in wrap-up."""

    id: CallId
    phase: str
    caller: str
    queue: str
    tier: str
    list_mark: str
    waited_s: float
    since: float
    wrap_up_ends: float | None
    customer: CustomerCard | None
    history: list[PastContact]
    orders: list[OpenOrder]
    consult: ConsultView | None
    outside: OutsideView | None = None
    outbound: bool = False  # the hotline called this customer (外呼)


@dataclass(frozen=True, slots=True)
class CurrentCall:
    """The call at a seat in brief: what a seat command or a permission check needs,
    without the history and open orders the full view reads."""

    id: CallId
    phase: str
    caller: str
    customer_id: int | None
    """The caller's customer record (None: not a known customer)."""


@dataclass(frozen=True, slots=True)
class SeatView:
    """The agent at the seat and their state."""

    id: AgentId
    name: str
    state: str
    reason: str
    since: float
    in_state_s: float
    human: bool
    answers_on_phone: bool
    """A real phone rings: the agent answers on it, not at the desk."""


@dataclass(frozen=True, slots=True)
class QueueChoice:
    """A queue the agent may transfer or consult to."""

    name: str
    title: str


@dataclass(frozen=True, slots=True)
class Disposition:
    """A wrap-up disposition (小结) of ``hotline.yaml``'s desk settings."""

    code: str
    title: str
    note_required: bool = True
    """Whether wrap-up with this disposition needs a note (``desk.note_optional``)."""


@dataclass(frozen=True, slots=True)
class DeskView:
    """What the agent desk shows for one seat, unmasked."""

    at: float
    speed: float
    agent: SeatView
    call: DeskCallView | None
    queues: list[QueueChoice]
    scripts: dict[str, str]
    dispositions: list[Disposition]


# ---- the wallboard ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TierLevelView:
    """One tier's service level in a queue or in total: answered within its target over
    the contacts that count (None: none yet)."""

    value: float | None
    goal: float
    target_s: float
    answered: int
    base: int


@dataclass(frozen=True, slots=True)
class ServiceLevelView:
    """A service level with its goal, target and base, and the same per tier."""

    value: float | None
    goal: float
    target_s: float
    base: int
    by_tier: dict[str, TierLevelView]


@dataclass(frozen=True, slots=True)
class WindowView:
    """The rolling window's counts (the last ``window_s`` seconds)."""

    offered: int
    answered: int
    abandoned: int
    service_level: float | None


@dataclass(frozen=True, slots=True)
class AlertView:
    """A threshold crossed (``metrics.yaml``'s alerts), with its message in both languages."""

    queue: str
    kind: str
    value: float
    threshold: float
    message: dict[str, str]


@dataclass(frozen=True, slots=True)
class WaitingCall:
    """A caller waiting in a queue, as the wallboard lists them: the number masked."""

    call: CallId
    tier: str
    waited_s: float
    caller: str
    """The calling number masked (``138****8000``): the wallboard holds no number in clear."""


@dataclass(frozen=True, slots=True)
class QueueTile:
    """One queue on the wallboard: waiting now, today's counts, its alerts."""

    name: str
    title: str
    waiting: int
    longest_wait_s: float
    offered: int
    answered: int
    abandoned: int
    service_level: ServiceLevelView
    alerts: list[str]
    window: WindowView | None
    waiting_calls: list[WaitingCall] = field(default_factory=list)
    """The longest-waiting callers first (at most `WAITING_SHOWN`)."""


WAITING_SHOWN = 10
"""How many waiting callers a queue card lists (the count says how many wait in all)."""


@dataclass(frozen=True, slots=True)
class BoardTotals:
    """The whole hotline: waiting now, today's counts and service level."""

    waiting: int
    offered: int
    answered: int
    abandoned: int
    service_level: ServiceLevelView
    window: WindowView | None
    queue_offered: int = 0
    """The queue cards' 呼入 summed: more than `offered` by the calls that entered a second
    queue (a transfer, a consultation handed over, an overflow at the maximum wait), which
    each queue counts once."""
    queue_answered: int = 0
    """The queue cards' 接通 summed (likewise)."""


@dataclass(frozen=True, slots=True)
class SessionTile:
    """A supervisor's phone on an agent's call, as the wallboard shows it."""

    call: CallId
    extension: str
    by: str
    mode: str
    state: str  # ringing (the supervisor's phone), on, taken_over


@dataclass(frozen=True, slots=True)
class AgentTile:
    """One agent on the wallboard."""

    id: AgentId
    name: str
    team: str
    state: str
    reason: str
    since: float
    in_state_s: float
    call: CallId | None
    human: bool = False
    """A person takes this seat's calls (``hotline.yaml``'s agents), not the simulation."""
    supervision: SessionTile | None = None
    """A supervisor's phone on this agent's call (监听/耳语/强插, or the call taken over)."""


@dataclass(frozen=True, slots=True)
class IntervalCounts:
    """Calls per half hour today (the start as local ``HH:MM``)."""

    start: str
    offered: int
    answered: int
    abandoned: int


@dataclass(frozen=True, slots=True)
class BoardView:
    """The wallboard (实时监控): the present from the ACD, the counts from the stored log."""

    at: float
    local: str
    figures_at: str | None
    """Local time the counted figures were recounted at (None: not yet today)."""
    counted_to: float | None
    window_s: float
    queues: list[QueueTile]
    totals: BoardTotals
    agents: list[AgentTile]
    intervals: list[IntervalCounts]
    alerts: list[AlertView]
    speed: float = 1.0
    base_speed: float = 1.0
    orders_overdue: int = 0
