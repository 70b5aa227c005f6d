"""The password policy of console users, after NIST SP 800-63B (§3.1.1.2).

A password is checked when it is set (a new user, a reset, a change), never at log-in.
What is asked: at least `MIN_LENGTH` characters and at most `MAX_LENGTH`, counted as
Unicode code points after NFKC normalisation; any printable character, spaces and
Chinese included; no composition rules (no "one digit, one capital"); not one of the
most common passwords, not the user name and not containing it. The password is
normalised the same way before it is hashed, so the same text typed on another
keyboard (full-width digits from a Chinese input method) still matches.

`PasswordRule` names each rule; `WeakPasswordError` carries the rule and the field,
and says it in Chinese first, then English; the console shows its own words for the
rule (``password.rule.<rule>`` in ``hotline.web.i18n``).
"""

from __future__ import annotations

import enum
import unicodedata

from hotline.api.errors import WeakPasswordError

MIN_LENGTH = 8
MAX_LENGTH = 128

# The most used passwords of leaked lists (Chinese and international) that the length
# rule alone lets through, plus this product's own names; compared case-insensitively.
COMMON = frozenset(
    {
        "00000000",
        "11111111",
        "12121212",
        "123123123",
        "12341234",
        "12345678",
        "123456789",
        "1234567890",
        "123456abc",
        "123qweasd",
        "147258369",
        "1q2w3e4r",
        "1q2w3e4r5t",
        "1qaz2wsx",
        "5201314520",
        "66666666",
        "77777777",
        "87654321",
        "88888888",
        "987654321",
        "a1234567",
        "a12345678",
        "a123456789",
        "aa123456",
        "abc12345",
        "abc123456",
        "abcd1234",
        "admin123",
        "admin888",
        "administrator",
        "asdfghjk",
        "asdfghjkl",
        "baseball",
        "changeme",
        "demo1234",
        "dragon123",
        "football",
        "hotline1",
        "hotline123",
        "iloveyou",
        "letmein1",
        "p@ssw0rd",
        "passw0rd",
        "password",
        "password1",
        "password123",
        "q1w2e3r4",
        "qazwsxedc",
        "qwe123456",
        "qwer1234",
        "qwerty12",
        "qwerty123",
        "qwertyui",
        "qwertyuiop",
        "sunshine",
        "welcome1",
        "woaini1314",
        "zxcvbnm1",
        "zxcvbnm123",
    }
)


class PasswordRule(enum.StrEnum):
    """Why a password is refused (the ``rule`` of the error body)."""

    TOO_SHORT = "too-short"
    TOO_LONG = "too-long"
    UNPRINTABLE = "unprintable"
    COMMON = "common"
    CONTAINS_USERNAME = "contains-username"
    UNCHANGED = "unchanged"


_MESSAGES = {
    PasswordRule.TOO_SHORT: (
        f"密码太短：至少 {MIN_LENGTH} 个字符",
        f"too short: at least {MIN_LENGTH} characters",
    ),
    PasswordRule.TOO_LONG: (
        f"密码太长：最多 {MAX_LENGTH} 个字符",
        f"too long: at most {MAX_LENGTH} characters",
    ),
    PasswordRule.UNPRINTABLE: (
        "密码含有不可打印的控制字符",
        "contains a control character that cannot be typed",
    ),
    PasswordRule.COMMON: (
        "这是最常见的密码之一，很容易被猜中",
        "one of the most common passwords, easily guessed",
    ),
    PasswordRule.CONTAINS_USERNAME: (
        "密码不能是用户名，也不能包含用户名",
        "must not be or contain the user name",
    ),
    PasswordRule.UNCHANGED: (
        "新密码不能与当前密码相同",
        "the new password must differ from the current one",
    ),
}


def normalized(password: str) -> str:
    """The password as it is checked and hashed: NFKC (SP 800-63B §5.1.1.2)."""
    return unicodedata.normalize("NFKC", password)


def refuse(rule: PasswordRule, field: str) -> WeakPasswordError:
    """The error for `rule` broken by the password in `field` (``body.new_password``)."""
    chinese, english = _MESSAGES[rule]
    return WeakPasswordError(f"{field}: {chinese} ({english})", field=field, rule=rule.value)


def _common(text: str) -> bool:
    folded = text.casefold()
    return folded in COMMON or len(set(folded)) == 1  # one character repeated


def validate_password(password: str, *, username: str, field: str) -> str:
    """The normalised password to hash, or raises `WeakPasswordError` naming `field` and
    the rule it breaks."""
    text = normalized(password)
    if len(text) < MIN_LENGTH:
        raise refuse(PasswordRule.TOO_SHORT, field)
    if len(text) > MAX_LENGTH:
        raise refuse(PasswordRule.TOO_LONG, field)
    if not text.isprintable():  # the space is printable; tabs, newlines, controls are not
        raise refuse(PasswordRule.UNPRINTABLE, field)
    if _common(text):
        raise refuse(PasswordRule.COMMON, field)
    name = normalized(username).strip().casefold()
    if len(name) >= 3 and name in text.casefold():
        raise refuse(PasswordRule.CONTAINS_USERNAME, field)
    return text
