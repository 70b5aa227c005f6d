"""What the IVR knows about one call while it runs, and how a flow ends for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from hotline.core.customer import ListMark, Tier
from hotline.core.ids import AgentId, CallId

ExitKind = Literal["queue", "callback", "hangup"]
Outcome = Literal["self_served", "callback", "failed", "queued"]


@dataclass(slots=True)
class CallContext:
    """One call in the IVR: who calls, what CRM knows, what the flow has learnt.

    Mutable on purpose: the interpreter fills `variables` (collected digits,
    lookup results), and sets `verified` and `account` after an identity check.
    """

    call: CallId
    caller: str  # calling number (ANI)
    dialed: str
    arrived_at: float
    tier: Tier = Tier.ORDINARY
    list_mark: ListMark = ListMark.NONE
    account: str | None = None
    verified: bool = False
    variables: dict[str, str] = field(default_factory=dict)
    agent: AgentId | None = None  # agent who served the call (for the survey)


@dataclass(frozen=True, slots=True, kw_only=True)
class IvrExit:
    """How a flow ended for a call; the receiver of `on_exit` acts on it.

    - ``queue``: queue the call to `queue` (outcome ``queued``);
    - ``callback``: the caller accepted a callback (for `queue`, when given):
      register it, then hang up (outcome ``callback``);
    - ``hangup``: hang up (outcome ``self_served`` or ``failed``).

    The interpreter never hangs a call up itself.
    """

    kind: ExitKind
    node: str
    queue: str | None = None
    outcome: Outcome
