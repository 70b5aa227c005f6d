"""Masking of customers' personal numbers for roles that do not need them in clear.

The formats follow what Chinese hotlines print on receipts and screens:
a mobile number keeps its first three and last four digits (``138****8000``),
an ID number its six-digit region code and last four characters
(``110101********1234``), an account its first and last two
(``01******67``). A value too short to keep those parts is masked whole:
showing most of a short value would reveal it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from hotline.core.masking import STAR, mask_account, mask_address, mask_id_number, mask_phone

__all__ = [
    "CALLER_FIELDS",
    "CUSTOMER_MASKS",
    "STAR",
    "mask_account",
    "mask_address",
    "mask_customer",
    "mask_id_number",
    "mask_numbers",
    "mask_phone",
    "plain",
]


def plain(record: Any) -> dict[str, Any]:
    """A store record (a frozen dataclass) or a mapping as a new plain dict."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return dataclasses.asdict(record)
    return dict(record)


CUSTOMER_MASKS = {
    "phone": mask_phone,
    "id_number": mask_id_number,
    "account": mask_account,
    "address": mask_address,
}
"""Which field of a customer record is masked by which function."""

CALLER_FIELDS = ("caller", "phone")
"""Fields of event records and call rows that hold a caller's number."""


def mask_customer(customer: Any) -> dict[str, Any]:
    """A copy of a customer record with its numbers and address masked; other fields kept."""
    masked = plain(customer)
    for field, mask in CUSTOMER_MASKS.items():
        value = masked.get(field)
        if isinstance(value, str):
            masked[field] = mask(value)
    return masked


def mask_numbers(record: Any) -> dict[str, Any]:
    """A copy of an event record or call row with every caller number masked."""
    masked = plain(record)
    for field in CALLER_FIELDS:
        value = masked.get(field)
        if isinstance(value, str):
            masked[field] = mask_phone(value)
    return masked
