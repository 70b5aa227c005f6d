"""短信通知: the SMS part of outbound — templates with their carrier signature, the numbers
that opted out, the gateway port and its simulated twin, and the sender that publishes what
happened to each message.

No web framework, HTTP client or database here: the HTTP gateway is
`hotline.outbound.sms_http`, and keeping opt-outs across restarts is the store's job. Time
comes from the engine's clock only, so a simulated day sends and reports the same way every
run with the same seed.
"""

from __future__ import annotations

import itertools
import random
import string
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from hotline.calls.outbound import OriginateError, check_number
from hotline.core.clock import Clock
from hotline.core.errors import HotlineError
from hotline.core.events import Event
from hotline.core.masking import mask_phone
from hotline.outbound.events import SmsDelivered, SmsFailed, SmsOptedOut, SmsSent, SmsSkipped

SINGLE_PART = 70
"""Characters (UCS-2 code units) one SMS carries."""
MULTI_PART = 67
"""Characters each part of a longer, concatenated SMS carries (the rest is its header)."""

OPT_OUT_WORDS = frozenset({"退订", "td", "t", "n", "取消"})
"""Replies that mean 退订 (compared trimmed, case-insensitively, full-width letters folded)."""

FAILURE_REASONS = (("UNDELIV", 0.6), ("EXPIRED", 0.3), ("REJECTD", 0.1))
"""The carrier statuses a simulated failed message reports, with their weights."""


class SmsError(HotlineError):
    """Base of the SMS errors; a gateway's refusal of one message is this family too."""

    error_id = "sms-error"


class SmsTemplateError(SmsError):
    """A template that cannot be used as written (signature, placeholders)."""

    error_id = "bad-sms-template"


class SmsVariableMissingError(SmsError):
    """A template was rendered without a value for one of its placeholders (``variable=``)."""

    error_id = "sms-variable-missing"


class SmsUnknownTemplateError(SmsError):
    """No template has this name (``template=``)."""

    error_id = "no-such-sms-template"


class SmsNumberError(SmsError):
    """The number cannot receive an SMS as written (``number=``)."""

    error_id = "bad-sms-number"


class SmsRefusedError(SmsError):
    """The gateway did not accept a message: ``reason`` is ``status`` (with ``status=``),
    ``timeout`` (with ``timeout=``) or ``error`` (could not reach it)."""

    error_id = "sms-refused"


class SmsReportError(SmsError):
    """A delivery report that cannot be read (``field=`` names what is wrong)."""

    error_id = "bad-sms-report"


