"""Account query passwords (查询密码): six digits keyed on the phone, kept only as argon2 hashes.

The IVR collects the password by DTMF, so it is digits only; the clear text is
never stored or logged, only an argon2id hash with its own salt.
"""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from hotline.crm.errors import PasswordError

_hasher = PasswordHasher()
_DIGITS = re.compile(r"^[0-9]{6}$")


def hash_query_password(password: str) -> str:
    """The argon2id hash of a six-digit query password; raises `PasswordError` otherwise."""
    if not _DIGITS.match(password):
        raise PasswordError("a query password is 6 digits (keyed on the phone)", field="password")
    return _hasher.hash(password)


def verify_query_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches the hash; False for no hash or a damaged one."""
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
