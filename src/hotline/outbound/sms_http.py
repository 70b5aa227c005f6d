"""An SMS platform over HTTP: `HttpGateway` posts each message as JSON, `parse_report`
reads the platform's delivery-report callback.

`HttpGateway.send` blocks for up to `timeout` seconds: run it in a worker thread
(`hotline.live.business.OffLoop`), never on the engine's loop. A 2xx answer means the
platform accepted the message; any other status, a timeout or a connection error raises
`SmsRefusedError` with the status, the timeout or the error in its details. Nothing is
retried here: whether to try a refused message again is the sender's caller's choice.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import httpx

from hotline.outbound.sms import SmsError, SmsMessage, SmsRefusedError, SmsReportError

MESSAGE_FIELDS: Mapping[str, str] = MappingProxyType(
    {"number": "number", "text": "text", "id": "id"}
)
"""Our names of a posted message's fields → the platform's names for them."""

REPORT_FIELDS: Mapping[str, str] = MappingProxyType(
    {"id": "id", "delivered": "delivered", "reason": "reason"}
)
"""Our names of a delivery report's fields → the platform's names for them."""

MAX_REPLY = 200
"""Characters of a refusing answer's body kept in the error (the platform's own words,
such as 签名未报备, say why)."""


def _field_names(fields: Mapping[str, str], defaults: Mapping[str, str]) -> dict[str, str]:
    unknown = sorted(set(fields) - set(defaults))
    if unknown:
        raise SmsError(
            f"unknown SMS field names {unknown} (known: {', '.join(defaults)})", fields=unknown
        )
    return {**defaults, **fields}


class HttpGateway:
    """POST messages to `url` as JSON, waiting at most `timeout` seconds (connect and read).

    `fields` renames the posted fields (``{"number": "mobile", "text": "content"}``; the
    others keep their names); `token` is sent as ``Authorization: Bearer <token>``.
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 5.0,
        token: str | None = None,
        fields: Mapping[str, str] = MESSAGE_FIELDS,
        client: httpx.Client | None = None,
    ) -> None:
        self.url = url
        self.timeout = timeout
        self._fields = _field_names(fields, MESSAGE_FIELDS)
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._client = client or httpx.Client(timeout=timeout, follow_redirects=False)

    def close(self) -> None:
        self._client.close()

    def send(self, message: SmsMessage) -> None:
        """Hand `message` to the platform; raises `SmsRefusedError` unless it answers 2xx."""
        body = {
            self._fields["number"]: message.number,
            self._fields["text"]: message.text,
            self._fields["id"]: message.id,
        }
        try:
            response = self._client.post(
                self.url, json=body, headers=self._headers, timeout=self.timeout
            )
        except httpx.TimeoutException:
            raise SmsRefusedError(
                f"{self.url}: no answer within {self.timeout} s",
                reason="timeout",
                timeout=self.timeout,
                sms=message.id,
            ) from None
        except httpx.HTTPError as e:
            raise SmsRefusedError(
                f"{self.url}: {e}", reason="error", error=str(e), sms=message.id
            ) from None
        if not response.is_success:
            raise SmsRefusedError(
                f"{self.url}: status {response.status_code}",
                reason="status",
                status=response.status_code,
                reply=response.text[:MAX_REPLY],
                sms=message.id,
            )


def parse_report(
    body: Mapping[str, object], *, fields: Mapping[str, str] = REPORT_FIELDS
) -> tuple[str, bool, str]:
    """``(message id, delivered, carrier status)`` of a delivery-report callback's JSON body.

    The id (text, not empty) and ``delivered`` (true or false) are required; the status is
    optional (``DELIVRD`` when delivered, else ``UNKNOWN``). `fields` renames them as
    `HttpGateway`'s `fields` does. Raises `SmsReportError` naming the field that is missing
    or of the wrong type.
    """
    names = _field_names(fields, REPORT_FIELDS)
    if not isinstance(body, Mapping):
        raise SmsReportError("the delivery report is not a JSON object", field="")
    message_id = body.get(names["id"])
    if not isinstance(message_id, str) or not message_id:
        raise SmsReportError(
            f"the delivery report has no message id {names['id']!r}", field=names["id"]
        )
    delivered = body.get(names["delivered"])
    if not isinstance(delivered, bool):
        raise SmsReportError(
            f"the delivery report's {names['delivered']!r} is not true or false",
            field=names["delivered"],
        )
    reason = body.get(names["reason"], "DELIVRD" if delivered else "UNKNOWN")
    if not isinstance(reason, str):
        raise SmsReportError(
            f"the delivery report's {names['reason']!r} is not text", field=names["reason"]
        )
    return message_id, delivered, reason
