"""The outbound feature's events: campaigns started, paused and stopped, each call a
campaign places and how it ended, each list entry closed (reached, or tries used up), and
each SMS sent, skipped, delivered or failed, and each opt-out (退订).

The dialer (`hotline.outbound.dialer`) publishes them on the engine's bus, so a campaign's
progress on the wallboard and its figures (tries, reached, right party, drops per window)
are read from the log like every other figure.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from hotline.core.events import Event, event


@event
@dataclasses.dataclass(slots=True)
class CampaignChanged(Event):
    """Campaign `campaign` is now `campaign_state`: ``running``, ``paused``, ``stopped`` or
    ``finished`` (every entry closed); `by` who (``dialer`` when it finished by itself)."""

    kind: ClassVar[str] = "outbound.campaign_changed"
    campaign: str
    campaign_state: str
    by: str


@event
@dataclasses.dataclass(slots=True)
class EntryDialed(Event):
    """The dialer placed call `call` to entry `entry` of `campaign`: its try number `tries`
    (1 for the first), paced by `pacing`."""

    kind: ClassVar[str] = "outbound.dialed"
    campaign: str
    entry: str
    call: str
    tries: int
    pacing: str


@event
@dataclasses.dataclass(slots=True)
class AttemptEnded(Event):
    """Call `call` to entry `entry` of `campaign` ended: `result` is ``reached`` (talked with
    an agent), ``notified`` (heard the whole notice), ``dropped`` (answered, no agent free in
    time: the apology played), ``hung_up`` (answered, then hung up first), ``no_answer``,
    ``busy``, ``unreachable``, ``cancelled`` (the campaign paused: not a try) or
    ``failed``; `reached` whether the customer was reached; `next_at` when the entry is due
    again (0 when it is closed)."""

    kind: ClassVar[str] = "outbound.attempt_ended"
    campaign: str
    entry: str
    call: str
    tries: int
    result: str
    reached: bool
    next_at: float


@event
@dataclasses.dataclass(slots=True)
class EntryClosed(Event):
    """Entry `entry` of `campaign` is closed with `result` after `tries` calls: reached or
    notified, or its tries used up (`then`: what the list's owner does next — ``paper_notice``
    转纸质通知, ``escalate`` 升级处理, or empty), or ``skipped`` (`reason`: ``do_not_call``,
    ``black_list``, ``opted_out``, ``window`` — no calling window left before the campaign's
    end, ``resolved`` — its callback task, return visit or order was settled elsewhere)."""

    kind: ClassVar[str] = "outbound.entry_closed"
    campaign: str
    entry: str
    result: str
    tries: int
    then: str
    reason: str


@event
@dataclasses.dataclass(slots=True)
class PartyMarked(Event):
    """On call `call` to entry `entry` of `campaign`, agent `agent` heard who answered:
    `party` ``right`` (the customer, 本人), ``wrong`` (someone else, 非本人) or ``machine``
    (答录机). A wrong party or a machine makes the call's result ``wrong_party`` /
    ``machine``: the entry is called again like any failed try."""

    kind: ClassVar[str] = "outbound.party_marked"
    campaign: str
    entry: str
    call: str
    party: str
    agent: str


@event
@dataclasses.dataclass(slots=True)
class PreviewSkipped(Event):
    """Agent `agent` looked at entry `entry` of preview campaign `campaign` and did not dial
    it (跳过): it is offered again from `next_at`; not a try."""

    kind: ClassVar[str] = "outbound.preview_skipped"
    campaign: str
    entry: str
    agent: str
    next_at: float


@event
@dataclasses.dataclass(slots=True)
class SmsSent(Event):
    """The gateway accepted message `message` (template `template`, `segments` billed
    parts) for `number`; its delivery report comes later."""

    kind: ClassVar[str] = "outbound.sms_sent"
    message: str
    number: str
    template: str
    campaign: str
    entry: str
    segments: int


@event
@dataclasses.dataclass(slots=True)
class SmsSkipped(Event):
    """Template `template` was not sent to `number`: `reason` ``opted_out`` (the customer
    replied 退订 before)."""

    kind: ClassVar[str] = "outbound.sms_skipped"
    number: str
    template: str
    campaign: str
    entry: str
    reason: str


@event
@dataclasses.dataclass(slots=True)
class SmsDelivered(Event):
    """The carrier reported message `message` delivered to `number`'s phone."""

    kind: ClassVar[str] = "outbound.sms_delivered"
    message: str
    number: str
    template: str
    campaign: str
    entry: str


@event
@dataclasses.dataclass(slots=True)
class SmsFailed(Event):
    """The carrier reported message `message` to `number` not delivered: `reason` is the
    carrier's status (``UNDELIV``: no such number or out of service, ``EXPIRED``: the phone
    stayed off, ``REJECTD``: the carrier refused it, …)."""

    kind: ClassVar[str] = "outbound.sms_failed"
    message: str
    number: str
    template: str
    campaign: str
    entry: str
    reason: str


@event
@dataclasses.dataclass(slots=True)
class SmsOptedOut(Event):
    """退订: `number` replied an opt-out word; no notice is sent to it from now on."""

    kind: ClassVar[str] = "outbound.sms_opted_out"
    number: str
