"""Masking of customers' personal numbers for roles and screens that do not need them in clear.

The formats follow what Chinese hotlines print on receipts and screens:
a mobile number keeps its first three and last four digits (``138****8000``),
an ID number (身份证号) only its last four characters (``**************1234``: no
screen needs the region and birth date; every role sees it so), an account its first and last two
(``01******67``). A value too short to keep those parts is masked whole:
showing most of a short value would reveal it. The API masks records by role
(`hotline.api.masking`); the wallboard never holds a number in clear.
"""

from __future__ import annotations

STAR = "*"


def _keep(value: str, head: int, tail: int) -> str:
    hidden = len(value) - head - tail
    if hidden < 2:
        return STAR * len(value)
    return value[:head] + STAR * hidden + value[len(value) - tail :]


def mask_phone(phone: str) -> str:
    """``13800138000`` → ``138****8000``; a number of 8 digits or more keeps 3 and 4. A
    caller without a number (``anonymous``: nobody trusted asserted one) stays as it is."""
    if not any(ch.isdigit() for ch in phone):
        return phone
    if len(phone) >= 8:
        return _keep(phone, 3, 4)
    return _keep(phone, 0, 2)


def mask_id_number(id_number: str) -> str:
    """``110101199001011234`` → ``**************1234`` (the last four kept: what an agent
    asks the caller to confirm)."""
    return _keep(id_number, 0, 4)


def mask_account(account: str) -> str:
    """``0101234567`` → ``01******67``."""
    return _keep(account, 2, 2)


def mask_address(address: str) -> str:
    """Keep the first six characters (province, city, district), hide the street and number."""
    if len(address) <= 6:
        return address
    return address[:6] + STAR * 4