def segments(text: str) -> int:
    """The parts a carrier bills for `text`: 1 up to 70 characters, else one per 67.

    Characters are counted as UCS-2 code units (Chinese text is never GSM-7), so a
    character outside the BMP (an emoji) counts twice.
    """
    units = len(text.encode("utf-16-le")) // 2
    if units <= SINGLE_PART:
        return 1
    return -(-units // MULTI_PART)


def _placeholders(name: str, text: str) -> tuple[str, ...]:
    """The named fields of `text` in order of first use; raises `SmsTemplateError` for a
    positional field, attribute or index access, a conversion or a nested spec."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as e:
        raise SmsTemplateError(f"SMS template {name!r}: {e}", template=name) from None
    names: dict[str, None] = {}
    for _literal, field_name, spec, conversion in parsed:
        if field_name is None:
            continue
        # only plain names: `{bill.__class__}` or `{0}` would read more than the variables
        if not field_name.isidentifier() or conversion is not None or "{" in (spec or ""):
            raise SmsTemplateError(
                f"SMS template {name!r}: {{{field_name}}} is not a plain named placeholder",
                template=name,
                placeholder=field_name,
            )
        names[field_name] = None
    return tuple(names)


@dataclass(frozen=True, slots=True)
class SmsTemplate:
    """A notice's text with ``{variable}`` placeholders and the sender's 签名.

    The signature (``【国网XX供电公司】``) goes in front of the text, as Chinese carriers
    require. A template whose placeholders are not plain names, or whose signature is not
    in 【】, raises `SmsTemplateError` when built.
    """

    name: str
    text: str
    signature: str
    variables: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        inner = self.signature[1:-1].strip()
        if not (self.signature.startswith("【") and self.signature.endswith("】") and inner):
            raise SmsTemplateError(
                f"SMS template {self.name!r}: the signature {self.signature!r} is not 【名称】",
                template=self.name,
                signature=self.signature,
            )
        object.__setattr__(self, "variables", _placeholders(self.name, self.text))

    def render(self, variables: Mapping[str, str]) -> str:
        """The message as sent: signature, then the text filled from `variables` (names the
        text does not use are ignored); raises `SmsVariableMissingError` naming the first
        placeholder without a value."""
        for name in self.variables:
            if name not in variables:
                raise SmsVariableMissingError(
                    f"SMS template {self.name!r} needs the variable {name!r}",
                    template=self.name,
                    variable=name,
                )
        return self.signature + self.text.format_map({n: variables[n] for n in self.variables})


@dataclass(frozen=True, slots=True)
class SmsMessage:
    """One message handed to a gateway: `id` is ours, and the delivery report names it."""

    id: str
    number: str
    text: str
    template: str
    campaign: str | None = None
    entry: str | None = None


OnReport = Callable[[str, bool, str], None]
"""A delivery report's receiver: ``(message id, delivered, carrier status)``."""


class SmsGateway(Protocol):
    """Where messages leave the hotline (an operator's or aggregator's SMS platform).

    `send` either accepts the message — its delivery report arrives later, through the
    `OnReport` callback the gateway was built with (or the platform's HTTP callback) — or
    raises `SmsError` (`SmsRefusedError`) when it is refused; it never accepts silently
    something it will not report on.
    """

    def send(self, message: SmsMessage) -> None: ...


class SimulatedGateway:
    """A gateway on the engine's clock: every message is accepted, and `report` is called
    after a delay drawn from `delay` (seconds, uniform) with delivered for a share
    `delivered_share` of messages, else a carrier status from `FAILURE_REASONS`.

    Every draw comes from `rng` at `send`, so the same seed and the same sends give the
    same reports at the same times.
    """

    def __init__(
        self,
        clock: Clock,
        report: OnReport,
        rng: random.Random,
        delivered_share: float = 0.97,
        delay: tuple[float, float] = (2.0, 20.0),
    ) -> None:
        if not 0.0 <= delivered_share <= 1.0:
            raise SmsError(
                f"delivered_share {delivered_share} is not between 0 and 1",
                delivered_share=delivered_share,
            )
        if not 0.0 <= delay[0] <= delay[1]:
            raise SmsError(f"delay {delay} is not (least, most) seconds", delay=list(delay))
        self._clock = clock
        self._report = report
        self._rng = rng
        self._share = delivered_share
        self._delay = delay
        self._reasons = [reason for reason, _ in FAILURE_REASONS]
        self._weights = [weight for _, weight in FAILURE_REASONS]

    def send(self, message: SmsMessage) -> None:
        wait = self._rng.uniform(*self._delay)
        if self._rng.random() < self._share:
            delivered, reason = True, "DELIVRD"
        else:
            delivered, reason = False, self._rng.choices(self._reasons, self._weights)[0]
        self._clock.call_later(wait, self._report, message.id, delivered, reason)


def is_opt_out_reply(text: str) -> bool:
    """Whether a customer's reply means 退订: 退订, TD, T, N or 取消, trimmed, in any case,
    half- or full-width (``ｔｄ``)."""
    return unicodedata.normalize("NFKC", text).strip().casefold() in OPT_OUT_WORDS


def _number_key(number: str) -> str:
    """The number as opt-outs compare it: a reply's ``+8613800138000`` is ``13800138000``."""
    for prefix in ("+86", "0086"):
        if number.startswith(prefix):
            return number[len(prefix) :]
    return number


OPT_OUT_SOURCES = ("reply", "manual")
"""How a number came on the opt-out list: the customer's 退订 reply, or a supervisor's hand."""


@dataclass(frozen=True, slots=True)
class OptOut:
    """One number on the opt-out list: `number` as compared (``13800138000``, no +86), since
    `at`, `source` ``reply`` (the customer replied 退订) or ``manual`` (added by `by`)."""

    number: str
    at: float
    source: str = "reply"
    by: str = ""


class OptOuts:
    """The numbers that replied 退订 (or were put on the list by hand), with when and how
    (`add` keeps the first time).

    `on_add` and `on_remove` keep each change elsewhere (the store,
    `hotline.outbound.store.OptOutStore`) before it is made here: when one raises, the
    list is left as it was and the error goes to the caller, so the list never says more
    than was kept. The numbers of `known` and `kept` (read back from there) call neither.
    """

    def __init__(
        self,
        known: Mapping[str, float] | None = None,
        *,
        kept: Iterable[OptOut] = (),
        on_add: Callable[[OptOut], object] | None = None,
        on_remove: Callable[[str], object] | None = None,
    ) -> None:
        self._entries: dict[str, OptOut] = {}
        self._on_add: Callable[[OptOut], object] | None = None
        self._on_remove: Callable[[str], object] | None = None
        for number, at in (known or {}).items():
            self.add(number, at)
        for entry in kept:
            self.add(entry.number, entry.at, source=entry.source, by=entry.by)
        self._on_add, self._on_remove = on_add, on_remove

    def add(self, number: str, at: float, *, source: str = "reply", by: str = "") -> bool:
        """Record that `number` opted out at `at` (`source` one of `OPT_OUT_SOURCES`);
        False when it had already. Raises `SmsError` for another source, or what
        `on_add` raises (then nothing is recorded)."""
        if source not in OPT_OUT_SOURCES:
            raise SmsError(
                f"opt-out source {source!r} is not one of {', '.join(OPT_OUT_SOURCES)}",
                source=source,
            )
        key = _number_key(number)
        if key in self._entries:
            return False
        entry = OptOut(key, at, source, by)
        if self._on_add is not None:
            self._on_add(entry)
        self._entries[key] = entry
        return True

    def remove(self, number: str) -> bool:
        """Take `number` off the list (the customer asked to be texted again); False when it
        was not on it. Raises what `on_remove` raises (then it stays on the list)."""
        key = _number_key(number)
        if key not in self._entries:
            return False
        if self._on_remove is not None:
            self._on_remove(key)
        del self._entries[key]
        return True

    def get(self, number: str) -> OptOut | None:
        """`number`'s entry, or None when it has not opted out."""
        return self._entries.get(_number_key(number))

    def since(self, number: str) -> float | None:
        """When `number` opted out, or None when it has not."""
        entry = self.get(number)
        return entry.at if entry is not None else None

    def entries(self) -> list[OptOut]:
        """Every entry, the latest first."""
        return sorted(self._entries.values(), key=lambda e: (-e.at, e.number))

    def __contains__(self, number: object) -> bool:
        return isinstance(number, str) and _number_key(number) in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._entries))


