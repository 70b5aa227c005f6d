"""Checks of a customer's numbers: phone numbers and Chinese resident ID numbers (身份证).

Each check returns the value in its stored form or raises `ValueError` with a
message that says what is expected; the importer adds the row and column.
"""

from __future__ import annotations

import datetime
import re

_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
# area code (0 + 2–3 digits) then a 7–8 digit local number, written without separators
_LANDLINE = re.compile(r"^0[1-9][0-9]{8,10}$")
_SEPARATORS = re.compile(r"[\s\-()（）]")
_ACCOUNT = re.compile(r"^[A-Za-z0-9-]{1,32}$")

# GB 11643-1999: weights of the first 17 digits, and the check character for sum mod 11
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def normalize_phone(raw: str) -> str:
    """A mobile (``13800138000``) or landline (``01012345678``) number, digits only.

    Spaces, dashes and brackets are dropped, and a +86 / 0086 prefix before a
    mobile number. Raises `ValueError` for anything else.
    """
    phone = _SEPARATORS.sub("", raw.strip())
    for prefix in ("+86", "0086"):
        if phone.startswith(prefix) and _MOBILE.match(phone[len(prefix) :]):
            phone = phone[len(prefix) :]
    if _MOBILE.match(phone) or _LANDLINE.match(phone):
        return phone
    raise ValueError(
        f"{raw!r} is not a phone number: expected a mobile number (11 digits, 13…–19…) "
        "or a landline with its area code (010-12345678)"
    )


def id_check_character(first17: str) -> str:
    """The 18th character of a resident ID number, from its first 17 digits (GB 11643)."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def _birth_date(text: str, raw: str) -> None:
    try:
        datetime.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise ValueError(f"{raw!r}: the birth date {text} in the ID number is no date") from None


def normalize_id_number(raw: str) -> str:
    """An 18-character resident ID number (last character checked), or an old 15-digit one.

    An empty value is allowed (returned empty); a lower-case ``x`` is made upper
    case. Raises `ValueError` naming what is wrong: length, characters, birth
    date, or the check character with the one expected.
    """
    value = raw.strip().upper()
    if not value:
        return ""
    if len(value) == 18:
        if not (value[:17].isdigit() and value[:17].isascii()) or value[17] not in "0123456789X":
            raise ValueError(f"{raw!r}: an ID number is 17 digits and a digit or X")
        _birth_date(value[6:14], raw)
        expected = id_check_character(value[:17])
        if value[17] != expected:
            raise ValueError(
                f"{raw!r}: the check character is {value[17]}, but the first 17 digits "
                f"give {expected} (mistyped digit?)"
            )
        return value
    if len(value) == 15:
        if not (value.isdigit() and value.isascii()):
            raise ValueError(f"{raw!r}: a 15-character ID number is digits only")
        _birth_date("19" + value[6:12], raw)
        return value
    raise ValueError(f"{raw!r}: an ID number has 18 characters (or 15 for the old ones)")


def check_account(raw: str) -> str:
    """An account number (户号): 1–32 letters, digits or dashes."""
    value = raw.strip()
    if not _ACCOUNT.match(value):
        raise ValueError(f"{raw!r} is not an account number: 1–32 letters, digits or '-'")
    return value
