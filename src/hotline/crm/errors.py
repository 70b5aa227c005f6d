"""The CRM's errors: a bad import file, a refused list change, an unknown customer.

Each carries a stable `error_id` and the data that explains it; the API maps
them to HTTP statuses (``no-such-…`` is 404, a refused file is 422).
"""

from __future__ import annotations

from typing import Any

from hotline.core.errors import HotlineError


class CrmError(HotlineError):
    """Base of the CRM's errors."""

    error_id = "crm-error"


class ImportFileError(CrmError):
    """The import file as a whole cannot be read (format, encoding, headers); nothing was saved."""

    error_id = "import-file-unreadable"

    def __init__(self, message: str, *, file: str, **details: Any) -> None:
        super().__init__(f"{file}: {message}", file=file, **details)
        self.file = file


class ListChangeError(CrmError):
    """A red/black list change was refused (a black list without a reason, say)."""

    error_id = "list-change-refused"


class PasswordError(CrmError):
    """A query password that does not meet the rules (digits only, 6 long)."""

    error_id = "bad-query-password"


class UnknownCustomerError(CrmError):
    error_id = "no-such-customer"

    def __init__(self, customer_id: int) -> None:
        super().__init__(f"no customer {customer_id}", customer_id=customer_id)