class SmsSender:
    """Sends templated notices through a gateway and publishes what became of each.

    `send` publishes ``outbound.sms_sent`` or ``outbound.sms_skipped``; `report` (wire the
    gateway's `OnReport` to it) publishes ``outbound.sms_delivered`` or
    ``outbound.sms_failed``; `reply` publishes ``outbound.sms_opted_out``. Numbers in the
    events are masked. A message waits in memory for its report; a report for a message
    this sender does not know (sent before a restart, or reported twice) is ignored, and
    `report` says so.
    """

    def __init__(
        self,
        gateway: SmsGateway,
        templates: Iterable[SmsTemplate],
        opt_outs: OptOuts,
        publish: Callable[[Event], None],
        clock: Clock,
        *,
        ids: Iterator[str] | None = None,
    ) -> None:
        self._gateway = gateway
        self._templates: dict[str, SmsTemplate] = {}
        for template in templates:
            if template.name in self._templates:
                raise SmsTemplateError(
                    f"two SMS templates are named {template.name!r}", template=template.name
                )
            self._templates[template.name] = template
        self._opt_outs = opt_outs
        self._publish = publish
        self._clock = clock
        # the start second keeps ids apart across restarts; the count within a run
        start = int(clock.now())
        self._ids = ids if ids is not None else (f"sms-{start}-{n}" for n in itertools.count(1))
        self._pending: dict[str, SmsMessage] = {}

    @property
    def gateway(self) -> SmsGateway:
        return self._gateway

    @property
    def opt_outs(self) -> OptOuts:
        """The numbers this sender does not text."""
        return self._opt_outs

    @property
    def pending(self) -> int:
        """Messages accepted whose delivery report has not come yet."""
        return len(self._pending)

    def template(self, name: str) -> SmsTemplate:
        """The template named `name`; raises `SmsUnknownTemplateError`."""
        try:
            return self._templates[name]
        except KeyError:
            known = ", ".join(sorted(self._templates)) or "none"
            raise SmsUnknownTemplateError(
                f"no SMS template {name!r} (templates: {known})", template=name
            ) from None

    def send(
        self,
        number: str,
        template: str,
        variables: Mapping[str, str],
        *,
        campaign: str | None = None,
        entry: str | None = None,
    ) -> SmsMessage | None:
        """Render `template` with `variables` and send it to `number`: the message, or None
        when `number` opted out (skipped, and published so).

        Raises `SmsUnknownTemplateError`, `SmsVariableMissingError` (checked before the
        opt-out, so a broken list shows even for opted-out entries), `SmsNumberError`, or
        the gateway's `SmsError` when it refuses the message (nothing is published then:
        the caller decides whether to try again).
        """
        text = self.template(template).render(variables)
        if number in self._opt_outs:
            self._publish(
                SmsSkipped(
                    at=self._clock.now(),
                    number=mask_phone(number),
                    template=template,
                    campaign=campaign or "",
                    entry=entry or "",
                    reason="opted_out",
                )
            )
            return None
        try:
            check_number(number)
        except OriginateError:
            raise SmsNumberError(f"{number!r} is not a number to text", number=number) from None
        message = SmsMessage(next(self._ids), number, text, template, campaign, entry)
        # registered first: a gateway may report before `send` returns
        self._pending[message.id] = message
        try:
            self._gateway.send(message)
        except SmsError:
            del self._pending[message.id]
            raise
        self._publish(
            SmsSent(
                at=self._clock.now(),
                message=message.id,
                number=mask_phone(number),
                template=template,
                campaign=campaign or "",
                entry=entry or "",
                segments=segments(text),
            )
        )
        return message

    def report(self, message_id: str, delivered: bool, reason: str) -> bool:
        """Publish the delivery report of message `message_id`; False (nothing published)
        when no message of this sender waits for one under that id."""
        message = self._pending.pop(message_id, None)
        if message is None:
            return False
        at, number = self._clock.now(), mask_phone(message.number)
        campaign, entry = message.campaign or "", message.entry or ""
        if delivered:
            self._publish(
                SmsDelivered(
                    at=at,
                    message=message.id,
                    number=number,
                    template=message.template,
                    campaign=campaign,
                    entry=entry,
                )
            )
        else:
            self._publish(
                SmsFailed(
                    at=at,
                    message=message.id,
                    number=number,
                    template=message.template,
                    campaign=campaign,
                    entry=entry,
                    reason=reason,
                )
            )
        return True

    def reply(self, number: str, text: str) -> bool:
        """Take a customer's reply: when it is an opt-out (`is_opt_out_reply`), record it
        and publish ``outbound.sms_opted_out`` (once per number); whether it was one."""
        if not is_opt_out_reply(text):
            return False
        now = self._clock.now()
        if self._opt_outs.add(number, now):
            # masked as the list keeps it: ``+8613800138000`` is ``138****8000``
            self._publish(SmsOptedOut(at=now, number=mask_phone(_number_key(number))))
        return True
